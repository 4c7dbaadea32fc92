import {
	computeSlackSignature,
	verifySlackSignature,
} from '../../../../nodes/shared/slack/signature';

// Golden vector from Slack's documentation / bolt-js tests (reference/slack.md).
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TS = 1531420618;
const BODY =
	'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const GOLDEN = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const NOW = TS * 1000 + 10_000;

const check = (over: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) =>
	verifySlackSignature({ signingSecret: SECRET, rawBody: Buffer.from(BODY), timestamp: String(TS), signature: GOLDEN, nowMs: NOW, ...over });

describe('computeSlackSignature', () => {
	it('reproduces the golden vector', () => {
		expect(computeSlackSignature(SECRET, TS, BODY)).toBe(GOLDEN);
		expect(computeSlackSignature(SECRET, String(TS), Buffer.from(BODY))).toBe(GOLDEN);
	});
});

describe('verifySlackSignature', () => {
	it('accepts the golden vector over the raw bytes', () => {
		expect(check()).toEqual({ ok: true, timestamp: TS });
		expect(check({ rawBody: BODY })).toEqual({ ok: true, timestamp: TS });
	});

	it('accepts an upper-case hex signature (same bytes)', () => {
		expect(check({ signature: 'v0=' + GOLDEN.slice(3).toUpperCase() }).ok).toBe(true);
	});

	it('accepts a header given as a one-element array (node:http style)', () => {
		expect(check({ timestamp: [String(TS)], signature: [GOLDEN] }).ok).toBe(true);
	});

	it.each([
		['missing_secret', { signingSecret: '' }],
		['missing_timestamp', { timestamp: undefined }],
		['missing_timestamp', { timestamp: '' }],
		['malformed_timestamp', { timestamp: '15314206l8' }],
		['malformed_timestamp', { timestamp: '1531420618.5' }],
		['malformed_timestamp', { timestamp: [String(TS), String(TS)] }],
		['missing_signature', { signature: undefined }],
		['malformed_signature', { signature: 'a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503' }],
		['malformed_signature', { signature: 'v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503' }],
		['malformed_signature', { signature: GOLDEN.slice(0, -2) }],
		['malformed_signature', { signature: GOLDEN + 'zz' }],
		['malformed_signature', { signature: [GOLDEN, GOLDEN] }],
		['signature_mismatch', { signingSecret: SECRET.replace('8f', '9f') }],
		['signature_mismatch', { rawBody: BODY.replace('text=', 'text=x') }],
		['signature_mismatch', { signature: GOLDEN.slice(0, -1) + '4' }],
	] as const)('refuses with %s', (reason, over) => {
		const result = check(over as never);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.reason).toBe(reason);
			expect(result.message).not.toContain(SECRET);
			expect(result.message).not.toContain(GOLDEN.slice(3));
		}
	});

	it('uses a five-minute window in both directions', () => {
		expect(check({ nowMs: (TS + 300) * 1000 }).ok).toBe(true);
		expect(check({ nowMs: (TS - 300) * 1000 }).ok).toBe(true);
		expect(check({ nowMs: (TS + 301) * 1000 })).toMatchObject({ ok: false, reason: 'stale_timestamp' });
		expect(check({ nowMs: (TS - 301) * 1000 })).toMatchObject({ ok: false, reason: 'future_timestamp' });
		expect(check({ nowMs: (TS + 30) * 1000, toleranceSeconds: 10 })).toMatchObject({ ok: false, reason: 'stale_timestamp' });
	});

	it('the signature covers the timestamp: a signature made for another timestamp does not match', () => {
		const sig = computeSlackSignature(SECRET, TS + 1, BODY);
		expect(check({ signature: sig })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});
});

