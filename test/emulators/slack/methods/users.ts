/** users.* methods. `profile.email` is only shown to tokens holding users:read.email. */
import { bool, MethodContext, MethodDef, str } from '../context';
import { SlackApiError } from '../errors';
import type { SlackUser } from '../types';
import { channelObject, channelsOfTypes, requestedTypes } from './conversations';

/** Without `limit`, Slack tries to return everything at once; a large workspace refuses with limit_required (OpenAPI 2020 error enum; the 1,000 threshold is a guess). */
const UNLIMITED_MAX = 1000;

export function userView(ctx: MethodContext, u: SlackUser, o: { locale?: boolean } = {}): Record<string, unknown> {
	const canSeeEmail = ctx.token.scopes.includes('users:read.email');
	if (canSeeEmail && !o.locale) return u;
	const out: Record<string, unknown> = { ...u };
	if (!canSeeEmail && u.profile.email !== undefined) {
		const { email, ...profile } = u.profile;
		void email;
		out.profile = profile;
	}
	if (o.locale && !u.deleted) out.locale = 'en-US';
	return out;
}

const list: MethodDef = {
	scopes: ['users:read'],
	auth: 'token',
	handler(ctx) {
		const directory = ctx.state.users;
		const total = directory.size;
		if ((ctx.params.limit === undefined || ctx.params.limit === '' || Number(ctx.params.limit) === 0) && !ctx.params.cursor && total > UNLIMITED_MAX) {
			throw new SlackApiError('limit_required');
		}
		const page = ctx.paginator.page('users', ctx.params, total, Math.max(total, 1));
		const locale = bool(ctx, 'include_locale');
		return {
			members: directory.slice(page.offset, page.count).map((u) => userView(ctx, u, { locale })),
			cache_ts: Math.floor(ctx.now / 1000),
			response_metadata: { next_cursor: ctx.paginator.next('users', page, total) },
		};
	},
};

const info: MethodDef = {
	scopes: ['users:read'],
	auth: 'token',
	handler(ctx) {
		const id = str(ctx, 'user');
		const user = id ? ctx.state.users.get(id) : undefined;
		if (!user) throw new SlackApiError('user_not_found');
		return { user: userView(ctx, user, { locale: bool(ctx, 'include_locale') }) };
	},
};

const lookupByEmail: MethodDef = {
	scopes: ['users:read.email'],
	auth: 'token',
	handler(ctx) {
		const email = str(ctx, 'email');
		if (!email) throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: email'] } });
		const user = ctx.state.users.findByEmail(email);
		if (!user || user.deleted) throw new SlackApiError('users_not_found');
		return { user: userView(ctx, user) };
	},
};

const conversations: MethodDef = {
	scopes: ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
	auth: 'token',
	handler(ctx) {
		const userId = str(ctx, 'user') ?? ctx.token.userId;
		if (!ctx.state.users.get(userId)) throw new SlackApiError('user_not_found');
		const channels = channelsOfTypes(ctx, requestedTypes(ctx), userId);
		const page = ctx.paginator.page('user_conversations', ctx.params, channels.length, 100);
		return {
			channels: channels.slice(page.offset, page.offset + page.count).map((c) => channelObject(ctx.state, c, ctx.token.userId)),
			response_metadata: { next_cursor: ctx.paginator.next('user_conversations', page, channels.length) },
		};
	},
};

export const usersMethods: Record<string, MethodDef> = {
	'users.list': list,
	'users.info': info,
	'users.lookupByEmail': lookupByEmail,
	'users.conversations': conversations,
};
