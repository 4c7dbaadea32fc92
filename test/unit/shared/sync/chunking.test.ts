import { chunkArray, ImportChunker, MAX_IMPORT_BYTES } from '../../../../nodes/shared/sync/chunking';

describe('ImportChunker', () => {
	it('closes a chunk at the contact cap', () => {
		const c = new ImportChunker<number>(3);
		const closed = [1, 2, 3, 4, 5, 6, 7].map((i) => c.add({ email: `u${i}@x.co`, attributes: {} }, i)).filter(Boolean);
		expect(closed.map((k) => k!.meta)).toEqual([[1, 2, 3], [4, 5, 6]]);
		expect(c.flush()!.meta).toEqual([7]);
		expect(c.flush()).toBeUndefined();
	});

	it('keeps every body under the byte limit, measuring UTF-8 bytes exactly', () => {
		const c = new ImportChunker<number>(1_000_000, 10_000, 500);
		const chunks = [];
		for (let i = 0; i < 200; i++) {
			const k = c.add({ email: `u${i}@x.co`, attributes: { FIRSTNAME: '山田太郎'.repeat(10) } }, i);
			if (k) chunks.push(k);
		}
		chunks.push(c.flush()!);
		for (const k of chunks) {
			expect(Buffer.byteLength(JSON.stringify(k.contacts))).toBe(k.bytes);
			expect(k.bytes).toBeLessThanOrEqual(10_000 - 500);
		}
		expect(chunks.reduce((n, k) => n + k.contacts.length, 0)).toBe(200);
		expect(chunks.length).toBeGreaterThan(1);
	});

	it('defaults to an 8 MB limit and refuses a contact that alone exceeds it', () => {
		expect(MAX_IMPORT_BYTES).toBe(8_000_000);
		const c = new ImportChunker<number>(10, 4096, 512);
		expect(() => c.add({ email: 'big@x.co', attributes: { NOTE: 'x'.repeat(5000) } }, 1)).toThrow(/over the 3584-byte/);
		expect(() => new ImportChunker(0)).toThrow(/at least 1/);
	});
});

describe('chunkArray', () => {
	it('splits into pieces of 150', () => {
		const items = Array.from({ length: 301 }, (_, i) => i);
		expect(chunkArray(items, 150).map((p) => p.length)).toEqual([150, 150, 1]);
		expect(chunkArray([], 150)).toEqual([]);
	});
});
