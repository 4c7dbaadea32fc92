/** Channel access rules and message-content parsing shared by the chat.* and conversations.* methods. */
import { assignBlockIds, MAX_MESSAGE_BLOCKS_TEXT, messageBlocksSize, validateBlocks } from '../blocks';
import { bool, json, MethodContext, str } from '../context';
import { argumentError, SlackApiError } from '../errors';
import { slackId } from '../ids';
import type { SlackChannel, SlackMessage } from '../types';

/**
 * Top-level `text` over 40,000 characters is truncated with the `message_truncated` warning (docs.slack.dev/reference/
 * methods/chat.postMessage, "Truncating content"). This is the `text` argument only: block text has its own, much lower,
 * total (MAX_MESSAGE_BLOCKS_TEXT in ../blocks).
 */
export const MAX_TEXT = 40_000;
/**
 * Beyond this Slack refuses the text instead of truncating it: `msg_too_long` is in chat.postMessage's error table
 * (docs.slack.dev/reference/methods/chat.postMessage; OpenAPI 2020 `/chat.postMessage` error enum) without a figure.
 * guess: four times the truncation length.
 */
export const MAX_TEXT_HARD = 4 * MAX_TEXT;

/**
 * The channel a call names, as this token sees it: unknown ids, and private channels the token's user is not in,
 * are channel_not_found (Slack does not reveal them). For posting methods a user id names the DM with that user.
 */
export function visibleChannel(ctx: MethodContext, o: { userMeansDm?: boolean } = {}): SlackChannel {
	const ref = str(ctx, 'channel');
	if (!ref) throw new SlackApiError('channel_not_found');
	let channel = ctx.state.findChannel(ref);
	if (!channel && o.userMeansDm && /^[UW][A-Z0-9]{2,}$/.test(ref) && ctx.state.users.get(ref)) channel = openIm(ctx, ref);
	if (!channel) throw new SlackApiError('channel_not_found');
	if (channel.is_private && !channel.members.has(ctx.token.userId)) throw new SlackApiError('channel_not_found');
	return channel;
}

function openIm(ctx: MethodContext, userId: string): SlackChannel {
	const name = `dm-${userId}`;
	const existing = ctx.state.findChannel(name);
	if (existing) return existing;
	const { id } = ctx.state.addChannel({ id: slackId('D'), name, is_private: true, members: [ctx.token.userId, userId] });
	return ctx.state.channels.get(id) as SlackChannel;
}

export function readScopesFor(channel: SlackChannel): string[] {
	if (channel.id.startsWith('D')) return ['im:read'];
	return channel.is_private ? ['groups:read'] : ['channels:read'];
}

export function historyScopesFor(channel: SlackChannel): string[] {
	if (channel.id.startsWith('D')) return ['im:history'];
	return channel.is_private ? ['groups:history'] : ['channels:history'];
}

/** A channel the token may post into: member (or chat:write.public for public channels) and not archived. */
export function writableChannel(ctx: MethodContext): SlackChannel {
	const channel = visibleChannel(ctx, { userMeansDm: true });
	if (channel.is_archived) throw new SlackApiError('is_archived');
	const member = channel.members.has(ctx.token.userId);
	if (!member && !(channel.is_private === false && ctx.token.scopes.includes('chat:write.public'))) throw new SlackApiError('not_in_channel');
	return channel;
}

export interface MessageContent {
	text?: string;
	blocks?: unknown[];
	attachments?: unknown[];
}

/**
 * text / blocks / attachments of a message call, validated as Slack does: no_text when none is given,
 * invalid_blocks_format for unparseable blocks, invalid_blocks with json-pointer errors, msg_blocks_too_long over
 * 12,000 characters of block text in total, text over 40,000 characters truncated with the message_truncated warning.
 */
export function messageContent(ctx: MethodContext, o: { requireOne: boolean }): MessageContent {
	let text = str(ctx, 'text');
	const blocks = json<unknown>(ctx, 'blocks', 'invalid_blocks_format');
	const attachments = json<unknown>(ctx, 'attachments', 'invalid_attachments');
	if (blocks !== undefined && !Array.isArray(blocks)) throw new SlackApiError('invalid_blocks_format');
	if (attachments !== undefined && !Array.isArray(attachments)) throw new SlackApiError('invalid_attachments');
	// chat.postMessage: at most 100 attachments (method page; OpenAPI 2020 error enum)
	if (Array.isArray(attachments) && attachments.length > 100) throw new SlackApiError('too_many_attachments');
	const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
	const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
	if (o.requireOne && !text && !hasBlocks && !hasAttachments) throw new SlackApiError('no_text');
	if (blocks !== undefined) {
		const errors = validateBlocks(blocks, 'message');
		if (errors.length) throw invalidBlocks(errors);
		// bolt-js#2509: a well-formed message whose blocks carry too much text in total
		if (messageBlocksSize(blocks) > MAX_MESSAGE_BLOCKS_TEXT) throw new SlackApiError('msg_blocks_too_long');
	}
	if (text !== undefined && text.length > MAX_TEXT_HARD) throw new SlackApiError('msg_too_long');
	if (text !== undefined && [...text].length > MAX_TEXT) {
		text = [...text].slice(0, MAX_TEXT).join('');
		ctx.warnings.push('message_truncated');
	}
	return {
		text,
		blocks: blocks === undefined ? undefined : assignBlockIds(blocks as unknown[], () => slackId('', 4).toLowerCase()),
		attachments: attachments as unknown[] | undefined,
	};
}

/** username / icon_emoji / icon_url: honoured only with chat:write.customize (otherwise Slack ignores them). */
export function authorship(ctx: MethodContext): Partial<SlackMessage> {
	if (!ctx.token.scopes.includes('chat:write.customize')) return {};
	const out: Partial<SlackMessage> = {};
	const username = str(ctx, 'username');
	if (username) out.username = username;
	const emoji = str(ctx, 'icon_emoji');
	const url = str(ctx, 'icon_url');
	if (emoji) out.icons = { emoji };
	else if (url) out.icons = { image_48: url };
	return out;
}

export function invalidBlocks(errors: string[]): SlackApiError {
	return new SlackApiError('invalid_blocks', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
}

/** Message metadata `{event_type, event_payload}`; malformed JSON or shape is refused as Slack does. */
export function messageMetadata(ctx: MethodContext): SlackMessage['metadata'] | undefined {
	const m = json<Record<string, unknown>>(ctx, 'metadata', 'invalid_metadata_format');
	if (m === undefined) return undefined;
	if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new SlackApiError('invalid_metadata_format');
	if (typeof m.event_type !== 'string' || !/^[A-Za-z0-9_]{1,255}$/.test(m.event_type)) {
		throw argumentError('invalid_metadata_schema', ['event_type must be a string of letters, digits and underscores [json-pointer:/metadata/event_type]']);
	}
	if (typeof m.event_payload !== 'object' || m.event_payload === null || Array.isArray(m.event_payload)) {
		throw argumentError('invalid_metadata_schema', ['event_payload must be an object [json-pointer:/metadata/event_payload]']);
	}
	return { event_type: m.event_type, event_payload: m.event_payload };
}

/**
 * thread_ts: a value that is not a timestamp is invalid_thread_ts; a well-formed one naming no message is accepted
 * (Slack answers ok and the reply is shown nowhere).
 */
export function threadTs(ctx: MethodContext): string | undefined {
	const v = str(ctx, 'thread_ts');
	if (v === undefined) return undefined;
	if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw argumentError('invalid_thread_ts', [`${v} is not a valid thread_ts`]);
	// a float-mangled ts (`1602251441.0017`) names no message: accepted, and the reply is visible nowhere, as on Slack
	return v;
}

export function replyBroadcast(ctx: MethodContext): boolean {
	return bool(ctx, 'reply_broadcast');
}

/** A message as the Web API returns it (internal bookkeeping removed; metadata only when asked for). */
export function publicMessage(m: SlackMessage, o: { withMetadata?: boolean; withChannel?: boolean } = {}): Record<string, unknown> {
	const { channel, orphan, unfurls, metadata, ...rest } = m;
	void orphan;
	void unfurls;
	const out: Record<string, unknown> = { ...rest };
	if (o.withChannel) out.channel = channel;
	if (o.withMetadata !== false && metadata) out.metadata = metadata;
	return out;
}

