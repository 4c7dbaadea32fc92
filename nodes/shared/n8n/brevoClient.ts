/**
 * The Brevo client of every node and trigger: the gateway (`gateway.ts`: x-sib-ratelimit-reset, retries, one error
 * shape) over n8n's request helper (`../n8n/http.ts`: proxy, CA, the `api-key` header added by the credential's
 * `authenticate`), and the translation of its errors into NodeApiError with Brevo's code, message and the fix.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { bindCredential, executionSleep, n8nHttp, type HttpContext } from './http';
import { networkFailureFix, networkFailureInWords } from '../network';
import { redactSecrets } from '../redact';
import { BrevoApiError, BrevoGateway, type BrevoGatewayOptions } from '../brevo/gateway';
import { brevoRemedy } from '../brevo/remedies';

export { BrevoApiError, BrevoGateway, isBrevoNotFound, type BrevoRequest } from '../brevo/gateway';

export const BREVO_CREDENTIAL = 'slackBrevoBrevoApi';
/** The field of `slackBrevoBrevoApi` that is secret. */
export const BREVO_SECRET_FIELD = 'apiKey';
export const DEFAULT_BREVO_BASE_URL = 'https://api.brevo.com/v3';

export interface BrevoCredentials {
	apiKey: string;
	baseUrl?: string;
}

export type BrevoClientOptions = Omit<BrevoGatewayOptions, 'sleep'> & { sleep?: BrevoGatewayOptions['sleep'] };

export function normalizeBrevoBaseUrl(baseUrl?: string): string {
	return ((baseUrl ?? '').trim() || DEFAULT_BREVO_BASE_URL).replace(/\/+$/, '');
}

/**
 * The Brevo gateway for a node's `slackBrevoBrevoApi` credential. Calls go through n8n's
 * `httpRequestWithAuthentication`; waits use n8n-workflow's sleep bound to the execution's cancel signal.
 */
export async function getBrevoClient(ctx: HttpContext, options: BrevoClientOptions = {}): Promise<BrevoGateway> {
	const credential = await bindCredential(ctx, BREVO_CREDENTIAL, BREVO_SECRET_FIELD);
	const baseUrl = normalizeBrevoBaseUrl((credential.data as Partial<BrevoCredentials>).baseUrl);
	return new BrevoGateway(
		async (request) =>
			await n8nHttp(ctx, credential, {
				method: request.method,
				url: baseUrl + request.path,
				qs: request.qs,
				body: request.body as never,
				json: true,
				headers: { Accept: 'application/json' },
				timeout: request.timeoutMs,
			}),
		{ ...options, sleep: options.sleep ?? executionSleep(ctx), secrets: [...credential.secrets, ...(options.secrets ?? [])] },
	);
}

export interface BrevoErrorContext {
	itemIndex?: number;
	/** What the node was doing, e.g. "adding contacts to list 7". */
	action?: string;
}

/** Turns anything the Brevo gateway throws into a NodeApiError with Brevo's code, message and the fix. */
export function toBrevoNodeError(node: INode, error: unknown, context: BrevoErrorContext = {}): NodeApiError {
	const where = context.action ? ` while ${context.action}` : '';
	const body: JsonObject = {};
	let message: string;
	let description: string;
	let httpCode: string | undefined;
	if (error instanceof BrevoApiError && error.kind === 'timeout') {
		message = `Brevo did not answer in time${where}`;
		description = 'Retry later; if it persists, check https://status.brevo.com.';
		body.code = 'timeout';
	} else if (error instanceof BrevoApiError && error.statusCode !== undefined) {
		const code = error.code;
		const brevoMessage = error.brevoMessage;
		const remedy = brevoRemedy(code, error.statusCode);
		message = `Brevo error ${code}${where}: ${brevoMessage || remedy.summary}`;
		description = remedy.fix;
		body.code = code;
		body.message = redactSecrets(brevoMessage);
		httpCode = String(error.statusCode);
		if (error.statusCode === 429 && error.rateLimitResetSec !== undefined) {
			description += ` Brevo's window resets in ${error.rateLimitResetSec} s.`;
		}
	} else {
		const cause = error instanceof BrevoApiError ? error.causeCode : undefined;
		message = `Could not reach Brevo${where}: ${networkFailureInWords(cause)}`;
		description = networkFailureFix(cause, "the credential's API Base URL (https://api.brevo.com/v3)");
		if (!(error instanceof BrevoApiError)) description += ` (${String((error as Error)?.message ?? error)})`;
		body.code = 'request_error';
		if (cause) body.cause = cause;
	}
	return new NodeApiError(node, body, {
		message: redactSecrets(message),
		description: redactSecrets(description),
		httpCode,
		itemIndex: context.itemIndex,
	});
}
