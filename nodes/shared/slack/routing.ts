/**
 * Channel routing for notifications: a table of rules (event type, Brevo list membership, contact attribute)
 * each pointing at a channel, plus a default channel, evaluated per item. Pure: no n8n imports.
 *
 * Brevo events arrive in several shapes (webhooks: `event: "list_addition"`, `list_id: [..]`; Conversations:
 * `eventName`; automation "call a webhook": `attributes`/`contact`; our trigger's normalised items: `eventType`),
 * so the readers below look in each of the places a value can be.
 */
import { getPath as get } from '../util';

export type RuleKind = 'eventType' | 'listId' | 'attribute';
export type RuleOperator = 'equals' | 'notEquals' | 'contains' | 'startsWith' | 'greaterThan' | 'lessThan' | 'exists';

export interface RouteRule {
	kind: RuleKind;
	/** eventType: one or several event names (comma separated); listId: list ids (comma separated); attribute: the value */
	value: string;
	/** attribute rules: the attribute name (FIRSTNAME, SEGMENT, ...) or a dotted path into the item (order.total) */
	attribute?: string;
	/** attribute rules only; defaults to equals */
	operator?: RuleOperator;
	/** channel id, `#name` or name; resolved to an id by the caller */
	channel: string;
	/** template to use when this rule matches (overrides the node-level template); empty = node-level */
	template?: string;
}

export type RouteMode = 'first' | 'all';

export type Item = Record<string, unknown>;

/** Lower-case with `_`, `-`, `.` and spaces removed: `list_addition`, `listAddition` and `List Addition` compare equal. */
export function normaliseEventName(name: unknown): string {
	return String(name ?? '')
		.toLowerCase()
		.replace(/[\s_.-]+/g, '');
}

/** The event type of an item, wherever Brevo or our triggers put it. */
export function eventTypeOf(item: Item): string | undefined {
	for (const path of ['eventType', 'event_type', 'event', 'eventName', 'event_name', 'type', 'body.event', 'raw.event']) {
		const v = get(item, path);
		if (typeof v === 'string' && v !== '') return v;
	}
	return undefined;
}

function toIdList(v: unknown): string[] {
	if (v === undefined || v === null || v === '') return [];
	if (Array.isArray(v)) return v.flatMap(toIdList);
	if (typeof v === 'object') {
		const id = (v as Record<string, unknown>).id;
		return id === undefined ? [] : [String(id)];
	}
	return String(v)
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}

/** Brevo list ids an item refers to: webhook `list_id`, contact `listIds`, automation `contact.listIds`, ... */
export function listIdsOf(item: Item): string[] {
	const out = new Set<string>();
	for (const path of ['list_id', 'listId', 'listIds', 'list_ids', 'lists', 'contact.listIds', 'contact.list_ids', 'raw.list_id']) {
		for (const id of toIdList(get(item, path))) out.add(id);
	}
	return [...out];
}

/** A contact attribute (case-insensitive name) from `attributes`, `contact.attributes`, `contact_properties`, or a path. */
export function attributeOf(item: Item, name: string): unknown {
	const wanted = String(name ?? '').trim();
	if (wanted === '') return undefined;
	for (const container of ['attributes', 'contact.attributes', 'contact_properties', 'contactProperties', 'params']) {
		const obj = get(item, container);
		if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
			const key = Object.keys(obj).find((k) => k.toLowerCase() === wanted.toLowerCase());
			if (key !== undefined) return (obj as Record<string, unknown>)[key];
		}
	}
	const direct = get(item, wanted);
	if (direct !== undefined) return direct;
	const key = Object.keys(item).find((k) => k.toLowerCase() === wanted.toLowerCase());
	return key === undefined ? undefined : item[key];
}

function compare(actual: unknown, operator: RuleOperator, expected: string): boolean {
	if (operator === 'exists') return actual !== undefined && actual !== null && actual !== '';
	if (actual === undefined || actual === null) return operator === 'notEquals';
	if (Array.isArray(actual)) {
		if (operator === 'notEquals') return !actual.some((a) => compare(a, 'equals', expected));
		return actual.some((a) => compare(a, operator, expected));
	}
	const a = String(actual).trim();
	const e = expected.trim();
	switch (operator) {
		case 'equals':
			return a.toLowerCase() === e.toLowerCase();
		case 'notEquals':
			return a.toLowerCase() !== e.toLowerCase();
		case 'contains':
			return a.toLowerCase().includes(e.toLowerCase());
		case 'startsWith':
			return a.toLowerCase().startsWith(e.toLowerCase());
		case 'greaterThan':
		case 'lessThan': {
			const x = Number(a);
			const y = Number(e);
			if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
			return operator === 'greaterThan' ? x > y : x < y;
		}
		default:
			return false;
	}
}

/** Whether one rule matches an item. */
export function ruleMatches(item: Item, rule: RouteRule): boolean {
	switch (rule.kind) {
		case 'eventType': {
			const type = eventTypeOf(item);
			if (type === undefined) return false;
			const wanted = textOf(rule.value).split(',').map(normaliseEventName).filter(Boolean);
			return wanted.includes(normaliseEventName(type));
		}
		case 'listId': {
			const wanted = toIdList(rule.value);
			const have = listIdsOf(item);
			return wanted.some((id) => have.includes(id));
		}
		case 'attribute':
			return compare(attributeOf(item, textOf(rule.attribute)), rule.operator ?? 'equals', textOf(rule.value));
		default:
			return false;
	}
}

/**
 * Rule fields as text whatever a caller passed (rules come from n8n parameters, where an expression can give a number,
 * a boolean or a list): numbers and booleans as written, lists comma-joined, anything else empty.
 */
function textOf(v: unknown): string {
	if (typeof v === 'string') return v;
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	if (Array.isArray(v)) return v.map(textOf).join(',');
	return '';
}

export interface RouteMatch {
	channel: string;
	/** index of the rule that matched; -1 for the default channel */
	rule: number;
	template?: string;
}

/**
 * Routes one item: the first matching rule's channel (mode `first`) or every matching rule's channel, each once
 * (mode `all`); the default channel when nothing matches; an empty list when nothing matches and there is no default.
 */
export function routeToChannel(item: Item, rules: RouteRule[], defaultChannel?: string, mode: RouteMode = 'first'): RouteMatch[] {
	const out: RouteMatch[] = [];
	const seen = new Set<string>();
	for (let i = 0; i < rules.length; i++) {
		const rule = rules[i];
		const channel = textOf(rule.channel).trim();
		if (!channel || !ruleMatches(item, rule)) continue;
		const key = channel.replace(/^#/, '').toLowerCase();
		if (seen.has(key)) continue;
		seen.add(key);
		out.push({ channel, rule: i, template: rule.template || undefined });
		if (mode === 'first') break;
	}
	const fallback = textOf(defaultChannel).trim();
	if (out.length === 0 && fallback !== '') {
		out.push({ channel: fallback, rule: -1 });
	}
	return out;
}

/** A channel reference as typed by a user: `C0123ABCD` (id), `#marketing` or `marketing` (name), or a Slack link. */
export type ChannelRef = { kind: 'id'; id: string } | { kind: 'name'; name: string };

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;

export function parseChannelRef(raw: string): ChannelRef {
	const value = raw.trim();
	const link = /\/archives\/([CGD][A-Z0-9]{6,})/.exec(value);
	if (link) return { kind: 'id', id: link[1] };
	const mention = /^<#([CGD][A-Z0-9]{6,})(\|[^>]*)?>$/.exec(value);
	if (mention) return { kind: 'id', id: mention[1] };
	if (value.startsWith('#')) return { kind: 'name', name: value.slice(1).toLowerCase() };
	if (CHANNEL_ID.test(value)) return { kind: 'id', id: value };
	return { kind: 'name', name: value.toLowerCase() };
}
