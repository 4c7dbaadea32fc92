/**
 * The Slack Interaction Trigger through the trigger harness (n8n-core WebhookContext / HookContext behind a real
 * node:http server), with requests signed and sent by the Slack emulator the way Slack sends them.
 */
import { SlackInteractionTrigger } from '../../nodes/SlackInteractionTrigger/SlackInteractionTrigger.node';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { post } from '../emulators/slack/sender';
import { signSlackRequest } from '../emulators/slack/signing';
import { startTriggerServer, testCredential, triggerHooks, type Delivery, type TriggerServer } from '../harness';
import { appMentionEvent, viewClosedPayload } from './payloads';

const SECRET = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const signing = { slackBrevoSigningSecretApi: { signingSecret: SECRET } };
const now = () => Math.floor(Date.now() / 1000);

let slack: SlackEmulator;
beforeAll(async () => {
	slack = await startSlackEmulator();
	slack.addUser({ id: 'U0ADA00001', name: 'ada', real_name: 'Ada Lovelace', profile: { real_name: 'Ada Lovelace', display_name: 'ada', email: 'ada@example.com' } });
});
afterAll(async () => await slack.close());

const servers: TriggerServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (s) => await s.close()));
});

async function trigger(parameters: Record<string, unknown> = {}, o: { staticData?: object; credentials?: object } = {}) {
	const server = await startTriggerServer(SlackInteractionTrigger, {
		parameters,
		credentials: { ...signing, ...(o.credentials ?? {}) } as never,
		staticData: o.staticData as never,
	});
	servers.push(server);
	await server.hooks.activate();
	return server;
}

/** The one delivery a send produced. */
async function last(server: TriggerServer, send: Promise<unknown>): Promise<Delivery> {
	const before = server.deliveries.length;
	await send;
	const all = await server.waitForDeliveries(before + 1);
	return all[before];
}

function expectNothingStarted(d: Delivery) {
	expect(d.workflowData).toBeUndefined();
	expect(d.emitted).toEqual([]);
	expect(d.error).toBeUndefined();
}

function expectNoSecretAnywhere(d: Delivery) {
	const text = [d.body, ...d.logs.map((l) => l.text), JSON.stringify(d.emitted)].join('\n');
	expect(text).not.toContain(SECRET);
	expect(text).not.toContain('Shh_its_a_seekrit');
}

describe('activation (webhookMethods)', () => {
	it('activates with a signing secret and deactivates', async () => {
		const hooks = triggerHooks(SlackInteractionTrigger, { credentials: signing });
		const calls = await hooks.activate();
		expect(calls.map((c) => [c.method, c.result])).toEqual([
			['checkExists', false],
			['create', true],
		]);
		expect((await hooks.deactivate()).map((c) => c.result)).toEqual([true]);
	});

	it.each([
		['an empty secret', { signingSecret: '' }, /signing secret is empty/],
		['a bot token', { signingSecret: 'xoxb-1111-2222-abcdefabcdef' }, /looks like a Slack token/],
		['a secret with a line break', { signingSecret: `${SECRET}\n` }, /spaces or line breaks/],
	])('refuses to activate with %s', async (_label, credential, message) => {
		const hooks = triggerHooks(SlackInteractionTrigger, { credentials: { slackBrevoSigningSecretApi: credential } });
		await expect(hooks.activate()).rejects.toThrow(message);
		const error = await hooks.create().catch((e: Error) => e);
		expect((error as Error).name).toBe('NodeOperationError');
		expect(String((error as Error).message)).not.toContain('xoxb-1111');
	});

	it('refuses to activate without a signing-secret credential', async () => {
		const hooks = triggerHooks(SlackInteractionTrigger, { credentials: {} });
		await expect(hooks.activate()).rejects.toThrow(/No Slack signing secret credential is selected/);
	});

	it('refuses to activate with an invalid filter pattern, naming the field', async () => {
		const hooks = triggerHooks(SlackInteractionTrigger, { credentials: signing, parameters: { filters: { actionIds: 'ok, /[unclosed/' } } });
		await expect(hooks.activate()).rejects.toThrow(/Filters > Action IDs: "\/\[unclosed\/" is not a valid regular expression/);
	});

	it('refuses to activate when user lookups are on without a bot token', async () => {
		const hooks = triggerHooks(SlackInteractionTrigger, { credentials: signing, parameters: { lookUpUser: true } });
		await expect(hooks.activate()).rejects.toThrow(/no Slack bot token credential is selected/);
	});

	it('tests the signing-secret credential offline through testedBy', async () => {
		const ok = await testCredential('slackBrevoSigningSecretApi', { signingSecret: SECRET });
		expect(ok.status).toBe('OK');
		const bad = await testCredential('slackBrevoSigningSecretApi', { signingSecret: 'xoxb-123-456-abc' });
		expect(bad).toMatchObject({ status: 'Error', message: expect.stringContaining('Slack token') });
	});
});

describe('each payload type reaches the workflow', () => {
	it('url_verification is answered with the challenge, nothing starts', async () => {
		const server = await trigger();
		const r = await slack.sendEvent(server.url, { token: 'Shh_its_a_seekrit', challenge: 'c4all3nge-Xyz', type: 'url_verification' }, { signingSecret: SECRET });
		expect(r.status).toBe(200);
		expect(JSON.parse(r.body)).toEqual({ challenge: 'c4all3nge-Xyz' });
		expectNothingStarted(server.deliveries[0]);
	});

	it('block_actions: answers 200 with an empty body and emits the normalised click', async () => {
		const server = await trigger();
		const payload = slack.buildBlockActions({ channel: 'general', actionId: 'approve', value: 'yes', user: 'U0ADA00001' });
		const d = await last(server, slack.sendInteraction(server.url, payload, { signingSecret: SECRET }));
		expect(d.status).toBe(200);
		expect(d.body).toBe('');
		expect(d.response?.noWebhookResponse).toBe(true);
		expect(d.emitted).toHaveLength(1);
		const item = d.emitted[0] as Record<string, any>;
		expect(item).toMatchObject({
			type: 'block_actions',
			team: { id: slack.teamId },
			user: { id: 'U0ADA00001', username: 'ada' },
			channel: { name: 'general' },
			action: { action_id: 'approve', value: 'yes', type: 'button' },
			trigger_id: payload.trigger_id,
			response_url: payload.response_url,
			message: { ts: (payload.message as { ts: string }).ts },
		});
		expect(Date.parse(item.trigger_id_expires_at) - Date.parse(item.received_at)).toBe(3000);
		expect(item.raw.actions).toEqual(payload.actions);
		expectNoSecretAnywhere(d);
	});

	it('view_submission: modal state flattened, callback_id and private_metadata', async () => {
		const server = await trigger();
		const payload = slack.buildViewSubmission({
			callbackId: 'new_contact',
			privateMetadata: '{"list":3}',
			values: {
				email_block: { email: { type: 'email_text_input', value: 'grace@example.com' } },
				plan_block: { plan: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'Pro' }, value: 'pro' } } },
				start_block: { start: { type: 'datepicker', selected_date: '2026-12-01' } },
			},
		});
		const d = await last(server, slack.sendInteraction(server.url, payload, { signingSecret: SECRET }));
		expect(d.status).toBe(200);
		expect(d.body).toBe('');
		expect(d.emitted[0]).toMatchObject({
			type: 'view_submission',
			callback_id: 'new_contact',
			private_metadata: '{"list":3}',
			state: { email_block: { email: 'grace@example.com' }, plan_block: { plan: 'pro' }, start_block: { start: '2026-12-01' } },
			values: { email: 'grace@example.com', plan: 'pro', start: '2026-12-01' },
		});
	});

	it('view_closed, message_action and shortcut', async () => {
		const server = await trigger();
		const closed = await last(server, slack.sendInteraction(server.url, viewClosedPayload(), { signingSecret: SECRET }));
		expect(closed.emitted[0]).toMatchObject({ type: 'view_closed', callback_id: 'new_contact' });
		const action = slack.buildMessageAction({ channel: 'general', callbackId: 'add_to_list' });
		const ma = await last(server, slack.sendInteraction(server.url, action, { signingSecret: SECRET }));
		expect(ma.status).toBe(200);
		expect(ma.emitted[0]).toMatchObject({ type: 'message_action', callback_id: 'add_to_list', channel: { name: 'general' }, response_url: action.response_url });
		const sc = await last(server, slack.sendInteraction(server.url, slack.buildShortcut({ callbackId: 'open_form' }), { signingSecret: SECRET }));
		expect(sc.emitted[0]).toMatchObject({ type: 'shortcut', callback_id: 'open_form', channel: null });
		expect(sc.emitted[0].trigger_id).toEqual(expect.any(String));
	});

	it('slash command: emitted with name and text; optional ephemeral reply', async () => {
		const server = await trigger({ options: { commandAck: 'Adding you to the list…' } });
		const fields = slack.buildSlashCommand({ command: '/brevo', text: 'subscribe ada@example.com', channel: 'general' });
		const d = await last(server, slack.sendSlashCommand(server.url, fields, { signingSecret: SECRET }));
		expect(d.status).toBe(200);
		expect(JSON.parse(d.body)).toEqual({ response_type: 'ephemeral', text: 'Adding you to the list…' });
		expect(d.emitted[0]).toMatchObject({ type: 'slash_command', command: { name: '/brevo', text: 'subscribe ada@example.com' }, channel: { name: 'general' } });
		expectNoSecretAnywhere(d);
	});

	it.each([
		['app_mention', appMentionEvent()],
		['message', { type: 'message', channel: 'C0MKT', user: 'U0ADA00001', text: 'hello', ts: '1700000000.000100', channel_type: 'channel' }],
		['link_shared', { type: 'link_shared', channel: 'C0MKT', user: 'U0ADA00001', message_ts: '1700000000.000200', unfurl_id: 'C0MKT.1700000000.000200.abc', source: 'conversations_history', links: [{ domain: 'app.brevo.com', url: 'https://app.brevo.com/contact/index/42' }] }],
		['team_join', { type: 'team_join', user: { id: 'U0NEW00001', name: 'newbie', real_name: 'New Person', team_id: 'T1', is_bot: false, deleted: false, profile: { email: 'new@example.com', real_name: 'New Person' } } }],
		['user_change', { type: 'user_change', user: { id: 'U0ADA00001', name: 'ada', is_bot: false, profile: { real_name: 'Ada L.' } } }],
	])('Events API %s', async (type, event) => {
		const server = await trigger();
		const d = await last(server, slack.sendEvent(server.url, event, { signingSecret: SECRET }));
		expect(d.status).toBe(200);
		expect(d.body).toBe('');
		expect(d.emitted[0]).toMatchObject({ type: 'event', event_type: type, event: expect.objectContaining({ type }), event_id: expect.stringMatching(/^Ev/) });
		expect((d.emitted[0].raw as Record<string, unknown>).token).toBeUndefined();
	});
});

describe('bad input: refused, nothing started, reason logged without the secret', () => {
	const form = 'application/x-www-form-urlencoded';
	const payloadBody = () => `payload=${encodeURIComponent(JSON.stringify(slack.buildShortcut({})))}`;
	const signed = (body: string, contentType = form, ts = now()) => ({
		'content-type': contentType,
		'x-slack-request-timestamp': String(ts),
		'x-slack-signature': signSlackRequest(SECRET, ts, body),
	});

	const cases: Array<[string, () => { body: string; headers: Record<string, string> }, number, RegExp]> = [
		['missing signature headers', () => ({ body: payloadBody(), headers: { 'content-type': form } }), 401, /missing_timestamp/],
		['missing signature header', () => { const b = payloadBody(); const h = signed(b); delete (h as Record<string, string>)['x-slack-signature']; return { body: b, headers: h }; }, 401, /missing_signature/],
		['malformed signature header', () => { const b = payloadBody(); return { body: b, headers: { ...signed(b), 'x-slack-signature': 'sha256=abc' } }; }, 401, /malformed_signature/],
		['malformed timestamp header', () => { const b = payloadBody(); return { body: b, headers: { ...signed(b), 'x-slack-request-timestamp': 'yesterday' } }; }, 401, /malformed_timestamp/],
		['wrong secret', () => { const b = payloadBody(); const ts = now(); return { body: b, headers: { ...signed(b), 'x-slack-signature': signSlackRequest('ffffffffffffffffffffffffffffffff', ts, b), 'x-slack-request-timestamp': String(ts) } }; }, 401, /signature_mismatch/],
		['stale timestamp', () => { const b = payloadBody(); return { body: b, headers: signed(b, form, now() - 6 * 60) }; }, 401, /stale_timestamp/],
		['future timestamp', () => { const b = payloadBody(); return { body: b, headers: signed(b, form, now() + 6 * 60) }; }, 401, /future_timestamp/],
		['body changed after signing', () => { const b = payloadBody(); return { body: b.replace('open_brevo_form', 'open_brevo_forX'), headers: signed(b) }; }, 401, /signature_mismatch/],
		['form body without payload', () => { const b = 'foo=bar&baz=1'; return { body: b, headers: signed(b) }; }, 400, /missing_payload/],
		['payload that is not JSON', () => { const b = 'payload=%7Bnot%20json'; return { body: b, headers: signed(b) }; }, 400, /payload_not_json/],
		['unknown payload type', () => { const b = `payload=${encodeURIComponent(JSON.stringify({ type: 'dialog_submission', token: 'x' }))}`; return { body: b, headers: signed(b) }; }, 400, /unknown_type/],
		['oversized body', () => { const b = `payload=${'x'.repeat(1100 * 1024)}`; return { body: b, headers: signed(b) }; }, 413, /body_too_large/],
		['wrong content type', () => { const b = JSON.stringify(slack.buildShortcut({})); return { body: b, headers: signed(b, 'text/plain') }; }, 415, /wrong_content_type/],
		['empty body', () => ({ body: '', headers: signed('') }), 400, /empty_body/],
		['unknown Events API type', () => { const b = '{"type":"something_new"}'; return { body: b, headers: signed(b, 'application/json') }; }, 400, /unknown_type/],
	];

	it.each(cases)('%s', async (_label, make, status, reason) => {
		const server = await trigger();
		const { body, headers } = make();
		const d = await last(server, post(server.url, body, headers));
		expect(d.status).toBe(status);
		expect(d.body).toMatch(reason);
		expect(d.responseHeaders['x-slack-no-retry']).toBe('1');
		expectNothingStarted(d);
		const warning = d.logs.find((l) => l.level === 'warn' && /refused a request/.test(l.message));
		expect(warning?.message).toMatch(reason);
		expectNoSecretAnywhere(d);
	});

	it('a JSON body that does not parse is refused by the webhook server before the node (422), nothing starts', async () => {
		const server = await trigger();
		const b = '{"type":"event_callback",';
		const d = await last(server, post(server.url, b, signed(b, 'application/json')));
		expect(d.status).toBe(422);
		expectNothingStarted(d);
	});

	it('fails closed when the secret credential becomes empty after activation', async () => {
		const server = await startTriggerServer(SlackInteractionTrigger, { credentials: { slackBrevoSigningSecretApi: { signingSecret: '' } } });
		servers.push(server);
		const d = await last(server, slack.sendInteraction(server.url, slack.buildShortcut({}), { signingSecret: '' }));
		expect(d.status).toBe(401);
		expect(d.body).toMatch(/missing_secret/);
		expectNothingStarted(d);
	});
});

describe('duplicates and retries', () => {
	it('a retried Events API delivery (X-Slack-Retry-Num, same event_id) starts nothing', async () => {
		const server = await trigger();
		const envelope = slack.buildEventCallback(appMentionEvent());
		const first = await last(server, slack.sendEvent(server.url, envelope, { signingSecret: SECRET }));
		expect(first.emitted).toHaveLength(1);
		const retry = await last(server, slack.sendEvent(server.url, envelope, { signingSecret: SECRET, retryNum: 1, retryReason: 'http_timeout' }));
		expect(retry.status).toBe(200);
		expectNothingStarted(retry);
		expect(retry.logs.some((l) => /already received \(Slack retry 1, http_timeout\)/.test(l.message))).toBe(true);
	});

	it('holds across a restart and across processes: the memory is in static data, not in the process', async () => {
		const envelope = slack.buildEventCallback(appMentionEvent());
		const a = await trigger();
		await last(a, slack.sendEvent(a.url, envelope, { signingSecret: SECRET }));
		const saved = a.staticData;
		await a.close();
		servers.splice(servers.indexOf(a), 1);
		// A second process (or the same one after a restart) loading the workflow's saved static data.
		const b = await trigger({}, { staticData: saved });
		const retry = await last(b, slack.sendEvent(b.url, envelope, { signingSecret: SECRET, retryNum: 2, retryReason: 'http_error' }));
		expectNothingStarted(retry);
		// A fresh event still starts.
		const fresh = await last(b, slack.sendEvent(b.url, appMentionEvent(), { signingSecret: SECRET }));
		expect(fresh.emitted).toHaveLength(1);
	});

	it('a replayed interaction (identical signed body) starts nothing the second time', async () => {
		const server = await trigger();
		const body = `payload=${encodeURIComponent(JSON.stringify(slack.buildBlockActions({ channel: 'general' })))}`;
		const ts = now();
		const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signSlackRequest(SECRET, ts, body) };
		const first = await last(server, post(server.url, body, headers));
		expect(first.emitted).toHaveLength(1);
		const again = await last(server, post(server.url, body, headers));
		expect(again.status).toBe(200);
		expectNothingStarted(again);
	});

	it('with "Ignore Duplicate Deliveries" off, a retry starts again', async () => {
		const server = await trigger({ ignoreDuplicates: false });
		const envelope = slack.buildEventCallback(appMentionEvent());
		await last(server, slack.sendEvent(server.url, envelope, { signingSecret: SECRET }));
		const retry = await last(server, slack.sendEvent(server.url, envelope, { signingSecret: SECRET, retryNum: 1 }));
		expect(retry.emitted).toHaveLength(1);
		expect(retry.emitted[0].retry).toEqual({ num: 1, reason: 'http_timeout' });
	});
});

describe('filters', () => {
	it('only selected payload types and action ids start the workflow; others get 200 and start nothing', async () => {
		const server = await trigger({ payloadTypes: ['block_actions'], filters: { actionIds: '/^approve/' } });
		const match = await last(server, slack.sendInteraction(server.url, slack.buildBlockActions({ channel: 'general', actionId: 'approve' }), { signingSecret: SECRET }));
		expect(match.emitted).toHaveLength(1);
		const other = await last(server, slack.sendInteraction(server.url, slack.buildBlockActions({ channel: 'general', actionId: 'reject', value: 'no' }), { signingSecret: SECRET }));
		expect(other.status).toBe(200);
		expectNothingStarted(other);
		const shortcut = await last(server, slack.sendInteraction(server.url, slack.buildShortcut({}), { signingSecret: SECRET }));
		expectNothingStarted(shortcut);
	});

	it('bot and self messages are ignored by default (loop prevention); slash command names filter', async () => {
		const server = await trigger({ filters: { commands: '/brevo' } });
		const fromBot = await last(server, slack.sendEvent(server.url, { type: 'message', channel: 'C0MKT', text: 'posted by an app', ts: '1700000001.000100', bot_id: 'B0OTHER001', app_id: 'A0OTHER' }, { signingSecret: SECRET }));
		expectNothingStarted(fromBot);
		const fromSelf = await last(server, slack.sendEvent(server.url, { type: 'message', channel: 'C0MKT', text: 'me', ts: '1700000001.000200', user: slack.botUserId, bot_id: slack.botId, app_id: slack.appId }, { signingSecret: SECRET }));
		expectNothingStarted(fromSelf);
		const human = await last(server, slack.sendEvent(server.url, { type: 'message', channel: 'C0MKT', text: 'hi', ts: '1700000001.000300', user: 'U0ADA00001' }, { signingSecret: SECRET }));
		expect(human.emitted).toHaveLength(1);
		const otherCommand = await last(server, slack.sendSlashCommand(server.url, slack.buildSlashCommand({ command: '/other' }), { signingSecret: SECRET }));
		expectNothingStarted(otherCommand);
	});
});

describe('user lookup with the optional bot token', () => {
	it('adds real name and email', async () => {
		const server = await trigger({ lookUpUser: true }, { credentials: { slackBrevoBotApi: { accessToken: slack.botToken, baseUrl: slack.apiUrl } } });
		const d = await last(server, slack.sendInteraction(server.url, slack.buildBlockActions({ channel: 'general', user: 'U0ADA00001' }), { signingSecret: SECRET }));
		expect(d.status).toBe(200);
		expect(d.emitted[0]).toMatchObject({ user: { id: 'U0ADA00001', username: 'ada', real_name: 'Ada Lovelace', email: 'ada@example.com' }, warnings: [] });
		expectNoSecretAnywhere(d);
		expect(d.logs.map((l) => l.text).join('\n')).not.toContain(slack.botToken);
	});

	it('without users:read.email: no email, a warning naming the scope', async () => {
		slack.addToken({ token: 'xoxb-no-email-scope-1234', scopes: ['users:read', 'chat:write'] });
		const server = await trigger({ lookUpUser: true }, { credentials: { slackBrevoBotApi: { accessToken: 'xoxb-no-email-scope-1234', baseUrl: slack.apiUrl } } });
		const d = await last(server, slack.sendInteraction(server.url, slack.buildShortcut({ user: 'U0ADA00001' }), { signingSecret: SECRET }));
		const item = d.emitted[0] as Record<string, any>;
		expect(item.user.real_name).toBe('Ada Lovelace');
		expect(item.user.email ?? null).toBeNull();
		expect(item.warnings).toEqual([expect.stringContaining('users:read.email')]);
	});

	it('with missing_scope (no users:read): the item still starts, with a warning', async () => {
		slack.addToken({ token: 'xoxb-chat-only-5678', scopes: ['chat:write'] });
		const server = await trigger({ lookUpUser: true }, { credentials: { slackBrevoBotApi: { accessToken: 'xoxb-chat-only-5678', baseUrl: slack.apiUrl } } });
		const d = await last(server, slack.sendInteraction(server.url, slack.buildShortcut({ user: 'U0ADA00001' }), { signingSecret: SECRET }));
		expect(d.status).toBe(200);
		const item = d.emitted[0] as Record<string, any>;
		expect(item.user.id).toBe('U0ADA00001');
		expect(item.warnings).toEqual([expect.stringMatching(/missing_scope/)]);
		expect(JSON.stringify(item)).not.toContain('xoxb-chat-only-5678');
	});
});

describe('user lookup failures never block the trigger', () => {
	it('an unreachable Slack API: the click still starts, with a warning and no token in it', async () => {
		const server = await trigger({ lookUpUser: true }, { credentials: { slackBrevoBotApi: { accessToken: 'xoxb-unreachable-0000', baseUrl: 'http://127.0.0.1:9/api/' } } });
		const d = await last(server, slack.sendInteraction(server.url, slack.buildShortcut({ user: 'U0ADA00001' }), { signingSecret: SECRET }));
		expect(d.status).toBe(200);
		expect(d.emitted).toHaveLength(1);
		const item = d.emitted[0] as Record<string, any>;
		expect(item.user.id).toBe('U0ADA00001');
		expect(item.warnings).toEqual([expect.stringMatching(/^users\.info failed/)]);
		expect(JSON.stringify(item)).not.toContain('xoxb-unreachable-0000');
	});
});

describe('modal answer by the workflow ("last node" mode)', () => {
	it('leaves the answer of a view_submission to n8n (no own response) but still answers other requests itself', async () => {
		const server = await trigger({ modalAnswer: 'lastNode' });
		const click = await last(server, slack.sendInteraction(server.url, slack.buildBlockActions({ channel: 'general' }), { signingSecret: SECRET }));
		expect(click.status).toBe(200);
		expect(click.response?.noWebhookResponse).toBe(true);
		const submit = await last(server, slack.sendInteraction(server.url, slack.buildViewSubmission({}), { signingSecret: SECRET }));
		// n8n answers with the last node's output; the harness only implements onReceived (real n8n: test/e2e).
		expect(submit.response?.noWebhookResponse).toBeUndefined();
		expect(submit.workflowData?.[0]).toHaveLength(1);
		expect(submit.emitted[0]).toMatchObject({ type: 'view_submission' });
	});
});

describe('a whole workflow behind the trigger', () => {
	it('the emitted item is what the next node receives', async () => {
		const server = await startTriggerServer(SlackInteractionTrigger, {
			credentials: signing,
			nodeName: 'Slack',
			workflow: {
				nodes: [
					{ name: 'Slack', type: 'n8n-nodes-slack-brevo.slackInteractionTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
					{ name: 'Next', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
				],
				connections: { Slack: { main: [[{ node: 'Next', type: 'main', index: 0 }]] } },
			},
		});
		servers.push(server);
		await server.hooks.activate();
		const d = await last(server, slack.sendInteraction(server.url, slack.buildBlockActions({ channel: 'general', actionId: 'approve', value: 'ok' }), { signingSecret: SECRET }));
		const run = await d.execution!;
		expect(run.error).toBeUndefined();
		expect(run.outputOf('Next')).toEqual([expect.objectContaining({ type: 'block_actions', action: expect.objectContaining({ action_id: 'approve', value: 'ok' }) })]);
	});
});

describe('editor test URL ("Listen for test event")', () => {
	it('serves /webhook-test/ with the same checks: a signed click starts, an unsigned one is refused', async () => {
		const server = await startTriggerServer(SlackInteractionTrigger, { credentials: signing, testWebhook: true });
		servers.push(server);
		await server.hooks.activate();
		expect(server.url).toContain('/webhook-test/');
		const ok = await last(server, slack.sendInteraction(server.url, slack.buildBlockActions({ channel: 'general' }), { signingSecret: SECRET }));
		expect(ok.status).toBe(200);
		expect(ok.emitted).toHaveLength(1);
		const bad = await last(server, slack.sendInteraction(server.url, slack.buildBlockActions({ channel: 'general' }), { signingSecret: 'ffffffffffffffffffffffffffffffff' }));
		expect(bad.status).toBe(401);
		expectNothingStarted(bad);
	});
});
