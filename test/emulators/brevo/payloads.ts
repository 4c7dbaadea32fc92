/**
 * Realistic payloads of what Brevo POSTs to a receiver, in Brevo's own shapes.
 *
 * Sources: developers.brevo.com transactional-webhooks / marketing-webhooks / conversations webhooks pages,
 * symfony/symfony Mailer Brevo bridge fixtures (read for the shape only), and `shared/reference/brevo.md`.
 * - transactional: `message-id`, `ts`/`ts_event` in seconds, `ts_epoch` in milliseconds, `date` in Paris local time
 *   (CET/CEST, `YYYY-MM-DD HH:mm:ss`), `tags` array beside `tag` (the same, JSON-encoded); clicks carry `link`.
 * - marketing: `camp_id`, the key `"campaign name"` (with a space), `date_sent`/`date_event`, `ts_sent`/`ts_event`;
 *   clicks carry `URL`; unsubscriptions carry `list_id` (array); list additions carry `list_id` and `key`.
 * - contact_updated / contact_deleted / list_addition carry `api_key_name` (the key that made the change) when
 *   the change came through the API, so a receiver can ignore its own writes. The attribute diff of
 *   contact_updated is not documented publicly: it is given here as `content: [{ATTRIBUTE: value}]` (unverified).
 * - Conversations: `eventName: "conversationStarted"`, `conversationId`, `message.createdAt` in milliseconds,
 *   `agent`, `visitor`, `conversationStartPage`, `isNoAvailableAgent`.
 * - Automation "Call a webhook" step (help.brevo.com article 27685521851538, "Send outbound webhooks from an
 *   automation"): by default the POST carries the contact id, the email, the step id and the workflow (scenario)
 *   id; "Include details of the contact" adds all contact attributes; "Include details of the trigger event" adds
 *   the event data. The article gives no key names; the ones used here are `contact_id`, `email`, `step_id`,
 *   `workflow_id`, `attributes` and `event` (with the tracked event's `event_name` / `event_properties`, the shape
 *   POST /events and the ecommerce tracker feed into automations). Orders (`order_created` from
 *   POST /orders/status) and carts (`cart_updated`) reach a URL only through such a step.
 */
import { randomBytes } from 'node:crypto';

type O = Record<string, any>;

const PARIS = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Europe/Paris',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hour12: false,
});

/** `YYYY-MM-DD HH:mm:ss` in Paris local time, as Brevo's `date` fields. */
export function parisDate(ms: number): string {
	const parts = Object.fromEntries(PARIS.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
	const hour = parts.hour === '24' ? '00' : parts.hour;
	return `${parts.year}-${parts.month}-${parts.day} ${hour}:${parts.minute}:${parts.second}`;
}

function messageId(ms: number): string {
	const d = new Date(ms);
	const stamp = d.toISOString().replace(/[-:T]/g, '').slice(0, 12);
	return `<${stamp}.${parseInt(randomBytes(4).toString('hex'), 16)}@smtp-relay.mailin.fr>`;
}

function times(o: O): { ms: number; s: number } {
	const ms = o.at !== undefined ? (typeof o.at === 'number' ? o.at : Date.parse(o.at)) : Date.now();
	return { ms, s: Math.floor(ms / 1000) };
}

const TRANSACTIONAL: Record<string, string> = {
	request: 'request',
	sent: 'request',
	delivered: 'delivered',
	opened: 'opened',
	unique_opened: 'unique_opened',
	uniqueopened: 'unique_opened',
	proxy_open: 'proxy_open',
	click: 'click',
	hard_bounce: 'hard_bounce',
	hardbounce: 'hard_bounce',
	soft_bounce: 'soft_bounce',
	softbounce: 'soft_bounce',
	blocked: 'blocked',
	spam: 'complaint',
	complaint: 'complaint',
	invalid: 'invalid_email',
	invalid_email: 'invalid_email',
	deferred: 'deferred',
	error: 'error',
	unsubscribed: 'unsubscribed',
};

const MARKETING: Record<string, string> = {
	opened: 'opened',
	click: 'click',
	delivered: 'delivered',
	hard_bounce: 'hard_bounce',
	hardbounce: 'hard_bounce',
	soft_bounce: 'soft_bounce',
	softbounce: 'soft_bounce',
	spam: 'spam',
	unsubscribed: 'unsubscribed',
};

export function transactionalEvent(kind: string, o: O = {}): O {
	const event = TRANSACTIONAL[kind.toLowerCase()];
	if (!event) throw new Error(`unknown transactional event kind: ${kind}`);
	const { ms, s } = times(o);
	const tags: string[] = o.tags ?? ['welcome'];
	const payload: O = {
		id: o.webhookId ?? o.id ?? 1,
		email: o.email ?? 'jane.doe@example.com',
		'message-id': o.messageId ?? messageId(ms),
		date: parisDate(ms),
		tags,
		tag: JSON.stringify(tags),
		event,
		subject: o.subject ?? 'Welcome to Acme',
		sending_ip: o.sendingIp ?? '185.41.28.109',
		ts_event: s,
		ts: s,
		ts_epoch: ms,
	};
	if (o.templateId !== undefined) payload.template_id = o.templateId;
	if (event === 'delivered' || event === 'request') payload.reason = 'sent';
	if (event === 'click') payload.link = o.link ?? 'https://example.com/pricing';
	if (event === 'hard_bounce' || event === 'soft_bounce' || event === 'blocked' || event === 'deferred' || event === 'error') {
		payload.reason = o.reason ?? (event === 'hard_bounce' ? '550 5.1.1 The email account does not exist' : 'mailbox full');
	}
	if (event === 'opened' || event === 'unique_opened' || event === 'proxy_open') {
		payload.user_agent = o.userAgent ?? 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)';
		payload.device_used = o.device ?? 'DESKTOP';
	}
	if (o.custom !== undefined) payload['X-Mailin-custom'] = o.custom;
	return { ...payload, ...(o.extra ?? {}) };
}

export function marketingEvent(kind: string, o: O = {}): O {
	const event = MARKETING[kind.toLowerCase()];
	if (!event) throw new Error(`unknown marketing event kind: ${kind}`);
	const { ms, s } = times(o);
	const sentMs = o.sentAt !== undefined ? (typeof o.sentAt === 'number' ? o.sentAt : Date.parse(o.sentAt)) : ms - 3600_000;
	const payload: O = {
		id: o.webhookId ?? o.id ?? 1,
		camp_id: o.campaignId ?? 1,
		email: o.email ?? 'jane.doe@example.com',
		'campaign name': o.campaignName ?? 'Spring newsletter',
		date_sent: parisDate(sentMs),
		date_event: parisDate(ms),
		event,
		tag: o.tag ?? '',
		ts_sent: Math.floor(sentMs / 1000),
		ts_event: s,
		ts: s,
	};
	if (o.segmentIds) payload.segment_ids = o.segmentIds;
	if (event === 'click') payload.URL = o.url ?? o.link ?? 'https://example.com/offer';
	if (event === 'unsubscribed') payload.list_id = o.listIds ?? [1];
	if (event === 'hard_bounce' || event === 'soft_bounce') payload.reason = o.reason ?? 'mailbox does not exist';
	return { ...payload, ...(o.extra ?? {}) };
}

function apiKeyName(o: O): O {
	return o.apiKeyName === null ? {} : { api_key_name: o.apiKeyName ?? 'emulator' };
}

export function contactEvent(kind: 'list_addition' | 'contact_updated' | 'contact_deleted', o: O = {}): O {
	const { ms, s } = times(o);
	const base: O = {
		id: o.webhookId ?? o.id ?? 1,
		email: o.email ?? 'jane.doe@example.com',
		event: kind,
		key: o.key ?? randomBytes(8).toString('hex'),
		date: parisDate(ms),
		ts: s,
	};
	if (kind === 'list_addition') base.list_id = o.listIds ?? [1];
	if (kind === 'contact_updated') base.content = [o.attributes ?? { FIRSTNAME: 'Jane' }];
	return { ...base, ...apiKeyName(o), ...(o.extra ?? {}) };
}

export function conversationStarted(o: O = {}): O {
	const { ms } = times(o);
	const visitorId = o.visitorId ?? randomBytes(12).toString('hex');
	return {
		eventName: 'conversationStarted',
		conversationId: o.conversationId ?? randomBytes(12).toString('hex'),
		message: {
			id: randomBytes(12).toString('hex'),
			type: 'visitor',
			text: o.text ?? 'Hi, I have a question about my order',
			visitorId,
			createdAt: ms,
			isPushed: false,
			isTrigger: false,
		},
		agent: o.agent ?? null,
		visitor: {
			id: visitorId,
			threadId: randomBytes(12).toString('hex'),
			source: 'widget',
			displayedName: o.name ?? 'Jane Doe',
			integrationAttributes: { EMAIL: o.email ?? 'jane.doe@example.com', FIRSTNAME: 'Jane', LASTNAME: 'Doe' },
			attributes: { EMAIL: o.email ?? 'jane.doe@example.com' },
			ip: '203.0.113.7',
			browserLanguage: 'en-GB',
			conversationsCount: 1,
		},
		conversationStartPage: o.page ?? 'https://shop.example.com/orders',
		isNoAvailableAgent: o.isNoAvailableAgent ?? false,
	};
}

export function automationCall(o: O = {}): O {
	const payload: O = {
		contact_id: o.contactId ?? 42,
		email: o.email ?? 'jane.doe@example.com',
		step_id: o.stepId ?? 3,
		workflow_id: o.workflowId ?? 17,
	};
	if (o.attributes) payload.attributes = o.attributes;
	if (o.event) payload.event = o.event;
	return { ...payload, ...(o.extra ?? {}) };
}

export function automationOrder(o: O = {}): O {
	const { ms } = times(o);
	const amount = o.amount ?? 1250;
	return automationCall({
		...o,
		event: {
			event_name: 'order_created',
			event_date: new Date(ms).toISOString(),
			event_properties: {
				id: o.orderId ?? `order-${Math.floor(ms / 1000)}`,
				status: o.status ?? 'completed',
				amount,
				currency: o.currency ?? 'EUR',
				createdAt: new Date(ms).toISOString(),
				products: o.products ?? [
					{ productId: 'sku-1', quantity: 1, price: amount, name: 'Annual plan' },
				],
				first_order: o.firstOrder ?? false,
			},
		},
	});
}

export function automationCart(o: O = {}): O {
	const { ms } = times(o);
	return automationCall({
		...o,
		event: {
			event_name: 'cart_updated',
			event_date: new Date(ms).toISOString(),
			event_properties: {
				id: o.cartId ?? `cart-${Math.floor(ms / 1000)}`,
				url: o.cartUrl ?? 'https://shop.example.com/cart',
				total: o.total ?? 89.9,
				currency: o.currency ?? 'EUR',
				items: o.items ?? [{ id: 'sku-2', name: 'Running shoes', price: 89.9, quantity: 1 }],
				abandoned_for_minutes: o.abandonedForMinutes ?? 30,
			},
		},
	});
}

/**
 * `kind`: a transactional event (`delivered`, `opened`, `click`, `hard_bounce`, `unsubscribed`, ... or
 * `transactional.<kind>`), `marketing.<kind>` (`opened`, `click`, `unsubscribed`, ...), `list_addition` /
 * `listAddition`, `contact_updated` / `contactUpdated`, `contact_deleted` / `contactDeleted`,
 * `conversationStarted`, `automation`, `automation.order` / `order`, `automation.cart` / `cart`.
 */
export function buildEvent(kind: string, o: O = {}): O {
	const k = kind.trim();
	const lower = k.toLowerCase();
	if (lower.startsWith('marketing.')) return marketingEvent(k.slice('marketing.'.length), o);
	if (lower.startsWith('transactional.')) return transactionalEvent(k.slice('transactional.'.length), o);
	switch (lower) {
		case 'list_addition':
		case 'listaddition':
			return contactEvent('list_addition', o);
		case 'contact_updated':
		case 'contactupdated':
			return contactEvent('contact_updated', o);
		case 'contact_deleted':
		case 'contactdeleted':
			return contactEvent('contact_deleted', o);
		case 'conversationstarted':
			return conversationStarted(o);
		case 'automation':
			return automationCall(o);
		case 'automation.order':
		case 'order':
		case 'order_placed':
			return automationOrder(o);
		case 'automation.cart':
		case 'cart':
		case 'cart_abandoned':
			return automationCart(o);
		default:
			return transactionalEvent(k, o);
	}
}
