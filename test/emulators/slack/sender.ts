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

export function post(url: string, body: string, headers: Record<string, string>): Promise<HttpResult> {
	const target = new URL(url);
	const send = target.protocol === 'https:' ? httpsRequest : request;
	return new Promise((resolve, reject) => {
		const req = send(target, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const out: Record<string, string> = {};
				for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
				resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: out });
			});
			res.on('error', reject);
		});
		req.on('error', reject);
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
