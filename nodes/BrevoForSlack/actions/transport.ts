/**
 * The sync's ports (nodes/shared/sync/userSync.ts) implemented with the package's client factories: Slack's
 * SlackClient (429 + Retry-After handled there, bounded) and Brevo's fetch (429 + x-sib-ratelimit-reset handled
 * there). Errors become SyncServiceError carrying the original, which the node turns into NodeApiError.
 */
import { BrevoApiError, isBrevoNotFound } from '../../shared/brevo/gateway';
import type { SlackClient } from '../../shared/slack/gateway';

import type { BrevoRequest } from '../../shared/n8n/brevoClient';
import { slackErrorCode } from '../../shared/n8n/slackClient';
import type { AttributeType, SlackUser } from '../../shared/sync/mapping';
import { settle } from '../../shared/util';
import {
	SyncServiceError,
	type BrevoAttributeInfo,
	type BrevoProcess,
	type BrevoSyncPort,
	type ImportRequest,
	type SlackUsersPort,
} from '../../shared/sync/userSync';

export interface Counters {
	slack: number;
	slackRateLimited: number;
	brevo: number;
	brevoRateLimited: number;
}

export function newCounters(): Counters {
	return { slack: 0, slackRateLimited: 0, brevo: 0, brevoRateLimited: 0 };
}

export function toSlackSyncError(error: unknown): SyncServiceError {
	if (error instanceof SyncServiceError) return error;
	const code = slackErrorCode(error) ?? (error as { code?: string })?.code ?? 'request_error';
	return new SyncServiceError('slack', code, `Slack: ${code}`, error);
}

export function toBrevoSyncError(error: unknown): SyncServiceError {
	if (error instanceof SyncServiceError) return error;
	if (error instanceof BrevoApiError && error.statusCode !== undefined) {
		const body = (error.body ?? {}) as { code?: string; message?: string; metadata?: { duplicate_identifiers?: string[] } };
		const code = typeof body === 'object' && body.code ? body.code : `http_${error.statusCode}`;
		const message = typeof body === 'object' && body.message ? body.message : `HTTP ${error.statusCode}`;
		return new SyncServiceError('brevo', code, message, error, error.statusCode, body.metadata?.duplicate_identifiers);
	}
	return new SyncServiceError('brevo', 'request_error', (error as Error)?.message ?? String(error), error);
}

export function slackUsersPort(client: SlackClient, counters: Counters): SlackUsersPort {
	return {
		async listUsers(cursor, limit) {
			counters.slack++;
			try {
				const response = (await client.users.list({ limit, ...(cursor ? { cursor } : {}) })) as unknown as {
					members?: SlackUser[];
					response_metadata?: { next_cursor?: string; scopes?: string[] };
				};
				return {
					members: response.members ?? [],
					nextCursor: response.response_metadata?.next_cursor || undefined,
					scopes: response.response_metadata?.scopes,
				};
			} catch (error) {
				throw toSlackSyncError(error);
			}
		},
	};
}

export type BrevoCall = <T = unknown>(request: BrevoRequest) => Promise<T>;

export function brevoSyncPort(call: BrevoCall, fetchReport: (url: string) => Promise<string>): BrevoSyncPort {
	const wrap = async <T>(request: BrevoRequest): Promise<T> => {
		try {
			return await call<T>(request);
		} catch (error) {
			throw toBrevoSyncError(error);
		}
	};
	return {
		async getAttributes() {
			const r = await wrap<{ attributes?: BrevoAttributeInfo[] }>({ method: 'GET', path: '/contacts/attributes' });
			return r?.attributes ?? [];
		},
		async createAttribute(name: string, type: AttributeType) {
			await wrap({ method: 'POST', path: `/contacts/attributes/normal/${encodeURIComponent(name)}`, body: { type } });
		},
		async importContacts(request: ImportRequest) {
			const r = await wrap<{ processId: number }>({ method: 'POST', path: '/contacts/import', body: request });
			return r.processId;
		},
		async getProcess(id: number) {
			return await wrap<BrevoProcess>({ method: 'GET', path: `/processes/${id}` });
		},
		async fetchReport(url: string) {
			const report = await settle(fetchReport(url));
			if (report.ok) return report.value;
			throw new SyncServiceError('brevo', 'report_unavailable', `Could not read Brevo's import report: ${(report.error as Error).message}`, report.error);
		},
		async listModifiedContacts(sinceIso: string, offset: number, limit: number) {
			const r = await wrap<{ contacts?: Array<{ email?: string }>; count?: number }>({
				method: 'GET',
				path: '/contacts',
				qs: { modifiedSince: sinceIso, limit, offset, sort: 'asc' },
			});
			return {
				emails: (r?.contacts ?? []).map((c) => c.email ?? '').filter((e) => e !== ''),
				count: r?.count ?? 0,
			};
		},
		async phoneOwner(sms: string) {
			try {
				const r = await call<{ email?: string | null }>({
					method: 'GET',
					path: `/contacts/${encodeURIComponent(sms)}`,
					qs: { identifierType: 'phone_id' },
				});
				return r?.email ? r.email.toLowerCase() : null;
			} catch (error) {
				if (isBrevoNotFound(error)) return undefined;
				throw toBrevoSyncError(error);
			}
		},
		async upsertContact(contact) {
			const r = await wrap<{ id?: number } | undefined>({
				method: 'POST',
				path: '/contacts',
				body: { email: contact.email, attributes: contact.attributes, listIds: contact.listIds, updateEnabled: true },
			});
			return r && typeof r === 'object' && r.id !== undefined ? 'created' : 'updated';
		},
	};
}
