/**
 * Slack user -> Brevo contact mapping. No n8n imports.
 *
 * The email is the key (Brevo matches contacts by it); every other field is a row "Slack field -> Brevo attribute,
 * type" the user can edit, add or remove. Besides plain paths into Slack's user object (`profile.title`, `tz`,
 * `is_admin`), three derived fields exist: `firstName` / `lastName` (the real name split by `splitRealName`) and
 * `phone` (`profile.phone` normalised for Brevo's SMS attribute).
 */

import { splitRealName } from './names';
import { normalizePhone } from './phone';

export type AttributeType = 'text' | 'float' | 'boolean' | 'date';

export interface MappingRow {
	slackField: string;
	brevoAttribute: string;
	type: AttributeType;
}

export interface SlackUser {
	id: string;
	team_id?: string;
	name?: string;
	deleted?: boolean;
	real_name?: string;
	tz?: string;
	tz_label?: string;
	is_admin?: boolean;
	is_owner?: boolean;
	is_bot?: boolean;
	is_app_user?: boolean;
	is_restricted?: boolean;
	is_ultra_restricted?: boolean;
	updated?: number;
	profile?: {
		real_name?: string;
		display_name?: string;
		email?: string;
		phone?: string;
		title?: string;
		status_text?: string;
		first_name?: string;
		last_name?: string;
		[key: string]: unknown;
	};
	[key: string]: unknown;
}

/** The spec's default table ("Field mapping: Slack user -> Brevo contact"), email aside. */
export const DEFAULT_MAPPING: readonly MappingRow[] = [
	{ slackField: 'firstName', brevoAttribute: 'FIRSTNAME', type: 'text' },
	{ slackField: 'lastName', brevoAttribute: 'LASTNAME', type: 'text' },
	{ slackField: 'phone', brevoAttribute: 'SMS', type: 'text' },
	{ slackField: 'profile.title', brevoAttribute: 'JOB_TITLE', type: 'text' },
	{ slackField: 'tz', brevoAttribute: 'TIMEZONE', type: 'text' },
	{ slackField: 'is_admin', brevoAttribute: 'SLACK_IS_ADMIN', type: 'boolean' },
	{ slackField: 'team_id', brevoAttribute: 'SLACK_TEAM_ID', type: 'text' },
	{ slackField: 'profile.status_text', brevoAttribute: 'SLACK_STATUS', type: 'text' },
];

/** Derived fields offered beside paths into Slack's user object. */
export const DERIVED_FIELDS = ['firstName', 'lastName', 'phone', 'email', 'realName'] as const;

export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['text', 'float', 'boolean', 'date'];

export interface MappingOptions {
	defaultCountryCode?: string;
	/** Send empty Slack values as "" (with the import's emptyContactsAttributes) so Brevo clears them. */
	clearEmptyValues?: boolean;
}

export type AttributeValue = string | number | boolean;

export interface MappedContact {
	/** Lower-cased, trimmed email: Brevo's key. Empty when the user has none (visible). */
	email: string;
	attributes: Record<string, AttributeValue>;
	/** Fields left out of this contact and why (e.g. an unusable phone). Never a reason to fail the contact. */
	warnings: string[];
}

/** Checks rows the user typed; returns them cleaned (attribute names upper-cased) or throws naming the row. */
export function validateMapping(rows: readonly Partial<MappingRow>[]): MappingRow[] {
	const seen = new Map<string, number>();
	return rows.map((row, i) => {
		const n = i + 1;
		const slackField = String(row.slackField ?? '').trim();
		const brevoAttribute = String(row.brevoAttribute ?? '').trim().toUpperCase();
		const type = (row.type ?? 'text') as AttributeType;
		if (slackField === '') throw new Error(`Mapping row ${n}: the Slack field is empty; pick a field or remove the row`);
		if (!/^[A-Z][A-Z0-9_]*$/.test(brevoAttribute)) {
			throw new Error(
				`Mapping row ${n}: "${row.brevoAttribute ?? ''}" is not a Brevo attribute name; use letters, digits and underscores, starting with a letter (e.g. JOB_TITLE)`,
			);
		}
		if (brevoAttribute === 'EMAIL') {
			throw new Error(`Mapping row ${n}: EMAIL is the contact's key and is always sent; remove this row`);
		}
		if (!ATTRIBUTE_TYPES.includes(type)) {
			throw new Error(`Mapping row ${n}: type "${String(row.type)}" is not one of ${ATTRIBUTE_TYPES.join(', ')}`);
		}
		const prev = seen.get(brevoAttribute);
		if (prev !== undefined) {
			throw new Error(`Mapping rows ${prev} and ${n} both write ${brevoAttribute}; keep one`);
		}
		seen.set(brevoAttribute, n);
		return { slackField, brevoAttribute, type };
	});
}

function readPath(user: SlackUser, path: string): unknown {
	let value: unknown = user;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

export function realNameOf(user: SlackUser): string {
	return String(user.real_name || user.profile?.real_name || user.profile?.display_name || '').trim();
}

export function emailOf(user: SlackUser): string {
	return String(user.profile?.email ?? '').trim().toLowerCase();
}

type Coerced = { ok: true; value: AttributeValue | undefined } | { ok: false; reason: string };

function pad(n: number): string {
	return String(n).padStart(2, '0');
}

/** Brevo wants dates as YYYY-MM-DD. Slack gives unix seconds (`updated`) or ISO strings. */
function toDate(value: unknown): string | undefined {
	let d: Date | undefined;
	if (typeof value === 'number' && Number.isFinite(value)) d = new Date(value < 1e11 ? value * 1000 : value);
	else if (typeof value === 'string' && /^\d+$/.test(value.trim())) d = toDateObj(Number(value));
	else if (typeof value === 'string') d = new Date(value);
	if (!d || Number.isNaN(d.getTime())) return undefined;
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function toDateObj(n: number): Date {
	return new Date(n < 1e11 ? n * 1000 : n);
}

export function coerceValue(value: unknown, type: AttributeType): Coerced {
	if (value === undefined || value === null || value === '') return { ok: true, value: undefined };
	switch (type) {
		case 'text':
			return { ok: true, value: typeof value === 'object' ? JSON.stringify(value) : String(value) };
		case 'boolean':
			if (typeof value === 'boolean') return { ok: true, value };
			if (value === 'true' || value === 1 || value === '1') return { ok: true, value: true };
			if (value === 'false' || value === 0 || value === '0') return { ok: true, value: false };
			return { ok: false, reason: `"${String(value)}" is not a boolean` };
		case 'float': {
			const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
			if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
			return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, reason: `"${String(value)}" is not a number` };
		}
		case 'date': {
			const d = toDate(value);
			return d ? { ok: true, value: d } : { ok: false, reason: `"${String(value)}" is not a date` };
		}
	}
}

/** Maps one Slack user to the contact Brevo should hold. Pure: the same user and rows give the same contact. */
export function mapUser(user: SlackUser, rows: readonly MappingRow[], options: MappingOptions = {}): MappedContact {
	const email = emailOf(user);
	const attributes: Record<string, AttributeValue> = {};
	const warnings: string[] = [];
	let split: ReturnType<typeof splitRealName> | undefined;
	const nameParts = () => (split ??= splitRealName(realNameOf(user)));

	for (const row of rows) {
		let raw: unknown;
		switch (row.slackField) {
			case 'firstName':
				raw = nameParts().firstName;
				break;
			case 'lastName':
				raw = nameParts().lastName;
				break;
			case 'realName':
				raw = realNameOf(user);
				break;
			case 'email':
				raw = email;
				break;
			case 'phone': {
				const phone = user.profile?.phone;
				if (phone === undefined || String(phone).trim() === '') {
					raw = undefined;
					break;
				}
				const result = normalizePhone(String(phone), { defaultCountryCode: options.defaultCountryCode });
				if (result.ok) raw = result.sms;
				else {
					warnings.push(`${row.brevoAttribute} left out: phone ${result.reason}`);
					continue;
				}
				break;
			}
			default:
				raw = readPath(user, row.slackField);
		}
		const coerced = coerceValue(raw, row.type);
		if (!coerced.ok) {
			warnings.push(`${row.brevoAttribute} left out: ${row.slackField} ${coerced.reason}`);
			continue;
		}
		if (coerced.value === undefined) {
			if (options.clearEmptyValues && row.brevoAttribute !== 'SMS') attributes[row.brevoAttribute] = '';
			continue;
		}
		attributes[row.brevoAttribute] = coerced.value;
	}
	return { email, attributes, warnings };
}

/**
 * Brevo attribute types (`GET /contacts/attributes`) -> the type our rows use. Brevo knows more (category,
 * multiple-choice, id) which accept text.
 */
export function brevoTypeToRowType(brevoType: string | undefined): AttributeType {
	switch (brevoType) {
		case 'float':
		case 'number':
			return 'float';
		case 'boolean':
			return 'boolean';
		case 'date':
			return 'date';
		default:
			return 'text';
	}
}

/**
 * How a value of the row's type can be written to an attribute of Brevo's type: as is, converted without loss,
 * or not at all (reported, left out).
 */
export function reconcileType(rowType: AttributeType, brevoType: AttributeType): 'same' | 'toText' | 'incompatible' {
	if (rowType === brevoType) return 'same';
	if (brevoType === 'text') return 'toText';
	return 'incompatible';
}
