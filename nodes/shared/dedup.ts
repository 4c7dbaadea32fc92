/**
 * A small, bounded "have I seen this delivery before?" store kept inside a plain object.
 *
 * Triggers keep the object in workflow static data (`this.getWorkflowStaticData('node')`), which n8n persists
 * after production webhook calls, so deduplication survives restarts and is shared by every process that loads
 * the workflow from the database.
 *
 * How n8n 2.40 persists it, and what that means under concurrency: a webhook request loads the workflow row
 * (static data included) when it arrives (`LiveWebhooks.executeWebhook`), the trigger's webhook method changes
 * that copy, and `WorkflowStaticDataService.saveStaticData` then writes the WHOLE object back (an UPDATE of the
 * column, no merge, no version check). Requests that overlap each save the copy they loaded plus their own key,
 * so the last writer silently drops the keys of the others (measured: 212 of 703 keys kept after a burst). One
 * entry per key would not help: the whole column is overwritten.
 *
 * The `scope` option closes that gap inside one n8n process: every key this process records also goes into a
 * process-wide journal for the scope (workflow + node), and every store opened in that scope is checked against
 * the journal and carries the journal's keys into its own save. So whichever request of a burst saves last, its
 * copy holds every key this process accepted, and a redelivery reaching this process is recognised even before
 * the database has caught up. The journal is only a write-back cache of what static data should already hold:
 * bounded like the store (same ttl and max), never the only record, and losing it (a restart) loses nothing that
 * a completed save wrote. Across processes (queue mode with several webhook processes) a concurrent save by
 * another process can still drop keys until a later save of the recording process writes them again: there
 * duplicate suppression is best effort. No n8n imports: tested directly.
 */

export interface DedupOptions {
	/** How long a key is remembered, in milliseconds. */
	ttlMs: number;
	/** The most keys kept; the oldest are dropped first. Keeps static data small. */
	max: number;
	/**
	 * Workflow + node the store belongs to (e.g. `${workflowId}/${nodeId}`): turns on the process-wide journal that
	 * keeps keys from being lost to concurrent whole-object saves (see above). Without it only `store` is used.
	 */
	scope?: string;
}

/** Where the keys live inside the caller's object (a map of key -> first-seen time in ms). */
const FIELD = 'deliveryKeys';

type KeyMap = Record<string, number>;

function keyMapOf(store: Record<string, unknown>): KeyMap {
	const current = store[FIELD];
	if (current && typeof current === 'object' && !Array.isArray(current)) return current as KeyMap;
	const fresh: KeyMap = {};
	store[FIELD] = fresh;
	return fresh;
}

function checkOptions({ ttlMs, max }: DedupOptions): void {
	if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`dedup ttlMs must be a positive number, got ${ttlMs}`);
	if (!Number.isInteger(max) || max < 1) throw new RangeError(`dedup max must be a positive integer, got ${max}`);
}

const isLive = (at: unknown, nowMs: number, ttlMs: number): at is number =>
	typeof at === 'number' && Number.isFinite(at) && nowMs - at < ttlMs && at - nowMs <= ttlMs;

/** Drops expired (or far-future) keys, then the oldest ones until at most `max` remain. One pass in the usual case. */
function prune(keys: KeyMap, nowMs: number, { ttlMs, max }: DedupOptions): void {
	let count = 0;
	let oldestKey: string | undefined;
	let oldestAt = Infinity;
	for (const key in keys) {
		const at = keys[key];
		if (!isLive(at, nowMs, ttlMs)) {
			delete keys[key];
			continue;
		}
		count++;
		if (at < oldestAt) {
			oldestAt = at;
			oldestKey = key;
		}
	}
	const excess = count - max;
	if (excess <= 0) return;
	if (excess === 1 && oldestKey !== undefined) {
		// The steady state of a full store: the scan above already found the one to drop.
		delete keys[oldestKey];
		return;
	}
	const entries = Object.entries(keys).sort((a, b) => a[1] - b[1]);
	for (const [key] of entries.slice(0, excess)) delete keys[key];
}

/** Most scopes the journal keeps (one per trigger node that deduplicates); the least recently used goes first. */
const MAX_SCOPES = 1000;
const journals = new Map<string, KeyMap>();

function journalOf(scope: string): KeyMap {
	let journal = journals.get(scope);
	if (journal) {
		journals.delete(scope); // re-inserted below: Map order is least recently used first
	} else {
		journal = {};
		if (journals.size >= MAX_SCOPES) journals.delete(journals.keys().next().value as string);
	}
	journals.set(scope, journal);
	return journal;
}

const has = (keys: KeyMap, key: string, nowMs: number, ttlMs: number): boolean =>
	Object.prototype.hasOwnProperty.call(keys, key) && isLive(keys[key], nowMs, ttlMs);

/** Keys recorded through each store object (see forgetRecordedKeys). */
const recordedBy = new WeakMap<KeyMap, string[]>();

/** Stores that already carry their journal (one copy per request; a batch calls seenBefore once per event). */
const carried = new WeakSet<KeyMap>();

/** Copies the journal's live keys that `keys` lacks into it, so the next save of this store writes them too. */
function carryJournal(keys: KeyMap, journal: KeyMap, nowMs: number, options: DedupOptions): void {
	if (carried.has(keys)) return;
	carried.add(keys);
	let added = 0;
	for (const key in journal) {
		const at = journal[key];
		if (!isLive(at, nowMs, options.ttlMs) || has(keys, key, nowMs, options.ttlMs)) continue;
		keys[key] = at;
		added++;
	}
	if (added > 0) prune(keys, nowMs, options);
}

/**
 * True when `key` was recorded within `ttlMs` before `nowMs` (a duplicate: do not process it again).
 * Otherwise records the key at `nowMs` and returns false. Mutates `store` (the caller persists it).
 * With `options.scope`, also consults and feeds the process-wide journal of that scope.
 */
export function seenBefore(store: object, key: string, nowMs: number, options: DedupOptions): boolean {
	checkOptions(options);
	if (typeof key !== 'string' || key === '') throw new TypeError('dedup key must be a non-empty string');
	const keys = keyMapOf(store as Record<string, unknown>);
	const journal = options.scope ? journalOf(options.scope) : undefined;
	if (journal) {
		carryJournal(keys, journal, nowMs, options);
		if (has(journal, key, nowMs, options.ttlMs)) {
			if (!has(keys, key, nowMs, options.ttlMs)) keys[key] = journal[key];
			return true;
		}
	}
	if (has(keys, key, nowMs, options.ttlMs)) return true;
	keys[key] = nowMs;
	prune(keys, nowMs, options);
	const recorded = recordedBy.get(keys);
	if (recorded) recorded.push(key);
	else recordedBy.set(keys, [key]);
	if (journal) {
		journal[key] = nowMs;
		prune(journal, nowMs, options);
	}
	return false;
}

/** Forgets `key` (e.g. when processing it failed and a retry should be let through), in the journal too. */
export function forget(store: object, key: string, scope?: string): void {
	const keys = (store as Record<string, unknown>)[FIELD];
	if (keys && typeof keys === 'object') delete (keys as KeyMap)[key];
	if (scope !== undefined) delete journals.get(scope)?.[key];
}

/**
 * Forgets the keys that seenBefore recorded through this store object (not those it carried from the journal),
 * in the store and in the journal of `scope`: for a call that failed after recording and will be retried.
 */
export function forgetRecordedKeys(store: object, scope?: string): void {
	const keys = (store as Record<string, unknown>)[FIELD];
	if (!keys || typeof keys !== 'object') return;
	for (const key of recordedBy.get(keys as KeyMap) ?? []) forget(store, key, scope);
	recordedBy.delete(keys as KeyMap);
}

/** How many keys are currently remembered (for tests and diagnostics). */
export function rememberedCount(store: object): number {
	const keys = (store as Record<string, unknown>)[FIELD];
	return keys && typeof keys === 'object' ? Object.keys(keys).length : 0;
}
