/**
 * A small, bounded "have I seen this delivery before?" store kept inside a plain object.
 *
 * Triggers keep the object in workflow static data (`this.getWorkflowStaticData('node')`), which n8n persists
 * after production webhook calls, so deduplication survives restarts and is shared by every process that loads
 * the workflow from the database. It is NOT a lock: two processes handling the same key at the same instant can
 * both answer "not seen" (Slack and Brevo retry at least tens of seconds apart, so this race is not the
 * retry case). No n8n imports: tested directly.
 */

export interface DedupOptions {
	/** How long a key is remembered, in milliseconds. */
	ttlMs: number;
	/** The most keys kept; the oldest are dropped first. Keeps static data small. */
	max: number;
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

/**
 * True when `key` was recorded within `ttlMs` before `nowMs` (a duplicate: do not process it again).
 * Otherwise records the key at `nowMs` and returns false. Mutates `store` (the caller persists it).
 */
export function seenBefore(store: object, key: string, nowMs: number, options: DedupOptions): boolean {
	checkOptions(options);
	if (typeof key !== 'string' || key === '') throw new TypeError('dedup key must be a non-empty string');
	const keys = keyMapOf(store as Record<string, unknown>);
	if (Object.prototype.hasOwnProperty.call(keys, key) && isLive(keys[key], nowMs, options.ttlMs)) return true;
	keys[key] = nowMs;
	prune(keys, nowMs, options);
	return false;
}

/** Forgets `key` (e.g. when processing it failed and a retry should be let through). */
export function forget(store: object, key: string): void {
	const keys = (store as Record<string, unknown>)[FIELD];
	if (keys && typeof keys === 'object') delete (keys as KeyMap)[key];
}

/** How many keys are currently remembered (for tests and diagnostics). */
export function rememberedCount(store: object): number {
	const keys = (store as Record<string, unknown>)[FIELD];
	return keys && typeof keys === 'object' ? Object.keys(keys).length : 0;
}
