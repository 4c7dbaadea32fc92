/**
 * Slack request signing (https://api.slack.com/authentication/verifying-requests-from-slack).
 *
 * X-Slack-Signature = "v0=" + hex(HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body)).
 * The HMAC covers the exact bytes Slack sent, so callers pass the raw body, never a re-serialised parsed one.
 * Every failure has a named reason; messages never contain the secret or the expected signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_VERSION = 'v0';

/** Slack's documented replay window: five minutes, in both directions. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export type SignatureFailureReason =
	| 'missing_secret'
	| 'missing_timestamp'
	| 'missing_signature'
	| 'malformed_timestamp'
	| 'malformed_signature'
	| 'stale_timestamp'
	| 'future_timestamp'
	| 'signature_mismatch';

export type HeaderValue = string | string[] | undefined;

export interface SignatureCheckInput {
	signingSecret: string;
	/** The exact request body bytes (a string is taken as UTF-8). */
	rawBody: Buffer | string;
	/** Value of X-Slack-Request-Timestamp. */
	timestamp: HeaderValue;
	/** Value of X-Slack-Signature. */
	signature: HeaderValue;
	nowMs: number;
	toleranceSeconds?: number;
}

export type SignatureCheckResult =
	| { ok: true; timestamp: number }
	| { ok: false; reason: SignatureFailureReason; message: string };

const TIMESTAMP_PATTERN = /^\d{1,12}$/;
const SIGNATURE_PATTERN = /^v0=([0-9a-fA-F]{64})$/;

function fail(reason: SignatureFailureReason, message: string): SignatureCheckResult {
	return { ok: false, reason, message };
}

/** A header that arrived once; repeated headers are treated as malformed (Slack sends each once). */
function singleHeader(value: HeaderValue): string | undefined | null {
	// Stryker disable next-line ConditionalExpression: equivalent (undefined is not an array and falls through to `return value`)
	if (value === undefined) return undefined;
	if (Array.isArray(value)) return value.length === 1 ? value[0] : null;
	return value;
}

function hmac(signingSecret: string, timestamp: string, rawBody: Buffer | string): Buffer {
	return createHmac('sha256', signingSecret)
		.update(`${SIGNATURE_VERSION}:${timestamp}:`)
		.update(rawBody)
		.digest();
}

/** The X-Slack-Signature value Slack would send for this body (used by tests, emulators and benchmarks). */
export function computeSlackSignature(signingSecret: string, timestamp: number | string, rawBody: Buffer | string): string {
	return `${SIGNATURE_VERSION}=${hmac(signingSecret, String(timestamp), rawBody).toString('hex')}`;
}

/** Checks one request. Pure: the clock comes in as `nowMs`. */
export function verifySlackSignature(input: SignatureCheckInput): SignatureCheckResult {
	const { signingSecret, rawBody, nowMs } = input;
	const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
	if (typeof signingSecret !== 'string' || signingSecret === '') {
		return fail('missing_secret', 'No signing secret is configured, so no request can be trusted');
	}

	const timestamp = singleHeader(input.timestamp);
	if (timestamp === undefined || timestamp === '') {
		return fail('missing_timestamp', 'The X-Slack-Request-Timestamp header is missing');
	}
	if (timestamp === null || !TIMESTAMP_PATTERN.test(timestamp)) {
		return fail('malformed_timestamp', 'The X-Slack-Request-Timestamp header is not a Unix time in seconds');
	}

	const signature = singleHeader(input.signature);
	if (signature === undefined || signature === '') {
		return fail('missing_signature', 'The X-Slack-Signature header is missing');
	}
	const match = signature === null ? null : SIGNATURE_PATTERN.exec(signature);
	if (!match) {
		return fail('malformed_signature', 'The X-Slack-Signature header is not "v0=" followed by 64 hexadecimal characters');
	}

	const seconds = Number(timestamp);
	const skew = Math.floor(nowMs / 1000) - seconds;
	if (skew > tolerance) {
		return fail('stale_timestamp', `The request timestamp is ${skew} s old (more than ${tolerance} s): possible replay`);
	}
	if (-skew > tolerance) {
		return fail('future_timestamp', `The request timestamp is ${-skew} s in the future (more than ${tolerance} s): check the clocks`);
	}

	const expected = hmac(signingSecret, timestamp, rawBody);
	const received = Buffer.from(match[1], 'hex');
	// Both are 32 bytes (the pattern fixes the length), as timingSafeEqual requires.
	// Stryker disable next-line ConditionalExpression: the length test only guards timingSafeEqual; the pattern already fixes 32 bytes
	if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
		return fail('signature_mismatch', 'The signature does not match the body: wrong signing secret, or the body was changed');
	}
	return { ok: true, timestamp: seconds };
}
