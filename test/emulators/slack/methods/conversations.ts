/** conversations.* methods. */
import { bool, MethodContext, MethodDef, requireScope, str } from '../context';
import { SlackApiError } from '../errors';
import type { SlackChannel, SlackMessage } from '../types';
import { historyScopesFor, publicMessage, readScopesFor, visibleChannel } from './common';

const READ_SCOPES = ['channels:read', 'groups:read', 'im:read', 'mpim:read'];
const HISTORY_SCOPES = ['channels:history', 'groups:history', 'im:history', 'mpim:history'];
const TYPE_SCOPES: Record<string, string> = { public_channel: 'channels:read', private_channel: 'groups:read', im: 'im:read', mpim: 'mpim:read' };

/** The other organisation of Slack Connect channels (`is_ext_shared`), as it appears in `shared_team_ids`. */
export const EXTERNAL_TEAM_ID = 'T0EXTERN01';

/** A channel object as conversations.* return it, from the point of view of `viewer`. */
export function channelObject(state: MethodContext['state'], c: SlackChannel, viewer: string, o: { numMembers?: boolean } = {}): Record<string, unknown> {
	const isIm = c.id.startsWith('D');
	if (isIm) {
		const other = [...c.members].find((m) => m !== viewer) ?? viewer;
		return { id: c.id, created: c.created, is_archived: false, is_im: true, is_org_shared: false, context_team_id: state.teamId, updated: c.created * 1000, user: other, is_user_deleted: false, priority: 0 };
	}
	const out: Record<string, unknown> = {
		id: c.id, name: c.name, is_channel: !c.is_private, is_group: c.is_private, is_im: false, is_mpim: false, is_private: c.is_private,
		created: c.created, is_archived: c.is_archived, is_general: c.is_general, unlinked: 0, name_normalized: c.name, is_shared: Boolean(c.is_ext_shared),
		is_org_shared: false, is_pending_ext_shared: false, pending_shared: [], context_team_id: state.teamId, updated: c.created * 1000,
		parent_conversation: null, creator: c.creator, is_ext_shared: Boolean(c.is_ext_shared), shared_team_ids: c.is_ext_shared ? [state.teamId, EXTERNAL_TEAM_ID] : [state.teamId], pending_connected_team_ids: [],
		is_member: c.members.has(viewer),
		topic: { value: c.topic, creator: c.topic ? c.creator : '', last_set: c.topic ? c.created : 0 },
		purpose: { value: c.purpose, creator: c.purpose ? c.creator : '', last_set: c.purpose ? c.created : 0 },
		previous_names: [],
	};
	if (o.numMembers) out.num_members = c.members.size;
	return out;
}

function requestedTypes(ctx: MethodContext): string[] {
	const raw = str(ctx, 'types') ?? 'public_channel';
	const types = raw.split(',').map((t) => t.trim()).filter(Boolean);
	for (const t of types) if (!TYPE_SCOPES[t]) throw new SlackApiError('invalid_types');
	for (const t of types) requireScope(ctx, [TYPE_SCOPES[t]]);
	return types;
}

function channelsOfTypes(ctx: MethodContext, types: string[], memberOf?: string): SlackChannel[] {
	const excludeArchived = bool(ctx, 'exclude_archived');
	const viewer = ctx.token.userId;
	return [...ctx.state.channels.values()].filter((c) => {
		const type = c.id.startsWith('D') ? 'im' : c.is_private ? 'private_channel' : 'public_channel';
		if (!types.includes(type)) return false;
		if (excludeArchived && c.is_archived) return false;
		if (c.is_private && !c.members.has(viewer)) return false; // private conversations are listed to their members only
		if (memberOf && !c.members.has(memberOf)) return false;
		return true;
	});
}

const list: MethodDef = {
	scopes: READ_SCOPES,
	auth: 'token',
	handler(ctx) {
		const channels = channelsOfTypes(ctx, requestedTypes(ctx));
		const page = ctx.paginator.page('conversations', ctx.params, channels.length, 100);
		return {
			channels: channels.slice(page.offset, page.offset + page.count).map((c) => channelObject(ctx.state, c, ctx.token.userId, { numMembers: true })),
			response_metadata: { next_cursor: ctx.paginator.next('conversations', page, channels.length) },
		};
	},
};

const info: MethodDef = {
	scopes: READ_SCOPES,
	auth: 'token',
	handler(ctx) {
		const channel = visibleChannel(ctx);
		requireScope(ctx, readScopesFor(channel));
		return { channel: channelObject(ctx.state, channel, ctx.token.userId, { numMembers: bool(ctx, 'include_num_members') }) };
	},
};

const members: MethodDef = {
	scopes: READ_SCOPES,
	auth: 'token',
	handler(ctx) {
		const channel = visibleChannel(ctx);
		requireScope(ctx, readScopesFor(channel));
		const ids = [...channel.members];
		const page = ctx.paginator.page('members', ctx.params, ids.length, 100);
		return { members: ids.slice(page.offset, page.offset + page.count), response_metadata: { next_cursor: ctx.paginator.next('members', page, ids.length) } };
	},
};

function tsBound(v: string | undefined, fallback: number, error: 'invalid_ts_latest' | 'invalid_ts_oldest'): number {
	if (v === undefined) return fallback;
	const n = Number(v);
	if (!Number.isFinite(n)) throw new SlackApiError(error);
	return n;
}

const history: MethodDef = {
	scopes: HISTORY_SCOPES,
	auth: 'token',
	handler(ctx) {
		const channel = visibleChannel(ctx);
		requireScope(ctx, historyScopesFor(channel));
		if (!channel.members.has(ctx.token.userId)) throw new SlackApiError('not_in_channel');
		const latest = tsBound(str(ctx, 'latest'), Infinity, 'invalid_ts_latest');
		const oldest = tsBound(str(ctx, 'oldest'), 0, 'invalid_ts_oldest');
		const inclusive = bool(ctx, 'inclusive');
		const withMetadata = bool(ctx, 'include_all_metadata');
		// the channel's timeline: top-level messages and broadcast replies, newest first
		const visible = ctx.state.channelMessages(channel.id).filter((m: SlackMessage) => {
			if (m.orphan || m.hidden) return false;
			if (m.thread_ts && m.thread_ts !== m.ts && m.subtype !== 'thread_broadcast') return false;
			const t = Number(m.ts);
			return inclusive ? t >= oldest && t <= latest : t > oldest && t < latest;
		}).reverse();
		const page = ctx.paginator.page('history', ctx.params, visible.length, ctx.state.restrictedHistory ? 15 : 100, ctx.state.restrictedHistory ? 15 : 999);
		const slice = visible.slice(page.offset, page.offset + page.count);
		const next = ctx.paginator.next('history', page, visible.length);
		const out: Record<string, unknown> = {
			messages: slice.map((m) => publicMessage(m, { withMetadata })),
			has_more: next !== '', pin_count: 0, channel_actions_ts: null, channel_actions_count: 0,
		};
		if (next) out.response_metadata = { next_cursor: next };
		return out;
	},
};

const replies: MethodDef = {
	scopes: HISTORY_SCOPES,
	auth: 'token',
	handler(ctx) {
		const channel = visibleChannel(ctx);
		requireScope(ctx, historyScopesFor(channel));
		if (!channel.members.has(ctx.token.userId)) throw new SlackApiError('not_in_channel');
		const ts = str(ctx, 'ts');
		const root = ts ? ctx.state.findMessage(channel.id, ts) : undefined;
		if (!root || root.orphan) throw new SlackApiError('thread_not_found');
		const parentTs = root.thread_ts ?? root.ts;
		const withMetadata = bool(ctx, 'include_all_metadata');
		// the parent first, then its replies oldest first
		const thread = ctx.state.channelMessages(channel.id).filter((m) => m.ts === parentTs || (m.thread_ts === parentTs && !m.orphan));
		const page = ctx.paginator.page('replies', ctx.params, thread.length, ctx.state.restrictedHistory ? 15 : 1000, ctx.state.restrictedHistory ? 15 : 1000);
		const next = ctx.paginator.next('replies', page, thread.length);
		const out: Record<string, unknown> = { messages: thread.slice(page.offset, page.offset + page.count).map((m) => publicMessage(m, { withMetadata })), has_more: next !== '' };
		if (next) out.response_metadata = { next_cursor: next };
		return out;
	},
};

const join: MethodDef = {
	scopes: ['channels:join', 'channels:write'],
	auth: 'token',
	handler(ctx) {
		const ref = str(ctx, 'channel');
		const channel = ref ? ctx.state.findChannel(ref) : undefined;
		if (!channel) throw new SlackApiError('channel_not_found');
		if (channel.is_private || channel.id.startsWith('D')) throw new SlackApiError('method_not_supported_for_channel_type');
		if (channel.is_archived) throw new SlackApiError('is_archived');
		if (channel.members.has(ctx.token.userId)) ctx.warnings.push('already_in_channel');
		channel.members.add(ctx.token.userId);
		return { channel: channelObject(ctx.state, channel, ctx.token.userId) };
	},
};

export const conversationsMethods: Record<string, MethodDef> = {
	'conversations.list': list,
	'conversations.info': info,
	'conversations.members': members,
	'conversations.history': history,
	'conversations.replies': replies,
	'conversations.join': join,
};

export { channelsOfTypes, requestedTypes };
