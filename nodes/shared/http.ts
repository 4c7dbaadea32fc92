/**
 * What the gateways (`slack/gateway.ts`, `brevo/gateway.ts`) share about HTTP, without n8n: the answer or failure
 * an HTTP port reports, how a gateway waits, and the budget of retries and waits every call gets. The port itself
 * is n8n's request helper in the nodes (`n8n/http.ts`). No n8n imports.
 */
import { parseJson } from './util';

export interface HttpAnswer {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/** No answer at all (DNS, refused, reset, timeout, TLS, cancelled): the system code and nothing else. */
export interface HttpFailure {
	/** ENOTFOUND, ECONNREFUSED, ECONNRESET, ETIMEDOUT, ECONNABORTED, ERR_CANCELED, CERT_..., or 'unknown'. */
	failure: string;
	/** For 'unknown' only: what went wrong, already redacted by the port. */
	detail?: string;
}

export type HttpOutcome = HttpAnswer | HttpFailure;

/** The execution was cancelled: never retried. */
export const CANCELLED = 'ERR_CANCELED';

export type Sleep = (ms: number) => Promise<void>;

/** The budget of one gateway call: how long it may wait on rate limits, how often it retries, its timeout. */
export interface CallBudget {
	/** Longest total time one call may spend waiting for rate-limit windows before it fails. 0 = never wait. */
	maxRateLimitWaitMs?: number;
	/** Retries of network errors and HTTP 5xx (which ones each gateway says). */
	retries?: number;
	/** Timeout of each HTTP request; rate-limit waits between requests do not count against it. */
	timeoutMs?: number;
	/** How to wait: n8n-workflow's sleep bound to the execution's cancel signal, in the nodes. */
	sleep: Sleep;
	/**
	 * The credential values of the calls (token, key): removed from everything an error keeps of an answer, on top
	 * of the token shapes `redact.ts` knows.
	 */
	secrets?: string[];
}

/** A header of an answer, case-insensitively; the first value of a repeated one. */
export function header(headers: HttpAnswer['headers'], name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/** JSON text parsed; anything else (objects, non-JSON text) as it is; '' as undefined. */
export function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	if (body === '') return undefined;
	const parsed = parseJson(body);
	return parsed.ok ? parsed.value : body;
}
