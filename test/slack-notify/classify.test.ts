/** Which failed posts may be retried: only answers proving Slack posted nothing. Errors as @slack/web-api throws them. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ErrorCode, WebClient } from '@slack/web-api';

import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { classifySlackError } from '../../nodes/shared/slack/errors';

let emu: SlackEmulator;
let channel: string;
beforeAll(async () => {
	emu = await startSlackEmulator();
	channel = emu.addChannel({ name: 'classify' }).id;
});
afterAll(async () => await emu.close());

const client = (o: { timeout?: number; url?: string } = {}) =>
	new WebClient(emu.botToken, { slackApiUrl: o.url ?? emu.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: o.timeout ?? 0 });

async function failure(fault: object | undefined, o: { timeout?: number; url?: string } = {}): Promise<unknown> {
	if (fault) emu.injectFault({ method: 'chat.postMessage', ...fault });
	try {
		await client(o).chat.postMessage({ channel, text: 'x' });
	} catch (error) {
		return error;
	}
	throw new Error('expected a failure');
}

describe('classifySlackError on real SDK errors', () => {
	it('429 -> rate limited with Retry-After in ms', async () => {
		const e = await failure({ status: 429, retryAfter: 7 });
		expect((e as { code: string }).code).toBe(ErrorCode.RateLimitedError);
		expect(classifySlackError(e)).toEqual({ kind: 'ratelimited', retryAfterMs: 7000 });
	});
	it('ok:false with a code -> fatal (never retried)', async () => {
		expect(classifySlackError(await failure({ error: 'channel_not_found' }))).toEqual({ kind: 'fatal' });
	});
	it('5xx and timeouts -> ambiguous (Slack may have posted)', async () => {
		expect(classifySlackError(await failure({ status: 503 }))).toEqual({ kind: 'ambiguous' });
		expect(classifySlackError(await failure({ delayMs: 400 }, { timeout: 100 }))).toEqual({ kind: 'ambiguous' });
	});
	it('connection refused -> safe to retry; an unknown network failure stays ambiguous', async () => {
		// Under jest, fetch's TypeError comes from another realm, so the SDK's `instanceof Error` fails and it wraps a
		// copy without the cause. The shape below is what the SDK produces in a plain Node process (n8n): checked by
		// hand with the same request against a closed port (`original.cause.code === 'ECONNREFUSED'`).
		const refused = { code: ErrorCode.RequestError, original: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) }) };
		expect(classifySlackError(refused)).toEqual({ kind: 'retry', delayMs: 1000 });
		const server = createServer();
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		const { port } = server.address() as AddressInfo;
		await new Promise<void>((r) => server.close(() => r()));
		const real = await failure(undefined, { url: `http://127.0.0.1:${port}/api/` });
		expect((real as { code: string }).code).toBe(ErrorCode.RequestError);
		expect(['retry', 'ambiguous']).toContain(classifySlackError(real).kind);
		const reset = { code: ErrorCode.RequestError, original: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) }) };
		expect(classifySlackError(reset)).toEqual({ kind: 'ambiguous' });
	});
});
