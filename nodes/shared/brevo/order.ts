/**
 * Orders and carts as they reach us through a Brevo automation "Call a webhook" step, money amounts written the
 * many ways shops write them, and the high-value threshold. No n8n imports: tested directly.
 */

export interface Money {
	value: number;
	currency?: string;
}

const SYMBOLS: Array<[string, string]> = [
	['US$', 'USD'],
	['CA$', 'CAD'],
	['A$', 'AUD'],
	['R$', 'BRL'],
	['CHF', 'CHF'],
	['€', 'EUR'],
	['£', 'GBP'],
	['¥', 'JPY'],
	['₹', 'INR'],
	['₽', 'RUB'],
	['₩', 'KRW'],
	['zł', 'PLN'],
	['kr', 'SEK'],
	['$', 'USD'],
];

/**
 * Parses an amount: numbers as they are; strings such as "€1,234.50", "1.234,50 EUR", "USD 99.99", "1 234,50 €",
 * "1'234.50", "-12.5". Separator rule: when both `.` and `,` appear, the last one is the decimal separator; when
 * one of them appears several times it separates thousands; a single one followed by exactly three digits (and a
 * non-zero integer part) separates thousands ("1,234" and "1.234" are 1234), otherwise it is the decimal point.
 * Returns undefined for anything else (empty, words, several numbers).
 */
export function parseMoney(input: unknown): Money | undefined {
	if (typeof input === 'number') return Number.isFinite(input) ? { value: input } : undefined;
	if (typeof input !== 'string') return undefined;
	let text = input.trim().replace(/[\u00a0\u202f]/g, ' ');
	if (text === '') return undefined;

	let currency: string | undefined;
	const code = /(^|[^A-Za-z])([A-Z]{3})([^A-Za-z]|$)/.exec(text);
	if (code) {
		currency = code[2];
		text = text.replace(code[2], ' ');
	}
	if (!currency) {
		for (const [symbol, iso] of SYMBOLS) {
			if (text.includes(symbol)) {
				currency = iso;
				text = text.replace(symbol, ' ');
				break;
			}
		}
	}
	text = text.trim();
	let negative = false;
	if (/^-/.test(text) || /^\(.*\)$/.test(text)) {
		negative = true;
		text = text.replace(/^-\s*/, '').replace(/^\((.*)\)$/, '$1').trim();
	}
	if (!/^\d[\d\s'.,]*$/.test(text) || /\d\s+\d{1,2}$/.test(text)) return undefined;
	const compact = text.replace(/[\s']/g, '');
	if (!/^\d[\d.,]*$/.test(compact) || /[.,]$/.test(compact)) return undefined;

	const dots = (compact.match(/\./g) ?? []).length;
	const commas = (compact.match(/,/g) ?? []).length;
	let normalised: string;
	if (dots > 0 && commas > 0) {
		const decimal = compact.lastIndexOf('.') > compact.lastIndexOf(',') ? '.' : ',';
		const thousands = decimal === '.' ? ',' : '.';
		const [intPart, ...rest] = compact.split(decimal);
		if (rest.length !== 1) return undefined;
		if (!validGrouping(intPart, thousands)) return undefined;
		normalised = `${intPart.split(thousands).join('')}.${rest[0]}`;
	} else if (dots + commas === 0) {
		normalised = compact;
	} else {
		const sep = dots > 0 ? '.' : ',';
		const parts = compact.split(sep);
		if (parts.length > 2) {
			if (!validGrouping(compact, sep)) return undefined;
			normalised = parts.join('');
		} else if (parts[1].length === 3 && !/^0+$/.test(parts[0])) {
			normalised = parts.join('');
		} else {
			normalised = `${parts[0]}.${parts[1]}`;
		}
	}
	const value = Number(normalised);
	if (!Number.isFinite(value)) return undefined;
	return { value: negative ? -value : value, ...(currency ? { currency } : {}) };
}

function validGrouping(intPart: string, sep: string): boolean {
	if (!intPart.includes(sep)) return true;
	const groups = intPart.split(sep);
	return groups[0].length >= 1 && groups[0].length <= 3 && groups.slice(1).every((g) => /^\d{3}$/.test(g));
}

export interface Product {
	id?: string;
	name?: string;
	quantity?: number;
	price?: number;
	url?: string;
	raw: unknown;
}

export interface OrderData {
	id?: string;
	value?: number;
	currency?: string;
	products: Product[];
	firstOrder?: boolean;
	status?: string;
	/** For carts: the link back to the cart, when the shop sends one. */
	url?: string;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pick(o: Obj, keys: string[]): unknown {
	for (const k of keys) if (o[k] !== undefined && o[k] !== null && o[k] !== '') return o[k];
	return undefined;
}

const ID_KEYS = ['order_id', 'orderId', 'cart_id', 'cartId', 'id'];
const VALUE_KEYS = ['amount', 'revenue', 'total', 'total_price', 'totalPrice', 'value', 'order_value', 'orderValue', 'price', 'subtotal'];
const CURRENCY_KEYS = ['currency', 'currency_code', 'currencyCode'];
const PRODUCT_KEYS = ['products', 'items', 'line_items', 'lineItems'];
const FIRST_ORDER_KEYS = ['first_order', 'firstOrder', 'is_first_order', 'isFirstOrder', 'FIRST_ORDER'];
/** Where automation webhooks and shops nest the trigger event's data. */
const NEST_KEYS = ['order', 'cart', 'event_data', 'eventdata', 'eventData', 'data', 'properties', 'event_properties', 'trigger_event', 'event'];

function looksLikeOrder(o: Obj): boolean {
	return pick(o, VALUE_KEYS) !== undefined || Array.isArray(pick(o, PRODUCT_KEYS));
}

/** The object holding the order/cart, searching the known nesting keys breadth-first (bounded depth). */
export function findOrderObject(payload: unknown): { found: Obj; parents: Obj[] } | undefined {
	let level: Array<{ o: Obj; parents: Obj[] }> = isObj(payload) ? [{ o: payload, parents: [] }] : [];
	for (let depth = 0; depth < 4 && level.length > 0; depth++) {
		for (const { o, parents } of level) if (looksLikeOrder(o)) return { found: o, parents };
		const next: typeof level = [];
		for (const { o, parents } of level)
			for (const k of NEST_KEYS) if (isObj(o[k])) next.push({ o: o[k] as Obj, parents: [o, ...parents] });
		level = next;
	}
	return undefined;
}

function toNumber(v: unknown): number | undefined {
	const m = parseMoney(v);
	return m?.value;
}

function toBool(v: unknown): boolean | undefined {
	if (typeof v === 'boolean') return v;
	if (typeof v === 'number') return v !== 0;
	if (typeof v === 'string') {
		const s = v.trim().toLowerCase();
		if (['true', 'yes', '1', 'y'].includes(s)) return true;
		if (['false', 'no', '0', 'n'].includes(s)) return false;
	}
	return undefined;
}

function toProduct(raw: unknown): Product {
	if (!isObj(raw)) return { name: typeof raw === 'string' ? raw : undefined, raw };
	const id = pick(raw, ['productId', 'product_id', 'id', 'sku', 'variantId']);
	const name = pick(raw, ['name', 'title', 'product_name', 'productName']);
	const quantity = toNumber(pick(raw, ['quantity', 'qty']));
	const price = toNumber(pick(raw, ['price', 'unit_price', 'unitPrice', 'amount']));
	const url = pick(raw, ['url', 'link']);
	return {
		...(id !== undefined ? { id: String(id) } : {}),
		...(name !== undefined ? { name: String(name) } : {}),
		...(quantity !== undefined ? { quantity } : {}),
		...(price !== undefined ? { price } : {}),
		...(typeof url === 'string' ? { url } : {}),
		raw,
	};
}

/**
 * Extracts an order (or cart) from an automation payload. `problems` lists what could not be read (the value
 * as a word, for instance); an order without a readable value is still returned, with `value` undefined.
 */
export function extractOrder(payload: unknown): { order?: OrderData; problems: string[] } {
	const located = findOrderObject(payload);
	if (!located) return { problems: ['no order or cart data in the payload (turn on "Include details of the trigger event" in the "Call a webhook" step)'] };
	const o = located.found;
	const problems: string[] = [];
	const rawValue = pick(o, VALUE_KEYS);
	let money = parseMoney(rawValue);
	if (rawValue !== undefined && !money) problems.push(`order value ${JSON.stringify(rawValue)} is not an amount`);
	const products = (pick(o, PRODUCT_KEYS) as unknown[] | undefined) ?? [];
	const productList = Array.isArray(products) ? products.map(toProduct) : [];
	if (rawValue === undefined && productList.length > 0 && productList.every((p) => p.price !== undefined)) {
		money = { value: round2(productList.reduce((sum, p) => sum + (p.price ?? 0) * (p.quantity ?? 1), 0)) };
	}
	const currencyRaw = pick(o, CURRENCY_KEYS);
	const currency = typeof currencyRaw === 'string' ? currencyRaw.trim().toUpperCase() : money?.currency;
	// The id may sit one level up (Brevo's tracker nests carts as {id: "cart:..", data: {...}}); never the root's
	// `id`, which in an automation call is the contact's or the step's.
	const id = pick(o, ID_KEYS) ?? located.parents.slice(0, -1).map((p) => pick(p, ID_KEYS)).find((v) => v !== undefined);
	const firstOrder = toBool(pick(o, FIRST_ORDER_KEYS) ?? (isObj(payload) ? pick(payload, FIRST_ORDER_KEYS) : undefined));
	const ordersCount = toNumber(pick(o, ['orders_count', 'ordersCount']));
	const status = pick(o, ['status']);
	const url = pick(o, ['url', 'cart_url', 'cartUrl', 'checkout_url']);
	const order: OrderData = {
		...(id !== undefined ? { id: String(id).replace(/^cart:/, '') } : {}),
		...(money ? { value: money.value } : {}),
		...(currency ? { currency } : {}),
		products: productList,
		...(firstOrder !== undefined ? { firstOrder } : ordersCount !== undefined ? { firstOrder: ordersCount <= 1 } : {}),
		...(typeof status === 'string' ? { status } : {}),
		...(typeof url === 'string' ? { url } : {}),
	};
	return { order, problems };
}

function round2(n: number): number {
	return Math.round(n * 100) / 100;
}

export interface ThresholdRule {
	/** The minimum value (inclusive) of a high-value order. */
	minimum: number;
	/** When set, orders in another currency do not pass (they cannot be compared). */
	currency?: string;
}

export type ThresholdVerdict =
	| { passes: true }
	| { passes: false; reason: 'below_threshold' | 'no_value' | 'currency_mismatch' };

export function applyThreshold(order: OrderData, rule: ThresholdRule): ThresholdVerdict {
	if (order.value === undefined) return { passes: false, reason: 'no_value' };
	const wanted = rule.currency?.trim().toUpperCase();
	if (wanted && order.currency && order.currency !== wanted) return { passes: false, reason: 'currency_mismatch' };
	return order.value >= rule.minimum ? { passes: true } : { passes: false, reason: 'below_threshold' };
}
