/**
 * What the Slack Interaction Trigger does with one HTTP request, as a pure function: size limit, signature,
 * parsing, url_verification, filters, duplicate detection, normalisation, and the answer Slack gets.
 * No n8n imports (the node file does the I/O), so every path is unit-tested and benchmarked directly.
 */
/** Request headers as Node gives them (lower-case names; repeated ones as arrays). */
type IncomingHttpHeaders = Record<string, string | string[] | undefined>;

import { seenBefore } from '../shared/dedup';
import { applyFilters, type CompiledFilters } from '../shared/slack/filters';
import {
	deliveryKey,
	normalizeSlackRequest,
	parseSlackRequest,
	type NormalizedItem,
} from '../shared/slack/interaction';
import { verifySlackSignature } from '../shared/slack/signature';

export type ModalAnswer = 'onReceived' | 'lastNode';

export interface PipelineSettings {
	signingSecret: string;
	maxBodyBytes: number;
	filters: CompiledFilters;
	/** `scope` (workflow + node) turns on the process-wide journal of shared/dedup.ts. */
	dedup: { enabled: boolean; ttlMs: number; max: number; scope?: string };
	/** view_submission: answer at once (close the modal) or let the workflow's last node answer. */
	modalAnswer: ModalAnswer;
	/** Optional ephemeral text answered to slash commands right away. */
	commandAck?: string;
	includeRaw: boolean;
}

export interface IncomingRequest {
	rawBody: Buffer;
	headers: IncomingHttpHeaders;
}

export interface HttpAnswer {
	status: number;
	/** undefined = empty body. */
	body?: string;
	headers: Record<string, string>;
}

export interface LogEntry {
	level: 'debug' | 'info' | 'warn';
	message: string;
}

export type PipelineOutcome =
	/** Answer and stop: nothing starts (refusals, url_verification, filtered, duplicates, notices). */
	| { kind: 'answer'; answer: HttpAnswer; log: LogEntry; reason: string }
	/** Start the workflow with `item`; `answer` null means the workflow's last node answers (modal validation). */
	| { kind: 'start'; item: NormalizedItem; answer: HttpAnswer | null; log: LogEntry; dedupKey: string | null };

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
// Slack retries Events API deliveries that fail; a refusal will fail again, so ask it not to.
const NO_RETRY = { 'x-slack-no-retry': '1' };

const refuse = (status: number, reason: string, message: string, level: LogEntry['level'] = 'warn'): PipelineOutcome => ({
	kind: 'answer',
	reason,
	answer: { status, body: JSON.stringify({ ok: false, error: reason }), headers: { ...JSON_TYPE, ...NO_RETRY } },
	log: { level, message: `Slack Interaction Trigger refused a request (${status} ${reason}): ${message}` },
});

const empty200 = (reason: string, log: LogEntry): PipelineOutcome => ({
	kind: 'answer',
	reason,
	answer: { status: 200, headers: {} },
	log,
});

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function retryInfo(headers: IncomingHttpHeaders): { num?: number; reason: string | null } {
	const raw = header(headers, 'x-slack-retry-num');
	const num = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
	return { num, reason: header(headers, 'x-slack-retry-reason') ?? null };
}

/**
 * Handles one request. `staticStore` is the node's workflow static data (mutated when a delivery is recorded).
 */
export function processSlackRequest(
	req: IncomingRequest,
	settings: PipelineSettings,
	staticStore: object,
	nowMs: number,
): PipelineOutcome {
	// The size check costs nothing and keeps an oversized body from being hashed at all.
	const declared = Number(header(req.headers, 'content-length'));
	if (req.rawBody.length > settings.maxBodyBytes || (Number.isFinite(declared) && declared > settings.maxBodyBytes)) {
		return refuse(413, 'body_too_large', `the body has ${Math.max(req.rawBody.length, declared || 0)} bytes, more than the ${settings.maxBodyBytes} allowed`);
	}

	const verdict = verifySlackSignature({
		signingSecret: settings.signingSecret,
		rawBody: req.rawBody,
		timestamp: req.headers['x-slack-request-timestamp'],
		signature: req.headers['x-slack-signature'],
		nowMs,
	});
	if (!verdict.ok) return refuse(401, verdict.reason, verdict.message);

	const parsed = parseSlackRequest(req.rawBody, req.headers['content-type']);
	if (!parsed.ok) return refuse(parsed.status, parsed.reason, parsed.message);

	if (parsed.kind === 'url_verification') {
		return {
			kind: 'answer',
			reason: 'url_verification',
			answer: { status: 200, body: JSON.stringify({ challenge: parsed.challenge }), headers: JSON_TYPE },
			log: { level: 'info', message: 'Slack Interaction Trigger answered Slack\'s url_verification challenge' },
		};
	}
	if (parsed.kind === 'ssl_check') {
		return empty200('ssl_check', { level: 'debug', message: 'Slack Interaction Trigger answered Slack\'s ssl_check' });
	}
	if (parsed.kind === 'app_rate_limited') {
		return empty200('app_rate_limited', {
			level: 'warn',
			message: `Slack reports that this app exceeded 30,000 Events API deliveries per hour (minute ${String(parsed.body.minute_rate_limited ?? '?')}); Slack drops events until the hour ends`,
		});
	}

	const retry = retryInfo(req.headers);
	const item = normalizeSlackRequest(parsed, { receivedAtMs: nowMs, retryNum: retry.num, retryReason: retry.reason })!;

	const decision = applyFilters(settings.filters, item);
	if (!decision.pass) {
		return empty200('filtered', { level: 'debug', message: `Slack Interaction Trigger ignored a ${describe(item)}: ${decision.reason}` });
	}

	const key = deliveryKey(parsed, req.rawBody);
	// A retry whose reason is http_timeout says the first attempt reached this URL and was not answered within 3 s
	// (https://api.slack.com/apis/events-api#graceful_retries): that attempt was received and handled here, so the retry is a
	// duplicate whatever the static data holds. Other reasons (http_error, connection_failed, ...) may mean the first
	// attempt never started anything, so they are checked against the remembered keys like any delivery.
	const timeoutRetry = retry.num !== undefined && retry.reason === 'http_timeout';
	if (settings.dedup.enabled && (timeoutRetry || (key && seenBefore(staticStore, key, nowMs, settings.dedup)))) {
		const retryNote = retry.num !== undefined ? ` (Slack retry ${retry.num}, ${retry.reason ?? 'no reason given'})` : '';
		return empty200('duplicate', {
			level: 'info',
			message: `Slack Interaction Trigger received a ${describe(item)} it had already received${retryNote}: not started again`,
		});
	}

	if (!settings.includeRaw) item.raw = {};
	let answer: HttpAnswer | null = { status: 200, headers: {} };
	if (item.type === 'view_submission' && settings.modalAnswer === 'lastNode') answer = null;
	if (item.type === 'slash_command' && settings.commandAck) {
		answer = { status: 200, body: JSON.stringify({ response_type: 'ephemeral', text: settings.commandAck }), headers: JSON_TYPE };
	}
	return {
		kind: 'start',
		item,
		answer,
		dedupKey: key,
		log: { level: 'debug', message: `Slack Interaction Trigger accepted a ${describe(item)}` },
	};
}

function describe(item: NormalizedItem): string {
	if (item.type === 'event') return `${item.event_type ?? 'unknown'} event${item.event_id ? ` ${item.event_id}` : ''}`;
	if (item.type === 'slash_command') return `${item.command?.name ?? ''} slash command`;
	if (item.type === 'block_actions') return `block_actions (${item.action?.action_id ?? 'no action'})`;
	return `${item.type}${item.callback_id ? ` (${item.callback_id})` : ''}`;
}
