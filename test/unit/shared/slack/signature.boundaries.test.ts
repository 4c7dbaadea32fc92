/**
 * Boundaries of Slack request verification that the main suite leaves open (mutation testing, issue 18): each refusal's
 * message says what is wrong, the signature pattern is anchored at both ends, the timestamp is checked before the HMAC,
 * and the skew figures in the messages have the right sign.
 */
import { computeSlackSignature, verifySlackSignature } from '../../../../nodes/shared/slack/signature';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TS = 1531420618;
const BODY = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fwebhook-collect&text=';
const SIG = computeSlackSignature(SECRET, TS, BODY);
const NOW = TS * 1000;

const check = (over: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) =>
	verifySlackSignature({ signingSecret: SECRET, rawBody: BODY, timestamp: String(TS), signature: SIG, nowMs: NOW, ...over });

function refusal(over: Partial<Parameters<typeof verifySlackSignature>[0]>): { reason: string; message: string } {
	const result = check(over);
	if (result.ok) throw new Error('expected a refusal');
	return result;
}

describe('verifySlackSignature: every refusal names its cause', () => {
	it.each([
		['missing_secret', { signingSecret: '' }, /no signing secret is configured/i],
		['missing_timestamp', { timestamp: undefined }, /X-Slack-Request-Timestamp header is missing/],
		['malformed_timestamp', { timestamp: 'soon' }, /X-Slack-Request-Timestamp header is not a Unix time in seconds/],
		['missing_signature', { signature: undefined }, /X-Slack-Signature header is missing/],
		['malformed_signature', { signature: 'v0=abc' }, /X-Slack-Signature header is not "v0=" followed by 64 hexadecimal/],
		['signature_mismatch', { signingSecret: 'another-secret' }, /does not match the body: wrong signing secret/],
	] as const)('%s', (reason, over, message) => {
		const result = refusal(over as never);
		expect(result.reason).toBe(reason);
		expect(result.message).toMatch(message);
	});

	it('states the age of a stale request and of a future one as positive seconds, with the window', () => {
		expect(refusal({ nowMs: (TS + 400) * 1000 })).toEqual({
			ok: false,
			reason: 'stale_timestamp',
			message: 'The request timestamp is 400 s old (more than 300 s): possible replay',
		});
		expect(refusal({ nowMs: (TS - 400) * 1000 })).toEqual({
			ok: false,
			reason: 'future_timestamp',
			message: 'The request timestamp is 400 s in the future (more than 300 s): check the clocks',
		});
	});
});

describe('verifySlackSignature: inputs at the edges', () => {
	it('refuses a secret that is not a string as missing (a JavaScript caller passing undefined)', () => {
		expect(refusal({ signingSecret: undefined as never }).reason).toBe('missing_secret');
		expect(refusal({ signingSecret: 42 as never }).reason).toBe('missing_secret');
	});

	it('takes an empty signature header as missing, not malformed', () => {
		expect(refusal({ signature: '' }).reason).toBe('missing_signature');
		expect(refusal({ signature: [''] }).reason).toBe('missing_signature');
	});

	it('anchors the signature pattern at the start: text before "v0=" is malformed', () => {
		expect(refusal({ signature: 'x' + SIG }).reason).toBe('malformed_signature');
		expect(refusal({ signature: 'v1,' + SIG }).reason).toBe('malformed_signature');
	});

	it('anchors the timestamp pattern at both ends and allows at most 12 digits', () => {
		expect(refusal({ timestamp: 'x' + TS }).reason).toBe('malformed_timestamp');
		expect(refusal({ timestamp: TS + 'x' }).reason).toBe('malformed_timestamp');
		expect(refusal({ timestamp: '1234567890123' }).reason).toBe('malformed_timestamp');
		// 12 digits is a well-formed (if stale) timestamp
		expect(refusal({ timestamp: '000001531420' }).reason).toBe('stale_timestamp');
	});

	it('accepts the exact edge of a custom window and refuses one second past it, in both directions', () => {
		expect(check({ nowMs: (TS + 10) * 1000, toleranceSeconds: 10 }).ok).toBe(true);
		expect(check({ nowMs: (TS - 10) * 1000, toleranceSeconds: 10 }).ok).toBe(true);
		expect(refusal({ nowMs: (TS + 11) * 1000, toleranceSeconds: 10 }).reason).toBe('stale_timestamp');
		expect(refusal({ nowMs: (TS - 11) * 1000, toleranceSeconds: 10 }).reason).toBe('future_timestamp');
	});

	it('ignores the milliseconds of the clock (whole seconds, rounded down)', () => {
		expect(check({ nowMs: (TS + 300) * 1000 + 999 }).ok).toBe(true);
		expect(check({ nowMs: (TS - 300) * 1000 - 1 }).ok).toBe(false);
	});
});

describe('verifySlackSignature: check order', () => {
	it('checks the timestamp before the signature: a replayed request with a wrong signature is refused as stale', () => {
		expect(refusal({ nowMs: (TS + 301) * 1000, signature: 'v0=' + '0'.repeat(64) }).reason).toBe('stale_timestamp');
		expect(refusal({ nowMs: (TS - 301) * 1000, signature: 'v0=' + '0'.repeat(64) }).reason).toBe('future_timestamp');
	});

	it('checks the secret first, then the timestamp header, then the signature header', () => {
		expect(refusal({ signingSecret: '', timestamp: undefined, signature: undefined }).reason).toBe('missing_secret');
		expect(refusal({ timestamp: undefined, signature: undefined }).reason).toBe('missing_timestamp');
		expect(refusal({ timestamp: 'x', signature: undefined }).reason).toBe('malformed_timestamp');
		expect(refusal({ signature: 'v0=x', nowMs: (TS + 301) * 1000 }).reason).toBe('malformed_signature');
	});
});
