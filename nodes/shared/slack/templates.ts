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
import { BLOCK_CONTAINER_COST, messageBlocksSize, MESSAGE_BLOCKS_TEXT_BUDGET, type Block } from './blocks';

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

/*
 * Escaping discipline for Slack text. Every value that comes from data (Brevo events, API answers, shop visitors'
 * browsers) reaches Slack through exactly one of these:
 * - mrkdwn text (section text and fields, context elements, the message's top-level `text`, which Slack also parses
 *   as mrkdwn): `escapeMrkdwn`, usually through `mrkdwnText` (one line, bounded). Slack's control characters are
 *   `&`, `<` and `>` (https://api.slack.com/reference/surfaces/formatting#escaping); every mention (`<!channel>`,
 *   `<!here>`, `<!everyone>`, `<@U…>`, `<#C…>`, `<!subteam^…>`, `<!date^…>`) and every link needs a raw `<`, so
 *   escaped data can produce none of them. The text objects the templates build from data are also `verbatim`, so
 *   Slack does not auto-link bare URLs or channel names in them either.
 *   `*bold*`, `_italic_`, `~strike~` and backticks in data are left as typed: they can only change how the value looks
 *   (never produce a mention or a link), and Slack has no escape for them. Data is kept on one line
 *   (`mrkdwnText`), so it cannot forge further fields, lines or quotes; only a ticket's message keeps its lines, each
 *   quoted.
 * - plain_text (headers, buttons): `plainText`. Slack shows plain_text as it is (no entities, mentions, links or
 *   formatting; `<!channel>` there is just those characters), so it is not entity-escaped, only kept on one line and
 *   within Slack's length limits.
 * - links: `mrkdwnLink` / `safeLinkUrl`, never by concatenating data: the URL is parsed with `new URL`, only http and
 *   https without user info are accepted, the re-serialised URL has `|`, `<`, `>`, quotes and whitespace
 *   percent-encoded and `&` entity-escaped, and the label is escaped.
 * What the workflow author writes in a template's own parameters (`note`: mrkdwn, e.g. a `<!subteam^…>` mention;
 * `title`; action buttons; the Brevo app URL) is used as written.
 */

/** Escapes the three characters Slack mrkdwn treats as control characters: `&` -> `&amp;`, `<` -> `&lt;`, `>` -> `&gt;`. */
export function escapeMrkdwn(value: unknown): string {
	return String(value ?? '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;');
}

/** Undoes `escapeMrkdwn` (only its three entities, in one pass). */
export function unescapeMrkdwn(value: string): string {
	return value.replace(/&(amp|lt|gt);/g, (_, e: string) => (e === 'amp' ? '&' : e === 'lt' ? '<' : '>'));
}

/** C0/C1 controls, line and paragraph separators, and bidirectional overrides (which can make text read backwards). */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/**
 * A value for a plain_text object, and the first step of `mrkdwnText`: one line (controls and line breaks become one
 * space), at most `max` characters (`…` when cut); no entity escaping (plain_text has none).
 */
export function plainText(value: unknown, max = 500): string {
	return truncate(String(value ?? '').replace(CONTROLS, ' ').replace(/ {2,}/g, ' ').trim(), max);
}

/** A value from data for mrkdwn: one line, bounded, escaped. */
export function mrkdwnText(value: unknown, max = 500): string {
	return escapeMrkdwn(plainText(value, max));
}

/** Characters percent-encoded in a link's URL on top of what the URL serialiser encodes. */
const LINK_UNSAFE = /[\s|<>"'`^{}\\]/g;

/**
 * A URL safe to put into a Slack link or button: parsed with `new URL`, http or https only, no user info
 * (`https://app.brevo.com@evil.example`), re-serialised, with `|`, `<`, `>`, quotes and whitespace percent-encoded;
 * undefined for anything else (`javascript:`, `data:`, relative or unparsable URLs, longer than Slack's 3,000).
 */
export function safeLinkUrl(raw: unknown, max = 3000): string | undefined {
	if (typeof raw !== 'string' || raw.trim() === '') return undefined;
	let u: URL;
	try {
		u = new URL(raw.trim());
	} catch {
		return undefined;
	}
	if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
	if (!u.hostname || u.username || u.password) return undefined;
	// The serialised URL is ASCII (the serialiser percent-encodes the rest), so one byte per character.
	const href = u.href.replace(LINK_UNSAFE, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
	return href.length > max ? undefined : href;
}

/** A mrkdwn link `<url|label>` built from a parsed URL (see `safeLinkUrl`) and an escaped label; undefined when the URL is refused. */
export function mrkdwnLink(url: unknown, label: unknown): string | undefined {
	const href = safeLinkUrl(url);
	if (href === undefined) return undefined;
	const text = mrkdwnText(label) || escapeMrkdwn(href);
	return `<${href.replace(/&/g, '&amp;')}|${text}>`;
}

function truncate(s: string, max: number): string {
	return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Truncates assembled mrkdwn without leaving half an entity (`&am`) or an unclosed `<link`. */
function truncateMrkdwn(s: string, max: number): string {
	if (s.length <= max) return s;
	let cut = s.slice(0, max - 1).replace(/&[a-z]*$/i, '');
	if (cut.lastIndexOf('<') > cut.lastIndexOf('>')) cut = cut.slice(0, cut.lastIndexOf('<'));
	return `${cut}…`;
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

/** Header: plain_text (data in it needs no entity escaping, see above), one line, at most 150 characters. */
function header(text: string): Block {
	return { type: 'header', text: { type: 'plain_text', text: plainText(text, 150), emoji: true } };
}

/**
 * mrkdwn text object. `verbatim` for text assembled by the templates (data already escaped): Slack then does not
 * auto-link URLs or channel names in it. Only the author's `note` is sent without it, as written.
 */
function mrkdwn(text: string, max: number, verbatim = true): Record<string, unknown> {
	return { type: 'mrkdwn', text: truncateMrkdwn(text, max), ...(verbatim ? { verbatim: true } : {}) };
}

/** Section of assembled mrkdwn: every data value in `text` must already have passed `escapeMrkdwn` / `mrkdwnText` / `mrkdwnLink`. */
function section(text: string, verbatim = true): Block {
	return { type: 'section', text: mrkdwn(text, 3000, verbatim) };
}

/** Label / value fields; labels are the templates' own words, values must already be escaped. */
function fields(pairs: Array<[string, string | undefined]>): Block | undefined {
	const present = pairs.filter(([, v]) => v !== undefined && v !== '').slice(0, 10);
	if (present.length === 0) return undefined;
	return {
		type: 'section',
		fields: present.map(([k, v]) => mrkdwn(`*${k}*\n${v}`, 2000)),
	};
}

function context(text: string): Block {
	return { type: 'context', elements: [mrkdwn(text, 3000)] };
}

function buttons(url: string, o: TemplateOptions, value?: string): Block {
	const elements: Record<string, unknown>[] = [
		{ type: 'button', text: { type: 'plain_text', text: 'View in Brevo', emoji: true }, url, action_id: 'brevo_view' },
	];
	for (const a of (o.actions ?? []).slice(0, 24)) {
		elements.push({
			type: 'button',
			text: { type: 'plain_text', text: plainText(a.text, 75), emoji: true },
			action_id: a.actionId,
			...(a.value !== undefined || value !== undefined ? { value: truncate(a.value ?? value ?? '', 2000) } : {}),
			...(a.style ? { style: a.style } : {}),
		});
	}
	return { type: 'actions', elements };
}

/** The contact as escaped mrkdwn, for block text and for the message's top-level `text` alike. */
function who(c: ContactInfo): string {
	if (c.name && c.email) return `${mrkdwnText(c.name)} (${mrkdwnText(c.email)})`;
	return mrkdwnText(c.email ?? c.name ?? 'unknown contact');
}

/** The `note` option is the workflow author's own mrkdwn (e.g. `cc <!subteam^S1>`): sent as written, not escaped. */
function assemble(blocks: Array<Block | undefined>, o: TemplateOptions): Block[] {
	const out = blocks.filter((b): b is Block => b !== undefined);
	if (o.note) out.splice(1, 0, section(o.note, false));
	return out;
}

function when(item: Item): string | undefined {
	const v = pick(item, 'occurredAt', 'date_event', 'date', 'eventDate', 'event_date', 'createdAt', 'created_at', 'message.createdAt', 'ts_event', 'ts');
	if (v === undefined) return undefined;
	const n = toNumber(v);
	if (n !== undefined) {
		const ms = n > 1e12 ? n : n * 1000;
		const d = new Date(ms);
		// a number too large for a date is shown as given rather than throwing
		return Number.isNaN(d.getTime()) ? String(v) : d.toISOString().replace('.000Z', 'Z');
	}
	return String(v);
}

/** The "Brevo · <date>" context line, when the item has a date. */
function stamp(item: Item): Block | undefined {
	const w = when(item);
	return w ? context(`Brevo · ${mrkdwnText(w)}`) : undefined;
}

export function subscriberAlert(item: Item, o: TemplateOptions = {}): RenderedMessage {
	const c = contactOf(item);
	const lists = listIdsOf(item);
	const listNames = pick(item, 'listNames', 'list_names');
	const listText = Array.isArray(listNames) && listNames.length ? listNames.join(', ') : lists.join(', ');
	const list = mrkdwnText(listText);
	const source = pick(item, 'source', 'origin', 'form', 'formName');
	const blocks = assemble(
		[
			header(o.title ?? ':tada: New subscriber'),
			section(`*${who(c)}* subscribed${list ? ` to list ${list}` : ''}.`),
			fields([
				['Email', mrkdwnText(c.email)],
				['Name', mrkdwnText(c.name)],
				[lists.length > 1 ? 'Lists' : 'List', list],
				['Source', mrkdwnText(source)],
			]),
			stamp(item),
			buttons(brevoContactUrl(c.contactId, o), o, c.email),
		],
		o,
	);
	return { text: `New subscriber: ${who(c)}${list ? ` joined list ${list}` : ''}`, blocks };
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

/** Escaped product lines; a price that is not an amount is shown as escaped text. */
function productLines(products: Product[], currency: unknown, locale?: string, max = 10): string {
	const lines = products.slice(0, max).map((p) => {
		const qty = p.quantity !== undefined && p.quantity !== 1 ? `${mrkdwnText(p.quantity)} × ` : '';
		const price = p.price !== undefined ? ` — ${mrkdwnText(formatMoney(p.price, currency, locale))}` : '';
		return `• ${qty}${mrkdwnText(p.name)}${price}`;
	});
	if (products.length > max) lines.push(`…and ${products.length - max} more`);
	return lines.join('\n');
}

export function orderAlert(item: Item, o: TemplateOptions = {}): RenderedMessage {
	const c = contactOf(item);
	const orderId = pick(item, 'order_id', 'orderId', 'order.id', 'id');
	const currency = pick(item, 'currency', 'currencyCode', 'currency_code');
	const amount = pick(item, 'amount', 'revenue', 'total', 'totalAmount', 'order_total', 'value');
	const money = mrkdwnText(formatMoney(amount, currency, o.locale), 100);
	const order = mrkdwnText(orderId);
	const products = productsOf(item);
	const first = truthy(pick(item, 'first_order', 'firstOrder', 'is_first_order', 'isFirstOrder', 'FIRST_ORDER'));
	const blocks = assemble(
		[
			header(o.title ?? ':moneybag: New high-value order'),
			fields([
				['Customer', who(c)],
				['Amount', money],
				['Order', order],
				['First order', first ? ':star: Yes, first order' : 'No'],
			]),
			products.length ? section(`*Products*\n${productLines(products, currency, o.locale)}`) : undefined,
			stamp(item),
			buttons(brevoContactUrl(c.contactId, o), o, orderId !== undefined ? String(orderId) : c.email),
		],
		o,
	);
	const productText = products.length ? `: ${products.slice(0, 5).map((p) => mrkdwnText(p.name, 100)).join(', ')}` : '';
	return {
		text: `New order${order ? ` ${order}` : ''} from ${who(c)}: ${money}${first ? ' (first order)' : ''}${productText}`,
		blocks,
	};
}

export function cartAlert(item: Item, o: TemplateOptions = {}): RenderedMessage {
	const c = contactOf(item);
	const cartId = pick(item, 'cart_id', 'cartId', 'cart.id', 'id');
	const currency = pick(item, 'currency', 'currencyCode');
	const total = pick(item, 'total', 'amount', 'revenue', 'subtotal', 'cart_total', 'value');
	const money = mrkdwnText(formatMoney(total, currency, o.locale), 100);
	const products = productsOf(item);
	const cartUrl = pick(item, 'cart_url', 'cartUrl', 'url', 'recovery_url', 'checkout_url');
	const idle = pick(item, 'abandoned_minutes', 'minutes', 'idleMinutes');
	const blocks = assemble(
		[
			header(o.title ?? ':shopping_trolley: Cart abandoned'),
			section(`*${who(c)}* left a cart worth *${money}*` + (idle !== undefined ? ` (idle ${mrkdwnText(idle)} min)` : '') + '. Follow up?'),
			fields([
				['Cart', mrkdwnText(cartId)],
				['Items', products.length ? String(products.reduce((n, p) => n + (p.quantity ?? 1), 0)) : undefined],
				// The cart URL comes from the shop visitor's browser: only a parsed http(s) URL becomes a link.
				['Checkout link', mrkdwnLink(cartUrl, 'open cart')],
			]),
			products.length ? section(`*Products*\n${productLines(products, currency, o.locale)}`) : undefined,
			stamp(item),
			buttons(brevoContactUrl(c.contactId, o), o, cartId !== undefined ? String(cartId) : c.email),
		],
		o,
	);
	return {
		text: `Cart abandoned by ${who(c)}: ${money}${products.length ? ` (${products.length} product${products.length === 1 ? '' : 's'})` : ''}`,
		blocks,
	};
}

/** A multi-line message as an escaped mrkdwn quote: lines kept (controls removed), each prefixed with `>`. */
function quote(message: string, max: number): string {
	return truncate(message, max)
		.split(/\r\n?|\n|\u2028|\u2029/)
		.map((l) => `>${mrkdwnText(l, max)}`)
		.join('\n');
}

export function ticketAlert(item: Item, o: TemplateOptions = {}): RenderedMessage {
	const c = contactOf(item);
	const ticketId = pick(item, 'ticket_id', 'ticketId', 'conversationId', 'conversation_id', 'id');
	const ticket = mrkdwnText(ticketId);
	const subject = pick(item, 'subject', 'title', 'topic');
	const rawMessage = pick(item, 'message.text', 'text', 'description', 'body.text', 'messages.0.text', 'message');
	const message = typeof rawMessage === 'string' ? rawMessage : undefined;
	const priority = pick(item, 'priority', 'severity');
	const status = pick(item, 'status', 'state');
	// Brevo sends `conversationStartPage: {link, title}` (Conversations webhooks page); the trigger's output has `startPage`
	const pageLink = pick(item, 'conversationStartPage.link', 'conversationStartPage', 'startPage', 'page', 'url');
	const page = typeof pageLink === 'string' ? pageLink : pick(item, 'startPage', 'page', 'url');
	const blocks = assemble(
		[
			header(o.title ?? ':ticket: New support ticket'),
			section(`*${mrkdwnText(subject ?? 'Conversation started')}*${message ? `\n${quote(message, 1500)}` : ''}`),
			fields([
				['From', who(c)],
				['Ticket', ticket],
				['Priority', mrkdwnText(priority)],
				['Status', mrkdwnText(status)],
				// shown as text, not as a link
				['Page', typeof page === 'string' ? mrkdwnText(page) : undefined],
			]),
			stamp(item),
			buttons(brevoContactUrl(c.contactId, o), o, ticketId !== undefined ? String(ticketId) : c.email),
		],
		o,
	);
	return {
		text: `New ticket${ticket ? ` ${ticket}` : ''} from ${who(c)}${subject ? `: ${mrkdwnText(subject)}` : message ? `: ${mrkdwnText(message, 200)}` : ''}`,
		blocks,
	};
}

export function unsubscribeAlert(item: Item, o: TemplateOptions = {}): RenderedMessage {
	const c = contactOf(item);
	const campaign = pick(item, 'campaign name', 'campaignName', 'campaign_name', 'camp_name', 'campaign.name');
	const campaignText = mrkdwnText(campaign);
	const campaignId = pick(item, 'camp_id', 'campaignId', 'campaign_id', 'campaign.id');
	const lists = listIdsOf(item);
	const reason = pick(item, 'reason', 'unsubscription_reason', 'feedback');
	const blocks = assemble(
		[
			header(o.title ?? ':wave: Contact unsubscribed'),
			section(`*${who(c)}* unsubscribed${campaignText ? ` after *${campaignText}*` : ''}.`),
			fields([
				['Campaign', campaignText || (campaignId !== undefined ? `#${mrkdwnText(campaignId)}` : undefined)],
				[lists.length > 1 ? 'Lists' : 'List', mrkdwnText(lists.join(', '))],
				['Reason', mrkdwnText(reason)],
			]),
			stamp(item),
			buttons(c.contactId !== undefined || campaignId === undefined ? brevoContactUrl(c.contactId, o) : brevoCampaignUrl(campaignId, o), o, c.email),
		],
		o,
	);
	return { text: `Unsubscribed: ${who(c)}${campaignText ? ` (campaign ${campaignText})` : ''}`, blocks };
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

/** "490 (50.0%)" */
function rate(n: number | undefined, whole: number | undefined, locale?: string): string | undefined {
	return n === undefined ? undefined : `${num(n, locale)} (${formatPercent(n, whole)})`;
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
			subject ? section(`*Subject:* ${mrkdwnText(subject)}`) : undefined,
			fields([
				['Sent', num(s.sent, o.locale)],
				['Delivered', num(s.delivered, o.locale)],
				['Opens (unique)', rate(s.uniqueViews, base, o.locale)],
				['Clicks (unique)', rate(s.uniqueClicks, base, o.locale)],
				['Unsubscribed', rate(s.unsubscriptions, base, o.locale)],
				['Bounces', rate(bounces, s.sent, o.locale)],
				['Complaints', num(s.complaints, o.locale)],
			]),
			sentDate !== undefined ? context(`Sent ${mrkdwnText(sentDate)}${id !== undefined ? ` · campaign #${mrkdwnText(id)}` : ''}`) : undefined,
			buttons(brevoCampaignUrl(id, o), o, id !== undefined ? String(id) : undefined),
		],
		o,
	);
	const parts = [
		s.sent !== undefined ? `${s.sent} sent` : undefined,
		s.uniqueViews !== undefined ? `open rate ${formatPercent(s.uniqueViews, base)}` : undefined,
		s.uniqueClicks !== undefined ? `click rate ${formatPercent(s.uniqueClicks, base)}` : undefined,
	].filter(Boolean);
	return { text: `Campaign sent: ${mrkdwnText(name ?? `#${id ?? '?'}`)}${parts.length ? ` (${parts.join(', ')})` : ''}`, blocks };
}

/** For events with no dedicated template: the event name and its scalar fields. */
export function genericEvent(item: Item, o: TemplateOptions = {}): RenderedMessage {
	const type = eventTypeOf(item) ?? 'event';
	const c = contactOf(item);
	const scalars = Object.entries(item)
		.filter(([k, v]) => ['string', 'number', 'boolean'].includes(typeof v) && !/token|secret|key|password/i.test(k))
		.slice(0, 10)
		.map(([k, v]): [string, string] => [mrkdwnText(k), mrkdwnText(v, 300)]);
	const blocks = assemble(
		[header(o.title ?? `Brevo: ${type}`), fields(scalars), buttons(brevoContactUrl(c.contactId, o), o, c.email)],
		o,
	);
	return { text: `Brevo ${mrkdwnText(type)}${c.email || c.name ? `: ${who(c)}` : ''}`, blocks };
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
 * lines packed into sections of at most 3,000 characters, at most 50 blocks per message, and a size (messageBlocksSize:
 * block text plus 125 per block, header and summary included) of at most MESSAGE_BLOCKS_TEXT_BUDGET (11,000): Slack
 * refuses a message whose blocks are larger than about 13,000 (`msg_blocks_too_long`, bolt-js#2509, #2867), so a
 * 40,000-character digest would be lost whole. More continues in further messages. Each message's fallback `text` is
 * the summary line.
 */
export function digestMessages(entries: DigestEntry[], o: { title?: string; maxLine?: number; maxChars?: number } = {}): DigestMessage[] {
	const maxLine = o.maxLine ?? 500;
	const maxChars = Math.min(o.maxChars ?? MESSAGE_BLOCKS_TEXT_BUDGET, MESSAGE_BLOCKS_TEXT_BUDGET);
	const title = o.title ?? ':bell: Brevo digest';
	const summary = digestSummaryLine(entries);
	const lines = entries.map((e) => {
		// The entry's text is usually a template's top-level text, already escaped: decoded first, so it is escaped once.
		const body = mrkdwnText(unescapeMrkdwn(e.text), maxLine);
		const link = mrkdwnLink(e.url, 'View in Brevo');
		return `• ${body}${link ? ` ${link}` : ''}`;
	});
	const messages: DigestMessage[] = [];
	let blocks: Block[] = [];
	let idx: number[] = [];
	let pending: string[] = [];
	let sectionLen = 0;
	// size of the message so far (header and summary included), counted as Slack counts it (messageBlocksSize)
	let messageLen = 0;
	const startMessage = () => {
		const part = messages.length ? ` (continued ${messages.length + 1})` : '';
		blocks = [header(`${title}${part}`), context(mrkdwnText(summary, 3000))];
		messageLen = messageBlocksSize(blocks);
		idx = [];
	};
	const flushSection = () => {
		if (pending.length) blocks.push(section(pending.join('\n')));
		pending = [];
		sectionLen = 0;
	};
	const flushMessage = () => {
		flushSection();
		if (idx.length) messages.push({ text: escapeMrkdwn(summary) + (messages.length ? ` (part ${messages.length + 1})` : ''), blocks, entries: idx });
	};
	startMessage();
	lines.forEach((line, i) => {
		// a line costs its length plus the newline joining it to the previous one in its section, and opening a new
		// section costs a block
		const cost = line.length + 1 + (pending.length === 0 || sectionLen + line.length + 1 > 3000 ? BLOCK_CONTAINER_COST : 0);
		if (messageLen + cost > maxChars && idx.length) {
			flushMessage();
			startMessage();
		} else if (sectionLen + line.length + 1 > 3000) {
			flushSection();
			if (blocks.length >= 50) {
				flushMessage();
				startMessage();
			}
		}
		if (pending.length === 0) messageLen += BLOCK_CONTAINER_COST;
		pending.push(line);
		sectionLen += line.length + 1;
		messageLen += line.length + 1;
		idx.push(i);
	});
	flushMessage();
	return messages;
}

/** The parent message of a digest posted as "one parent plus thread replies". */
export function digestParent(entries: DigestEntry[], o: { title?: string } = {}): RenderedMessage {
	const summary = digestSummaryLine(entries);
	return {
		text: escapeMrkdwn(summary),
		blocks: [header(o.title ?? ':bell: Brevo digest'), section(`${mrkdwnText(summary, 2900)}\nDetails in the thread :thread:`)],
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

/** A link to `url` labelled `label` (escaped); the escaped label alone when the URL is refused. */
function linkOrText(url: string, label: unknown): string {
	return mrkdwnLink(url, label) ?? mrkdwnText(label);
}

/** Unfurl preview of a Brevo contact (GET /contacts/{id}). */
export function contactPreview(contact: Item, o: TemplateOptions = {}): Block[] {
	const c = contactOf({ ...contact, contact_id: contact.id });
	const lists = Array.isArray(contact.listIds) ? (contact.listIds as unknown[]).length : undefined;
	const blacklisted = contact.emailBlacklisted === true;
	return [
		section(`*${linkOrText(brevoContactUrl(contact.id, o), c.name ?? c.email ?? `Contact ${String(contact.id ?? '')}`)}*${c.email && c.name ? `\n${mrkdwnText(c.email)}` : ''}`),
		fields([
			['Lists', lists !== undefined ? String(lists) : undefined],
			['Email status', blacklisted ? 'Unsubscribed / blocklisted' : 'Subscribed'],
			['Created', typeof contact.createdAt === 'string' ? mrkdwnText(contact.createdAt.slice(0, 10)) : undefined],
			['Modified', typeof contact.modifiedAt === 'string' ? mrkdwnText(contact.modifiedAt.slice(0, 10)) : undefined],
		]),
		context('Brevo contact'),
	].filter((b): b is Block => b !== undefined);
}

/** Unfurl preview of a Brevo email campaign (GET /emailCampaigns/{id}). */
export function campaignPreview(campaign: Item, o: TemplateOptions = {}): Block[] {
	const s = campaignStatsOf(campaign);
	const base = s.delivered ?? s.sent;
	return [
		section(`*${linkOrText(brevoCampaignUrl(campaign.id, o), campaign.name ?? `Campaign ${String(campaign.id ?? '')}`)}*${campaign.subject ? `\n${mrkdwnText(campaign.subject)}` : ''}`),
		fields([
			['Status', mrkdwnText(campaign.status)],
			['Sent', typeof campaign.sentDate === 'string' ? mrkdwnText(campaign.sentDate.slice(0, 16).replace('T', ' ')) : undefined],
			['Recipients', num(s.sent, o.locale)],
			['Open rate', s.uniqueViews !== undefined ? formatPercent(s.uniqueViews, base) : undefined],
			['Click rate', s.uniqueClicks !== undefined ? formatPercent(s.uniqueClicks, base) : undefined],
		]),
		context('Brevo email campaign'),
	].filter((b): b is Block => b !== undefined);
}
