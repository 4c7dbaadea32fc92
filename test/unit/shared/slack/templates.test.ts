import { renderTemplate, templateForEvent, brevoContactUrl, brevoCampaignUrl, escapeMrkdwn, formatMoney, campaignStatsOf, TEMPLATE_NAMES } from '../../../../nodes/shared/slack/templates';
import { messageBlocksSize, MESSAGE_BLOCKS_TEXT_BUDGET, validateBlocks } from '../../../../nodes/shared/slack/blocks';

const button = (blocks: any[]) => blocks.find((b) => b.type === 'actions')?.elements.find((e: any) => e.action_id === 'brevo_view');
const allText = (blocks: any[]) => JSON.stringify(blocks);

describe('templates', () => {
	it('subscriber alert: names, list, contact link, plain-text fallback, valid blocks', () => {
		const m = renderTemplate('auto', { event: 'list_addition', email: 'jane@acme.io', list_id: [12], contact_id: 42, attributes: { FIRSTNAME: 'Jane', LASTNAME: 'Doe' } });
		expect(m.text).toBe('New subscriber: Jane Doe (jane@acme.io) joined list 12');
		expect(button(m.blocks).url).toBe('https://app.brevo.com/contact/index/42');
		expect(m.blocks[0]).toMatchObject({ type: 'header' });
		expect(allText(m.blocks)).toContain('jane@acme.io');
		validateBlocks(m.blocks, 'message', m.text);
	});
	it('order alert: customer, amount with currency, products, first-order flag', () => {
		const m = renderTemplate('order_alert', {
			event: 'order_placed',
			email: 'bob@shop.io',
			contactId: 7,
			order: { id: 'ORD-1', amount: 1249.5, currency: 'EUR', first_order: true, products: [{ name: 'Chair', quantity: 2, price: 400 }, { name: 'Desk <XL>', price: 449.5 }] },
		});
		// the top-level text is mrkdwn too (Slack parses it for notifications): data in it is escaped
		expect(m.text).toBe('New order ORD-1 from bob@shop.io: €1,249.50 (first order): Chair, Desk &lt;XL&gt;');
		const t = allText(m.blocks);
		expect(t).toContain('€1,249.50');
		expect(t).toContain('2 × Chair — €400.00');
		expect(t).toContain('Desk &lt;XL&gt;');
		expect(t).toContain('Yes, first order');
		expect(button(m.blocks).url).toBe('https://app.brevo.com/contact/index/7');
		validateBlocks(m.blocks);
		const notFirst = renderTemplate('order_alert', { amount: '10', email: 'x@y.z', firstOrder: 'false' });
		expect(allText(notFirst.blocks)).toContain('*First order*\\nNo');
	});
	it('cart alert with checkout link and product count', () => {
		const m = renderTemplate('auto', { event: 'cart_abandoned', email: 'c@d.e', cart: { id: 'cart-9', total: 80, currency: 'USD', url: 'https://shop/cart/9', items: [{ name: 'Mug', quantity: 3 }] } });
		expect(m.text).toBe('Cart abandoned by c@d.e: $80.00 (1 product)');
		expect(allText(m.blocks)).toContain('<https://shop/cart/9|open cart>');
		expect(allText(m.blocks)).toContain('*Items*\\n3');
		validateBlocks(m.blocks);
	});
	it('ticket alert from a Brevo Conversations webhook', () => {
		const m = renderTemplate('auto', {
			eventName: 'conversationStarted',
			conversationId: 'conv-1',
			message: { text: 'My order is late', createdAt: 1700000000000 },
			visitor: { displayedName: 'Visitor #1', email: 'v@x.io' },
		});
		expect(m.text).toBe('New ticket conv-1 from Visitor #1 (v@x.io): My order is late');
		expect(allText(m.blocks)).toContain('>My order is late');
		expect(allText(m.blocks)).toContain('2023-11-14T22:13:20Z');
		validateBlocks(m.blocks);
	});
	it("ticket alert shows the page of Brevo's raw conversationStartPage object ({link, title}) and of the trigger's startPage", () => {
		const raw = renderTemplate('auto', {
			eventName: 'conversationStarted',
			conversationId: 'conv-2',
			conversationStartPage: { link: 'https://shop.example/help', title: 'Help' },
			visitor: { email: 'v@x.io' },
		});
		expect(allText(raw.blocks)).toContain('https://shop.example/help');
		const normalised = renderTemplate('auto', { event: 'ticket_created', contact: { email: 'v@x.io' }, ticket: { id: 'conv-3', startPage: 'https://shop.example/faq' } });
		expect(allText(normalised.blocks)).toContain('https://shop.example/faq');
		const noPage = renderTemplate('auto', { eventName: 'conversationStarted', conversationId: 'c4', conversationStartPage: { title: 'Help' } });
		expect(allText(noPage.blocks)).not.toContain('*Page*');
	});
	it('unsubscribe alert from a marketing webhook', () => {
		const m = renderTemplate('auto', { event: 'unsubscribed', email: 'u@x.io', 'campaign name': 'Spring', camp_id: 5, list_id: [3, 42] });
		expect(m.text).toBe('Unsubscribed: u@x.io (campaign Spring)');
		expect(button(m.blocks).url).toBe('https://app.brevo.com/camp/report/5');
		expect(allText(m.blocks)).toContain('3, 42');
		validateBlocks(m.blocks);
	});
	it('campaign summary with rates from globalStats and a campaign link', () => {
		const m = renderTemplate('auto', {
			event: 'campaign_sent',
			campaign: { id: 31, name: 'Black Friday', subject: 'Deals', sentDate: '2026-11-27T10:00:00Z', statistics: { globalStats: { sent: 1000, delivered: 980, uniqueViews: 490, uniqueClicks: 98, unsubscriptions: 2, hardBounces: 5, softBounces: 15 } } },
		});
		expect(m.text).toBe('Campaign sent: Black Friday (1000 sent, open rate 50.0%, click rate 10.0%)');
		expect(button(m.blocks).url).toBe('https://app.brevo.com/camp/report/31');
		expect(allText(m.blocks)).toContain('490 (50.0%)');
		expect(allText(m.blocks)).toContain('20 (2.0%)');
		validateBlocks(m.blocks);
	});
	it('campaign stats summed from campaignStats when globalStats is empty', () => {
		expect(campaignStatsOf({ statistics: { globalStats: {}, campaignStats: [{ sent: 2, uniqueViews: 1 }, { sent: 3 }] } })).toEqual({ sent: 5, uniqueViews: 1 });
	});
	it('generic template hides secret-looking fields; every template renders valid blocks for an empty item', () => {
		const m = renderTemplate('auto', { event: 'hard_bounce', email: 'x@y.z', api_key: 'xkeysib-secret', reason: 'mailbox full' });
		expect(allText(m.blocks)).not.toContain('xkeysib');
		expect(m.text).toBe('Brevo hard_bounce: x@y.z');
		for (const name of TEMPLATE_NAMES) {
			const r = renderTemplate(name, {});
			validateBlocks(r.blocks, 'message', r.text);
			expect(r.text.length).toBeGreaterThan(0);
			expect(button(r.blocks)).toBeDefined();
		}
	});
	it('options: title, note, extra action buttons, custom app url', () => {
		const m = renderTemplate('subscriber_alert', { email: 'a@b.c', contact_id: 1 }, {
			title: 'Hello',
			note: 'cc <!subteam^S1>',
			brevoAppUrl: 'https://app.brevo.eu/',
			actions: [{ text: 'Add to VIP', actionId: 'add_vip', style: 'primary' }],
		});
		expect(m.blocks[0]).toMatchObject({ text: { text: 'Hello' } });
		expect(m.blocks[1]).toMatchObject({ text: { text: 'cc <!subteam^S1>' } });
		const actions = m.blocks.find((b) => b.type === 'actions') as any;
		expect(actions.elements[0].url).toBe('https://app.brevo.eu/contact/index/1');
		expect(actions.elements[1]).toMatchObject({ action_id: 'add_vip', style: 'primary', value: 'a@b.c' });
	});
	it('helpers', () => {
		expect(templateForEvent('NEW_SUBSCRIBER')).toBe('subscriber_alert');
		expect(templateForEvent('highValueOrder')).toBe('order_alert');
		expect(templateForEvent('support_ticket')).toBe('ticket_alert');
		expect(templateForEvent('whatever')).toBe('generic_event');
		expect(brevoContactUrl(undefined)).toBe('https://app.brevo.com/contact/list');
		expect(brevoCampaignUrl('abc')).toBe('https://app.brevo.com/camp/listing');
		expect(escapeMrkdwn('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
		expect(formatMoney(5, 'zzz')).toMatch(/^ZZZ\s5\.00$/);
		expect(formatMoney('12.5', 'notacode')).toBe('12.5');
		// the shop's own spelling is read like the order parser reads it, currency included
		expect(formatMoney('€1,250.00')).toBe('€1,250.00');
		expect(formatMoney('1.234,50 EUR')).toBe('€1,234.50');
		expect(formatMoney('99.99', 'USD')).toBe('$99.99');
		expect(formatMoney(undefined)).toBe('n/a');
		expect(() => renderTemplate('nope' as any, {})).toThrow(/Unknown template "nope"/);
	});
});

import { parseBrevoLink, contactPreview, campaignPreview, digestMessages, digestParent, digestSummaryLine, viewUrlOf } from '../../../../nodes/shared/slack/templates';

describe('Brevo links and previews', () => {
	it('parses contact and campaign links on Brevo hosts only', () => {
		expect(parseBrevoLink('https://app.brevo.com/contact/index/42')).toEqual({ kind: 'contact', id: '42' });
		expect(parseBrevoLink('https://app.brevo.com/camp/report/31?tab=x')).toEqual({ kind: 'campaign', id: '31' });
		expect(parseBrevoLink('https://my.brevo.com/camp/summary/id/7')).toEqual({ kind: 'campaign', id: '7' });
		expect(parseBrevoLink('https://evil.example/contact/index/42')).toBeUndefined();
		expect(parseBrevoLink('http://127.0.0.1:9/contact/index/5', ['127.0.0.1'])).toEqual({ kind: 'contact', id: '5' });
		expect(parseBrevoLink('https://app.brevo.com/settings')).toBeUndefined();
		expect(parseBrevoLink('not a url')).toBeUndefined();
		expect(parseBrevoLink('https://app.brevo.com/campaigns/42')).toEqual({ kind: 'campaign', id: '42' });
		expect(parseBrevoLink('https://app.brevo.com/contacts/9/edit')).toEqual({ kind: 'contact', id: '9' });
	});
	it('previews are valid blocks with the key facts', () => {
		const c = contactPreview({ id: 42, email: 'jane@acme.io', attributes: { FIRSTNAME: 'Jane' }, listIds: [1, 2], emailBlacklisted: false, createdAt: '2026-01-02T03:04:05Z' });
		expect(JSON.stringify(c)).toContain('<https://app.brevo.com/contact/index/42|Jane>');
		expect(JSON.stringify(c)).toContain('*Lists*\\n2');
		validateBlocks(c);
		const k = campaignPreview({ id: 31, name: 'BF', subject: 'Deals', status: 'sent', statistics: { globalStats: { sent: 10, delivered: 10, uniqueViews: 5 } } });
		expect(JSON.stringify(k)).toContain('*Open rate*\\n50.0%');
		validateBlocks(k);
	});
});

describe('digest', () => {
	it('packs 1,000 notifications into few messages within Slack limits, each entry exactly once', () => {
		const entries = Array.from({ length: 1000 }, (_, i) => ({ text: `New subscriber: user${i}@example.com (User ${i}) joined list 12`, url: `https://app.brevo.com/contact/index/${i}`, kind: i % 2 ? 'order_alert' : 'subscriber_alert' }));
		const msgs = digestMessages(entries);
		// a size of at most 11,000 per message (text + 125 per block; Slack refuses ~13,000: msg_blocks_too_long), and no
		// more messages than that budget needs: every message but the last is more than 90% full
		for (const m of msgs) expect(messageBlocksSize(m.blocks)).toBeLessThanOrEqual(MESSAGE_BLOCKS_TEXT_BUDGET);
		for (const m of msgs.slice(0, -1)) expect(messageBlocksSize(m.blocks)).toBeGreaterThan(MESSAGE_BLOCKS_TEXT_BUDGET * 0.9);
		expect(msgs.length).toBeGreaterThan(1);
		const seen = msgs.flatMap((m) => m.entries);
		expect(seen).toEqual(entries.map((_, i) => i));
		for (const m of msgs) validateBlocks(m.blocks, 'message', m.text);
		expect(msgs[0].text).toBe('1000 Brevo notifications: 500 new subscribers, 500 orders');
	});
	it('never packs more block text than Slack accepts, even when asked to (maxChars above the budget)', () => {
		const entries = Array.from({ length: 400 }, (_, i) => ({ text: `x${i} `.repeat(40), kind: 'generic_event' }));
		const msgs = digestMessages(entries, { maxChars: 40_000 });
		for (const m of msgs) expect(messageBlocksSize(m.blocks)).toBeLessThanOrEqual(MESSAGE_BLOCKS_TEXT_BUDGET);
		expect(msgs.flatMap((m) => m.entries)).toEqual(entries.map((_, i) => i));
		// a smaller budget is honoured
		for (const m of digestMessages(entries, { maxChars: 5000 })) expect(messageBlocksSize(m.blocks)).toBeLessThanOrEqual(5000);
	});
	it('summary parent and view url', () => {
		expect(digestSummaryLine([{ text: 'a', kind: 'cart_alert' }])).toBe('1 Brevo notification: 1 abandoned cart');
		expect(digestParent([{ text: 'a' }]).blocks).toHaveLength(2);
		const m = renderTemplate('subscriber_alert', { contact_id: 3 });
		expect(viewUrlOf(m.blocks)).toBe('https://app.brevo.com/contact/index/3');
	});
});

describe("the package's triggers' canonical items", () => {
	// Shapes documented in nodes/BrevoEventTrigger/README.md and nodes/BrevoCampaignTrigger/README.md.
	const common = { source: 'automation', occurredAt: '2026-11-27T10:00:00.000Z', receivedAt: '2026-11-27T10:00:01.000Z', lists: [], link: null, tags: [], raw: {} };
	it('order_placed', () => {
		const m = renderTemplate('auto', { ...common, event: 'order_placed', contact: { email: 'bob@shop.io', id: 5, attributes: { FIRSTNAME: 'Bob' } }, campaign: null, ticket: null, order: { id: 'O-7', value: 1234.5, currency: 'EUR', products: [{ id: 'p1', name: 'Sofa', quantity: 1, price: 1234.5 }], firstOrder: true, url: null } });
		expect(m.text).toBe('New order O-7 from Bob (bob@shop.io): €1,234.50 (first order): Sofa');
		expect(viewUrlOf(m.blocks)).toBe('https://app.brevo.com/contact/index/5');
		expect(JSON.stringify(m.blocks)).toContain('2026-11-27T10:00:00.000Z');
	});
	it('cart_abandoned, ticket_created, unsubscribed, new_subscriber', () => {
		expect(renderTemplate('auto', { ...common, event: 'cart_abandoned', contact: { email: 'c@x.io' }, order: { id: 'cart-1', value: 80, currency: 'USD', products: [{ name: 'Mug', quantity: 2 }], url: 'https://shop/cart/1' } }).text).toBe('Cart abandoned by c@x.io: $80.00 (1 product)');
		const t = renderTemplate('auto', { ...common, event: 'ticket_created', contact: { email: 'v@x.io' }, ticket: { id: 'conv-9', message: 'Where is my order?', startPage: 'https://shop/help', agent: null } });
		expect(t.text).toBe('New ticket conv-9 from v@x.io: Where is my order?');
		expect(JSON.stringify(t.blocks)).toContain('https://shop/help');
		expect(renderTemplate('auto', { ...common, event: 'unsubscribed', contact: { email: 'u@x.io' }, campaign: { id: 7, name: 'Autumn' } }).text).toBe('Unsubscribed: u@x.io (campaign Autumn)');
		expect(renderTemplate('auto', { ...common, event: 'new_subscriber', contact: { email: 'n@x.io', attributes: { FIRSTNAME: 'Ana' } }, lists: [7, 8] }).text).toBe('New subscriber: Ana (n@x.io) joined list 7, 8');
	});
	it('campaign_sent from the campaign trigger (flat statistics)', () => {
		const m = renderTemplate('auto', { ...common, event: 'campaign_sent', source: 'campaign_poll', campaign: { id: 12, name: 'Autumn', subject: 'Hi', sentDate: '2026-11-27T09:00:00Z' }, statistics: { sent: 200, delivered: 200, uniqueViews: 50, uniqueClicks: 10 }, contact: null, order: null, ticket: null });
		expect(m.text).toBe('Campaign sent: Autumn (200 sent, open rate 25.0%, click rate 5.0%)');
		expect(viewUrlOf(m.blocks)).toBe('https://app.brevo.com/camp/report/12');
	});
});
