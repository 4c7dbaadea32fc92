/**
 * Slack Interaction Trigger in a real n8n (2.40.x) with the packed package, driven by the Slack emulator's signed
 * requests over HTTP: the shipped example (button click -> Brevo contact updated), every payload kind reaching a
 * workflow, modal validation answered by the workflow's last node, bad inputs refused without an execution,
 * retried deliveries deduplicated across an n8n restart, and activation refused without a usable secret.
 */
import { readFileSync } from 'node:fs';

import { WebClient } from '@slack/web-api';

import {
	brevo,
	channel,
	e2e,
	example,
	executionIds,
	n8n,
	nodeOutput,
	post,
	restartN8n,
	slack,
	slackSignature,
	waitFor,
	waitForExecution,
	webhookUrl,
} from './support';

type HttpResult = { status: number; body: string; headers: Record<string, string> };

const state = e2e();
const TRIGGER_TYPE = `${state.pkg.name}.slackInteractionTrigger`;

/** A view_closed payload (the emulator has no builder for it): the shape Slack sends when notify_on_close is set. */
const viewClosed = () => ({
	type: 'view_closed',
	team: { id: state.slack.teamId, domain: 'demo' },
	user: { id: 'U0ADMIN001', username: 'alex.admin', name: 'alex.admin', team_id: state.slack.teamId },
	api_app_id: 'A0E2E',
	view: { id: 'V0E2ECLOSE', type: 'modal', callback_id: 'new_contact', private_metadata: '', state: { values: {} }, title: { type: 'plain_text', text: 'New contact' } },
	is_cleared: false,
});

/** The trigger item of an execution. */
const triggerItem = (execution: Parameters<typeof nodeOutput>[0], nodeName = 'Slack') => nodeOutput(execution, nodeName)[0] as Record<string, any>;

async function postMessageWithButtons(channelId: string, email: string) {
	const web = new WebClient(state.slack.botToken, { slackApiUrl: state.slack.apiUrl });
	const posted = await web.chat.postMessage({
		channel: channelId,
		text: `High-value order from ${email}`,
		blocks: [
			{ type: 'section', block_id: 'order', text: { type: 'mrkdwn', text: `*High-value order* from ${email}` } },
			{
				type: 'actions',
				block_id: 'lead_actions',
				elements: [
					{ type: 'button', action_id: 'lead_vip', text: { type: 'plain_text', text: 'VIP' }, value: email },
					{ type: 'button', action_id: 'lead_lost', text: { type: 'plain_text', text: 'Not interested' }, value: email },
				],
			},
		],
	});
	return { channel: posted.channel as string, ts: posted.ts as string };
}

/** Executions finished after `before`, most recent first, once there are at least `n` of them. */
async function newExecutions(workflowId: string, before: Set<string>, n: number) {
	const client = await n8n();
	const FINISHED = ['success', 'error', 'crashed', 'canceled'];
	const fresh = await waitFor(`${n} new finished execution(s) of workflow ${workflowId}`, async () => {
		const list = (await client.executions({ workflowId }, 250)).filter((e) => !before.has(e.id));
		return list.length >= n && list.every((e) => FINISHED.includes(e.status)) ? list : undefined;
	});
	return await Promise.all(fresh.map(async (e) => await client.execution(e.id)));
}

describe('examples/slack-button-to-brevo-contact.json, published in n8n', () => {
	it('a click on "Not interested" sets LEAD_STATUS on the Brevo contact and replaces the clicked buttons', async () => {
		const ex = example('slack-button-to-brevo-contact.json');
		expect(ex.active).toBe(true);
		await brevo('addAttribute', { name: 'LEAD_STATUS', category: 'normal', type: 'text' });
		const url = await webhookUrl(ex.id, 'Slack Interaction Trigger');
		const before = await executionIds(ex.id);

		const { channel: channelId, ts } = await postMessageWithButtons(channel('sales'), 'linus@example.com');
		// `actions` without a value: the emulator takes value and label from the clicked element, as Slack does.
		const click = await slack('buildBlockActions', { channel: channelId, messageTs: ts, actions: [{ action_id: 'lead_lost' }] });
		const answer = await slack<HttpResult>('sendInteraction', url, click, { signingSecret: state.signingSecret });
		expect(answer.status).toBe(200);
		expect(answer.body).toBe('');

		const execution = await waitForExecution(ex.id, before);
		expect(execution.status).toBe('success');
		expect(triggerItem(execution, 'Slack Interaction Trigger')).toMatchObject({ type: 'block_actions', action: { action_id: 'lead_lost', value: 'linus@example.com', label: 'Not interested' } });
		const contact = await brevo<{ attributes: Record<string, unknown> }>('contact', 'linus@example.com');
		expect(contact.attributes).toMatchObject({ FIRSTNAME: 'Linus', LEAD_STATUS: 'Not interested' });
		const effects = (await slack<Array<{ ts?: string; kind: string; body: { blocks?: unknown[] } }>>('responseEffects')).filter((e) => e.ts === ts);
		expect(effects.map((e) => e.kind)).toEqual(['replaced']);
		expect(JSON.stringify(effects[0].body.blocks)).toContain('linus@example.com set to *Not interested* in Brevo by <@');
	});
});

describe('a workflow with the trigger (modal validation by the last node)', () => {
	const SECRET = () => state.signingSecret;
	let workflowId = '';
	let url = '';

	beforeAll(async () => {
		const client = await n8n();
		const created = await client.createWorkflow({
			name: `Slack trigger e2e (${Date.now().toString(36)})`,
			nodes: [
				{
					id: 'e2e-trigger',
					name: 'Slack',
					type: TRIGGER_TYPE,
					typeVersion: 1,
					position: [0, 0],
					webhookId: `slack-trigger-e2e-${Date.now().toString(36)}`,
					parameters: { modalAnswer: 'lastNode' },
					credentials: { slackBrevoSigningSecretApi: { id: 'slack-signing', name: 'Slack signing secret (emulator)' } },
				},
				{
					id: 'e2e-validate',
					name: 'Validate',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [250, 0],
					parameters: {
						jsCode: [
							'const it = $input.first().json;',
							"if (it.type === 'view_submission' && !String(it.values.email ?? '').includes('@')) {",
							"  return [{ json: { response_action: 'errors', errors: { email_block: 'Please enter a valid email' } } }];",
							'}',
							"return [{ json: { response_action: 'clear' } }];",
						].join('\n'),
					},
				},
			],
			connections: { Slack: { main: [[{ node: 'Validate', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		workflowId = created.id;
		await client.activateWorkflow(workflowId);
		url = await webhookUrl(workflowId, 'Slack');
	});

	afterAll(async () => {
		if (workflowId) await (await n8n()).deactivateWorkflow(workflowId).catch(() => undefined);
	});

	it('answers url_verification with the challenge', async () => {
		const r = await slack<HttpResult>('sendEvent', url, { token: 'x', challenge: 'e2e-challenge-42', type: 'url_verification' }, { signingSecret: SECRET() });
		expect(r.status).toBe(200);
		expect(JSON.parse(r.body)).toEqual({ challenge: 'e2e-challenge-42' });
	});

	it('view_submission is answered with the workflow result: errors for a bad email, clear for a good one', async () => {
		const bad = await slack('buildViewSubmission', {
			callbackId: 'new_contact',
			values: { email_block: { email: { type: 'email_text_input', value: 'not-an-email' } } },
		});
		const r1 = await slack<HttpResult>('sendInteraction', url, bad, { signingSecret: SECRET() });
		expect(r1.status).toBe(200);
		expect(JSON.parse(r1.body)).toEqual({ response_action: 'errors', errors: { email_block: 'Please enter a valid email' } });
		const good = await slack('buildViewSubmission', { callbackId: 'new_contact' });
		const r2 = await slack<HttpResult>('sendInteraction', url, good, { signingSecret: SECRET() });
		expect(r2.status).toBe(200);
		expect(JSON.parse(r2.body)).toEqual({ response_action: 'clear' });
	});

	it('each payload kind and the Events API types reach the workflow with the normalised item, answered at once with an empty 200', async () => {
		const before = await executionIds(workflowId);
		const sig = { signingSecret: SECRET() };
		const answers = [
			await slack<HttpResult>('sendInteraction', url, await slack('buildBlockActions', { channel: channel('marketing') }), sig),
			await slack<HttpResult>('sendInteraction', url, await slack('buildMessageAction', { channel: channel('marketing'), callbackId: 'add_to_list' }), sig),
			await slack<HttpResult>('sendInteraction', url, await slack('buildShortcut', { callbackId: 'open_form' }), sig),
			await slack<HttpResult>('sendSlashCommand', url, await slack('buildSlashCommand', { command: '/brevo', text: 'subscribe ada@example.com' }), sig),
			await slack<HttpResult>('sendEvent', url, { type: 'app_mention', user: 'U0ADMIN001', text: 'hi', ts: '1700000000.000100', channel: 'C0E2E' }, sig),
			await slack<HttpResult>('sendInteraction', url, viewClosed(), sig),
			await slack<HttpResult>('sendEvent', url, { type: 'message', channel: 'C0E2E', user: 'U0ADMIN001', text: 'hello', ts: '1700000000.000200', channel_type: 'channel' }, sig),
			await slack<HttpResult>('sendEvent', url, { type: 'link_shared', channel: 'C0E2E', user: 'U0ADMIN001', message_ts: '1700000000.000300', unfurl_id: 'C0E2E.1700000000.000300.x', source: 'conversations_history', links: [{ domain: 'app.brevo.com', url: 'https://app.brevo.com/contact/index/1' }] }, sig),
			await slack<HttpResult>('sendEvent', url, { type: 'team_join', user: { id: 'U0E2ENEW01', name: 'newbie', real_name: 'New Person', is_bot: false, profile: { email: 'new@example.com', real_name: 'New Person' } } }, sig),
			await slack<HttpResult>('sendEvent', url, { type: 'user_change', user: { id: 'U0ADMIN001', name: 'alex.admin', is_bot: false, profile: { real_name: 'Alex A.' } } }, sig),
		];
		expect(answers.map((a) => [a.status, a.body])).toEqual(answers.map(() => [200, '']));
		const executions = await newExecutions(workflowId, before, answers.length);
		expect(executions.map((e) => e.status)).toEqual(answers.map(() => 'success'));
		const items = executions.map((e) => triggerItem(e));
		const byType = Object.fromEntries(items.map((i) => [i.type === 'event' ? `event:${i.event_type}` : i.type, i]));
		expect(Object.keys(byType).sort()).toEqual([
			'block_actions',
			'event:app_mention',
			'event:link_shared',
			'event:message',
			'event:team_join',
			'event:user_change',
			'message_action',
			'shortcut',
			'slash_command',
			'view_closed',
		]);
		expect(byType.block_actions).toMatchObject({ action: { action_id: 'approve' }, channel: { name: 'marketing' }, trigger_id: expect.any(String), response_url: expect.stringContaining(state.slack.url) });
		expect(Date.parse(byType.block_actions.trigger_id_expires_at) - Date.parse(byType.block_actions.received_at)).toBe(3000);
		expect(byType.block_actions.raw.token).toBeUndefined();
		expect(byType.message_action).toMatchObject({ callback_id: 'add_to_list', message: { ts: expect.any(String) } });
		expect(byType.shortcut).toMatchObject({ callback_id: 'open_form', channel: null });
		expect(byType.slash_command).toMatchObject({ command: { name: '/brevo', text: 'subscribe ada@example.com' } });
		expect(byType['event:app_mention']).toMatchObject({ channel: { id: 'C0E2E' }, event_id: expect.stringMatching(/^Ev/), message: { ts: '1700000000.000100' } });
		expect(byType['event:message']).toMatchObject({ message: { text: 'hello' }, user: { id: 'U0ADMIN001' } });
		expect(byType['event:link_shared']).toMatchObject({ event: { links: [{ domain: 'app.brevo.com' }] } });
		expect(byType['event:team_join']).toMatchObject({ user: { id: 'U0E2ENEW01', email: 'new@example.com', real_name: 'New Person' } });
		expect(byType['event:user_change']).toMatchObject({ user: { id: 'U0ADMIN001' } });
		expect(byType.view_closed).toMatchObject({ callback_id: 'new_contact' });
	});

	it('bad inputs are refused and start no execution; the log names the reason, never the secret', async () => {
		const before = await executionIds(workflowId);
		const now = Math.floor(Date.now() / 1000);
		const body = `payload=${encodeURIComponent(JSON.stringify(await slack('buildShortcut', {})))}`;
		const FORM = 'application/x-www-form-urlencoded';
		const signed = (b: string, contentType = FORM, ts = now) => ({ 'content-type': contentType, ...slackSignature(b, SECRET(), ts) });
		const unknownType = `payload=${encodeURIComponent('{"type":"dialog_submission"}')}`;
		const big = `payload=${'x'.repeat(1100 * 1024)}`;
		const cases: Array<[string, string, Record<string, string>, number]> = [
			['no signature headers', body, { 'content-type': FORM }, 401],
			['malformed signature', body, { ...signed(body), 'x-slack-signature': 'v0=nothex' }, 401],
			['wrong secret', body, { 'content-type': FORM, ...slackSignature(body, 'ffffffffffffffffffffffffffffffff', now) }, 401],
			['stale timestamp', body, signed(body, FORM, now - 600), 401],
			['future timestamp', body, signed(body, FORM, now + 600), 401],
			['body changed after signing', body.replace('shortcut', 'shortcuT'), signed(body), 401],
			['form without payload', 'foo=bar', signed('foo=bar'), 400],
			['payload not JSON', 'payload=%7Bnope', signed('payload=%7Bnope'), 400],
			['unknown payload type', unknownType, signed(unknownType), 400],
			['oversized body', big, signed(big), 413],
			['wrong content type', '{"type":"shortcut"}', signed('{"type":"shortcut"}', 'text/plain'), 415],
			['empty body', '', signed(''), 400],
			['JSON that does not parse', '{"type":', signed('{"type":', 'application/json'), 422],
		];
		const statuses: Array<[string, number]> = [];
		for (const [label, b, headers] of cases) statuses.push([label, (await post(url, b, headers)).status]);
		expect(statuses).toEqual(cases.map(([label, , , status]) => [label, status]));

		// A genuine request last: once its execution is recorded, one a refused request had started would be too.
		const r = await slack<HttpResult>('sendInteraction', url, await slack('buildShortcut', { callbackId: 'after_bad_inputs' }), { signingSecret: SECRET() });
		expect(r.status).toBe(200);
		const execution = await waitForExecution(workflowId, before);
		expect([...(await executionIds(workflowId))].filter((id) => !before.has(id))).toEqual([execution.id]);
		expect(triggerItem(execution)).toMatchObject({ type: 'shortcut', callback_id: 'after_bad_inputs' });
		const log = readFileSync(state.n8n.logFile, 'utf8');
		expect(log).toMatch(/Slack Interaction Trigger refused a request \(401 signature_mismatch\)/);
		expect(log).toMatch(/Slack Interaction Trigger refused a request \(401 stale_timestamp\)/);
		expect(log).not.toContain(SECRET());
	});

	it('a retried event after an n8n restart starts nothing (duplicate memory in the workflow static data)', async () => {
		const eventId = `EvE2E${Date.now().toString(36).toUpperCase()}`;
		const event = { type: 'app_mention', user: 'U0ADMIN001', text: 'dedup', ts: '1700000001.000100', channel: 'C0E2E' };
		const before = await executionIds(workflowId);
		const first = await slack<HttpResult>('sendEvent', url, event, { signingSecret: SECRET(), eventId });
		expect(first.status).toBe(200);
		await waitForExecution(workflowId, before);

		await restartN8n();
		await waitFor('the trigger to answer again', async () => (await post(url, '', {})).status === 401);

		const retry = await slack<HttpResult>('sendEvent', url, event, { signingSecret: SECRET(), eventId, retryNum: 1, retryReason: 'http_timeout' });
		expect(retry.status).toBe(200);
		const fresh = await slack<HttpResult>('sendEvent', url, { ...event, text: 'fresh' }, { signingSecret: SECRET(), eventId: `${eventId}B` });
		expect(fresh.status).toBe(200);
		const executions = await newExecutions(workflowId, before, 2);
		expect(executions.map((e) => triggerItem(e).event_id).sort()).toEqual([eventId, `${eventId}B`].sort());
		expect(readFileSync(state.n8n.logFile, 'utf8')).toContain(`${eventId} it had already received (Slack retry 1, http_timeout)`);
	});
});

describe('activation', () => {
	it('is refused with a clear message when the signing secret is a pasted bot token', async () => {
		const client = await n8n();
		const credential = await client.request<{ id: string }>('POST', '/rest/credentials', {
			name: 'Slack signing secret (wrong: a token)',
			type: 'slackBrevoSigningSecretApi',
			data: { signingSecret: 'xoxb-000000000-not-a-signing-secret' },
		});
		const webhookId = `slack-trigger-e2e-bad-${Date.now().toString(36)}`;
		const created = await client.createWorkflow({
			name: `Slack trigger e2e, bad secret (${Date.now().toString(36)})`,
			nodes: [
				{
					id: 'bad-trigger',
					name: 'Slack',
					type: TRIGGER_TYPE,
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					parameters: {},
					credentials: { slackBrevoSigningSecretApi: { id: credential.id, name: 'Slack signing secret (wrong: a token)' } },
				},
			],
			connections: {},
		});
		await expect(client.activateWorkflow(created.id)).rejects.toThrow(/looks like a Slack token \(xox\.\.\.\/xapp-\.\.\.\), not the signing secret/);
		const unsigned = await post(`${state.n8n.baseUrl}/webhook/${webhookId}/slack`, 'payload=%7B%7D', { 'content-type': 'application/x-www-form-urlencoded' });
		expect(unsigned.status).toBe(404);
		expect(readFileSync(state.n8n.logFile, 'utf8')).not.toContain('xoxb-000000000-not-a-signing-secret');
	});
});
