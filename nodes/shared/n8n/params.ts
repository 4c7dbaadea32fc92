/**
 * Parameter readers of the n8n layer: each names the field at fault and what to do, and copes with any value type an
 * expression can produce (text, numbers, booleans, objects, arrays, dates, null). What an operation needs is made of
 * what it was given when that is unambiguous (42 -> "42" where text is wanted, "true" -> true for a switch); anything
 * else is refused with a NodeOperationError naming the parameter by its displayName and the type it got.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeParameterResourceLocator } from 'n8n-workflow';

/** How a value is named in error messages: `an object`, `an array`, `null`, `a number (42)`, `a boolean (true)`. */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'empty';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (isDateLike(value)) return 'a date';
	if (typeof value === 'number') return `a number (${String(value)})`;
	if (typeof value === 'boolean') return `a boolean (${String(value)})`;
	if (typeof value === 'string') return 'text';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

/** A Date or a luxon DateTime (what `{{ $now }}` gives). */
function isDateLike(value: unknown): value is Date | { toISO(): string | null } {
	return value instanceof Date || (typeof value === 'object' && value !== null && typeof (value as { toISO?: unknown }).toISO === 'function');
}

function refuse(ctx: IExecuteFunctions, i: number, label: string, expected: string, value: unknown, hint: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${label} must be ${expected}, not ${describeValue(value)}`, { itemIndex: i, description: hint });
}

const TEXT_HINT = (label: string) =>
	`The expression in "${label}" gave a value that is not text. Map a single field, e.g. {{ $json.name }}, or write the text out with {{ JSON.stringify($json.data) }}.`;

/**
 * A value as text: strings as they are; finite numbers, booleans and bigints as written; dates as ISO 8601; null and
 * undefined as ''. Objects and arrays are refused (their text form, "[object Object]", is never what was meant).
 */
export function toText(ctx: IExecuteFunctions, value: unknown, i: number, label: string, hint = TEXT_HINT(label)): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
	if (isDateLike(value) && !(value instanceof Date)) {
		const iso = value.toISO();
		if (iso) return iso;
	}
	throw refuse(ctx, i, label, 'text', value, hint);
}

/** A text parameter (see `toText`), trimmed unless `trim: false`. */
export function textParam(ctx: IExecuteFunctions, name: string, label: string, i: number, o: { fallback?: string; trim?: boolean; hint?: string } = {}): string {
	const text = toText(ctx, ctx.getNodeParameter(name, i, o.fallback ?? ''), i, label, o.hint);
	return o.trim === false ? text : text.trim();
}

/** Reads a string parameter and refuses it empty, naming the field. */
export function requiredString(ctx: IExecuteFunctions, name: string, label: string, i: number, hint: string): string {
	const v = textParam(ctx, name, label, i, { hint });
	if (v === '') throw new NodeOperationError(ctx.getNode(), `${label} is empty`, { itemIndex: i, description: hint });
	return v;
}

/** A list of texts: an array of texts/numbers, or comma-separated text. Objects inside are refused. */
export function toTextList(ctx: IExecuteFunctions, value: unknown, i: number, label: string, hint?: string): string[] {
	const parts = Array.isArray(value) ? value.map((v) => toText(ctx, v, i, label, hint)) : toText(ctx, value, i, label, hint).split(',');
	return parts.map((s) => s.trim()).filter((s) => s !== '');
}

const LOCATOR_HINT = 'Choose a channel from the list, or give its #name or ID (C...), e.g. {{ $json.channel.id }}.';

/** A resource locator's value (or a plain string parameter's), trimmed: an id or name, never an object. */
export function toLocatorValue(ctx: IExecuteFunctions, value: unknown, i: number, label: string, hint = LOCATOR_HINT): string {
	const v = typeof value === 'object' && value !== null && !Array.isArray(value) && !isDateLike(value) && ('__rl' in value || ('mode' in value && 'value' in value)) ? (value as INodeParameterResourceLocator).value : value;
	if (v !== undefined && v !== null && typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) throw refuse(ctx, i, label, 'an ID or a name', v, hint);
	return toText(ctx, v, i, label, hint).trim();
}

/** The value of a resource locator parameter (or of a plain string one), trimmed. */
export function locatorValue(ctx: IExecuteFunctions, name: string, i: number, label = name): string {
	return toLocatorValue(ctx, ctx.getNodeParameter(name, i, ''), i, label);
}

/** One of an options parameter's values; anything else (an expression giving an unknown value or a non-text) is refused. */
export function toOption<T extends string>(ctx: IExecuteFunctions, value: unknown, i: number, label: string, allowed: readonly T[], fallback: T): T {
	if (value === undefined || value === null || value === '') return fallback;
	const hint = `Use one of: ${allowed.join(', ')}.`;
	const text = typeof value === 'string' ? value.trim() : undefined;
	if (text === undefined) throw refuse(ctx, i, label, `one of ${allowed.join(', ')}`, value, hint);
	if (!allowed.includes(text as T)) {
		throw new NodeOperationError(ctx.getNode(), `${label} "${text}" is not one of ${allowed.join(', ')}`, { itemIndex: i, description: hint });
	}
	return text as T;
}

export function optionParam<T extends string>(ctx: IExecuteFunctions, name: string, label: string, i: number, allowed: readonly T[], fallback: T): T {
	return toOption(ctx, ctx.getNodeParameter(name, i, fallback), i, label, allowed, fallback);
}

/** A switch: booleans, and the texts "true"/"false" (what a text expression gives); anything else is refused. */
export function toBoolean(ctx: IExecuteFunctions, value: unknown, i: number, label: string, fallback: boolean): boolean {
	if (value === undefined || value === null || value === '') return fallback;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
	throw refuse(ctx, i, label, 'true or false', value, `Switch "${label}" on or off, or give an expression that gives true or false.`);
}

export function booleanParam(ctx: IExecuteFunctions, name: string, label: string, i: number, fallback: boolean): boolean {
	return toBoolean(ctx, ctx.getNodeParameter(name, i, fallback), i, label, fallback);
}

/**
 * A number: numbers, and text that is one ("30"); `integer`, `min` and `max` (a description's typeOptions minValue /
 * maxValue) are checked. Anything else is refused, naming the range.
 */
export function toNumber(ctx: IExecuteFunctions, value: unknown, i: number, label: string, o: { integer?: boolean; min?: number; max?: number; fallback?: number } = {}): number {
	const kind = o.integer ? 'a whole number' : 'a number';
	const expected =
		o.max === undefined
			? `${kind}${o.min !== undefined ? ` of at least ${o.min}` : ''}`
			: o.min !== undefined
				? `${kind} from ${o.min} to ${o.max}`
				: `${kind} of at most ${o.max}`;
	const hint = `Give ${expected} in "${label}", e.g. ${o.min ?? o.max ?? 1}.`;
	if ((value === undefined || value === null || value === '') && o.fallback !== undefined) return o.fallback;
	const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
	if (!Number.isFinite(n)) {
		if (typeof value === 'string' && value.trim() !== '') {
			throw new NodeOperationError(ctx.getNode(), `${label} must be ${expected}, not "${value.trim()}"`, { itemIndex: i, description: hint });
		}
		throw refuse(ctx, i, label, expected, value, hint);
	}
	if ((o.integer && !Number.isInteger(n)) || (o.min !== undefined && n < o.min) || (o.max !== undefined && n > o.max)) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be ${expected}, not ${String(n)}`, { itemIndex: i, description: hint });
	}
	return n;
}

export function numberParam(ctx: IExecuteFunctions, name: string, label: string, i: number, o: { integer?: boolean; min?: number; fallback?: number } = {}): number {
	return toNumber(ctx, ctx.getNodeParameter(name, i, o.fallback as never), i, label, o);
}

/**
 * A collection parameter's values: an object (empty when unset or null); anything else is refused, naming the
 * collection. Read its fields with the `to*` readers, labelled "<collection> > <field displayName>".
 */
export function collectionParam(ctx: IExecuteFunctions, name: string, label: string, i: number): IDataObject {
	const value = ctx.getNodeParameter(name, i, {}) as unknown;
	if (value === undefined || value === null || value === '') return {};
	if (typeof value !== 'object' || Array.isArray(value) || isDateLike(value)) {
		throw refuse(ctx, i, label, 'a set of options', value, `Add the fields of "${label}" one by one, each with its own value or expression.`);
	}
	return value as IDataObject;
}

/**
 * A JSON object parameter: an object from an expression, or JSON text of one. Empty, null (or the JSON text "null")
 * mean no properties ({}); arrays, numbers, booleans and text that is not a JSON object are refused, naming the type.
 */
export function toJsonObject(ctx: IExecuteFunctions, raw: unknown, i: number, label: string, example = '{"KEY": "value"}'): IDataObject {
	if (raw === undefined || raw === null) return {};
	let value = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') return {};
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `${label} is not valid JSON: ${(error as Error).message}`, {
				itemIndex: i,
				description: `Write a JSON object like ${example}, or map one with an expression.`,
			});
		}
		if (value === null) return {};
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value) || isDateLike(value)) {
		throw refuse(ctx, i, label, `a JSON object like ${example}`, value, `Give one object of keys and values. To send a list, put it under a key, e.g. {"items": {{ JSON.stringify($json.items) }}}.`);
	}
	return value as IDataObject;
}

export function jsonObjectParam(ctx: IExecuteFunctions, name: string, label: string, i: number, example?: string): IDataObject {
	return toJsonObject(ctx, ctx.getNodeParameter(name, i, {}), i, label, example);
}

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

/**
 * getNodeParameter for many items, evaluating a parameter once when it holds no expression (its value is then the
 * same for every item). Resolving expressions per item dominates the cost of a 1,000-item run otherwise. The values
 * are raw: coerce them with the readers above.
 */
export function itemParameters(ctx: IExecuteFunctions): <T>(name: string, i: number, fallback: T) => T {
	const raw = ctx.getNode().parameters as IDataObject;
	const constant = new Map<string, unknown>();
	return <T>(name: string, i: number, fallback: T): T => {
		const top = name.split('.')[0];
		if (!hasExpression(raw[top])) {
			if (!constant.has(name)) constant.set(name, ctx.getNodeParameter(name, 0, fallback as never));
			return constant.get(name) as T;
		}
		return ctx.getNodeParameter(name, i, fallback as never) as T;
	};
}
