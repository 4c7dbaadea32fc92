import { forget, rememberedCount, seenBefore } from '../../nodes/shared/dedup';

const opts = { ttlMs: 60_000, max: 3 };

describe('seenBefore', () => {
	it('records a new key and reports the second sighting as a duplicate', () => {
		const store = {};
		expect(seenBefore(store, 'a', 1_000, opts)).toBe(false);
		expect(seenBefore(store, 'a', 2_000, opts)).toBe(true);
		expect(seenBefore(store, 'b', 2_000, opts)).toBe(false);
		expect(rememberedCount(store)).toBe(2);
	});

	it('keeps its state in the plain object so a JSON round trip (static data saved and reloaded) keeps it', () => {
		const store = {};
		seenBefore(store, 'evt-1', 1_000, opts);
		const reloaded = JSON.parse(JSON.stringify(store));
		expect(seenBefore(reloaded, 'evt-1', 5_000, opts)).toBe(true);
	});

	it('forgets keys older than ttlMs', () => {
		const store = {};
		seenBefore(store, 'a', 0, opts);
		expect(seenBefore(store, 'a', 59_999, opts)).toBe(true);
		expect(seenBefore(store, 'a', 59_999 + 60_000, opts)).toBe(false);
	});

	it('keeps at most max keys, dropping the oldest first', () => {
		const store = {};
		seenBefore(store, 'k1', 1, opts);
		seenBefore(store, 'k2', 2, opts);
		seenBefore(store, 'k3', 3, opts);
		seenBefore(store, 'k4', 4, opts);
		expect(rememberedCount(store)).toBe(3);
		expect(seenBefore(store, 'k4', 5, opts)).toBe(true);
		expect(seenBefore(store, 'k2', 5, opts)).toBe(true);
		expect(seenBefore(store, 'k1', 5, opts)).toBe(false);
	});

	it('coexists with other fields in the same static-data object and repairs a corrupted key map', () => {
		const store: Record<string, unknown> = { webhookId: 12, deliveryKeys: 'garbage' };
		expect(seenBefore(store, 'x', 10, opts)).toBe(false);
		expect(store.webhookId).toBe(12);
		expect(seenBefore(store, 'x', 11, opts)).toBe(true);
		const withBadEntry: Record<string, unknown> = { deliveryKeys: { y: 'not a time' } };
		expect(seenBefore(withBadEntry, 'y', 10, opts)).toBe(false);
	});

	it('drops entries stamped far in the future (clock jumps) instead of keeping them forever', () => {
		const store = { deliveryKeys: { z: 10_000_000 } };
		expect(seenBefore(store, 'z', 1_000, opts)).toBe(false);
	});

	it('forget lets a key through again', () => {
		const store = {};
		seenBefore(store, 'a', 1, opts);
		forget(store, 'a');
		expect(seenBefore(store, 'a', 2, opts)).toBe(false);
	});

	it('rejects bad options and empty keys', () => {
		expect(() => seenBefore({}, 'a', 1, { ttlMs: 0, max: 3 })).toThrow(/ttlMs/);
		expect(() => seenBefore({}, 'a', 1, { ttlMs: 10, max: 0 })).toThrow(/max/);
		expect(() => seenBefore({}, '', 1, opts)).toThrow(/key/);
	});
});
