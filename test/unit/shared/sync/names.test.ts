import { splitRealName } from '../../../../nodes/shared/sync/names';

describe('splitRealName', () => {
	const table: Array<[string | null | undefined, string, string]> = [
		// single names and empties
		['Cher', 'Cher', ''],
		['', '', ''],
		['   ', '', ''],
		[null, '', ''],
		[undefined, '', ''],
		// plain and several given names
		['Ada Lovelace', 'Ada', 'Lovelace'],
		['Mary Jane Watson', 'Mary Jane', 'Watson'],
		['John Ronald Reuel Tolkien', 'John Ronald Reuel', 'Tolkien'],
		// extra spaces, tabs, no-break spaces
		['  Grace   Hopper  ', 'Grace', 'Hopper'],
		['Grace\tBrewster\u00a0Hopper', 'Grace Brewster', 'Hopper'],
		// particles
		['Ludwig van Beethoven', 'Ludwig', 'van Beethoven'],
		['Jan van der Berg', 'Jan', 'van der Berg'],
		['Vincent Willem van Gogh', 'Vincent Willem', 'van Gogh'],
		['María de la Cruz', 'María', 'de la Cruz'],
		['Jean de La Fontaine', 'Jean', 'de La Fontaine'],
		['Leonardo da Vinci', 'Leonardo', 'da Vinci'],
		['Otto von Bismarck', 'Otto', 'von Bismarck'],
		['Van Morrison', 'Van', 'Morrison'],
		['Mohammed bin Salman Al Saud', 'Mohammed', 'bin Salman Al Saud'],
		// suffixes and honorifics, surname-first with a comma, pronouns in brackets
		['Martin Luther King Jr.', 'Martin Luther', 'King Jr.'],
		['Martin Luther King, Jr.', 'Martin Luther', 'King Jr.'],
		['Dr. Jane Doe', 'Jane', 'Doe'],
		['Lovelace, Ada', 'Ada', 'Lovelace'],
		['Alex Kim (they/them)', 'Alex', 'Kim'],
		['Sam Lee [OOO until Monday]', 'Sam', 'Lee'],
		// hyphens and apostrophes stay inside a word
		["Anne-Marie O'Neill", 'Anne-Marie', "O'Neill"],
		// Arabic given-name compounds
		['Abd al Rahman Khan', 'Abd al Rahman', 'Khan'],
		['عبد الله محمد', 'عبد الله', 'محمد'],
		['محمد بن سلمان', 'محمد', 'بن سلمان'],
		['Abdul Karim', 'Abdul Karim', ''],
		// Cyrillic (patronymic stays with the given name)
		['Иван Петрович Сидоров', 'Иван Петрович', 'Сидоров'],
		['Анна Каренина', 'Анна', 'Каренина'],
		// CJK: family name first when spaced, not guessed when not
		['山田 太郎', '太郎', '山田'],
		['山田太郎', '山田太郎', ''],
		['王 小明', '小明', '王'],
		['김 민준', '민준', '김'],
		// Greek, Devanagari: ordinary given-name-first
		['Γιώργος Παπαδόπουλος', 'Γιώργος', 'Παπαδόπουλος'],
		['राहुल शर्मा', 'राहुल', 'शर्मा'],
		// handles as names
		['john.smith', 'john.smith', ''],
	];

	it.each(table)('%p -> first %p, last %p', (input, first, last) => {
		expect(splitRealName(input)).toEqual({ firstName: first, lastName: last });
	});

	it('never loses a word of an ordinary name', () => {
		for (const name of ['Ana María de los Ángeles Pérez', 'A B C D E F']) {
			const { firstName, lastName } = splitRealName(name);
			expect(`${firstName} ${lastName}`.trim()).toBe(name);
		}
	});
});
