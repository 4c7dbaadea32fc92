/**
 * Check Connection: the spec's "connection test", one pass/fail line per check with the fix: Slack reachable,
 * token valid, channels readable, bot a member of each channel to post to, granted vs needed scopes.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSlackClient, slackErrorCode } from '../../shared/n8n/slackClient';
import { SlackErrorKind } from '../../shared/slack/gateway';
import { slackRemedy } from '../../shared/slack/remedies';
import { ChannelNotFound, ChannelResolver } from '../../shared/n8n/channels';
import { toTextList } from '../../shared/n8n/params';

const show = { operation: ['checkConnection'] };

/** Scopes the package's Slack features use, and what each is for. */
export const SCOPES: Array<{ scope: string; for: string; required: boolean }> = [
	{ scope: 'chat:write', for: 'posting, updating and deleting messages', required: true },
	{ scope: 'channels:read', for: 'channel list and names', required: true },
	{ scope: 'groups:read', for: 'private channels by name', required: false },
	{ scope: 'channels:history', for: 'thread look-ups and delivery checks', required: false },
	{ scope: 'channels:join', for: 'joining public channels (Join Public Channels option)', required: false },
	{ scope: 'reactions:write', for: 'Add Reaction', required: false },
	{ scope: 'links:write', for: 'Unfurl Brevo Links', required: false },
	{ scope: 'users:read', for: 'user sync', required: false },
	{ scope: 'users:read.email', for: 'matching Slack users to Brevo contacts by email', required: false },
];

export const description: INodeProperties[] = [
	{
		displayName: 'Channels to Check',
		name: 'checkChannels',
		type: 'string',
		default: '',
		displayOptions: { show },
		placeholder: '#marketing, #sales, C0123456789',
		description: 'The channels your routing posts to (names or IDs, comma-separated): each gets a membership check',
	},
];

interface Line {
	check: string;
	status: 'pass' | 'fail' | 'warn';
	detail: string;
	fix?: string;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await getSlackClient(this, { retries: 0, maxRateLimitWaitMs: 30_000, timeoutMs: 15_000 });
	const lines: Line[] = [];
	const add = (l: Line) => lines.push(l);

	// 1 + 2: reachable, token valid (auth.test answers both; a network failure means not reachable).
	let scopes: string[] | undefined;
	let authed = false;
	try {
		const res = await client.auth.test();
		add({ check: 'Slack API reachable', status: 'pass', detail: 'Slack answered auth.test' });
		add({ check: 'Bot token valid', status: 'pass', detail: `Workspace ${res.team ?? '?'} (${res.team_id ?? '?'}), bot user ${res.user ?? '?'} (${res.user_id ?? '?'})` });
		scopes = (res.response_metadata as { scopes?: string[] } | undefined)?.scopes;
		authed = true;
	} catch (error) {
		const code = slackErrorCode(error);
		const e = error as { code?: string };
		if (e.code === SlackErrorKind.Request || e.code === SlackErrorKind.Http) {
			add({ check: 'Slack API reachable', status: 'fail', detail: 'No answer from the Slack API', fix: "Check the credential's API Base URL (https://slack.com/api/) and this host's network access to it." });
		} else {
			add({ check: 'Slack API reachable', status: 'pass', detail: 'Slack answered auth.test' });
			const r = slackRemedy(code ?? 'invalid_auth');
			add({ check: 'Bot token valid', status: 'fail', detail: `${code ?? 'error'}: ${r.summary}`, fix: r.fix });
		}
	}

	if (authed) {
		// 3: channels readable.
		const resolver = new ChannelResolver(client);
		let channelsOk = false;
		try {
			const all = await resolver.all();
			channelsOk = true;
			add({ check: 'Channels readable', status: 'pass', detail: `${all.length} channels visible, bot is a member of ${all.filter((c) => c.isMember).length}` });
		} catch (error) {
			const code = slackErrorCode(error) ?? 'error';
			const data = (error as { data?: { needed?: string; provided?: string } }).data;
			const r = slackRemedy(code, { needed: data?.needed, provided: data?.provided });
			add({ check: 'Channels readable', status: 'fail', detail: `${code}: ${r.summary}`, fix: r.fix });
		}

		// 4: membership in the channels the workflow posts to.
		const wanted = toTextList(this, this.getNodeParameter('checkChannels', 0, ''), 0, 'Channels to Check');
		for (const ref of wanted) {
			const check = `Can post in ${ref}`;
			try {
				const known = channelsOk || !ref.startsWith('#') ? await resolver.resolve(ref) : undefined;
				if (!known) throw new ChannelNotFound(ref.replace(/^#/, ''));
				const info = (await client.conversations.info({ channel: known.id })).channel as IDataObject | undefined;
				const label = info?.name ? `#${String(info.name)}` : ref;
				if (info?.is_archived) add({ check, status: 'fail', detail: `${label} is archived`, fix: 'Unarchive it or route to another channel.' });
				else if (info?.is_member) add({ check, status: 'pass', detail: `Bot is a member of ${label}` });
				else if (info?.is_private) add({ check, status: 'fail', detail: `Bot is not in private channel ${label}`, fix: `Type /invite @your-bot in ${label}.` });
				else add({ check, status: 'fail', detail: `Bot is not in ${label}`, fix: `Type /invite @your-bot in ${label}, or turn on "Join Public Channels" (needs channels:join).` });
			} catch (error) {
				if (error instanceof ChannelNotFound) {
					add({ check, status: 'fail', detail: `No channel ${ref} visible to the bot`, fix: 'Check the name; for a private channel invite the bot and grant groups:read.' });
				} else {
					const code = slackErrorCode(error) ?? 'error';
					const r = slackRemedy(code, { channel: ref });
					add({ check, status: 'fail', detail: `${code}: ${r.summary}`, fix: r.fix });
				}
			}
		}

		// 5: scopes, from the X-OAuth-Scopes header of auth.test.
		if (!scopes) {
			add({ check: 'Scopes', status: 'warn', detail: 'Slack did not report the granted scopes (no X-OAuth-Scopes header)', fix: 'Compare the app\'s "OAuth & Permissions" page with the list in the node docs.' });
		} else {
			for (const s of SCOPES) {
				const granted = scopes.includes(s.scope);
				add({
					check: `Scope ${s.scope}`,
					status: granted ? 'pass' : s.required ? 'fail' : 'warn',
					detail: granted ? `granted (${s.for})` : `not granted: needed for ${s.for}`,
					...(granted ? {} : { fix: `Add ${s.scope} under "OAuth & Permissions" > Bot Token Scopes, reinstall the app and copy the new token.` }),
				});
			}
		}
	}
	add({
		check: 'Event subscriptions',
		status: 'warn',
		detail: 'Cannot be checked with a bot token: Slack does not expose the app configuration',
		fix: 'In the Slack app, Event Subscriptions and Interactivity must point at the Slack Interaction Trigger URL (Slack verifies it when you save).',
	});

	return lines.map((l) => ({
		json: { ...l, line: `${l.status.toUpperCase()} ${l.check}: ${l.detail}${l.fix ? ` -> ${l.fix}` : ''}` } as IDataObject,
		pairedItem: { item: 0 },
	}));
}
