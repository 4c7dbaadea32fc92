/**
 * Playing Slack toward the package: signed HTTP deliveries of interactivity payloads (form field `payload=<json>`),
 * slash commands (form fields) and Events API envelopes (JSON, with X-Slack-Retry-Num / X-Slack-Retry-Reason on
 * retries). Headers and bodies are what Slack sends; the raw body bytes are the ones signed.
 */
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { signSlackRequest } from './signing';
import type { HttpResult } from './types';

export interface SendOptions {
	signingSecret: string;
	/** unix seconds put in X-Slack-Request-Timestamp and signed (default now); an old one tests stale-request rejection. */
	timestamp?: number;
}

export interface SendEventOptions extends SendOptions {
	retryNum?: number;
	retryReason?: string;
	eventId?: string;
}

export interface DeliverEventOptions extends SendOptions {
	eventId?: string;
	/** how long Slack waits for the acknowledgement before counting an http_timeout (3 s; not time-scaled). */
	ackTimeoutMs?: number;
	/** waits before retries 1..3: Slack retries about immediately, after 1 minute and after 5 minutes (divided by the time scale). */
	retryDelaysMs?: number[];
}

export interface DeliveryAttempt {
	retryNum: number;
	retryReason?: string;
	status?: number;
	body?: string;
	headers?: Record<string, string>;
	error?: string;
}

export interface EventDelivery {
	delivered: boolean;
	attempts: DeliveryAttempt[];
}

// docs.slack.dev/apis/events-api ("Error handling"): up to 3 retries, nearly immediately, after 1 minute, after 5 minutes
export const EVENT_RETRY_DELAYS_MS = [0, 60_000, 300_000];

export function post(url: string, body: string, headers: Record<string, string>, timeoutMs?: number): Promise<HttpResult> {
	const target = new URL(url);
	const send = target.protocol === 'https:' ? httpsRequest : request;
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const req = send(target, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const out: Record<string, string> = {};
				for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
				resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: out, durationMs: Date.now() - started });
			});
			res.on('error', reject);
		});
		req.on('error', reject);
		if (timeoutMs !== undefined) {
			req.setTimeout(timeoutMs, () => req.destroy(new Error('http_timeout')));
		}
		req.end(body);
	});
}

function signedHeaders(o: SendOptions, body: string, contentType: string): Record<string, string> {
	const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
	return {
		'content-type': contentType,
		'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
		accept: 'application/json,*/*',
		'x-slack-request-timestamp': String(ts),
		'x-slack-signature': signSlackRequest(o.signingSecret, ts, body),
	};
}

export function sendInteraction(url: string, payload: object, o: SendOptions & { headers?: Record<string, string> }): Promise<HttpResult> {
	const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
	return post(url, body, { ...signedHeaders(o, body, 'application/x-www-form-urlencoded'), ...(o.headers ?? {}) });
}

export function sendSlashCommand(url: string, fields: Record<string, string>, o: SendOptions): Promise<HttpResult> {
	const body = new URLSearchParams(fields).toString();
	return post(url, body, signedHeaders(o, body, 'application/x-www-form-urlencoded'));
}

export function sendEvent(url: string, envelope: object, o: SendEventOptions): Promise<HttpResult> {
	const body = JSON.stringify(envelope);
	const headers = signedHeaders(o, body, 'application/json');
	if (o.retryNum) {
		headers['x-slack-retry-num'] = String(o.retryNum);
		headers['x-slack-retry-reason'] = o.retryReason ?? 'http_timeout';
	}
	return post(url, body, headers);
}

/**
 * An Events API delivery with Slack's retry policy: a timeout (no answer within 3 s), a non-2xx answer or a failed
 * connection is retried up to 3 times with X-Slack-Retry-Num / X-Slack-Retry-Reason, the same event_id and a fresh
 * signature, unless the app answered with `X-Slack-No-Retry: 1`.
 */
export async function deliverEvent(url: string, envelope: object, o: DeliverEventOptions & { timeScale?: number }): Promise<EventDelivery> {
	const body = JSON.stringify(envelope);
	const delays = o.retryDelaysMs ?? EVENT_RETRY_DELAYS_MS;
	const scale = o.timeScale ?? 1;
	const attempts: DeliveryAttempt[] = [];
	let reason: string | undefined;
	for (let retryNum = 0; retryNum <= 3; retryNum++) {
		if (retryNum > 0) await new Promise((r) => setTimeout(r, (delays[retryNum - 1] ?? 0) / scale));
		const triggeredBy = retryNum > 0 ? reason : undefined;
		const headers = signedHeaders({ signingSecret: o.signingSecret, timestamp: o.timestamp }, body, 'application/json');
		if (triggeredBy) {
			headers['x-slack-retry-num'] = String(retryNum);
			headers['x-slack-retry-reason'] = triggeredBy;
		}
		try {
			const res = await post(url, body, headers, o.ackTimeoutMs ?? 3000);
			attempts.push({ retryNum, retryReason: triggeredBy, status: res.status, body: res.body, headers: res.headers });
			if (res.status >= 200 && res.status < 300) return { delivered: true, attempts };
			if (res.headers['x-slack-no-retry'] === '1') return { delivered: false, attempts };
			reason = 'http_error';
		} catch (e) {
			reason = e instanceof Error && e.message === 'http_timeout' ? 'http_timeout' : 'connection_failed';
			attempts.push({ retryNum, retryReason: triggeredBy, error: reason });
		}
	}
	return { delivered: false, attempts };
}
