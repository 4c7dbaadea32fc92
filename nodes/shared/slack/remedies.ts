/** What each Slack error code means for the user, and the fix, in their words. No n8n imports. */
export interface SlackRemedy {
	summary: string;
	fix: string;
}

export interface RemedyContext {
	channel?: string;
	needed?: string;
	provided?: string;
}

const REINSTALL =
	'Copy the Bot User OAuth Token (xoxb-...) again from your Slack app\'s "OAuth & Permissions" page, or reinstall the app, and update the Slack credential.';

export function slackRemedy(code: string, ctx: RemedyContext = {}): SlackRemedy {
	const channel = ctx.channel ? ` ${ctx.channel}` : '';
	switch (code) {
		case 'invalid_auth':
		case 'not_authed':
			return { summary: 'the bot token is missing or not valid', fix: REINSTALL };
		case 'token_revoked':
		case 'account_inactive':
			return { summary: 'the token was revoked or the app uninstalled', fix: `Reinstall the Slack app to the workspace. ${REINSTALL}` };
		case 'token_expired':
			return {
				summary: 'this rotating token has expired',
				fix: 'Refresh the token (token rotation issues xoxe.xoxb- tokens valid 12 hours), or turn token rotation off and reinstall the app.',
			};
		case 'not_allowed_token_type':
			return { summary: 'this method does not accept this kind of token', fix: 'Use a bot token (xoxb-...), not a user or app-level token.' };
		case 'missing_scope':
			return {
				summary: `the token lacks the scope ${ctx.needed ?? '(see Slack\'s "needed")'}`,
				fix: `Add the bot scope${ctx.needed ? ` ${ctx.needed}` : ''} under "OAuth & Permissions" > Bot Token Scopes, reinstall the app, and copy the new token.${ctx.provided ? ` Granted now: ${ctx.provided}.` : ''}`,
			};
		case 'channel_not_found':
			return {
				summary: `channel${channel} does not exist or the bot cannot see it`,
				fix: `Check the channel id or name. For a private channel, invite the bot first: type /invite @your-bot-name in${channel || ' the channel'}.`,
			};
		case 'not_in_channel':
			return {
				summary: `the bot is not a member of${channel || ' the channel'}`,
				fix: `Invite it: type /invite @your-bot-name in${channel || ' the channel'} (or turn on "Join Public Channels" and add the channels:join scope).`,
			};
		case 'invalid_channel':
			return {
				summary: `channel${channel} does not exist or the bot cannot see it`,
				fix: `Check the channel id or name. For a private channel, invite the bot first: type /invite @your-bot-name in${channel || ' the channel'}.`,
			};
		case 'is_archived':
			return { summary: `channel${channel} is archived`, fix: 'Unarchive the channel or route the message to another channel.' };
		case 'no_text':
			return { summary: 'the message has no text and no blocks', fix: 'Give a text, a template or blocks.' };
		case 'msg_too_long':
			return { summary: 'the message text is too long', fix: 'Keep text under 40,000 characters (4,000 recommended); long content belongs in blocks or a file.' };
		case 'msg_blocks_too_long':
			return {
				summary: 'the blocks carry too much text for one message (Slack refuses about 13,000 characters of block text in total)',
				fix: 'Shorten the block texts or split the content over several messages (the digest splits by itself); keep a message under 12,000 characters of block text.',
			};
		case 'view_too_large':
			return {
				summary: 'the modal view is larger than Slack allows (250 kB)',
				fix: 'Shrink the view: fewer blocks, fewer select options (use an external select for long lists), shorter texts.',
			};
		case 'invalid_blocks':
		case 'invalid_blocks_format':
			return { summary: 'Slack rejected the Block Kit blocks', fix: 'Fix the blocks Slack points at below (json-pointer), e.g. in Block Kit Builder.' };
		case 'message_not_found':
			return { summary: 'no message with this ts in this channel', fix: 'Use the ts (and channel) returned when the message was posted.' };
		case 'cant_update_message':
		case 'cant_delete_message':
			return { summary: 'the bot can only change its own messages', fix: 'Pick a message the bot posted.' };
		case 'ratelimited':
		case 'rate_limited':
			return { summary: 'Slack rate limit reached', fix: 'Send fewer calls per minute (digest, threads) or run less often.' };
		case 'user_not_in_channel':
			return { summary: 'the user is not in the channel', fix: 'Invite the user to the channel, or pick a channel they are in (ephemeral messages only reach members).' };
		case 'users_not_found':
		case 'user_not_found':
			return { summary: 'no Slack user matches', fix: 'Check the user id or email; the email lookup needs the users:read.email scope.' };
		case 'invalid_cursor':
			return { summary: 'the pagination cursor is no longer valid', fix: 'Run again: listing restarts from the first page.' };
		case 'already_reacted':
			return { summary: 'the bot already added this reaction', fix: 'Nothing to do.' };
		case 'invalid_name':
			return { summary: 'the emoji name is not valid', fix: 'Use an emoji name without colons, e.g. white_check_mark.' };
		case 'expired_trigger_id':
		case 'invalid_trigger_id':
			return {
				summary: 'the trigger_id expired (it lives 3 seconds and works once)',
				fix: 'Open the modal right after the Slack Interaction Trigger, with no slow node in between.',
			};
		case 'time_in_past':
			return { summary: 'the scheduled time is in the past', fix: 'Pick a time in the future.' };
		case 'time_too_far':
			return { summary: 'the scheduled time is more than 120 days ahead', fix: 'Pick a time within 120 days.' };
		case 'restricted_too_many':
			return { summary: 'more than 30 messages scheduled for this channel within 5 minutes', fix: 'Spread scheduled messages over time.' };
		case 'invalid_scheduled_message_id':
			return {
				summary: 'the scheduled message was already sent, is about to be sent (within 60 s), or does not exist',
				fix: 'Messages cannot be unscheduled in their last 60 seconds; delete the posted message instead.',
			};
		case 'fatal_error':
		case 'internal_error':
		case 'service_unavailable':
			return { summary: 'Slack had an internal problem', fix: 'Retry later; see https://slack-status.com.' };
		default:
			return { summary: code.replace(/_/g, ' '), fix: `See https://api.slack.com/methods for the meaning of ${code}.` };
	}
}
