/**
 * Thread keys (a contact email, an order id, a ticket id) -> the Slack thread that groups their notifications.
 *
 * Where the mapping lives, and why:
 * 1. Source of truth: Slack itself. The first message for a key (the thread parent) carries message metadata
 *    `{event_type: "slack_brevo_thread", event_payload: {thread_key: sha256(key), delivery_id}}`. It is durable,
 *    shared by every n8n process and worker, and survives restarts and database resets.
 * 2. Fast path: a bounded cache in the node's workflow static data (`channel|sha256(key)` -> parent ts + last use).
 *    n8n persists it after production executions, so most lookups cost no API call. It is only a cache: concurrent
 *    executions each write their own copy (last writer wins), and manual runs do not persist it.
 * 3. On a cache miss (another worker started the thread, the cache entry was lost to a concurrent write, or this is a
 *    manual run) the node can look the key up in the channel's recent history (`conversations.history`
 *    with `include_all_metadata`, bounded by a page budget and the thread lifetime). When several parents exist for
 *    one key (two executions raced on a brand-new key), every later lookup picks the OLDEST, so notifications
 *    converge on one thread.
 * Honest limits: two executions that both see a brand-new key at the same moment can each start a thread (Slack has no
 * compare-and-set); later messages converge on the oldest. History lookups cost a Tier 3 call, and non-Marketplace
 * apps created since 2025 get conversations.history at 1 request/min and 15 messages a page, so a lookup may wait up to
 * a minute (Retry-After) and only sees the most recent pages. Keys are stored hashed, never in clear.
 * Pure: no n8n imports.
 */
import { createHash } from 'node:crypto';

export const THREAD_EVENT_TYPE = 'slack_brevo_thread';
export const DELIVERY_EVENT_TYPE = 'slack_brevo_delivery';

/** sha256 of the trimmed key, first 32 hex characters: stable, short, and not the key itself. */
export function hashThreadKey(key: string): string {
	return createHash('sha256').update(key.trim()).digest('hex').slice(0, 32);
}

export interface ThreadCacheEntry {
	/** parent message ts */
	ts: string;
	/** last time (unix seconds) a message went to this thread */
	used: number;
}

export interface ThreadCacheOptions {
	/** most entries kept; the least recently used go first (default 2,000) */
	maxEntries?: number;
	/** a thread older than this (by parent ts) is not reused and a new one starts; 0 = forever (default 0) */
	maxAgeDays?: number;
	now?: () => number;
}

type Store = Record<string, ThreadCacheEntry>;

const TOUCH_EVERY_SEC = 12 * 3600;

/**
 * The cache over a plain object (the node's static data). Mutates `container[field]` in place so n8n sees the change
 * when it saves static data after the execution.
 */
export class ThreadCache {
	private readonly maxEntries: number;
	private readonly maxAgeSec: number;
	private readonly now: () => number;

	/**
	 * Nothing is written to static data until a thread is stored, and `used` is refreshed at most every 12 hours:
	 * n8n saves a workflow's static data as a whole when any part changed, so a needless write at the end of an
	 * execution would put back an older copy of other nodes' state (e.g. a trigger's duplicate-delivery keys saved
	 * by webhook() while this execution ran).
	 */
	constructor(
		private readonly container: Record<string, unknown>,
		private readonly field = 'slackThreads',
		o: ThreadCacheOptions = {},
	) {
		this.maxEntries = o.maxEntries ?? 2000;
		this.maxAgeSec = (o.maxAgeDays ?? 0) * 86400;
		this.now = o.now ?? Date.now;
	}

	private get store(): Store {
		const existing = this.container[this.field];
		return existing && typeof existing === 'object' && !Array.isArray(existing) ? (existing as Store) : {};
	}

	private id(channel: string, key: string): string {
		return `${channel}|${hashThreadKey(key)}`;
	}

	/** Oldest parent ts still usable (unix seconds), or 0 when threads never expire. */
	oldestUsable(): number {
		return this.maxAgeSec > 0 ? Math.floor(this.now() / 1000) - this.maxAgeSec : 0;
	}

	get(channel: string, key: string): string | undefined {
		const e = this.store[this.id(channel, key)];
		if (!e || typeof e.ts !== 'string') return undefined;
		if (this.maxAgeSec > 0 && Number(e.ts) < this.oldestUsable()) return undefined;
		return e.ts;
	}

	set(channel: string, key: string, ts: string): void {
		if (this.store !== this.container[this.field]) this.container[this.field] = {};
		this.store[this.id(channel, key)] = { ts, used: Math.floor(this.now() / 1000) };
		this.prune();
	}

	touch(channel: string, key: string): void {
		const e = this.store[this.id(channel, key)];
		const now = Math.floor(this.now() / 1000);
		if (e && now - e.used > TOUCH_EVERY_SEC) e.used = now;
	}

	delete(channel: string, key: string): void {
		const id = this.id(channel, key);
		if (id in this.store) delete this.store[id];
	}

	size(): number {
		return Object.keys(this.store).length;
	}

	private prune(): void {
		const keys = Object.keys(this.store);
		const expired = this.oldestUsable();
		for (const k of keys) {
			if (expired > 0 && Number(this.store[k].ts) < expired) delete this.store[k];
		}
		const left = Object.keys(this.store);
		if (left.length <= this.maxEntries) return;
		left
			.sort((a, b) => this.store[a].used - this.store[b].used)
			.slice(0, left.length - this.maxEntries)
			.forEach((k) => delete this.store[k]);
	}
}

export interface HistoryMessage {
	ts?: string;
	thread_ts?: string;
	metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

export interface HistoryPage {
	messages?: HistoryMessage[];
	next_cursor?: string;
}

/** Metadata for a thread parent. */
export function threadParentMetadata(key: string, deliveryId: string) {
	return { event_type: THREAD_EVENT_TYPE, event_payload: { thread_key: hashThreadKey(key), delivery_id: deliveryId } };
}

/** Metadata for any other message the node posts (lets an ambiguous failure be checked instead of re-sent). */
export function deliveryMetadata(deliveryId: string) {
	return { event_type: DELIVERY_EVENT_TYPE, event_payload: { delivery_id: deliveryId } };
}

/**
 * Reads at most `maxPages` pages of channel history (newest first) once and indexes every thread parent found:
 * hashed key -> OLDEST parent ts (so racing executions converge on one thread). One index per channel serves all the
 * keys of an execution, so a run with many new keys costs the same few history calls as a run with one.
 */
export async function indexThreadsInHistory(fetchPage: (cursor?: string) => Promise<HistoryPage>, maxPages: number): Promise<Map<string, string>> {
	const index = new Map<string, string>();
	let cursor: string | undefined;
	for (let page = 0; page < maxPages; page++) {
		const res = await fetchPage(cursor);
		for (const m of res.messages ?? []) {
			if (m.metadata?.event_type !== THREAD_EVENT_TYPE || typeof m.ts !== 'string') continue;
			const key = m.metadata.event_payload?.thread_key;
			if (typeof key !== 'string') continue;
			const seen = index.get(key);
			if (seen === undefined || Number(m.ts) < Number(seen)) index.set(key, m.ts);
		}
		cursor = res.next_cursor || undefined;
		if (!cursor) break;
	}
	return index;
}

/** Looks one thread key up in channel history (see indexThreadsInHistory): the oldest parent ts, or undefined. */
export async function findThreadInHistory(
	fetchPage: (cursor?: string) => Promise<HistoryPage>,
	key: string,
	maxPages: number,
): Promise<string | undefined> {
	const wanted = hashThreadKey(key);
	let cursor: string | undefined;
	let found: string | undefined;
	for (let page = 0; page < maxPages; page++) {
		const res = await fetchPage(cursor);
		for (const m of res.messages ?? []) {
			if (m.metadata?.event_type !== THREAD_EVENT_TYPE) continue;
			if (m.metadata.event_payload?.thread_key !== wanted || typeof m.ts !== 'string') continue;
			if (found === undefined || Number(m.ts) < Number(found)) found = m.ts;
		}
		cursor = res.next_cursor || undefined;
		if (!cursor) break;
	}
	return found;
}

/** Looks for a message carrying the given delivery id (after an ambiguous failure): its ts, or undefined. */
export async function findDelivery(
	fetchPage: (cursor?: string) => Promise<HistoryPage>,
	deliveryId: string,
	maxPages: number,
): Promise<string | undefined> {
	let cursor: string | undefined;
	for (let page = 0; page < maxPages; page++) {
		const res = await fetchPage(cursor);
		for (const m of res.messages ?? []) {
			if (m.metadata?.event_payload?.delivery_id === deliveryId && typeof m.ts === 'string') return m.ts;
		}
		cursor = res.next_cursor || undefined;
		if (!cursor) break;
	}
	return undefined;
}

/** A delivery id that is the same for the same execution, item, channel and part, and differs otherwise. */
export function deliveryIdFor(executionId: string, itemIndex: number, channel: string, part = 0): string {
	return createHash('sha256').update(`${executionId}|${itemIndex}|${channel}|${part}`).digest('hex').slice(0, 24);
}
