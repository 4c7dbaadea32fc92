/**
 * The Brevo v3 emulator's HTTP server. Every `/v3` request goes through, in order:
 * record -> injected fault -> `api-key` auth (401) -> per-path rate limit (429, `x-sib-ratelimit-*` headers on every
 * response) -> route (404 / 405) -> OpenAPI validation (400) -> handler. `/_admin/*` is the control plane.
 */
import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type Activity, BATCH_DELAY_MS, payloadsFor } from './activity';
import { handleAdmin } from './admin';
import { BrevoHttpError, MESSAGES } from './errors';
import { bucketFor, RateLimiter } from './rateLimit';
import { Router, type Reply, type RouteContext, type RouteServices } from './router';
import { accountRoutes } from './routes/account';
import { attributeRoutes } from './routes/attributes';
import { campaignRoutes } from './routes/campaigns';
import { contactRoutes } from './routes/contacts';
import { eventRoutes } from './routes/events';
import { findImportReport, IMPORT_REPORT_PATH, importReportCsv, importRows, importRoutes, runImport } from './routes/imports';
import { folderRoutes, listRoutes } from './routes/lists';
import { orderRoutes } from './routes/orders';
import { smtpRoutes } from './routes/smtp';
import { webhookRoutes } from './routes/webhooks';
import { WebhookSender } from './sender';
import { validateRequest } from './spec';
import { BrevoState } from './state';

export interface BrevoEmulatorOptions {
	port?: number;
	timeScale?: number;
	/** validate every request against the OpenAPI definition (default true) */
	validate?: boolean;
	/** enforce Brevo's rate limits (default true; headers are sent either way) */
	rateLimit?: boolean;
	/** the seeded valid key (default a fresh `xkeysib-...`) */
	apiKey?: string;
	/**
	 * send webhook events for what happens through the API (contact updated/deleted, list addition, email
	 * request/delivered) to the registered webhooks, as Brevo does (default false: tests call deliverWebhook)
	 */
	autoWebhooks?: boolean;
}

/** One request to an import report URL (`reportDownloads()`). */
export interface ReportDownload {
	path: string;
	method: string;
	status: number;
	/** true when the request carried an `api-key` header (it never should: the report is on another host) */
	sentApiKey: boolean;
	headerNames: string[];
	at: string;
}

export interface Fault {
	/** path prefix (with or without `/v3`), or a regular expression written `/.../` or starting with `^` */
	path: string;
	method?: string;
	/** how many matching requests it hits (default 1; `Infinity` for all) */
	times?: number;
	status?: number;
	code?: string;
	message?: string;
	body?: unknown;
	/** wait this long (real ms) before answering; alone it only slows the request down */
	delayMs?: number;
	/** for 429: the `x-sib-ratelimit-reset` seconds to send (default 1) */
	reset?: number;
}

export interface RecordedRequest {
	method: string;
	/** the path without the query string, e.g. `/v3/contacts/a%40b.co` */
	path: string;
	/** path and query string as sent */
	url: string;
	/** the OpenAPI path that served it, e.g. `/contacts/{identifier}` */
	route?: string;
	query: Record<string, string | string[]>;
	headers: Record<string, string>;
	body: unknown;
	status: number;
	response: unknown;
	/** headers of the answer (`x-sib-ratelimit-*`, `sib-request-id`, ...) */
	responseHeaders: Record<string, string>;
	at: string;
}

export interface Counters {
	/** per `METHOD /v3/openapi-path` (unrouted requests under their raw path) */
	calls: Record<string, number>;
	ratelimited: Record<string, number>;
	faults: Record<string, number>;
	byStatus: Record<string, number>;
	total: number;
}

/** A timer in emulated time: re-armed when the time scale changes. */
export interface EmulatedTimer {
	fn: () => void;
	/** emulated ms still to wait, counted from `startedAt` */
	remainingMs: number;
	startedAt: number;
	handle: NodeJS.Timeout;
}

export const IMPORT_QUEUED_MS = 500;
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
export const IMPORT_PROCESSING_MS = 1000;
const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** recorded requests kept (the newest); counters() keeps counting everything */
export const MAX_RECORDED = 20_000;

const SECRET_HEADERS = new Set(['api-key', 'partner-key', 'authorization', 'cookie']);

export class BrevoEmulatorServer {
	readonly state: BrevoState;
	readonly router = new Router();
	readonly limiter: RateLimiter;
	readonly sender: WebhookSender;
	apiKey: string;
	url = '';
	apiUrl = '';
	validate: boolean;
	private scale: number;
	private server?: http.Server;
	private faultList: Array<Fault & { left: number }> = [];
	private recorded: RecordedRequest[] = [];
	private counterData: Counters = { calls: {}, ratelimited: {}, faults: {}, byStatus: {}, total: 0 };
	private timers = new Set<EmulatedTimer>();
	private importFailures: string[] = [];
	private closed = false;
	autoWebhooks: boolean;
	private batches = new Map<number, object[]>();

	constructor(private readonly opts: BrevoEmulatorOptions = {}) {
		this.scale = opts.timeScale && opts.timeScale > 0 ? opts.timeScale : 1;
		this.validate = opts.validate !== false;
		this.autoWebhooks = opts.autoWebhooks === true;
		this.state = new BrevoState(() => Date.now());
		this.apiKey = opts.apiKey ?? `xkeysib-${randomUUID().replace(/-/g, '')}${randomUUID().replace(/-/g, '')}-emu`;
		this.state.apiKeys.set(this.apiKey, { name: 'emulator' });
		this.limiter = new RateLimiter(
			() => Date.now(),
			() => this.scale,
		);
		this.limiter.enabled = opts.rateLimit !== false;
		this.sender = new WebhookSender({
			state: this.state,
			timeScale: () => this.scale,
			schedule: (fn, ms) => this.schedule(fn, ms),
			cancel: (t) => this.cancel(t),
		});
		this.router.add([
			...accountRoutes,
			...contactRoutes,
			...importRoutes,
			...listRoutes,
			...folderRoutes,
			...attributeRoutes,
			...webhookRoutes,
			...eventRoutes,
			...smtpRoutes,
			...campaignRoutes,
			...orderRoutes,
		]);
	}

	// ---------- lifecycle ----------
	async listen(port = this.opts.port ?? 0): Promise<void> {
		this.server = http.createServer((req, res) => {
			this.handle(req, res).catch((err) => {
				if (!res.headersSent) {
					res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
				}
				res.end(JSON.stringify({ code: 'internal_error', message: String(err?.message ?? err) }));
			});
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, '127.0.0.1', () => resolve());
		});
		const { port: actual } = this.server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${actual}`;
		this.apiUrl = `${this.url}/v3`;
	}

	async close(): Promise<void> {
		this.closed = true;
		this.clearTimers();
		this.sender.close();
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections?.();
		});
	}

	// ---------- time ----------
	timeScale(): number {
		return this.scale;
	}

	/**
	 * Changes the time scale; pending emulated timers (import steps, webhook retries) are re-timed at once, so
	 * speeding time up also speeds up what is already waiting.
	 */
	setTimeScale(scale: number): void {
		if (!(scale > 0)) throw new Error('time scale must be a positive number');
		const now = Date.now();
		for (const t of this.timers) {
			clearTimeout(t.handle);
			t.remainingMs = Math.max(0, t.remainingMs - (now - t.startedAt) * this.scale);
		}
		this.scale = scale;
		for (const t of this.timers) this.arm(t, now);
	}

	/** Runs `fn` after `ms` of emulated time (ms / timeScale real); unref'd and cleared on close/reset. */
	schedule(fn: () => void, ms: number): EmulatedTimer {
		const t: EmulatedTimer = { fn, remainingMs: Math.max(0, ms), startedAt: 0, handle: undefined as unknown as NodeJS.Timeout };
		if (this.closed) return t; // e.g. a fileUrl fetch finishing after close(): nothing more runs
		this.timers.add(t);
		this.arm(t, Date.now());
		return t;
	}

	cancel(t: EmulatedTimer): void {
		clearTimeout(t.handle);
		this.timers.delete(t);
	}

	private arm(t: EmulatedTimer, now: number): void {
		t.startedAt = now;
		const delay = t.remainingMs / this.scale;
		if (delay > MAX_TIMEOUT_MS) {
			// setTimeout fires at once past ~24.8 days; very slow time scales wait in steps instead
			t.handle = setTimeout(() => {
				t.remainingMs -= MAX_TIMEOUT_MS * this.scale;
				this.arm(t, Date.now());
			}, MAX_TIMEOUT_MS);
		} else {
			t.handle = setTimeout(() => {
				this.timers.delete(t);
				t.fn();
			}, delay);
		}
		t.handle.unref();
	}

	private clearTimers(): void {
		for (const t of this.timers) clearTimeout(t.handle);
		this.timers.clear();
	}

	reset(): void {
		this.clearTimers();
		this.sender.reset();
		this.state.reset();
		this.limiter.reset();
		this.faultList = [];
		this.recorded = [];
		this.reportRequests = [];
		this.counterData = { calls: {}, ratelimited: {}, faults: {}, byStatus: {}, total: 0 };
		this.importFailures = [];
		this.batches.clear();
	}

	// ---------- faults, records, counters ----------
	injectFault(f: Fault): void {
		this.faultList.push({ ...f, left: f.times ?? 1 });
	}

	failNextImport(reason = 'Import failed: the file could not be processed'): void {
		this.importFailures.push(reason);
	}

	requests(filter: { method?: string; path?: string | RegExp; route?: string } = {}): RecordedRequest[] {
		return this.recorded.filter(
			(r) =>
				(!filter.method || r.method === filter.method.toUpperCase()) &&
				(!filter.route || r.route === filter.route) &&
				(!filter.path ||
					(typeof filter.path === 'string' ? r.path.startsWith(filter.path) : filter.path.test(r.path))),
		);
	}

	counters(): Counters {
		return JSON.parse(JSON.stringify(this.counterData)) as Counters;
	}

	private matchFault(method: string, path: string): (Fault & { left: number }) | undefined {
		const bare = path.replace(/^\/v3/, '') || '/';
		for (const f of this.faultList) {
			if (f.left <= 0) continue;
			if (f.method && f.method.toUpperCase() !== method) continue;
			let hit: boolean;
			if (f.path.startsWith('^') || (f.path.startsWith('/') && f.path.endsWith('/') && f.path.length > 2 && /[\\^$*+?()[\]|]/.test(f.path))) {
				const src = f.path.startsWith('^') ? f.path : f.path.slice(1, -1);
				const re = new RegExp(src);
				hit = re.test(path) || re.test(bare);
			} else {
				hit = path.startsWith(f.path) || bare.startsWith(f.path);
			}
			if (hit) {
				f.left--;
				return f;
			}
		}
		this.faultList = this.faultList.filter((f) => f.left > 0);
		return undefined;
	}

	// ---------- account activity -> webhook events ----------
	emit(activity: Activity): void {
		if (!this.autoWebhooks || this.closed) return;
		const now = Date.now();
		for (const w of this.state.webhooks.values()) {
			const payloads = payloadsFor(activity, w, now);
			if (!payloads.length) continue;
			if (!w.batched) {
				void this.sender.deliver(w.id, payloads).catch(() => undefined);
				continue;
			}
			const pending = this.batches.get(w.id);
			if (pending) {
				pending.push(...payloads);
				continue;
			}
			this.batches.set(w.id, [...payloads]);
			this.schedule(() => {
				const events = this.batches.get(w.id) ?? [];
				this.batches.delete(w.id);
				if (events.length && this.state.webhooks.has(w.id)) void this.sender.deliver(w.id, events).catch(() => undefined);
			}, BATCH_DELAY_MS);
		}
	}

	// ---------- imports ----------
	startImport(processId: number): void {
		// failNextImport() applies to the next import submitted, whenever it runs
		const failure = this.importFailures.shift();
		this.schedule(() => {
			const p = this.state.processes.get(processId);
			if (!p || p.status !== 'queued') return;
			// Brevo's running states: the SDK's status enum has both `in_process` and `processing` (the OpenAPI enum
			// only `processing`); which one a real import shows is not documented, so processes alternate (guess).
			p.status = p.id % 2 === 1 ? 'in_process' : 'processing';
			const req = (p.request ?? {}) as Record<string, any>;
			const finish = (rows?: ReturnType<typeof importRows>, error?: string) => {
				this.schedule(() => {
					const cur = this.state.processes.get(processId);
					if (!cur || (cur.status !== 'in_process' && cur.status !== 'processing')) return;
					if (error) {
						cur.status = 'failed';
						cur.error = error;
					} else {
						try {
							runImport(this.state, cur, rows ?? [], (a) => this.emit(a), this.url);
							cur.status = 'completed';
						} catch (err) {
							cur.status = 'failed';
							cur.error = `Import failed: ${(err as Error).message}`;
						}
					}
					cur.completed_at = this.state.iso();
				}, IMPORT_PROCESSING_MS);
			};
			if (failure) return finish(undefined, failure);
			if (req.fileUrl) {
				fetch(req.fileUrl)
					.then(async (r) => {
						if (!r.ok) return finish(undefined, `Import failed: fileUrl answered HTTP ${r.status}`);
						const text = await r.text();
						try {
							finish(importRows(req, text));
						} catch (err) {
							finish(undefined, `Import failed: ${(err as Error).message}`);
						}
					})
					.catch((err) => finish(undefined, `Import failed: fileUrl could not be fetched (${err.message})`));
				return;
			}
			try {
				finish(importRows(req));
			} catch (err) {
				finish(undefined, `Import failed: ${(err as Error).message}`);
			}
		}, IMPORT_QUEUED_MS);
	}

	// ---------- import reports (the `info.import` URLs: another host in production, pre-signed, no api-key) ----------
	private reportRequests: ReportDownload[] = [];

	/** Every request made to an import report URL, with whether it carried Brevo's `api-key` header. */
	reportDownloads(): ReportDownload[] {
		return this.reportRequests.map((r) => ({ ...r }));
	}

	private serveImportReport(method: string, pathname: string, headers: http.IncomingHttpHeaders, res: http.ServerResponse): void {
		const found = method === 'GET' ? findImportReport(this.state, pathname) : undefined;
		const status = method !== 'GET' ? 405 : found ? 200 : 404;
		this.reportRequests.push({
			path: pathname,
			method,
			status,
			sentApiKey: headers['api-key'] !== undefined,
			headerNames: Object.keys(headers).sort(),
			at: new Date().toISOString(),
		});
		if (!found) {
			// storage hosts answer unknown or expired links with a plain error page, not Brevo's JSON (guess)
			res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
			res.end(status === 404 ? 'NoSuchKey' : 'MethodNotAllowed');
			return;
		}
		const csv = importReportCsv(found.process.reports?.[found.category] ?? []);
		res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-length': String(Buffer.byteLength(csv)) });
		res.end(csv);
	}

	// ---------- request pipeline ----------
	private async readBody(req: http.IncomingMessage): Promise<Buffer> {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of req) {
			size += (chunk as Buffer).length;
			if (size > MAX_BODY_BYTES) throw new BrevoHttpError(413, 'invalid_parameter', 'Request body too large');
			chunks.push(chunk as Buffer);
		}
		return Buffer.concat(chunks);
	}

	private send(res: http.ServerResponse, reply: Reply): Record<string, string> {
		const headers: Record<string, string> = { 'sib-request-id': randomUUID(), ...(reply.headers ?? {}) };
		if (reply.status === 204 || reply.body === undefined) {
			res.writeHead(reply.status, headers);
			res.end();
			return headers;
		}
		const text = JSON.stringify(reply.body);
		headers['content-type'] = 'application/json; charset=utf-8';
		headers['content-length'] = String(Buffer.byteLength(text));
		res.writeHead(reply.status, headers);
		res.end(text);
		return headers;
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = (req.method ?? 'GET').toUpperCase();
		const query: Record<string, string | string[]> = {};
		for (const [k, v] of url.searchParams) {
			const prev = query[k];
			query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
		}
		let raw: Buffer;
		try {
			raw = await this.readBody(req);
		} catch (err) {
			const e = err as BrevoHttpError;
			this.send(res, { status: e.status ?? 400, body: e.body?.() ?? { code: 'invalid_parameter', message: String(err) } });
			return;
		}
		if (url.pathname.startsWith('/_admin/')) {
			const reply = await handleAdmin(this, method, url.pathname, url.searchParams, raw);
			this.send(res, reply);
			return;
		}
		if (url.pathname.startsWith(IMPORT_REPORT_PATH + '/')) {
			this.serveImportReport(method, url.pathname, req.headers, res);
			return;
		}

		const record: RecordedRequest = {
			method,
			path: url.pathname,
			url: url.pathname + url.search,
			query,
			headers: redactHeaders(req.headers),
			body: undefined,
			status: 0,
			response: undefined,
			responseHeaders: {},
			at: new Date().toISOString(),
		};
		this.recorded.push(record);
		// bounded for long benchmark runs: past the cap, the oldest tenth is dropped in one go
		if (this.recorded.length > MAX_RECORDED) this.recorded.splice(0, Math.ceil(MAX_RECORDED / 10));
		this.counterData.total++;
		const reply = await this.process(method, url.pathname, query, raw, req.headers, record);
		record.status = reply.status;
		record.response = reply.body;
		this.counterData.byStatus[reply.status] = (this.counterData.byStatus[reply.status] ?? 0) + 1;
		record.responseHeaders = this.send(res, reply);
	}

	private async process(
		method: string,
		pathname: string,
		query: Record<string, string | string[]>,
		raw: Buffer,
		headers: http.IncomingHttpHeaders,
		record: RecordedRequest,
	): Promise<Reply> {
		let body: unknown;
		let hasBody = false;
		let badJson: string | undefined;
		if (raw.length) {
			const text = raw.toString('utf8');
			if (text.trim()) {
				hasBody = true;
				try {
					body = JSON.parse(text);
				} catch (err) {
					badJson = (err as Error).message;
					body = text;
				}
			}
		}
		record.body = body;
		const countKey = (route?: string) => `${method} ${route ? `/v3${route}` : pathname}`;

		const fault = this.matchFault(method, pathname);
		if (fault) {
			this.counterData.faults[countKey()] = (this.counterData.faults[countKey()] ?? 0) + 1;
			if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
			if (fault.status) {
				const reply: Reply = {
					status: fault.status,
					body: fault.body ?? {
						code: fault.code ?? defaultFaultCode(fault.status),
						message: fault.message ?? defaultFaultMessage(fault.status),
					},
				};
				if (fault.status === 429) {
					const bucket = bucketFor(method, pathname.replace(/^\/v3/, ''));
					const w = bucket.windows[0];
					reply.headers = {
						'x-sib-ratelimit-limit': String(w.limit),
						'x-sib-ratelimit-remaining': '0',
						'x-sib-ratelimit-reset': String(fault.reset ?? 1),
					};
				}
				return reply;
			}
		}

		if (!pathname.startsWith('/v3/') && pathname !== '/v3') {
			return { status: 404, body: { code: 'not_found', message: `Not found: ${pathname} (the API lives under /v3)` } };
		}
		const path = pathname.slice(3) || '/';

		const key = headers['api-key'];
		const apiKey = Array.isArray(key) ? key[0] : key;
		if (!apiKey) return { status: 401, body: { message: MESSAGES.noKey, code: 'unauthorized' } };
		if (!this.state.apiKeys.has(apiKey)) return { status: 401, body: { message: MESSAGES.badKey, code: 'unauthorized' } };

		const decision = this.limiter.take(bucketFor(method, path));
		const { route, pathParams, otherMethods } = this.router.match(method, path);
		record.route = route?.specPath;
		const ck = countKey(route?.specPath);
		this.counterData.calls[ck] = (this.counterData.calls[ck] ?? 0) + 1;
		const withRate = (reply: Reply): Reply => ({ ...reply, headers: { ...decision.headers, ...(reply.headers ?? {}) } });
		if (!decision.allowed) {
			this.counterData.ratelimited[ck] = (this.counterData.ratelimited[ck] ?? 0) + 1;
			return withRate({ status: 429, body: { code: 'too_many_requests', message: MESSAGES.rateLimited } });
		}
		if (!route) {
			if (otherMethods.length) {
				return withRate({
					status: 405,
					body: { code: 'method_not_allowed', message: `${method} Method is not allowed on this path` },
				});
			}
			return withRate({ status: 404, body: { code: 'not_found', message: `Invalid route: ${method} /v3${path}` } });
		}
		if (badJson !== undefined) {
			return withRate({ status: 400, body: { code: 'invalid_parameter', message: `Malformed JSON body: ${badJson}` } });
		}
		let params: Record<string, unknown>;
		if (this.validate) {
			const checked = validateRequest({ specPath: route.specPath, method, pathParams, query, body, hasBody });
			if (checked.violation) {
				return withRate({ status: 400, body: { code: checked.violation.code, message: checked.violation.message } });
			}
			params = checked.params;
		} else {
			params = looseParams(pathParams, query); // no definition loaded at all
		}
		const services: RouteServices = {
			now: () => Date.now(),
			timeScale: () => this.scale,
			startImport: (id) => this.startImport(id),
			emit: (activity) => this.emit(activity),
			error: (status, code, message) => new BrevoHttpError(status, code, message),
		};
		const apiKeyName = this.state.apiKeys.get(apiKey)?.name ?? '';
		const ctx: RouteContext = { method, path, pathParams, query, params, body, hasBody, state: this.state, services, apiKeyName };
		try {
			return withRate(await route.handler(ctx));
		} catch (err) {
			if (err instanceof BrevoHttpError) return withRate({ status: err.status, body: err.body() });
			return withRate({ status: 500, body: { code: 'internal_error', message: (err as Error).message } });
		}
	}
}

/** Typed parameters without the OpenAPI definition (validate: false): numbers, booleans, `listIds` arrays. */
export function looseParams(
	pathParams: Record<string, string>,
	query: Record<string, string | string[]>,
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const one = (v: string): unknown => (/^-?\d+$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v);
	for (const [k, v] of Object.entries(pathParams)) out[k] = k === 'identifier' || k.startsWith('attribute') ? v : one(v);
	for (const [k, v] of Object.entries(query)) {
		const values = Array.isArray(v) ? v : [v];
		if (k === 'listIds') out[k] = values.flatMap((x) => x.split(',')).map(one);
		else if (k === 'filter' || k.endsWith('Since') || k.endsWith('Date')) out[k] = values[values.length - 1];
		else out[k] = one(values[values.length - 1]);
	}
	return out;
}

export function redactHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(h)) {
		if (v === undefined) continue;
		out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? '[redacted]' : Array.isArray(v) ? v.join(', ') : v;
	}
	return out;
}

function defaultFaultCode(status: number): string {
	if (status === 429) return 'too_many_requests';
	if (status === 401) return 'unauthorized';
	if (status === 403) return 'permission_denied';
	if (status === 404) return 'document_not_found';
	if (status >= 500) return 'internal_error';
	return 'invalid_parameter';
}

function defaultFaultMessage(status: number): string {
	if (status === 429) return MESSAGES.rateLimited;
	if (status >= 500) return 'Internal server error';
	return http.STATUS_CODES[status] ?? 'Error';
}
