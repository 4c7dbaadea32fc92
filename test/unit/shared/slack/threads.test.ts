import { ThreadCache, findThreadInHistory, findDelivery, hashThreadKey, threadParentMetadata, deliveryIdFor, THREAD_EVENT_TYPE } from '../../../../nodes/shared/slack/threads';

describe('ThreadCache', () => {
	it('stores hashed keys per channel in the given object and reads them back after a "restart"', () => {
		const staticData: Record<string, unknown> = {};
		const c = new ThreadCache(staticData, 'slackThreads', { now: () => 1_700_000_000_000 });
		c.set('C1', 'jane@acme.io', '1700000000.000100');
		expect(c.get('C1', 'jane@acme.io')).toBe('1700000000.000100');
		expect(c.get('C2', 'jane@acme.io')).toBeUndefined();
		expect(JSON.stringify(staticData)).not.toContain('jane@acme.io');
		const persisted = JSON.parse(JSON.stringify(staticData));
		expect(new ThreadCache(persisted).get('C1', ' jane@acme.io ')).toBe('1700000000.000100');
	});
	it('evicts least recently used entries beyond maxEntries', () => {
		let t = 1_700_000_000_000;
		const data: Record<string, unknown> = {};
		const c = new ThreadCache(data, 'f', { maxEntries: 2, now: () => t });
		const halfDay = 12 * 3600 * 1000;
		c.set('C', 'a', '1.1');
		t += 1000;
		c.set('C', 'b', '1.2');
		t += halfDay + 1000; // recency is kept at a 12-hour grain (fewer static-data writes)
		c.touch('C', 'a');
		t += 1000;
		c.set('C', 'c', '1.3');
		expect(c.size()).toBe(2);
		expect(c.get('C', 'b')).toBeUndefined();
		expect(c.get('C', 'a')).toBe('1.1');
	});
	it('writes nothing to static data until a thread is stored, and touches at most every 12 hours', () => {
		let t = 1_700_000_000_000;
		const data: Record<string, unknown> = {};
		const c = new ThreadCache(data, 'f', { now: () => t });
		expect(c.get('C', 'a')).toBeUndefined();
		c.touch('C', 'a');
		c.delete('C', 'a');
		expect(data).toEqual({});
		c.set('C', 'a', '1.1');
		const stored = JSON.stringify(data);
		t += 3600 * 1000;
		c.touch('C', 'a');
		expect(JSON.stringify(data)).toBe(stored);
		t += 12 * 3600 * 1000;
		c.touch('C', 'a');
		expect(JSON.stringify(data)).not.toBe(stored);
	});
	it('does not reuse threads older than maxAgeDays', () => {
		const now = 1_700_000_000_000;
		const c = new ThreadCache({}, 'f', { maxAgeDays: 7, now: () => now });
		c.set('C', 'old', String(now / 1000 - 8 * 86400));
		c.set('C', 'new', String(now / 1000 - 86400));
		expect(c.get('C', 'old')).toBeUndefined();
		expect(c.get('C', 'new')).toBeDefined();
	});
	it('recovers from garbage in static data', () => {
		const data: Record<string, unknown> = { slackThreads: 'corrupt' };
		expect(new ThreadCache(data).get('C', 'x')).toBeUndefined();
	});
});

describe('history lookups', () => {
	const parent = (key: string, ts: string) => ({ ts, metadata: threadParentMetadata(key, 'd') });
	it('finds the OLDEST parent for a key across pages, within the page budget', async () => {
		const pages: Record<string, any> = {
			start: { messages: [parent('k', '30.0'), { ts: '29.0' }, parent('other', '28.0')], next_cursor: 'p2' },
			p2: { messages: [parent('k', '20.0'), parent('k', '25.0')], next_cursor: 'p3' },
			p3: { messages: [parent('k', '10.0')], next_cursor: '' },
		};
		const calls: Array<string | undefined> = [];
		const fetch = async (cursor?: string) => {
			calls.push(cursor);
			return pages[cursor ?? 'start'];
		};
		expect(await findThreadInHistory(fetch, 'k', 10)).toBe('10.0');
		expect(calls).toEqual([undefined, 'p2', 'p3']);
		expect(await findThreadInHistory(fetch, 'k', 2)).toBe('20.0');
		expect(await findThreadInHistory(fetch, 'missing', 10)).toBeUndefined();
	});
	it('findDelivery matches the delivery id in any of our metadata', async () => {
		const fetch = async () => ({ messages: [{ ts: '1.0', metadata: { event_type: 'slack_brevo_delivery', event_payload: { delivery_id: 'abc' } } }] });
		expect(await findDelivery(fetch, 'abc', 1)).toBe('1.0');
		expect(await findDelivery(fetch, 'zzz', 1)).toBeUndefined();
	});
	it('ids and metadata', () => {
		expect(hashThreadKey('a')).toHaveLength(32);
		expect(threadParentMetadata('a', 'd')).toEqual({ event_type: THREAD_EVENT_TYPE, event_payload: { thread_key: hashThreadKey('a'), delivery_id: 'd' } });
		expect(deliveryIdFor('e1', 0, 'C1')).toBe(deliveryIdFor('e1', 0, 'C1'));
		expect(deliveryIdFor('e1', 0, 'C1')).not.toBe(deliveryIdFor('e1', 1, 'C1'));
	});
});

import { indexThreadsInHistory } from '../../../../nodes/shared/slack/threads';

describe('indexThreadsInHistory', () => {
	it('indexes every parent of the pages read, oldest per key', async () => {
		const page = { messages: [{ ts: '5.0', metadata: threadParentMetadata('a', 'x') }, { ts: '3.0', metadata: threadParentMetadata('a', 'y') }, { ts: '4.0', metadata: threadParentMetadata('b', 'z') }, { ts: '2.0' }] };
		const index = await indexThreadsInHistory(async () => page, 1);
		expect(index.get(hashThreadKey('a'))).toBe('3.0');
		expect(index.get(hashThreadKey('b'))).toBe('4.0');
		expect(index.size).toBe(2);
	});
});
