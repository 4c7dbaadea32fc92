/**
 * CSV, as RFC 4180 writes it (https://www.rfc-editor.org/rfc/rfc4180), and the records of Brevo's import reports.
 * No n8n imports.
 *
 * - Fields are separated by a delimiter (`,` by default; Brevo's own import files use `;`, so `detectDelimiter`
 *   reads the header line).
 * - A field may be quoted: inside quotes, delimiters, CR and LF are data, and `""` is one quote.
 * - Records end with CRLF (LF and lone CR are accepted too); a final line break adds no record.
 * - Apostrophes are ordinary characters (`o'brien@example.com` is one email).
 */

export class CsvError extends Error {
	constructor(
		message: string,
		readonly line: number,
	) {
		super(`${message} (line ${line})`);
		this.name = 'CsvError';
	}
}

/** The delimiter of the first line: the one of `,` `;` tab that occurs most outside quotes (`,` on a tie). */
export function detectDelimiter(text: string): string {
	const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ch === '"') quoted = !quoted;
		else if (!quoted && (ch === '\n' || ch === '\r')) break;
		else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
	}
	let best = ',';
	for (const [d, n] of counts) if (n > (counts.get(best) ?? 0)) best = d;
	return best;
}

/**
 * Every record of `text` as an array of fields. Strict where RFC 4180 is: a quote inside an unquoted field, text
 * after a closing quote, or an unclosed quote is a `CsvError` naming the line, never a silently shifted column.
 */
export function parseCsv(text: string, delimiter = ','): string[][] {
	if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
		throw new RangeError('the delimiter must be one character other than a quote or a line break');
	}
	const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 byte order mark is not data
	const records: string[][] = [];
	let record: string[] = [];
	let field = '';
	let line = 1;
	let i = 0;
	let atFieldStart = true;
	const endField = () => {
		record.push(field);
		field = '';
		atFieldStart = true;
	};
	const endRecord = () => {
		endField();
		records.push(record);
		record = [];
	};
	while (i < src.length) {
		const ch = src[i];
		if (atFieldStart && ch === '"') {
			// quoted field: runs to the closing quote; "" is a quote; delimiters and line breaks are data
			const startLine = line;
			i++;
			for (;;) {
				if (i >= src.length) throw new CsvError('unclosed quoted field', startLine);
				const c = src[i];
				if (c === '"') {
					if (src[i + 1] === '"') {
						field += '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (c === '\n' || (c === '\r' && src[i + 1] !== '\n')) line++;
				field += c;
				i++;
			}
			const next = src[i];
			if (next !== undefined && next !== delimiter && next !== '\r' && next !== '\n') {
				throw new CsvError('text after the closing quote of a field', line);
			}
			atFieldStart = false;
			continue;
		}
		if (ch === delimiter) {
			endField();
			i++;
			continue;
		}
		if (ch === '\r' || ch === '\n') {
			endRecord();
			i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
			line++;
			continue;
		}
		if (ch === '"') throw new CsvError('quote inside an unquoted field', line);
		field += ch;
		atFieldStart = false;
		i++;
	}
	if (!atFieldStart || record.length) endRecord();
	return records;
}

/** A CSV with a header line, as objects keyed by the header's names (missing trailing fields are ''). */
export function parseCsvObjects(text: string, delimiter = detectDelimiter(text)): { header: string[]; rows: Array<Record<string, string>> } {
	const [header = [], ...records] = parseCsv(text, delimiter).filter((r) => !(r.length === 1 && r[0] === ''));
	const names = header.map((h) => h.trim());
	return { header: names, rows: records.map((r) => Object.fromEntries(names.map((h, k) => [h, r[k] ?? '']))) };
}

/** One record of an import report: the identifiers it names and Brevo's reason, when the report gives one. */
export interface ReportRecord {
	email?: string;
	sms?: string;
	extId?: string;
	reason?: string;
}

const EMAIL_COLUMN = /^(e-?mail|email_?id|email address)$/i;
const REASON_COLUMN = /^(reason|error|errors|message|status|comment)s?$/i;
const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * The records of one Brevo import report (the CSV an `info.import` URL points at). Brevo does not document the
 * columns, so they are found by name (EMAIL, SMS, EXT_ID, a reason column), and, without an EMAIL header, the
 * email is the first field that looks like one. Emails are lower-cased, as the package sends them.
 */
export function parseImportReport(text: string): ReportRecord[] {
	if (text.trim() === '') return [];
	const { header, rows } = parseCsvObjects(text);
	const emailColumn = header.find((h) => EMAIL_COLUMN.test(h));
	const smsColumn = header.find((h) => /^(sms|phone|phone_id|mobile)$/i.test(h));
	const extColumn = header.find((h) => /^(ext_?id)$/i.test(h));
	const reasonColumn = header.find((h) => REASON_COLUMN.test(h));
	const headerIsData = !emailColumn && !smsColumn && !extColumn && header.some((h) => LOOKS_LIKE_EMAIL.test(h));
	const all = headerIsData ? [Object.fromEntries(header.map((h) => [h, h])), ...rows] : rows;
	return all.map((row) => {
		const record: ReportRecord = {};
		const email = emailColumn ? row[emailColumn] : Object.values(row).find((v) => LOOKS_LIKE_EMAIL.test(v.trim()));
		if (email?.trim()) record.email = email.trim().toLowerCase();
		if (smsColumn && row[smsColumn]?.trim()) record.sms = row[smsColumn].trim();
		if (extColumn && row[extColumn]?.trim()) record.extId = row[extColumn].trim();
		if (reasonColumn && row[reasonColumn]?.trim()) record.reason = row[reasonColumn].trim();
		return record;
	});
}

/** `parseImportReport`, with a malformed report as a value (the sync reports it and goes on) instead of a throw. */
export function readImportReport(text: string): ReportRecord[] | CsvError {
	try {
		return parseImportReport(text);
	} catch (error) {
		return error instanceof CsvError ? error : new CsvError(`unreadable report (${(error as Error)?.message ?? String(error)})`, 0);
	}
}
