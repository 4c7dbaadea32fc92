/**
 * Slack workspace -> Brevo contacts, at workspace scale. No n8n imports: Slack and Brevo are reached through the
 * two small ports below, which the node implements with the package's client factories (rate limits, retries and
 * error translation live there, not here).
 *
 * How it runs:
 * - users.list is read page by page (cursor, 200 per page). Each page is classified, mapped, fingerprinted and
 *   either counted as unchanged or added to the current import chunk; nothing else of a page is kept, so memory
 *   stays flat (counters, the fingerprint maps, an email index for duplicate detection, and one chunk).
 * - A full chunk is sent with `POST /contacts/import` (jsonBody under 8 MB) and followed with `GET /processes/{id}`
 *   while the next Slack pages are read; at most one import is in flight, so Brevo sees them in order.
 * - A completed process may report problem records. Brevo exposes them per category in `info.import` (URLs of
 *   CSV reports, or null, in current API versions: @getbrevo/brevo 6 `GetProcessResponse.Info.Import`; bare counts in
 *   older descriptions). Reports are downloaded (another host: no API key) and parsed as RFC 4180 CSV (`csv.ts`);
 *   every listed record is failed with its category and Brevo's reason, never counted as written. Records a report
 *   names but that match no contact of the chunk are treated like counts. When only counts are given, the chunk's contacts not modified by the
 *   import (`GET /contacts?modifiedSince=`) are resent one by one (`POST /contacts` with updateEnabled), which
 *   either writes them or returns Brevo's reason for each.
 * - A fingerprint is recorded only for a contact Brevo confirmed; failed contacts are sent again next run.
 */

import { settle } from '../util';
import { CsvError, readImportReport, type ReportRecord } from './csv';
import { DEFAULT_CONTACTS_PER_IMPORT, ImportChunker, MAX_IMPORT_BYTES, type Chunk, type ImportContact } from './chunking';
import { fingerprint, FingerprintStore } from './diff';
import { classifyUser, SKIP_REASON_TEXT, type SkipReason, type UserFilters } from './filters';
import {
	brevoTypeToRowType,
	mapUser,
	realNameOf,
	reconcileType,
	type AttributeType,
	type AttributeValue,
	type MappingRow,
	type SlackUser,
} from './mapping';

// ---------------------------------------------------------------------------------------------------------------
// Ports

export interface SlackUsersPage {
	members: SlackUser[];
	nextCursor?: string;
	/** Scopes the token has (Slack's X-OAuth-Scopes header), when Slack sent them. */
	scopes?: string[];
}

export interface SlackUsersPort {
	listUsers(cursor: string | undefined, limit: number): Promise<SlackUsersPage>;
}

export interface BrevoAttributeInfo {
	name: string;
	category: string;
	type?: string;
}

export interface BrevoProcess {
	id: number;
	status: string;
	error?: string;
	created_at?: string;
	info?: { import?: Record<string, string | number | null | undefined> };
}

export interface ImportRequest {
	jsonBody: ImportContact[];
	listIds: number[];
	updateExistingContacts: true;
	emptyContactsAttributes: boolean;
	disableNotification: true;
}

export interface BrevoSyncPort {
	getAttributes(): Promise<BrevoAttributeInfo[]>;
	createAttribute(name: string, type: AttributeType): Promise<void>;
	importContacts(request: ImportRequest): Promise<number>;
	getProcess(id: number): Promise<BrevoProcess>;
	/** Reads a report file Brevo links from a process (CSV). */
	fetchReport(url: string): Promise<string>;
	/** Emails of contacts modified since an ISO time, one page. */
	listModifiedContacts(sinceIso: string, offset: number, limit: number): Promise<{ emails: string[]; count: number }>;
	/**
	 * Who holds an SMS number (`GET /contacts/{sms}?identifierType=phone_id`): that contact's email (null when it has
	 * none), or undefined when no contact has it.
	 */
	phoneOwner(sms: string): Promise<string | null | undefined>;
	/** `POST /contacts` with updateEnabled: 'created' (201) or 'updated' (204). Throws a SyncServiceError. */
	upsertContact(contact: ImportContact & { listIds: number[] }): Promise<'created' | 'updated'>;
}

/** What ports throw: the service, its error code and message, and the original error for the node to translate. */
export class SyncServiceError extends Error {
	constructor(
		readonly service: 'slack' | 'brevo',
		readonly code: string,
		message: string,
		readonly original?: unknown,
		readonly status?: number,
		readonly duplicateIdentifiers?: string[],
	) {
		super(message);
		this.name = 'SyncServiceError';
	}
}

/** A problem with the configuration or the workspace that stops the sync before it writes anything. */
export class SyncConfigError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'SyncConfigError';
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Options and results

export interface SyncOptions {
	mapping: MappingRow[];
	filters: UserFilters;
	listIds: number[];
	defaultCountryCode?: string;
	/** Attribute written `true` on deactivated users (filters.deletedUsers 'mark') and `false` on active ones. */
	deletedAttribute?: string;
	createMissingAttributes: boolean;
	clearEmptyValues: boolean;
	dryRun: boolean;
	/** Ignore the stored fingerprints and send every eligible user. */
	fullResync: boolean;
	perUserItems: boolean;
	contactsPerImport?: number;
	maxImportBytes?: number;
	pageSize?: number;
	/** Longest time one import process is followed before its contacts are reported as not confirmed. */
	importTimeoutMs?: number;
	/** Contacts resent one by one to identify records an import rejected without a report. */
	maxIndividualRetries?: number;
	maxCursorRestarts?: number;
	now?: () => number;
	/** How to wait between import polls (n8n-workflow's sleep in the node). */
	sleep: (ms: number) => Promise<void>;
	/** Poll delays (ms) for import processes; the last repeats. */
	pollDelaysMs?: number[];
}

export type Outcome = 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';

export interface UserResult {
	userId: string;
	email?: string;
	name?: string;
	outcome: Outcome;
	reason?: string;
	warnings?: string[];
}

export interface AttributeReport {
	created: string[];
	missing: string[];
	typeMismatches: Array<{ attribute: string; mappedType: AttributeType; brevoType: string; action: 'converted to text' | 'left out' }>;
}

export interface SyncSummary {
	dryRun: boolean;
	complete: boolean;
	usersRead: number;
	counts: Record<Outcome, number>;
	skippedByReason: Partial<Record<SkipReason, number>>;
	failedByReason: Record<string, number>;
	warnings: string[];
	contactWarnings: number;
	imports: Array<{ processId: number; contacts: number; bytes: number; status: string; problems?: Record<string, number> }>;
	attributes: AttributeReport;
	emailScope: 'granted' | 'missing' | 'unknown';
	state: { previousUsers: number; users: number; bytes: number };
	pages: number;
	cursorRestarts: number;
	durationMs: number;
}

export interface SyncResult {
	summary: SyncSummary;
	users: UserResult[];
	/** What to save in static data (undefined in dry runs: nothing changes). */
	state?: ReturnType<FingerprintStore['serialize']>;
}

/** A fatal error during the run, with what was done up to it (the node saves the state and reports the summary). */
export class SyncAbortedError extends Error {
	constructor(
		readonly cause: unknown,
		readonly result: SyncResult,
	) {
		super((cause as Error)?.message ?? String(cause));
		this.name = 'SyncAbortedError';
	}
}

// ---------------------------------------------------------------------------------------------------------------

interface Pending {
	userId: string;
	name: string;
	fp: string;
	was: 'new' | 'changed';
	warnings: string[];
}

/** Imports take seconds to minutes; polls count against Brevo's 100/h bucket for /processes, so they back off. */
const DEFAULT_POLL_DELAYS = [1000, 2000, 4000, 8000, 15000, 30000];

/** Report categories whose records are resent one by one: the number belongs to another contact, the rest is fine. */
const RESENT_CATEGORIES = new Set(['duplicate_phone_id', 'duplicate_whatsapp_id', 'duplicate_landline_number_id']);

const PROBLEM_TEXT: Record<string, string> = {
	invalid_emails: 'Brevo refused the email address',
	duplicate_email_id: 'email duplicated in the import',
	duplicate_ext_id: 'EXT_ID already used by another contact',
	duplicate_phone_id: 'SMS number already used by another contact',
	duplicate_whatsapp_id: 'WhatsApp number already used by another contact',
	duplicate_landline_number_id: 'landline number already used by another contact',
	duplicate_contact_id: 'contact id duplicated',
};


export async function runUserSync(
	slack: SlackUsersPort,
	brevo: BrevoSyncPort,
	savedState: unknown,
	options: SyncOptions,
): Promise<SyncResult> {
	const now = options.now ?? Date.now;
	const sleep = options.sleep;
	const started = now();
	const store = FingerprintStore.load(options.fullResync ? undefined : savedState);
	const previousForStats = options.fullResync ? FingerprintStore.load(savedState) : store;
	const pageSize = options.pageSize ?? 200;
	const listIds = [...options.listIds].sort((a, b) => a - b);
	const markDeleted = options.filters.deletedUsers === 'mark';
	const deletedAttribute = (options.deletedAttribute || 'SLACK_DELETED').toUpperCase();

	const summary: SyncSummary = {
		dryRun: options.dryRun,
		complete: false,
		usersRead: 0,
		counts: { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 },
		skippedByReason: {},
		failedByReason: {},
		warnings: [],
		contactWarnings: 0,
		imports: [],
		attributes: { created: [], missing: [], typeMismatches: [] },
		emailScope: 'unknown',
		state: { previousUsers: previousForStats.previousSize, users: 0, bytes: 0 },
		pages: 0,
		cursorRestarts: 0,
		durationMs: 0,
	};
	const users: UserResult[] = [];
	const record = (r: UserResult) => {
		summary.counts[r.outcome]++;
		if (r.warnings?.length) summary.contactWarnings += r.warnings.length;
		if (options.perUserItems) users.push(r);
	};
	const fail = (p: Pending, email: string, reason: string) => {
		summary.failedByReason[reason.split(':')[0]] = (summary.failedByReason[reason.split(':')[0]] ?? 0) + 1;
		store.keepPrevious(p.userId);
		record({ userId: p.userId, email, name: p.name, outcome: 'failed', reason, warnings: p.warnings.length ? p.warnings : undefined });
	};
	const succeed = (p: Pending, email: string, how?: 'created' | 'updated', extraWarning?: string) => {
		store.confirm(p.userId, p.fp);
		const warnings = extraWarning ? [...p.warnings, extraWarning] : p.warnings;
		record({
			userId: p.userId,
			email,
			name: p.name,
			outcome: how ?? (p.was === 'new' ? 'created' : 'updated'),
			warnings: warnings.length ? warnings : undefined,
		});
	};

	// -- attributes: what exists in Brevo decides what can be written (unknown attributes are dropped silently by Brevo)
	const rows: MappingRow[] = [...options.mapping];
	if (markDeleted && !rows.some((r) => r.brevoAttribute === deletedAttribute)) {
		rows.push({ slackField: '__deleted', brevoAttribute: deletedAttribute, type: 'boolean' });
	}
	const attributeAction = new Map<string, 'send' | 'toText' | 'drop'>();
	const prepareAttributes = async (): Promise<void> => {
		const existing = new Map<string, string>();
		for (const a of await brevo.getAttributes()) {
			if (a.category === 'normal' || a.category === undefined) existing.set(a.name.toUpperCase(), a.type ?? 'text');
		}
		for (const row of rows) {
			const brevoType = existing.get(row.brevoAttribute);
			if (brevoType === undefined) {
				if (options.createMissingAttributes && !options.dryRun) {
					await brevo.createAttribute(row.brevoAttribute, row.type);
					summary.attributes.created.push(row.brevoAttribute);
					attributeAction.set(row.brevoAttribute, 'send');
				} else if (options.createMissingAttributes) {
					summary.attributes.created.push(row.brevoAttribute); // would be created
					attributeAction.set(row.brevoAttribute, 'send');
				} else {
					summary.attributes.missing.push(row.brevoAttribute);
					attributeAction.set(row.brevoAttribute, 'drop');
				}
				continue;
			}
			const action = reconcileType(row.type, brevoTypeToRowType(brevoType));
			if (action === 'same') attributeAction.set(row.brevoAttribute, 'send');
			else {
				attributeAction.set(row.brevoAttribute, action === 'toText' ? 'toText' : 'drop');
				summary.attributes.typeMismatches.push({
					attribute: row.brevoAttribute,
					mappedType: row.type,
					brevoType,
					action: action === 'toText' ? 'converted to text' : 'left out',
				});
			}
		}
		if (options.dryRun && summary.attributes.created.length) {
			summary.warnings.push(`Dry run: attribute${summary.attributes.created.length > 1 ? 's' : ''} ${summary.attributes.created.join(', ')} would be created in Brevo.`);
		}
		if (summary.attributes.missing.length) {
			summary.warnings.push(
				`Brevo has no attribute ${summary.attributes.missing.join(', ')}: these fields are not synced. Turn on "Create Missing Attributes" or create them in Brevo (Contacts > Settings > Contact attributes).`,
			);
		}
		for (const m of summary.attributes.typeMismatches) {
			if (m.action === 'left out') {
				summary.warnings.push(
					`Brevo attribute ${m.attribute} is of type ${m.brevoType} but the mapping gives ${m.mappedType}: left out. Change the row's type or the attribute in Brevo.`,
				);
			}
		}
	};
	const sendable = rows.filter((r) => r.slackField !== '__deleted');

	const shape = (attributes: Record<string, AttributeValue>): Record<string, AttributeValue> => {
		const out: Record<string, AttributeValue> = {};
		for (const [name, value] of Object.entries(attributes)) {
			const action = attributeAction.get(name) ?? 'send';
			if (action === 'drop') continue;
			out[name] = action === 'toText' && typeof value !== 'string' ? String(value) : value;
		}
		return out;
	};

	// -- imports
	const chunker = new ImportChunker<Pending>(
		options.contactsPerImport ?? DEFAULT_CONTACTS_PER_IMPORT,
		options.maxImportBytes ?? MAX_IMPORT_BYTES,
		256 + listIds.join(',').length,
	);
	let inFlight: Promise<void> | undefined;
	const pollDelays = options.pollDelaysMs ?? DEFAULT_POLL_DELAYS;
	const importTimeoutMs = options.importTimeoutMs ?? 10 * 60_000;
	const maxRetries = options.maxIndividualRetries ?? 200;

	const followImport = async (chunk: Chunk<Pending>, processId: number, submittedAt: number): Promise<void> => {
		const entry: SyncSummary['imports'][number] = { processId, contacts: chunk.contacts.length, bytes: chunk.bytes, status: 'queued' };
		summary.imports.push(entry);
		let process: BrevoProcess | undefined;
		let waited = 0;
		for (let attempt = 0; ; attempt++) {
			const delay = pollDelays[Math.min(attempt, pollDelays.length - 1)];
			await sleep(delay);
			waited += delay;
			const polled = await settle(brevo.getProcess(processId));
			if (polled.ok) process = polled.value;
			else {
				// GET /processes is in Brevo's small "everything else" bucket (100/h on the general plan): when it is
				// spent, the import is left unconfirmed (resent next run) instead of ending the whole sync
				if (!(polled.error instanceof SyncServiceError && polled.error.status === 429)) throw polled.error;
				process = { id: processId, status: 'unconfirmed (Brevo rate-limited GET /processes)' };
			}
			entry.status = process.status;
			if (!['queued', 'in_process', 'processing'].includes(process.status)) break;
			if (waited >= importTimeoutMs) break;
		}
		if (process.status !== 'completed') {
			let reason: string;
			if (process.status === 'failed' || process.status === 'cancelled') {
				reason = `import_${process.status}: Brevo's import process ${processId} ended ${process.status}${process.error ? ` (${process.error})` : ''}`;
			} else if (process.status.startsWith('unconfirmed')) {
				reason = `import_unconfirmed: Brevo's import process ${processId} could not be followed (rate limit on GET /processes)`;
			} else {
				reason = `import_unconfirmed: Brevo's import process ${processId} was still ${process.status} after ${Math.round(importTimeoutMs / 1000)} s`;
			}
			chunk.meta.forEach((p, i) => fail(p, chunk.contacts[i].email, reason));
			summary.warnings.push(`${reason}: its ${chunk.contacts.length} contacts are retried by the next run.`);
			return;
		}
		const problems = process.info?.import ?? {};
		// email -> [category, Brevo's reason]: the records the reports name; a record Brevo rejected is never written
		const failedEmails = new Map<string, [string, string | undefined]>();
		const countsOnly: Record<string, number> = {};
		const problemCounts: Record<string, number> = {};
		const byEmail = new Set(chunk.contacts.map((c) => c.email));
		const digits = (v: unknown) => String(v ?? '').replace(/\D/g, '').replace(/^00/, '');
		for (const [key, value] of Object.entries(problems)) {
			if (value === null || value === undefined || value === 0 || value === '') continue;
			if (typeof value === 'number') countsOnly[key] = value;
			else if (typeof value === 'string' && /^https?:\/\//.test(value)) {
				const report = await settle(brevo.fetchReport(value));
				let records: ReportRecord[] | undefined;
				let unreadable: string | undefined;
				if (!report.ok) {
					if (!(report.error instanceof SyncServiceError)) throw report.error;
					unreadable = report.error.message;
				} else {
					const parsed = readImportReport(report.value);
					if (parsed instanceof CsvError) unreadable = `its CSV is malformed: ${parsed.message}`;
					else records = parsed;
				}
				if (!records) {
					// An unreadable report must not abort the sync: treat the category as counts only, so the
					// contacts the import did not touch are found and sent one by one for Brevo's own reason.
					summary.warnings.push(`Brevo's ${key} report of import ${processId} could not be read (${unreadable}); its records are checked one by one.`);
					countsOnly[key] = 1;
					continue;
				}
				let unmatched = 0;
				for (const r of records) {
					let email = r.email && byEmail.has(r.email) ? r.email : undefined;
					if (!email && (r.sms || r.extId)) {
						const hit = chunk.contacts.find(
							(c) =>
								(r.sms !== undefined && c.attributes.SMS !== undefined && digits(c.attributes.SMS) === digits(r.sms)) ||
								(r.extId !== undefined && c.attributes.EXT_ID !== undefined && String(c.attributes.EXT_ID) === r.extId),
						);
						email = hit?.email;
					}
					if (email) {
						if (!failedEmails.has(email)) failedEmails.set(email, [key, r.reason]);
					} else unmatched++;
				}
				problemCounts[key] = (problemCounts[key] ?? 0) + records.length;
				// records the report names but that cannot be told apart: find them as with bare counts
				if (unmatched) countsOnly[key] = (countsOnly[key] ?? 0) + unmatched;
			} else if (typeof value === 'string' && /^\d+$/.test(value) && Number(value) > 0) countsOnly[key] = Number(value);
		}
		for (const [key, n] of Object.entries(countsOnly)) if (!problemCounts[key]) problemCounts[key] = n;
		if (Object.keys(problemCounts).length) entry.problems = problemCounts;

		let suspects: number[] = [];
		if (Object.keys(countsOnly).length) {
			// identify the rejected records: those this import did not modify
			const since = new Date((process.created_at ? Date.parse(process.created_at) : submittedAt) - 1000);
			const sinceIso = Number.isNaN(since.getTime()) ? new Date(submittedAt - 60_000).toISOString() : since.toISOString();
			const modified = new Set<string>();
			const maxPages = Math.ceil(chunk.contacts.length / 1000) + 5;
			for (let page = 0, offset = 0; page < maxPages; page++, offset += 1000) {
				const { emails, count } = await brevo.listModifiedContacts(sinceIso, offset, 1000);
				for (const e of emails) modified.add(e.toLowerCase());
				if (offset + 1000 >= count || emails.length === 0) break;
			}
			chunk.contacts.forEach((c, i) => {
				if (!modified.has(c.email) && !failedEmails.has(c.email)) suspects.push(i);
			});
		}
		// a phone number another contact holds rejects the whole record in an import; sent on its own, the record is
		// written without that number (with a warning), so these records are resent one by one like the suspects
		const phoneTaken = chunk.contacts
			.map((c, i) => [c, i] as const)
			.filter(([c]) => RESENT_CATEGORIES.has(failedEmails.get(c.email)?.[0] ?? ''))
			.map(([, i]) => i);
		if (phoneTaken.length + suspects.length <= maxRetries) {
			for (const i of phoneTaken) failedEmails.delete(chunk.contacts[i].email);
			suspects.push(...phoneTaken);
		}
		const suspectSet = new Set(suspects);
		if (suspects.length > maxRetries) {
			const reason = `import_rejected: Brevo's import ${processId} rejected records without naming them (${describeCounts(countsOnly)})`;
			for (const i of suspects) fail(chunk.meta[i], chunk.contacts[i].email, reason);
			summary.warnings.push(`${reason}: ${suspects.length} contacts were not confirmed and are retried by the next run.`);
			suspects = [];
		}
		for (let i = 0; i < chunk.contacts.length; i++) {
			const contact = chunk.contacts[i];
			const p = chunk.meta[i];
			const rejected = failedEmails.get(contact.email);
			if (rejected) {
				const [category, why] = rejected;
				fail(p, contact.email, `${category}: ${PROBLEM_TEXT[category] ?? category} (Brevo's import report${why ? `: ${why}` : ''})`);
			} else if (!suspectSet.has(i)) succeed(p, contact.email);
		}
		for (const i of suspects) await retryOne(chunk.contacts[i], chunk.meta[i]);
	};

	const retryOne = async (contact: ImportContact, p: Pending): Promise<void> => {
		const first = await settle(upsertOne(contact));
		if (first.ok) {
			succeed(p, contact.email, first.value.how, first.value.warning);
			return;
		}
		const error = first.error;
		if (!(error instanceof SyncServiceError) || error.service !== 'brevo' || (error.status ?? 0) >= 500 || error.status === 429 || error.status === 401) {
			throw error;
		}
		const phoneTaken =
			error.code === 'duplicate_parameter' &&
			contact.attributes.SMS !== undefined &&
			(error.duplicateIdentifiers?.includes('SMS') || /SMS|phone/i.test(error.message));
		if (phoneTaken) {
			// the phone belongs to another Brevo contact: write the rest, warn about the phone
			const { SMS, ...rest } = contact.attributes;
			const second = await settle(brevo.upsertContact({ email: contact.email, attributes: rest, listIds }));
			if (second.ok) {
				succeed(p, contact.email, second.value, `SMS left out: ${String(SMS)} already belongs to another Brevo contact`);
				return;
			}
			if (!(second.error instanceof SyncServiceError) || second.error.service !== 'brevo') throw second.error;
			fail(p, contact.email, `${second.error.code}: ${second.error.message}`);
			return;
		}
		fail(p, contact.email, `${error.code}: ${error.message}`);
	};

	/** One contact upserted on its own; a number another contact holds is left out (with a warning). */
	const upsertOne = async (contact: ImportContact): Promise<{ how: 'created' | 'updated'; warning?: string }> => {
		const sms = contact.attributes.SMS;
		if (typeof sms === 'string' && sms !== '') {
			// an upsert naming a number another contact holds must not touch that contact: leave the number out
			const owner = await brevo.phoneOwner(sms);
			if (owner !== undefined && owner !== contact.email) {
				const { SMS, ...rest } = contact.attributes;
				const how = await brevo.upsertContact({ email: contact.email, attributes: rest, listIds });
				return { how, warning: `SMS left out: ${String(SMS)} already belongs to another Brevo contact` };
			}
		}
		return { how: await brevo.upsertContact({ ...contact, listIds }) };
	};

	const submit = async (chunk: Chunk<Pending>): Promise<void> => {
		if (inFlight) await inFlight; // one import at a time: Brevo runs them in order, we report them in order
		inFlight = undefined;
		const submittedAt = now();
		const processId = await brevo.importContacts({
			jsonBody: chunk.contacts,
			listIds,
			updateExistingContacts: true,
			emptyContactsAttributes: options.clearEmptyValues,
			disableNotification: true,
		});
		const run = followImport(chunk, processId, submittedAt);
		// keep a rejection observed until it is awaited (no unhandled rejection while Slack is read)
		run.catch(() => undefined);
		inFlight = run;
	};

	// -- read Slack
	const emails = new Map<string, string>();
	const phones = new Map<string, string>();
	const handled = new Set<string>();
	let cursor: string | undefined;
	let restarts = 0;
	let emailScopeMissing = false;
	let withEmail = 0;
	let eligibleWithoutEmail = 0;

	const finish = (complete: boolean): SyncResult => {
		summary.complete = complete;
		summary.durationMs = now() - started;
		let state: SyncResult['state'];
		if (!options.dryRun) {
			state = store.serialize(complete, complete ? new Date(now()).toISOString() : undefined);
			summary.state.users = complete ? store.size : state.fp === '' ? 0 : state.fp.split(',').length;
			summary.state.bytes = Buffer.byteLength(JSON.stringify(state), 'utf8');
		}
		return { summary, users, state };
	};

	// the next page is requested while the current one is processed, so page work never delays Slack's rate window
	const fetchPage = (from: string | undefined): Promise<SlackUsersPage> => {
		const request = slack.listUsers(from, pageSize);
		request.catch(() => undefined); // observed when awaited; no unhandled rejection if the run stops first
		return request;
	};
	let next: Promise<SlackUsersPage> | undefined = fetchPage(undefined);

	const readAndSubmit = async (): Promise<SyncResult> => {
		while (next) {
			const got = await settle(next);
			if (!got.ok) {
				const error = got.error;
				if (error instanceof SyncServiceError && error.code === 'invalid_cursor' && cursor && restarts < (options.maxCursorRestarts ?? 2)) {
					restarts++;
					summary.cursorRestarts = restarts;
					summary.warnings.push(
						`Slack's pagination cursor expired after ${summary.pages} pages; read again from the first page (users already handled were skipped).`,
					);
					cursor = undefined;
					next = fetchPage(undefined);
					continue;
				}
				throw error;
			}
			const page = got.value;
			cursor = page.nextCursor || undefined;
			next = cursor ? fetchPage(cursor) : undefined;
			summary.pages++;
			if (summary.pages === 1 && page.scopes && page.scopes.length) {
				emailScopeMissing = !page.scopes.includes('users:read.email');
				summary.emailScope = emailScopeMissing ? 'missing' : 'granted';
				if (emailScopeMissing) {
					throw new SyncConfigError(
						'The Slack token lacks the users:read.email scope, so Slack returns no email addresses and no user can be matched to a Brevo contact',
						`Without it only names are visible (the token has: ${page.scopes.join(', ')}). In your Slack app, add the users:read.email bot scope under OAuth & Permissions, reinstall the app and update the credential's token. Nothing was written to Brevo.`,
					);
				}
			}
			if (summary.pages === 1) await prepareAttributes();
			for (const user of page.members) {
				if (handled.has(user.id)) continue;
				handled.add(user.id);
				summary.usersRead++;
				const name = realNameOf(user) || user.name || '';
				const verdict = classifyUser(user, options.filters, { emailScopeMissing });
				if (verdict.action === 'skip') {
					if (verdict.reason === 'no_email' && !user.is_bot && !user.deleted) eligibleWithoutEmail++;
					summary.skippedByReason[verdict.reason] = (summary.skippedByReason[verdict.reason] ?? 0) + 1;
					record({ userId: user.id, email: user.profile?.email || undefined, name, outcome: 'skipped', reason: SKIP_REASON_TEXT[verdict.reason] });
					continue;
				}
				withEmail++;
				const mapped = mapUser(user, sendable, { defaultCountryCode: options.defaultCountryCode, clearEmptyValues: options.clearEmptyValues });
				const owner = emails.get(mapped.email);
				if (owner !== undefined) {
					summary.skippedByReason.duplicate_email = (summary.skippedByReason.duplicate_email ?? 0) + 1;
					record({
						userId: user.id,
						email: mapped.email,
						name,
						outcome: 'skipped',
						reason: `${SKIP_REASON_TEXT.duplicate_email} (${owner})`,
					});
					continue;
				}
				emails.set(mapped.email, user.id);
				const warnings = [...mapped.warnings];
				const sms = mapped.attributes.SMS;
				if (typeof sms === 'string') {
					const phoneOwner = phones.get(sms);
					if (phoneOwner !== undefined) {
						delete mapped.attributes.SMS;
						warnings.push(`SMS left out: ${sms} is also the phone of Slack user ${phoneOwner} (Brevo allows one contact per number)`);
					} else phones.set(sms, user.id);
				}
				if (markDeleted) mapped.attributes[deletedAttribute] = verdict.deleted;
				const contact: ImportContact = { email: mapped.email, attributes: shape(mapped.attributes) };
				const fp = fingerprint({ c: contact, l: listIds, e: options.clearEmptyValues });
				const was = store.compare(user.id, fp);
				if (was === 'unchanged') {
					store.confirm(user.id, fp);
					record({ userId: user.id, email: mapped.email, name, outcome: 'unchanged', warnings: warnings.length ? warnings : undefined });
					continue;
				}
				const pending: Pending = { userId: user.id, name, fp, was, warnings };
				if (options.dryRun) {
					record({
						userId: user.id,
						email: mapped.email,
						name,
						outcome: was === 'new' ? 'created' : 'updated',
						warnings: warnings.length ? warnings : undefined,
					});
					continue;
				}
				const closed = chunker.add(contact, pending);
				if (closed) await submit(closed);
			}
		}
		if (summary.usersRead > 0 && withEmail === 0 && eligibleWithoutEmail > 0 && summary.emailScope === 'unknown') {
			summary.emailScope = 'missing';
			summary.warnings.push(
				'No Slack user had a visible email: the token probably lacks the users:read.email scope (Slack did not send its scopes). Add it in the Slack app, reinstall, and update the credential.',
			);
		}
		const last = chunker.flush();
		if (last) await submit(last);
		if (inFlight) await inFlight;
		return finish(true);
	};
	const settled = await settle(readAndSubmit());
	if (settled.ok) return settled.value;
	const error = settled.error;
	// let the import already sent finish, so what Brevo accepted is recorded and not sent again; when Slack
	// failed, Brevo is fine: send the users already read too
	if (error instanceof SyncServiceError && error.service === 'slack' && !options.dryRun) {
		try {
			const rest = chunker.flush();
			if (rest) await submit(rest);
		} catch (flushError) {
			summary.warnings.push(`Could not send the contacts read before the error: ${(flushError as Error).message}`);
		}
	}
	if (inFlight) await inFlight.catch(() => undefined);
	if (error instanceof SyncConfigError) throw error;
	throw new SyncAbortedError(error, finish(false));
}

function describeCounts(counts: Record<string, number>): string {
	return Object.entries(counts)
		.map(([k, n]) => `${n} ${PROBLEM_TEXT[k] ?? k}`)
		.join(', ');
}

