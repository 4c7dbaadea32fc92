/**
 * Boundaries of Brevo call authentication (mutation testing, issue 18): stored hashes, parsing of the Authorization
 * header, which method and which secret a match reports, the order of the refusal reasons, the shared secret's rules
 * one by one, and the registration token.
 */
import { createHash } from 'crypto';

import {
	authenticateRequest,
	matchesHash,
	MIN_SHARED_SECRET_LENGTH,
	newRegistrationToken,
	registrationTokenHash,
	REGISTRATION_TOKEN_BYTES,
	sharedSecretProblem,
	urlWithCredentials,
	type AcceptedSecret,
} from '../../../../nodes/shared/brevo/auth';

const basic = (userAndPassword: string) => `Basic ${Buffer.from(userAndPassword).toString('base64')}`;
const TOKEN = 'registration-token-0123456789abcdef';
const sha = (v: string) => createHash('sha256').update(v).digest('hex');
const hashed: AcceptedSecret = { secret: '', secretHash: sha(TOKEN), label: 'hashed', methods: ['bearer'] };

describe('registration tokens and their hashes', () => {
	it('registrationTokenHash is the SHA-256 hex of the token', () => {
		expect(registrationTokenHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});

	it('matchesHash accepts the token of a hash (hex in either case) and nothing else', () => {
		expect(matchesHash(TOKEN, sha(TOKEN))).toBe(true);
		expect(matchesHash(TOKEN, sha(TOKEN).toUpperCase())).toBe(true);
		expect(matchesHash(TOKEN + 'x', sha(TOKEN))).toBe(false);
		expect(matchesHash('', sha(''))).toBe(true);
	});

	it('matchesHash refuses a stored value that is not exactly 64 hex digits, even the presented value itself', () => {
		const h = sha(TOKEN);
		expect(matchesHash(TOKEN, h.slice(0, 63))).toBe(false);
		expect(matchesHash(TOKEN, h + '0')).toBe(false);
		expect(matchesHash(TOKEN, ' ' + h)).toBe(false);
		expect(matchesHash(TOKEN, h.slice(0, 63) + 'g')).toBe(false);
		// an all-zero digest is what an unusable hash is compared against; it must still not match
		expect(matchesHash(TOKEN, 'not-a-hash')).toBe(false);
		expect(matchesHash(TOKEN, '')).toBe(false);
	});

	it('a hashed secret authenticates its bearer token, ignores the clear `secret` field, and is unusable when malformed', () => {
		expect(authenticateRequest({ authorization: `Bearer ${TOKEN}` }, [hashed])).toEqual({ ok: true, method: 'bearer', label: 'hashed' });
		expect(authenticateRequest({ authorization: 'Bearer clear-value-0123' }, [{ ...hashed, secret: 'clear-value-0123' }])).toEqual({
			ok: false,
			reason: 'wrong_credentials',
		});
		expect(authenticateRequest({ authorization: `Bearer ${TOKEN}` }, [{ ...hashed, secretHash: 'xyz', secret: TOKEN }])).toEqual({
			ok: false,
			reason: 'no_secret_configured',
		});
	});

	it('newRegistrationToken asks for 32 random bytes and encodes them as 43 base64url characters', () => {
		const sizes: number[] = [];
		const token = newRegistrationToken((size) => {
			sizes.push(size);
			return Buffer.alloc(size, 0xfb);
		});
		expect(REGISTRATION_TOKEN_BYTES).toBe(32);
		expect(sizes).toEqual([32]);
		expect(token).toBe(Buffer.alloc(32, 0xfb).toString('base64url'));
		expect(token).toHaveLength(43);
		expect(token).not.toMatch(/[+/=]/);
	});

	it('newRegistrationToken refuses a source that gives fewer than 32 bytes, and accepts exactly 32', () => {
		expect(() => newRegistrationToken(() => Buffer.alloc(31))).toThrow('not enough random bytes for a webhook token');
		expect(newRegistrationToken(() => Buffer.alloc(32))).toHaveLength(43);
	});
});

describe('authenticateRequest: the Authorization header', () => {
	const shared: AcceptedSecret = { secret: 'shared-secret-0123456789', label: 'shared', methods: ['bearer', 'basic'] };

	it('takes an empty or blank header as no credentials', () => {
		expect(authenticateRequest({ authorization: '' }, [shared])).toEqual({ ok: false, reason: 'missing_credentials' });
		expect(authenticateRequest({ authorization: '   ' }, [shared])).toEqual({ ok: false, reason: 'missing_credentials' });
	});

	it('takes a scheme without a value as malformed', () => {
		expect(authenticateRequest({ authorization: 'Bearer' }, [shared])).toEqual({ ok: false, reason: 'malformed_authorization' });
		expect(authenticateRequest({ authorization: 'Bearer   ' }, [shared])).toEqual({ ok: false, reason: 'malformed_authorization' });
	});

	it('allows spaces around the scheme and the value, and any case of the scheme', () => {
		expect(authenticateRequest({ authorization: `  BEARER   ${shared.secret}  ` }, [shared])).toMatchObject({ ok: true, method: 'bearer' });
		expect(authenticateRequest({ authorization: ` bAsIc ${Buffer.from(`u:${shared.secret}`).toString('base64')} ` }, [shared])).toMatchObject({
			ok: true,
			method: 'basic',
		});
	});

	it('splits basic credentials at the first colon: the password may contain colons, the user name may be empty', () => {
		const colon: AcceptedSecret = { secret: 'pass:with:colons', label: 'c', methods: ['basic'] };
		expect(authenticateRequest({ authorization: basic('user:pass:with:colons') }, [colon])).toEqual({ ok: true, method: 'basic', label: 'c' });
		expect(authenticateRequest({ authorization: basic(':pass:with:colons') }, [colon])).toEqual({ ok: true, method: 'basic', label: 'c' });
		expect(authenticateRequest({ authorization: basic('pass:with:colons') }, [colon])).toEqual({ ok: false, reason: 'wrong_credentials' });
	});

	it('requires the configured basic user name exactly; with none configured, any user name', () => {
		const withUser: AcceptedSecret = { ...shared, basicUser: 'brevo' };
		expect(authenticateRequest({ authorization: basic(`brevo:${shared.secret}`) }, [withUser])).toMatchObject({ ok: true });
		expect(authenticateRequest({ authorization: basic(`Brevo:${shared.secret}`) }, [withUser])).toEqual({ ok: false, reason: 'wrong_credentials' });
		expect(authenticateRequest({ authorization: basic(`brevo:wrong-secret-000000`) }, [withUser])).toEqual({ ok: false, reason: 'wrong_credentials' });
		expect(authenticateRequest({ authorization: basic(`anyone:${shared.secret}`) }, [{ ...shared, basicUser: '' }])).toMatchObject({ ok: true });
	});

	it('reads user:secret only under the Basic scheme: the same credentials under another scheme are malformed', () => {
		const encoded = Buffer.from(`u:${shared.secret}`).toString('base64');
		expect(authenticateRequest({ authorization: `Digest ${encoded}` }, [shared])).toEqual({ ok: false, reason: 'malformed_authorization' });
		expect(authenticateRequest({ authorization: `Token ${encoded}` }, [shared])).toEqual({ ok: false, reason: 'malformed_authorization' });
	});

	it('does not accept a method the secret does not list, and says credentials were presented', () => {
		const bearerOnly: AcceptedSecret = { ...shared, methods: ['bearer'] };
		const basicOnly: AcceptedSecret = { ...shared, methods: ['basic'] };
		expect(authenticateRequest({ authorization: basic(`u:${shared.secret}`) }, [bearerOnly])).toEqual({ ok: false, reason: 'wrong_credentials' });
		expect(authenticateRequest({ authorization: `Bearer ${shared.secret}` }, [basicOnly])).toEqual({ ok: false, reason: 'wrong_credentials' });
	});
});

describe('authenticateRequest: custom header, several secrets, reason order', () => {
	const header: AcceptedSecret = { secret: 'header-secret-0123456789', label: 'hdr', methods: ['header', 'bearer'], headerName: 'X-Brevo-Secret' };

	it('trims the header value, and a header secret without a header name accepts no header', () => {
		expect(authenticateRequest({ 'X-BREVO-SECRET': `  ${header.secret} ` }, [header])).toEqual({ ok: true, method: 'header', label: 'hdr' });
		expect(authenticateRequest({ 'x-brevo-secret': header.secret }, [{ ...header, headerName: undefined }])).toEqual({
			ok: false,
			reason: 'missing_credentials',
		});
		expect(authenticateRequest({ 'x-brevo-secret': header.secret }, [{ ...header, methods: ['bearer'] }])).toEqual({
			ok: false,
			reason: 'missing_credentials',
		});
	});

	it('reports bearer when both the bearer token and the header match the same secret', () => {
		expect(authenticateRequest({ authorization: `Bearer ${header.secret}`, 'x-brevo-secret': header.secret }, [header])).toEqual({
			ok: true,
			method: 'bearer',
			label: 'hdr',
		});
	});

	it('reports basic, not header, when both match the same secret', () => {
		const both: AcceptedSecret = { ...header, methods: ['header', 'basic'] };
		expect(authenticateRequest({ authorization: basic(`u:${header.secret}`), 'x-brevo-secret': header.secret }, [both])).toEqual({
			ok: true,
			method: 'basic',
			label: 'hdr',
		});
	});

	it('names the first accepted secret that matches, in the given order, even when a later one matches too', () => {
		const a: AcceptedSecret = { secret: 'same-secret-0123456789', label: 'first', methods: ['bearer'] };
		const b: AcceptedSecret = { ...a, label: 'second' };
		expect(authenticateRequest({ authorization: `Bearer ${a.secret}` }, [a, b])).toMatchObject({ label: 'first' });
		expect(authenticateRequest({ authorization: `Bearer ${a.secret}` }, [b, a])).toMatchObject({ label: 'second' });
		const unusable: AcceptedSecret = { ...a, secret: '', label: 'unusable' };
		expect(authenticateRequest({ authorization: 'Bearer ' + a.secret }, [unusable, b])).toMatchObject({ ok: true, label: 'second' });
	});

	it('a match wins over a malformed Authorization header; malformed wins over wrong; wrong over missing', () => {
		expect(authenticateRequest({ authorization: 'Token x', 'x-brevo-secret': header.secret }, [header])).toEqual({ ok: true, method: 'header', label: 'hdr' });
		expect(authenticateRequest({ authorization: 'Token x', 'x-brevo-secret': 'wrong' }, [header])).toEqual({ ok: false, reason: 'malformed_authorization' });
		expect(authenticateRequest({ 'x-brevo-secret': 'wrong' }, [header])).toEqual({ ok: false, reason: 'wrong_credentials' });
		expect(authenticateRequest({ 'x-other': header.secret }, [header])).toEqual({ ok: false, reason: 'missing_credentials' });
	});

	it('a secret that is not a string is unusable', () => {
		expect(authenticateRequest({ authorization: 'Bearer x' }, [{ ...header, secret: undefined as never }])).toEqual({
			ok: false,
			reason: 'no_secret_configured',
		});
	});
});

describe('sharedSecretProblem, one rule at a time', () => {
	const ok = 'abcdefghijklmnop';

	it('accepts exactly 16 characters and refuses 15', () => {
		expect(MIN_SHARED_SECRET_LENGTH).toBe(16);
		expect(sharedSecretProblem(ok)).toBeUndefined();
		expect(sharedSecretProblem(ok.slice(1))).toBe('the shared secret is shorter than 16 characters');
	});

	it('names an unset secret', () => {
		expect(sharedSecretProblem(undefined)).toBe('no shared secret is set');
		expect(sharedSecretProblem('')).toBe('no shared secret is set');
	});

	it('refuses the example placeholder only as a prefix', () => {
		expect(sharedSecretProblem('REPLACE_ME_0123456789')).toBe(
			'the shared secret is still the placeholder of the example workflow (replace it with your own random value)',
		);
		expect(sharedSecretProblem('0123456789REPLACE_ME')).toBeUndefined();
	});

	it.each([' ', '\t', ':', '@', '/', '?', '#'])('refuses a secret containing %p', (c) => {
		expect(sharedSecretProblem(`${ok}${c}x`)).toBe(
			'the shared secret contains a space or one of : @ / ? # (it must fit inside a URL and a header)',
		);
	});

	it('allows the other URL-safe punctuation', () => {
		expect(sharedSecretProblem(`${ok}-_.~!$*+`)).toBeUndefined();
	});
});

describe('urlWithCredentials', () => {
	it('URL-encodes the user name and the secret', () => {
		expect(urlWithCredentials('https://n8n.example.com/webhook/x', 'a b', 'p%w&d')).toBe('https://a%20b:p%25w%26d@n8n.example.com/webhook/x');
	});
});
