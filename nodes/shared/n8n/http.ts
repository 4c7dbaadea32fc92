/**
 * The gateways' HTTP port, implemented with n8n's own request helper `httpRequestWithAuthentication`: the
 * credential's `authenticate` adds the token or key, and n8n applies its proxy (`HTTP(S)_PROXY`, `NO_PROXY`), CA
 * (`NODE_EXTRA_CA_CERTS`) and TLS settings, request logging and the execution's cancel signal, exactly as for n8n's
 * own nodes. Every answer comes back as data (status, headers, body); a network failure comes back as its system
 * code only, so nothing of the request (headers with the token or key) can travel further in an error.
 */
import {
	sleep,
	type FunctionsBase,
	type ICredentialDataDecryptedObject,
	type IHttpRequestOptions,
	type RequestHelperFunctions,
} from 'n8n-workflow';

import { redactSecrets } from '../redact';
import type { HttpOutcome, Sleep } from '../http';

/** What the transport needs of an n8n context: every context a node or trigger method runs in has it. */
export type HttpContext = Pick<FunctionsBase, 'getCredentials' | 'getNode'> & {
	helpers: Pick<RequestHelperFunctions, 'httpRequestWithAuthentication'>;
	getExecutionCancelSignal?: () => AbortSignal | undefined;
};

interface FullResponse {
	statusCode: number;
	headers?: Record<string, string | string[] | undefined>;
	body: unknown;
}

/** The system code of a failed request (n8n wraps axios errors in NodeApiError; the code is on the cause). */
export function failureCode(error: unknown): string {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	const message = String((error as { message?: unknown })?.message ?? '');
	const inMessage = /\b(E[A-Z]{3,}|ERR_[A-Z_]+|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+|SELF_SIGNED_[A-Z_]+|DEPTH_ZERO_[A-Z_]+)\b/.exec(message);
	if (inMessage) return inMessage[1];
	if (/timeout/i.test(message)) return 'ETIMEDOUT';
	if (/cancel|abort/i.test(message)) return 'ERR_CANCELED';
	return 'unknown';
}

/**
 * A node's credential, read (and decrypted) once per client: every request hands it to n8n's helper, which then
 * neither reads nor decrypts it again. `secrets` are its secret values, removed from whatever an error keeps.
 */
export interface BoundCredential {
	type: string;
	data: ICredentialDataDecryptedObject;
	secrets: string[];
}

export async function bindCredential(ctx: HttpContext, type: string, secretField: string): Promise<BoundCredential> {
	const data = await ctx.getCredentials(type);
	const secret = String(data?.[secretField] ?? '').trim();
	return { type, data, secrets: secret ? [secret] : [] };
}

/** One request through n8n with the node's credential; never rejects (see the module comment). */
export async function n8nHttp(ctx: HttpContext, credential: BoundCredential, options: IHttpRequestOptions): Promise<HttpOutcome> {
	const ref = ctx.getNode().credentials?.[credential.type];
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx as never,
			credential.type,
			{ ...options, returnFullResponse: true, ignoreHttpStatusErrors: true },
			{ credentialsDecrypted: { id: ref?.id ?? '', name: ref?.name ?? credential.type, type: credential.type, data: credential.data } },
		)) as FullResponse;
		return { statusCode: Number(response.statusCode), headers: { ...(response.headers ?? {}) }, body: response.body };
	} catch (error) {
		const failure = failureCode(error);
		if (failure !== 'unknown') return { failure };
		return { failure, detail: redactSecrets(String((error as Error)?.message ?? error), credential.secrets).slice(0, 200) };
	}
}

/** n8n-workflow's sleep, bound to the execution's cancel signal where the context has one. */
export function executionSleep(ctx: HttpContext): Sleep {
	const signal = ctx.getExecutionCancelSignal?.();
	return async (ms: number) => await sleep(ms, signal);
}
