import { SIGNING_SECRET_FORM_OK, signingSecretProblem } from '../../../../nodes/shared/slack/secretForm';

describe('signingSecretProblem: the one rule (credential test, activation, every verified request)', () => {
	it('accepts 32 hex characters, either case', () => {
		expect(signingSecretProblem('8f742231b10e8888abcd99ccc9dd85a5')).toBeNull();
		expect(signingSecretProblem('8F742231B10E8888ABCD99CCC9DD85A5')).toBeNull();
		expect(SIGNING_SECRET_FORM_OK).toMatch(/32 hexadecimal/);
	});
	it.each([
		['', 'empty', /empty/],
		['   ', 'empty', /empty/],
		[undefined, 'empty', /empty/],
		[' 8f742231b10e8888abcd99ccc9dd85a5', 'whitespace', /spaces/],
		['8f742231b10e8888abcd99ccc9dd85a5\n', 'whitespace', /spaces/],
		['xoxb-1234-5678-abcdef', 'looks_like_token', /token/],
		['xoxe.xoxb-1-abcdef', 'looks_like_token', /token/],
		['xapp-1-A111-222-abc', 'looks_like_token', /token/],
		['8f742231b10e8888abcd99yyyzzz85a5', 'not_slack_form', /hexadecimal.*other than 0-9/],
		['8f742231b10e8888abcd99ccc9dd85a', 'not_slack_form', /31 characters/],
		['8f742231b10e8888abcd99ccc9dd85a5a', 'not_slack_form', /33 characters/],
		['abc123', 'not_slack_form', /6 characters/],
	])('refuses %j as %s, with a message that does not echo it', (secret, problem, why) => {
		const result = signingSecretProblem(secret);
		expect(result?.problem).toBe(problem);
		expect(result?.message).toMatch(why);
		if (typeof secret === 'string' && secret.trim()) expect(result?.message).not.toContain(secret.trim());
	});
});
