import { forget, forgetRecordedKeys, rememberedCount, seenBefore } from '../../nodes/shared/dedup';

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

/**
 * n8n 2.40's webhook path, modelled: each request gets its own copy of the workflow's static data as the database
 * held it when the request arrived, the trigger records its key in that copy, and n8n writes the whole copy back
 * (no merge). With every request loaded before any save lands (a burst), the last save wins.
 */
function burst(keys: string[], options: { ttlMs: number; max: number; scope?: string }, db: { json: string }): boolean[] {
	const copies = keys.map(() => JSON.parse(db.json) as Record<string, unknown>); // all loaded before any save
	const verdicts = keys.map((key, i) => seenBefore(copies[i], key, 1_000 + i, options));
	for (const copy of copies) db.json = JSON.stringify(copy); // saved in arrival order: the last one wins
	return verdicts;
}

describe('seenBefore under n8n\'s whole-object saves of static data', () => {
	const keys = Array.from({ length: 50 }, (_, i) => `evt-${i}`);

	it('without a scope, a burst keeps only the last writer\'s key (the loss issue 17 measured)', () => {
		const db = { json: '{}' };
		expect(burst(keys, { ttlMs: 60_000, max: 500 }, db)).toEqual(keys.map(() => false));
		expect(rememberedCount(JSON.parse(db.json))).toBe(1);
	});

	it('with a scope, the last save carries every key the process accepted, and every replay is a duplicate', () => {
		const options = { ttlMs: 60_000, max: 500, scope: `wf-burst-${Date.now()}/Trigger` };
		const db = { json: '{}' };
		expect(burst(keys, options, db)).toEqual(keys.map(() => false));
		// The copy saved last was opened after the 49 others recorded their keys, so it carries them all.
		expect(rememberedCount(JSON.parse(db.json))).toBe(keys.length);
		const replays = burst(keys, options, db);
		expect(replays).toEqual(keys.map(() => true));
		expect(Object.keys((JSON.parse(db.json) as { deliveryKeys: object }).deliveryKeys).sort()).toEqual([...keys].sort());
	});

	it('a copy loaded before the burst recognises every key through the journal, without the database', () => {
		const options = { ttlMs: 60_000, max: 500, scope: `wf-stale-${Date.now()}/Trigger` };
		burst(keys, options, { json: '{}' });
		const stale: Record<string, unknown> = {};
		expect(keys.every((key) => seenBefore(stale, key, 2_000, options))).toBe(true);
		expect(rememberedCount(stale)).toBe(keys.length);
	});

	it('keeps scopes apart, bounds the journal like the store, and forget removes a key from both', () => {
		const a = { ttlMs: 60_000, max: 3, scope: `wf-a-${Date.now()}/T` };
		const b = { ...a, scope: `wf-b-${Date.now()}/T` };
		expect(seenBefore({}, 'x', 1, a)).toBe(false);
		expect(seenBefore({}, 'x', 2, b)).toBe(false);
		for (const key of ['k1', 'k2', 'k3']) seenBefore({}, key, 10, a);
		const fresh = {};
		expect(seenBefore(fresh, 'x', 20, a)).toBe(false); // dropped as the oldest of four
		expect(rememberedCount(fresh)).toBe(3);
		forget(fresh, 'x', a.scope);
		expect(seenBefore({}, 'x', 30, a)).toBe(false);
		expect(seenBefore({}, 'k3', 60_000 + 10, a)).toBe(false); // expired in the journal as in the store
	});
});

describe('forgetRecordedKeys', () => {
	it('forgets what a failed call recorded, in the store and the journal, but not what it carried from the journal', () => {
		const options = { ttlMs: 60_000, max: 100, scope: `wf-failed-${Date.now()}/T` };
		expect(seenBefore({}, 'other', 1, options)).toBe(false); // another request's key, in the journal
		const failing: Record<string, unknown> = {};
		expect(seenBefore(failing, 'mine', 2, options)).toBe(false);
		expect(rememberedCount(failing)).toBe(2); // its own key + the carried one
		forgetRecordedKeys(failing, options.scope);
		expect(Object.keys(failing.deliveryKeys as object)).toEqual(['other']);
		expect(seenBefore({}, 'mine', 3, options)).toBe(false); // the retry goes through
		expect(seenBefore({}, 'other', 3, options)).toBe(true);
	});
});
