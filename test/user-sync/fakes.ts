/**
 * In-memory Slack and Brevo behind the sync's ports, for fast unit tests of `runUserSync`'s decisions. The engine and
 * e2e tests run the same sync against the HTTP emulators through the real client factories.
 */
import type { AttributeType, SlackUser } from '../../nodes/shared/sync/mapping';
import {
	SyncServiceError,
	type BrevoAttributeInfo,
	type BrevoProcess,
	type BrevoSyncPort,
	type ImportRequest,
	type SlackUsersPage,
	type SlackUsersPort,
} from '../../nodes/shared/sync/userSync';

export function person(i: number, o: Partial<SlackUser> = {}): SlackUser {
	return {
		id: `U${String(i).padStart(6, '0')}`,
		team_id: 'T0001',
		real_name: `Person ${i} Example`,
		tz: 'Europe/Paris',
		is_admin: false,
		profile: { email: `person${i}@example.com`, title: 'Engineer', phone: '', status_text: '' },
		...o,
	};
}

export class FakeSlack implements SlackUsersPort {
	calls = 0;
	scopes: string[] | undefined = ['users:read', 'users:read.email'];
	failAt: { call: number; error: SyncServiceError } | undefined;
	constructor(public users: SlackUser[]) {}

	async listUsers(cursor: string | undefined, limit: number): Promise<SlackUsersPage> {
		this.calls++;
		if (this.failAt && this.failAt.call === this.calls) {
			const e = this.failAt.error;
			this.failAt = undefined;
			throw e;
		}
		const start = cursor ? Number(cursor.replace('c', '')) : 0;
		const members = this.users.slice(start, start + limit);
		const next = start + limit < this.users.length ? `c${start + limit}` : '';
		return { members: JSON.parse(JSON.stringify(members)), nextCursor: next, scopes: this.scopes };
	}
}

interface Contact {
	email: string;
	attributes: Record<string, unknown>;
	listIds: number[];
	modifiedAt: number;
}

export class FakeBrevo implements BrevoSyncPort {
	contacts = new Map<string, Contact>();
	attributes: BrevoAttributeInfo[] = [
		{ name: 'FIRSTNAME', category: 'normal', type: 'text' },
		{ name: 'LASTNAME', category: 'normal', type: 'text' },
		{ name: 'SMS', category: 'normal', type: 'text' },
	];
	calls: Array<{ op: string; arg?: unknown }> = [];
	processes = new Map<number, { status: string; info?: BrevoProcess['info']; error?: string; polls: number; request: ImportRequest; createdAt: number }>();
	/** Reports problems as CSV URLs (current API) instead of counts (older descriptions). */
	reportStyle: 'counts' | 'urls' = 'counts';
	failNextImport: string | undefined;
	clock = 1_700_000_000_000;
	private nextId = 1;

	writes(): number {
		return this.calls.filter((c) => ['importContacts', 'createAttribute', 'upsertContact'].includes(c.op)).length;
	}

	async getAttributes(): Promise<BrevoAttributeInfo[]> {
		this.calls.push({ op: 'getAttributes' });
		return this.attributes.map((a) => ({ ...a }));
	}

	async createAttribute(name: string, type: AttributeType): Promise<void> {
		this.calls.push({ op: 'createAttribute', arg: { name, type } });
		this.attributes.push({ name, category: 'normal', type });
	}

	async importContacts(request: ImportRequest): Promise<number> {
		this.calls.push({ op: 'importContacts', arg: { contacts: request.jsonBody.length, listIds: request.listIds } });
		if (!request.listIds.length) throw new SyncServiceError('brevo', 'missing_parameter', 'listIds or newList is required', undefined, 400);
		const id = this.nextId++;
		this.clock += 1000;
		this.processes.set(id, { status: 'queued', polls: 0, request: JSON.parse(JSON.stringify(request)), createdAt: this.clock });
		return id;
	}

	async getProcess(id: number): Promise<BrevoProcess> {
		this.calls.push({ op: 'getProcess', arg: id });
		const p = this.processes.get(id)!;
		p.polls++;
		if (p.status === 'queued' && p.polls >= 2) this.run(id);
		return { id, status: p.status, info: p.info, error: p.error, created_at: new Date(p.createdAt).toISOString() };
	}

	private run(id: number): void {
		const p = this.processes.get(id)!;
		if (this.failNextImport !== undefined) {
			p.status = 'failed';
			p.error = this.failNextImport;
			this.failNextImport = undefined;
			return;
		}
		const problems: Record<string, string[]> = {};
		for (const row of p.request.jsonBody) {
			const taken = this.smsOwner(row.attributes.SMS, row.email);
			const forced = this.rejects.get(row.email);
			if (forced) (problems[forced] ??= []).push(row.email);
			else if (!/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/.test(row.email)) (problems.invalid_emails ??= []).push(row.email);
			else if (taken) (problems.duplicate_phone_id ??= []).push(row.email);
			else this.write(row.email, row.attributes, p.request.listIds, p.createdAt + 10);
		}
		p.status = 'completed';
		p.info = {
			import: Object.fromEntries(
				['invalid_emails', 'duplicate_email_id', 'duplicate_phone_id', 'duplicate_ext_id'].map((k) => [
					k,
					problems[k] ? (this.reportStyle === 'urls' ? `https://reports.example.com/${id}/${k}.csv` : problems[k].length) : null,
				]),
			),
		};
		this.reports.set(id, problems);
	}

	private reports = new Map<number, Record<string, string[]>>();

	/** the report links answer with an error (expired link, blocked host) */
	reportsUnavailable = false;

	async fetchReport(url: string): Promise<string> {
		this.calls.push({ op: 'fetchReport', arg: url });
		if (this.reportsUnavailable) throw new SyncServiceError('brevo', 'report_unavailable', 'HTTP 403 on the report link');
		const m = /\/(\d+)\/(\w+)\.csv$/.exec(url)!;
		const emails = this.reports.get(Number(m[1]))?.[m[2]] ?? [];
		if (this.reportBody) return this.reportBody(m[2], emails);
		return ['EMAIL;ERROR', ...emails.map((e) => `${e};${m[2]}`)].join('\n');
	}

	/** emails the next imports reject under the given report category, whatever they hold */
	rejects = new Map<string, string>();
	/** writes the report CSV itself (tests of the CSV reading); default `EMAIL;ERROR` lines */
	reportBody?: (category: string, emails: string[]) => string;

	private smsOwner(sms: unknown, email: string): string | undefined {
		if (sms === undefined) return undefined;
		for (const c of this.contacts.values()) if (c.attributes.SMS === sms && c.email !== email) return c.email;
		return undefined;
	}

	private write(email: string, attributes: Record<string, unknown>, listIds: number[], at: number): 'created' | 'updated' {
		const known = new Set(this.attributes.map((a) => a.name));
		const kept = Object.fromEntries(Object.entries(attributes).filter(([k]) => known.has(k)));
		const existing = this.contacts.get(email);
		if (existing) {
			Object.assign(existing.attributes, kept);
			existing.listIds = [...new Set([...existing.listIds, ...listIds])];
			existing.modifiedAt = at;
			return 'updated';
		}
		this.contacts.set(email, { email, attributes: kept, listIds: [...listIds], modifiedAt: at });
		return 'created';
	}

	async listModifiedContacts(sinceIso: string, offset: number, limit: number): Promise<{ emails: string[]; count: number }> {
		this.calls.push({ op: 'listModifiedContacts', arg: { sinceIso, offset } });
		const since = Date.parse(sinceIso);
		const all = [...this.contacts.values()].filter((c) => c.modifiedAt >= since).map((c) => c.email);
		return { emails: all.slice(offset, offset + limit), count: all.length };
	}

	async phoneOwner(sms: string): Promise<string | null | undefined> {
		this.calls.push({ op: 'phoneOwner', arg: sms });
		for (const c of this.contacts.values()) if (c.attributes.SMS === sms) return c.email;
		return undefined;
	}

	async upsertContact(contact: { email: string; attributes: Record<string, string | number | boolean>; listIds: number[] }): Promise<'created' | 'updated'> {
		this.calls.push({ op: 'upsertContact', arg: contact.email });
		if (this.rejects.get(contact.email) === 'invalid_emails' || !/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/.test(contact.email)) {
			throw new SyncServiceError('brevo', 'invalid_parameter', 'Invalid email address', undefined, 400);
		}
		if (this.smsOwner(contact.attributes.SMS, contact.email)) {
			throw new SyncServiceError(
				'brevo',
				'duplicate_parameter',
				'Unable to update contact, SMS is already associated with another Contact',
				undefined,
				400,
				['SMS'],
			);
		}
		this.clock += 1000;
		return this.write(contact.email, contact.attributes, contact.listIds, this.clock);
	}
}
