/** chat.* methods. */
import { json, MethodContext, MethodDef, required, str } from '../context';
import { validateBlocks } from '../blocks';
import { SlackApiError } from '../errors';
import { slackId } from '../ids';
import type { ScheduledMessage, SlackMessage } from '../types';
import {
	authorship, invalidBlocks, messageContent, messageMetadata, publicMessage, replyBroadcast, threadTs, visibleChannel, writableChannel,
} from './common';

const CHAT_WRITE = ['chat:write', 'chat:write:bot', 'chat:write:user'];
// docs.slack.dev/reference/methods/chat.scheduleMessage: "up to 120 days into the future" (time_too_far); "more than
// 30 messages to post within a 5-minute window to the same channel" (restricted_too_many).
const MAX_POST_AHEAD_S = 120 * 86_400;
const SCHEDULE_WINDOW_S = 300;
const SCHEDULE_WINDOW_MAX = 30;
// chat.deleteScheduledMessage error table: a message about to be sent (60 s) can no longer be deleted
const SCHEDULE_DELETE_GUARD_MS = 60_000;

function ownMessage(ctx: MethodContext, m: SlackMessage): boolean {
	return ctx.token.type === 'bot' ? m.bot_id === ctx.token.botId && m.app_id === ctx.token.appId : m.user === ctx.token.userId && !m.bot_id;
}

function existingMessage(ctx: MethodContext, channel: string, ts: string): SlackMessage {
	const m = ctx.state.findMessage(channel, ts);
	if (!m || m.subtype === 'tombstone') throw new SlackApiError('message_not_found');
	return m;
}

const postMessage: MethodDef = {
	scopes: CHAT_WRITE,
	auth: 'token',
	rateChannel: (p) => (typeof p.channel === 'string' ? p.channel : undefined),
	handler(ctx) {
		const channel = writableChannel(ctx);
		const content = messageContent(ctx, { requireOne: true });
		const metadata = messageMetadata(ctx);
		const thread = threadTs(ctx);
		const message = ctx.state.createMessage(channel.id, ctx.token, {
			text: content.text ?? '', blocks: content.blocks, attachments: content.attachments, metadata, thread_ts: thread,
			reply_broadcast: thread && replyBroadcast(ctx) ? true : undefined, ...authorship(ctx),
		}, ctx.now);
		return { channel: channel.id, ts: message.ts, message: publicMessage(message) };
	},
};

const update: MethodDef = {
	scopes: CHAT_WRITE,
	auth: 'token',
	handler(ctx) {
		const channel = visibleChannel(ctx);
		const ts = required(ctx, 'ts');
		const message = existingMessage(ctx, channel.id, ts);
		if (!ownMessage(ctx, message)) throw new SlackApiError('cant_update_message');
		if (channel.is_archived) throw new SlackApiError('is_archived');
		const content = messageContent(ctx, { requireOne: true });
		const metadata = messageMetadata(ctx);
		if (content.text !== undefined) message.text = content.text;
		else if (content.blocks !== undefined) message.text = '';
		// blocks / attachments left out keep the previous ones; an empty array removes them
		if (content.blocks !== undefined) {
			if (content.blocks.length) message.blocks = content.blocks;
			else delete message.blocks;
		}
		if (content.attachments !== undefined) {
			if (content.attachments.length) message.attachments = content.attachments;
			else delete message.attachments;
		}
		if (metadata) message.metadata = metadata;
		message.edited = { user: ctx.token.userId, ts: ctx.state.tsClock.next(ctx.now) };
		return { channel: channel.id, ts, text: message.text, message: publicMessage(message) };
	},
};

const del: MethodDef = {
	scopes: CHAT_WRITE,
	auth: 'token',
	handler(ctx) {
		const channel = visibleChannel(ctx);
		const ts = required(ctx, 'ts');
		const message = existingMessage(ctx, channel.id, ts);
		if (!ownMessage(ctx, message)) throw new SlackApiError('cant_delete_message');
		const list = ctx.state.channelMessages(channel.id);
		if (message.thread_ts === message.ts && (message.reply_count ?? 0) > 0) {
			// a parent with replies stays as a tombstone so the thread survives
			for (const k of ['blocks', 'attachments', 'metadata', 'bot_id', 'bot_profile', 'app_id', 'edited', 'reactions']) delete message[k];
			message.subtype = 'tombstone';
			message.text = 'This message was deleted.';
			message.user = 'USLACKBOT';
			message.hidden = true;
		} else {
			list.splice(list.indexOf(message), 1);
			if (message.thread_ts && message.thread_ts !== message.ts) {
				const parent = ctx.state.findMessage(channel.id, message.thread_ts);
				if (parent && parent.reply_count) {
					parent.reply_count -= 1;
					const replies = list.filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts);
					parent.latest_reply = replies.length ? replies[replies.length - 1].ts : undefined;
					parent.reply_users = [...new Set(replies.map((r) => r.user as string))];
					parent.reply_users_count = parent.reply_users.length;
					if (!parent.latest_reply) delete parent.latest_reply;
				}
			}
		}
		return { channel: channel.id, ts };
	},
};

const postEphemeral: MethodDef = {
	scopes: CHAT_WRITE,
	auth: 'token',
	handler(ctx) {
		const channel = writableChannel(ctx);
		const user = str(ctx, 'user');
		if (!user || !ctx.state.users.get(user) || !channel.members.has(user)) throw new SlackApiError('user_not_in_channel');
		const content = messageContent(ctx, { requireOne: true });
		const ts = ctx.state.tsClock.next(ctx.now);
		ctx.state.ephemerals.push({
			channel: channel.id, user, ts, text: content.text ?? '', blocks: content.blocks, attachments: content.attachments,
			thread_ts: threadTs(ctx), source: 'api',
		});
		return { message_ts: ts };
	},
};

/** invalid_time / time_in_past / time_too_far: OpenAPI 2020 `/chat.scheduleMessage` error enum and its method page. */
function postAt(ctx: MethodContext): number {
	const raw = ctx.params.post_at;
	const text = raw === undefined ? '' : String(raw).trim();
	if (!/^\d+(\.\d+)?$/.test(text)) throw new SlackApiError('invalid_time');
	const value = Math.floor(Number(text));
	const nowS = Math.floor(ctx.now / 1000);
	if (value < nowS) throw new SlackApiError('time_in_past');
	if (value > nowS + MAX_POST_AHEAD_S) throw new SlackApiError('time_too_far');
	return value;
}

const scheduleMessage: MethodDef = {
	scopes: CHAT_WRITE,
	auth: 'token',
	handler(ctx) {
		const channel = writableChannel(ctx);
		const at = postAt(ctx);
		const content = messageContent(ctx, { requireOne: true });
		const metadata = messageMetadata(ctx);
		const thread = threadTs(ctx);
		const crowded = [...ctx.state.scheduled.values()].filter(
			(s) => s.channel === channel.id && s.status === 'pending' && Math.abs(s.post_at - at) < SCHEDULE_WINDOW_S,
		);
		if (crowded.length >= SCHEDULE_WINDOW_MAX) throw new SlackApiError('restricted_too_many');
		const nowS = Math.floor(ctx.now / 1000);
		const scheduled: ScheduledMessage = {
			id: slackId('Q'), channel: channel.id, post_at: at, date_created: nowS, text: content.text ?? '', blocks: content.blocks,
			attachments: content.attachments, metadata, thread_ts: thread, reply_broadcast: thread ? replyBroadcast(ctx) : undefined,
			status: 'pending', deliverAtMs: ctx.now + Math.max(0, at * 1000 - ctx.now) / ctx.state.timeScale, tokenOwner: ctx.token.token,
		};
		ctx.state.scheduled.set(scheduled.id, scheduled);
		ctx.scheduler.arm(ctx.now);
		const message: Record<string, unknown> = {
			bot_id: ctx.token.botId, type: 'delayed_message', text: scheduled.text, user: ctx.token.userId, team: ctx.state.teamId,
		};
		if (scheduled.blocks) message.blocks = scheduled.blocks;
		if (scheduled.attachments) message.attachments = scheduled.attachments;
		return { channel: channel.id, scheduled_message_id: scheduled.id, post_at: at, message };
	},
};

const scheduledMessagesList: MethodDef = {
	// stricter than OpenAPI 2020 (no scope listed): the package always holds chat:write
	scopes: CHAT_WRITE,
	auth: 'token',
	handler(ctx) {
		let channelId: string | undefined;
		// An unknown (or invisible) channel is invalid_channel here, not channel_not_found: the only error of the method's
		// own in the OpenAPI 2020 definition (`/chat.scheduledMessages.list` error enum and its example answer).
		if (str(ctx, 'channel')) {
			try {
				channelId = visibleChannel(ctx).id;
			} catch (e) {
				if (e instanceof SlackApiError && e.error === 'channel_not_found') throw new SlackApiError('invalid_channel');
				throw e;
			}
		}
		const latest = str(ctx, 'latest');
		const oldest = str(ctx, 'oldest');
		const items = [...ctx.state.scheduled.values()]
			.filter((s) => s.status === 'pending' && s.tokenOwner.length > 0 && ctx.state.tokens.get(s.tokenOwner)?.appId === ctx.token.appId)
			.filter((s) => !channelId || s.channel === channelId)
			.filter((s) => (latest === undefined || s.post_at <= Number(latest)) && (oldest === undefined || s.post_at >= Number(oldest)))
			.sort((a, b) => a.post_at - b.post_at || a.date_created - b.date_created);
		const page = ctx.paginator.page('scheduled', ctx.params, items.length, 100);
		return {
			scheduled_messages: items.slice(page.offset, page.offset + page.count).map((s) => ({
				id: s.id, channel_id: s.channel, post_at: s.post_at, date_created: s.date_created, text: s.text,
			})),
			response_metadata: { next_cursor: ctx.paginator.next('scheduled', page, items.length) },
		};
	},
};

const deleteScheduledMessage: MethodDef = {
	scopes: CHAT_WRITE,
	auth: 'token',
	handler(ctx) {
		const channel = visibleChannel(ctx);
		const id = required(ctx, 'scheduled_message_id');
		const s = ctx.state.scheduled.get(id);
		// posted, dropped, deleted, another channel's, or due within the next minute (scaled): all the same error
		if (!s || s.channel !== channel.id || s.status !== 'pending' || s.deliverAtMs - ctx.now < SCHEDULE_DELETE_GUARD_MS / ctx.state.timeScale) {
			throw new SlackApiError('invalid_scheduled_message_id');
		}
		s.status = 'deleted';
		ctx.scheduler.arm(ctx.now);
		return {};
	},
};

const unfurl: MethodDef = {
	scopes: ['links:write'],
	auth: 'token',
	handler(ctx) {
		const unfurlId = str(ctx, 'unfurl_id');
		const source = str(ctx, 'source');
		const channelRef = str(ctx, 'channel');
		const ts = str(ctx, 'ts');
		if (!unfurlId && !channelRef) throw new SlackApiError('missing_channel');
		if (!unfurlId && !ts) throw new SlackApiError('missing_ts');
		const unfurls = json<Record<string, unknown>>(ctx, 'unfurls', 'invalid_unfurls_format');
		if (unfurls === undefined) throw new SlackApiError('missing_unfurls');
		if (typeof unfurls !== 'object' || Array.isArray(unfurls) || unfurls === null) throw new SlackApiError('invalid_unfurls_format');
		for (const [url, u] of Object.entries(unfurls)) {
			const blocks = (u as { blocks?: unknown } | null)?.blocks;
			if (blocks !== undefined) {
				const errors = validateBlocks(blocks, 'message', `/unfurls/${url.replace(/~/g, '~0').replace(/\//g, '~1')}/blocks`);
				if (errors.length) throw invalidBlocks(errors);
			}
		}
		if (unfurlId) {
			if (source !== 'composer' && source !== 'conversations_history') throw new SlackApiError('invalid_source');
			// Slack only accepts unfurls for links it announced in a link_shared event
			const share = ctx.state.linkShares.get(unfurlId);
			if (!share || Object.keys(unfurls).some((url) => !share.urls.includes(url))) throw new SlackApiError('cannot_unfurl_url');
			ctx.state.unfurls.push({ unfurl_id: unfurlId, source, unfurls, at: ctx.now });
			const message = share.channel && share.ts ? ctx.state.findMessage(share.channel, share.ts) : undefined;
			if (message) message.unfurls = { ...(message.unfurls ?? {}), ...unfurls };
			return {};
		}
		const channel = ctx.state.findChannel(channelRef);
		if (!channel || (channel.is_private && !channel.members.has(ctx.token.userId))) throw new SlackApiError('cannot_find_channel');
		const message = ctx.state.findMessage(channel.id, ts as string);
		if (!message) throw new SlackApiError('cannot_find_message');
		if (Object.keys(unfurls).some((url) => !message.text.includes(url))) throw new SlackApiError('cannot_unfurl_message');
		message.unfurls = { ...(message.unfurls ?? {}), ...unfurls };
		ctx.state.unfurls.push({ channel: channel.id, ts, unfurls, at: ctx.now });
		return {};
	},
};

export const chatMethods: Record<string, MethodDef> = {
	'chat.postMessage': postMessage,
	'chat.update': update,
	'chat.delete': del,
	'chat.postEphemeral': postEphemeral,
	'chat.scheduleMessage': scheduleMessage,
	'chat.scheduledMessages.list': scheduledMessagesList,
	'chat.deleteScheduledMessage': deleteScheduledMessage,
	'chat.unfurl': unfurl,
};
