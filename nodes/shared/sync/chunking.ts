/**
 * Cutting contacts into `POST /contacts/import` bodies. No n8n imports.
 *
 * Brevo caps an import body at 10 MB and advises staying around 8 MB (parsing grows it); we keep every request
 * body, envelope included, under 8,000,000 bytes of UTF-8 JSON. Beside the size, a contact-count cap
 * (default 5,000) bounds what one failed import process puts back into the next run, how many contacts sit in
 * memory, and how long the last import runs after Slack's last page. 5,000 keeps the number of Brevo calls
 * small (20 imports for 100,000 users) while typical Slack contacts (150-400 bytes) stay far below the byte cap.
 */

export const MAX_IMPORT_BYTES = 8_000_000;
export const DEFAULT_CONTACTS_PER_IMPORT = 5_000;

export interface ImportContact {
	email: string;
	attributes: Record<string, string | number | boolean>;
}

export interface Chunk<T> {
	contacts: ImportContact[];
	/** Caller's record for each contact (same index), e.g. the Slack user id and fingerprint. */
	meta: T[];
	/** Bytes of the `jsonBody` array as JSON. */
	bytes: number;
}

export class ImportChunker<T> {
	private contacts: ImportContact[] = [];
	private meta: T[] = [];
	private bytes = 2; // "[" and "]"

	/**
	 * @param envelopeBytes bytes of the request body around jsonBody (`{"jsonBody":...,"listIds":[...],...}`)
	 */
	constructor(
		private readonly maxContacts = DEFAULT_CONTACTS_PER_IMPORT,
		private readonly maxBytes = MAX_IMPORT_BYTES,
		private readonly envelopeBytes = 512,
	) {
		if (!Number.isInteger(maxContacts) || maxContacts < 1) throw new Error('Contacts per import must be at least 1');
		if (maxBytes - envelopeBytes < 1024) throw new Error('Import size limit is too small');
	}

	get pending(): number {
		return this.contacts.length;
	}

	/** Adds a contact; returns the chunk that had to be closed first to stay under the limits, if any. */
	add(contact: ImportContact, meta: T): Chunk<T> | undefined {
		const size = Buffer.byteLength(JSON.stringify(contact), 'utf8');
		const budget = this.maxBytes - this.envelopeBytes;
		if (size + 2 > budget) {
			throw new Error(`Contact ${contact.email} alone is ${size} bytes, over the ${budget}-byte import limit`);
		}
		let closed: Chunk<T> | undefined;
		// Stryker disable next-line ConditionalExpression,EqualityOperator: a separator counted before the first contact can only flush an empty chunk, which flush() turns into undefined (equivalent); a missing one is caught by the tests
		const separator = this.contacts.length > 0 ? 1 : 0;
		if (this.contacts.length >= this.maxContacts || this.bytes + separator + size > budget) closed = this.flush();
		this.bytes += (this.contacts.length > 0 ? 1 : 0) + size;
		this.contacts.push(contact);
		this.meta.push(meta);
		return closed;
	}

	/** Closes the current chunk (undefined when empty). */
	flush(): Chunk<T> | undefined {
		if (this.contacts.length === 0) return undefined;
		const chunk = { contacts: this.contacts, meta: this.meta, bytes: this.bytes };
		this.contacts = [];
		this.meta = [];
		this.bytes = 2;
		return chunk;
	}
}

/** Splits a list into pieces of at most `size` (Brevo's list endpoints take 150 emails per call). */
export function chunkArray<T>(items: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new Error('Chunk size must be at least 1');
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}
