/**
 * Authentication of calls Brevo makes to us. Brevo signs nothing (no HMAC): a call is trusted when it carries a
 * secret we gave Brevo, in one of the forms Brevo can send:
 * - `Authorization: Bearer <token>`: the `auth` of a webhook registered through the API;
 * - `Authorization: Basic base64(user:secret)`: a URL with credentials (`https://user:secret@host/...`) pasted
 *   into an automation "Call a webhook" step or a Conversations webhook;
 * - a custom header (`<name>: <secret>`): the `headers` of a webhook, or a header set in Brevo's UI.
 * Comparison is constant-time (sha-256 digests of both sides, so the length does not leak either).
 * No n8n imports: tested directly.
 */
import { createHash, timingSafeEqual } from 'crypto';

export type AuthMethod = 'bearer' | 'basic' | 'header';

export interface AcceptedSecret {
	/** The secret value (a bearer token or a shared secret). */
	secret: string;
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

type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		if (Array.isArray(value)) return value[0];
		return value;
	}
	return undefined;
}

interface PresentedAuthorization {
	bearer?: string;
	basic?: { user: string; password: string };
	malformed?: boolean;
}

function parseAuthorization(value: string | undefined): PresentedAuthorization {
	if (value === undefined || value.trim() === '') return {};
	const match = /^\s*(\S+)\s+(.+?)\s*$/.exec(value);
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
	const usable = accepted.filter((a) => typeof a.secret === 'string' && a.secret.length > 0);
	if (usable.length === 0) return { ok: false, reason: 'no_secret_configured' };

	const presented = parseAuthorization(header(headers, 'authorization'));
	let match: { method: AuthMethod; label: string } | undefined;
	let anyPresented = presented.bearer !== undefined || presented.basic !== undefined;

	for (const candidate of usable) {
		let hit: AuthMethod | undefined;
		if (candidate.methods.includes('bearer') && presented.bearer !== undefined) {
			if (safeEqual(presented.bearer, candidate.secret)) hit = 'bearer';
		}
		if (candidate.methods.includes('basic') && presented.basic !== undefined) {
			const passOk = safeEqual(presented.basic.password, candidate.secret);
			const userOk = candidate.basicUser ? safeEqual(presented.basic.user, candidate.basicUser) : true;
			if (passOk && userOk) hit = hit ?? 'basic';
		}
		if (candidate.methods.includes('header') && candidate.headerName) {
			const value = header(headers, candidate.headerName);
			if (value !== undefined) {
				anyPresented = true;
				if (safeEqual(value.trim(), candidate.secret)) hit = hit ?? 'header';
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

/** A fresh random bearer token for one webhook registration. */
export function newRegistrationToken(random: (size: number) => Buffer): string {
	return random(32).toString('base64url');
}
