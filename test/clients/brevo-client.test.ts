/**
 * The Brevo gateway, made as a node makes it (n8n-core's request helper), against the Brevo emulator: base URL from the credential, 429 waited out with Brevo's own
 * x-sib-ratelimit-reset (which the SDK would ignore), bounded, and errors translated with Brevo's code and message, never the key.
 */
import type { INode } from 'n8n-workflow';

import { getBrevoClient, toBrevoNodeError, type BrevoClientOptions, type BrevoCredentials, type BrevoRequest } from '../../nodes/shared/n8n/brevoClient';
import { nodeContext } from '../harness';
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';

const node: INode = {
	id: '1',
	name: 'Brevo for Slack',
	type: 'n8n-nodes-slack-brevo.brevoForSlack',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** The gateway exactly as a node gets it: n8n-core's ExecuteContext, its httpRequestWithAuthentication, the credential's authenticate. */
const ctxFor = (credentials: BrevoCredentials) => nodeContext({ nodeName: 'brevoForSlack', credentials: { slackBrevoBrevoApi: { ...credentials } } });
async function createBrevoClient(credentials: BrevoCredentials, options: BrevoClientOptions = {}) {
	return await getBrevoClient(ctxFor(credentials), options);
}
async function brevoRequest<T = unknown>(credentials: BrevoCredentials, req: BrevoRequest): Promise<T> {
	return await (await getBrevoClient(ctxFor(credentials))).request<T>(req);
}
const getAccount = { method: 'GET', path: '/account' } as const;

let brevo: BrevoEmulator;
beforeAll(async () => {
	brevo = await startBrevoEmulator();
});
afterAll(async () => {
	await brevo.close();
});
beforeEach(() => brevo.reset());

async function thrown(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected the call to fail');
}

describe('getBrevoClient (through n8n-core)', () => {
	it('talks to the base URL of the credential, with or without a trailing slash', async () => {
		for (const baseUrl of [brevo.apiUrl, `${brevo.apiUrl}/`]) {
			const client = await createBrevoClient({ apiKey: brevo.apiKey, baseUrl });
			const account = await client.request<{ email?: string }>(getAccount);
			expect(account.email).toBeTruthy();
		}
	});

	it("waits for x-sib-ratelimit-reset on 429, then succeeds", async () => {
		brevo.injectFault({ path: '/v3/account', times: 1, status: 429 });
		const sleeps: number[] = [];
		const client = await createBrevoClient({ apiKey: brevo.apiKey, baseUrl: brevo.apiUrl }, { sleep: async (ms: number) => void sleeps.push(ms) });
		await client.request<{ email?: string }>(getAccount);
		expect(sleeps).toHaveLength(1);
		const limited = brevo.requests().filter((r) => r.path === '/v3/account');
		expect(limited).toHaveLength(2);
		const firstReset = Number(limited[0].responseHeaders?.['x-sib-ratelimit-reset']);
		expect(sleeps[0]).toBe(Math.ceil(Math.max(firstReset, 0.05) * 1000));
	});

	it('gives up with a clear error when the reset is beyond the budget', async () => {
		brevo.injectFault({ path: '/v3/account', times: 5, status: 429 });
		const client = await createBrevoClient({ apiKey: brevo.apiKey, baseUrl: brevo.apiUrl }, { sleep: async () => undefined, maxRateLimitWaitMs: 0 });
		const nodeError = toBrevoNodeError(node, await thrown(client.request<{ email?: string }>(getAccount)), { action: 'reading the account' });
		expect(nodeError.message).toMatch(/Brevo error .*reading the account/);
		expect(nodeError.httpCode).toBe('429');
	});

	it('translates a bad key into the fix, without echoing the key', async () => {
		const badKey = 'xkeysib-0000000000000000000000000000000000000000000000000000000000000000-BADBADBAD';
		const client = await createBrevoClient({ apiKey: badKey, baseUrl: brevo.apiUrl });
		const nodeError = toBrevoNodeError(node, await thrown(client.request<{ email?: string }>(getAccount)));
		expect(nodeError.httpCode).toBe('401');
		expect(nodeError.message).toMatch(/unauthorized/);
		expect(nodeError.description).toMatch(/API Keys/);
		expect(JSON.stringify({ m: nodeError.message, d: nodeError.description })).not.toContain('BADBADBAD');
	});

	it('carries Brevo\'s code and message for a missing contact', async () => {
		const client = await createBrevoClient({ apiKey: brevo.apiKey, baseUrl: brevo.apiUrl });
		const error = await thrown(
			client.getContact('nobody@example.com', 'email_id'),
		);
		const nodeError = toBrevoNodeError(node, error, { itemIndex: 1 });
		expect(nodeError.message).toMatch(/document_not_found.*Contact does not exist/);
		expect(nodeError.context.itemIndex).toBe(1);
	});

	it('reports an unreachable base URL by its cause, with no key anywhere in the error object', async () => {
		const client = await createBrevoClient({ apiKey: brevo.apiKey, baseUrl: 'http://127.0.0.1:9/v3' }, { retries: 0 });
		const nodeError = toBrevoNodeError(node, await thrown(client.request(getAccount)));
		expect(nodeError.message).toMatch(/Could not reach Brevo: connection refused/);
		expect(nodeError.description).toMatch(/ECONNREFUSED/);
		expect(JSON.stringify(nodeError)).not.toContain(brevo.apiKey);
	});

	it('retries an idempotent GET after a 503 but never a POST', async () => {
		brevo.injectFault({ path: '/v3/account', times: 1, status: 503 });
		const client = await createBrevoClient({ apiKey: brevo.apiKey, baseUrl: brevo.apiUrl }, { sleep: async () => undefined });
		await client.request(getAccount);
		expect(brevo.requests().filter((r) => r.path === '/v3/account')).toHaveLength(2);
		brevo.injectFault({ path: '/v3/contacts', times: 1, status: 503 });
		await thrown(client.request({ method: 'POST', path: '/contacts', body: { email: 'once@example.com' } }));
		expect(brevo.requests().filter((r) => r.path === '/v3/contacts' && r.method === 'POST')).toHaveLength(1);
	});

	it('one request through the gateway shares the handling and throws what toBrevoNodeError understands', async () => {
		const created = await brevoRequest<{ id: number }>(
			{ apiKey: brevo.apiKey, baseUrl: brevo.apiUrl },
			{ method: 'POST', path: '/contacts', body: { email: 'ada@example.com' } },
		);
		expect(created.id).toBeGreaterThan(0);
		const dup = await thrown(
			brevoRequest({ apiKey: brevo.apiKey, baseUrl: brevo.apiUrl }, { method: 'POST', path: '/contacts', body: { email: 'ada@example.com' } }),
		);
		expect(toBrevoNodeError(node, dup).message).toMatch(/duplicate_parameter/);
	});
});

describe('secrets at the transport boundary', () => {
	it("keeps the key nowhere in the error when Brevo's answer (or a proxy page) echoes it", async () => {
		const plainKey = 'plain-key-value-without-any-known-prefix-0042';
		brevo.addApiKey(plainKey, 'plain');
		for (const key of [plainKey, brevo.apiKey]) {
			brevo.injectFault({ path: '/v3/account', times: 1, status: 401, body: { code: 'unauthorized', message: `Key not found: ${key}`, request: { headers: { 'api-key': key } } } });
			brevo.injectFault({ path: '/v3/contacts', times: 1, status: 502, body: `<html><body>Bad gateway. Request headers: api-key=${key}; accept=application/json</body></html>` });
			const client = await createBrevoClient({ apiKey: key, baseUrl: brevo.apiUrl }, { sleep: async () => undefined, retries: 0 });
			for (const call of [client.request(getAccount), client.request({ method: 'POST', path: '/contacts', body: { email: 'x@y.io' } })]) {
				const error = await thrown(call);
				expect(JSON.stringify(error)).not.toContain(key);
				expect(JSON.stringify((error as { body?: unknown }).body)).toContain('[redacted]');
				const nodeError = toBrevoNodeError(node, error, { action: 'reading the account' });
				for (const part of [JSON.stringify(nodeError), nodeError.message, nodeError.description, JSON.stringify(nodeError.messages)]) {
					expect(part ?? '').not.toContain(key);
				}
			}
		}
	});
});
