import { sleep as defaultSleep } from '../util';
import { ErrorCode, LogLevel, WebClient, type Logger, type WebAPICallResult } from '@slack/web-api';
import type { FunctionsBase, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { redactSecrets } from '../redact';
import { slackErrorCode } from './errors';
import { slackRemedy } from './remedies';

export { slackErrorCode };

export const SLACK_CREDENTIAL = 'slackBrevoBotApi';

export interface SlackCredentials {
	accessToken: string;
	baseUrl?: string;
}

export interface SlackClientOptions {
	/**
	 * Longest total time one call may spend waiting on 429 Retry-After before it fails. Slack's tiers are per
	 * minute, so one minute-long wait must fit; the SDK's own default (10 retries over ~30 minutes) does not fit
	 * an n8n execution.
	 */
	maxRateLimitWaitMs?: number;
	/** Retries of network errors and HTTP 5xx (never of ok:false answers, which Slack means). */
	retries?: number;
	/** Per request timeout. */
	timeoutMs?: number;
	/** Called on every 429 with the wait Slack asked for (benchmarks count them). */
	onRateLimited?: (method: string, retryAfterSec: number) => void;
	/** Sleep implementation (tests). */
	sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_SLACK_BASE_URL = 'https://slack.com/api/';

export function normalizeSlackBaseUrl(baseUrl?: string): string {
	const url = (baseUrl ?? '').trim() || DEFAULT_SLACK_BASE_URL;
	return url.endsWith('/') ? url : `${url}/`;
}

const silentLogger: Logger = {
	debug: () => undefined,
	info: () => undefined,
	warn: () => undefined,
	error: () => undefined,
	setLevel: () => undefined,
	getLevel: () => LogLevel.ERROR,
	setName: () => undefined,
};


/**
 * A WebClient whose rate-limit handling is bounded: on 429 it waits exactly what Retry-After says, call by call,
 * until the call's wait budget is spent, then fails with a `ratelimited` error the node can report.
 */
class BoundedWebClient extends WebClient {
	constructor(
		token: string,
		baseUrl: string,
		private readonly bounds: Required<Pick<SlackClientOptions, 'maxRateLimitWaitMs'>> &
			Pick<SlackClientOptions, 'onRateLimited' | 'sleep'>,
		retries: number,
		timeoutMs: number,
	) {
		super(token, {
			slackApiUrl: baseUrl,
			logger: silentLogger,
			rejectRateLimitedCalls: true,
			retryConfig: { retries, factor: 2, minTimeout: 500, maxTimeout: 4000, randomize: true },
			timeout: timeoutMs,
			maxRequestConcurrency: 20,
		});
	}

	override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
		const sleep = this.bounds.sleep ?? defaultSleep;
		let waited = 0;
		for (;;) {
			try {
				return await super.apiCall(method, options);
			} catch (error) {
				if ((error as { code?: string }).code !== ErrorCode.RateLimitedError) throw error;
				const retryAfterSec = Math.max(0, Number((error as { retryAfter?: number }).retryAfter) || 1);
				this.bounds.onRateLimited?.(method, retryAfterSec);
				const waitMs = retryAfterSec * 1000;
				if (waited + waitMs > this.bounds.maxRateLimitWaitMs) {
					(error as { rateLimitBudgetMs?: number }).rateLimitBudgetMs = this.bounds.maxRateLimitWaitMs;
					throw error;
				}
				waited += waitMs;
				await sleep(waitMs);
			}
		}
	}
}

export function createSlackClient(credentials: SlackCredentials, options: SlackClientOptions = {}): WebClient {
	const token = String(credentials.accessToken ?? '').trim();
	return new BoundedWebClient(
		token,
		normalizeSlackBaseUrl(credentials.baseUrl),
		{
			maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 120_000,
			onRateLimited: options.onRateLimited,
			sleep: options.sleep,
		},
		options.retries ?? 2,
		options.timeoutMs ?? 30_000,
	);
}

/** The Slack client for a node's `slackBrevoBotApi` credential. */
export async function getSlackClient(ctx: FunctionsBase, options: SlackClientOptions = {}): Promise<WebClient> {
	const credentials = await ctx.getCredentials<SlackCredentials>(SLACK_CREDENTIAL);
	return createSlackClient(credentials, options);
}

interface SlackErrorLike {
	code?: string;
	message?: string;
	data?: {
		error?: string;
		needed?: string;
		provided?: string;
		errors?: string[];
		warning?: string;
		response_metadata?: { messages?: string[]; warnings?: string[]; scopes?: string[] };
	};
	retryAfter?: number;
	rateLimitBudgetMs?: number;
	statusCode?: number;
	original?: { message?: string; code?: string; cause?: { code?: string } };
}

export interface SlackErrorContext {
	channel?: string;
	itemIndex?: number;
	/** What the node was doing, e.g. "posting to #sales". */
	action?: string;
}

/**
 * Turns anything the Slack SDK throws into a NodeApiError carrying Slack's code and what to do about it.
 * Messages are redacted: a token can never leak through an error.
 */
export function toSlackNodeError(node: INode, error: unknown, context: SlackErrorContext = {}): NodeApiError {
	const e = (error ?? {}) as SlackErrorLike;
	const where = context.action ? ` while ${context.action}` : '';
	let message: string;
	let description: string;
	let httpCode: string | undefined;
	const body: JsonObject = {};

	if (e.code === ErrorCode.PlatformError) {
		const code = e.data?.error ?? 'unknown_error';
		const remedy = slackRemedy(code, { channel: context.channel, needed: e.data?.needed, provided: e.data?.provided });
		message = `Slack error ${code}${where}: ${remedy.summary}`;
		const details: string[] = [remedy.fix];
		if (e.data?.errors?.length) details.push(`Slack's details: ${e.data.errors.join('; ')}`);
		if (e.data?.response_metadata?.messages?.length) {
			details.push(`Slack's messages: ${e.data.response_metadata.messages.join('; ')}`);
		}
		description = details.join('\n');
		body.error = code;
		if (e.data?.needed) body.needed = e.data.needed;
		if (e.data?.provided) body.provided = e.data.provided;
		if (e.data?.errors) body.errors = e.data.errors;
		httpCode = '200';
	} else if (e.code === ErrorCode.RateLimitedError) {
		const budget = Math.round((e.rateLimitBudgetMs ?? 0) / 1000);
		message = `Slack rate limit${where}: Slack asked to wait ${e.retryAfter ?? '?'} s`;
		description = budget
			? `The call already waited as long as allowed (${budget} s). Send fewer messages per run, spread them over channels, use the digest option, or run the workflow less often.`
			: 'Send fewer messages per run or run the workflow less often.';
		body.error = 'ratelimited';
		httpCode = '429';
	} else if (e.code === ErrorCode.HTTPError) {
		message = `Slack answered HTTP ${e.statusCode ?? '?'}${where}`;
		description =
			'Slack had a server-side problem or the API base URL is wrong. Check https://slack-status.com and the credential\'s API base URL (it must end with /api/).';
		body.error = `http_${e.statusCode ?? 'error'}`;
		httpCode = String(e.statusCode ?? '');
	} else if (e.code === ErrorCode.RequestError) {
		const cause = e.original?.cause?.code ?? e.original?.code ?? e.original?.message ?? 'network error';
		message = `Could not reach Slack${where} (${cause})`;
		description = 'Check the credential\'s API base URL and that this n8n host can reach it.';
		body.error = 'request_error';
	} else {
		message = `Slack call failed${where}: ${e.message ?? String(error)}`;
		description = 'Unexpected error from the Slack client.';
		body.error = 'unexpected';
	}
	if (context.channel) body.channel = context.channel;
	return new NodeApiError(node, body, {
		message: redactSecrets(message),
		description: redactSecrets(description),
		httpCode,
		itemIndex: context.itemIndex,
	});
}
