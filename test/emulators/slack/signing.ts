/** Slack request signing: `v0=` + hex HMAC-SHA256(signing secret, `v0:<timestamp>:<raw body>`). */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signSlackRequest(signingSecret: string, timestamp: number | string, rawBody: string | Buffer): string {
	const hmac = createHmac('sha256', signingSecret);
	hmac.update(`v0:${timestamp}:`);
	hmac.update(rawBody);
	return `v0=${hmac.digest('hex')}`;
}

/** The check a receiver makes (constant-time compare, timestamp within 5 minutes); used by the emulator's own tests. */
export function verifySlackSignature(
	signingSecret: string,
	headers: { signature?: string; timestamp?: string | number },
	rawBody: string | Buffer,
	nowS = Math.floor(Date.now() / 1000),
): boolean {
	const ts = Number(headers.timestamp);
	if (!headers.signature || !Number.isInteger(ts) || Math.abs(nowS - ts) > 300) return false;
	const expected = Buffer.from(signSlackRequest(signingSecret, ts, rawBody));
	const given = Buffer.from(headers.signature);
	return expected.length === given.length && timingSafeEqual(expected, given);
}
