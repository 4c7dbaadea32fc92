/**
 * Each credential's test, run the way the editor's "Test" button runs it, against the emulators: passes for a good
 * token/key, fails with a clear message naming the fix for a bad one, and never echoes the secret.
 */
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { testCredential } from '../harness';

let slack: SlackEmulator;
let brevo: BrevoEmulator;
beforeAll(async () => {
	[slack, brevo] = await Promise.all([startSlackEmulator(), startBrevoEmulator()]);
});
afterAll(async () => {
	await Promise.all([slack.close(), brevo.close()]);
});

function expectNoSecret(result: unknown, secret: string) {
	expect(JSON.stringify(result)).not.toContain(secret);
}

describe('slackBrevoBotApi', () => {
	it('passes with a valid bot token', async () => {
		const result = await testCredential('slackBrevoBotApi', { accessToken: slack.botToken, baseUrl: slack.apiUrl });
		expect(result.status).toBe('OK');
		expect(slack.requests({ method: 'auth.test' }).at(-1)?.headers.authorization).toMatch(/^Bearer /);
	});

	it('passes with a rotated xoxe.xoxb- token', async () => {
		const token = 'xoxe.xoxb-1-rotatedtokenvalue0001';
		slack.addToken({ token, scopes: ['chat:write'] });
		const result = await testCredential('slackBrevoBotApi', { accessToken: token, baseUrl: slack.apiUrl });
		expect(result.status).toBe('OK');
	});

	it('fails on invalid_auth with the fix, without the token', async () => {
		const token = 'xoxb-999-not-a-real-token-at-all';
		const result = await testCredential('slackBrevoBotApi', { accessToken: token, baseUrl: slack.apiUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/invalid_auth.*OAuth & Permissions/);
		expectNoSecret(result, token);
	});

	it('fails on token_revoked with the fix', async () => {
		const token = 'xoxb-777-revoked-token-value';
		slack.addToken({ token, scopes: ['chat:write'], revoked: true });
		const result = await testCredential('slackBrevoBotApi', { accessToken: token, baseUrl: slack.apiUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/token_revoked.*Reinstall/);
		expectNoSecret(result, token);
	});

	it('fails when no token reaches Slack', async () => {
		const result = await testCredential('slackBrevoBotApi', { accessToken: '', baseUrl: slack.apiUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/not_authed|invalid_auth/);
	});
});

describe('slackBrevoBrevoApi', () => {
	it('passes with a valid key and sends it in the api-key header', async () => {
		const result = await testCredential('slackBrevoBrevoApi', { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl });
		expect(result.status).toBe('OK');
		const last = brevo.requests().filter((r) => r.path === '/v3/account').at(-1);
		expect(last?.status).toBe(200);
	});

	it('fails on a bad key with the fix, without the key', async () => {
		const key = 'xkeysib-1111111111111111111111111111111111111111111111111111111111111111-ZZZZZZZZZZZZZZZZ';
		const result = await testCredential('slackBrevoBrevoApi', { apiKey: key, baseUrl: brevo.apiUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/API Keys/);
		expectNoSecret(result, key);
	});

	it('fails on a base URL without /v3', async () => {
		const result = await testCredential('slackBrevoBrevoApi', { apiKey: brevo.apiKey, baseUrl: brevo.url });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/\/v3/);
	});
});

describe('slackBrevoSigningSecretApi', () => {
	it('passes for a well-formed secret', async () => {
		const result = await testCredential('slackBrevoSigningSecretApi', { signingSecret: '8f742231b10e8888abcd99ccc9dd85a5' });
		expect(result.status).toBe('OK');
	});

	it('fails for a token pasted by mistake, without echoing it', async () => {
		const secret = 'xoxb-123-pasted-the-wrong-thing';
		const result = await testCredential('slackBrevoSigningSecretApi', { signingSecret: secret });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/not the signing secret/);
		expectNoSecret(result, secret);
	});
});
