/**
 * The Web API endpoint `/api/<method>` (index.ts routes the other paths). A request goes through fault injection,
 * argument parsing (GET query; form, multipart or text body with the token in it or in a Bearer header; JSON body
 * only with a Bearer header), token checks, scope checks, rate limits, then the method; every call is recorded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MethodContext, MethodDef } from './context';
import { SlackApiError } from './errors';
import { slackId } from './ids';
import type { Paginator } from './pagination';
import type { RateLimiter } from './ratelimit';
import type { Scheduler } from './scheduler';
import type { SlackState } from './state';
import type { FaultSpec, TokenRecord } from './types';

export interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string;
}

export interface Services {
	state: SlackState;
	scheduler: Scheduler;
	paginator: Paginator;
	limiter: RateLimiter;
	methods: Record<string, MethodDef>;
	baseUrl: () => string;
}

const MAX_BODY = 10 * 1024 * 1024;
const REDACTED_FIELDS = new Set(['token', 'client_secret', 'refresh_token', 'code']);

export async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > MAX_BODY) throw new Error('request body too large');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

export function sendReply(res: ServerResponse, reply: Reply): void {
	res.writeHead(reply.status, { 'content-length': Buffer.byteLength(reply.body), ...reply.headers });
	res.end(reply.body);
}

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
	return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

function formToObject(text: string): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of new URLSearchParams(text)) out[k] = v;
	return out;
}

function redactHeaders(headers: IncomingMessage['headers']): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(headers)) {
		if (v === undefined) continue;
		const value = Array.isArray(v) ? v.join(', ') : v;
		out[k] = k === 'authorization' ? value.replace(/^(\w+)\s+.*/, '$1 [redacted]') : value;
	}
	return out;
}

function redactBody(body: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(body)) out[k] = REDACTED_FIELDS.has(k) ? '[redacted]' : v;
	return out;
}

const POST_TYPES = new Set(['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** missing_post_type / invalid_post_type / invalid_charset, as Slack checks a POST body's Content-Type. */
function postTypeProblem(contentType: string, mediaType: string): string | undefined {
	if (!contentType) return 'missing_post_type';
	if (!POST_TYPES.has(mediaType)) return 'invalid_post_type';
	const charset = /charset=["']?([^;"']+)/.exec(contentType)?.[1]?.trim();
	if (charset && !['utf-8', 'utf8', 'iso-8859-1'].includes(charset)) return 'invalid_charset';
	return undefined;
}

/** The plain fields of a multipart/form-data body (file parts are skipped: files.* are not emulated). */
function multipartFields(raw: Buffer, contentType: string): Record<string, unknown> {
	const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	const out: Record<string, unknown> = {};
	if (!boundary) return out;
	const text = raw.toString('utf8');
	for (const part of text.split(`--${boundary[1] ?? boundary[2]}`)) {
		const split = part.indexOf('\r\n\r\n');
		if (split < 0) continue;
		const head = part.slice(0, split);
		const name = /name="([^"]*)"/i.exec(head)?.[1];
		if (!name || /filename=/i.test(head)) continue;
		out[name] = part.slice(split + 4).replace(/\r\n$/, '');
	}
	return out;
}

/** Parses a structured argument sent JSON-encoded in a form body, for the recorded request (tests assert on objects). */
function decodeNested(body: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(body)) {
		if (typeof v === 'string' && /^[[{]/.test(v)) {
			try {
				out[k] = JSON.parse(v);
				continue;
			} catch {
				// not JSON: keep the string
			}
		}
		out[k] = v;
	}
	return out;
}

/** Large answers (a users.list page of 1000 members) are kept as a summary so a long benchmark does not hoard them. */
const MAX_KEPT_RESPONSE = 64 * 1024;

function keptResponse(serialized: string, response: unknown): unknown {
	if (serialized.length <= MAX_KEPT_RESPONSE || typeof response !== 'object' || response === null) return response;
	const summary: Record<string, unknown> = { _truncated: `${serialized.length} bytes not kept` };
	for (const [k, v] of Object.entries(response)) summary[k] = Array.isArray(v) ? `[${v.length} items]` : v;
	return summary;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function handleApi(services: Services, req: IncomingMessage, raw: Buffer, apiMethod: string): Promise<Reply> {
	const { state } = services;
	let now = Date.now();
	services.scheduler.deliverDue(now);
	state.calls[apiMethod] = (state.calls[apiMethod] ?? 0) + 1;
	const url = new URL(req.url ?? '/', 'http://x');
	const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
	const authHeader = String(req.headers.authorization ?? '');
	const bearer = /^Bearer\s+(\S+)/i.exec(authHeader)?.[1];
	const params: Record<string, unknown> = {};
	for (const [k, v] of url.searchParams) params[k] = v;
	const rawText = raw.toString('utf8');
	let parseError: string | undefined;
	const warnings: string[] = [];
	const mediaType = contentType.split(';')[0].trim();
	const isJson = mediaType === 'application/json';
	const postTypeError = rawText.length ? postTypeProblem(contentType, mediaType) : undefined;
	if (rawText.length && !postTypeError) {
		if (mediaType === 'multipart/form-data') {
			Object.assign(params, multipartFields(raw, contentType));
		} else if (isJson) {
			try {
				const parsed = JSON.parse(rawText);
				if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
				// a token inside a JSON body is ignored: JSON is accepted only with an Authorization header
				const { token: _ignored, ...rest } = parsed as Record<string, unknown>;
				void _ignored;
				Object.assign(params, rest);
			} catch {
				parseError = 'invalid_json';
			}
			if (!/charset=/.test(contentType)) warnings.push('missing_charset');
		} else {
			Object.assign(params, formToObject(rawText));
		}
	}
	const token = bearer ?? (isJson ? undefined : typeof params.token === 'string' ? params.token : undefined);
	const tokenInArgs = params.token !== undefined;
	delete params.token;
	const record = (reply: Reply, response: unknown) => {
		state.record({
			apiMethod, httpMethod: req.method ?? 'GET', path: url.pathname, headers: redactHeaders(req.headers),
			body: redactBody(decodeNested(tokenInArgs ? { token: '', ...params } : params)), status: reply.status,
			response: keptResponse(reply.body, response), at: now,
		});
		return reply;
	};

	const def = services.methods[apiMethod];
	const tokenRecord = token ? state.tokens.get(token) : undefined;
	const scopeHeaders = (t?: TokenRecord): Record<string, string> => {
		const h: Record<string, string> = { 'x-oauth-scopes': t ? t.scopes.join(',') : '', 'x-slack-req-id': slackId('', 16).toLowerCase() };
		if (def?.scopes.length) h['x-accepted-oauth-scopes'] = def.scopes.join(',');
		return h;
	};
	const fault = state.takeFault(apiMethod);
	if (fault?.delayMs) {
		// slowness: the call is then served as of when the delay ends
		await sleep(fault.delayMs);
		now = Date.now();
		services.scheduler.deliverDue(now);
	}
	const faultReply = (fault: FaultSpec) => {
		const status = fault.status ?? 200;
		if (status === 429) {
			state.ratelimited[apiMethod] = (state.ratelimited[apiMethod] ?? 0) + 1;
			const body = fault.body ?? { ok: false, error: fault.error ?? 'ratelimited' };
			return record(jsonReply(429, body, { ...scopeHeaders(tokenRecord), 'retry-after': String(fault.retryAfter ?? 1) }), body);
		}
		const body = fault.body ?? { ok: false, error: fault.error ?? (status >= 500 ? 'fatal_error' : 'invalid_request') };
		const reply = status >= 500 && !fault.body && !fault.error
			? { status, headers: { 'content-type': 'text/html' }, body: `<html><body><h1>${status} Server Error</h1></body></html>` }
			: jsonReply(status, fault.error && !fault.body ? { ok: false, error: fault.error } : body, scopeHeaders(tokenRecord));
		return record(reply, body);
	};
	const lost = fault?.lostAnswer ? fault : undefined;
	if (fault && !lost && (fault.status !== undefined || fault.error !== undefined || fault.body !== undefined)) return faultReply(fault);

	const fail = (error: string, extra: Record<string, unknown> = {}, t?: TokenRecord) => {
		const body = { ok: false, error, ...extra };
		if (warnings.length) Object.assign(body, { warning: warnings.join(',') });
		return record(jsonReply(200, body, scopeHeaders(t)), body);
	};

	// guess: the answer Slack gives for a method it does not know, as seen in public threads
	if (!def) return fail('unknown_method', { req_method: apiMethod });
	if (postTypeError) return fail(postTypeError);
	if (def.auth === 'token') {
		if (!token) return fail('not_authed');
		if (parseError) return fail(parseError);
		if (!tokenRecord) return fail('invalid_auth');
		if (tokenRecord.revoked) return fail('token_revoked', {}, tokenRecord);
		if (tokenRecord.lifeMs !== undefined && now - (tokenRecord.issuedAtMs ?? 0) >= tokenRecord.lifeMs / state.timeScale) return fail('token_expired', {}, tokenRecord);
		if (def.scopes.length && !def.scopes.some((s) => tokenRecord.scopes.includes(s))) {
			return fail('missing_scope', { needed: def.scopes[0], provided: tokenRecord.scopes.join(',') }, tokenRecord);
		}
	} else if (parseError) {
		return fail(parseError);
	}

	// Limits apply "per API method per workspace/team per app" (docs.slack.dev/apis/web-api/rate-limits): every token
	// of one app in the workspace shares them, so a second token does not buy a second quota.
	const rateKey = tokenRecord ? `app:${tokenRecord.appId}:${state.teamId}` : `anon:${req.socket.remoteAddress ?? ''}`;
	const channelRef = def.rateChannel?.(params);
	const rateChannel = channelRef === undefined ? undefined : state.findChannel(channelRef)?.id ?? channelRef;
	const decision = services.limiter.hit(apiMethod, rateKey, rateChannel, now);
	if (!decision.allowed) {
		state.ratelimited[apiMethod] = (state.ratelimited[apiMethod] ?? 0) + 1;
		const body = { ok: false, error: 'ratelimited' };
		return record(jsonReply(429, body, { ...scopeHeaders(tokenRecord), 'retry-after': String(decision.retryAfter) }), body);
	}

	const ctx: MethodContext = {
		state, scheduler: services.scheduler, paginator: services.paginator, token: tokenRecord as TokenRecord, params,
		headers: req.headers, baseUrl: services.baseUrl(), now, warnings,
	};
	try {
		const result = def.handler(ctx);
		const body: Record<string, unknown> = { ok: true, ...result };
		if (warnings.length) {
			body.warning = warnings.join(',');
			const meta = (body.response_metadata as Record<string, unknown> | undefined) ?? {};
			body.response_metadata = { ...meta, warnings: [...warnings] };
		}
		if (lost) return faultReply(lost);
		return record(jsonReply(200, body, scopeHeaders(tokenRecord)), body);
	} catch (e) {
		if (e instanceof SlackApiError) return fail(e.error, e.extra, tokenRecord);
		const body = { ok: false, error: 'fatal_error' };
		return record(jsonReply(500, body, scopeHeaders(tokenRecord)), { ...body, detail: String(e) });
	}
}
