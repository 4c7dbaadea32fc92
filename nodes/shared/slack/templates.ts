/**
 * Built-in Block Kit templates for the spec's Brevo -> Slack notifications. Each template takes one event item in any
 * of the shapes Brevo sends (webhooks, automation "call a webhook", Conversations, tracked-event properties, our
 * triggers' normalised items) and returns `{text, blocks}`: `text` is the plain-text fallback Slack shows in
 * notifications and screen readers, `blocks` the rich message with a "View in Brevo" button.
 * Pure: no n8n imports.
 */
import { getPath as get } from '../util';
import { parseMoney } from '../brevo/order';
import { eventTypeOf, listIdsOf, normaliseEventName, type Item } from './routing';
import type { Block } from './blocks';

/**
 * Every template once: its name (the value in parameters and routing rules) and its label in the editor. The
 * renderers (`TEMPLATES` below) are typed by these names, so a template cannot be added in one place only.
 */
export const TEMPLATE_LABELS = {
	subscriber_alert: 'Subscriber Alert',
	order_alert: 'Order Alert',
	cart_alert: 'Cart Alert',
	ticket_alert: 'Ticket Alert',
	unsubscribe_alert: 'Unsubscribe Alert',
	campaign_summary: 'Campaign Summary',
	generic_event: 'Generic Brevo Event',
} as const;

export type TemplateName = keyof typeof TEMPLATE_LABELS;

export const TEMPLATE_NAMES = Object.keys(TEMPLATE_LABELS) as TemplateName[];

export interface TemplateOptions {
	/** Base of Brevo's web app, for the "View in Brevo" links. */
	brevoAppUrl?: string;
	/** Header override (plain text). */
	title?: string;
	/** Extra line under the header (mrkdwn), e.g. a mention of an on-call group. */
	note?: string;
	/** Interactive buttons (action ids) to add beside "View in Brevo"; used by the Slack -> Brevo half. */
	actions?: Array<{ text: string; actionId: string; value?: string; style?: 'primary' | 'danger' }>;
	/** Locale for numbers and money; default en-US. */
	locale?: string;
}

export interface RenderedMessage {
	text: string;
	blocks: Block[];
}

export const DEFAULT_BREVO_APP_URL = 'https://app.brevo.com';

function appBase(o: TemplateOptions): string {
	return (o.brevoAppUrl || DEFAULT_BREVO_APP_URL).replace(/\/+$/, '');
}

/** Brevo's contact page. Without a numeric contact id, the contacts list (Brevo has no by-email page). */
export function brevoContactUrl(contactId: unknown, o: TemplateOptions = {}): string {
	const id = contactId === undefined || contactId === null ? '' : String(contactId).trim();
	return /^\d+$/.test(id) ? `${appBase(o)}/contact/index/${id}` : `${appBase(o)}/contact/list`;
}

/** Brevo's campaign report page; without an id, the campaign listing. */
export function brevoCampaignUrl(campaignId: unknown, o: TemplateOptions = {}): string {
	const id = campaignId === undefined || campaignId === null ? '' : String(campaignId).trim();
	return /^\d+$/.test(id) ? `${appBase(o)}/camp/report/${id}` : `${appBase(o)}/camp/listing`;
}

/** Escapes the three characters Slack mrkdwn treats as control characters. */
export function escapeMrkdwn(value: unknown): string {
	return String(value ?? '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;');
}

function truncate(s: string, max: number): string {
	return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Containers where Brevo and automation payloads nest an event's data. */
const CONTAINERS = ['', 'order', 'cart', 'ticket', 'campaign', 'contact', 'event_properties', 'eventProperties', 'properties', 'data', 'body', 'raw', 'params'];

/** First non-empty value among the given keys, looked up at the top level and in the usual containers. */
export function pick(item: Item, ...keys: string[]): unknown {
	for (const c of CONTAINERS) {
		const base = c === '' ? item : get(item, c);
		if (!base || typeof base !== 'object') continue;
		for (const k of keys) {
			const v = get(base, k);
			if (v !== undefined && v !== null && v !== '') return v;
		}
	}
	return undefined;
}

function attr(item: Item, name: string): unknown {
	for (const c of ['attributes', 'contact.attributes', 'contact_properties', 'contactProperties']) {
		const obj = get(item, c);
		if (obj && typeof obj === 'object') {
			const key = Object.keys(obj).find((k) => k.toUpperCase() === name);
			if (key) {
				const v = (obj as Record<string, unknown>)[key];
				if (v !== undefined && v !== null && v !== '') return v;
			}
		}
	}
	return undefined;
}

export interface ContactInfo {
	email?: string;
	name?: string;
	contactId?: string;
}

export function contactOf(item: Item): ContactInfo {
	const email = pick(item, 'email', 'contact.email', 'customer.email', 'visitor.email', 'contactEmail', 'customer_email') ?? attr(item, 'EMAIL');
	const first = attr(item, 'FIRSTNAME') ?? pick(item, 'firstName', 'first_name', 'customer.firstName');
	const last = attr(item, 'LASTNAME') ?? pick(item, 'lastName', 'last_name', 'customer.lastName');
	const full = [first, last].filter((v) => v !== undefined && v !== '').join(' ');
	// Only person-name fields: `name` inside campaign/order containers is not the contact's.
	const named = ['name', 'customer.name', 'contact.name', 'visitor.displayedName', 'displayedName', 'raw.visitor.displayedName']
		.map((p) => get(item, p))
		.find((v) => typeof v === 'string' && v !== '');
	const name = full || (named as string | undefined);
	const contactId = pick(item, 'contact_id', 'contactId', 'contact.id', 'customer.id');
	return {
		email: email === undefined ? undefined : String(email),
		name: name === undefined ? undefined : String(name),
		contactId: contactId === undefined ? undefined : String(contactId),
	};
}

function toNumber(v: unknown): number | undefined {
	if (typeof v === 'number' && Number.isFinite(v)) return v;
	if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
	return undefined;
}

/** Amounts as shops write them ("€1,250.00", "1.234,50 EUR") are read with the order parser; its currency is the fallback. */
export function formatMoney(amount: unknown, currency?: unknown, locale = 'en-US'): string {
	const money = parseMoney(amount);
	const n = money?.value;
	if (n === undefined) return amount === undefined ? 'n/a' : String(amount);
	const given = currency ?? money?.currency;
	const cur = typeof given === 'string' && /^[A-Za-z]{3}$/.test(given) ? given.toUpperCase() : undefined;
	if (cur) {
		try {
			return new Intl.NumberFormat(locale, { style: 'currency', currency: cur }).format(n);
		} catch {
			/* unknown currency code: plain number below */
		}
	}
	return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n) + (cur ? ` ${cur}` : '');
}

export function formatPercent(part: unknown, whole: unknown): string {
	const p = toNumber(part);
	const w = toNumber(whole);
	if (p === undefined || w === undefined || w === 0) return 'n/a';
	return `${((p / w) * 100).toFixed(1)}%`;
}

function truthy(v: unknown): boolean {
	if (typeof v === 'boolean') return v;
	if (typeof v === 'number') return v !== 0;
	if (typeof v === 'string') return ['true', 'yes', '1', 'y'].includes(v.trim().toLowerCase());
	return false;
}

function header(text: string): Block {
	return { type: 'header', text: { type: 'plain_text', text: truncate(text, 150), emoji: true } };
}

function section(mrkdwn: string): Block {
	return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, 3000) } };
}

function fields(pairs: Array<[string, string | undefined]>): Block | undefined {
	const present = pairs.filter(([, v]) => v !== undefined && v !== '').slice(0, 10);
	if (present.length === 0) return undefined;
	return {
		type: 'section',
		fields: present.map(([k, v]) => ({ type: 'mrkdwn', text: truncate(`*${k}*\n${v}`, 2000) })),
	};
}

function context(mrkdwn: string): Block {
	return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(mrkdwn, 3000) }] };
}

function buttons(url: string, o: TemplateOptions, value?: string): Block {
	const elements: Record<string, unknown>[] = [
		{ type: 'button', text: { type: 'plain_text', text: 'View in Brevo', emoji: true }, url, action_id: 'brevo_view' },
	];
	for (const a of (o.actions ?? []).slice(0, 24)) {
		elements.push({
			type: 'button',
			text: { type: 'plain_text', text: truncate(a.text, 75), emoji: true },
			action_id: a.actionId,
			...(a.value !== undefined || value !== undefined ? { value: truncate(a.value ?? value ?? '', 2000) } : {}),
			...(a.style ? { style: a.style } : {}),
		});
	}
	return { type: 'actions', elements };
}

function who(c: ContactInfo): string {
	if (c.name && c.email) return `${escapeMrkdwn(c.name)} (${escapeMrkdwn(c.email)})`;
	return escapeMrkdwn(c.email ?? c.name ?? 'unknown contact');
}

function whoPlain(c: ContactInfo): string {
	if (c.name && c.email) return `${c.name} (${c.email})`;
	return c.email ?? c.name ?? 'unknown contact';
}

function assemble(blocks: Array<Block | undefined>, o: TemplateOptions): Block[] {
	const out = blocks.filter((b): b is Block => b !== undefined);
	if (o.note) out.splice(1, 0, section(o.note));
	return out;
}

function when(item: Item): string | undefined {
	const v = pick(item, 'occurredAt', 'date_event', 'date', 'eventDate', 'event_date', 'createdAt', 'created_at', 'message.createdAt', 'ts_event', 'ts');
	if (v === undefined) return undefined;
	const n = toNumber(v);
	if (n !== undefined) {
		const ms = n > 1e12 ? n : n * 1000;
		return new Date(ms).toISOString().replace('.000Z', 'Z');
	}
	return String(v);
}

export function subscriberAlert(item: Item, o: TemplateOptions = {}): RenderedMessage {
	const c = contactOf(item);
	const lists = listIdsOf(item);
	const listNames = pick(item, 'listNames', 'list_names');
	const listText = Array.isArray(listNames) && listNames.length ? listNames.join(', ') : lists.join(', ');
	const source = pick(item, 'source', 'origin', 'form', 'formName');
	const blocks = assemble(
		[
			header(o.title ?? ':tada: New subscriber'),
			section(`*${who(c)}* subscribed${listText ? ` to list ${escapeMrkdwn(listText)}` : ''}.`),
			fields([
				['Email', c.email ? escapeMrkdwn(c.email) : undefined],
				['Name', c.name ? escapeMrkdwn(c.name) : undefined],
				[lists.length > 1 ? 'Lists' : 'List', listText ? escapeMrkdwn(listText) : undefined],
				['Source', source !== undefined ? escapeMrkdwn(source) : undefined],
			]),
			when(item) ? context(`Brevo · ${escapeMrkdwn(when(item))}`) : undefined,
			buttons(brevoContactUrl(c.contactId, o), o, c.email),
		],
		o,
	);
	return { text: `New subscriber: ${whoPlain(c)}${listText ? ` joined list ${listText}` : ''}`, blocks };
}

interface Product {
	name: string;
	quantity?: number;
	price?: unknown;
}

function productsOf(item: Item): Product[] {
	const raw = pick(item, 'products', 'items', 'lineItems', 'line_items');
	if (!Array.isArray(raw)) return [];
	return raw.map((p) => {
		if (typeof p !== 'object' || p === null) return { name: String(p) };
		const r = p as Record<string, unknown>;
		return {
			name: String(r.name ?? r.product_name ?? r.productName ?? r.title ?? r.productId ?? r.product_id ?? r.id ?? r.sku ?? 'item'),
			quantity: toNumber(r.quantity ?? r.qty),
			price: r.price ?? r.amount ?? r.unitPrice,
		};
	});
}

function productLines(products: Product[], currency: unknown, locale?: string, max = 10): string {
	const lines = products.slice(0, max).map((p) => {
		const qty = p.quantity !== undefined && p.quantity !== 1 ? `${p.quantity} × ` : '';
		const price = p.price !== undefined ? ` — ${formatMoney(p.price, currency, locale)}` : '';
		return `• ${qty}${escapeMrkdwn(p.name)}${price}`;
	});
	if (products.length > max) lines.push(`…and ${products.length - max} more`);
	return lines.join('\n');
}

export function orderAlert(item: Item, o: TemplateOptions = {}): RenderedMessage {
	const c = contactOf(item);
	const orderId = pick(item, 'order_id', 'orderId', 'order.id', 'id');
	const currency = pick(item, 'currency', 'currencyCode', 'currency_code');
	const amount = pick(item, 'amount', 'revenue', 'total', 'totalAmount', 'order_total', 'value');
	const money = formatMoney(amount, currency, o.locale);
	const products = productsOf(item);
	const first = truthy(pick(item, 'first_order', 'firstOrder', 'is_first_order', 'isFirstOrder', 'FIRST_ORDER'));
	const blocks = assemble(
		[
			header(o.title ?? ':moneybag: New high-value order'),
			fields([
				['Customer', who(c)],
				['Amount', escapeMrkdwn(money)],
				['Order', orderId !== undefined ? escapeMrkdwn(orderId) : undefined],
				['First order', first ? ':star: Yes, first order' : 'No'],
			]),
			products.length ? section(`*Products*\n${productLines(products, currency, o.locale)}`) : undefined,
			when(item) ? context(`Brevo · ${escapeMrkdwn(when(item))}`) : undefined,
			buttons(brevoContactUrl(c.contactId, o), o, orderId !== undefined ? String(orderId) : c.email),
		],
		o,
	);
	const productText = products.length ? `: ${products.map((p) => p.name).slice(0, 5).join(', ')}` : '';
	return {
		text: `New order${orderId !== undefined ? ` ${orderId}` : ''} from ${whoPlain(c)}: ${money}${first ? ' (first order)' : ''}${productText}`,
		blocks,
	};
}

export function cartAlert(item: Item, o: TemplateOptions = {}): RenderedMessage {
	const c = contactOf(item);
	const cartId = pick(item, 'cart_id', 'cartId', 'cart.id', 'id');
	const currency = pick(item, 'currency', 'currencyCode');
	const total = pick(item, 'total', 'amount', 'revenue', 'subtotal', 'cart_total', 'value');
	const products = productsOf(item);
	const cartUrl = pick(item, 'cart_url', 'cartUrl', 'url', 'recovery_url', 'checkout_url');
	const idle = pick(item, 'abandoned_minutes', 'minutes', 'idleMinutes');
	const blocks = assemble(
		[
			header(o.title ?? ':shopping_trolley: Cart abandoned'),
			section(
				`*${who(c)}* left a cart worth *${escapeMrkdwn(formatMoney(total, currency, o.locale))}*` +
					(idle !== undefined ? ` (idle ${escapeMrkdwn(idle)} min)` : '') +
					'. Follow up?',
			),
			fields([
				['Cart', cartId !== undefined ? escapeMrkdwn(cartId) : undefined],
				['Items', products.length ? String(products.reduce((n, p) => n + (p.quantity ?? 1), 0)) : undefined],
				['Checkout link', typeof cartUrl === 'string' && /^https?:\/\//.test(cartUrl) ? `<${cartUrl}|open cart>` : undefined],
			]),
			products.length ? section(`*Products*\n${productLines(products, currency, o.locale)}`) : undefined,
			when(item) ? context(`Brevo · ${escapeMrkdwn(when(item))}`) : undefined,
			buttons(brevoContactUrl(c.contactId, o), o, cartId !== undefined ? String(cartId) : c.email),
		],
		o,
	);
	return {
		text: `Cart abandoned by ${whoPlain(c)}: ${formatMoney(total, currency, o.locale)}${products.length ? ` (${products.length} product${products.length === 1 ? '' : 's'})` : ''}`,
		blocks,
	};
}

export function ticketAlert(item: Item, o: TemplateOptions = {}): RenderedMessage {
	const c = contactOf(item);
	const ticketId = pick(item, 'ticket_id', 'ticketId', 'conversationId', 'conversation_id', 'id');
	const subject = pick(item, 'subject', 'title', 'topic');
	const rawMessage = pick(item, 'message.text', 'text', 'description', 'body.text', 'messages.0.text', 'message');
	const message = typeof rawMessage === 'string' ? rawMessage : undefined;
	const priority = pick(item, 'priority', 'severity');
	const status = pick(item, 'status', 'state');
	const page = pick(item, 'conversationStartPage', 'startPage', 'page', 'url');
	const blocks = assemble(
		[
			header(o.title ?? ':ticket: New support ticket'),
			section(
				`*${escapeMrkdwn(subject ?? 'Conversation started')}*${message ? `\n>${escapeMrkdwn(truncate(String(message), 1500)).replace(/\n/g, '\n>')}` : ''}`,
			),
			fields([
				['From', who(c)],
				['Ticket', ticketId !== undefined ? escapeMrkdwn(ticketId) : undefined],
				['Priority', priority !== undefined ? escapeMrkdwn(priority) : undefined],
				['Status', status !== undefined ? escapeMrkdwn(status) : undefined],
				['Page', typeof page === 'string' ? escapeMrkdwn(page) : undefined],
			]),
			when(item) ? context(`Brevo · ${escapeMrkdwn(when(item))}`) : undefined,
			buttons(brevoContactUrl(c.contactId, o), o, ticketId !== undefined ? String(ticketId) : c.email),
		],
		o,
	);
	return {
		text: `New ticket${ticketId !== undefined ? ` ${ticketId}` : ''} from ${whoPlain(c)}${subject ? `: ${subject}` : message ? `: ${truncate(String(message), 200)}` : ''}`,
		blocks,
	};
}

export function unsubscribeAlert(item: Item, o: TemplateOptions = {}): RenderedMessage {
	const c = contactOf(item);
	const campaign = pick(item, 'campaign name', 'campaignName', 'campaign_name', 'camp_name', 'campaign.name');
	const campaignId = pick(item, 'camp_id', 'campaignId', 'campaign_id', 'campaign.id');
	const lists = listIdsOf(item);
	const reason = pick(item, 'reason', 'unsubscription_reason', 'feedback');
	const blocks = assemble(
		[
			header(o.title ?? ':wave: Contact unsubscribed'),
			section(`*${who(c)}* unsubscribed${campaign ? ` after *${escapeMrkdwn(campaign)}*` : ''}.`),
			fields([
				['Campaign', campaign !== undefined ? escapeMrkdwn(campaign) : campaignId !== undefined ? `#${escapeMrkdwn(campaignId)}` : undefined],
				[lists.length > 1 ? 'Lists' : 'List', lists.length ? lists.join(', ') : undefined],
				['Reason', reason !== undefined ? escapeMrkdwn(reason) : undefined],
			]),
			when(item) ? context(`Brevo · ${escapeMrkdwn(when(item))}`) : undefined,
			buttons(c.contactId !== undefined || campaignId === undefined ? brevoContactUrl(c.contactId, o) : brevoCampaignUrl(campaignId, o), o, c.email),
		],
		o,
	);
	return { text: `Unsubscribed: ${whoPlain(c)}${campaign ? ` (campaign ${campaign})` : ''}`, blocks };
}

export interface CampaignStats {
	sent?: number;
	delivered?: number;
	uniqueViews?: number;
	uniqueClicks?: number;
	unsubscriptions?: number;
	hardBounces?: number;
	softBounces?: number;
	complaints?: number;
}

/** Global stats of a Brevo email campaign (`statistics.globalStats`, or the sum of `statistics.campaignStats`). */
export function campaignStatsOf(item: Item): CampaignStats {
	const flat = get(item, 'statistics') as Record<string, unknown> | undefined;
	const flatStats = flat && typeof flat === 'object' && ['sent', 'delivered', 'uniqueViews'].some((k) => toNumber(flat[k]) !== undefined) ? flat : undefined;
	const g = (get(item, 'statistics.globalStats') ?? get(item, 'campaign.statistics.globalStats') ?? get(item, 'globalStats') ?? get(item, 'stats') ?? flatStats) as
		| Record<string, unknown>
		| undefined;
	const keys: Array<keyof CampaignStats> = ['sent', 'delivered', 'uniqueViews', 'uniqueClicks', 'unsubscriptions', 'hardBounces', 'softBounces', 'complaints'];
	const out: CampaignStats = {};
	if (g && typeof g === 'object' && Object.keys(g).length) {
		for (const k of keys) {
			const n = toNumber(g[k]);
			if (n !== undefined) out[k] = n;
		}
		return out;
	}
	const per = get(item, 'statistics.campaignStats') ?? get(item, 'campaign.statistics.campaignStats');
	if (Array.isArray(per)) {
		for (const row of per as Record<string, unknown>[]) {
			for (const k of keys) {
				const n = toNumber(row[k]);
				if (n !== undefined) out[k] = (out[k] ?? 0) + n;
			}
		}
	}
	return out;
}

function num(n: number | undefined, locale?: string): string | undefined {
	return n === undefined ? undefined : new Intl.NumberFormat(locale ?? 'en-US').format(n);
}

export function campaignSummary(item: Item, o: TemplateOptions = {}): RenderedMessage {
	const id = pick(item, 'campaign.id', 'camp_id', 'campaignId', 'campaign_id', 'id');
	const name = pick(item, 'campaign.name', 'name', 'campaign name', 'campaignName');
	const subject = pick(item, 'campaign.subject', 'subject');
	const sentDate = pick(item, 'campaign.sentDate', 'sentDate', 'sent_date', 'date_sent', 'scheduledAt');
	const s = campaignStatsOf(item);
	const base = s.delivered ?? s.sent;
	const bounces = s.hardBounces !== undefined || s.softBounces !== undefined ? (s.hardBounces ?? 0) + (s.softBounces ?? 0) : undefined;
	const blocks = assemble(
		[
			header(o.title ?? `:mailbox_with_mail: Campaign sent: ${name ?? `#${id ?? '?'}`}`),
			subject ? section(`*Subject:* ${escapeMrkdwn(subject)}`) : undefined,
			fields([
				['Sent', num(s.sent, o.locale)],
				['Delivered', num(s.delivered, o.locale)],
				['Opens (unique)', s.uniqueViews !== undefined ? `${num(s.uniqueViews, o.locale)} (${formatPercent(s.uniqueViews, base)})` : undefined],
				['Clicks (unique)', s.uniqueClicks !== undefined ? `${num(s.uniqueClicks, o.locale)} (${formatPercent(s.uniqueClicks, base)})` : undefined],
				['Unsubscribed', s.unsubscriptions !== undefined ? `${num(s.unsubscriptions, o.locale)} (${formatPercent(s.unsubscriptions, base)})` : undefined],
				['Bounces', bounces !== undefined ? `${num(bounces, o.locale)} (${formatPercent(bounces, s.sent)})` : undefined],
				['Complaints', num(s.complaints, o.locale)],
			]),
			sentDate !== undefined ? context(`Sent ${escapeMrkdwn(sentDate)}${id !== undefined ? ` · campaign #${escapeMrkdwn(id)}` : ''}`) : undefined,
			buttons(brevoCampaignUrl(id, o), o, id !== undefined ? String(id) : undefined),
		],
		o,
	);
	const parts = [
		s.sent !== undefined ? `${s.sent} sent` : undefined,
		s.uniqueViews !== undefined ? `open rate ${formatPercent(s.uniqueViews, base)}` : undefined,
		s.uniqueClicks !== undefined ? `click rate ${formatPercent(s.uniqueClicks, base)}` : undefined,
	].filter(Boolean);
	return { text: `Campaign sent: ${name ?? `#${id ?? '?'}`}${parts.length ? ` (${parts.join(', ')})` : ''}`, blocks };
}

/** For events with no dedicated template: the event name and its scalar fields. */
export function genericEvent(item: Item, o: TemplateOptions = {}): RenderedMessage {
	const type = eventTypeOf(item) ?? 'event';
	const c = contactOf(item);
	const scalars = Object.entries(item)
		.filter(([k, v]) => ['string', 'number', 'boolean'].includes(typeof v) && !/token|secret|key|password/i.test(k))
		.slice(0, 10)
		.map(([k, v]): [string, string] => [escapeMrkdwn(k), escapeMrkdwn(truncate(String(v), 300))]);
	const blocks = assemble(
		[header(o.title ?? `Brevo: ${type}`), fields(scalars), buttons(brevoContactUrl(c.contactId, o), o, c.email)],
		o,
	);
	return { text: `Brevo ${type}${c.email || c.name ? `: ${whoPlain(c)}` : ''}`, blocks };
}

export const TEMPLATES: Record<TemplateName, (item: Item, o?: TemplateOptions) => RenderedMessage> = {
	subscriber_alert: subscriberAlert,
	order_alert: orderAlert,
	cart_alert: cartAlert,
	ticket_alert: ticketAlert,
	unsubscribe_alert: unsubscribeAlert,
	campaign_summary: campaignSummary,
	generic_event: genericEvent,
};

const BY_EVENT: Record<string, TemplateName> = {
	newsubscriber: 'subscriber_alert',
	listaddition: 'subscriber_alert',
	contactcreated: 'subscriber_alert',
	subscribed: 'subscriber_alert',
	doubleoptin: 'subscriber_alert',
	orderplaced: 'order_alert',
	highvalueorder: 'order_alert',
	ordercreated: 'order_alert',
	ordercompleted: 'order_alert',
	order: 'order_alert',
	cartabandoned: 'cart_alert',
	abandonedcart: 'cart_alert',
	cartupdated: 'cart_alert',
	ticketcreated: 'ticket_alert',
	supportticket: 'ticket_alert',
	conversationstarted: 'ticket_alert',
	conversationfragment: 'ticket_alert',
	unsubscribed: 'unsubscribe_alert',
	unsubscribe: 'unsubscribe_alert',
	contactunsubscribed: 'unsubscribe_alert',
	campaignsent: 'campaign_summary',
};

/** The template for an item's event type (`new_subscriber`, `listAddition`, `order_placed`, ...); generic when unknown. */
export function templateForEvent(eventType: string | undefined): TemplateName {
	return (eventType && BY_EVENT[normaliseEventName(eventType)]) || 'generic_event';
}

/** Renders an item with a named template, or picks it from the item's event type when `name` is `auto`. */
export function renderTemplate(name: TemplateName | 'auto', item: Item, o: TemplateOptions = {}): RenderedMessage {
	const chosen = name === 'auto' ? templateForEvent(eventTypeOf(item)) : name;
	const fn = TEMPLATES[chosen];
	if (!fn) throw new Error(`Unknown template "${name}"; use one of ${TEMPLATE_NAMES.join(', ')} or auto`);
	return fn(item, o);
}

/** One notification inside a digest. */
export interface DigestEntry {
	/** plain-text line (usually a template's fallback text) */
	text: string;
	/** "View in Brevo" (or any) link for the line */
	url?: string;
	/** template / kind, for the summary counts */
	kind?: string;
}

const KIND_LABELS: Record<string, [string, string]> = {
	subscriber_alert: ['new subscriber', 'new subscribers'],
	order_alert: ['order', 'orders'],
	cart_alert: ['abandoned cart', 'abandoned carts'],
	ticket_alert: ['ticket', 'tickets'],
	unsubscribe_alert: ['unsubscribe', 'unsubscribes'],
	campaign_summary: ['campaign', 'campaigns'],
	generic_event: ['other event', 'other events'],
};

/** "12 notifications: 5 new subscribers, 3 orders, ..." */
export function digestSummaryLine(entries: DigestEntry[]): string {
	const counts = new Map<string, number>();
	for (const e of entries) counts.set(e.kind ?? 'generic_event', (counts.get(e.kind ?? 'generic_event') ?? 0) + 1);
	const parts = [...counts.entries()].map(([k, n]) => {
		const [one, many] = KIND_LABELS[k] ?? [k, k];
		return `${n} ${n === 1 ? one : many}`;
	});
	return `${entries.length} Brevo notification${entries.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** The "View in Brevo" link of a rendered template message, if it has one. */
export function viewUrlOf(blocks: Block[] | undefined): string | undefined {
	for (const b of blocks ?? []) {
		if (b.type !== 'actions' || !Array.isArray(b.elements)) continue;
		for (const el of b.elements as Array<Record<string, unknown>>) if (el.action_id === 'brevo_view' && typeof el.url === 'string') return el.url;
	}
	return undefined;
}

export interface DigestMessage extends RenderedMessage {
	/** indexes (into the entries given) of the notifications this message carries */
	entries: number[];
}

/**
 * Packs many notifications into as few messages as Slack's limits allow: one bullet line per notification,
 * lines packed into sections of at most 3,000 characters, at most 50 blocks and 40,000 characters per message; more continues
 * in further messages. Each message's fallback `text` is the summary line.
 */
export function digestMessages(entries: DigestEntry[], o: { title?: string; maxLine?: number; maxChars?: number } = {}): DigestMessage[] {
	const maxLine = o.maxLine ?? 500;
	// Slack documents 40,000 characters for a message's text; the digest keeps its block text within the same bound.
	const maxChars = o.maxChars ?? 40_000;
	const title = o.title ?? ':bell: Brevo digest';
	const summary = digestSummaryLine(entries);
	const lines = entries.map((e) => {
		const body = escapeMrkdwn(truncate(e.text.replace(/\s+/g, ' ').trim(), maxLine));
		return `• ${body}${e.url ? ` <${e.url}|View in Brevo>` : ''}`;
	});
	const messages: DigestMessage[] = [];
	let blocks: Block[] = [];
	let idx: number[] = [];
	let section: string[] = [];
	let sectionLen = 0;
	let messageLen = 0;
	const startMessage = () => {
		messageLen = 0;
		const part = messages.length ? ` (continued ${messages.length + 1})` : '';
		blocks = [header(`${title}${part}`), context(escapeMrkdwn(summary))];
		idx = [];
	};
	const flushSection = () => {
		if (section.length) blocks.push(section_(section.join('\n')));
		section = [];
		sectionLen = 0;
	};
	const flushMessage = () => {
		flushSection();
		if (idx.length) messages.push({ text: summary + (messages.length ? ` (part ${messages.length + 1})` : ''), blocks, entries: idx });
	};
	startMessage();
	lines.forEach((line, i) => {
		if (messageLen + line.length + 1 > maxChars && idx.length) {
			flushMessage();
			startMessage();
		} else if (sectionLen + line.length + 1 > 3000) {
			flushSection();
			if (blocks.length >= 50) {
				flushMessage();
				startMessage();
			}
		}
		section.push(line);
		sectionLen += line.length + 1;
		messageLen += line.length + 1;
		idx.push(i);
	});
	flushMessage();
	return messages;
}

function section_(mrkdwn: string): Block {
	return section(mrkdwn);
}

/** The parent message of a digest posted as "one parent plus thread replies". */
export function digestParent(entries: DigestEntry[], o: { title?: string } = {}): RenderedMessage {
	const summary = digestSummaryLine(entries);
	return {
		text: summary,
		blocks: [header(o.title ?? ':bell: Brevo digest'), section(`${escapeMrkdwn(summary)}\nDetails in the thread :thread:`)],
	};
}

/** A Brevo web-app link Slack asked us to unfurl. */
export type BrevoLink = { kind: 'contact'; id: string } | { kind: 'campaign'; id: string };

/**
 * Recognises links to Brevo's web app: contacts (`/contact/index/{id}`, `/contacts/{id}`) and email campaigns
 * (`/camp/report/{id}`, `/camp/summary/id/{id}`, `/camp/message/{id}`, `/camp/edit/{id}/...`, `/campaigns/{id}`) on brevo.com hosts
 * (app., my., or a custom base given in `hosts`).
 */
export function parseBrevoLink(url: string, hosts: string[] = []): BrevoLink | undefined {
	let u: URL;
	try {
		u = new URL(url);
	} catch {
		return undefined;
	}
	const host = u.hostname.toLowerCase();
	const known = host === 'brevo.com' || host.endsWith('.brevo.com') || hosts.some((h) => h.toLowerCase() === host);
	if (!known) return undefined;
	const contact = /\/(?:contact\/index|contacts)\/(\d+)(?:\/|$)/.exec(u.pathname);
	if (contact) return { kind: 'contact', id: contact[1] };
	const camp = /\/(?:camp\/(?:report|summary\/id|message|edit|preview|stats)|campaigns)\/(\d+)(?:\/|$)/.exec(u.pathname);
	if (camp) return { kind: 'campaign', id: camp[1] };
	return undefined;
}

/** Unfurl preview of a Brevo contact (GET /contacts/{id}). */
export function contactPreview(contact: Item, o: TemplateOptions = {}): Block[] {
	const c = contactOf({ ...contact, contact_id: contact.id });
	const lists = Array.isArray(contact.listIds) ? (contact.listIds as unknown[]).length : undefined;
	const blacklisted = contact.emailBlacklisted === true;
	return [
		section(`*<${brevoContactUrl(contact.id, o)}|${escapeMrkdwn(c.name ?? c.email ?? `Contact ${String(contact.id ?? '')}`)}>*${c.email && c.name ? `\n${escapeMrkdwn(c.email)}` : ''}`),
		fields([
			['Lists', lists !== undefined ? String(lists) : undefined],
			['Email status', blacklisted ? 'Unsubscribed / blocklisted' : 'Subscribed'],
			['Created', typeof contact.createdAt === 'string' ? escapeMrkdwn(contact.createdAt.slice(0, 10)) : undefined],
			['Modified', typeof contact.modifiedAt === 'string' ? escapeMrkdwn(contact.modifiedAt.slice(0, 10)) : undefined],
		]),
		context('Brevo contact'),
	].filter((b): b is Block => b !== undefined);
}

/** Unfurl preview of a Brevo email campaign (GET /emailCampaigns/{id}). */
export function campaignPreview(campaign: Item, o: TemplateOptions = {}): Block[] {
	const s = campaignStatsOf(campaign);
	const base = s.delivered ?? s.sent;
	return [
		section(`*<${brevoCampaignUrl(campaign.id, o)}|${escapeMrkdwn(campaign.name ?? `Campaign ${String(campaign.id ?? '')}`)}>*${campaign.subject ? `\n${escapeMrkdwn(campaign.subject)}` : ''}`),
		fields([
			['Status', campaign.status !== undefined ? escapeMrkdwn(campaign.status) : undefined],
			['Sent', typeof campaign.sentDate === 'string' ? escapeMrkdwn(campaign.sentDate.slice(0, 16).replace('T', ' ')) : undefined],
			['Recipients', num(s.sent, o.locale)],
			['Open rate', s.uniqueViews !== undefined ? formatPercent(s.uniqueViews, base) : undefined],
			['Click rate', s.uniqueClicks !== undefined ? formatPercent(s.uniqueClicks, base) : undefined],
		]),
		context('Brevo email campaign'),
	].filter((b): b is Block => b !== undefined);
}
