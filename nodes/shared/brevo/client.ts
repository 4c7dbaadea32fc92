import { sleep as defaultSleep } from '../util';
import { BrevoClient, BrevoError, BrevoTimeoutError } from '@getbrevo/brevo';
import type { FunctionsBase, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { redactSecrets } from '../redact';
import { brevoRemedy } from './remedies';

export const BREVO_CREDENTIAL = 'slackBrevoBrevoApi';
export const DEFAULT_BREVO_BASE_URL = 'https://api.brevo.com/v3';

export interface BrevoCredentials {
	apiKey: string;
	baseUrl?: string;
}

export interface BrevoClientOptions {
	/** Longest total time one request may wait for Brevo's rate-limit windows to reset. */
	maxRateLimitWaitMs?: number;
	/** Retries of 502/503/504 and network errors, for idempotent methods only (a POST may have been applied). */
	retries?: number;
	timeoutMs?: number;
	/** Called on every 429 with the wait Brevo asked for. */
	onRateLimited?: (path: string, waitSec: number) => void;
	/** Counts every HTTP request made (sync summaries report API calls). */
	onRequest?: (method: string, path: string) => void;
	sleep?: (ms: number) => Promise<void>;
	fetch?: typeof fetch;
}

export function normalizeBrevoBaseUrl(baseUrl?: string): string {
	return ((baseUrl ?? '').trim() || DEFAULT_BREVO_BASE_URL).replace(/\/+$/, '');
}


/**
 * Seconds until Brevo's window resets. Brevo sends `x-sib-ratelimit-reset` (seconds), which the SDK ignores
 * (it only knows Retry-After / X-RateLimit-Reset); fall back to those, then to one second.
 */
export function brevoRateLimitWaitSec(headers: Headers): number {
	for (const name of ['x-sib-ratelimit-reset', 'retry-after']) {
		const raw = headers.get(name);
		if (raw !== null && raw.trim() !== '') {
			const n = Number(raw);
			if (Number.isFinite(n) && n >= 0) return Math.max(n, 0.05);
		}
	}
	return 1;
}

/** A fetch that waits out Brevo's 429s within a budget and retries transient failures of idempotent calls. */
export function createBrevoFetch(options: BrevoClientOptions = {}): typeof fetch {
	const baseFetch = options.fetch ?? fetch;
	const sleep = options.sleep ?? defaultSleep;
	const maxWait = options.maxRateLimitWaitMs ?? 120_000;
	const retries = options.retries ?? 2;
	return (async (input: string | URL | Request, init?: RequestInit) => {
		const method = (init?.method ?? 'GET').toUpperCase();
		const path = new URL(typeof input === 'string' || input instanceof URL ? input : input.url).pathname;
		const idempotent = method === 'GET' || method === 'PUT' || method === 'DELETE';
		let waited = 0;
		let transientFailures = 0;
		for (;;) {
			options.onRequest?.(method, path);
			let response: Response;
			try {
				response = await baseFetch(input, init);
			} catch (error) {
				if (!idempotent || transientFailures >= retries || (error as Error).name === 'AbortError') throw error;
				transientFailures++;
				await sleep(500 * 2 ** transientFailures);
				continue;
			}
			if (response.status === 429) {
				const waitSec = brevoRateLimitWaitSec(response.headers);
				options.onRateLimited?.(path, waitSec);
				const waitMs = Math.ceil(waitSec * 1000);
				if (waited + waitMs > maxWait) return response;
				waited += waitMs;
				await response.body?.cancel();
				await sleep(waitMs);
				continue;
			}
			if ([502, 503, 504].includes(response.status) && idempotent && transientFailures < retries) {
				transientFailures++;
				await response.body?.cancel();
				await sleep(500 * 2 ** transientFailures);
				continue;
			}
			return response;
		}
	}) as typeof fetch;
}

export function createBrevoClient(credentials: BrevoCredentials, options: BrevoClientOptions = {}): BrevoClient {
	return new BrevoClient({
		apiKey: String(credentials.apiKey ?? '').trim(),
		baseUrl: normalizeBrevoBaseUrl(credentials.baseUrl),
		maxRetries: 0, // createBrevoFetch owns retries: the SDK's would ignore x-sib-ratelimit-reset
		timeoutInSeconds: Math.ceil((options.timeoutMs ?? 60_000) / 1000),
		fetch: createBrevoFetch(options),
		logging: { level: 'error', silent: true } as never,
	});
}

/** The Brevo client for a node's `slackBrevoBrevoApi` credential. */
export async function getBrevoClient(ctx: FunctionsBase, options: BrevoClientOptions = {}): Promise<BrevoClient> {
	const credentials = await ctx.getCredentials<BrevoCredentials>(BREVO_CREDENTIAL);
	return createBrevoClient(credentials, options);
}

export interface BrevoRequest {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
	/** Path below the base URL, e.g. `/contacts/import`. */
	path: string;
	qs?: Record<string, string | number | boolean | undefined>;
	body?: unknown;
}

/**
 * A raw Brevo call through the same rate-limit handling, for the few endpoints where the SDK's typed surface
 * gets in the way. Throws BrevoError like the SDK does, so `toBrevoNodeError` handles both.
 */
export async function brevoRequest<T = unknown>(
	credentials: BrevoCredentials,
	request: BrevoRequest,
	options: BrevoClientOptions = {},
): Promise<T> {
	const url = new URL(normalizeBrevoBaseUrl(credentials.baseUrl) + request.path);
	for (const [k, v] of Object.entries(request.qs ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
	const response = await createBrevoFetch(options)(url, {
		method: request.method,
		headers: {
			'api-key': String(credentials.apiKey ?? '').trim(),
			accept: 'application/json',
			...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
		},
		body: request.body !== undefined ? JSON.stringify(request.body) : undefined,
		signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
	});
	const text = await response.text();
	let parsed: unknown = undefined;
	if (text) {
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = text;
		}
	}
	if (!response.ok) {
		throw new BrevoError({ message: `Status code: ${response.status}`, statusCode: response.status, body: parsed });
	}
	return parsed as T;
}

export interface BrevoErrorContext {
	itemIndex?: number;
	/** What the node was doing, e.g. "adding contacts to list 7". */
	action?: string;
}

/** Turns anything the Brevo SDK (or brevoRequest) throws into a NodeApiError with Brevo's code, message and the fix. */
export function toBrevoNodeError(node: INode, error: unknown, context: BrevoErrorContext = {}): NodeApiError {
	const where = context.action ? ` while ${context.action}` : '';
	const body: JsonObject = {};
	let message: string;
	let description: string;
	let httpCode: string | undefined;
	if (error instanceof BrevoTimeoutError) {
		message = `Brevo did not answer in time${where}`;
		description = 'Retry later; if it persists, check https://status.brevo.com.';
		body.code = 'timeout';
	} else if (error instanceof BrevoError && error.statusCode !== undefined) {
		const payload = (error.body ?? {}) as { code?: string; message?: string };
		const code = typeof payload === 'object' && payload.code ? payload.code : `http_${error.statusCode}`;
		const brevoMessage = typeof payload === 'object' && payload.message ? payload.message : String(error.body ?? '');
		const remedy = brevoRemedy(code, error.statusCode);
		message = `Brevo error ${code}${where}: ${brevoMessage || remedy.summary}`;
		description = remedy.fix;
		body.code = code;
		body.message = brevoMessage;
		httpCode = String(error.statusCode);
		const reset = error.rawResponse?.headers?.get?.('x-sib-ratelimit-reset');
		if (error.statusCode === 429 && reset) description += ` Brevo's window resets in ${reset} s.`;
	} else {
		const e = error as { message?: string; cause?: { code?: string } };
		message = `Could not reach Brevo${where} (${e?.cause?.code ?? e?.message ?? 'network error'})`;
		description = "Check the credential's API base URL (it must end with /v3) and that this n8n host can reach it.";
		body.code = 'request_error';
	}
	return new NodeApiError(node, body, {
		message: redactSecrets(message),
		description: redactSecrets(description),
		httpCode,
		itemIndex: context.itemIndex,
	});
}
