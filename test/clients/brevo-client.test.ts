/**
 * The Brevo client factory against the Brevo emulator: base URL from the credential, 429 waited out with Brevo's own
 * x-sib-ratelimit-reset (which the SDK ignores), bounded, and errors translated with Brevo's code and message, never the key.
 */
import type { INode } from 'n8n-workflow';

import { brevoRequest, createBrevoClient, toBrevoNodeError } from '../../nodes/shared/brevo/client';
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';

const node: INode = {
	id: '1',
	name: 'Brevo for Slack',
	type: 'n8n-nodes-slack-brevo.brevoForSlack',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

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

describe('createBrevoClient', () => {
	it('talks to the base URL of the credential, with or without a trailing slash', async () => {
		for (const baseUrl of [brevo.apiUrl, `${brevo.apiUrl}/`]) {
			const client = createBrevoClient({ apiKey: brevo.apiKey, baseUrl });
			const account = await client.account.getAccount();
			expect(account.email).toBeTruthy();
		}
	});

	it("waits for x-sib-ratelimit-reset on 429, then succeeds", async () => {
		brevo.injectFault({ path: '/v3/account', times: 1, status: 429 });
		const sleeps: number[] = [];
		const client = createBrevoClient({ apiKey: brevo.apiKey, baseUrl: brevo.apiUrl }, { sleep: async (ms) => void sleeps.push(ms) });
		await client.account.getAccount();
		expect(sleeps).toHaveLength(1);
		const limited = brevo.requests().filter((r) => r.path === '/v3/account');
		expect(limited).toHaveLength(2);
		const firstReset = Number(limited[0].responseHeaders?.['x-sib-ratelimit-reset']);
		expect(sleeps[0]).toBe(Math.ceil(Math.max(firstReset, 0.05) * 1000));
	});

	it('gives up with a clear error when the reset is beyond the budget', async () => {
		brevo.injectFault({ path: '/v3/account', times: 5, status: 429 });
		const client = createBrevoClient({ apiKey: brevo.apiKey, baseUrl: brevo.apiUrl }, { sleep: async () => undefined, maxRateLimitWaitMs: 0 });
		const nodeError = toBrevoNodeError(node, await thrown(client.account.getAccount()), { action: 'reading the account' });
		expect(nodeError.message).toMatch(/Brevo error .*reading the account/);
		expect(nodeError.httpCode).toBe('429');
	});

	it('translates a bad key into the fix, without echoing the key', async () => {
		const badKey = 'xkeysib-0000000000000000000000000000000000000000000000000000000000000000-BADBADBAD';
		const client = createBrevoClient({ apiKey: badKey, baseUrl: brevo.apiUrl });
		const nodeError = toBrevoNodeError(node, await thrown(client.account.getAccount()));
		expect(nodeError.httpCode).toBe('401');
		expect(nodeError.message).toMatch(/unauthorized/);
		expect(nodeError.description).toMatch(/API Keys/);
		expect(JSON.stringify({ m: nodeError.message, d: nodeError.description })).not.toContain('BADBADBAD');
	});

	it('carries Brevo\'s code and message for a missing contact', async () => {
		const client = createBrevoClient({ apiKey: brevo.apiKey, baseUrl: brevo.apiUrl });
		const error = await thrown(
			client.contacts.getContactInfo({ identifier: 'nobody@example.com', identifierType: 'email_id' } as never),
		);
		const nodeError = toBrevoNodeError(node, error, { itemIndex: 1 });
		expect(nodeError.message).toMatch(/document_not_found.*Contact does not exist/);
		expect(nodeError.context.itemIndex).toBe(1);
	});

	it('brevoRequest shares the handling and throws what toBrevoNodeError understands', async () => {
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
