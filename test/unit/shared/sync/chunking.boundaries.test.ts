/**
 * Boundaries of import chunking (mutation testing, issue 18): a chunk closes one contact or one byte past its limits
 * and not at them, the limits' own minimums, and the defaults.
 */
import { chunkArray, DEFAULT_CONTACTS_PER_IMPORT, ImportChunker, type ImportContact } from '../../../../nodes/shared/sync/chunking';

/** A contact whose JSON is exactly `bytes` bytes long. */
function contactOf(bytes: number, email = 'a@x.co'): ImportContact {
	const empty = JSON.stringify({ email, attributes: { N: '' } }).length;
	return { email, attributes: { N: 'x'.repeat(bytes - empty) } };
}
const sizeOf = (c: ImportContact) => Buffer.byteLength(JSON.stringify(c));

describe('ImportChunker limits', () => {
	it('accepts a byte budget (limit minus envelope) of exactly 1024 bytes and refuses 1023', () => {
		expect(() => new ImportChunker(1, 1536, 512)).not.toThrow();
		expect(() => new ImportChunker(1, 1535, 512)).toThrow('Import size limit is too small');
		// the default envelope is 512 bytes
		expect(() => new ImportChunker(1, 1536)).not.toThrow();
		expect(() => new ImportChunker(1, 1535)).toThrow('Import size limit is too small');
	});

	it('needs a whole number of contacts per import, at least 1', () => {
		expect(() => new ImportChunker(1)).not.toThrow();
		expect(() => new ImportChunker(0)).toThrow('Contacts per import must be at least 1');
		expect(() => new ImportChunker(-1)).toThrow('Contacts per import must be at least 1');
		expect(() => new ImportChunker(1.5)).toThrow('Contacts per import must be at least 1');
	});

	it('takes a contact that fills the budget exactly with the brackets, and refuses one byte more naming it', () => {
		const fits = contactOf(1022);
		expect(sizeOf(fits)).toBe(1022);
		const c = new ImportChunker<number>(10, 1536, 512);
		expect(c.add(fits, 1)).toBeUndefined();
		expect(c.flush()).toEqual({ contacts: [fits], meta: [1], bytes: 1024 });
		const over = contactOf(1023, 'big@x.co');
		expect(() => c.add(over, 2)).toThrow('Contact big@x.co alone is 1023 bytes, over the 1024-byte import limit');
		expect(c.pending).toBe(0);
	});

	it('keeps a second contact that brings the body to exactly the budget, and closes the chunk one byte later', () => {
		const first = contactOf(500);
		// 2 brackets + 500 + 1 comma + 521 = 1024
		const c = new ImportChunker<string>(10, 1536, 512);
		expect(c.add(first, 'first')).toBeUndefined();
		expect(c.add(contactOf(521), 'second')).toBeUndefined();
		expect(c.pending).toBe(2);
		expect(c.flush()!.bytes).toBe(1024);

		expect(c.add(first, 'first')).toBeUndefined();
		const closed = c.add(contactOf(522), 'second');
		expect(closed).toEqual({ contacts: [first], meta: ['first'], bytes: 502 });
		// the new chunk starts from its brackets alone: 2 + 522
		expect(c.pending).toBe(1);
		expect(c.flush()!.bytes).toBe(524);
	});

	it('counts a separator only between contacts: n contacts of s bytes take 2 + n*s + (n-1) bytes', () => {
		const c = new ImportChunker<number>(100, 100_000, 512);
		for (let i = 0; i < 5; i++) c.add(contactOf(100), i);
		expect(c.flush()!.bytes).toBe(2 + 5 * 100 + 4);
	});

	it('closes at the contact cap only once the cap is reached (the cap-th contact stays)', () => {
		const c = new ImportChunker<number>(2);
		expect(c.add(contactOf(60), 1)).toBeUndefined();
		expect(c.add(contactOf(60), 2)).toBeUndefined();
		expect(c.pending).toBe(2);
		expect(c.add(contactOf(60), 3)!.meta).toEqual([1, 2]);
		expect(c.pending).toBe(1);
	});

	it('defaults to 5,000 contacts per import', () => {
		expect(DEFAULT_CONTACTS_PER_IMPORT).toBe(5_000);
		const c = new ImportChunker<number>();
		const small = { email: 'a@x.co', attributes: {} };
		for (let i = 0; i < 5_000; i++) expect(c.add(small, i)).toBeUndefined();
		expect(c.add(small, 5_000)!.contacts).toHaveLength(5_000);
	});
});

describe('chunkArray boundaries', () => {
	it('needs a whole size of at least 1', () => {
		expect(() => chunkArray([1], 0)).toThrow('Chunk size must be at least 1');
		expect(() => chunkArray([1], 1.5)).toThrow('Chunk size must be at least 1');
		expect(chunkArray([1, 2], 1)).toEqual([[1], [2]]);
	});

	it('leaves no empty piece after an exact multiple, and keeps the order', () => {
		expect(chunkArray([1, 2, 3, 4], 2)).toEqual([
			[1, 2],
			[3, 4],
		]);
		expect(chunkArray([1, 2, 3], 5)).toEqual([[1, 2, 3]]);
	});
});
