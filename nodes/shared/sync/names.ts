/**
 * Splitting a Slack `real_name` into Brevo's FIRSTNAME / LASTNAME. No n8n imports.
 *
 * Names do not split cleanly in general, so the rules aim at "sensible in a greeting" and never lose text:
 * - "Last, First" (a comma) is read as surname first;
 * - a Western-order name keeps every given name in the first name and takes the last word as the surname,
 *   extended leftwards over surname particles ("van der", "de la", "bin", "al") and with suffixes
 *   ("Jr.", "III", "PhD") kept on the surname;
 * - names written in CJK scripts with a space are family name first ("山田 太郎"); without a space they are
 *   not guessed at (compound surnames exist) and go whole into the first name, so "Hello {FIRSTNAME}" still works;
 * - honorifics ("Dr.", "Mr") and bracketed notes ("(she/her)", "[OOO]") are dropped; whitespace is collapsed.
 */

export interface SplitName {
	firstName: string;
	lastName: string;
}

const PARTICLES = new Set([
	'van', 'von', 'der', 'den', 'de', 'del', 'della', 'dei', 'degli', 'di', 'da', 'das', 'dos', 'do', 'du',
	'des', 'la', 'le', 'lo', 'los', 'las', 'ten', 'ter', 'te', 'zu', 'zum', 'zur', 'op', "'t", 'st.', 'st', 'ibn',
	'bin', 'bint', 'al', 'el', 'ben', 'ap', 'mac', 'af', 'av',
	// Arabic script: bin, ibn, bint, Al (family)
	'بن', 'ابن', 'بنت', 'آل',
	// Cyrillic transliterated particles are rare; Russian "фон" (von) occurs
	'фон', 'ван', 'де',
]);

const SUFFIXES = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv', 'v', 'phd', 'ph.d.', 'md', 'm.d.', 'esq', 'esq.']);

const HONORIFICS = new Set([
	'mr', 'mr.', 'mrs', 'mrs.', 'ms', 'ms.', 'miss', 'mx', 'mx.', 'dr', 'dr.', 'prof', 'prof.', 'sir', 'dame',
]);

/** Given-name prefixes that belong with the next word ("Abd al-Rahman", "Abdul Karim", "عبد الله"). */
const JOINS_NEXT = new Set(['abd', 'abdul', 'abdel', 'عبد']);

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff]/;

function tidy(raw: string): string {
	return raw
		.normalize('NFC')
		.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
		.replace(/[\s\u00a0\u2000-\u200b\u3000]+/g, ' ')
		.trim();
}

function isParticle(word: string): boolean {
	return PARTICLES.has(word.toLowerCase());
}

function isSuffix(word: string): boolean {
	return SUFFIXES.has(word.toLowerCase().replace(/,$/, ''));
}

export function splitRealName(raw: string | null | undefined): SplitName {
	const name = tidy(String(raw ?? ''));
	if (name === '') return { firstName: '', lastName: '' };

	const comma = name.indexOf(',');
	if (comma > 0) {
		const before = name.slice(0, comma).trim();
		const after = name.slice(comma + 1).trim();
		// "King, Martin Luther" is surname first; "Martin King, Jr." is a suffix, not an inversion
		if (after !== '' && !after.split(' ').every(isSuffix)) {
			const given = after.split(' ').filter((w) => !HONORIFICS.has(w.toLowerCase()));
			return { firstName: given.join(' '), lastName: before };
		}
	}

	let words = name.replace(/,/g, ' ').split(' ').filter((w) => w !== '');
	while (words.length > 1 && HONORIFICS.has(words[0].toLowerCase())) words = words.slice(1);
	if (words.length === 1) return { firstName: words[0], lastName: '' };

	if (CJK.test(name) && words.every((w) => CJK.test(w))) {
		return { firstName: words.slice(1).join(' '), lastName: words[0] };
	}

	const suffixes: string[] = [];
	while (words.length > 2 && isSuffix(words[words.length - 1])) suffixes.unshift(words.pop() as string);

	// the surname starts at the first particle after the first given name, else it is the last word
	let start = words.length - 1;
	for (let i = 1; i < words.length - 1; i++) {
		if (isParticle(words[i]) && !(i > 0 && JOINS_NEXT.has(words[i - 1].toLowerCase()))) {
			start = i;
			break;
		}
	}
	// a given-name prefix right before the surname ("Abdul Karim") keeps its word in the first name
	while (start > 0 && start < words.length - 1 && JOINS_NEXT.has(words[start - 1].toLowerCase())) start++;
	if (start === words.length - 1 && JOINS_NEXT.has(words[start - 1].toLowerCase()) && start - 1 === 0) {
		return { firstName: words.join(' '), lastName: suffixes.join(' ') };
	}

	return {
		firstName: words.slice(0, start).join(' '),
		lastName: [...words.slice(start), ...suffixes].join(' '),
	};
}
