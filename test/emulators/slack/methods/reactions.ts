/** reactions.add */
import { MethodDef, str } from '../context';
import { SlackApiError } from '../errors';
import { visibleChannel } from './common';

/** Standard emoji names are lowercase letters, digits, `_`, `+`, `-`, optionally with a `::skin-tone-N` suffix. */
const EMOJI_NAME = /^[a-z0-9_+'-]{1,100}(::skin-tone-[2-6])?$/;

const add: MethodDef = {
	scopes: ['reactions:write'],
	auth: 'token',
	handler(ctx) {
		const channel = visibleChannel(ctx);
		const ts = str(ctx, 'timestamp');
		if (!ts) throw new SlackApiError('no_item_specified');
		const rawName = str(ctx, 'name');
		const name = rawName?.replace(/^:|:$/g, '');
		if (!name || !EMOJI_NAME.test(name)) throw new SlackApiError('invalid_name');
		const message = ctx.state.findMessage(channel.id, ts);
		if (!message || message.subtype === 'tombstone') throw new SlackApiError('message_not_found');
		if (channel.is_archived) throw new SlackApiError('is_archived');
		const reactions = (message.reactions ??= []);
		let reaction = reactions.find((r) => r.name === name);
		if (reaction?.users.includes(ctx.token.userId)) throw new SlackApiError('already_reacted');
		if (!reaction) {
			// too_many_emoji is in the OpenAPI 2020 enum; the 23 distinct emoji: guess (Slack Help Center figure)
			if (reactions.length >= 23) throw new SlackApiError('too_many_emoji');
			reaction = { name, users: [], count: 0 };
			reactions.push(reaction);
		}
		reaction.users.push(ctx.token.userId);
		reaction.count = reaction.users.length;
		return {};
	},
};

export const reactionsMethods: Record<string, MethodDef> = { 'reactions.add': add };
