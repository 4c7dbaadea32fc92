/**
 * The Slack client, made as a node makes it (n8n-core's request helper), against the Slack emulator: base URL from the credential, 429 + Retry-After honoured
 * within a bounded budget, ok:false never retried, and errors translated into NodeApiError with Slack's code and
 * the remedy, never the token.
 */
import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { getSlackClient, slackErrorCode, toSlackNodeError, type SlackClientOptions, type SlackCredentials } from '../../nodes/shared/n8n/slackClient';
import { nodeContext } from '../harness';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';

const node: INode = {
	id: '1',
	name: 'Slack Notify',
	type: 'n8n-nodes-slack-brevo.slackNotify',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** The client exactly as a node gets it: n8n-core's ExecuteContext, its httpRequestWithAuthentication, the credential's authenticate. */
async function createSlackClient(credentials: SlackCredentials, options: SlackClientOptions = {}) {
	return await getSlackClient(nodeContext({ credentials: { slackBrevoBotApi: { ...credentials } } }), options);
}

let slack: SlackEmulator;
beforeAll(async () => {
	slack = await startSlackEmulator();
});
afterAll(async () => {
	await slack.close();
});
beforeEach(() => slack.reset());

async function thrown(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected the call to fail');
}

describe('getSlackClient (through n8n-core)', () => {
	it('talks to the base URL of the credential, with or without a trailing slash', async () => {
		for (const baseUrl of [slack.apiUrl, slack.apiUrl.replace(/\/$/, '')]) {
			const client = await createSlackClient({ accessToken: slack.botToken, baseUrl });
			const res = await client.auth.test();
			expect(res.ok).toBe(true);
			expect(res.team_id).toBe(slack.teamId);
		}
	});

	it('waits exactly what Retry-After asks and then succeeds', async () => {
		const sleeps: number[] = [];
		const limited: number[] = [];
		slack.injectFault({ method: 'auth.test', times: 2, status: 429, retryAfter: 3 });
		const client = await createSlackClient(
			{ accessToken: slack.botToken, baseUrl: slack.apiUrl },
			{ sleep: async (ms: number) => void sleeps.push(ms), onRateLimited: (_m: string, s: number) => void limited.push(s) },
		);
		const res = await client.auth.test();
		expect(res.ok).toBe(true);
		expect(sleeps).toEqual([3000, 3000]);
		expect(limited).toEqual([3, 3]);
	});

	it('fails with a ratelimited NodeApiError once the wait budget is spent', async () => {
		slack.injectFault({ method: 'auth.test', times: 10, status: 429, retryAfter: 30 });
		const client = await createSlackClient(
			{ accessToken: slack.botToken, baseUrl: slack.apiUrl },
			{ sleep: async () => undefined, maxRateLimitWaitMs: 60_000 },
		);
		const error = await thrown(client.auth.test());
		expect(slackErrorCode(error)).toBe('ratelimited');
		const nodeError = toSlackNodeError(node, error, { action: 'checking the token' });
		expect(nodeError).toBeInstanceOf(NodeApiError);
		expect(nodeError.message).toMatch(/rate limit.*checking the token.*30 s/);
		expect(nodeError.description).toMatch(/already waited as long as allowed \(60 s\)/);
		// 1 call + 2 retries fitted into 60 s, the 3rd wait would not
		expect(slack.requests({ method: 'auth.test' })).toHaveLength(3);
	});

	it('never retries ok:false answers', async () => {
		const client = await createSlackClient({ accessToken: slack.botToken, baseUrl: slack.apiUrl });
		await thrown(client.chat.postMessage({ channel: 'C_DOES_NOT_EXIST', text: 'hi' }));
		expect(slack.requests({ method: 'chat.postMessage' })).toHaveLength(1);
	});
});

describe('toSlackNodeError', () => {
	it('names the remedy for a bad token and never echoes it', async () => {
		const badToken = 'xoxb-000000000-badbadbadbad';
		const client = await createSlackClient({ accessToken: badToken, baseUrl: slack.apiUrl });
		const error = await thrown(client.auth.test());
		const nodeError = toSlackNodeError(node, error);
		expect(nodeError.message).toMatch(/invalid_auth/);
		expect(nodeError.description).toMatch(/OAuth & Permissions/);
		expect(JSON.stringify({ m: nodeError.message, d: nodeError.description, c: nodeError.context })).not.toContain(badToken);
	});

	it('names the missing scope from Slack\'s "needed"', async () => {
		const token = 'xoxb-111-limited-scopes-token';
		slack.addToken({ token, scopes: ['chat:write'] });
		const client = await createSlackClient({ accessToken: token, baseUrl: slack.apiUrl });
		const error = await thrown(client.users.list({}));
		const nodeError = toSlackNodeError(node, error);
		expect(nodeError.message).toMatch(/missing_scope/);
		expect(nodeError.message).toMatch(/users:read/);
		expect(nodeError.description).toMatch(/users:read.*Bot Token Scopes.*reinstall/);
	});

	it('tells how to invite the bot on not_in_channel', async () => {
		const channel = slack.addChannel({ name: 'no-bot-here', members: [] });
		const client = await createSlackClient({ accessToken: slack.botToken, baseUrl: slack.apiUrl });
		const error = await thrown(client.chat.postMessage({ channel: channel.id, text: 'hi' }));
		expect(slackErrorCode(error)).toBe('not_in_channel');
		const nodeError = toSlackNodeError(node, error, { channel: '#no-bot-here', itemIndex: 2 });
		expect(nodeError.description).toMatch(/\/invite @your-bot-name in #no-bot-here/);
		expect(nodeError.context.itemIndex).toBe(2);
	});

	it('reports an unreachable base URL as such', async () => {
		const client = await createSlackClient({ accessToken: slack.botToken, baseUrl: 'http://127.0.0.1:9/api/' }, { retries: 0 });
		const nodeError = toSlackNodeError(node, await thrown(client.auth.test()));
		expect(nodeError.message).toMatch(/Could not reach Slack: connection refused/);
		// The whole error object, as n8n stores it with the execution: no token anywhere in it.
		expect(nodeError.description).toMatch(/ECONNREFUSED/);
		expect(JSON.stringify(nodeError)).not.toContain(slack.botToken);
		expect(JSON.stringify(nodeError.cause ?? null)).not.toContain(slack.botToken);
	});
});

describe('secrets at the transport boundary', () => {
	it("keeps neither a pattern-shaped nor a plain token anywhere in the error when Slack's answer echoes it", async () => {
		// A token no pattern recognises: only the credential value itself can find it.
		const token = 'plain-token-value-without-any-known-prefix-0042';
		slack.addToken({ token, scopes: ['chat:write', 'channels:read'] });
		for (const echoed of [token, slack.botToken]) {
			slack.injectFault({
				method: 'auth.test',
				times: 1,
				body: {
					ok: false,
					error: 'invalid_auth',
					errors: [`token ${echoed} is not valid`],
					response_metadata: { messages: [`[ERROR] Authorization: Bearer ${echoed}`, `echo: ${echoed}`] },
				},
			});
			const client = await createSlackClient({ accessToken: echoed, baseUrl: slack.apiUrl });
			const error = await thrown(client.auth.test());
			expect(JSON.stringify(error)).not.toContain(echoed);
			const nodeError = toSlackNodeError(node, error, { action: 'checking the token' });
			expect(nodeError.message).toMatch(/invalid_auth/);
			expect(nodeError.description).toMatch(/\[redacted\]/);
			for (const part of [JSON.stringify(nodeError), nodeError.message, nodeError.description, JSON.stringify(nodeError.messages), JSON.stringify(nodeError.context)]) {
				expect(part ?? '').not.toContain(echoed);
			}
		}
	});
});
