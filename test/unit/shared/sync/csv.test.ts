/**
 * The CSV reader of Brevo's import reports (RFC 4180): quoted fields with delimiters, doubled quotes and line
 * breaks, CRLF / LF / CR record ends, apostrophes in emails, and strictness where a lenient reader would shift
 * columns silently.
 */
import { CsvError, detectDelimiter, parseCsv, parseCsvObjects, parseImportReport } from '../../../../nodes/shared/sync/csv';

describe('parseCsv (RFC 4180)', () => {
	it('reads plain records with CRLF, LF and CR ends; a final line break adds no record', () => {
		expect(parseCsv('a,b\r\nc,d\r\n')).toEqual([['a', 'b'], ['c', 'd']]);
		expect(parseCsv('a,b\nc,d')).toEqual([['a', 'b'], ['c', 'd']]);
		expect(parseCsv('a,b\rc,d\r')).toEqual([['a', 'b'], ['c', 'd']]);
	});

	it('keeps empty fields, leading and trailing', () => {
		expect(parseCsv(',a,,\r\n')).toEqual([['', 'a', '', '']]);
		expect(parseCsv('""\r\n')).toEqual([['']]);
	});

	it('quoted fields hold commas, doubled quotes and line breaks', () => {
		const text = 'EMAIL,NAME,NOTE\r\n"a@x.io","Lovelace, Ada","said ""hi""\r\nthen left"\r\nb@x.io,Bob,\r\n';
		expect(parseCsv(text)).toEqual([
			['EMAIL', 'NAME', 'NOTE'],
			['a@x.io', 'Lovelace, Ada', 'said "hi"\r\nthen left'],
			['b@x.io', 'Bob', ''],
		]);
	});

	it('an apostrophe is an ordinary character', () => {
		expect(parseCsv("o'brien@example.com,d'Arc\r\n")).toEqual([["o'brien@example.com", "d'Arc"]]);
	});

	it('another delimiter, and a byte order mark that is not data', () => {
		expect(parseCsv('\ufeffEMAIL;NAME\r\n"a;b@x.io";N\r\n', ';')).toEqual([['EMAIL', 'NAME'], ['a;b@x.io', 'N']]);
		expect(() => parseCsv('a', '"')).toThrow(RangeError);
	});

	it('refuses what would shift columns: a stray quote, text after a closing quote, an unclosed quote (naming the line)', () => {
		expect(() => parseCsv('a,b"c\r\n')).toThrow(new CsvError('quote inside an unquoted field', 1));
		expect(() => parseCsv('x\r\n"a"b,c\r\n')).toThrow(new CsvError('text after the closing quote of a field', 2));
		expect(() => parseCsv('x\r\ny\r\n"a,b\r\n')).toThrow(new CsvError('unclosed quoted field', 3));
	});
});

describe('detectDelimiter / parseCsvObjects', () => {
	it('takes the delimiter most used on the header line, outside quotes', () => {
		expect(detectDelimiter('EMAIL;FIRSTNAME;LASTNAME\n')).toBe(';');
		expect(detectDelimiter('"a;b;c",EMAIL\n')).toBe(',');
		expect(detectDelimiter('EMAIL\tNAME')).toBe('\t');
		expect(detectDelimiter('EMAIL')).toBe(',');
	});

	it('keys rows by the trimmed header names; missing trailing fields are empty', () => {
		expect(parseCsvObjects('EMAIL , REASON\r\na@x.io\r\n')).toEqual({ header: ['EMAIL', 'REASON'], rows: [{ EMAIL: 'a@x.io', REASON: '' }] });
	});
});

describe('parseImportReport', () => {
	it('reads the email, identifiers and reason by column name; emails lower-cased', () => {
		const text = 'EMAIL,FIRSTNAME,SMS,EXT_ID,REASON\r\n"O\'Brien@Example.com","Smith, ""Jo""",+33612345678,x-1,"Invalid email, rejected"\r\n';
		expect(parseImportReport(text)).toEqual([{ email: "o'brien@example.com", sms: '+33612345678', extId: 'x-1', reason: 'Invalid email, rejected' }]);
	});

	it('works with Brevo\'s own `;` files and other reason column names', () => {
		expect(parseImportReport('email;error\na@x.io;Duplicate\n')).toEqual([{ email: 'a@x.io', reason: 'Duplicate' }]);
	});

	it('without an email header: the first field that looks like an email, header line included when it is data', () => {
		expect(parseImportReport('a@x.io,bad\r\nb@x.io,bad\r\n')).toEqual([{ email: 'a@x.io' }, { email: 'b@x.io' }]);
		expect(parseImportReport('ID,ADDRESS\r\n7,c@x.io\r\n')).toEqual([{ email: 'c@x.io' }]);
	});

	it('an empty report has no records; a record without identifiers is still a record (so it is counted)', () => {
		expect(parseImportReport('')).toEqual([]);
		expect(parseImportReport('EMAIL,REASON\r\n,No identifier\r\n')).toEqual([{ reason: 'No identifier' }]);
	});
});
