/**
 * Authentication of calls Brevo makes to us. Brevo signs nothing (no HMAC): a call is trusted when it carries a
 * secret we gave Brevo, in one of the forms Brevo can send:
 * - `Authorization: Bearer <token>`: the `auth` of a webhook registered through the API;
 * - `Authorization: Basic base64(user:secret)`: a URL with credentials (`https://user:secret@host/...`) pasted
 *   into an automation "Call a webhook" step or a Conversations webhook;
 * - a custom header (`<name>: <secret>`): the `headers` of a webhook, or a header set in Brevo's UI.
 * Comparison is constant-time (sha-256 digests of both sides, so the length does not leak either). A secret we
 * generated ourselves (a registration's bearer token) is kept only as its SHA-256 (`secretHash`): the presented
 * value is hashed and the two 32-byte digests are compared with `timingSafeEqual`.
 * No n8n imports: tested directly.
 */
import { createHash, timingSafeEqual } from 'crypto';

import { header } from '../http';

export type AuthMethod = 'bearer' | 'basic' | 'header';

export interface AcceptedSecret {
	/**
	 * The secret value (a shared secret typed by the user, or a legacy bearer token kept in clear); '' when only its
	 * hash is known (`secretHash`).
	 */
	secret: string;
	/**
	 * Instead of `secret`: the SHA-256 (hex) of the secret, as `registrationTokenHash` makes it; when given, `secret`
	 * is not used. A value that is not 64 hex digits matches nothing.
	 */
	secretHash?: string;
	/** Returned on success, so the caller knows which secret matched (e.g. which registration). */
	label: string;
	/** Which ways of presenting this secret are accepted. */
	methods: AuthMethod[];
	/** For `basic`: the required user name (empty or undefined: any user name). */
	basicUser?: string;
	/** For `header`: the header name (case-insensitive). */
	headerName?: string;
}

export type AuthResult =
	| { ok: true; method: AuthMethod; label: string }
	| { ok: false; reason: 'no_secret_configured' | 'missing_credentials' | 'wrong_credentials' | 'malformed_authorization' };

/** The smallest shared secret accepted: shorter ones are guessable. */
export const MIN_SHARED_SECRET_LENGTH = 16;

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time string equality (no early exit, no length leak). */
export function safeEqual(a: string, b: string): boolean {
	return timingSafeEqual(digest(a), digest(b));
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/**
 * The SHA-256 (hex) of a registration's bearer token: what static data keeps instead of the token. A plain hash,
 * not a salted HMAC, is enough here: the token is 32 random bytes (`newRegistrationToken`), so there is no
 * dictionary or rainbow table to speed up a search, and 2^256 preimages stay out of reach; a salt only helps
 * secrets a person chose. Reading static data therefore no longer gives a token that Brevo's calls would carry.
 */
export function registrationTokenHash(token: string): string {
	return digest(token).toString('hex');
}

/** Constant-time check of a presented value against a stored SHA-256 hex digest (two 32-byte buffers). */
export function matchesHash(presented: string, hashHex: string): boolean {
	const expected = SHA256_HEX.test(hashHex) ? Buffer.from(hashHex, 'hex') : undefined;
	// Compare even when the stored hash is unusable, so the timing is the same; the result is then false.
	const ok = timingSafeEqual(digest(presented), expected ?? Buffer.alloc(32));
	return ok && expected !== undefined;
}

function matchesSecret(presented: string, candidate: AcceptedSecret): boolean {
	if (candidate.secretHash !== undefined) return matchesHash(presented, candidate.secretHash);
	return safeEqual(presented, candidate.secret);
}

function usableSecret(a: AcceptedSecret): boolean {
	if (a.secretHash !== undefined) return SHA256_HEX.test(a.secretHash);
	return typeof a.secret === 'string' && a.secret.length > 0;
}

type HeaderBag = Record<string, string | string[] | undefined>;


interface PresentedAuthorization {
	bearer?: string;
	basic?: { user: string; password: string };
	malformed?: boolean;
}

function parseAuthorization(value: string | undefined): PresentedAuthorization {
	if (value === undefined || value.trim() === '') return {};
	// The value starts at a non-space: "Bearer   " is a scheme without a value (malformed), not the token " ".
	const match = /^\s*(\S+)\s+(\S.*?)\s*$/.exec(value);
	if (!match) return { malformed: true };
	const scheme = match[1].toLowerCase();
	if (scheme === 'bearer') return { bearer: match[2] };
	if (scheme === 'basic') {
		const decoded = Buffer.from(match[2], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		if (colon < 0) return { malformed: true };
		return { basic: { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) } };
	}
	return { malformed: true };
}

/**
 * Checks the request headers against the accepted secrets. Every accepted secret is compared (no early return
 * on the first mismatch), so timing does not tell which one was close.
 */
export function authenticateRequest(headers: HeaderBag, accepted: AcceptedSecret[]): AuthResult {
	const usable = accepted.filter(usableSecret);
	if (usable.length === 0) return { ok: false, reason: 'no_secret_configured' };

	const presented = parseAuthorization(header(headers, 'authorization'));
	let match: { method: AuthMethod; label: string } | undefined;
	let anyPresented = presented.bearer !== undefined || presented.basic !== undefined;

	for (const candidate of usable) {
		let hit: AuthMethod | undefined;
		if (candidate.methods.includes('bearer') && presented.bearer !== undefined) {
			if (matchesSecret(presented.bearer, candidate)) hit = 'bearer';
		}
		if (candidate.methods.includes('basic') && presented.basic !== undefined) {
			const passOk = matchesSecret(presented.basic.password, candidate);
			const userOk = candidate.basicUser ? safeEqual(presented.basic.user, candidate.basicUser) : true;
			if (passOk && userOk) hit = hit ?? 'basic';
		}
		if (candidate.methods.includes('header') && candidate.headerName) {
			const value = header(headers, candidate.headerName);
			if (value !== undefined) {
				anyPresented = true;
				if (matchesSecret(value.trim(), candidate)) hit = hit ?? 'header';
			}
		}
		if (hit && !match) match = { method: hit, label: candidate.label };
	}

	if (match) return { ok: true, ...match };
	if (presented.malformed) return { ok: false, reason: 'malformed_authorization' };
	return { ok: false, reason: anyPresented ? 'wrong_credentials' : 'missing_credentials' };
}

/** Example workflows ship `REPLACE_ME...` as the secret: it is public, so it is refused like no secret. */
export const PLACEHOLDER_PREFIX = 'REPLACE_ME';

/** Why a shared secret cannot be used, or undefined when it is fine. */
export function sharedSecretProblem(secret: string | undefined): string | undefined {
	if (secret === undefined || secret === '') return 'no shared secret is set';
	if (secret.length < MIN_SHARED_SECRET_LENGTH)
		return `the shared secret is shorter than ${MIN_SHARED_SECRET_LENGTH} characters`;
	if (secret.startsWith(PLACEHOLDER_PREFIX))
		return 'the shared secret is still the placeholder of the example workflow (replace it with your own random value)';
	if (/[\s:@/?#]/.test(secret))
		return 'the shared secret contains a space or one of : @ / ? # (it must fit inside a URL and a header)';
	return undefined;
}

/** A URL carrying the shared secret as basic-auth credentials, for pasting into Brevo's UI. Secret URL-encoded. */
export function urlWithCredentials(url: string, user: string, secret: string): string {
	const parsed = new URL(url);
	parsed.username = encodeURIComponent(user);
	parsed.password = encodeURIComponent(secret);
	return parsed.toString();
}

/** Random bytes in a registration's bearer token: 256 bits, 43 base64url characters. */
export const REGISTRATION_TOKEN_BYTES = 32;

/** A fresh random bearer token for one webhook registration (`random` is node:crypto's `randomBytes`). */
export function newRegistrationToken(random: (size: number) => Buffer): string {
	const bytes = random(REGISTRATION_TOKEN_BYTES);
	if (bytes.length < REGISTRATION_TOKEN_BYTES) throw new Error('not enough random bytes for a webhook token');
	return bytes.toString('base64url');
}
