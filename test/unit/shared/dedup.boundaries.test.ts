/**
 * Boundaries of the delivery dedup store (mutation testing, issue 18): the ttl edge in both clock directions, which
 * keys eviction drops (always the oldest, also when several must go), option checks, and what counts as a stored key.
 * Uses only seenBefore / forget / rememberedCount without a scope (the journal has its own tests).
 */
import { forget, rememberedCount, seenBefore } from '../../../nodes/shared/dedup';

const opts = { ttlMs: 1000, max: 100 };

describe('seenBefore: the ttl edge', () => {
	it('remembers a key for ttlMs - 1 ms and forgets it at ttlMs', () => {
		const store = {};
		expect(seenBefore(store, 'k', 10_000, opts)).toBe(false);
		expect(seenBefore(store, 'k', 10_999, opts)).toBe(true);
		expect(seenBefore(store, 'k', 11_000, opts)).toBe(false);
		// re-recorded at 11,000
		expect(seenBefore(store, 'k', 11_999, opts)).toBe(true);
	});

	it('keeps a key recorded up to ttlMs in the future (a clock moved back) and drops one further ahead', () => {
		const kept = {};
		seenBefore(kept, 'k', 10_000, opts);
		expect(seenBefore(kept, 'k', 9_000, opts)).toBe(true);
		const dropped = {};
		seenBefore(dropped, 'k', 10_000, opts);
		expect(seenBefore(dropped, 'k', 8_999, opts)).toBe(false);
	});

	it('drops expired keys when another key is recorded, even below max', () => {
		const store = {};
		seenBefore(store, 'a', 0, opts);
		seenBefore(store, 'b', 500, opts);
		expect(rememberedCount(store)).toBe(2);
		seenBefore(store, 'c', 1000, opts);
		expect(rememberedCount(store)).toBe(2); // a (recorded at 0) expired at 1000
		expect(seenBefore(store, 'b', 1000, opts)).toBe(true);
	});
});

describe('seenBefore: eviction order', () => {
	it('when full, drops the oldest key and keeps the newest', () => {
		const store = {};
		const small = { ttlMs: 10_000, max: 3 };
		seenBefore(store, 'a', 1, small);
		seenBefore(store, 'b', 2, small);
		seenBefore(store, 'c', 3, small);
		expect(seenBefore(store, 'd', 4, small)).toBe(false);
		expect(rememberedCount(store)).toBe(3);
		expect(seenBefore(store, 'b', 5, small)).toBe(true);
		expect(seenBefore(store, 'c', 5, small)).toBe(true);
		expect(seenBefore(store, 'd', 5, small)).toBe(true);
		expect(seenBefore(store, 'a', 5, small)).toBe(false);
	});

	it('the oldest goes first whatever the insertion order', () => {
		const store = { deliveryKeys: { late: 30, early: 10, middle: 20 } };
		seenBefore(store, 'new', 40, { ttlMs: 10_000, max: 3 });
		expect(Object.keys(store.deliveryKeys).sort()).toEqual(['late', 'middle', 'new']);
	});

	it('when several keys must go (max lowered), drops the oldest ones and keeps the newest', () => {
		const store = { deliveryKeys: { k1: 1, k5: 5, k2: 2, k4: 4, k3: 3 } };
		seenBefore(store, 'new', 6, { ttlMs: 10_000, max: 2 });
		expect(Object.keys(store.deliveryKeys).sort()).toEqual(['k5', 'new']);
	});

	it('keeps exactly max keys: max 1 holds the last key only', () => {
		const store = {};
		const one = { ttlMs: 10_000, max: 1 };
		seenBefore(store, 'a', 1, one);
		expect(rememberedCount(store)).toBe(1);
		seenBefore(store, 'b', 2, one);
		expect(rememberedCount(store)).toBe(1);
		expect(seenBefore(store, 'b', 3, one)).toBe(true);
	});
});

describe('seenBefore: inputs', () => {
	it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses ttlMs %p', (ttlMs) => {
		expect(() => seenBefore({}, 'k', 0, { ttlMs, max: 1 })).toThrow(new RangeError(`dedup ttlMs must be a positive number, got ${ttlMs}`));
	});

	it.each([0, -1, 1.5, Number.NaN])('refuses max %p', (max) => {
		expect(() => seenBefore({}, 'k', 0, { ttlMs: 1, max })).toThrow(new RangeError(`dedup max must be a positive integer, got ${max}`));
	});

	it('accepts the smallest options: ttlMs 1 (or a fraction) and max 1', () => {
		expect(seenBefore({}, 'k', 0, { ttlMs: 1, max: 1 })).toBe(false);
		expect(seenBefore({}, 'k', 0, { ttlMs: 0.5, max: 1 })).toBe(false);
	});

	it('refuses an empty or non-text key', () => {
		expect(() => seenBefore({}, '', 0, opts)).toThrow(new TypeError('dedup key must be a non-empty string'));
		expect(() => seenBefore({}, 42 as never, 0, opts)).toThrow(TypeError);
	});

	it('starts afresh when the stored field is not a plain object, and ignores entries that are not times', () => {
		for (const deliveryKeys of [['k'], 'k', null, 7]) {
			const store: Record<string, unknown> = { deliveryKeys };
			expect(seenBefore(store, 'k', 0, opts)).toBe(false);
			expect(store.deliveryKeys).toEqual({ k: 0 });
		}
		const store = { deliveryKeys: { a: '5', b: Number.NaN, c: null, d: 5 } as Record<string, unknown> };
		expect(seenBefore(store, 'a', 10, opts)).toBe(false);
		expect(seenBefore(store, 'b', 10, opts)).toBe(false);
		expect(seenBefore(store, 'd', 10, opts)).toBe(true);
		expect(store.deliveryKeys).toEqual({ a: 10, b: 10, d: 5 });
	});

	it('does not take a key inherited from Object.prototype as seen', () => {
		expect(seenBefore({}, 'constructor', 0, opts)).toBe(false);
		expect(seenBefore({}, 'toString', 0, opts)).toBe(false);
	});
});

describe('forget and rememberedCount', () => {
	it('forget lets the key through again and leaves the others', () => {
		const store = {};
		seenBefore(store, 'a', 0, opts);
		seenBefore(store, 'b', 0, opts);
		forget(store, 'a');
		expect(rememberedCount(store)).toBe(1);
		expect(seenBefore(store, 'a', 1, opts)).toBe(false);
		expect(seenBefore(store, 'b', 1, opts)).toBe(true);
	});

	it('both accept a store that never recorded anything', () => {
		expect(() => forget({}, 'a')).not.toThrow();
		expect(rememberedCount({})).toBe(0);
		expect(rememberedCount({ deliveryKeys: null })).toBe(0);
		expect(rememberedCount({ deliveryKeys: 'abc' })).toBe(0);
	});
});
