/**
 * Slack profile phones -> Brevo's SMS attribute. No n8n imports.
 *
 * Brevo accepts SMS numbers only with a country code ("91xxxxxxxxxx", "+91xxxxxxxxxx", "0091xxxxxxxxxx"), and the
 * SMS attribute is a unique identifier across the account. Slack's `profile.phone` is free text
 * ("+44 (0)20 7946 0958", "(415) 555-2671 ext. 12", "n/a"). We produce `+<country code><number>` (E.164, at most
 * 15 digits), using a default country code for national numbers; anything we cannot make sense of is refused with
 * a reason, so the sync leaves SMS out of that contact and warns instead of failing it.
 */

export type PhoneResult = { ok: true; sms: string } | { ok: false; reason: string };

export interface PhoneOptions {
	/** Country calling code for numbers written without one ("33", "+33", "0033"). Empty: such numbers are refused. */
	defaultCountryCode?: string;
}

/** Countries whose national numbers keep their leading 0 after the country code (Italy, San Marino, Vatican). */
const KEEPS_TRUNK_ZERO = new Set(['39', '378', '379']);

/** Parses a default country code option; returns the digits or throws with what is wrong. */
export function parseCountryCode(value: string | undefined): string {
	const raw = String(value ?? '').trim();
	if (raw === '') return '';
	const digits = raw.replace(/^\+|^00/, '');
	if (!/^[1-9]\d{0,2}$/.test(digits)) {
		throw new Error(`"${raw}" is not a country calling code: use 1 to 3 digits such as 33, +44 or 1`);
	}
	return digits;
}

export function normalizePhone(raw: string | null | undefined, options: PhoneOptions = {}): PhoneResult {
	let text = String(raw ?? '').trim();
	if (text === '') return { ok: false, reason: 'empty' };
	// extensions cannot be dialled by an SMS gateway: drop them
	text = text.replace(/\s*(?:ext\.?|extension|x|#|;ext=)\s*\d+\s*$/i, '');
	// "+44 (0)20 ..." : the bracketed trunk zero is not dialled internationally
	text = text.replace(/\(0\)/g, '');
	if (/[a-z]/i.test(text)) return { ok: false, reason: `contains letters ("${raw}")` };
	if (!/\d/.test(text)) return { ok: false, reason: `no digits ("${raw}")` };
	if ((text.match(/\+/g) ?? []).length > 1 || (text.includes('+') && !text.startsWith('+'))) {
		return { ok: false, reason: `misplaced "+" ("${raw}")` };
	}
	if (/[^\d+\s().\-/]/.test(text)) return { ok: false, reason: `unexpected characters ("${raw}")` };

	const digits = text.replace(/\D/g, '');
	let international: string;
	if (text.startsWith('+')) {
		international = digits;
	} else if (digits.startsWith('00')) {
		international = digits.slice(2);
	} else {
		let cc: string;
		try {
			cc = parseCountryCode(options.defaultCountryCode);
		} catch (error) {
			return { ok: false, reason: (error as Error).message };
		}
		if (cc === '') {
			return {
				ok: false,
				reason: `no country code ("${raw}") and no default country code is set`,
			};
		}
		let national = digits;
		if (cc === '1' && national.length === 11 && national.startsWith('1')) national = national.slice(1);
		else if (national.startsWith('0') && !KEEPS_TRUNK_ZERO.has(cc)) national = national.replace(/^0/, '');
		international = cc + national;
	}
	if (international.startsWith('0')) return { ok: false, reason: `country code cannot start with 0 ("${raw}")` };
	if (international.length < 7) return { ok: false, reason: `too short for a phone number ("${raw}")` };
	if (international.length > 15) return { ok: false, reason: `longer than the 15 digits a phone number can have ("${raw}")` };
	return { ok: true, sms: `+${international}` };
}
