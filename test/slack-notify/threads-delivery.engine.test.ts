/**
 * Threads across executions and restarts, concurrency, rate limiting (429 + Retry-After), ambiguous failures,
 * not_in_channel joins: Send Notification through n8n-core's engine against the Slack emulator.
 */
import type { SlackEmulator } from '../emulators/slack';
import { byId, runNotify, startSlack } from './helpers';

let emu: SlackEmulator;
let ch: Record<string, string>;

beforeAll(async () => {
	({ emu, channels: ch } = await startSlack({}, 100));
});
afterAll(async () => await emu.close());
beforeEach(() => {
	emu.reset();
	ch = Object.fromEntries(['marketing', 'sales', 'support', 'alerts'].map((n) => [n, (emu as any).state.findChannel(n)?.id ?? emu.addChannel({ name: n }).id]));
});

const threaded = (channel: string, extra: object = {}) => ({
	operation: 'send',
	defaultChannel: byId(channel),
	content: 'text',
	text: '={{ $json.event }} for {{ $json.order }}',
	threadKey: '={{ $json.order }}',
	options: { ratePerSecond: 100, ...extra },
});

describe('threads', () => {
	it('first notification for a key starts a thread, later ones (same run and later runs) reply in it', async () => {
		const r1 = await runNotify(emu, threaded(ch.sales), [{ event: 'order_placed', order: 'O-1' }, { event: 'paid', order: 'O-1' }, { event: 'order_placed', order: 'O-2' }]);
		expect(r1.error).toBeUndefined();
		const out1 = r1.outputOf('Slack Notify');
		expect(out1.map((o) => o.threadStarted)).toEqual([true, false, true]);
		expect(out1[1].thread_ts).toBe(out1[0].ts);
		expect(r1.staticDataChanged).toBe(true);
		expect(JSON.stringify(r1.staticData)).not.toContain('O-1'); // keys are stored hashed

		const r2 = await runNotify(emu, threaded(ch.sales), [{ event: 'shipped', order: 'O-1' }], { staticData: r1.staticData });
		const out2 = r2.outputOf('Slack Notify');
		expect(out2[0]).toMatchObject({ threadStarted: false, thread_ts: out1[0].ts });
		const msgs = emu.messages(ch.sales);
		expect(msgs.filter((m) => !m.thread_ts || m.thread_ts === m.ts)).toHaveLength(2);
		expect(msgs.filter((m) => m.thread_ts === out1[0].ts && m.ts !== out1[0].ts).map((m) => m.text)).toEqual(['paid for O-1', 'shipped for O-1']);
		// The parent carries the key in its metadata: the source of truth other workers and restarts find.
		expect(msgs.find((m) => m.ts === out1[0].ts)?.metadata).toMatchObject({ event_type: 'slack_brevo_thread' });
		// One history read in run 1 served both new keys; run 2 was answered by the static-data cache.
		expect(emu.counters().calls['conversations.history'] ?? 0).toBe(1);
	});

	it('after a restart that lost the cache (or on another worker), the key is found in Slack by its metadata', async () => {
		const r1 = await runNotify(emu, threaded(ch.sales), [{ event: 'order_placed', order: 'O-9' }]);
		const parent = r1.outputOf('Slack Notify')[0].ts;
		const r2 = await runNotify(emu, threaded(ch.sales), [{ event: 'refund', order: 'O-9' }], { staticData: {} });
		expect(r2.outputOf('Slack Notify')[0]).toMatchObject({ threadStarted: false, thread_ts: parent });
		const history = emu.requests({ method: 'conversations.history' });
		expect(history.length).toBeGreaterThanOrEqual(1);
		expect(history[history.length - 1].body).toMatchObject({ include_all_metadata: 'true' });
	});

	it('with the Slack lookup off and no cache, a new thread starts (documented limit)', async () => {
		await runNotify(emu, threaded(ch.sales), [{ event: 'a', order: 'O-5' }]);
		const r = await runNotify(emu, threaded(ch.sales, { threadLookup: false }), [{ event: 'b', order: 'O-5' }], { staticData: {} });
		expect(r.outputOf('Slack Notify')[0].threadStarted).toBe(true);
	});

	it('two concurrent executions racing on a brand-new key: later notifications converge on the oldest thread', async () => {
		const shared = {};
		const [a, b] = await Promise.all([
			runNotify(emu, threaded(ch.sales), [{ event: 'a', order: 'O-7' }], { staticData: shared }),
			runNotify(emu, threaded(ch.sales), [{ event: 'b', order: 'O-7' }], { staticData: shared }),
		]);
		const parents = [a, b].map((r) => r.outputOf('Slack Notify')[0]).filter((o) => o.threadStarted).map((o) => String(o.ts));
		expect(parents.length).toBeGreaterThanOrEqual(1);
		const oldest = parents.sort((x, y) => Number(x) - Number(y))[0];
		// A third execution whose cache holds neither (another worker) picks the oldest parent.
		const c = await runNotify(emu, threaded(ch.sales), [{ event: 'c', order: 'O-7' }], { staticData: {} });
		expect(c.outputOf('Slack Notify')[0]).toMatchObject({ threadStarted: false, thread_ts: oldest });
	});

	it('thread replies can also go to the channel', async () => {
		const r = await runNotify(emu, threaded(ch.sales, { replyBroadcast: true }), [{ event: 'a', order: 'O-3' }, { event: 'b', order: 'O-3' }]);
		expect(r.error).toBeUndefined();
		const reply = emu.messages(ch.sales).find((m) => m.text === 'b for O-3') as any;
		expect(reply.thread_ts).toBeDefined();
		expect(emu.requests({ method: 'chat.postMessage' }).pop()?.body).toMatchObject({ reply_broadcast: 'true' });
	});
});

describe('rate limits and delivery', () => {
	it('a burst beyond Slack\'s per-channel rate: 429s are waited out (Retry-After), nothing lost or duplicated, order kept', async () => {
		const items = Array.from({ length: 12 }, (_, i) => ({ n: i }));
		emu.rateLimits.postMessageBurst = 2;
		emu.rateLimits.postMessagePerSecond = 0.05; // x100 time scale: 5 messages/s, so a 1000/s sender is refused
		const r = await runNotify(emu, { operation: 'send', defaultChannel: byId(ch.alerts), content: 'text', text: '=n{{ $json.n }}', options: { ratePerSecond: 1000 } }, items);
		expect(r.error).toBeUndefined();
		const out = r.outputOf('Slack Notify');
		expect(out.every((o) => o.ok)).toBe(true);
		expect(out.reduce((n, o) => n + Number(o.rateLimited), 0)).toBeGreaterThan(0);
		expect(emu.counters().ratelimited['chat.postMessage']).toBeGreaterThan(0);
		expect(emu.messages(ch.alerts).map((m) => m.text)).toEqual(items.map((i) => `n${i.n}`));
	});

	it('a 5xx (Slack may or may not have posted) is checked by delivery id before re-sending: exactly one message', async () => {
		emu.injectFault({ method: 'chat.postMessage', status: 500, times: 1 });
		const r = await runNotify(emu, { operation: 'send', defaultChannel: byId(ch.alerts), content: 'text', text: 'once', options: { verifyDelaySeconds: 0 } }, [{}]);
		expect(r.error).toBeUndefined();
		expect(r.outputOf('Slack Notify')[0]).toMatchObject({ ok: true, attempts: 2 });
		expect(emu.messages(ch.alerts).map((m) => m.text)).toEqual(['once']);
	});

	it('a timeout while Slack still posts: found by its delivery id, not re-sent (no duplicate)', async () => {
		emu.injectFault({ method: 'chat.postMessage', delayMs: 1500, times: 1 });
		const r = await runNotify(emu, { operation: 'send', defaultChannel: byId(ch.alerts), content: 'text', text: 'slow', options: { timeoutSeconds: 1, verifyDelaySeconds: 1 } }, [{}]);
		expect(r.error).toBeUndefined();
		expect(r.outputOf('Slack Notify')[0]).toMatchObject({ ok: true, verifiedAfterError: true, attempts: 1 });
		expect(emu.messages(ch.alerts).map((m) => m.text)).toEqual(['slow']);
	});

	it('with checking off, an ambiguous failure is reported, never re-sent', async () => {
		emu.injectFault({ method: 'chat.postMessage', status: 503, times: 1 });
		const r = await runNotify(emu, { operation: 'send', defaultChannel: byId(ch.alerts), content: 'text', text: 'x', options: { verifyAmbiguous: false } }, [{}, {}], { continueOnFail: true });
		const out = r.outputOf('Slack Notify');
		expect(out[0].ok).toBe(false);
		expect(String(out[0].error)).toMatch(/delivery unknown/);
		expect(out[1].ok).toBe(true);
		expect(emu.counters().calls['chat.postMessage']).toBe(2);
	});

	it('not_in_channel: joins a public channel when allowed and posts once; otherwise says how to fix it', async () => {
		const lonely = emu.addChannel({ name: 'lonely', members: ['U0ADMIN001'] }).id;
		const no = await runNotify(emu, { operation: 'send', defaultChannel: byId(lonely), content: 'text', text: 'hi' }, [{}]);
		expect(no.error?.message).toMatch(/not_in_channel/);
		expect(String((no.error as any).description)).toMatch(/\/invite/);
		const yes = await runNotify(emu, { operation: 'send', defaultChannel: byId(lonely), content: 'text', text: 'hi', options: { joinChannels: true } }, [{}]);
		expect(yes.error).toBeUndefined();
		expect(yes.outputOf('Slack Notify')[0]).toMatchObject({ ok: true, joinedChannel: true });
		expect(emu.messages(lonely).filter((m) => m.text === 'hi')).toHaveLength(1);
	});

	it('without Continue On Fail, the first refused post fails the node and later items in that channel are not sent', async () => {
		emu.injectFault({ method: 'chat.postMessage', error: 'is_archived', times: 1 });
		const r = await runNotify(emu, { operation: 'send', defaultChannel: byId(ch.alerts), content: 'text', text: '=m{{ $json.n }}' }, [{ n: 1 }, { n: 2 }]);
		expect(r.error?.message).toMatch(/is_archived/);
		expect(emu.messages(ch.alerts)).toHaveLength(0);
	});
});

describe('threads with the 2025 history limits (non-Marketplace apps: 15 messages a page, 1 call a minute)', () => {
	it('finds a parent within the pages it may read (waiting out the per-minute limit), not beyond them', async () => {
		const restricted = await startSlack({ restrictedHistory: true } as never, 100);
		try {
			const chan = restricted.channels.sales;
			const first = await runNotify(restricted.emu, threaded(chan), [{ event: 'a', order: 'R-1' }]);
			const parent = first.outputOf('Slack Notify')[0].ts;
			// 20 unrelated messages push the parent off the first 15-message page.
			await runNotify(restricted.emu, { operation: 'send', defaultChannel: byId(chan), content: 'text', text: '=filler {{ $json.n }}', options: { ratePerSecond: 100 } }, Array.from({ length: 20 }, (_, n) => ({ n })));
			const onePage = await runNotify(restricted.emu, threaded(chan, { threadLookupPages: 1 }), [{ event: 'b', order: 'R-1' }], { staticData: {} });
			expect(onePage.outputOf('Slack Notify')[0].threadStarted).toBe(true);
			const twoPages = await runNotify(restricted.emu, threaded(chan, { threadLookupPages: 3 }), [{ event: 'c', order: 'R-1' }], { staticData: {} });
			expect(twoPages.error).toBeUndefined();
			expect(twoPages.outputOf('Slack Notify')[0]).toMatchObject({ threadStarted: false, thread_ts: parent });
			expect(restricted.emu.counters().ratelimited['conversations.history']).toBeGreaterThan(0);
		} finally {
			await restricted.emu.close();
		}
	});
});

describe('ambiguous failure on a thread reply', () => {
	it('is checked in the thread (conversations.replies) by its delivery id: no duplicate reply', async () => {
		const r1 = await runNotify(emu, threaded(ch.support), [{ event: 'opened', order: 'T-1' }]);
		const parent = r1.outputOf('Slack Notify')[0].ts;
		emu.injectFault({ method: 'chat.postMessage', delayMs: 1500, times: 1 });
		const r2 = await runNotify(emu, threaded(ch.support, { timeoutSeconds: 1, verifyDelaySeconds: 1 }), [{ event: 'replied', order: 'T-1' }], { staticData: r1.staticData });
		expect(r2.error).toBeUndefined();
		expect(r2.outputOf('Slack Notify')[0]).toMatchObject({ ok: true, verifiedAfterError: true, thread_ts: parent });
		expect(emu.messages(ch.support).filter((m) => m.text === 'replied for T-1')).toHaveLength(1);
		expect(emu.requests({ method: 'conversations.replies' }).length).toBeGreaterThan(0);
	});
});
