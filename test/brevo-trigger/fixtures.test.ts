/**
 * Every payload Brevo documents for an event the Brevo Event Trigger accepts (test/fixtures/brevo/*.json, sources in
 * its README) through the normalisation, and the emulator's buildEvent against the same documented shapes.
 * Fails against the normalisation before issue 12 (conversationStartPage as an object lost the ticket's link,
 * contact_id 0 became a contact id, reason and mirror_link were dropped) and against the emulator's earlier shapes
 * (contact_updated with a top-level email, no contact_id / mirror_link, spam sent as "complaint", a string start page,
 * api_key_name on contact_deleted).
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { normalizeDelivery, type CanonicalEvent, type SourceKind } from '../../nodes/shared/brevo/normalize';
import { SUBSCRIPTION_EVENTS, type WebhookType } from '../../nodes/shared/brevo/events';
import { buildEvent } from '../emulators/brevo/payloads';

const DIR = join(__dirname, '..', 'fixtures', 'brevo');
const receivedAt = new Date('2026-12-03T00:00:00Z');

export function fixture(name: string): Record<string, any> {
	return JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8'));
}
const names = readdirSync(DIR)
	.filter((f) => f.endsWith('.json'))
	.map((f) => f.slice(0, -'.json'.length))
	.sort();

function kindOf(name: string): { kind: SourceKind; automationEvent?: 'order_placed' | 'cart_abandoned' } {
	const [prefix, rest] = name.split('.');
	if (prefix === 'automation') return { kind: 'automation', automationEvent: rest as 'order_placed' | 'cart_abandoned' };
	return { kind: prefix as SourceKind };
}

function normalise(name: string) {
	const result = normalizeDelivery(fixture(name), { ...kindOf(name), receivedAt });
	if (!result.ok) throw new Error(`${name}: refused: ${result.reason}`);
	return result;
}

function only(name: string): CanonicalEvent & { subscription?: string } {
	const result = normalise(name);
	expect(result.rejected).toEqual([]);
	expect(result.accepted).toHaveLength(1);
	return { ...result.accepted[0].item, subscription: result.accepted[0].subscription };
}

const TX_SUBSCRIPTION: Record<string, string> = {
	request: 'request', delivered: 'delivered', click: 'click', opened: 'opened', unique_opened: 'uniqueOpened', proxy_open: 'opened',
	unique_proxy_open: 'uniqueOpened', soft_bounce: 'softBounce', hard_bounce: 'hardBounce', blocked: 'blocked', invalid_email: 'invalid',
	deferred: 'deferred', error: 'request', spam: 'spam', unsubscribed: 'unsubscribed',
};
const TX_REASON: Record<string, string> = {
	soft_bounce: '452 4.2.2 Mailbox full',
	hard_bounce: '550 5.1.1 The email account that you tried to reach does not exist',
	blocked: 'blocked : due to blacklist user',
	invalid_email: 'invalid email address',
	deferred: '421 4.7.0 Try again later',
	error: 'sender not validated',
	spam: 'undesired',
};

describe('a documented payload for every event the trigger accepts', () => {
	it('every subscription of every webhook type has a fixture, and Conversations, automations and inbound too', () => {
		const covered = new Set<string>();
		for (const name of names) {
			const { kind } = kindOf(name);
			if (kind !== 'transactional' && kind !== 'marketing' && kind !== 'inbound') continue;
			for (const a of normalise(name).accepted) covered.add(`${kind}:${a.subscription}`);
		}
		const wanted = (Object.keys(SUBSCRIPTION_EVENTS) as WebhookType[]).flatMap((t) => SUBSCRIPTION_EVENTS[t].map((e) => `${t}:${e.name}`));
		expect(wanted.filter((w) => !covered.has(w))).toEqual([]);
		for (const n of ['conversations.conversationStarted', 'conversations.conversationFragment', 'automation.order_placed', 'automation.cart_abandoned'])
			expect(names).toContain(n);
	});
});

describe('transactional payloads (developers.brevo.com/docs/transactional-webhooks)', () => {
	const tx = names.filter((n) => n.startsWith('transactional.'));
	it.each(tx)('%s: event, email, contact id, mirror link, tags, time', (name) => {
		const brevoEvent = name.slice('transactional.'.length);
		const item = only(name);
		expect(item).toMatchObject({
			event: TX_SUBSCRIPTION[brevoEvent],
			subscription: TX_SUBSCRIPTION[brevoEvent],
			brevoEvent,
			source: 'transactional_webhook',
			contact: { email: 'jane.doe@example.com', id: 8 },
			mirrorLink: 'https://app-smtp.brevo.com/log/preview/1a2000f4-4e33-23aa-ab68-900dc5f9152c',
			tags: ['transac_messages'],
			campaign: null,
		});
		expect(item.reason).toBe(TX_REASON[brevoEvent]);
		// ts_epoch: milliseconds, except in the doc's own "Sent" example which shows seconds
		expect(item.occurredAt).toBe(brevoEvent === 'request' ? '2020-11-09T14:54:14.000Z' : '2026-07-01T10:00:00.123Z');
		expect(item.occurredAtField).toBe('ts_epoch');
		expect(item.link).toBe(brevoEvent === 'click' ? 'https://shop.example.com/orders/4711' : null);
	});
	it('contact_id 0 means "no contact" (the page says so): no contact id, the email still there', () => {
		const result = normalizeDelivery({ ...fixture('transactional.delivered'), contact_id: 0 }, { kind: 'transactional', receivedAt });
		expect(result.ok && result.accepted[0].item.contact).toEqual({ email: 'jane.doe@example.com' });
	});
});

describe('marketing payloads (developers.brevo.com/docs/marketing-webhooks)', () => {
	const campaignEvents = ['spam', 'opened', 'proxy_open', 'click', 'hard_bounce', 'soft_bounce', 'delivered', 'unsubscribed'];
	it.each(campaignEvents)('marketing.%s: campaign id and name, email, time from ts_event', (brevoEvent) => {
		const item = only(`marketing.${brevoEvent}`);
		expect(item).toMatchObject({
			brevoEvent,
			source: 'marketing_webhook',
			contact: { email: 'jane.doe@example.com' },
			campaign: { id: 12, name: 'My First Campaign' },
			occurredAt: '2020-11-09T14:55:37.000Z',
			occurredAtField: 'ts_event',
		});
		expect(item.contact?.id).toBeUndefined();
		expect(item.link).toBe(brevoEvent === 'click' ? 'https://shop.example.com/autumn-sale' : null);
		expect(item.lists).toEqual(brevoEvent === 'unsubscribed' ? [3, 42] : []);
		if (brevoEvent === 'spam') expect(item.reason).toBe('undesired');
	});
	it('list_addition: lists, email, api_key_name ("" = not through the API)', () => {
		expect(only('marketing.list_addition')).toMatchObject({ event: 'listAddition', contact: { email: 'jane.doe@example.com' }, lists: [7, 12], apiKeyName: '', campaign: null });
	});
	it('contact_updated: email and attributes from content[0] (no top-level email), the API key behind the change', () => {
		const item = only('marketing.contact_updated');
		expect(fixture('marketing.contact_updated').email).toBeUndefined();
		expect(item).toMatchObject({
			event: 'contactUpdated',
			contact: { email: 'jane.doe@example.com', attributes: { FIRSTNAME: 'Jane', LASTNAME: 'Doe', JOB_TITLE: 'Buyer' } },
			apiKeyName: 'n8n-sync',
		});
	});
	it('contact_deleted: the address list, no api_key_name', () => {
		const item = only('marketing.contact_deleted');
		expect(item).toMatchObject({ event: 'contactDeleted', contact: { email: 'jane.doe@example.com' }, occurredAt: '2026-08-25T11:04:17.000Z' });
		expect(item.apiKeyName).toBeUndefined();
	});
});

describe('inbound, Conversations and automation payloads', () => {
	it('inbound parsing: one event per item, the sender as contact, time from SentAtDate', () => {
		expect(only('inbound.inboundEmailProcessed')).toMatchObject({
			event: 'inboundEmailProcessed',
			source: 'inbound_webhook',
			contact: { email: 'jane.doe@example.com' },
			occurredAt: '2026-07-01T10:00:00.000Z',
		});
	});
	it('conversationStarted: the start page object gives the ticket its link and title', () => {
		const item = only('conversations.conversationStarted');
		expect(item).toMatchObject({
			event: 'ticket_created',
			source: 'conversations',
			contact: { email: 'jane.doe@example.com', name: 'Jane Doe' },
			ticket: { id: 'MxhGJAEugdLtS2BBq', message: 'Hi, my order 4711 has not arrived yet', startPage: 'https://getwear.com/women/151254/', startPageTitle: 'Washed skinny jeans for women', noAgentAvailable: false },
			link: 'https://getwear.com/women/151254/',
			occurredAt: '2026-07-01T10:00:00.123Z',
		});
	});
	it('another Conversations event is skipped (counted, neither emitted nor rejected)', () => {
		const result = normalise('conversations.conversationFragment');
		expect([result.accepted.length, result.rejected.length, result.skipped]).toEqual([0, 0, 1]);
	});
	it('automation order: contact, order id, value, currency, products, first order', () => {
		expect(only('automation.order_placed')).toMatchObject({
			event: 'order_placed',
			source: 'automation',
			contact: { email: 'jane.doe@example.com', id: 42, attributes: { FIRSTNAME: 'Jane' } },
			order: { id: 'order-4711', value: 1250, currency: 'EUR', firstOrder: true, products: [expect.objectContaining({ id: 'sku-1', price: 1250 })] },
			occurredAt: '2026-07-01T10:00:00.000Z',
		});
	});
	it('automation cart: value, cart link', () => {
		expect(only('automation.cart_abandoned')).toMatchObject({
			event: 'cart_abandoned',
			order: { id: 'cart-8812', value: 89.9, currency: 'EUR', url: 'https://shop.example.com/cart/8812' },
			link: 'https://shop.example.com/cart/8812',
		});
	});
});

/** Keys of the documented payload the emulator may leave out (present only when the sender used them) or add. */
const OPTIONAL = new Set(['template_id', 'X-Mailin-custom', 'tag', 'attributes', 'InReplyTo']);

function shape(v: unknown): unknown {
	if (Array.isArray(v)) return v.length > 0 && typeof v[0] === 'object' && v[0] !== null ? [shape(v[0])] : 'array';
	if (v !== null && typeof v === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, x] of Object.entries(v)) if (!OPTIONAL.has(k) && k !== 'Headers' && k !== 'FIRSTNAME' && k !== 'LASTNAME' && k !== 'JOB_TITLE') out[k] = shape(x);
		return out;
	}
	return v === null ? 'null' : typeof v;
}

const BUILD_KIND: Record<string, string> = {
	'automation.order_placed': 'order',
	'automation.cart_abandoned': 'cart',
	'inbound.inboundEmailProcessed': 'inbound',
	'conversations.conversationStarted': 'conversationStarted',
	'conversations.conversationFragment': 'conversationFragment',
};

describe("the emulator's buildEvent produces the documented shapes", () => {
	it.each(names)('%s', (name) => {
		const kind = BUILD_KIND[name] ?? name;
		const built = buildEvent(kind, { apiKeyName: '', contactId: 8, listIds: [7, 12] });
		const documented = fixture(name);
		// same keys, same value types, nested objects included (content[].attributes, conversationStartPage, ...)
		expect(shape(built)).toEqual(shape(documented));
	});
	it('and they normalise like the fixtures (email, event, ticket link)', () => {
		for (const name of names) {
			const kind = BUILD_KIND[name] ?? name;
			const fromEmulator = normalizeDelivery(buildEvent(kind, { email: 'jane.doe@example.com' }), { ...kindOf(name), receivedAt });
			const fromDocs = normalise(name);
			expect(fromEmulator.ok && fromEmulator.accepted.map((a) => [a.item.event, a.item.contact?.email])).toEqual(fromDocs.accepted.map((a) => [a.item.event, a.item.contact?.email]));
		}
		const started = normalizeDelivery(buildEvent('conversationStarted', { page: 'https://shop.example.com/help' }), { kind: 'conversations', receivedAt });
		expect(started.ok && started.accepted[0].item.link).toBe('https://shop.example.com/help');
	});
});
