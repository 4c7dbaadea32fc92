import { redactSecrets } from '../../../nodes/shared/redact';

describe('redactSecrets', () => {
	it.each([
		'token xoxb-1234567890-abcdefghij leaked',
		'rotated xoxe.xoxb-1-abcdefghijklmnop',
		'refresh xoxe-1-abcdefghijklmnop',
		'key xkeysib-0123456789abcdef0123456789abcdef-AbCdEf',
		'Authorization: Bearer abcdefghijklmnop',
		'{"api_key":"abcdefghijklmnop"}',
	])('masks %p', (text) => {
		const out = redactSecrets(text);
		expect(out).toContain('[redacted]');
		expect(out).not.toMatch(/abcdefghij|0123456789abcdef/);
	});
	it('masks explicitly given secrets and leaves ordinary text alone', () => {
		expect(redactSecrets('secret 8f742231b10e here', ['8f742231b10e'])).toBe('secret [redacted] here');
		expect(redactSecrets('channel_not_found in #sales')).toBe('channel_not_found in #sales');
	});
});
