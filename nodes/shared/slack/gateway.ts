/**
 * The one Slack gateway, without n8n: every Web API call of the package goes through `SlackGateway.call`, which
 * owns Slack's 429 + Retry-After (waited call by call within a budget), bounded retries of network errors and
 * HTTP 5xx, and the error shapes the rest of the package classifies (`errors.ts`) and translates (`client.ts`).
 *
 * The HTTP itself is a port (`SlackHttp`): in the nodes it is n8n's `httpRequestWithAuthentication` (proxy, CA and
 * TLS settings of n8n apply, the token is added by the credential's `authenticate`), in tests anything that speaks
 * HTTP. `@slack/web-api` is the typed contract only (type imports): `SlackClient` has the SDK's method tree and
 * argument/response types, so `client.chat.postMessage(args)` is typed exactly as with a `WebClient`, and nothing of
 * the SDK runs or ships.
 */
import type { WebAPICallResult, WebClient } from '@slack/web-api';

import { CANCELLED, header, parseBody, type CallBudget, type HttpAnswer, type HttpOutcome } from '../http';
import { redactDeep, redactSecrets } from '../redact';

export type { HttpAnswer, HttpOutcome, Sleep } from '../http';

/** The error kinds, with the SDK's `ErrorCode` strings so code written against the SDK's errors reads the same. */
export const SlackErrorKind = {
	Platform: 'slack_webapi_platform_error',
	RateLimited: 'slack_webapi_rate_limited_error',
	Http: 'slack_webapi_http_error',
	Request: 'slack_webapi_request_error',
} as const;
export type SlackErrorKind = (typeof SlackErrorKind)[keyof typeof SlackErrorKind];

export interface SlackErrorData {
	ok?: false;
	error?: string;
	needed?: string;
	provided?: string;
	errors?: string[];
	warning?: string;
	response_metadata?: { messages?: string[]; warnings?: string[]; scopes?: string[] };
}

/** A failed Slack call. Carries no request data (no token, no headers): only what Slack or the network said. */
export class SlackCallError extends Error {
	/** Slack's answer for `ok:false` (HTTP 200). */
	data?: SlackErrorData;
	/** Seconds Slack asked to wait (429). */
	retryAfter?: number;
	/** The wait budget that was spent when a 429 is given up on. */
	rateLimitBudgetMs?: number;
	statusCode?: number;
	/** For network failures: the system code (ENOTFOUND, ECONNRESET, ETIMEDOUT, ...). */
	original?: { code?: string; message?: string; cause?: { code?: string } };

	constructor(
		readonly code: SlackErrorKind,
		message: string,
		readonly method: string,
	) {
		super(message);
		this.name = 'SlackCallError';
	}
}

export interface SlackHttpRequest {
	/** Web API method, e.g. `chat.postMessage` (appended to the credential's base URL). */
	method: string;
	/** application/x-www-form-urlencoded fields, as the SDK sends them (objects JSON-encoded). */
	form: Record<string, string>;
	timeoutMs: number;
}

/** Sends one request; resolves with any HTTP answer (status not checked) or the network failure; never rejects. */
export type SlackHttp = (request: SlackHttpRequest) => Promise<HttpOutcome>;

/**
 * `maxRateLimitWaitMs` (default 120 s): Slack's tiers are per minute, so one minute-long wait must fit; the SDK's own
 * default (10 retries over ~30 minutes) does not fit an n8n execution. `retries` (default 2): network errors and HTTP
 * 5xx, never `ok:false` answers, which Slack means. `timeoutMs` default 30 s.
 */
export interface SlackGatewayOptions extends CallBudget {
	/** Called on every 429 with the wait Slack asked for (benchmarks and sync summaries count them). */
	onRateLimited?: (method: string, retryAfterSec: number) => void;
	/** Called before every HTTP request (counts API calls). */
	onRequest?: (method: string) => void;
}

/** Slack's methods as the SDK types them; every one of them is a `SlackGateway.call` underneath. */
export type SlackMethods = Pick<WebClient, 'auth' | 'chat' | 'conversations' | 'reactions' | 'team' | 'users' | 'views'>;

export interface SlackClient extends SlackMethods {
	/** Any Web API method by name, for the few the method tree above does not carry. */
	apiCall<T = WebAPICallResult>(method: string, args?: Record<string, unknown>): Promise<T>;
}

/** Form fields the way the SDK encodes them: undefined dropped, objects and arrays as JSON, the rest as text. */
export function toSlackForm(args: Record<string, unknown> = {}): Record<string, string> {
	const form: Record<string, string> = {};
	for (const [key, value] of Object.entries(args)) {
		if (value === undefined || value === null) continue;
		form[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
	}
	return form;
}

/** Seconds in a Retry-After header (Slack sends whole seconds); 1 when absent or unreadable. */
export function retryAfterSeconds(headers: HttpAnswer['headers']): number {
	const raw = Number(header(headers, 'retry-after'));
	return Number.isFinite(raw) && raw >= 0 ? raw : 1;
}

export class SlackGateway {
	private readonly maxRateLimitWaitMs: number;
	private readonly retries: number;
	private readonly timeoutMs: number;
	private readonly secrets: string[];

	constructor(
		private readonly http: SlackHttp,
		private readonly options: SlackGatewayOptions,
	) {
		this.secrets = (options.secrets ?? []).filter((x) => typeof x === 'string' && x.length > 0);
		this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 120_000;
		this.retries = options.retries ?? 2;
		this.timeoutMs = options.timeoutMs ?? 30_000;
	}

	/** One Web API call: resolves with Slack's `ok:true` answer or rejects with a SlackCallError. */
	async call<T = WebAPICallResult>(method: string, args: Record<string, unknown> = {}): Promise<T> {
		const form = toSlackForm(args);
		let waited = 0;
		let failures = 0;
		for (;;) {
			this.options.onRequest?.(method);
			const answer = await this.http({ method, form, timeoutMs: this.timeoutMs });
			if ('failure' in answer) {
				const cause = answer.failure;
				if (cause !== CANCELLED && failures < this.retries) {
					failures++;
					await this.options.sleep(backoffMs(failures));
					continue;
				}
				const detail = answer.detail ? redactSecrets(answer.detail, this.secrets) : undefined;
				const failure = new SlackCallError(SlackErrorKind.Request, `A request error occurred: ${cause}${detail ? ` (${detail})` : ''}`, method);
				failure.original = { code: cause, message: detail, cause: { code: cause } };
				throw failure;
			}

			if (answer.statusCode === 429) {
				const retryAfterSec = retryAfterSeconds(answer.headers);
				this.options.onRateLimited?.(method, retryAfterSec);
				const waitMs = retryAfterSec * 1000;
				if (waited + waitMs > this.maxRateLimitWaitMs) {
					const limited = new SlackCallError(SlackErrorKind.RateLimited, `A rate limit was exceeded (url: ${method}, retry-after: ${retryAfterSec})`, method);
					limited.retryAfter = retryAfterSec;
					limited.rateLimitBudgetMs = this.maxRateLimitWaitMs;
					limited.statusCode = 429;
					throw limited;
				}
				waited += waitMs;
				await this.options.sleep(waitMs);
				continue;
			}

			if (answer.statusCode !== 200) {
				if (answer.statusCode >= 500 && failures < this.retries) {
					failures++;
					await this.options.sleep(backoffMs(failures));
					continue;
				}
				const httpError = new SlackCallError(SlackErrorKind.Http, `An HTTP protocol error occurred: statusCode = ${answer.statusCode}`, method);
				httpError.statusCode = answer.statusCode;
				throw httpError;
			}

			const body = parseBody(answer.body);
			if (!body || typeof body !== 'object') {
				const httpError = new SlackCallError(SlackErrorKind.Http, 'Slack answered with something that is not JSON', method);
				httpError.statusCode = answer.statusCode;
				throw httpError;
			}
			const result = body as WebAPICallResult & SlackErrorData;
			// As the SDK does: the granted and accepted scopes travel in headers; expose them on response_metadata.
			const scopes = header(answer.headers, 'x-oauth-scopes');
			if (scopes !== undefined) {
				result.response_metadata = { ...(result.response_metadata ?? {}), scopes: scopes.split(',').map((s) => s.trim()).filter(Boolean) };
			}
			if (result.ok === false) {
				// Slack's answer travels in the error: without the call's token, whatever the answer echoes.
				const data = redactDeep(result as SlackErrorData, this.secrets);
				const platform = new SlackCallError(SlackErrorKind.Platform, `An API error occurred: ${data.error ?? 'unknown_error'}`, method);
				platform.data = data;
				throw platform;
			}
			return result as T;
		}
	}
}

/** The SDK's retry curve (500 ms doubling, at most 4 s), without the jitter: retries are few and per call. */
function backoffMs(attempt: number): number {
	return Math.min(4000, 500 * 2 ** (attempt - 1));
}

/**
 * The typed method tree over a gateway: `client.chat.postMessage(args)` calls `chat.postMessage`. Each property
 * read extends the method name; calling it sends. `then` is never a method, so the tree is not mistaken for a
 * promise when awaited.
 */
export function slackClient(gateway: SlackGateway): SlackClient {
	const node = (path: string): unknown =>
		new Proxy(() => undefined, {
			get: (_target, prop) => {
				if (typeof prop !== 'string' || prop === 'then') return undefined;
				if (path === '' && prop === 'apiCall') {
					return async (method: string, args?: Record<string, unknown>) => await gateway.call(method, args);
				}
				return node(path ? `${path}.${prop}` : prop);
			},
			apply: async (_target, _this, args: unknown[]) => await gateway.call(path, (args[0] ?? {}) as Record<string, unknown>),
		});
	return node('') as SlackClient;
}
