/**
 * Tests of the harness itself, with its fixture nodes against a tiny local API (node:http).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	ICredentialTestFunctions,
	ICredentialType,
	ICredentialsDecrypted,
	IDataObject,
	INodeType,
} from 'n8n-workflow';

import { HarnessWebhookTrigger } from './fixtures/HarnessWebhookTrigger.node';
import { HarnessPollTrigger } from './fixtures/HarnessPollTrigger.node';
import { scheduleItem } from './fixtures/ScheduleTrigger.node';
import { runPoll, runWorkflow, startTriggerServer, testCredential, triggerHooks, type WorkflowJson } from './index';

const TOKEN = 'tok-very-secret-123';
const SECRET = '5169676e2d766572792d736563726574';

interface Seen {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: unknown;
}

/** A tiny stateful API the fixture nodes talk to. */
class FixtureApi {
	server!: Server;
	url = '';
	seen: Seen[] = [];
	hooks: Array<{ id: number; url: string; event: string }> = [];
	items: Array<{ id: number; name: string }> = [];
	private nextHook = 1;

	async start() {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				const body = raw ? (JSON.parse(raw) as IDataObject) : undefined;
				this.seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
				const send = (status: number, payload: unknown, statusText?: string) => {
					res.statusCode = status;
					if (statusText) res.statusMessage = statusText;
					res.setHeader('content-type', 'application/json');
					res.end(JSON.stringify(payload));
				};
				const auth = req.headers.authorization;
				const path = new URL(req.url!, 'http://x').pathname;
				if (path === '/me') {
					if (auth === `Bearer ${TOKEN}`) return send(200, { ok: true, user: 'U1' });
					if (auth === 'Bearer revoked') return send(200, { ok: false, error: 'token_revoked' });
					if (auth === 'Bearer forbidden') return send(403, { error: 'forbidden' }, 'Forbidden');
					return send(401, { error: 'invalid_auth' }, 'Unauthorized');
				}
				if (auth !== `Bearer ${TOKEN}`) return send(401, { error: 'invalid_auth' }, 'Unauthorized');
				if (path === '/echo') return send(200, { method: req.method, url: req.url, body: body ?? null });
				if (path === '/fail') return send(400, { message: 'Bad thing: field x is wrong' }, 'Bad Request');
				if (path === '/hooks' && req.method === 'GET') return send(200, this.hooks);
				if (path === '/hooks' && req.method === 'POST' && (body as IDataObject).event === 'explode') {
					return send(500, { message: 'internal' }, 'Internal Server Error');
				}
				if (path === '/hooks' && req.method === 'POST') {
					const hook = { id: this.nextHook++, ...(body as { url: string; event: string }) };
					this.hooks.push(hook);
					return send(201, { id: hook.id });
				}
				const m = /^\/hooks\/(\d+)$/.exec(path);
				if (m && req.method === 'DELETE') {
					this.hooks = this.hooks.filter((h) => h.id !== Number(m[1]));
					return send(204, {});
				}
				if (path === '/items') return send(200, this.items);
				return send(404, { error: 'not found' });
			});
		});
		await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async close() {
		await new Promise<void>((r) => this.server.close(() => r()));
	}
}

const api = new FixtureApi();
beforeAll(async () => await api.start());
afterAll(async () => await api.close());
beforeEach(() => {
	api.seen = [];
});

const creds = () => ({ harnessTestApi: { token: TOKEN, secret: SECRET, baseUrl: api.url } });

function callWorkflow(callParams: IDataObject, callExtra: IDataObject = {}): WorkflowJson {
	return {
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} },
			{ name: 'Items', type: 'harness.items', parameters: { items: '[{"n":1},{"n":2},{"n":3}]' } },
			{ name: 'Call', type: 'harness.httpCall', parameters: callParams, ...callExtra },
			{ name: 'After', type: 'harness.noOp', parameters: {} },
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Call', type: 'main', index: 0 }]] },
			Call: { main: [[{ node: 'After', type: 'main', index: 0 }]] },
		},
	};
}

describe('runWorkflow (n8n-core WorkflowExecute)', () => {
	it('runs nodes in order, resolves expressions and authenticates requests with the credential type', async () => {
		const result = await runWorkflow(callWorkflow({ path: '/echo', body: '={{ JSON.stringify({ n: $json.n }) }}' }), {
			credentials: creds(),
		});
		expect(result.error).toBeUndefined();
		expect(result.executedNodes).toEqual(['Start', 'Items', 'Call', 'After']);
		expect(result.outputOf('Call').map((j) => j.body)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
		expect(result.outputOf('After')).toHaveLength(3);
		// generic authenticate: header from the expression, qs merged into the URL
		expect(api.seen.map((s) => s.headers.authorization)).toEqual(Array(3).fill(`Bearer ${TOKEN}`));
		expect(api.seen[0].url).toBe('/echo?client=harness');
		expect(result.credentialsAccessed).toContain('harnessTestApi');
		expect(result.itemsOf('Call')[2].pairedItem).toEqual({ item: 2 });
	});

	it('captures n8n-core and node log lines', async () => {
		const result = await runWorkflow(callWorkflow({ path: '/echo' }), { credentials: creds() });
		const texts = result.logs.map((l) => l.text);
		expect(texts.some((t) => t.includes('HttpCall request'))).toBe(true);
		expect(texts.some((t) => t.includes('Workflow execution finished'))).toBe(true);
		expect(texts.join('\n')).not.toContain(TOKEN);
	});

	it('fails the execution on a node error, with the error on the node', async () => {
		const result = await runWorkflow(callWorkflow({ path: '/fail' }), { credentials: creds() });
		expect(result.error).toBeDefined();
		expect(result.nodeError('Call')?.message).toMatch(/Bad request|Bad thing|400/i);
		expect(result.runsOf('After')).toEqual([]);
		expect(() => result.outputOf('After')).toThrow(/did not run/);
	});

	it('keeps going with continueOnFail / onError', async () => {
		const regular = await runWorkflow(callWorkflow({ path: '/fail' }, { onError: 'continueRegularOutput' }), {
			credentials: creds(),
		});
		expect(regular.error).toBeUndefined();
		expect(regular.outputOf('After')).toHaveLength(3);
		expect(regular.outputOf('After')[0].error).toEqual(expect.any(String));

		const legacy = await runWorkflow(callWorkflow({ path: '/fail' }, { continueOnFail: true }), { credentials: creds() });
		expect(legacy.error).toBeUndefined();
		expect(legacy.outputOf('Call').every((j) => typeof j.error === 'string')).toBe(true);
	});

	it('routes thrown errors to the error output with onError continueErrorOutput', async () => {
		const wf = callWorkflow({ path: '/fail' }, { onError: 'continueErrorOutput', continueOnFail: false });
		const result = await runWorkflow(wf, { credentials: creds(), mode: 'trigger' });
		expect(result.error).toBeUndefined();
		// the node catches per item (continueOnFail() is true); n8n-core moves items with `error` to the error output
		expect(result.itemsOf('Call', 0)).toEqual([]);
		expect(result.outputOf('Call', 1).map((j) => typeof j.error)).toEqual(['string', 'string', 'string']);
		expect(result.runsOf('After')).toEqual([]);
	});

	it('passes static data in and out: a "restart" continues, two concurrent runs each see the persisted copy', async () => {
		const first = await runWorkflow(callWorkflow({ path: '/echo' }), { credentials: creds(), mode: 'trigger' });
		expect(first.staticData).toEqual({ global: { calls: 3 } });
		expect(first.staticDataChanged).toBe(true);
		const restarted = await runWorkflow(callWorkflow({ path: '/echo' }), {
			credentials: creds(),
			mode: 'trigger',
			staticData: first.staticData,
		});
		expect(restarted.staticData).toEqual({ global: { calls: 6 } });
		const [a, b] = await Promise.all([
			runWorkflow(callWorkflow({ path: '/echo' }), { credentials: creds(), staticData: restarted.staticData }),
			runWorkflow(callWorkflow({ path: '/echo' }), { credentials: creds(), staticData: restarted.staticData }),
		]);
		expect([a.staticData, b.staticData]).toEqual([{ global: { calls: 9 } }, { global: { calls: 9 } }]);
		expect(restarted.staticData).toEqual({ global: { calls: 6 } }); // the caller's copy is untouched
	});

	it('starts from a given node with given input items', async () => {
		const result = await runWorkflow(callWorkflow({ path: '/echo', body: '={{ JSON.stringify($json) }}' }), {
			credentials: creds(),
			startNode: 'Call',
			input: [{ x: 'a' }, { json: { x: 'b' } }],
		});
		expect(result.executedNodes).toEqual(['Call', 'After']);
		expect(result.outputOf('Call').map((j) => j.body)).toEqual([{ x: 'a' }, { x: 'b' }]);
	});

	it('fails clearly when a credential is missing', async () => {
		const result = await runWorkflow(callWorkflow({ path: '/echo' }), {});
		expect(result.nodeError('Call')?.message).toMatch(/credentials/i);
	});

	it('ends with n8n-core\'s workflow-issues error when a required parameter is empty, running nothing', async () => {
		const required: INodeType = {
			description: {
				displayName: 'Needs channel',
				name: 'needsChannel',
				group: ['transform'],
				version: 1,
				description: '',
				defaults: { name: 'Needs channel' },
				inputs: ['main'],
				outputs: ['main'],
				properties: [{ displayName: 'Channel', name: 'channel', type: 'string', default: '', required: true }],
			},
			async execute() {
				return [[{ json: { ran: true } }]];
			},
		};
		const result = await runWorkflow(
			{ nodes: [{ name: 'Needs', type: 'x.needsChannel', parameters: {} }], connections: {} },
			{ nodeTypes: { 'x.needsChannel': required } },
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain("The 'Needs' node has issues");
		expect(result.error?.message).toContain('Parameter "Channel" is required');
		expect(result.executedNodes).toEqual([]);
	});

	it('has Schedule Trigger and Sticky Note equivalents so exported workflows run as they are', async () => {
		const wf = {
			nodes: [
				{ name: 'Note', type: 'n8n-nodes-base.stickyNote', parameters: { content: 'hello' } },
				{ name: 'Every day', type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, parameters: {} },
				{ name: 'After', type: 'n8n-nodes-base.noOp', parameters: {} },
			],
			connections: { 'Every day': { main: [[{ node: 'After', type: 'main', index: 0 }]] } },
		};
		const manual = await runWorkflow(wf, { timezone: 'Europe/Paris' });
		expect(manual.executedNodes).toEqual(['Every day', 'After']);
		expect(manual.outputOf('After')[0].Timezone).toMatch(/^Europe\/Paris \(UTC\+0[12]:00\)$/);
		const tick = scheduleItem(new Date('2026-03-01T08:05:09Z'), 'Europe/Paris');
		expect(tick).toMatchObject({
			timestamp: '2026-03-01T09:05:09.000+01:00',
			'Readable date': 'March 1st 2026, 9:05:09 am',
			'Day of week': 'Sunday',
			Hour: '09',
		});
		const production = await runWorkflow(wf, { mode: 'trigger', input: [tick] });
		expect(production.outputOf('After')).toEqual([tick]);
	});

	it('gives each of two concurrent runs only its own log lines', async () => {
		const [a, b] = await Promise.all([
			runWorkflow(callWorkflow({ path: '/echo?run=a' }), { credentials: creds() }),
			runWorkflow(callWorkflow({ path: '/echo?run=b' }), { credentials: creds() }),
		]);
		const paths = (logs: typeof a.logs) =>
			[...new Set(logs.filter((l) => l.message === 'HttpCall request').map((l) => (l.meta as IDataObject).path))];
		expect(paths(a.logs)).toEqual(['/echo?run=a']);
		expect(paths(b.logs)).toEqual(['/echo?run=b']);
	});

	it('dump() holds run data, static data and logs, for no-secret assertions', async () => {
		const result = await runWorkflow(callWorkflow({ path: '/fail' }, { onError: 'continueRegularOutput' }), {
			credentials: creds(),
		});
		const dump = result.dump();
		expect(dump).toContain('HttpCall request');
		expect(dump).toContain('"error"');
		expect(dump).not.toContain(TOKEN);
	});
});

describe('testCredential (declarative test.request like n8n)', () => {
	it('passes with a good token', async () => {
		const r = await testCredential('harnessTestApi', { token: TOKEN, baseUrl: api.url });
		expect(r).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		expect(api.seen[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(api.seen[0].url).toBe('/me?client=harness');
	});

	it('applies responseSuccessBody rules', async () => {
		const r = await testCredential('harnessTestApi', { token: 'revoked', baseUrl: api.url });
		expect(r).toMatchObject({ status: 'Error', message: 'The API rejected the token' });
	});

	it('reports the HTTP status text for a rejected token, without the token', async () => {
		const r = await testCredential('harnessTestApi', { token: 'wrong-token-xyz', baseUrl: api.url });
		expect(r.status).toBe('Error');
		expect(r.message).toBe('Unauthorized');
		expect(r.message).not.toContain('wrong-token-xyz');
	});

	it('applies responseCode rules', async () => {
		class CodeRuled implements ICredentialType {
			name = 'codeRuledApi';
			displayName = 'Code ruled';
			properties = [
				{ displayName: 'Token', name: 'token', type: 'string' as const, default: '' },
				{ displayName: 'Base URL', name: 'baseUrl', type: 'string' as const, default: '' },
			];
			authenticate = {
				type: 'generic' as const,
				properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } },
			};
			test = {
				request: { baseURL: '={{$credentials.baseUrl}}', url: '/me' },
				rules: [{ type: 'responseCode' as const, properties: { value: 403, message: 'No access: ask an admin' } }],
			};
		}
		const r = await testCredential(
			'codeRuledApi',
			{ token: 'forbidden', baseUrl: api.url },
			{ credentialTypes: { codeRuledApi: CodeRuled } },
		);
		expect(r).toMatchObject({ status: 'Error', message: 'No access: ask an admin' });
	});

	it("finds a node's testedBy credentialTest function, as n8n does for credentials without test.request", async () => {
		class SecretOnly implements ICredentialType {
			name = 'secretOnlyApi';
			displayName = 'Secret only';
			properties = [{ displayName: 'Secret', name: 'secret', type: 'string' as const, default: '' }];
		}
		const node: INodeType = {
			description: {
				displayName: 'Uses secret',
				name: 'usesSecret',
				group: ['trigger'],
				version: 1,
				description: '',
				defaults: { name: 'Uses secret' },
				inputs: [],
				outputs: ['main'],
				credentials: [{ name: 'secretOnlyApi', required: true, testedBy: 'checkSecretForm' }],
				properties: [],
			},
			methods: {
				credentialTest: {
					async checkSecretForm(this: ICredentialTestFunctions, c: ICredentialsDecrypted) {
						return /^[0-9a-f]{32}$/.test(String(c.data?.secret))
							? { status: 'OK' as const, message: 'Looks right' }
							: { status: 'Error' as const, message: 'Expected 32 hexadecimal characters' };
					},
				},
			},
		};
		const o = { credentialTypes: { secretOnlyApi: SecretOnly }, nodeTypes: { 'x.usesSecret': node } };
		expect(await testCredential('secretOnlyApi', { secret: 'a'.repeat(32) }, o)).toMatchObject({ status: 'OK' });
		expect(await testCredential('secretOnlyApi', { secret: 'nope' }, o)).toMatchObject({
			status: 'Error',
			message: 'Expected 32 hexadecimal characters',
		});
	});

	it('reports a connection error code', async () => {
		const closed = createServer();
		await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>((r) => closed.close(() => r()));
		const r = await testCredential('harnessTestApi', { token: TOKEN, baseUrl: `http://127.0.0.1:${port}` });
		expect(r).toMatchObject({ status: 'Error', message: 'ECONNREFUSED' });
	});
});

describe('trigger hooks (n8n-core HookContext)', () => {
	it('activates (checkExists then create), is idempotent, and deletes', async () => {
		api.hooks = [];
		const hooks = triggerHooks(HarnessWebhookTrigger, {
			credentials: creds(),
			parameters: { event: 'created' },
			webhookBaseUrl: 'https://n8n.example.com/webhook',
		});
		const first = await hooks.activate();
		expect(first.map((c) => [c.method, c.result])).toEqual([
			['checkExists', false],
			['create', true],
		]);
		expect(api.hooks).toEqual([{ id: expect.any(Number), url: hooks.webhookUrl(), event: 'created' }]);
		expect(hooks.webhookUrl()).toMatch(/^https:\/\/n8n\.example\.com\/webhook\/.+\/events$/);
		expect(hooks.staticData).toEqual({ 'node:Harness Webhook Trigger': { hookId: api.hooks[0].id } });

		const again = await hooks.activate();
		expect(again.map((c) => [c.method, c.result])).toEqual([['checkExists', true]]);

		await hooks.deactivate();
		expect(api.hooks).toEqual([]);
		expect(hooks.staticData).toEqual({ 'node:Harness Webhook Trigger': {} });
		expect(api.seen.every((s) => s.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
	});
});

describe('trigger hooks: failed activation', () => {
	it('propagates the error after clearing the webhooks like n8n, saving nothing of the failed activation', async () => {
		api.hooks = [];
		const hooks = triggerHooks(HarnessWebhookTrigger, { credentials: creds(), parameters: { event: 'explode' } });
		await expect(hooks.activate()).rejects.toThrow();
		expect(hooks.calls.map((c) => [c.method, c.result, c.error ? 'threw' : 'ok'])).toEqual([
			['checkExists', false, 'ok'],
			['create', undefined, 'threw'],
			['delete', true, 'ok'],
		]);
		expect(hooks.staticData).toEqual({});
		expect(api.hooks).toEqual([]);
	});
});

describe('trigger server (real HTTP into webhook() via n8n-core WebhookContext)', () => {
	const sign = (raw: string | Buffer) => createHmac('sha256', SECRET).update(raw).digest('hex');

	it('hands the raw body bytes and parsed JSON to webhook(), records what started an execution', async () => {
		api.hooks = [];
		const hook = await startTriggerServer(HarnessWebhookTrigger, { credentials: creds() });
		try {
			await hook.hooks.activate();
			expect(api.hooks[0].url).toBe(hook.url);
			// whitespace and unicode escapes: a re-serialised body would not match the signature
			const raw = '{ "type":"created",  "name":"J\\u00e9r\\u00f4me" }';
			const res = await fetch(`${hook.url}?a=1`, {
				method: 'POST',
				headers: { 'content-type': 'application/json; charset=utf-8', 'x-signature': sign(raw) },
				body: raw,
			});
			expect(res.status).toBe(200);
			expect(await res.json()).toEqual({ message: 'Workflow was started' });
			const [d] = await hook.waitForDeliveries(1);
			expect(d.rawBody.toString('utf8')).toBe(raw);
			expect(d.emitted).toEqual([
				{ type: 'created', name: 'Jérôme', query: { a: '1' }, contentType: 'application/json; charset=utf-8' },
			]);
			expect(hook.staticData['node:Harness Webhook Trigger']).toEqual({ hookId: api.hooks[0].id, deliveries: 1 });
		} finally {
			await hook.close();
		}
	});

	it('lets the node answer itself (noWebhookResponse) and start nothing', async () => {
		const hook = await startTriggerServer(HarnessWebhookTrigger, { credentials: creds() });
		try {
			const d = await hook.send({ type: 'created' }, { headers: { 'x-signature': 'forged' } });
			expect(d.status).toBe(401);
			expect(JSON.parse(d.body)).toEqual({ error: 'bad signature' });
			expect(d.workflowData).toBeUndefined();
			expect(d.emitted).toEqual([]);
			expect(d.logs.some((l) => l.text.includes('bad signature'))).toBe(true);
			expect(hook.staticData).toEqual({});
		} finally {
			await hook.close();
		}
	});

	it('answers with webhookResponse when no execution starts, parses form bodies, 404s unknown paths', async () => {
		const hook = await startTriggerServer(HarnessWebhookTrigger, { credentials: creds() });
		try {
			const challenge = JSON.stringify({ type: 'challenge', challenge: 'abc' });
			const c = await hook.send(challenge, {
				headers: { 'content-type': 'application/json', 'x-signature': sign(challenge) },
			});
			expect([c.status, JSON.parse(c.body)]).toEqual([200, { challenge: 'abc' }]);

			const form = 'type=created&payload=%7B%22a%22%3A1%7D';
			const f = await hook.send(form, {
				headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-signature': sign(form) },
			});
			expect(f.status).toBe(200);
			expect(f.emitted[0]).toMatchObject({ type: 'created', payload: '{"a":1}' });

			const nf = await fetch(`${hook.origin}/webhook/nope`, { method: 'POST', body: '{}' });
			expect(nf.status).toBe(404);
			expect(((await nf.json()) as IDataObject).message).toBe('The requested webhook "POST nope" is not registered.');
			const wrongMethod = await fetch(hook.url, { method: 'GET' });
			expect(wrongMethod.status).toBe(404);
			expect(((await wrongMethod.json()) as IDataObject).message).toMatch(/not registered for GET requests.*POST/);
			const bad = await hook.send('{not json', { headers: { 'content-type': 'application/json' } });
			expect(bad.status).toBe(422);
		} finally {
			await hook.close();
		}
	});

	it('serves the test webhook (webhook-test URL, manual mode) when asked', async () => {
		const hook = await startTriggerServer(HarnessWebhookTrigger, { credentials: creds(), testWebhook: true });
		try {
			expect(hook.url).toMatch(/\/webhook-test\/.+\/events$/);
			const raw = JSON.stringify({ type: 'created' });
			const d = await hook.send(raw, { headers: { 'content-type': 'application/json', 'x-signature': sign(raw) } });
			expect(d.status).toBe(200);
			expect(d.emitted).toHaveLength(1);
			expect(hook.dump()).not.toContain(SECRET);
		} finally {
			await hook.close();
		}
	});

	it('runs the rest of the workflow for a delivery when given the workflow', async () => {
		const workflow: WorkflowJson = {
			nodes: [
				{ name: 'Hook', type: 'harness.webhookTrigger', parameters: {} },
				{ name: 'Call', type: 'harness.httpCall', parameters: { path: '/echo', body: '={{ JSON.stringify({ got: $json.type }) }}' } },
			],
			connections: { Hook: { main: [[{ node: 'Call', type: 'main', index: 0 }]] } },
		};
		const hook = await startTriggerServer(HarnessWebhookTrigger, { credentials: creds(), workflow, nodeName: 'Hook' });
		try {
			const raw = JSON.stringify({ type: 'updated' });
			const d = await hook.send(raw, { headers: { 'content-type': 'application/json', 'x-signature': sign(raw) } });
			const run = await d.execution!;
			expect(run.error).toBeUndefined();
			expect(run.outputOf('Call')[0].body).toEqual({ got: 'updated' });
			expect(hook.staticData.global).toEqual({ calls: 1 });
		} finally {
			await hook.close();
		}
	});
});

describe('runPoll (n8n-core PollContext)', () => {
	it('emits new items once, persisting the cursor in static data; manual mode fetches a sample', async () => {
		api.items = [
			{ id: 1, name: 'a' },
			{ id: 2, name: 'b' },
		];
		const first = await runPoll(HarnessPollTrigger, { credentials: creds() });
		expect(first.emitted.map((j) => j.id)).toEqual([1, 2]);
		expect(first.staticData).toEqual({ 'node:Harness Poll Trigger': { lastId: 2 } });

		const idle = await runPoll(HarnessPollTrigger, { credentials: creds(), staticData: first.staticData });
		expect(idle.data).toBeNull();
		expect(idle.staticDataChanged).toBe(false);

		api.items.push({ id: 3, name: 'c' });
		const next = await runPoll(HarnessPollTrigger, { credentials: creds(), staticData: idle.staticData });
		expect(next.emitted.map((j) => j.id)).toEqual([3]);

		const manual = await runPoll(HarnessPollTrigger, { credentials: creds(), mode: 'manual' });
		expect(manual.emitted.map((j) => j.id)).toEqual([3]);
		expect(manual.staticDataChanged).toBe(false);
	});

	it('runs the workflow from the poll node when it emits', async () => {
		api.items = [{ id: 7, name: 'g' }];
		const workflow: WorkflowJson = {
			nodes: [
				{ name: 'Poll', type: 'harness.pollTrigger', parameters: {} },
				{ name: 'Call', type: 'harness.httpCall', parameters: { path: '/echo', body: '={{ JSON.stringify({ id: $json.id }) }}' } },
			],
			connections: { Poll: { main: [[{ node: 'Call', type: 'main', index: 0 }]] } },
		};
		const r = await runPoll(HarnessPollTrigger, { credentials: creds(), workflow, nodeName: 'Poll' });
		expect(r.execution?.outputOf('Call')[0].body).toEqual({ id: 7 });
		expect(r.staticData).toEqual({ 'node:Poll': { lastId: 7 }, global: { calls: 1 } });
		const idle = await runPoll(HarnessPollTrigger, { credentials: creds(), workflow, nodeName: 'Poll', staticData: r.staticData });
		expect(idle.execution).toBeUndefined();
	});
});
