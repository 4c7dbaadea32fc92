/**
 * The Brevo event catalogue: the six events of the spec, every event name Brevo lets one subscribe to through
 * `POST /v3/webhooks`, and how a subscription name maps to the snake_case `event` value found inside payloads.
 * No n8n imports: tested directly.
 */

export type WebhookType = 'transactional' | 'marketing' | 'inbound';

export const WEBHOOK_TYPES: readonly WebhookType[] = ['transactional', 'marketing', 'inbound'];

/** Where an incoming call comes from. Registered webhooks carry their type; the others are set up in Brevo's UI. */
export type EventSource =
	| 'transactional_webhook'
	| 'marketing_webhook'
	| 'inbound_webhook'
	| 'automation'
	| 'conversations'
	| 'campaign_poll';

export interface SubscriptionEvent {
	/** The name used in `events` of `POST /v3/webhooks`. */
	name: string;
	/** A short label for the UI. */
	label: string;
	/**
	 * The `event` values a payload of this subscription carries. Brevo's documentation disagrees on some names
	 * (`unsubscribed`/`unsubscribe`, `hard_bounce`/`hard_bounced`, `spam`/`complaint`): all are accepted.
	 * Inbound parsing payloads carry no `event` at all (see `payloadEvents: []`).
	 */
	payloadEvents: string[];
}

/** Every event name Brevo accepts per webhook type (email channel), with the payload values it produces. */
export const SUBSCRIPTION_EVENTS: Record<WebhookType, SubscriptionEvent[]> = {
	transactional: [
		// `error` reports a send Brevo could not perform: it is delivered to the "sent" subscription.
		{ name: 'request', label: 'Sent', payloadEvents: ['request', 'sent', 'error'] },
		{ name: 'delivered', label: 'Delivered', payloadEvents: ['delivered'] },
		{ name: 'hardBounce', label: 'Hard Bounce', payloadEvents: ['hard_bounce', 'hard_bounced', 'hardBounce'] },
		{ name: 'softBounce', label: 'Soft Bounce', payloadEvents: ['soft_bounce', 'soft_bounced', 'softBounce'] },
		{ name: 'blocked', label: 'Blocked', payloadEvents: ['blocked'] },
		{ name: 'spam', label: 'Marked as Spam', payloadEvents: ['spam', 'complaint'] },
		{ name: 'invalid', label: 'Invalid Email', payloadEvents: ['invalid_email', 'invalid'] },
		{ name: 'deferred', label: 'Deferred', payloadEvents: ['deferred'] },
		{ name: 'click', label: 'Clicked', payloadEvents: ['click'] },
		{ name: 'opened', label: 'Opened', payloadEvents: ['opened', 'proxy_open'] },
		{ name: 'uniqueOpened', label: 'First Open', payloadEvents: ['unique_opened', 'unique_proxy_open', 'uniqueOpened'] },
		{ name: 'unsubscribed', label: 'Unsubscribed', payloadEvents: ['unsubscribed', 'unsubscribe'] },
	],
	marketing: [
		{ name: 'spam', label: 'Marked as Spam', payloadEvents: ['spam', 'complaint'] },
		{ name: 'opened', label: 'Opened', payloadEvents: ['opened', 'proxy_open', 'unique_opened'] },
		{ name: 'click', label: 'Clicked', payloadEvents: ['click'] },
		{ name: 'hardBounce', label: 'Hard Bounce', payloadEvents: ['hard_bounce', 'hard_bounced', 'hardBounce'] },
		{ name: 'softBounce', label: 'Soft Bounce', payloadEvents: ['soft_bounce', 'soft_bounced', 'softBounce'] },
		{ name: 'unsubscribed', label: 'Unsubscribed', payloadEvents: ['unsubscribed', 'unsubscribe'] },
		{ name: 'listAddition', label: 'Added to a List', payloadEvents: ['list_addition', 'listAddition'] },
		{ name: 'delivered', label: 'Delivered', payloadEvents: ['delivered'] },
		{ name: 'contactUpdated', label: 'Contact Updated', payloadEvents: ['contact_updated', 'contactUpdated'] },
		{ name: 'contactDeleted', label: 'Contact Deleted', payloadEvents: ['contact_deleted', 'contactDeleted'] },
	],
	inbound: [{ name: 'inboundEmailProcessed', label: 'Inbound Email Processed', payloadEvents: [] }],
};

/** The spec's six events, plus `raw` for power users. */
export type SpecEvent =
	| 'new_subscriber'
	| 'unsubscribed'
	| 'campaign_sent'
	| 'order_placed'
	| 'cart_abandoned'
	| 'ticket_created';

export type TriggerEvent = Exclude<SpecEvent, 'campaign_sent'> | 'raw';

/** A webhook to register through the API: one per type. */
export interface Registration {
	type: WebhookType;
	events: string[];
}

export interface SpecEventInfo {
	label: string;
	/** Where it comes from and what to set up in Brevo (shown in the node's UI). */
	setup: string;
	/** Webhooks the node registers itself. Empty when the source is set up in Brevo's UI. */
	registrations: Registration[];
	/** True when calls come from a source set up by hand in Brevo (automation, Conversations): needs a shared secret. */
	manualSource: boolean;
}

export const SPEC_EVENTS: Record<SpecEvent, SpecEventInfo> = {
	new_subscriber: {
		label: 'New Subscriber',
		setup:
			'Brevo marketing webhook "listAddition" (contact added to a list, which includes contacts created with lists), registered automatically on activation. Optionally restricted to chosen lists.',
		registrations: [{ type: 'marketing', events: ['listAddition'] }],
		manualSource: false,
	},
	unsubscribed: {
		label: 'Unsubscribed',
		setup:
			'Brevo marketing and transactional "unsubscribed" webhooks, both registered automatically on activation.',
		registrations: [
			{ type: 'marketing', events: ['unsubscribed'] },
			{ type: 'transactional', events: ['unsubscribed'] },
		],
		manualSource: false,
	},
	campaign_sent: {
		label: 'Campaign Sent',
		setup: 'Brevo has no webhook for it: use the Brevo Campaign Trigger node, which polls sent campaigns.',
		registrations: [],
		manualSource: false,
	},
	order_placed: {
		label: 'Order Placed',
		setup:
			'Brevo automation with the entry point "Order placed" (ecommerce orders) and a "Call a webhook" step pointing at this URL, with "Include details of the trigger event" on.',
		registrations: [],
		manualSource: true,
	},
	cart_abandoned: {
		label: 'Cart Abandoned',
		setup:
			'Brevo automation: entry point "Cart updated" (cart_updated tracker event), a 30-minute wait, then a "Call a webhook" step pointing at this URL with "Include details of the trigger event" on.',
		registrations: [],
		manualSource: true,
	},
	ticket_created: {
		label: 'Ticket Created',
		setup:
			'Brevo Conversations > Settings > Webhooks: add this URL for the "Conversation started" event (conversationStarted).',
		registrations: [],
		manualSource: true,
	},
};

/** Subscription event names of one type. */
export function subscriptionNames(type: WebhookType): string[] {
	return SUBSCRIPTION_EVENTS[type].map((e) => e.name);
}

/** `transactional:opened` style values used by the raw-event selector. */
export function rawEventValue(type: WebhookType, name: string): string {
	return `${type}:${name}`;
}

/** Parses `type:name` values from the raw-event selector; unknown ones are returned in `unknown`. */
export function parseRawSelection(values: string[]): { registrations: Registration[]; unknown: string[] } {
	const byType = new Map<WebhookType, string[]>();
	const unknown: string[] = [];
	for (const value of values) {
		const [type, name] = String(value).split(':');
		if (!(WEBHOOK_TYPES as string[]).includes(type) || !subscriptionNames(type as WebhookType).includes(name)) {
			unknown.push(String(value));
			continue;
		}
		const list = byType.get(type as WebhookType) ?? [];
		if (!list.includes(name)) list.push(name);
		byType.set(type as WebhookType, list);
	}
	const registrations = WEBHOOK_TYPES.filter((t) => byType.has(t)).map((type) => ({ type, events: byType.get(type)! }));
	return { registrations, unknown };
}

/**
 * The subscription name a payload `event` value belongs to, for a webhook of `type`. `undefined` when the value
 * is not one Brevo sends for that type (an unknown event name).
 */
export function subscriptionForPayloadEvent(type: WebhookType, payloadEvent: string): string | undefined {
	for (const sub of SUBSCRIPTION_EVENTS[type]) {
		if (sub.payloadEvents.includes(payloadEvent)) return sub.name;
	}
	return undefined;
}

/** Same events (order and duplicates ignored). */
export function sameEventSet(a: readonly string[], b: readonly string[]): boolean {
	const sa = new Set(a);
	const sb = new Set(b);
	if (sa.size !== sb.size) return false;
	for (const x of sa) if (!sb.has(x)) return false;
	return true;
}

/** Source name of a registered webhook type. */
export function sourceOfType(type: WebhookType): EventSource {
	return `${type}_webhook` as EventSource;
}

/** A webhook as Brevo lists it (`GET /v3/webhooks?type=`). */
export interface ListedWebhook {
	id: number;
	url: string;
	type: string;
	events: string[];
	auth?: Record<string, unknown>;
}

/** Ours: same URL, same type, exactly the same events (Brevo may list `sent` for `request`). */
export function isOurWebhook(hook: ListedWebhook, url: string, wanted: Registration): boolean {
	const events = hook.events.map((e) => (e === 'sent' ? 'request' : e));
	const want = wanted.events.map((e) => (e === 'sent' ? 'request' : e));
	return hook.url === url && hook.type === wanted.type && sameEventSet(events, want);
}

/** The bearer token a listed webhook carries, when Brevo shows it. */
export function listedBearerToken(hook: ListedWebhook): string | undefined {
	const auth = hook.auth;
	if (!auth || typeof auth !== 'object') return undefined;
	const type = typeof auth.type === 'string' ? auth.type.toLowerCase() : 'bearer';
	return type === 'bearer' && typeof auth.token === 'string' && auth.token !== '' ? auth.token : undefined;
}
