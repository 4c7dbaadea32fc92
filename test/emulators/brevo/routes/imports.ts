/**
 * Asynchronous contact import (`POST /contacts/import` -> 202 {processId}) and the processes it creates
 * (`GET /processes`, `GET /processes/{processId}`). The import itself runs later, driven by the server's timers:
 * queued -> in_process -> completed | failed (see `runImport`).
 * Every rule here has its source (doc page, OpenAPI path, SDK type, public issue) or `guess` in
 * test/emulators/CONTRACT.md, "Brevo REST rules and sources".
 */
import { randomBytes } from 'node:crypto';

import { fail, MESSAGES } from '../errors';
import type { Route } from '../router';
import type { Activity } from '../activity';

import { IMPORT_REPORT_CATEGORIES, type BrevoState, type ImportReportCategory, type ImportReportRow, type Process } from '../state';

export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

export const importRoutes: Route[] = [
	{
		method: 'POST',
		specPath: '/contacts/import',
		handler: (ctx) => {
			const b = (ctx.body ?? {}) as Record<string, any>;
			const sources = ['jsonBody', 'fileBody', 'fileUrl'].filter((k) => b[k] !== undefined);
			if (sources.length === 0) throw fail.missing('One of fileUrl, fileBody or jsonBody is required');
			if (sources.length > 1) {
				throw fail.invalid(`Only one of fileUrl, fileBody or jsonBody can be passed (got ${sources.join(', ')})`);
			}
			if (b.fileBody !== undefined && Buffer.byteLength(String(b.fileBody)) > IMPORT_MAX_BYTES) {
				throw fail.invalid(MESSAGES.importTooLarge('fileBody'));
			}
			if (b.jsonBody !== undefined && Buffer.byteLength(JSON.stringify(b.jsonBody)) > IMPORT_MAX_BYTES) {
				throw fail.invalid(MESSAGES.importTooLarge('jsonBody'));
			}
			if (!b.listIds?.length && !b.newList) throw fail.missing('listIds or newList is required');
			if (b.listIds?.length && b.newList) throw fail.invalid('Pass either listIds or newList, not both');
			for (const id of b.listIds ?? []) {
				if (!ctx.state.lists.has(id)) throw fail.notFound(`List ID ${id} does not exist`);
			}
			if (b.newList) {
				if (!b.newList.listName) throw fail.missing('newList.listName is missing');
				if (b.newList.folderId !== undefined && !ctx.state.folders.has(b.newList.folderId)) {
					throw fail.notFound('Folder ID does not exist');
				}
			}
			if (b.jsonBody !== undefined && !Array.isArray(b.jsonBody)) throw fail.invalid('jsonBody must be an array');
			const process: Process = {
				id: ctx.state.nextProcessId(),
				name: 'IMPORTUSER',
				status: 'queued',
				created_at: ctx.state.iso(),
				request: b,
				apiKeyName: ctx.apiKeyName,
			};
			ctx.state.processes.set(process.id, process);
			ctx.services.startImport(process.id);
			return { status: 202, body: { processId: process.id } };
		},
	},
	{
		method: 'GET',
		specPath: '/processes',
		handler: (ctx) => {
			const limit = (ctx.params.limit as number | undefined) ?? 10;
			const offset = (ctx.params.offset as number | undefined) ?? 0;
			const sort = (ctx.params.sort as string | undefined) ?? 'desc';
			const all = [...ctx.state.processes.values()].sort((a, b) => (sort === 'asc' ? a.id - b.id : b.id - a.id));
			return { status: 200, body: { processes: all.slice(offset, offset + limit).map(processView), count: all.length } };
		},
	},
	{
		method: 'GET',
		specPath: '/processes/{processId}',
		handler: (ctx) => {
			const p = ctx.state.processes.get(ctx.params.processId as number);
			if (!p) throw fail.notFound('Process does not exist');
			return { status: 200, body: processView(p) };
		},
	},
];

export function processView(p: Process): Record<string, unknown> {
	const view: Record<string, unknown> = {
		id: p.id,
		status: p.status,
		name: p.name,
		export_url: null,
		created_at: p.created_at,
	};
	if (p.completed_at) view.completed_at = p.completed_at;
	if (p.error) view.error = p.error;
	if (p.info) view.info = p.info;
	return view;
}

/** Parses Brevo's import CSV: header row of attribute names, `;` separated (`,` accepted), quotes honoured. */
export function parseImportCsv(text: string): Array<Record<string, string>> {
	const lines = text.replace(/\r\n?/g, '\n').split('\n').filter((l) => l.trim() !== '');
	if (!lines.length) return [];
	const sep = lines[0].includes(';') ? ';' : ',';
	const split = (line: string): string[] => {
		const out: string[] = [];
		let cur = '';
		let quoted = false;
		for (let i = 0; i < line.length; i++) {
			const ch = line[i];
			if (quoted) {
				if (ch === '"' && line[i + 1] === '"') {
					cur += '"';
					i++;
				} else if (ch === '"') quoted = false;
				else cur += ch;
			} else if (ch === '"') quoted = true;
			else if (ch === sep) {
				out.push(cur);
				cur = '';
			} else cur += ch;
		}
		out.push(cur);
		return out.map((v) => v.trim());
	};
	const header = split(lines[0]).map((h) => h.toUpperCase());
	return lines.slice(1).map((line) => {
		const cells = split(line);
		return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
	});
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Runs an import against the account, as Brevo does: rows without a valid email/SMS/EXT_ID are rejected as
 * invalid, duplicates within the file are rejected, existing contacts are updated only when
 * `updateExistingContacts` (default true), and empty cells erase attributes only with `emptyContactsAttributes`.
 * Rejected records go to per-category CSV reports whose URLs (or null) make `info.import`.
 */
export function runImport(
	state: BrevoState,
	p: Process,
	rows: Array<{ email?: string; attributes: Record<string, unknown> }>,
	emit: (a: Activity) => void = () => undefined,
	reportBaseUrl = 'http://127.0.0.1',
): void {
	const req = (p.request ?? {}) as Record<string, any>;
	const updateExisting = req.updateExistingContacts !== false;
	const emptyClears = updateExisting && req.emptyContactsAttributes === true;
	let listIds: number[] = req.listIds ?? [];
	if (req.newList) {
		const list = state.addList({ name: req.newList.listName, folderId: req.newList.folderId });
		listIds = [list.id];
	}
	// emailBlacklist / smsBlacklist: "To blacklist all the contacts" of the import (only ever sets the flag)
	const blacklist: { emailBlacklisted?: boolean; smsBlacklisted?: boolean } = {};
	if (req.emailBlacklist === true) blacklist.emailBlacklisted = true;
	if (req.smsBlacklist === true) blacklist.smsBlacklisted = true;
	const reports: Partial<Record<ImportReportCategory, ImportReportRow[]>> = {};
	const reject = (category: ImportReportCategory, row: { email?: string; attributes: Record<string, unknown> }, reason: string) => {
		const cells: Record<string, string> = {};
		if (row.email !== undefined) cells.EMAIL = String(row.email);
		for (const [k, v] of Object.entries(row.attributes)) if (k !== 'EMAIL' && v !== undefined && v !== null) cells[k] = String(v);
		(reports[category] ??= []).push({ cells, reason });
	};
	const result = { created: 0, updated: 0, skipped: 0, invalid: 0, listIds };
	const seenEmails = new Set<string>();
	const seenExt = new Set<string>();
	for (const row of rows) {
		const attributes = { ...row.attributes };
		const email = (row.email ?? (attributes.EMAIL as string | undefined) ?? '').trim().toLowerCase() || undefined;
		delete attributes.EMAIL;
		const extId = attributes.EXT_ID !== undefined && attributes.EXT_ID !== '' ? String(attributes.EXT_ID) : undefined;
		delete attributes.EXT_ID;
		if (email && !EMAIL_RE.test(email)) {
			reject('invalid_emails', row, 'Invalid email address');
			result.invalid++;
			continue;
		}
		if (!email && !extId && !attributes.SMS) {
			// guess: a row with no identifier at all is listed with the invalid emails
			reject('invalid_emails', row, 'No EMAIL, SMS or EXT_ID');
			result.invalid++;
			continue;
		}
		if (email) {
			if (seenEmails.has(email)) {
				reject('duplicate_email_id', row, 'Email address appears more than once in the import');
				result.skipped++;
				continue;
			}
			seenEmails.add(email);
		}
		if (extId) {
			if (seenExt.has(extId)) {
				reject('duplicate_ext_id', row, 'EXT_ID appears more than once in the import');
				result.skipped++;
				continue;
			}
			seenExt.add(extId);
		}
		try {
			const existing = (email && state.findByEmail(email)) || (extId && state.findByExtId(extId)) || undefined;
			if (existing) {
				if (!updateExisting) {
					result.skipped++;
					continue;
				}
				const listsBefore = [...existing.listIds];
				state.updateContact(existing, { ext_id: extId, attributes, listIds, ...blacklist }, { emptyClears });
				result.updated++;
				emit({ kind: 'contact_updated', contact: existing, changes: state.cleanAttributes(attributes), apiKeyName: p.apiKeyName });
				const added = existing.listIds.filter((id) => !listsBefore.includes(id));
				if (added.length) emit({ kind: 'list_addition', contact: existing, listIds: added, apiKeyName: p.apiKeyName });
			} else {
				const { contact } = state.createContact({ email, ext_id: extId, attributes, listIds, ...blacklist });
				result.created++;
				if (listIds.length) emit({ kind: 'list_addition', contact, listIds, apiKeyName: p.apiKeyName });
			}
		} catch (err) {
			// a bad phone number or an identifier owned by another contact: that row is rejected, the import goes on
			// (guess: other refusals, e.g. an invalid phone number, are in no report category; the row is only counted)
			if ((err as { code?: string }).code === 'duplicate_parameter') {
				const ids = ((err as { metadata?: { duplicate_identifiers?: string[] } }).metadata?.duplicate_identifiers ?? []).map((x) => x.toLowerCase());
				const category: ImportReportCategory = ids.includes('ext_id') ? 'duplicate_ext_id' : ids.includes('email') ? 'duplicate_email_id' : 'duplicate_phone_id';
				reject(category, row, (err as Error).message);
			}
			result.invalid++;
		}
	}
	p.result = result;
	p.reports = reports;
	p.reportToken ??= randomBytes(12).toString('hex');
	// every category is present: a URL when it has records, null otherwise (@getbrevo/brevo GetProcessResponse.Info)
	p.info = {
		import: Object.fromEntries(
			IMPORT_REPORT_CATEGORIES.map((c) => [c, reports[c]?.length ? importReportUrl(reportBaseUrl, p, c) : null]),
		),
	};
}

/**
 * Where a report is served: outside `/v3`, without the api-key, like the pre-signed storage links Brevo hands out
 * (guess: the path shape; the SDK only says "URL to CSV file").
 */
export function importReportUrl(baseUrl: string, p: Process, category: ImportReportCategory): string {
	return `${baseUrl}${IMPORT_REPORT_PATH}/${p.reportToken}/${category}.csv`;
}

export const IMPORT_REPORT_PATH = '/import-reports';

/** `/import-reports/{token}/{category}.csv` -> the process and category, or undefined. */
export function findImportReport(
	state: BrevoState,
	pathname: string,
): { process: Process; category: ImportReportCategory } | undefined {
	const m = new RegExp(`^${IMPORT_REPORT_PATH}/([0-9a-f]+)/([a-z_]+)\\.csv$`).exec(pathname);
	if (!m || !(IMPORT_REPORT_CATEGORIES as readonly string[]).includes(m[2])) return undefined;
	const process = [...state.processes.values()].find((p) => p.reportToken === m[1]);
	const category = m[2] as ImportReportCategory;
	if (!process?.reports?.[category]?.length) return undefined;
	return { process, category };
}

/**
 * The CSV of one report, RFC 4180: comma separated, CRLF line ends, fields with a comma, quote or line break quoted
 * and inner quotes doubled. Columns: EMAIL, the row's attributes, then REASON (guess: Brevo documents no columns).
 */
export function importReportCsv(rows: ImportReportRow[]): string {
	const columns = ['EMAIL'];
	for (const r of rows) for (const k of Object.keys(r.cells)) if (!columns.includes(k)) columns.push(k);
	columns.push('REASON');
	const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
	const lines = [columns.map(field).join(',')];
	for (const r of rows) lines.push(columns.map((c) => field(c === 'REASON' ? r.reason : (r.cells[c] ?? ''))).join(','));
	return lines.join('\r\n') + '\r\n';
}


/** Rows of an import request (jsonBody or fileBody); fileUrl content is passed in once fetched. */
export function importRows(
	req: Record<string, any>,
	fetched?: string,
): Array<{ email?: string; attributes: Record<string, unknown> }> {
	if (Array.isArray(req.jsonBody)) {
		return req.jsonBody.map((r: Record<string, any>) => ({ email: r.email, attributes: { ...(r.attributes ?? {}) } }));
	}
	const text = req.fileBody ?? fetched ?? '';
	const trimmed = String(text).trim();
	if (trimmed.startsWith('[')) {
		return (JSON.parse(trimmed) as Array<Record<string, any>>).map((r) => ({
			email: r.email,
			attributes: { ...(r.attributes ?? {}) },
		}));
	}
	return parseImportCsv(String(text)).map((r) => {
		const { EMAIL, ...attributes } = r;
		return { email: EMAIL, attributes };
	});
}
