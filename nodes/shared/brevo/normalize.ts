/**
 * Turns what Brevo delivers (a single event, a batch of up to 500, an inbound-parsing `items` envelope, an
 * automation "Call a webhook" body, a Conversations webhook) into one canonical item per event, and reports the
 * elements that cannot be read. No n8n imports: tested directly.
 */
import { stableStringify } from '../util';
import { createHash } from 'crypto';

import { subscriptionForPayloadEvent, sourceOfType, type EventSource, type WebhookType } from './events';
import { extractOrder, type OrderData } from './order';

/** Brevo batches at most 500 events per call; a bigger body is not Brevo's and is refused whole. */
export const MAX_BATCH = 500;

export interface CanonicalContact {
	email?: string;
	/** Every address, when Brevo sends several (contact_deleted sends an array). */
	emails?: string[];
	id?: string | number;
	name?: string;
	attributes?: Record<string, unknown>;
}

export interface CanonicalTicket {
	id?: string;
	message?: string;
	/** The page the chat started on: Brevo sends `conversationStartPage: {link, title}` (Conversations webhooks page). */
	startPage?: string;
	startPageTitle?: string;
	agent?: string;
	noAgentAvailable?: boolean;
}

export interface CanonicalEvent {
	/** The spec's event name (new_subscriber, order_placed, ...) or, for raw events, the subscription name. */
	event: string;
	/** The `event` value as Brevo wrote it in the payload (or `eventName` for Conversations), when there is one. */
	brevoEvent?: string;
	source: EventSource;
	/** When the event happened, ISO 8601 UTC; null when the payload carries no readable time. */
	occurredAt: string | null;
	/** Which payload field `occurredAt` was read from. */
	occurredAtField?: string;
	receivedAt: string;
	contact: CanonicalContact | null;
	campaign: { id?: number | string; name?: string } | null;
	order: OrderData | null;
	ticket: CanonicalTicket | null;
	lists: number[];
	link: string | null;
	tags: string[];
	/** The name of the API key behind a contact change (contactUpdated, listAddition); '' when not made by the API. */
	apiKeyName?: string;
	/** Why it happened, when Brevo says (bounces, blocked, deferred, error, spam: `reason`); absent otherwise. */
	reason?: string;
	/** Transactional events: Brevo's preview link of the message in its logs (`mirror_link`); absent otherwise. */
	mirrorLink?: string;
	raw: unknown;
}

export type SourceKind = WebhookType | 'automation' | 'conversations';

export interface NormalizeContext {
	kind: SourceKind;
	/** For automation calls: what the automation delivers. */
	automationEvent?: 'order_placed' | 'cart_abandoned';
	receivedAt: Date;
}

export interface Rejected {
	/** Position in the batch (0 for a single event). */
	index: number;
	reason: string;
	raw: unknown;
}

/** A normalised element plus the subscription it belongs to (registered webhooks). */
export interface Accepted {
	index: number;
	subscription?: string;
	item: CanonicalEvent;
}

export type DeliveryResult =
	| { ok: true; accepted: Accepted[]; rejected: Rejected[] }
	| { ok: false; status: 400 | 413; reason: string };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
	if (typeof v === 'string' && v.trim() !== '') return v.trim();
	if (typeof v === 'number' && Number.isFinite(v)) return String(v);
	return undefined;
}

// ---------------------------------------------------------------- time

function lastSundayUtc(year: number, month: number): number {
	const lastDay = new Date(Date.UTC(year, month + 1, 0));
	return lastDay.getUTCDate() - lastDay.getUTCDay();
}

/**
 * Brevo writes `date` in Paris local time (CET, UTC+1; CEST, UTC+2 from the last Sunday of March 01:00 UTC to
 * the last Sunday of October 01:00 UTC). In the repeated autumn hour the first (CEST) instant is chosen.
 */
export function parisLocalToUtcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number {
	const asUtc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
	const dstStart = Date.UTC(y, 2, lastSundayUtc(y, 2), 1);
	const dstEnd = Date.UTC(y, 9, lastSundayUtc(y, 9), 1);
	const summer = asUtc - 2 * 3600_000;
	if (summer >= dstStart && summer < dstEnd) return summer;
	return asUtc - 3600_000;
}

function numeric(v: unknown): number | undefined {
	if (typeof v === 'number' && Number.isFinite(v)) return v;
	if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Number(v);
	return undefined;
}

/** Epoch value in seconds or milliseconds (told apart by size: below 1e11 is seconds, i.e. before year 5138). */
function epochToMs(v: number): number {
	return v < 1e11 ? v * 1000 : v;
}

const VALID_MIN = Date.UTC(2000, 0, 1);
const VALID_MAX = Date.UTC(2200, 0, 1);

function plausible(ms: number): boolean {
	return Number.isFinite(ms) && ms >= VALID_MIN && ms < VALID_MAX;
}

/** Parses a date string: ISO 8601 with a zone as given, `YYYY-MM-DD HH:mm:ss` (or with T) without a zone as Paris time. */
export function parseBrevoDate(text: string): number | undefined {
	const s = text.trim();
	const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/.exec(s);
	if (local) {
		const [, y, mo, d, h, mi, sec, frac] = local;
		const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
		const out = parisLocalToUtcMs(+y, +mo, +d, +h, +mi, sec ? +sec : 0, ms);
		return plausible(out) ? out : undefined;
	}
	if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s)) {
		const out = Date.parse(s);
		return plausible(out) ? out : undefined;
	}
	const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	if (dateOnly) {
		const out = parisLocalToUtcMs(+dateOnly[1], +dateOnly[2], +dateOnly[3], 0, 0, 0);
		return plausible(out) ? out : undefined;
	}
	return undefined;
}

/** Where the time of an event is, in order of precision. */
const TIME_FIELDS: Array<{ path: string[]; kind: 'seconds' | 'epoch' | 'date' | 'epochOrDate' }> = [
	{ path: ['ts_epoch'], kind: 'epoch' },
	{ path: ['ts_event'], kind: 'seconds' },
	{ path: ['ts'], kind: 'seconds' },
	{ path: ['date_event'], kind: 'date' },
	{ path: ['date'], kind: 'epochOrDate' },
	{ path: ['createdAt'], kind: 'epochOrDate' },
	{ path: ['message', 'createdAt'], kind: 'epochOrDate' },
	{ path: ['created_at'], kind: 'epochOrDate' },
	{ path: ['event_date'], kind: 'epochOrDate' },
	{ path: ['event', 'event_date'], kind: 'epochOrDate' },
];

/** The event time as ISO 8601 UTC, from the first field holding a readable, plausible time. */
export function occurredAt(el: unknown): { iso: string; field: string } | undefined {
	if (!isObj(el)) return undefined;
	for (const { path, kind } of TIME_FIELDS) {
		let v: unknown = el;
		for (const p of path) v = isObj(v) ? v[p] : undefined;
		if (v === undefined || v === null || v === '') continue;
		let ms: number | undefined;
		const n = numeric(v);
		if (kind === 'seconds' && n !== undefined) ms = n * 1000;
		else if ((kind === 'epoch' || kind === 'epochOrDate') && n !== undefined) ms = epochToMs(n);
		else if ((kind === 'date' || kind === 'epochOrDate') && typeof v === 'string') ms = parseBrevoDate(v);
		if (ms !== undefined && plausible(ms)) return { iso: new Date(Math.round(ms)).toISOString(), field: path.join('.') };
	}
	return undefined;
}

// ---------------------------------------------------------------- fields

/** `tags` array plus the JSON-encoded `tag` string (or a plain `tag`), de-duplicated, in order. */
export function readTags(el: Obj): string[] {
	const out: string[] = [];
	const add = (t: unknown) => {
		const s = str(t);
		if (s !== undefined && !out.includes(s)) out.push(s);
	};
	if (Array.isArray(el.tags)) el.tags.forEach(add);
	else if (typeof el.tags === 'string') add(el.tags);
	if (typeof el.tag === 'string' && el.tag.trim() !== '') {
		const t = el.tag.trim();
		if (t.startsWith('[')) {
			try {
				const parsed = JSON.parse(t);
				if (Array.isArray(parsed)) parsed.forEach(add);
				else add(t);
			} catch {
				add(t);
			}
		} else add(t);
	} else if (Array.isArray(el.tag)) el.tag.forEach(add);
	return out;
}

export function readLists(el: Obj): number[] {
	const raw = el.list_id ?? el.listIds ?? el.list_ids ?? el.listId;
	const values = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
	const out: number[] = [];
	for (const v of values) {
		const n = numeric(v);
		if (n !== undefined && Number.isInteger(n) && !out.includes(n)) out.push(n);
	}
	return out;
}

function readLink(el: Obj): string | null {
	return str(el.link) ?? str(el.URL) ?? str(el.url) ?? null;
}

function readCampaign(el: Obj): CanonicalEvent['campaign'] {
	const id = el.camp_id ?? el.campaign_id ?? el.campaignId;
	const name = str(el['campaign name']) ?? str(el.campaign_name) ?? str(el.campaignName);
	if (id === undefined && name === undefined) return null;
	return { ...(id !== undefined && id !== null ? { id: numeric(id) ?? String(id) } : {}), ...(name ? { name } : {}) };
}

function emailsOf(v: unknown): string[] {
	if (typeof v === 'string' && v.trim() !== '') return [v.trim()];
	if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
	return [];
}

function firstUpperAttributes(el: Obj): Record<string, unknown> | undefined {
	const attrs: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(el)) if (/^[A-Z][A-Z0-9_]*$/.test(k)) attrs[k] = v;
	return Object.keys(attrs).length > 0 ? attrs : undefined;
}

function contactOf(el: Obj, attributes?: Record<string, unknown>): CanonicalContact | null {
	const emails = emailsOf(el.email).length > 0 ? emailsOf(el.email) : emailsOf(attributes?.EMAIL);
	// Transactional events carry `contact_id`, 0 when the recipient is no contact (transactional-webhooks page).
	const id = el.contact_id ?? el.contactId;
	const knownId = id !== undefined && id !== null && id !== '' && id !== 0 && id !== '0';
	const contact: CanonicalContact = {
		...(emails[0] ? { email: emails[0] } : {}),
		...(emails.length > 1 ? { emails } : {}),
		...(knownId ? { id: numeric(id) ?? String(id) } : {}),
		...(attributes && Object.keys(attributes).length > 0 ? { attributes } : {}),
	};
	return Object.keys(contact).length > 0 ? contact : null;
}

/** A stable key for one delivered element: a hash of its content, so Brevo's retries map to the same key. */
export function deliveryKey(el: unknown): string {
	return createHash('sha256').update(stableStringify(el)).digest('hex').slice(0, 20);
}


// ---------------------------------------------------------------- elements

function base(el: Obj, source: EventSource, receivedAt: Date): Omit<CanonicalEvent, 'event'> {
	const time = occurredAt(el);
	return {
		source,
		occurredAt: time?.iso ?? null,
		...(time ? { occurredAtField: time.field } : {}),
		receivedAt: receivedAt.toISOString(),
		contact: null,
		campaign: readCampaign(el),
		order: null,
		ticket: null,
		lists: readLists(el),
		link: readLink(el),
		tags: readTags(el),
		raw: el,
	};
}

type ElementResult = { ok: true; subscription?: string; item: CanonicalEvent } | { ok: false; reason: string };

function registeredElement(el: Obj, type: WebhookType, receivedAt: Date): ElementResult {
	const source = sourceOfType(type);
	if (type === 'inbound') {
		const sender = isObj(el.From) ? str((el.From as Obj).Address) : undefined;
		const item: CanonicalEvent = {
			event: 'inboundEmailProcessed',
			...base(el, source, receivedAt),
			contact: sender ? { email: sender } : null,
		};
		const sent = str(el.SentAtDate);
		if (!item.occurredAt && sent) {
			const ms = Date.parse(sent);
			if (plausible(ms)) {
				item.occurredAt = new Date(ms).toISOString();
				item.occurredAtField = 'SentAtDate';
			}
		}
		return { ok: true, subscription: 'inboundEmailProcessed', item };
	}
	const payloadEvent = str(el.event);
	if (!payloadEvent) return { ok: false, reason: 'missing "event" field' };
	const subscription = subscriptionForPayloadEvent(type, payloadEvent);
	if (!subscription) return { ok: false, reason: `unknown event name "${payloadEvent}" for a ${type} webhook` };
	let attributes: Record<string, unknown> | undefined;
	if (Array.isArray(el.content)) {
		// contact_updated carries no top-level email: the contact and its new attributes come as
		// `content: [{email, attributes: {...}}]` (marketing-webhooks page, "Contact updated"). A bare
		// [{ATTRIBUTE: value}] element is still read, as the attributes of the one contact.
		for (const c of el.content) {
			if (!isObj(c)) continue;
			if (isObj(c.attributes)) attributes = { ...attributes, ...(c.attributes as Obj) };
			else {
				const rest: Obj = { ...c };
				delete rest.email;
				if (Object.keys(rest).length > 0) attributes = { ...attributes, ...rest };
			}
		}
	} else if (isObj(el.attributes)) attributes = el.attributes as Obj;
	let contact = contactOf(el, attributes);
	if (!contact?.email && Array.isArray(el.content)) {
		const inner = el.content.find((c) => isObj(c) && emailsOf(c.email).length > 0) as Obj | undefined;
		if (inner) contact = { ...(contact ?? {}), email: emailsOf(inner.email)[0] };
	}
	if (!contact?.email) return { ok: false, reason: `missing email in a "${payloadEvent}" event` };
	const apiKeyName = typeof el.api_key_name === 'string' ? el.api_key_name : undefined;
	const reason = str(el.reason);
	const mirrorLink = str(el.mirror_link);
	return {
		ok: true,
		subscription,
		item: {
			event: subscription,
			brevoEvent: payloadEvent,
			...base(el, source, receivedAt),
			contact,
			...(apiKeyName !== undefined ? { apiKeyName } : {}),
			// `reason: "sent"` of some delivered payloads says nothing: only a real reason is kept.
			...(reason !== undefined && reason !== 'sent' ? { reason } : {}),
			...(mirrorLink !== undefined ? { mirrorLink } : {}),
		},
	};
}

function automationElement(el: Obj, event: 'order_placed' | 'cart_abandoned', receivedAt: Date): ElementResult {
	const attributes = isObj(el.attributes)
		? (el.attributes as Obj)
		: isObj(el.contact_attributes)
			? (el.contact_attributes as Obj)
			: isObj(el.contact) && isObj((el.contact as Obj).attributes)
				? ((el.contact as Obj).attributes as Obj)
				: firstUpperAttributes(el);
	const contactSource = isObj(el.contact) ? { ...(el.contact as Obj), ...el } : el;
	const contact = contactOf(contactSource, attributes);
	if (!contact?.email) return { ok: false, reason: `missing email in a ${event} call (Brevo's "Call a webhook" always sends it)` };
	const { order, problems } = extractOrder(el);
	if (!order) return { ok: false, reason: problems[0] };
	if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
	if (event === 'order_placed' && order.value === undefined)
		return { ok: false, reason: 'the order has no value (amount, revenue or total)' };
	return {
		ok: true,
		item: {
			event,
			...base(el, 'automation', receivedAt),
			contact,
			order,
			link: order.url ?? readLink(el),
		},
	};
}

function conversationsElement(el: Obj, receivedAt: Date): ElementResult | { ok: 'skip'; reason: string } {
	const name = str(el.eventName);
	if (!name) return { ok: false, reason: 'missing "eventName" (not a Brevo Conversations webhook)' };
	if (name !== 'conversationStarted') return { ok: 'skip', reason: `Conversations event "${name}" is not conversationStarted` };
	const visitor = isObj(el.visitor) ? (el.visitor as Obj) : {};
	const vAttrs = isObj(visitor.attributes) ? (visitor.attributes as Obj) : undefined;
	const integration = isObj(visitor.integrationAttributes) ? (visitor.integrationAttributes as Obj) : undefined;
	const email =
		str(visitor.email) ?? str(vAttrs?.EMAIL) ?? str(vAttrs?.email) ?? str(integration?.email) ?? str(integration?.EMAIL);
	const contact: CanonicalContact = {
		...(email ? { email } : {}),
		...(visitor.id !== undefined ? { id: String(visitor.id) } : {}),
		...(str(visitor.displayedName) ? { name: str(visitor.displayedName) } : {}),
		...(vAttrs ? { attributes: vAttrs } : {}),
	};
	const message = isObj(el.message) ? (el.message as Obj) : {};
	const agent = isObj(el.agent) ? (el.agent as Obj) : undefined;
	// `conversationStartPage` is an object {link, title} (Conversations webhooks page); a plain string is read too.
	const page = isObj(el.conversationStartPage) ? (el.conversationStartPage as Obj) : { link: el.conversationStartPage };
	const ticket: CanonicalTicket = {
		...(str(el.conversationId) ? { id: str(el.conversationId) } : {}),
		...(str(message.text) ? { message: str(message.text) } : {}),
		...(str(page.link) ? { startPage: str(page.link) } : {}),
		...(str(page.title) ? { startPageTitle: str(page.title) } : {}),
		...(agent && str(agent.name) ? { agent: str(agent.name) } : {}),
		...(typeof el.isNoAvailableAgent === 'boolean' ? { noAgentAvailable: el.isNoAvailableAgent } : {}),
	};
	if (!ticket.id) return { ok: false, reason: 'missing "conversationId" in a conversationStarted webhook' };
	return {
		ok: true,
		item: {
			event: 'ticket_created',
			brevoEvent: name,
			...base(el, 'conversations', receivedAt),
			contact: Object.keys(contact).length > 0 ? contact : null,
			ticket,
			link: ticket.startPage ?? null,
		},
	};
}

/** Splits a parsed body into elements: arrays, inbound `items` envelopes, or one object. */
function elementsOf(body: unknown, kind: SourceKind): unknown[] | undefined {
	if (Array.isArray(body)) return body;
	if (!isObj(body)) return undefined;
	if (kind === 'inbound' && Array.isArray(body.items)) return body.items;
	return [body];
}

/**
 * Normalises one delivery. `skipped` elements (valid but of another Conversations event) are neither accepted
 * nor rejected. Filtering by the node's selection happens in the caller.
 */
export function normalizeDelivery(body: unknown, ctx: NormalizeContext): DeliveryResult & { skipped?: number } {
	const elements = elementsOf(body, ctx.kind);
	if (elements === undefined)
		return { ok: false, status: 400, reason: 'the body is not a JSON object or array of Brevo events' };
	if (elements.length === 0) return { ok: false, status: 400, reason: 'the body is an empty array' };
	if (elements.length > MAX_BATCH)
		return { ok: false, status: 413, reason: `the batch holds ${elements.length} events; Brevo sends at most ${MAX_BATCH}` };
	const accepted: Accepted[] = [];
	const rejected: Rejected[] = [];
	let skipped = 0;
	elements.forEach((el, index) => {
		if (!isObj(el)) {
			rejected.push({ index, reason: 'not a JSON object', raw: el });
			return;
		}
		let result: ElementResult | { ok: 'skip'; reason: string };
		if (ctx.kind === 'automation') {
			result = automationElement(el, ctx.automationEvent ?? 'order_placed', ctx.receivedAt);
		} else if (ctx.kind === 'conversations') {
			result = conversationsElement(el, ctx.receivedAt);
		} else {
			result = registeredElement(el, ctx.kind, ctx.receivedAt);
		}
		if (result.ok === 'skip') skipped++;
		else if (result.ok) accepted.push({ index, subscription: result.subscription, item: result.item });
		else rejected.push({ index, reason: result.reason, raw: el });
	});
	return { ok: true, accepted, rejected, skipped };
}

/** Parses a raw JSON body (when the platform did not), as a 400-worthy reason on failure. */
export function parseJsonBody(raw: string | Buffer | undefined): { ok: true; body: unknown } | { ok: false; reason: string } {
	if (raw === undefined) return { ok: false, reason: 'empty body' };
	const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
	if (text.trim() === '') return { ok: false, reason: 'empty body' };
	try {
		return { ok: true, body: JSON.parse(text) };
	} catch (error) {
		return { ok: false, reason: `malformed JSON: ${(error as Error).message}` };
	}
}
