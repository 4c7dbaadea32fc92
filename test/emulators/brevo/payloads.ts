/**
 * Realistic payloads of what Brevo POSTs to a receiver, in Brevo's own shapes. Each builder has a documented
 * counterpart in `test/fixtures/brevo/<type>.<event>.json` (their README names the doc page of each), and
 * `test/brevo-trigger/fixtures.test.ts` checks that every builder produces the fixture's fields.
 *
 * Sources:
 * - transactional (developers.brevo.com/docs/transactional-webhooks): `message-id`, `ts`/`ts_event` in seconds,
 *   `ts_epoch` in milliseconds, `date` in Paris local time (CET/CEST, `YYYY-MM-DD HH:mm:ss`), `tags`, `template_id`,
 *   `mirror_link` (preview of the message in Brevo's logs) and `contact_id` (0 when the recipient is no contact);
 *   clicks carry `link`; bounces, blocked, deferred, invalid, error and spam carry `reason`. The JSON-encoded `tag`
 *   beside `tags` is what real traffic shows (symfony/symfony Mailer Brevo bridge fixtures), not the doc page.
 * - marketing (developers.brevo.com/docs/marketing-webhooks): `camp_id`, the key `"campaign name"` (with a space),
 *   `date_sent`/`date_event`, `ts_sent`/`ts_event`; spam carries `reason`; clicks carry `URL`; unsubscriptions
 *   carry `list_id`; `proxy_open` exists for marketing since changelog "Proxy open event supported for Marketing
 *   webhooks".
 * - contacts: `list_addition` has `email`, `key`, `list_id`; `contact_updated` has NO top-level email: the contact
 *   and its attributes are `content: [{email, attributes}]`; `api_key_name` (the API key behind the change, '' when
 *   not made through the API) only on contact updated and list addition (developers.brevo.com changelog 2026/11/1,
 *   "api_key_name in contact webhooks"), never on contact_deleted.
 * - Conversations (developers.brevo.com/docs/conversations-webhooks): `eventName: "conversationStarted"`,
 *   `conversationId`, `message` (`createdAt` in milliseconds), `agent`, `visitor`, `conversationStartPage` as an
 *   object `{link, title}`, `isNoAvailableAgent`; other Conversations events (`conversationFragment`, ...) also
 *   reach a URL set for them.
 * - Automation "Call a webhook" step (help.brevo.com article 27685521851538, "Send outbound webhooks from an
 *   automation"): by default the POST carries the contact id, the email, the step id and the workflow (scenario)
 *   id; "Include details of the contact" adds all contact attributes; "Include details of the trigger event" adds
 *   the event data. The article gives no key names; the ones used here are a guess: `contact_id`, `email`,
 *   `step_id`, `workflow_id`, `attributes` and `event` (with the tracked event's `event_name` / `event_properties`,
 *   the shape POST /events and the ecommerce tracker feed into automations). Orders (`order_created` from
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
	unique_proxy_open: 'unique_proxy_open',
	click: 'click',
	hard_bounce: 'hard_bounce',
	hardbounce: 'hard_bounce',
	soft_bounce: 'soft_bounce',
	softbounce: 'soft_bounce',
	blocked: 'blocked',
	spam: 'spam',
	complaint: 'spam',
	invalid: 'invalid_email',
	invalid_email: 'invalid_email',
	deferred: 'deferred',
	error: 'error',
	unsubscribed: 'unsubscribed',
};

const MARKETING: Record<string, string> = {
	opened: 'opened',
	proxy_open: 'proxy_open',
	click: 'click',
	delivered: 'delivered',
	hard_bounce: 'hard_bounce',
	hardbounce: 'hard_bounce',
	soft_bounce: 'soft_bounce',
	softbounce: 'soft_bounce',
	spam: 'spam',
	unsubscribed: 'unsubscribed',
};

const REASONS: Record<string, string> = {
	hard_bounce: '550 5.1.1 The email account that you tried to reach does not exist',
	soft_bounce: '452 4.2.2 Mailbox full',
	blocked: 'blocked : due to blacklist user',
	deferred: '421 4.7.0 Try again later',
	invalid_email: 'invalid email address',
	error: 'sender not validated',
	spam: 'undesired',
};

export function transactionalEvent(kind: string, o: O = {}): O {
	const event = TRANSACTIONAL[kind.toLowerCase()];
	if (!event) throw new Error(`unknown transactional event kind: ${kind}`);
	const { ms, s } = times(o);
	const tags: string[] = o.tags ?? ['welcome'];
	const payload: O = {
		event,
		email: o.email ?? 'jane.doe@example.com',
		id: o.webhookId ?? o.id ?? 1,
		date: parisDate(ms),
		ts: s,
		'message-id': o.messageId ?? messageId(ms),
		ts_event: s,
		subject: o.subject ?? 'Welcome to Acme',
		sending_ip: o.sendingIp ?? '185.41.28.109',
		ts_epoch: ms,
		tags,
		tag: JSON.stringify(tags),
		mirror_link: o.mirrorLink ?? `https://app-smtp.brevo.com/log/preview/${randomUuid()}`,
		// 0 when the recipient is not a contact of the account (transactional-webhooks page)
		contact_id: o.contactId ?? 0,
	};
	if (o.templateId !== undefined) payload.template_id = o.templateId;
	if (o.custom !== undefined) payload['X-Mailin-custom'] = o.custom;
	if (event === 'click') payload.link = o.link ?? 'https://example.com/pricing';
	if (event === 'unique_proxy_open') {
		payload.link = '';
		payload.sender_email = o.senderEmail ?? 'hello@acme.example';
	}
	if (REASONS[event] !== undefined) payload.reason = o.reason ?? REASONS[event];
	if (['opened', 'unique_opened', 'proxy_open', 'unique_proxy_open', 'click', 'unsubscribed'].includes(event)) {
		payload.user_agent = o.userAgent ?? 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)';
		payload.device_used = o.device ?? 'DESKTOP';
	}
	return { ...payload, ...(o.extra ?? {}) };
}

function randomUuid(): string {
	const h = randomBytes(16).toString('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
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
	if (event === 'hard_bounce' || event === 'soft_bounce' || event === 'spam') payload.reason = o.reason ?? REASONS[event];
	return { ...payload, ...(o.extra ?? {}) };
}

/** `api_key_name` is sent on contact updated and list addition only ('' when the change was not made by the API). */
function apiKeyName(o: O): O {
	return o.apiKeyName === null ? {} : { api_key_name: o.apiKeyName ?? 'emulator' };
}

export function contactEvent(kind: 'list_addition' | 'contact_updated' | 'contact_deleted', o: O = {}): O {
	const { ms, s } = times(o);
	const email = o.email ?? 'jane.doe@example.com';
	const id = o.webhookId ?? o.id ?? 1;
	const key = o.key ?? randomBytes(8).toString('hex');
	const date = parisDate(ms);
	if (kind === 'list_addition')
		return { id, email, event: kind, key, list_id: o.listIds ?? [1], date, ts: s, ...apiKeyName(o), ...(o.extra ?? {}) };
	if (kind === 'contact_updated')
		return {
			id,
			event: kind,
			key,
			content: [{ email, attributes: o.attributes ?? { FIRSTNAME: 'Jane' } }],
			date,
			ts: s,
			...apiKeyName(o),
			...(o.extra ?? {}),
		};
	// contact_deleted: the address(es) as an array, the time as ISO 8601 UTC
	return { id, email: Array.isArray(email) ? email : [email], event: kind, key, date: new Date(ms).toISOString(), ts: s, ...(o.extra ?? {}) };
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
		conversationStartPage: { link: o.page ?? 'https://shop.example.com/orders', title: o.pageTitle ?? 'My orders' },
		isNoAvailableAgent: o.isNoAvailableAgent ?? false,
	};
}

/** Another Conversations event (agent replies, a transcript...): the trigger for tickets counts it as filtered. */
export function conversationFragment(o: O = {}): O {
	const { ms } = times(o);
	const visitorId = o.visitorId ?? randomBytes(12).toString('hex');
	const conversationId = o.conversationId ?? randomBytes(12).toString('hex');
	return {
		eventName: 'conversationFragment',
		conversationId,
		messages: [
			{ id: randomBytes(12).toString('hex'), type: 'agent', text: o.text ?? 'Let me check that for you.', agentId: 'agent-1', agentName: o.agentName ?? 'Alex', createdAt: ms, isPushed: false, isTrigger: false },
		],
		agents: [{ id: 'agent-1', name: o.agentName ?? 'Alex', email: 'alex@acme.example' }],
		visitor: { id: visitorId, threadId: conversationId, source: 'widget', displayedName: o.name ?? 'Jane Doe', attributes: { EMAIL: o.email ?? 'jane.doe@example.com' } },
	};
}

/**
 * Inbound parsing (developers.brevo.com/docs/inbound-parse-webhooks): one POST per batch, `{items: [...]}`, each
 * item the parsed email (`From: {Name, Address}`, `SentAtDate` as in the email's Date header, markdown extracts).
 */
export function inboundEmail(o: O = {}): O {
	const { ms } = times(o);
	const messageId = `<${randomBytes(8).toString('hex')}@mail.example.com>`;
	return {
		items: [
			{
				Uuid: [randomUuid()],
				MessageId: messageId,
				InReplyTo: o.inReplyTo ?? null,
				From: { Name: o.name ?? 'Jane Doe', Address: o.email ?? 'jane.doe@example.com' },
				To: [{ Name: null, Address: o.to ?? 'support@reply.example.com' }],
				Cc: [],
				ReplyTo: null,
				SentAtDate: new Date(ms).toUTCString(),
				Subject: o.subject ?? 'Question about my order',
				Attachments: [],
				Headers: { 'Message-ID': messageId, Subject: o.subject ?? 'Question about my order' },
				SpamScore: 0.4,
				ExtractedMarkdownMessage: o.text ?? 'When will it ship?',
				ExtractedMarkdownSignature: null,
				RawHtmlBody: `<div>${o.text ?? 'When will it ship?'}</div>`,
				RawTextBody: `${o.text ?? 'When will it ship?'}\n`,
			},
		],
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
			},
		},
	});
}

/**
 * `kind`: a transactional event (`delivered`, `opened`, `click`, `hard_bounce`, `unsubscribed`, ... or
 * `transactional.<kind>`), `marketing.<kind>` (`opened`, `click`, `unsubscribed`, ...), `list_addition` /
 * `listAddition`, `contact_updated` / `contactUpdated`, `contact_deleted` / `contactDeleted`,
 * `conversationStarted`, `conversationFragment`, `inboundEmailProcessed` / `inbound` (the `{items}` envelope),
 * `automation`, `automation.order` / `order`, `automation.cart` / `cart`.
 */
export function buildEvent(kind: string, o: O = {}): O {
	const k = kind.trim();
	const lower = k.toLowerCase();
	if (lower.startsWith('marketing.')) {
		const rest = k.slice('marketing.'.length);
		if (['list_addition', 'contact_updated', 'contact_deleted'].includes(rest.toLowerCase()))
			return contactEvent(rest.toLowerCase() as 'list_addition' | 'contact_updated' | 'contact_deleted', o);
		return marketingEvent(rest, o);
	}
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
		case 'conversationfragment':
			return conversationFragment(o);
		case 'inboundemailprocessed':
		case 'inbound':
			return inboundEmail(o);
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
