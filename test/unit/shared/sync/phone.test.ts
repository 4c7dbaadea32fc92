import { normalizePhone, parseCountryCode } from '../../../../nodes/shared/sync/phone';

describe('normalizePhone', () => {
	const ok: Array<[string, string | undefined, string]> = [
		['+33 6 12 34 56 78', undefined, '+33612345678'],
		['+44 (0)20 7946 0958', undefined, '+442079460958'],
		['0044 20 7946 0958', undefined, '+442079460958'],
		['+1 (415) 555-2671', undefined, '+14155552671'],
		['(415) 555-2671', '1', '+14155552671'],
		['1-415-555-2671', '1', '+14155552671'],
		['06 12 34 56 78', '33', '+33612345678'],
		['06.12.34.56.78', '+33', '+33612345678'],
		['030 1234567', '0049', '+49301234567'],
		['06 1234 5678', '39', '+390612345678'], // Italy keeps its 0
		['+91 98765 43210', undefined, '+919876543210'],
		['(415) 555-2671 ext. 12', '1', '+14155552671'],
		['+1 415 555 2671 x99', undefined, '+14155552671'],
	];
	it.each(ok)('%p (default %p) -> %p', (raw, cc, sms) => {
		expect(normalizePhone(raw, { defaultCountryCode: cc })).toEqual({ ok: true, sms });
	});

	const bad: Array<[string, string | undefined, RegExp]> = [
		['', '33', /empty/],
		['n/a', '33', /letters/],
		['1-800-FLOWERS', '1', /letters/],
		['---', '33', /no digits/],
		['06 12 34 56 78', undefined, /no default country code/],
		['06 12 34 56 78', '', /no default country code/],
		['12+34', undefined, /misplaced/],
		['+123', undefined, /too short/],
		['+1234567890123456', undefined, /15 digits/],
		['+0 123 456 789', undefined, /cannot start with 0/],
		['06 12 34 56 78', 'abc', /not a country calling code/],
	];
	it.each(bad)('%p (default %p) is refused: %p', (raw, cc, reason) => {
		const result = normalizePhone(raw, { defaultCountryCode: cc });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toMatch(reason);
	});

	it('parses country code options', () => {
		expect(parseCountryCode('+33')).toBe('33');
		expect(parseCountryCode('0044')).toBe('44');
		expect(parseCountryCode(' 1 ')).toBe('1');
		expect(parseCountryCode('')).toBe('');
		expect(() => parseCountryCode('1234')).toThrow(/1 to 3 digits/);
		expect(() => parseCountryCode('0')).toThrow();
	});
});
