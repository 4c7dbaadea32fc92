/** Send Notification through n8n-core's engine against the Slack emulator: routing, templates, blocks, digest, order. */
import type { SlackEmulator } from '../emulators/slack';
import { MAX_MESSAGE_BLOCKS_TEXT, messageBlocksSize } from '../emulators/slack/blocks';
import { byId, byName, runNotify, startSlack } from './helpers';

let emu: SlackEmulator;
let ch: Record<string, string>;

beforeAll(async () => {
	({ emu, channels: ch } = await startSlack({}, 50));
});
afterAll(async () => await emu.close());
beforeEach(() => {
	emu.reset();
	({ channels: ch } = { channels: Object.fromEntries(['marketing', 'sales', 'support', 'alerts'].map((n) => [n, (emu as any).state.findChannel(n)?.id ?? emu.addChannel({ name: n }).id])) });
});

const rules = {
	rules: [
		{ kind: 'eventType', value: 'new_subscriber, list_addition', channel: '#marketing' },
		{ kind: 'eventType', value: 'order_placed', channel: '#sales', template: 'order_alert' },
		{ kind: 'eventType', value: 'ticket_created, conversationStarted', channel: '#support' },
		{ kind: 'listId', value: '99', channel: '#sales' },
		{ kind: 'attribute', attribute: 'SEGMENT', operator: 'equals', value: 'vip', channel: '#sales' },
	],
};

const base = { operation: 'send', routing: rules, defaultChannel: byName('#alerts'), content: 'template', template: 'auto' };

describe('Send Notification: routing and templates', () => {
	it('routes each spec event to its channel with its template, resolving names with one conversations.list', async () => {
		const items = [
			{ event: 'list_addition', email: 'jane@acme.io', list_id: [3], contact_id: 11, attributes: { FIRSTNAME: 'Jane' } },
			{ event: 'order_placed', email: 'bob@shop.io', order: { id: 'O-1', amount: 1500, currency: 'EUR', first_order: true, products: [{ name: 'Desk' }] } },
			{ eventName: 'conversationStarted', conversationId: 'c1', visitor: { displayedName: 'V' }, message: { text: 'help' } },
			{ event: 'unsubscribed', email: 'u@x.io', 'campaign name': 'Spring', camp_id: 4 },
			{ event: 'hard_bounce', email: 'h@x.io', list_id: [99] },
			{ event: 'contact_updated', email: 'v@x.io', attributes: { SEGMENT: 'VIP' } },
		];
		const r = await runNotify(emu, base, items);
		expect(r.error).toBeUndefined();
		const out = r.outputOf('Slack Notify');
		expect(out.map((o) => [o.channel, o.template])).toEqual([
			[ch.marketing, 'subscriber_alert'],
			[ch.sales, 'order_alert'],
			[ch.support, 'ticket_alert'],
			[ch.alerts, 'unsubscribe_alert'],
			[ch.sales, 'generic_event'],
			[ch.sales, 'generic_event'],
		]);
		expect(r.itemsOf('Slack Notify').map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
		const sales = emu.messages(ch.sales);
		expect(sales).toHaveLength(3);
		expect(sales[0].text).toBe('New order O-1 from bob@shop.io: €1,500.00 (first order): Desk');
		const actions = (sales[0].blocks as any[]).find((b) => b.type === 'actions');
		expect(actions.elements[0]).toMatchObject({ url: 'https://app.brevo.com/contact/list', text: { text: 'View in Brevo' } });
		expect((emu.messages(ch.marketing)[0].blocks as any[]).find((b) => b.type === 'actions').elements[0].url).toBe('https://app.brevo.com/contact/index/11');
		expect(emu.messages(ch.alerts)[0].text).toBe('Unsubscribed: u@x.io (campaign Spring)');
		expect(emu.counters().calls['conversations.list']).toBe(1);
		for (const o of out) expect(o.ts).toMatch(/^\d+\.\d{6}$/);
	});

	it('campaign summary and cart templates from the Brevo triggers\' items', async () => {
		const items = [
			{ event: 'campaign_sent', campaign: { id: 12, name: 'Autumn', subject: 'Hi', sentDate: '2026-11-27T09:00:00Z' }, statistics: { sent: 200, delivered: 200, uniqueViews: 50, uniqueClicks: 10 } },
			{ event: 'cart_abandoned', contact: { email: 'c@x.io', id: 3 }, order: { id: 'cart-1', value: 80, currency: 'USD', products: [{ name: 'Mug', quantity: 2 }], url: 'https://shop/cart/1' } },
		];
		const r = await runNotify(emu, { ...base, routing: { rules: [{ kind: 'eventType', value: 'campaign_sent', channel: '#marketing' }, { kind: 'eventType', value: 'cart_abandoned', channel: '#sales' }] } }, items);
		expect(r.error).toBeUndefined();
		expect(r.outputOf('Slack Notify').map((o) => o.template)).toEqual(['campaign_summary', 'cart_alert']);
		const summary = emu.messages(ch.marketing)[0] as any;
		expect(summary.text).toBe('Campaign sent: Autumn (200 sent, open rate 25.0%, click rate 5.0%)');
		expect(summary.blocks.find((b: any) => b.type === 'actions').elements[0].url).toBe('https://app.brevo.com/camp/report/12');
		const cart = emu.messages(ch.sales)[0] as any;
		expect(cart.text).toBe('Cart abandoned by c@x.io: $80.00 (1 product)');
		expect(JSON.stringify(cart.blocks)).toContain('<https://shop/cart/1|open cart>');
	});

	it('sends to every matching rule once when asked, and uses the rule template per channel', async () => {
		const r = await runNotify(emu, { ...base, routeMode: 'all' }, [{ event: 'order_placed', email: 'a@b.c', list_id: [99], amount: 5 }]);
		const out = r.outputOf('Slack Notify');
		expect(out.map((o) => o.channel)).toEqual([ch.sales]);
		// The same channel by name in one rule and by id in another: still one message.
		const same = await runNotify(emu, { ...base, routeMode: 'all', routing: { rules: [{ kind: 'eventType', value: 'x', channel: '#alerts' }, { kind: 'eventType', value: 'x', channel: ch.alerts }] } }, [{ event: 'x' }]);
		expect(same.outputOf('Slack Notify')).toHaveLength(1);
		const r2 = await runNotify(emu, { ...base, routeMode: 'all', routing: { rules: [...rules.rules, { kind: 'eventType', value: 'order_placed', channel: ch.alerts, template: 'generic_event' }] } }, [{ event: 'order_placed', email: 'a@b.c', amount: 5 }]);
		expect(r2.outputOf('Slack Notify').map((o) => [o.channel, o.template])).toEqual([
			[ch.sales, 'order_alert'],
			[ch.alerts, 'generic_event'],
		]);
	});

	it('custom Block Kit ({blocks} object or bare array, with expressions) and plain text', async () => {
		const blocks = '={{ JSON.stringify({ blocks: [{ type: "section", text: { type: "mrkdwn", text: "Hi " + $json.name } }] }) }}';
		const r = await runNotify(emu, { operation: 'send', defaultChannel: byId(ch.alerts), content: 'blocks', blocks }, [{ name: 'Ann' }]);
		expect(r.error).toBeUndefined();
		const m = emu.messages(ch.alerts)[0];
		expect((m.blocks as any[])[0].text.text).toBe('Hi Ann');
		expect(m.text).toBe('Hi Ann');
		await runNotify(emu, { operation: 'send', defaultChannel: byId(ch.alerts), content: 'blocks', blocks: '[{"type":"divider"}]', text: 'fallback' }, [{}]);
		expect(emu.messages(ch.alerts)[1].text).toBe('fallback');
		await runNotify(emu, { operation: 'send', defaultChannel: byId(ch.alerts), content: 'text', text: '=Hello {{ $json.n }}' }, [{ n: 1 }]);
		expect(emu.messages(ch.alerts)[2].text).toBe('Hello 1');
	});

	it('refuses invalid blocks before ANY call to Slack, naming the block and the rule', async () => {
		const bad = JSON.stringify({ blocks: [{ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] });
		const r = await runNotify(emu, { operation: 'send', defaultChannel: byName('#alerts'), content: 'blocks', blocks: bad }, [{}, {}]);
		expect(r.error?.message).toBe('Invalid Block Kit: Block 1 (section), text.text: is 3,001 characters; Slack allows at most 3,000. Shorten it');
		expect(emu.counters().calls['chat.postMessage'] ?? 0).toBe(0);
		const unknown = await runNotify(emu, { operation: 'send', defaultChannel: byName('#alerts'), content: 'blocks', blocks: '[{"type":"sectoin"}]' }, [{}]);
		expect(unknown.error?.message).toMatch(/Block 0 \(sectoin\), type: unknown block type "sectoin"/);
		const many = await runNotify(emu, { operation: 'send', defaultChannel: byName('#alerts'), content: 'blocks', blocks: JSON.stringify(Array(51).fill({ type: 'divider' })) }, [{}]);
		expect(many.error?.message).toMatch(/51 blocks; Slack allows at most 50 per message/);
		// every section within its 3,000, but 12,500 characters together: Slack would answer msg_blocks_too_long
		const section = { type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(2500) } };
		const long = await runNotify(emu, { operation: 'send', defaultChannel: byName('#alerts'), content: 'blocks', blocks: JSON.stringify(Array(5).fill(section)) }, [{}]);
		expect(long.error?.message).toBe(
			'Invalid Block Kit: The blocks carry 12,500 characters of text, 13,125 counting 125 per block; Slack refuses a message over about 12,000 (msg_blocks_too_long). Shorten the text or split it over several messages',
		);
		expect(emu.counters().calls['chat.postMessage'] ?? 0).toBe(0);
	});

	it("shows Slack's own invalid_blocks pointers", async () => {
		// Valid for our checks, refused by Slack (the emulator validates like Slack: a button needs an action_id or url).
		emu.injectFault({ method: 'chat.postMessage', body: { ok: false, error: 'invalid_blocks', errors: ['must provide an object [json-pointer:/blocks/0/text]'] } });
		const r = await runNotify(emu, { operation: 'send', defaultChannel: byId(ch.alerts), content: 'blocks', blocks: '[{"type":"section","text":{"type":"mrkdwn","text":"x"}}]' }, [{}]);
		expect(r.error?.message).toMatch(/invalid_blocks/);
		expect(String((r.error as any).description)).toContain('Block 0 (section): must provide an object [json-pointer:/blocks/0/text]');
	});

	it('no rule and no default: a clear per-item error; Continue On Fail keeps the other items going', async () => {
		const p = { operation: 'send', routing: { rules: [{ kind: 'eventType', value: 'a', channel: '#sales' }] }, content: 'text', text: 'x' };
		const r = await runNotify(emu, p, [{ event: 'b' }]);
		expect(r.error?.message).toBe('No routing rule matched and no default channel is set');
		const c = await runNotify(emu, { ...p, defaultChannel: byName('#nope') }, [{ event: 'a' }, { event: 'b' }, { event: 'a' }], { continueOnFail: true });
		const out = c.outputOf('Slack Notify');
		expect(out.map((o) => o.ok)).toEqual([true, false, true]);
		expect(out[1].error).toBe('Channel #nope not found');
		expect(emu.messages(ch.sales)).toHaveLength(2);
	});

	it('keeps item order within each channel while channels interleave', async () => {
		const items = Array.from({ length: 24 }, (_, i) => ({ event: i % 3 === 0 ? 'order_placed' : 'list_addition', n: i }));
		const r = await runNotify(emu, { ...base, content: 'text', text: '=item {{ $json.n }}', options: { ratePerSecond: 50 } }, items);
		expect(r.error).toBeUndefined();
		const expectOrder = (channel: string, pred: (i: number) => boolean) =>
			expect(emu.messages(channel).map((m) => m.text)).toEqual(items.filter((_, i) => pred(i)).map((i) => `item ${i.n}`));
		expectOrder(ch.sales, (i) => i % 3 === 0);
		expectOrder(ch.marketing, (i) => i % 3 !== 0);
	});
});

describe('Send Notification: digest', () => {
	it('one message per channel for all items of the run', async () => {
		const items = Array.from({ length: 120 }, (_, i) => ({ event: i % 2 ? 'order_placed' : 'list_addition', email: `u${i}@x.io`, amount: i }));
		const r = await runNotify(emu, { ...base, digest: 'single' }, items);
		expect(r.error).toBeUndefined();
		expect(emu.messages(ch.sales)).toHaveLength(1);
		expect(emu.messages(ch.marketing)).toHaveLength(1);
		expect(emu.messages(ch.sales)[0].text).toBe('60 Brevo notifications: 60 orders');
		const out = r.outputOf('Slack Notify');
		expect(out).toHaveLength(120);
		expect(new Set(out.filter((o) => o.channel === ch.sales).map((o) => o.ts)).size).toBe(1);
		expect(out[1]).toMatchObject({ digest: 'message', digestSize: 60 });
	});

	it('1,000 events for one channel: every event delivered, each message under Slack\'s total block-text limit', async () => {
		// Slack refuses a message whose blocks carry more than about 13,000 characters (msg_blocks_too_long, bolt-js#2509);
		// the emulator refuses from 12,001. One 40,000-character digest message would be refused and all 1,000 lost.
		const items = Array.from({ length: 1000 }, (_, i) => ({ event: 'list_addition', email: `digest-${i}@example.com`, contact_id: 100_000 + i }));
		const r = await runNotify(emu, { ...base, digest: 'single', options: { ratePerSecond: 50 } }, items);
		expect(r.error).toBeUndefined();
		const msgs = emu.messages(ch.marketing);
		expect(msgs.length).toBeGreaterThan(1);
		for (const m of msgs) expect(messageBlocksSize(m.blocks)).toBeLessThanOrEqual(MAX_MESSAGE_BLOCKS_TEXT);
		const delivered = msgs.flatMap((m) => (m.blocks as any[]).filter((b) => b.type === 'section').flatMap((b) => String(b.text.text).split('\n')));
		const emails = delivered.map((line) => /digest-(\d+)@example\.com/.exec(line)?.[1]);
		expect(emails).toEqual(items.map((_, i) => String(i)));
		expect(emu.requests({ method: 'chat.postMessage' }).every((q) => q.status === 200 && (q.response as any).ok === true)).toBe(true);
		const out = r.outputOf('Slack Notify');
		expect(out).toHaveLength(1000);
		expect(out.every((o) => o.ok === true)).toBe(true);
		expect(new Set(out.map((o) => o.ts))).toEqual(new Set(msgs.map((m) => m.ts)));
	});

	it('summary parent plus one thread reply per item', async () => {
		const items = Array.from({ length: 5 }, (_, i) => ({ event: 'list_addition', email: `u${i}@x.io` }));
		const r = await runNotify(emu, { ...base, digest: 'thread', options: { ratePerSecond: 50 } }, items);
		expect(r.error).toBeUndefined();
		const msgs = emu.messages(ch.marketing);
		expect(msgs).toHaveLength(6);
		expect(msgs[0].text).toBe('5 Brevo notifications: 5 new subscribers');
		expect(msgs.slice(1).every((m) => m.thread_ts === msgs[0].ts)).toBe(true);
		expect(msgs.slice(1).map((m) => m.text)).toEqual(items.map((i) => `New subscriber: ${i.email}`));
	});
});
