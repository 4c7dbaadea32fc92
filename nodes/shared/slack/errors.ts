/**
 * What a thrown Slack gateway error means, without n8n: Slack's error code, and whether a failed post may still have
 * been applied (a timeout or 5xx) or certainly was not (429, connection refused). No n8n imports.
 */
import { SlackErrorKind as ErrorCode } from './gateway';

import type { Classification } from './pacing';

interface SlackErrorLike {
	code?: string;
	data?: { error?: string };
}

/** The Slack error code of a thrown SDK error (`channel_not_found`, `ratelimited`, ...), if it has one. */
export function slackErrorCode(error: unknown): string | undefined {
	const e = error as SlackErrorLike;
	if (e?.code === ErrorCode.Platform) return e.data?.error;
	if (e?.code === ErrorCode.RateLimited) return 'ratelimited';
	return undefined;
}

const SAFE_RETRY_CAUSES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * How the pacer should treat a failed post. Only answers that prove Slack did not post (429, connection refused)
 * are retried; a timeout, a reset connection or a 5xx may hide a posted message and is "ambiguous".
 */
export function classifySlackError(error: unknown): Classification {
	const e = error as { code?: string; retryAfter?: number; statusCode?: number; original?: { code?: string; name?: string; cause?: { code?: string } } };
	if (e?.code === ErrorCode.RateLimited) return { kind: 'ratelimited', retryAfterMs: Math.max(1, Number(e.retryAfter) || 1) * 1000 };
	if (e?.code === ErrorCode.Platform) {
		const code = slackErrorCode(error);
		if (code === 'ratelimited' || code === 'rate_limited') return { kind: 'ratelimited', retryAfterMs: 1000 };
		if (code === 'fatal_error' || code === 'internal_error' || code === 'service_unavailable' || code === 'request_timeout') return { kind: 'ambiguous' };
		return { kind: 'fatal' };
	}
	if (e?.code === ErrorCode.Http) return (e.statusCode ?? 500) >= 500 ? { kind: 'ambiguous' } : { kind: 'fatal' };
	if (e?.code === ErrorCode.Request) {
		const cause = e.original?.cause?.code ?? e.original?.code;
		if (cause && SAFE_RETRY_CAUSES.has(cause)) return { kind: 'retry', delayMs: 1000 };
		return { kind: 'ambiguous' };
	}
	return { kind: 'fatal' };
}

