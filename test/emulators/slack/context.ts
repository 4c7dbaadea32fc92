/** What a Web API method handler receives, and the argument readers every method shares. */
import { SlackApiError, argumentError } from './errors';
import type { Paginator } from './pagination';
import type { SlackState } from './state';
import type { Scheduler } from './scheduler';
import type { TokenRecord } from './types';

export interface MethodContext {
	state: SlackState;
	scheduler: Scheduler;
	paginator: Paginator;
	/** the caller's token record (undefined only for methods without token auth, e.g. oauth.v2.access). */
	token: TokenRecord;
	params: Record<string, unknown>;
	headers: Record<string, string | string[] | undefined>;
	/** emulator base URL (`http://127.0.0.1:PORT`), for response_urls it hands out. */
	baseUrl: string;
	now: number;
	/** warnings added to the answer (`warning` + `response_metadata.warnings`). */
	warnings: string[];
}

export interface MethodDef {
	/** scopes any of which grants the method (the X-Accepted-OAuth-Scopes header); empty for none. */
	scopes: string[];
	auth: 'token' | 'none';
	/** the channel a call targets, for chat.postMessage's per-channel limit. */
	rateChannel?: (params: Record<string, unknown>) => string | undefined;
	handler: (ctx: MethodContext) => Record<string, unknown>;
}

/** Throws missing_scope unless the token holds one of `anyOf` (Slack names the first acceptable one in `needed`). */
export function requireScope(ctx: MethodContext, anyOf: string[]): void {
	if (anyOf.length === 0) return;
	if (anyOf.some((s) => ctx.token.scopes.includes(s))) return;
	throw new SlackApiError('missing_scope', { needed: anyOf[0], provided: ctx.token.scopes.join(',') });
}

export function str(ctx: MethodContext, name: string): string | undefined {
	const v = ctx.params[name];
	if (v === undefined || v === null || v === '') return undefined;
	return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

export function required(ctx: MethodContext, name: string): string {
	const v = str(ctx, name);
	if (v === undefined) throw argumentError('invalid_arguments', [`missing required field: ${name}`]);
	return v;
}

export function bool(ctx: MethodContext, name: string, fallback = false): boolean {
	const v = ctx.params[name];
	if (v === undefined || v === '') return fallback;
	return v === true || v === 'true' || v === '1' || v === 1;
}

/**
 * A structured argument: an object/array in a JSON body, or its JSON-encoded string in a form body or query (how
 * @slack/web-api sends nested values). Unparseable JSON raises `badFormatError`.
 */
export function json<T = unknown>(ctx: MethodContext, name: string, badFormatError: string): T | undefined {
	const v = ctx.params[name];
	if (v === undefined || v === null || v === '') return undefined;
	if (typeof v !== 'string') return v as T;
	try {
		return JSON.parse(v) as T;
	} catch {
		throw new SlackApiError(badFormatError);
	}
}
