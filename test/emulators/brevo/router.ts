/**
 * Route table: each route names the OpenAPI path it implements (`specPath`), so the server validates the request
 * against that operation before the handler runs. Static segments win over `{param}` segments
 * (`/contacts/lists` before `/contacts/{identifier}`).
 */
import type { Activity } from './activity';
import type { BrevoHttpError } from './errors';
import type { BrevoState } from './state';

export interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export interface RouteContext {
	method: string;
	/** path after `/v3`, e.g. `/contacts/a%40b.c` */
	path: string;
	/** decoded path parameters */
	pathParams: Record<string, string>;
	query: Record<string, string | string[]>;
	/** typed parameters, as the OpenAPI validator read them (numbers, booleans, arrays) */
	params: Record<string, unknown>;
	body: any;
	hasBody: boolean;
	state: BrevoState;
	services: RouteServices;
	/** the name of the API key that made the call (Brevo's `api_key_name` in contact webhooks) */
	apiKeyName: string;
}

/** What handlers may use beyond state: time and the asynchronous parts of the emulator. */
export interface RouteServices {
	now(): number;
	timeScale(): number;
	startImport(processId: number): void;
	/** reports account activity; becomes webhook deliveries when the emulator runs with `autoWebhooks` */
	emit(activity: Activity): void;
	error(status: number, code: string, message: string): BrevoHttpError;
}

export type Handler = (ctx: RouteContext) => Reply | Promise<Reply>;

export interface Route {
	method: string;
	specPath: string;
	handler: Handler;
}

interface Compiled extends Route {
	segments: string[];
	staticCount: number;
}

export class Router {
	private routes: Compiled[] = [];

	add(routes: Route[]): this {
		for (const r of routes) {
			const segments = r.specPath.split('/').filter(Boolean);
			this.routes.push({ ...r, segments, staticCount: segments.filter((s) => !s.startsWith('{')).length });
		}
		this.routes.sort((a, b) => b.staticCount - a.staticCount);
		return this;
	}

	/** `found`: a route for the method; `methodNotAllowed`: the path exists with other methods. */
	match(
		method: string,
		path: string,
	): { route?: Compiled; pathParams: Record<string, string>; otherMethods: string[] } {
		const parts = path.split('/').filter(Boolean);
		let best: { pattern: string; staticCount: number } | undefined;
		const candidates: Array<{ route: Compiled; pathParams: Record<string, string> }> = [];
		for (const r of this.routes) {
			if (r.segments.length !== parts.length) continue;
			if (best && r.staticCount < best.staticCount) break; // sorted: no more specific pattern follows
			const pathParams: Record<string, string> = {};
			let ok = true;
			for (let i = 0; i < parts.length; i++) {
				const seg = r.segments[i];
				if (seg.startsWith('{')) {
					try {
						pathParams[seg.slice(1, -1)] = decodeURIComponent(parts[i]);
					} catch {
						pathParams[seg.slice(1, -1)] = parts[i];
					}
				} else if (seg !== parts[i]) {
					ok = false;
					break;
				}
			}
			if (!ok) continue;
			if (!best) best = { pattern: r.specPath, staticCount: r.staticCount };
			if (r.specPath === best.pattern) candidates.push({ route: r, pathParams });
		}
		const hit = candidates.find((c) => c.route.method === method);
		if (hit) return { route: hit.route, pathParams: hit.pathParams, otherMethods: [] };
		return { pathParams: {}, otherMethods: candidates.map((c) => c.route.method) };
	}

	list(): Array<{ method: string; specPath: string }> {
		return this.routes.map((r) => ({ method: r.method, specPath: r.specPath }));
	}
}
