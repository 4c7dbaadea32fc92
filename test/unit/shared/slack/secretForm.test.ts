import { checkSigningSecretForm } from '../../../../nodes/shared/slack/secretForm';

describe('checkSigningSecretForm', () => {
	it('accepts 32 hex characters', () => {
		expect(checkSigningSecretForm('8f742231b10e8888abcd99ccc9dd85a5').ok).toBe(true);
	});
	it.each([
		['', /empty/],
		[' 8f742231b10e8888abcd99ccc9dd85a5', /spaces/],
		['xoxb-1234-5678-abcdef', /token/],
		['8f742231b10e8888abcd99yyyzzz85a5', /hexadecimal/],
		['abc123', /6 characters/],
	])('refuses %p with a clear message that does not echo it', (secret, why) => {
		const result = checkSigningSecretForm(secret);
		expect(result.ok).toBe(false);
		expect(result.message).toMatch(why);
		if (secret.trim()) expect(result.message).not.toContain(secret.trim());
	});
	it('refuses non-strings', () => {
		expect(checkSigningSecretForm(undefined).ok).toBe(false);
	});
});
