/**
 * Every secret pattern of redact.ts on its own, with its shortest masked length and the longest left alone
 * (mutation testing, issue 18), what each keeps of its prefix, and redactDeep's walk.
 */
import { redactDeep, redactSecrets } from '../../../nodes/shared/redact';

describe('redactSecrets: each pattern, at its length boundary', () => {
	it.each([
		// [text masked, exact output, same shape one character too short (left alone)]
		['xoxb-abcdef', '[redacted]', 'xoxb-abcde'],
		['xoxp-123456', '[redacted]', 'xoxp-12345'],
		['xoxa-2-abcd', '[redacted]', 'xoxa-2-abc'],
		['xoxs-abcdef', '[redacted]', 'xoxs-abcde'],
		['xoxr-abcdef', '[redacted]', 'xoxr-abcde'],
		['xoxo-abcdef', '[redacted]', 'xoxo-abcde'],
		// browser session tokens: a letter outside [abposre]
		['xoxc-abcdef', '[redacted]', 'xoxc-abcde'],
		['xoxd-abcdef', '[redacted]', 'xoxd-abcde'],
		['xoxe-1-abcd', '[redacted]', 'xoxe-1-abc'],
		['xox-abcdefg', '[redacted]', 'xox-abcde'],
		['xoxe.xoxb-1-abcd', '[redacted]', 'xoxe.xoxb-1-abc'],
		['xoxe.xoxp-1-abcd', '[redacted]', 'xoxe.xoxp-1-abc'],
		['xapp-1-abcd', '[redacted]', 'xapp-1-abc'],
		['xkeysib-0123456789', '[redacted]', 'xkeysib-012345678'],
		['xsmtpsib-0123456789', '[redacted]', 'xsmtpsib-012345678'],
		['Bearer abcdefgh', 'Bearer [redacted]', 'Bearer abcdefg'],
		['api_key=abcdef', 'api_key=[redacted]', 'api_key=abcde'],
	])('masks %p as %p and leaves %p alone', (masked, output, tooShort) => {
		expect(redactSecrets(masked)).toBe(output);
		expect(redactSecrets(tooShort)).toBe(tooShort);
	});

	it('masks the whole of a rotated token, not only its part after "xoxe."', () => {
		expect(redactSecrets('rotated xoxe.xoxb-1-abcdefghijklmnop now')).toBe('rotated [redacted] now');
	});

	it('masks a token inside text up to the first character no token has, and every occurrence', () => {
		expect(redactSecrets('a xoxb-12-ab-CD token; again xoxb-12-ab-CD.')).toBe('a [redacted] token; again [redacted].');
		expect(redactSecrets('(xapp-1-A0B1-c2d3)')).toBe('([redacted])');
		expect(redactSecrets('xkeysib-abcdef0123456789-XyZ, next')).toBe('[redacted], next');
		expect(redactSecrets('xsmtpsib-abcdef0123456789-XyZ next')).toBe('[redacted] next');
	});

	it('starts a token only at a word boundary', () => {
		expect(redactSecrets('fooxoxb-abcdefgh')).toBe('fooxoxb-abcdefgh');
		expect(redactSecrets('fooxapp-abcdefgh')).toBe('fooxapp-abcdefgh');
		expect(redactSecrets('fooxkeysib-0123456789')).toBe('fooxkeysib-0123456789');
		expect(redactSecrets('fooxsmtpsib-0123456789')).toBe('fooxsmtpsib-0123456789');
		expect(redactSecrets('fooxoxe.xoxb-1-abcdefgh')).toBe('fooxoxe.[redacted]');
		expect(redactSecrets('x-xoxb-abcdefgh')).toBe('x-[redacted]');
	});

	it('keeps "Bearer " (any case, any spacing) and masks the value with its URL-safe and base64 characters', () => {
		expect(redactSecrets('Authorization: bearer   ab.c_d~e+f/g=h-')).toBe('Authorization: bearer   [redacted]');
		expect(redactSecrets('BEARER abcdefgh"')).toBe('BEARER [redacted]"');
		expect(redactSecrets('Bearer\tabcdefgh')).toBe('Bearer\t[redacted]');
		expect(redactSecrets('Bearerabcdefgh')).toBe('Bearerabcdefgh');
	});

	it.each([
		['api_key=abcdef', 'api_key=[redacted]'],
		['api-key: abcdef', 'api-key: [redacted]'],
		['apikey=abcdef', 'apikey=[redacted]'],
		['API_KEY=abcdef', 'API_KEY=[redacted]'],
		['token=abcdef', 'token=[redacted]'],
		['signing_secret=abcdef', 'signing_secret=[redacted]'],
		['signing-secret=abcdef', 'signing-secret=[redacted]'],
		['signingsecret=abcdef', 'signingsecret=[redacted]'],
		['client_secret=abcdef', 'client_secret=[redacted]'],
		['refresh_token=abcdef', 'refresh_token=[redacted]'],
		['access_token=abcdef', 'access_token=[redacted]'],
		['{"api_key":"abcdef"}', '{"api_key":"[redacted]"}'],
		['{"token" : "abcdef", "ok": true}', '{"token" : "[redacted]", "ok": true}'],
		['a?token=abcdef&b=1', 'a?token=[redacted]&b=1'],
		['token=abcdef,next', 'token=[redacted],next'],
		['{token=abcdef}', '{token=[redacted]}'],
		['token=abcdef more', 'token=[redacted] more'],
	])('masks the value of a named field: %p', (text, output) => {
		expect(redactSecrets(text)).toBe(output);
	});

	it('masks given secrets of 6 characters or more (all occurrences) before the patterns, and ignores shorter or empty ones', () => {
		expect(redactSecrets('s3cr3t and s3cr3t', ['s3cr3t'])).toBe('[redacted] and [redacted]');
		expect(redactSecrets('abcde here', ['abcde'])).toBe('abcde here');
		expect(redactSecrets('plain text', [''])).toBe('plain text');
		expect(redactSecrets(42 as never)).toBe('42');
	});
});

describe('redactDeep', () => {
	it('walks objects and arrays, keeps keys and non-string values, masks strings', () => {
		const value = { a: 'xoxb-abcdefgh', list: ['key s3cr3t-value', 7, true, null, undefined], nested: { token: 'api_key=abcdef' } };
		expect(redactDeep(value, ['s3cr3t-value'])).toEqual({
			a: '[redacted]',
			list: ['key [redacted]', 7, true, null, undefined],
			nested: { token: 'api_key=[redacted]' },
		});
		expect(Array.isArray(redactDeep(['x'], []))).toBe(true);
		expect(redactDeep('plain')).toBe('plain');
	});

	it('marks a circular reference instead of walking it again', () => {
		const loop: Record<string, unknown> = { name: 'loop' };
		loop.self = loop;
		expect(redactDeep(loop)).toEqual({ name: 'loop', self: '[circular]' });
	});

	it('with patterns: false removes only the given values (6+ characters, strings only) and leaves token-like data', () => {
		const data = { text: 'xoxb-abcdefgh and my-own-key and short', n: 1 };
		expect(redactDeep(data, ['my-own-key', 'short', 42 as never], { patterns: false })).toEqual({
			text: 'xoxb-abcdefgh and [redacted] and short',
			n: 1,
		});
		expect(redactDeep({ t: 'xoxb-abcdefgh s3cr3t' }, ['s3cr3t'], { patterns: true })).toEqual({ t: '[redacted] [redacted]' });
	});
});
