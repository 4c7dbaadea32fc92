/**
 * Slack's documented payloads (test/fixtures/slack, sources in its README), sent as Slack sends them (JSON for the
 * Events API, `payload=` form for interactivity, form fields for slash commands), through the pure parser and
 * normaliser (nodes/shared/slack/interaction.ts). The same fixtures reach a real n8n in test/e2e/slack-fixtures.e2e.ts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { deliveryKey, normalizeSlackRequest, parseSlackRequest, type NormalizedItem } from '../../nodes/shared/slack/interaction';

const DIR = join(__dirname, '..', 'fixtures', 'slack');
const fixture = (name: string): Record<string, any> => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8'));
const INTERACTIONS = new Set(['block_actions', 'view_submission', 'view_closed', 'message_action', 'shortcut']);

/** The request body and content type Slack would send for a fixture. */
function wireBody(name: string): { body: string; contentType: string } {
	const f = fixture(name);
	if (name === 'slash_command') return { body: new URLSearchParams(f).toString(), contentType: 'application/x-www-form-urlencoded' };
	if (INTERACTIONS.has(f.type)) return { body: `payload=${encodeURIComponent(JSON.stringify(f))}`, contentType: 'application/x-www-form-urlencoded' };
	return { body: JSON.stringify(f), contentType: 'application/json' };
}

const RECEIVED = Date.parse('2026-12-03T12:00:00Z');
function normalized(name: string): NormalizedItem {
	const { body, contentType } = wireBody(name);
	const parsed = parseSlackRequest(Buffer.from(body), contentType);
	expect(parsed.ok).toBe(true);
	const item = normalizeSlackRequest(parsed, { receivedAtMs: RECEIVED });
	expect(item).not.toBeNull();
	// the deprecated verification token never reaches an item
	expect(JSON.stringify(item)).not.toContain(String(fixture(name).token ?? '\u0000'));
	return item!;
}

describe('every fixture is used here', () => {
	it('the directory holds exactly the fixtures these tests cover (and its README names each source)', () => {
		const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
		expect(files).toEqual([...COVERED].sort());
		const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
		for (const f of files) expect(readme).toMatch(new RegExp(`\\| \`${f}\\.json\` \\| .*https://`));
	});
});

const COVERED = [
	'url_verification', 'app_rate_limited', 'app_mention', 'message', 'message_changed', 'message_channel_join', 'team_join', 'user_change',
	'link_shared', 'reaction_added', 'member_joined_channel', 'block_actions', 'view_submission', 'view_closed', 'message_action', 'shortcut',
	'slash_command',
];

describe('Events API fixtures', () => {
	it('url_verification: the challenge, no item, no delivery key', () => {
		const { body, contentType } = wireBody('url_verification');
		const parsed = parseSlackRequest(body, contentType);
		expect(parsed).toEqual({ ok: true, kind: 'url_verification', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
		expect(normalizeSlackRequest(parsed, { receivedAtMs: RECEIVED })).toBeNull();
		expect(deliveryKey(parsed, body)).toBeNull();
	});

	it('app_rate_limited: recognised (no inner event), no item', () => {
		const { body, contentType } = wireBody('app_rate_limited');
		const parsed = parseSlackRequest(body, contentType);
		expect(parsed).toMatchObject({ ok: true, kind: 'app_rate_limited', body: { minute_rate_limited: 1518467820 } });
		expect(normalizeSlackRequest(parsed, { receivedAtMs: RECEIVED })).toBeNull();
	});

	it('app_mention: channel, user, message ts (the doc\'s event_ts has no dot), event id and time', () => {
		expect(normalized('app_mention')).toMatchObject({
			type: 'event', event_type: 'app_mention', event_id: 'Ev123ABC456', event_time: 123456789,
			team: { id: 'T123ABC456' }, user: { id: 'U061F7AUR' }, channel: { id: 'C123ABC456' },
			message: { ts: '1515449522.000016', text: '<@U0LAN0Z89> is it everything a river should be?', user: 'U061F7AUR', thread_ts: null, bot_id: null },
		});
	});

	it('message (message.channels)', () => {
		expect(normalized('message')).toMatchObject({
			event_type: 'message', channel: { id: 'C123ABC456' }, user: { id: 'U123ABC456' },
			message: { ts: '1355517523.000005', text: 'Live long and prospect.' }, event_time: 1355517523,
		});
	});

	it('message_changed: the edited message inside, its author as the user', () => {
		expect(normalized('message_changed')).toMatchObject({
			event_type: 'message', user: { id: 'U123ABC456' }, channel: { id: 'C123ABC456' },
			message: { ts: '1355517523.000005', text: 'Hello, world!', user: 'U123ABC456' },
			event: { subtype: 'message_changed', hidden: true },
		});
	});

	it('message subtype channel_join: no channel in the doc example, the joining user and the inviter kept', () => {
		const item = normalized('message_channel_join');
		expect(item).toMatchObject({ event_type: 'message', user: { id: 'U2147483828' }, channel: null, message: { ts: '1358877458.000011' }, event: { subtype: 'channel_join', inviter: 'U123456789' } });
	});

	it('team_join: the full user object with profile email and real name', () => {
		expect(normalized('team_join')).toMatchObject({
			event_type: 'team_join', channel: null,
			user: { id: 'U1234567', username: 'some-user', name: 'some-user', team_id: 'T1234567', real_name: 'Some User', email: 'some.user@example.com', is_bot: false },
		});
	});

	it('user_change: the changed user', () => {
		expect(normalized('user_change')).toMatchObject({ event_type: 'user_change', user: { id: 'U1234567', real_name: 'Some User', email: 'some.user@example.com' }, event: { user: { profile: { status_text: 'on a plane' } } } });
	});

	it('link_shared: links, unfurl_id, source, and the message it was shared in (message_ts is not a 6-digit ts)', () => {
		const item = normalized('link_shared');
		expect(item).toMatchObject({
			event_type: 'link_shared', channel: { id: 'C123ABC456' }, user: { id: 'U123ABC456' },
			message: { ts: '123456789.9875', thread_ts: '123456621.1855' },
			event: { unfurl_id: expect.stringMatching(/^C123456\./), source: 'conversations_history' },
		});
		expect(item.event!.links).toHaveLength(3);
	});

	it('reaction_added: the channel comes from item.channel', () => {
		expect(normalized('reaction_added')).toMatchObject({ event_type: 'reaction_added', user: { id: 'U123ABC456' }, channel: { id: 'C123ABC456' }, event: { reaction: 'thumbsup', item_user: 'U222222222' } });
	});

	it('member_joined_channel: an Enterprise user id (W...) and the channel', () => {
		expect(normalized('member_joined_channel')).toMatchObject({ event_type: 'member_joined_channel', user: { id: 'W123ABC456' }, channel: { id: 'C123ABC456' }, event: { inviter: 'U123456789' } });
	});

	it('Events API fixtures are keyed by event_id for retry detection', () => {
		const { body, contentType } = wireBody('reaction_added');
		expect(deliveryKey(parseSlackRequest(body, contentType), body)).toBe('ev:Ev123ABC456');
	});
});

describe('interactivity fixtures', () => {
	it('block_actions (a button in a message attachment): action, channel, message, trigger_id and response_url', () => {
		const item = normalized('block_actions');
		expect(item).toMatchObject({
			type: 'block_actions', team: { id: 'T9TK3CUKW', domain: 'example' }, user: { id: 'UA8RXUSPL', username: 'jtorrance', team_id: 'T9TK3CUKW' },
			channel: { id: 'CBR2V3XEX', name: 'review-updates' },
			action: { action_id: 'WaXA', block_id: '=qXel', type: 'button', value: 'click_me_123', label: 'View', action_ts: '1548426417.840180' },
			message: { ts: '1548261231.000200', bot_id: 'BAH5CA16Z', user: 'UAJ2RU415' },
			trigger_id: '12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3', trigger_id_expires_at: '2026-12-03T12:00:03.000Z',
			response_url: 'https://hooks.slack.com/actions/AABA1ABCD/1232321423432/D09sSasdasdAS9091209',
		});
		expect(item.actions).toHaveLength(1);
		expect(item.raw.token).toBeUndefined();
	});

	it('view_submission: values by action_id and by block, callback_id, private_metadata, response_urls', () => {
		const item = normalized('view_submission');
		expect(item).toMatchObject({
			type: 'view_submission', callback_id: 'modal-with-inputs', private_metadata: 'shhh-its-secret',
			values: { 'ml-value': 'This is my example inputted value' }, state: { 'multi-line': { 'ml-value': 'This is my example inputted value' } },
			view: { id: 'VNHU13V36', hash: '156663117.cd33ad1f', title: 'Modal with inputs' },
			response_urls: [{ block_id: 'block_id_value', action_id: 'action_id_value', channel_id: 'channel_id_value', response_url: 'response_url_value' }],
			response_url: 'response_url_value', trigger_id: '12466734323.1395872398.4ea84fe5baa69d8e0a0c1c9dd7dddf1a',
		});
	});

	it('view_submission from an org-wide install: team is null (documented), the item still has the user', () => {
		const { body, contentType } = (() => {
			const f = { ...fixture('view_submission'), team: null };
			return { body: `payload=${encodeURIComponent(JSON.stringify(f))}`, contentType: 'application/x-www-form-urlencoded' };
		})();
		const item = normalizeSlackRequest(parseSlackRequest(body, contentType), { receivedAtMs: RECEIVED })!;
		expect(item).toMatchObject({ team: { id: null, domain: null }, user: { id: 'UA8RXUSPL', team_id: 'T0CAG3ECE' }, callback_id: 'modal-with-inputs' });
	});

	it('view_closed: callback_id, no trigger_id', () => {
		expect(normalized('view_closed')).toMatchObject({ type: 'view_closed', callback_id: 'modal-with-inputs', trigger_id: null, view: { id: 'VNHU13V36', root_view_id: 'VNHU13V36' }, raw: { is_cleared: false } });
	});

	it('message_action: callback_id, the message, the channel, a response_url', () => {
		expect(normalized('message_action')).toMatchObject({
			type: 'message_action', callback_id: 'shortcut_create_task', channel: { id: 'CXXXXXXXX', name: 'general' },
			message: { ts: '1581106239.000100', text: 'Can someone follow up with the Brevo list?' },
			response_url: 'https://hooks.slack.com/app/TXXXXXXXX/1234567890/abcdefghijklmnop', trigger_id: expect.any(String),
		});
	});

	it('shortcut (global): callback_id and trigger_id, no channel and no response_url', () => {
		expect(normalized('shortcut')).toMatchObject({ type: 'shortcut', callback_id: 'shortcut_create_task', channel: null, response_url: null, trigger_id: '944799105734.773906753841.38b5894552bdd4a780554ee59d1f3638', user: { id: 'UXXXXXXXXX', username: 'aman' } });
	});

	it('slash command form fields: command, text, enterprise, channel, response_url', () => {
		expect(normalized('slash_command')).toMatchObject({
			type: 'slash_command', command: { name: '/weather', text: '94070' }, team: { id: 'T0001', domain: 'example', enterprise_id: 'E0001' },
			user: { id: 'U2147483697', username: 'Steve' }, channel: { id: 'C2147483705', name: 'test' },
			response_url: 'https://hooks.slack.com/commands/1234/5678', trigger_id: '13345224609.738474920.8088930838d88f008e0',
		});
	});
});

describe('the Slack emulator\'s builders carry every documented field', () => {
	// Fields the documentation marks as conditional: Enterprise Grid only, the older `authed_users` wrapper (replaced by
	// `authorizations`), a link's thread only when shared in a thread.
	const OPTIONAL: Record<string, string[]> = { slash_command: ['enterprise_id', 'enterprise_name'], link_shared: ['authed_users', 'event.thread_ts'] };
	let emu: import('../emulators/slack').SlackEmulator;
	beforeAll(async () => {
		const { startSlackEmulator } = await import('../emulators/slack');
		emu = await startSlackEmulator();
	});
	afterAll(async () => await emu.close());

	it('block_actions, view_submission, view_closed, message_action, shortcut, slash command, link_shared and app_mention wrappers', () => {
		const e = emu as any;
		const built: Record<string, Record<string, any>> = {
			block_actions: e.buildBlockActions({}),
			view_submission: e.buildViewSubmission({ callbackId: 'c', values: {} }),
			view_closed: e.buildViewClosed({}),
			message_action: e.buildMessageAction({}),
			shortcut: e.buildShortcut({}),
			slash_command: e.buildSlashCommand({ command: '/x' }),
			link_shared: e.buildEventCallback(e.buildLinkSharedEvent({})),
			app_mention: e.buildEventCallback({ type: 'app_mention', user: 'U1', text: 'x', ts: '1700000000.000100', channel: 'C1' }),
		};
		for (const [name, b] of Object.entries(built)) {
			const doc = fixture(name);
			const optional = OPTIONAL[name] ?? [];
			const missing = [
				...Object.keys(doc).filter((k) => !(k in b)),
				...(doc.event ? Object.keys(doc.event).filter((k) => !(k in b.event)).map((k) => `event.${k}`) : []),
			].filter((k) => !optional.includes(k));
			expect([name, missing]).toEqual([name, []]);
		}
	});
});
