/**
 * Playing Brevo toward the package: webhook deliveries with the registered auth, and plain POSTs
 * (automation "Call a webhook", Conversations).
 *
 * Delivery rules (developers.brevo.com: webhooks, batch-webhooks, retry-mechanism, secure webhook calls):
 * - `auth: {type:"bearer", token}` -> `Authorization: Bearer <token>`; `user:pass@` in the URL -> HTTP basic auth
 *   (the credentials are taken out of the URL); custom `headers` are sent as given. With both, the bearer wins.
 * - `batched: true` -> JSON arrays of up to 500 events per POST; otherwise one POST per event (a JSON object).
 * - retries (developers.brevo.com/docs/retry-mechanism, "Retry mechanism", read 2026-12): Brevo retries a delivery
 *   only when the receiver did not answer (connection refused, unreachable, timeout: "the webhook event requests
 *   are stopped for 10 minutes and resumed") or answered 429. "4xx response codes, except for 429, and any 5xx
 *   response code stop all retry attempts and discard the webhook." 4 retries after the original attempt, at
 *   +10 min, +1 h, +2 h and +8 h, each counted from the previous attempt (the page's example: 10:00, 10:10, 11:10,
 *   13:10, 21:10), in emulated time (divided by the time scale). Retries are unref'd timers cleared on close.
 *   1xx/3xx answers are neither listed as retried nor as accepted: discarded here (guess).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { EmulatedTimer } from './server';
import type { BrevoState, Webhook } from './state';

export const RETRY_DELAYS_MS = [10 * 60_000, 60 * 60_000, 2 * 60 * 60_000, 8 * 60 * 60_000];

/** What Brevo makes of one answer: accepted, tried again later, or dropped for good (retry-mechanism page). */
export type DeliveryOutcome = 'delivered' | 'retry' | 'discarded';

/**
 * Brevo's rule for one attempt's answer (`status` 0 = no answer: network error or timeout). `retry` only means the
 * answer is one Brevo retries; whether a retry is left is the caller's business (4 at most).
 */
export function outcomeOf(status: number): DeliveryOutcome {
	if (status >= 200 && status < 300) return 'delivered';
	if (status === 0 || status === 429) return 'retry';
	return 'discarded';
}
export const BATCH_SIZE = 500;
const TIMEOUT_MS = 10_000;

export interface DeliveryAttempt {
	/** one id per payload (a single event or one batch), shared by its retries */
	deliveryId: number;
	webhookId?: number;
	url: string;
	attempt: number; // 0 = first try, 1..4 = retries
	payload: unknown;
	status: number; // 0 = network error
	body: string;
	error?: string;
	at: string;
	/** Brevo's verdict on this answer: `retry` when another attempt is scheduled, `discarded` when none will come. */
	outcome: DeliveryOutcome;
}

export interface PendingRetry {
	deliveryId: number;
	webhookId?: number;
	attempt: number;
	dueInMs: number; // real ms from when it was scheduled
	scheduledAt: string;
}

export interface HttpResult {
	status: number;
	body: string;
	headers: Record<string, string>;
}

/** POSTs JSON with node:http(s); resolves with status 0 on a network error instead of throwing. */
export function postJson(
	rawUrl: string,
	payload: unknown,
	headers: Record<string, string> = {},
): Promise<HttpResult & { error?: string }> {
	const url = new URL(rawUrl);
	const h: Record<string, string> = { 'content-type': 'application/json', ...headers };
	if ((url.username || url.password) && !Object.keys(h).some((k) => k.toLowerCase() === 'authorization')) {
		const user = decodeURIComponent(url.username);
		const pass = decodeURIComponent(url.password);
		h.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
	}
	url.username = '';
	url.password = '';
	const data = typeof payload === 'string' ? payload : JSON.stringify(payload);
	h['content-length'] = String(Buffer.byteLength(data));
	const lib = url.protocol === 'https:' ? https : http;
	return new Promise((resolve) => {
		const req = lib.request(url, { method: 'POST', headers: h, timeout: TIMEOUT_MS }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const out: Record<string, string> = {};
				for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
				resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: out });
			});
			res.on('error', (err) => resolve({ status: 0, body: '', headers: {}, error: err.message }));
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', (err) => resolve({ status: 0, body: '', headers: {}, error: err.message }));
		req.end(data);
	});
}

export function webhookHeaders(w: Webhook, withAuth: boolean): Record<string, string> {
	if (!withAuth) return {};
	const h: Record<string, string> = {};
	for (const { key, value } of w.headers ?? []) h[key] = value;
	if (w.auth?.type === 'bearer' && w.auth.token) h.Authorization = `Bearer ${w.auth.token}`;
	return h;
}

function stripCredentials(rawUrl: string): string {
	const u = new URL(rawUrl);
	u.username = '';
	u.password = '';
	return u.toString();
}

export class WebhookSender {
	private attempts: DeliveryAttempt[] = [];
	private pending = new Map<number, PendingRetry & { timer: EmulatedTimer }>();
	private seq = 0;

	constructor(
		private readonly deps: {
			state: BrevoState;
			timeScale: () => number;
			schedule: (fn: () => void, ms: number) => EmulatedTimer;
			cancel: (t: EmulatedTimer) => void;
		},
	) {}

	deliveries(): DeliveryAttempt[] {
		return this.attempts.map((a) => ({ ...a }));
	}

	/** Retries waiting for their time; `dueInMs` is the real time left at the current time scale. */
	pendingRetries(): PendingRetry[] {
		const now = Date.now();
		const scale = this.deps.timeScale();
		return [...this.pending.values()].map(({ timer, ...p }) => ({
			...p,
			dueInMs: Math.max(0, (timer.remainingMs - (now - timer.startedAt) * scale) / scale),
		}));
	}

	reset(): void {
		this.close();
		this.attempts = [];
	}

	close(): void {
		for (const p of this.pending.values()) this.deps.cancel(p.timer);
		this.pending.clear();
	}

	async deliver(
		webhookId: number,
		events: object | object[],
		o: { withAuth?: boolean; retry?: boolean } = {},
	): Promise<{ status: number; body: string }> {
		const w = this.deps.state.webhooks.get(webhookId);
		if (!w) throw new Error(`No webhook ${webhookId} is registered in the Brevo emulator`);
		const list = Array.isArray(events) ? events : [events];
		const payloads: unknown[] = [];
		if (w.batched) for (let i = 0; i < list.length; i += BATCH_SIZE) payloads.push(list.slice(i, i + BATCH_SIZE));
		else payloads.push(...list);
		let result = { status: 204, body: '' };
		for (const payload of payloads) {
			const withAuth = o.withAuth !== false;
			const url = withAuth ? w.url : stripCredentials(w.url);
			const r = await this.attempt({ webhookId, url, payload, headers: webhookHeaders(w, withAuth) }, 0, o.retry !== false);
			if (!(result.status < 200 || result.status >= 300)) result = r;
		}
		return result;
	}

	/** Delivery to a bare URL (admin `deliver` with `url`): same retry schedule, caller-given headers. */
	async deliverToUrl(url: string, events: object | object[], headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
		const list = Array.isArray(events) ? events : [events];
		let result = { status: 204, body: '' };
		for (const payload of list) {
			const r = await this.attempt({ url, payload, headers }, 0, true);
			if (!(result.status < 200 || result.status >= 300)) result = r;
		}
		return result;
	}

	private async attempt(
		d: { webhookId?: number; url: string; payload: unknown; headers: Record<string, string>; deliveryId?: number },
		attempt: number,
		retry: boolean,
	): Promise<{ status: number; body: string }> {
		const deliveryId = d.deliveryId ?? ++this.seq;
		const r = await postJson(d.url, d.payload, d.headers);
		const verdict = outcomeOf(r.status);
		const willRetry = verdict === 'retry' && retry && attempt < RETRY_DELAYS_MS.length;
		this.attempts.push({
			deliveryId,
			webhookId: d.webhookId,
			url: stripCredentials(d.url),
			attempt,
			payload: d.payload,
			status: r.status,
			body: r.body,
			error: r.error,
			at: new Date().toISOString(),
			outcome: verdict === 'delivered' ? 'delivered' : willRetry ? 'retry' : 'discarded',
		});
		if (willRetry) {
			const delay = RETRY_DELAYS_MS[attempt];
			const timer = this.deps.schedule(() => {
				this.pending.delete(deliveryId);
				// a webhook deleted meanwhile is no longer called
				if (d.webhookId !== undefined && !this.deps.state.webhooks.has(d.webhookId)) return;
				void this.attempt({ ...d, deliveryId }, attempt + 1, true);
			}, delay);
			this.pending.set(deliveryId, {
				deliveryId,
				webhookId: d.webhookId,
				attempt: attempt + 1,
				dueInMs: delay / this.deps.timeScale(),
				scheduledAt: new Date().toISOString(),
				timer,
			});
		}
		return { status: r.status, body: r.error ? `network error: ${r.error}` : r.body };
	}

	/** One POST, no retries (guess: no Brevo page says how these retry): automation "Call a webhook" steps and Conversations webhooks. */
	async post(url: string, body: unknown, o: { headers?: Record<string, string> } = {}): Promise<{ status: number; body: string }> {
		const r = await postJson(url, body, o.headers ?? {});
		this.attempts.push({
			deliveryId: ++this.seq,
			url: stripCredentials(url),
			attempt: 0,
			payload: body,
			status: r.status,
			body: r.body,
			error: r.error,
			at: new Date().toISOString(),
			// no retry is modelled for these calls (no Brevo page documents one: guess)
			outcome: outcomeOf(r.status) === 'delivered' ? 'delivered' : 'discarded',
		});
		return { status: r.status, body: r.error ? `network error: ${r.error}` : r.body };
	}
}
