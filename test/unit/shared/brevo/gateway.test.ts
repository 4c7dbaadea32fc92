/**
 * The Brevo gateway without n8n, against a scripted HTTP port: a request's timeout covers that request only, never the
 * rate-limit waits between requests (a long `x-sib-ratelimit-reset` is waited out, not reported as "Could not reach
 * Brevo"), and the wait budget is what ends a rate-limited call.
 */
import { BrevoApiError, BrevoGateway, type BrevoHttpRequest } from '../../../../nodes/shared/brevo/gateway';
import { brevoRemedy } from '../../../../nodes/shared/brevo/remedies';
import type { HttpOutcome } from '../../../../nodes/shared/http';

function scripted(answers: HttpOutcome[]) {
	const seen: BrevoHttpRequest[] = [];
	const http = async (request: BrevoHttpRequest): Promise<HttpOutcome> => {
		seen.push(request);
		return answers.shift() ?? { statusCode: 200, headers: {}, body: '{}' };
	};
	return { http, seen };
}
const limited = (resetSec: number): HttpOutcome => ({ statusCode: 429, headers: { 'x-sib-ratelimit-reset': String(resetSec) }, body: { code: 'too_many_requests' } });

describe('BrevoGateway: timeouts and rate-limit waits', () => {
	it('waits a 90 s reset with a 60 s request timeout: each request carries the timeout, the wait is not counted in it', async () => {
		const { http, seen } = scripted([limited(90), { statusCode: 200, headers: {}, body: '{"email":"a@b.io"}' }]);
		const slept: number[] = [];
		const gateway = new BrevoGateway(http, { timeoutMs: 60_000, maxRateLimitWaitMs: 120_000, sleep: async (ms) => void slept.push(ms) });
		await expect(gateway.request({ method: 'GET', path: '/account' })).resolves.toEqual({ email: 'a@b.io' });
		expect(slept).toEqual([90_000]);
		expect(seen.map((r) => r.timeoutMs)).toEqual([60_000, 60_000]);
	});

	it('gives up with Brevo\'s 429 (not a network error) once the next wait would exceed the budget', async () => {
		const { http, seen } = scripted([limited(50), limited(50), limited(50)]);
		const gateway = new BrevoGateway(http, { timeoutMs: 60_000, maxRateLimitWaitMs: 120_000, sleep: async () => undefined });
		const error = await gateway.request({ method: 'GET', path: '/account' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(BrevoApiError);
		expect((error as BrevoApiError).statusCode).toBe(429);
		expect((error as BrevoApiError).rateLimitResetSec).toBe(50);
		expect(seen).toHaveLength(3); // 50 + 50 fit in 120 s; the third 50 would not
	});
});

describe('BrevoGateway: 425 Too Early', () => {
	const tooEarly: HttpOutcome = { statusCode: 425, headers: {}, body: { code: 'invalid_parameter', message: 'Too Early' } };

	it('resends a POST /contacts answered 425 after a wait, and returns the answer that follows', async () => {
		const { http, seen } = scripted([tooEarly, { statusCode: 201, headers: {}, body: '{"id":42}' }]);
		const slept: number[] = [];
		const gateway = new BrevoGateway(http, { sleep: async (ms) => void slept.push(ms) });
		await expect(gateway.request({ method: 'POST', path: '/contacts', body: { email: 'a@b.io' } })).resolves.toEqual({ id: 42 });
		expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /contacts', 'POST /contacts']);
		expect(seen[1].body).toEqual({ email: 'a@b.io' });
		expect(slept).toEqual([1000]);
	});

	it('is bounded: after `retries` resends the 425 is the error, with Brevo\'s status', async () => {
		const { http, seen } = scripted([tooEarly, tooEarly, tooEarly, tooEarly]);
		const slept: number[] = [];
		const gateway = new BrevoGateway(http, { retries: 2, sleep: async (ms) => void slept.push(ms) });
		const error = await gateway.request({ method: 'PUT', path: '/contacts/a%40b.io', body: {} }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(BrevoApiError);
		expect((error as BrevoApiError).statusCode).toBe(425);
		expect(seen).toHaveLength(3);
		expect(slept).toEqual([1000, 2000]);
	});

	it('a POST answered 503 is still not resent (it may have been applied)', async () => {
		const { http, seen } = scripted([{ statusCode: 503, headers: {}, body: '' }]);
		const gateway = new BrevoGateway(http, { sleep: async () => undefined });
		const error = await gateway.request({ method: 'POST', path: '/contacts', body: {} }).catch((e: unknown) => e);
		expect((error as BrevoApiError).statusCode).toBe(503);
		expect(seen).toHaveLength(1);
	});
});

describe('brevoRemedy for a 425 that outlasted the retries', () => {
	it('says to run again later, whatever code Brevo put in the body', () => {
		expect(brevoRemedy('invalid_parameter', 425)).toEqual({
			summary: 'Brevo asked to send the request again later (425 Too Early)',
			fix: 'The node already resent it twice after a wait; run the workflow again in a moment.',
		});
		expect(brevoRemedy('invalid_parameter', 400).summary).toBe('Brevo rejected the request');
	});
});
