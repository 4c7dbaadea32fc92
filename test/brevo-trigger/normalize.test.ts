import { deliveryKey, MAX_BATCH, normalizeDelivery, occurredAt, parseBrevoDate, readTags, parseJsonBody } from '../../nodes/shared/brevo/normalize';
import { isOurWebhook, listedBearerToken, parseRawSelection, subscriptionForPayloadEvent, SUBSCRIPTION_EVENTS } from '../../nodes/shared/brevo/events';

const receivedAt = new Date('2026-11-28T00:00:00Z');

describe('time formats Brevo sends', () => {
	it('ts_epoch in milliseconds (and in seconds, as some docs show)', () => {
		expect(occurredAt({ ts_epoch: 1685539713018 })).toEqual({ iso: '2023-05-31T13:28:33.018Z', field: 'ts_epoch' });
		expect(occurredAt({ ts_epoch: 1685539713 })?.iso).toBe('2023-05-31T13:28:33.000Z');
	});
	it('ts_event and ts in seconds, also as numeric strings', () => {
		expect(occurredAt({ ts_event: 1685539713, ts: 1 })?.field).toBe('ts_event');
		expect(occurredAt({ ts: '1685539713' })?.iso).toBe('2023-05-31T13:28:33.000Z');
	});
	it('date in Paris time: CEST in summer, CET in winter, and the DST switch days', () => {
		expect(parseBrevoDate('2023-05-31 15:28:33')).toBe(Date.parse('2023-05-31T13:28:33Z'));
		expect(parseBrevoDate('2023-01-15 10:00:00')).toBe(Date.parse('2023-01-15T09:00:00Z'));
		// 2024: CEST from 31 March 01:00 UTC to 27 October 01:00 UTC
		expect(parseBrevoDate('2024-03-31 01:59:59')).toBe(Date.parse('2024-03-31T00:59:59Z'));
		expect(parseBrevoDate('2024-03-31 03:00:00')).toBe(Date.parse('2024-03-31T01:00:00Z'));
		expect(parseBrevoDate('2024-10-27 02:30:00')).toBe(Date.parse('2024-10-27T00:30:00Z'));
		expect(parseBrevoDate('2024-10-27 03:30:00')).toBe(Date.parse('2024-10-27T02:30:00Z'));
	});
	it('ISO dates with a zone as given (contact_deleted), Conversations createdAt in ms, date-only', () => {
		expect(occurredAt({ date: '2026-08-25T11:04:17.82511Z' })?.iso).toBe('2026-08-25T11:04:17.825Z');
		expect(occurredAt({ date: '2026-08-25T13:04:17+02:00' })?.iso).toBe('2026-08-25T11:04:17.000Z');
		expect(occurredAt({ message: { createdAt: 1700000000123 } })).toEqual({ iso: '2023-11-14T22:13:20.123Z', field: 'message.createdAt' });
		expect(occurredAt({ date_event: '2024-01-02' })?.iso).toBe('2024-01-01T23:00:00.000Z');
	});
	it('skips garbage and implausible values, falls through to the next field, or gives up', () => {
		expect(occurredAt({ ts_event: 'yesterday', date: '2023-01-15 10:00:00' })?.field).toBe('date');
		expect(occurredAt({ ts: 0, date: 'not a date' })).toBeUndefined();
		expect(occurredAt({})).toBeUndefined();
	});
});

describe('tags', () => {
	it('merges the tags array with the JSON-encoded tag string, and plain tags', () => {
		expect(readTags({ tags: ['a', 'b'], tag: '["b","c"]' })).toEqual(['a', 'b', 'c']);
		expect(readTags({ tag: 'newsletter' })).toEqual(['newsletter']);
		expect(readTags({ tag: '[broken' })).toEqual(['[broken']);
		expect(readTags({})).toEqual([]);
	});
});

describe('catalogue', () => {
	it('maps payload names to subscription names, accepting the documented variants', () => {
		expect(subscriptionForPayloadEvent('transactional', 'hard_bounce')).toBe('hardBounce');
		expect(subscriptionForPayloadEvent('transactional', 'hard_bounced')).toBe('hardBounce');
		expect(subscriptionForPayloadEvent('marketing', 'unsubscribe')).toBe('unsubscribed');
		expect(subscriptionForPayloadEvent('marketing', 'contact_deleted')).toBe('contactDeleted');
		expect(subscriptionForPayloadEvent('transactional', 'list_addition')).toBeUndefined();
		expect(subscriptionForPayloadEvent('marketing', 'request')).toBeUndefined();
	});
	it('covers every subscription name of the OpenAPI enum for the email channel', () => {
		const names = new Set(Object.values(SUBSCRIPTION_EVENTS).flatMap((list) => list.map((e) => e.name)));
		for (const n of ['hardBounce', 'softBounce', 'blocked', 'spam', 'delivered', 'request', 'click', 'invalid', 'deferred', 'opened', 'uniqueOpened', 'unsubscribed', 'listAddition', 'contactUpdated', 'contactDeleted', 'inboundEmailProcessed'])
			expect(names).toContain(n);
	});
	it('recognises exactly our webhook: same URL, type and events (sent = request), and reads a listed bearer token', () => {
		const hook = { id: 1, url: 'https://n8n/webhook/x/brevo', type: 'transactional', events: ['sent', 'delivered'], auth: { type: 'bearer', token: 't' } };
		expect(isOurWebhook(hook, hook.url, { type: 'transactional', events: ['delivered', 'request'] })).toBe(true);
		expect(isOurWebhook(hook, hook.url, { type: 'transactional', events: ['delivered'] })).toBe(false);
		expect(isOurWebhook(hook, hook.url, { type: 'marketing', events: ['delivered', 'request'] })).toBe(false);
		expect(isOurWebhook(hook, 'https://n8n/webhook/y/brevo', { type: 'transactional', events: ['delivered', 'request'] })).toBe(false);
		expect(listedBearerToken(hook)).toBe('t');
		expect(listedBearerToken({ ...hook, auth: undefined })).toBeUndefined();
		expect(listedBearerToken({ ...hook, auth: { type: 'basic', token: 'x' } })).toBeUndefined();
	});

	it('groups raw selections by type and reports unknown ones', () => {
		expect(parseRawSelection(['marketing:contactUpdated', 'transactional:opened', 'marketing:contactDeleted', 'marketing:bogus'])).toEqual({
			registrations: [
				{ type: 'transactional', events: ['opened'] },
				{ type: 'marketing', events: ['contactUpdated', 'contactDeleted'] },
			],
			unknown: ['marketing:bogus'],
		});
	});
});

describe('normalizeDelivery', () => {
	const listAddition = { id: 1, email: 'new@x.io', event: 'list_addition', key: 'k', list_id: [34, 12], date: '2026-08-25 11:02:27', ts: 1787648547, api_key_name: '' };

	it('a marketing list addition becomes a canonical item', () => {
		const result = normalizeDelivery(listAddition, { kind: 'marketing', receivedAt });
		expect(result).toEqual({
			ok: true,
			rejected: [],
			skipped: 0,
			accepted: [
				{
					index: 0,
					subscription: 'listAddition',
					item: {
						event: 'listAddition',
						brevoEvent: 'list_addition',
						source: 'marketing_webhook',
						occurredAt: '2026-08-25T09:02:27.000Z',
						occurredAtField: 'ts',
						receivedAt: '2026-11-28T00:00:00.000Z',
						contact: { email: 'new@x.io' },
						campaign: null,
						order: null,
						ticket: null,
						lists: [34, 12],
						link: null,
						tags: [],
						apiKeyName: '',
						raw: listAddition,
					},
				},
			],
		});
	});

	it('marketing click: campaign with the spaced key, URL as link; transactional click: link, tags', () => {
		const m = normalizeDelivery({ id: 2, camp_id: 7, 'campaign name': 'Autumn', email: 'a@b.c', event: 'click', URL: 'https://x/y', ts_event: 1700000000 }, { kind: 'marketing', receivedAt });
		expect(m.ok && m.accepted[0].item).toMatchObject({ event: 'click', campaign: { id: 7, name: 'Autumn' }, link: 'https://x/y' });
		const t = normalizeDelivery({ id: 3, email: 'a@b.c', 'message-id': '<m@relay>', event: 'click', link: 'https://l', tag: '["welcome"]', tags: ['welcome'], ts_epoch: 1700000000000 }, { kind: 'transactional', receivedAt });
		expect(t.ok && t.accepted[0].item).toMatchObject({ source: 'transactional_webhook', link: 'https://l', tags: ['welcome'], campaign: null });
	});

	it('contact_updated carries attributes from content; contact_deleted an array of emails', () => {
		const u = normalizeDelivery({ id: 1, event: 'contact_updated', email: 'e@x.io', content: [{ email: 'e@x.io', attributes: { FIRSTNAME: 'Elly' } }], api_key_name: 'sync-key', ts: 1700000000 }, { kind: 'marketing', receivedAt });
		expect(u.ok && u.accepted[0].item).toMatchObject({ event: 'contactUpdated', contact: { email: 'e@x.io', attributes: { FIRSTNAME: 'Elly' } }, apiKeyName: 'sync-key' });
		const d = normalizeDelivery({ id: 1, event: 'contact_deleted', email: ['a@x.io', 'b@x.io'], date: '2026-08-25T11:04:17.82511Z', ts: 1787655857 }, { kind: 'marketing', receivedAt });
		expect(d.ok && d.accepted[0].item.contact).toEqual({ email: 'a@x.io', emails: ['a@x.io', 'b@x.io'] });
	});

	it('a batch with bad elements: the good ones are accepted, the bad ones rejected with the reason and index', () => {
		const result = normalizeDelivery(
			[listAddition, 'oops', { ...listAddition, event: 'made_up' }, { ...listAddition, email: undefined }, { ...listAddition, event: undefined }, { ...listAddition, email: 'second@x.io' }],
			{ kind: 'marketing', receivedAt },
		);
		if (!result.ok) throw new Error('expected ok');
		expect(result.accepted.map((a) => [a.index, a.item.contact?.email])).toEqual([[0, 'new@x.io'], [5, 'second@x.io']]);
		expect(result.rejected.map((r) => [r.index, r.reason])).toEqual([
			[1, 'not a JSON object'],
			[2, 'unknown event name "made_up" for a marketing webhook'],
			[3, 'missing email in a "list_addition" event'],
			[4, 'missing "event" field'],
		]);
	});

	it('refuses bodies that are not events, empty batches and batches over 500', () => {
		expect(normalizeDelivery('hello', { kind: 'marketing', receivedAt })).toMatchObject({ ok: false, status: 400 });
		expect(normalizeDelivery([], { kind: 'marketing', receivedAt })).toMatchObject({ ok: false, status: 400 });
		const huge = Array.from({ length: MAX_BATCH + 1 }, () => listAddition);
		expect(normalizeDelivery(huge, { kind: 'marketing', receivedAt })).toMatchObject({ ok: false, status: 413 });
		const full = normalizeDelivery(Array.from({ length: MAX_BATCH }, (_, i) => ({ ...listAddition, email: `u${i}@x.io` })), { kind: 'marketing', receivedAt });
		expect(full.ok && full.accepted).toHaveLength(MAX_BATCH);
	});

	it('automation order call: contact, order with a money string, first-order flag', () => {
		const body = { contact_id: 42, email: 'buyer@x.io', step_id: 3, workflow_id: 9, attributes: { FIRSTNAME: 'Ana' }, event_data: { id: 'A-1', amount: '1.234,50 €', products: [{ productId: 'p', quantity: 1, price: 1234.5 }], first_order: true } };
		const result = normalizeDelivery(body, { kind: 'automation', automationEvent: 'order_placed', receivedAt });
		expect(result.ok && result.accepted[0].item).toMatchObject({
			event: 'order_placed',
			source: 'automation',
			contact: { email: 'buyer@x.io', id: 42, attributes: { FIRSTNAME: 'Ana' } },
			order: { id: 'A-1', value: 1234.5, currency: 'EUR', firstOrder: true },
		});
	});

	it('automation calls without email or with an unreadable value are rejected', () => {
		expect(normalizeDelivery({ contact_id: 1, event_data: { id: 1, amount: 5 } }, { kind: 'automation', automationEvent: 'order_placed', receivedAt })).toMatchObject({ ok: true, rejected: [{ reason: expect.stringMatching(/missing email/) }] });
		expect(normalizeDelivery({ email: 'a@b.c', event_data: { id: 1, amount: 'free!' } }, { kind: 'automation', automationEvent: 'order_placed', receivedAt })).toMatchObject({ ok: true, rejected: [{ reason: expect.stringMatching(/not an amount/) }] });
	});

	it('Conversations conversationStarted becomes ticket_created; other conversation events are skipped', () => {
		const body = { eventName: 'conversationStarted', conversationId: 'c-1', message: { id: 'm', text: 'Help!', createdAt: 1700000000123 }, visitor: { id: 'v-1', displayedName: 'Bob', attributes: { EMAIL: 'bob@x.io' } }, agent: null, conversationStartPage: 'https://shop/help', isNoAvailableAgent: true };
		const r = normalizeDelivery(body, { kind: 'conversations', receivedAt });
		expect(r.ok && r.accepted[0].item).toMatchObject({
			event: 'ticket_created',
			source: 'conversations',
			occurredAt: '2023-11-14T22:13:20.123Z',
			contact: { email: 'bob@x.io', id: 'v-1', name: 'Bob' },
			ticket: { id: 'c-1', message: 'Help!', startPage: 'https://shop/help', noAgentAvailable: true },
		});
		expect(normalizeDelivery({ ...body, eventName: 'conversationFragment' }, { kind: 'conversations', receivedAt })).toMatchObject({ ok: true, accepted: [], rejected: [], skipped: 1 });
		expect(normalizeDelivery({ conversationId: 'x' }, { kind: 'conversations', receivedAt })).toMatchObject({ ok: true, rejected: [{ reason: expect.stringMatching(/eventName/) }] });
	});

	it('inbound parsing envelopes give one item per email', () => {
		const r = normalizeDelivery({ items: [{ Uuid: ['u1'], From: { Address: 'x@y.z' }, Subject: 'Hi', SentAtDate: 'Mon, 13 Nov 2023 10:00:00 +0000' }, { Uuid: ['u2'], From: { Address: 'q@y.z' } }] }, { kind: 'inbound', receivedAt });
		expect(r.ok && r.accepted.map((a) => [a.item.event, a.item.contact?.email, a.item.occurredAt])).toEqual([
			['inboundEmailProcessed', 'x@y.z', '2023-11-13T10:00:00.000Z'],
			['inboundEmailProcessed', 'q@y.z', null],
		]);
	});
});

describe('deliveryKey and parseJsonBody', () => {
	it('is stable across key order and differs with content', () => {
		expect(deliveryKey({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(deliveryKey({ b: [1, { d: 3, c: 2 }], a: 1 }));
		expect(deliveryKey({ a: 1 })).not.toBe(deliveryKey({ a: 2 }));
	});
	it('reports malformed JSON', () => {
		expect(parseJsonBody('{"a":')).toMatchObject({ ok: false, reason: expect.stringMatching(/malformed JSON/) });
		expect(parseJsonBody(Buffer.from('[1]'))).toEqual({ ok: true, body: [1] });
		expect(parseJsonBody('')).toEqual({ ok: false, reason: 'empty body' });
	});
});
