/**
 * Slack's documented payloads (test/fixtures/slack, sources in its README) delivered to a published Slack Interaction
 * Trigger in a real n8n: each signed with the run's signing secret and posted with the body and content type Slack
 * uses (JSON for the Events API, `payload=` form for interactivity, form fields for slash commands). Each request that
 * carries work starts one execution whose trigger item is checked; url_verification is answered with the challenge and
 * app_rate_limited starts nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { e2e, executionIds, n8n, nodeOutput, post, removeWorkflow, slackSignature, waitFor, webhookUrl } from './support';

const state = e2e();
const TRIGGER_TYPE = `${state.pkg.name}.slackInteractionTrigger`;
const DIR = join(__dirname, '..', 'fixtures', 'slack');
const RUN = Date.now().toString(36);
const INTERACTIONS = new Set(['block_actions', 'view_submission', 'view_closed', 'message_action', 'shortcut']);

const fixture = (name: string): Record<string, any> => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8'));

/** The fixture as Slack sends it; Events API fixtures get their own event_id (the doc examples all share one). */
function request(name: string, change: Record<string, unknown> = {}): { body: string; headers: Record<string, string> } {
	const f = { ...fixture(name), ...change };
	let body: string;
	let contentType = 'application/x-www-form-urlencoded';
	if (name === 'slash_command') body = new URLSearchParams(f).toString();
	else if (INTERACTIONS.has(f.type)) body = `payload=${encodeURIComponent(JSON.stringify(f))}`;
	else {
		if (f.type === 'event_callback') f.event_id = `Ev${RUN.toUpperCase()}${name.toUpperCase().replace(/[^A-Z]/g, '')}`;
		body = JSON.stringify(f);
		contentType = 'application/json';
	}
	return { body, headers: { 'content-type': contentType, ...slackSignature(body, state.signingSecret) } };
}

/** What each fixture's trigger item must show in n8n (the same reading as the normalisation test). */
const EXPECTED: Record<string, Record<string, unknown>> = {
	app_mention: { type: 'event', event_type: 'app_mention', channel: { id: 'C123ABC456' }, user: { id: 'U061F7AUR' }, message: { ts: '1515449522.000016' } },
	message: { type: 'event', event_type: 'message', channel: { id: 'C123ABC456' }, message: { text: 'Live long and prospect.' } },
	message_changed: { type: 'event', event_type: 'message', user: { id: 'U123ABC456' }, message: { text: 'Hello, world!' } },
	message_channel_join: { type: 'event', event_type: 'message', user: { id: 'U2147483828' }, event: { subtype: 'channel_join' } },
	team_join: { type: 'event', event_type: 'team_join', user: { id: 'U1234567', email: 'some.user@example.com', real_name: 'Some User' } },
	user_change: { type: 'event', event_type: 'user_change', user: { id: 'U1234567', email: 'some.user@example.com' } },
	link_shared: { type: 'event', event_type: 'link_shared', channel: { id: 'C123ABC456' }, message: { ts: '123456789.9875' }, event: { source: 'conversations_history' } },
	reaction_added: { type: 'event', event_type: 'reaction_added', channel: { id: 'C123ABC456' }, event: { reaction: 'thumbsup' } },
	member_joined_channel: { type: 'event', event_type: 'member_joined_channel', user: { id: 'W123ABC456' }, channel: { id: 'C123ABC456' } },
	block_actions: { type: 'block_actions', action: { action_id: 'WaXA', value: 'click_me_123' }, channel: { id: 'CBR2V3XEX', name: 'review-updates' }, message: { ts: '1548261231.000200' }, response_url: 'https://hooks.slack.com/actions/AABA1ABCD/1232321423432/D09sSasdasdAS9091209' },
	view_submission: { type: 'view_submission', callback_id: 'modal-with-inputs', values: { 'ml-value': 'This is my example inputted value' }, private_metadata: 'shhh-its-secret' },
	view_closed: { type: 'view_closed', callback_id: 'modal-with-inputs' },
	message_action: { type: 'message_action', callback_id: 'shortcut_create_task', channel: { id: 'CXXXXXXXX' }, message: { ts: '1581106239.000100' } },
	shortcut: { type: 'shortcut', callback_id: 'shortcut_create_task', channel: null },
	slash_command: { type: 'slash_command', command: { name: '/weather', text: '94070' }, channel: { id: 'C2147483705' }, team: { enterprise_id: 'E0001' } },
};

describe('Slack documented payloads reach a published Slack Interaction Trigger in n8n', () => {
	let workflowId = '';
	let url = '';

	beforeAll(async () => {
		const client = await n8n();
		const created = await client.createWorkflow({
			name: `Slack fixtures e2e (${RUN})`,
			nodes: [
				{
					id: 'fixtures-trigger',
					name: 'Slack',
					type: TRIGGER_TYPE,
					typeVersion: 1,
					position: [0, 0],
					webhookId: `slack-fixtures-e2e-${RUN}`,
					// the fixtures' users are not in the emulator's workspace: no users.info look-up
					parameters: { lookUpUser: false },
					credentials: { slackBrevoSigningSecretApi: { id: 'slack-signing', name: 'Slack signing secret (emulator)' } },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
		workflowId = created.id;
		await client.activateWorkflow(workflowId);
		url = await webhookUrl(workflowId, 'Slack');
	});

	afterAll(async () => {
		if (workflowId) await removeWorkflow(workflowId).catch(() => undefined);
	});

	it('url_verification is answered with the challenge; app_rate_limited is acknowledged and starts nothing', async () => {
		const before = await executionIds(workflowId);
		const v = request('url_verification');
		const answer = await post(url, v.body, v.headers);
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.body)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
		const r = request('app_rate_limited');
		expect((await post(url, r.body, r.headers)).status).toBe(200);
		// a genuine request last: once its execution is recorded, it must be the only new one (another action_ts than the
		// fixture's, so the next test's delivery of the fixture itself is no replay of this one)
		const g = request('shortcut', { action_ts: '1581106241.371595' });
		expect((await post(url, g.body, g.headers)).status).toBe(200);
		const client = await n8n();
		const fresh = await waitFor('the shortcut execution', async () => {
			const list = (await client.executions({ workflowId }, 50)).filter((e) => !before.has(e.id) && e.status === 'success');
			return list.length ? list : undefined;
		});
		expect(fresh).toHaveLength(1);
		expect((await executionIds(workflowId)).size).toBe(before.size + 1);
	});

	it('every other fixture starts one successful execution whose item reads as Slack documented it', async () => {
		const before = await executionIds(workflowId);
		const names = Object.keys(EXPECTED);
		for (const name of names) {
			const r = request(name);
			const answer = await post(url, r.body, r.headers);
			expect([name, answer.status]).toEqual([name, 200]);
		}
		const client = await n8n();
		const fresh = await waitFor(`${names.length} finished executions`, async () => {
			const list = (await client.executions({ workflowId }, 250)).filter((e) => !before.has(e.id));
			return list.length >= names.length && list.every((e) => ['success', 'error', 'crashed', 'canceled'].includes(e.status)) ? list : undefined;
		}, 180_000);
		expect(fresh).toHaveLength(names.length);
		expect(fresh.map((e) => e.status)).toEqual(names.map(() => 'success'));
		const items = await Promise.all(fresh.map(async (e) => nodeOutput(await client.execution(e.id), 'Slack')[0] as Record<string, any>));
		for (const name of names) {
			const want = EXPECTED[name];
			const match = items.filter((item) => {
				try {
					expect(item).toMatchObject(want);
					return true;
				} catch {
					return false;
				}
			});
			expect([name, match.length]).toEqual([name, 1]);
			// the deprecated verification token never reaches n8n's stored item
			expect(JSON.stringify(match[0])).not.toContain(String(fixture(name).token));
		}
	});
});
