/**
 * The one Brevo gateway, without n8n: every Brevo API call of the package goes through `BrevoGateway.request`,
 * which owns Brevo's 429 + `x-sib-ratelimit-reset` (waited within a budget; the SDK ignores that header), bounded
 * retries of 502/503/504 and network errors for idempotent methods only (a POST may have been applied), bounded
 * retries of 425 Too Early for every method (the request was not processed), and the one
 * error shape (`BrevoApiError`) the package translates.
 *
 * The HTTP is a port (`BrevoHttp`): n8n's `httpRequestWithAuthentication` in the nodes (proxy and CA settings of n8n
 * apply, the key is added by the credential's `authenticate`). `@getbrevo/brevo` is the typed contract only: the
 * typed calls at the bottom use its request/response types (type imports), and nothing of the SDK runs or ships.
 */
import type { Brevo } from '@getbrevo/brevo';

import { CANCELLED, header, parseBody, type CallBudget, type HttpAnswer, type HttpOutcome } from '../http';
import { redactDeep, redactSecrets } from '../redact';

export type BrevoMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface BrevoRequest {
	method: BrevoMethod;
	/** Path below the base URL, e.g. `/contacts/import`. */
	path: string;
	qs?: Record<string, string | number | boolean | undefined>;
	body?: unknown;
}

export interface BrevoHttpRequest extends BrevoRequest {
	timeoutMs: number;
}

/** Sends one request; resolves with any HTTP answer (status not checked) or the network failure; never rejects. */
export type BrevoHttp = (request: BrevoHttpRequest) => Promise<HttpOutcome>;

/**
 * `maxRateLimitWaitMs` default 120 s; `retries` (default 2): 502/503/504 and network errors, for idempotent methods
 * only (a POST may have been applied), and 425 Too Early for any method (1 s, then 2 s, ...); `timeoutMs` default
 * 60 s per request, rate-limit waits not included.
 */
export interface BrevoGatewayOptions extends CallBudget {
	/** Called on every 429 with the wait Brevo asked for. */
	onRateLimited?: (path: string, waitSec: number) => void;
	/** Called before every HTTP request (sync summaries report API calls). */
	onRequest?: (method: string, path: string) => void;
}

/** A failed Brevo call: Brevo's status, code and message, or the network cause. Never the request or its key. */
export class BrevoApiError extends Error {
	/** HTTP status, absent for network failures and timeouts. */
	statusCode?: number;
	/** Brevo's JSON error body (`{code, message}`), or its text. */
	body?: unknown;
	/** `x-sib-ratelimit-reset` of a 429 that was given up on. */
	rateLimitResetSec?: number;
	/** For network failures: ENOTFOUND, ECONNRESET, ... */
	causeCode?: string;

	constructor(
		readonly kind: 'http' | 'timeout' | 'request',
		message: string,
		readonly path: string,
	) {
		super(message);
		this.name = 'BrevoApiError';
	}

	/** Brevo's error code (`document_not_found`, `unauthorized`, ...) or `http_<status>`. */
	get code(): string {
		const body = this.body as { code?: unknown } | undefined;
		if (body && typeof body === 'object' && typeof body.code === 'string' && body.code) return body.code;
		return this.statusCode !== undefined ? `http_${this.statusCode}` : this.kind;
	}

	/** Brevo's own message, if it sent one. */
	get brevoMessage(): string {
		const body = this.body as { message?: unknown } | string | undefined;
		if (typeof body === 'string') return body;
		return body && typeof body === 'object' && typeof body.message === 'string' ? body.message : '';
	}
}

/** True when Brevo answered 404 (not found) to the call. */
export function isBrevoNotFound(error: unknown): boolean {
	return error instanceof BrevoApiError && error.statusCode === 404;
}

/**
 * Seconds until Brevo's window resets: `x-sib-ratelimit-reset` (seconds), else Retry-After, else one second.
 * Source: https://developers.brevo.com/docs/api-limits (headers x-sib-ratelimit-limit/-remaining/-reset).
 */
export function brevoRateLimitWaitSec(headers: HttpAnswer['headers']): number {
	for (const name of ['x-sib-ratelimit-reset', 'retry-after']) {
		const raw = header(headers, name);
		if (raw !== undefined && raw.trim() !== '') {
			const n = Number(raw);
			if (Number.isFinite(n) && n >= 0) return Math.max(n, 0.05);
		}
	}
	return 1;
}

const TIMEOUT_CAUSES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

/** First wait after a 425 Too Early; the n-th retry waits n times this. */
export const TOO_EARLY_WAIT_MS = 1000;

export class BrevoGateway {
	private readonly maxWaitMs: number;
	private readonly retries: number;
	private readonly timeoutMs: number;
	private readonly secrets: string[];

	constructor(
		private readonly http: BrevoHttp,
		private readonly options: BrevoGatewayOptions,
	) {
		this.secrets = (options.secrets ?? []).filter((x) => typeof x === 'string' && x.length > 0);
		this.maxWaitMs = options.maxRateLimitWaitMs ?? 120_000;
		this.retries = options.retries ?? 2;
		this.timeoutMs = options.timeoutMs ?? 60_000;
	}

	async request<T = unknown>(request: BrevoRequest): Promise<T> {
		const method = request.method;
		const idempotent = method === 'GET' || method === 'PUT' || method === 'DELETE';
		let waited = 0;
		let failures = 0;
		let tooEarly = 0;
		for (;;) {
			this.options.onRequest?.(method, request.path);
			const answer = await this.http({ ...request, timeoutMs: this.timeoutMs });
			if ('failure' in answer) {
				const cause = answer.failure;
				if (cause !== CANCELLED && idempotent && failures < this.retries) {
					failures++;
					await this.options.sleep(500 * 2 ** failures);
					continue;
				}
				const timedOut = TIMEOUT_CAUSES.has(cause);
				const failure = new BrevoApiError(
					timedOut ? 'timeout' : 'request',
					timedOut ? `Brevo did not answer in time (${cause})` : `Could not reach Brevo (${cause}${answer.detail ? `: ${redactSecrets(answer.detail, this.secrets)}` : ''})`,
					request.path,
				);
				failure.causeCode = cause;
				throw failure;
			}
			if (answer.statusCode === 429) {
				const waitSec = brevoRateLimitWaitSec(answer.headers);
				this.options.onRateLimited?.(request.path, waitSec);
				const waitMs = Math.ceil(waitSec * 1000);
				if (waited + waitMs > this.maxWaitMs) throw httpError(request.path, answer, this.secrets, waitSec);
				waited += waitMs;
				await this.options.sleep(waitMs);
				continue;
			}
			if (answer.statusCode === 425 && tooEarly < this.retries) {
				// 425 Too Early (RFC 8470 section 5.2): the server refused to process the request at all, so resending
				// it is safe for every method, POST included. Brevo lists 425 on POST /contacts and PUT
				// /contacts/{identifier} (OpenAPI definition; @getbrevo/brevo's TooEarlyError) without a Retry-After.
				tooEarly++;
				await this.options.sleep(TOO_EARLY_WAIT_MS * tooEarly);
				continue;
			}
			if ([502, 503, 504].includes(answer.statusCode) && idempotent && failures < this.retries) {
				failures++;
				await this.options.sleep(500 * 2 ** failures);
				continue;
			}
			if (answer.statusCode < 200 || answer.statusCode >= 300) throw httpError(request.path, answer, this.secrets);
			return parseBody(answer.body) as T;
		}
	}

	// Typed calls used by more than one node: each exists once, typed by the SDK's contract.

	/** One page of contact lists (`GET /contacts/lists`). */
	async getLists(limit: number, offset: number): Promise<Brevo.GetListsResponse> {
		return await this.request<Brevo.GetListsResponse>({ method: 'GET', path: '/contacts/lists', qs: { limit, offset, sort: 'asc' } });
	}

	/** Every contact list, paged 50 at a time. */
	async allLists(max = 5000): Promise<Array<{ id: number; name: string }>> {
		const lists: Array<{ id: number; name: string }> = [];
		for (let offset = 0; offset < max; offset += 50) {
			const page = await this.getLists(50, offset);
			for (const l of page.lists ?? []) lists.push({ id: Number(l.id), name: String(l.name) });
			if ((page.lists ?? []).length < 50 || lists.length >= (page.count ?? Infinity)) break;
		}
		return lists;
	}

	/** A contact by email, id or other identifier (`GET /contacts/{identifier}`). */
	async getContact(identifier: string | number, identifierType?: string): Promise<Brevo.GetContactInfoResponse> {
		return await this.request<Brevo.GetContactInfoResponse>({
			method: 'GET',
			path: `/contacts/${encodeURIComponent(String(identifier))}`,
			qs: identifierType ? { identifierType } : undefined,
		});
	}

	/** Webhooks of one type (`GET /webhooks?type=`): Brevo lists transactional ones unless asked for another. */
	async getWebhooks(request: Brevo.GetWebhooksRequest): Promise<Brevo.GetWebhooksResponse> {
		return await this.request<Brevo.GetWebhooksResponse>({ method: 'GET', path: '/webhooks', qs: { ...request } });
	}

	async createWebhook(request: Brevo.CreateWebhookRequest): Promise<Brevo.CreateWebhookResponse> {
		return await this.request<Brevo.CreateWebhookResponse>({ method: 'POST', path: '/webhooks', body: request });
	}

	async updateWebhook({ webhookId, ...body }: Brevo.UpdateWebhookRequest): Promise<void> {
		await this.request({ method: 'PUT', path: `/webhooks/${encodeURIComponent(String(webhookId))}`, body });
	}

	async deleteWebhook(webhookId: number): Promise<void> {
		await this.request({ method: 'DELETE', path: `/webhooks/${encodeURIComponent(String(webhookId))}` });
	}

	/** Email campaigns (`GET /emailCampaigns`), filtered and paged by the request's query. */
	async getEmailCampaigns(request: Brevo.GetEmailCampaignsRequest): Promise<Brevo.GetEmailCampaignsResponse> {
		return await this.request<Brevo.GetEmailCampaignsResponse>({ method: 'GET', path: '/emailCampaigns', qs: { ...request } });
	}

	async getEmailCampaign({ campaignId, ...qs }: Brevo.GetEmailCampaignRequest): Promise<Brevo.GetEmailCampaignResponse> {
		return await this.request<Brevo.GetEmailCampaignResponse>({
			method: 'GET',
			path: `/emailCampaigns/${encodeURIComponent(String(campaignId))}`,
			qs: { ...qs },
		});
	}
}

/** Brevo's answer travels in the error: without the call's key, whatever the answer (or a proxy's page) echoes. */
function httpError(path: string, answer: HttpAnswer, secrets: string[], resetSec?: number): BrevoApiError {
	const error = new BrevoApiError('http', `Status code: ${answer.statusCode}`, path);
	error.statusCode = answer.statusCode;
	error.body = redactDeep(parseBody(answer.body), secrets);
	if (resetSec !== undefined) error.rateLimitResetSec = resetSec;
	return error;
}
