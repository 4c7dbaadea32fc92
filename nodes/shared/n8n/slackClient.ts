/**
 * The Slack client of every node and trigger: the gateway (`gateway.ts`: Retry-After, retries, error shapes) over
 * n8n's request helper (`../n8n/http.ts`: proxy, CA, authentication by the credential), and the translation of its
 * errors into NodeApiError with Slack's code and the fix.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { bindCredential, executionSleep, n8nHttp, type HttpContext } from './http';
import { networkFailureFix, networkFailureInWords } from '../network';
import { redactSecrets } from '../redact';
import { slackErrorCode } from '../slack/errors';
import { SlackErrorKind, SlackGateway, slackClient, type SlackClient, type SlackErrorData, type SlackGatewayOptions } from '../slack/gateway';
import { slackRemedy } from '../slack/remedies';

export { slackErrorCode };
export type { SlackClient };

export const SLACK_CREDENTIAL = 'slackBrevoBotApi';
/** The field of `slackBrevoBotApi` that is secret. */
export const SLACK_SECRET_FIELD = 'accessToken';

export interface SlackCredentials {
	accessToken: string;
	baseUrl?: string;
}

export type SlackClientOptions = Omit<SlackGatewayOptions, 'sleep'> & { sleep?: SlackGatewayOptions['sleep'] };

export const DEFAULT_SLACK_BASE_URL = 'https://slack.com/api/';

export function normalizeSlackBaseUrl(baseUrl?: string): string {
	const url = (baseUrl ?? '').trim() || DEFAULT_SLACK_BASE_URL;
	return url.endsWith('/') ? url : `${url}/`;
}

/**
 * The Slack client for a node's `slackBrevoBotApi` credential. Calls go through n8n's
 * `httpRequestWithAuthentication` (the credential's `authenticate` adds the bearer token); waits use n8n-workflow's
 * sleep bound to the execution's cancel signal.
 */
export async function getSlackClient(ctx: HttpContext, options: SlackClientOptions = {}): Promise<SlackClient> {
	const credential = await bindCredential(ctx, SLACK_CREDENTIAL, SLACK_SECRET_FIELD);
	const baseUrl = normalizeSlackBaseUrl((credential.data as Partial<SlackCredentials>).baseUrl);
	const gateway = new SlackGateway(
		async (request) =>
			await n8nHttp(ctx, credential, {
				method: 'POST',
				url: baseUrl + request.method,
				body: new URLSearchParams(request.form).toString(),
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
				timeout: request.timeoutMs,
				json: false,
			}),
		{ ...options, sleep: options.sleep ?? executionSleep(ctx), secrets: [...credential.secrets, ...(options.secrets ?? [])] },
	);
	return slackClient(gateway);
}

interface SlackErrorLike {
	code?: string;
	message?: string;
	data?: SlackErrorData;
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
 * Turns anything the Slack gateway throws into a NodeApiError carrying Slack's code and what to do about it.
 * Messages are redacted: a token can never leak through an error.
 */
export function toSlackNodeError(node: INode, error: unknown, context: SlackErrorContext = {}): NodeApiError {
	const e = (error ?? {}) as SlackErrorLike;
	const where = context.action ? ` while ${context.action}` : '';
	let message: string;
	let description: string;
	let httpCode: string | undefined;
	const body: JsonObject = {};

	if (e.code === SlackErrorKind.Platform) {
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
	} else if (e.code === SlackErrorKind.RateLimited) {
		const budget = Math.round((e.rateLimitBudgetMs ?? 0) / 1000);
		message = `Slack rate limit${where}: Slack asked to wait ${e.retryAfter ?? '?'} s`;
		description = budget
			? `The call already waited as long as allowed (${budget} s). Send fewer messages per run, spread them over channels, use the digest option, or run the workflow less often.`
			: 'Send fewer messages per run or run the workflow less often.';
		body.error = 'ratelimited';
		httpCode = '429';
	} else if (e.code === SlackErrorKind.Http) {
		message = `Slack answered HTTP ${e.statusCode ?? '?'}${where}`;
		description =
			'Slack had a server-side problem or the API base URL is wrong. Check https://slack-status.com and the credential\'s API base URL (it must end with /api/).';
		body.error = `http_${e.statusCode ?? 'error'}`;
		httpCode = String(e.statusCode ?? '');
	} else if (e.code === SlackErrorKind.Request) {
		const cause = e.original?.cause?.code ?? e.original?.code;
		message = `Could not reach Slack${where}: ${networkFailureInWords(cause)}`;
		description = networkFailureFix(cause, "the credential's API Base URL (https://slack.com/api/)");
		if (e.original?.message) description += ` (${e.original.message})`;
		body.error = 'request_error';
		if (cause) body.cause = cause;
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
