import { classifyUser, DEFAULT_FILTERS, isValidEmail } from '../../../../nodes/shared/sync/filters';
import type { SlackUser } from '../../../../nodes/shared/sync/mapping';

const person = (o: Partial<SlackUser> = {}): SlackUser => ({ id: 'U1', profile: { email: 'a@example.com' }, ...o });

describe('classifyUser with the default filters', () => {
	it.each([
		['a person', person(), { action: 'sync', deleted: false }],
		['a bot', person({ is_bot: true }), { action: 'skip', reason: 'bot' }],
		['an app user', person({ is_app_user: true }), { action: 'skip', reason: 'bot' }],
		['Slackbot (is_bot false)', person({ id: 'USLACKBOT', is_bot: false }), { action: 'skip', reason: 'slackbot' }],
		['a deleted user', person({ deleted: true }), { action: 'skip', reason: 'deleted' }],
		['a multi-channel guest', person({ is_restricted: true }), { action: 'sync', deleted: false }],
		['a single-channel guest', person({ is_restricted: true, is_ultra_restricted: true }), { action: 'sync', deleted: false }],
		['no email', { id: 'U2', profile: {} }, { action: 'skip', reason: 'no_email' }],
		['an invalid email', person({ profile: { email: 'not-an-email' } }), { action: 'skip', reason: 'invalid_email' }],
	])('%s', (_label, user, expected) => {
		expect(classifyUser(user as SlackUser)).toEqual(expected);
	});

	it('says the email is not visible when the scope is missing', () => {
		expect(classifyUser({ id: 'U3', profile: {} }, DEFAULT_FILTERS, { emailScopeMissing: true })).toEqual({
			action: 'skip',
			reason: 'email_not_visible',
		});
	});
});

describe('classifyUser with other filters', () => {
	const all = { includeBots: true, includeSlackbot: true, deletedUsers: 'mark' as const, includeMultiChannelGuests: false, includeSingleChannelGuests: false };
	it('marks deleted users, includes bots, excludes guests', () => {
		expect(classifyUser(person({ deleted: true }), all)).toEqual({ action: 'sync', deleted: true });
		expect(classifyUser(person({ is_bot: true }), all)).toEqual({ action: 'sync', deleted: false });
		expect(classifyUser(person({ id: 'USLACKBOT' }), all)).toEqual({ action: 'sync', deleted: false });
		expect(classifyUser(person({ is_restricted: true }), all)).toEqual({ action: 'skip', reason: 'multi_channel_guest' });
		expect(classifyUser(person({ is_restricted: true, is_ultra_restricted: true }), all)).toEqual({
			action: 'skip',
			reason: 'single_channel_guest',
		});
	});
});

describe('isValidEmail', () => {
	it.each(['a@b.co', 'first.last+tag@sub.example.org', "o'neil@example.ie"])('accepts %s', (e) => expect(isValidEmail(e)).toBe(true));
	it.each(['', 'a@b', 'a@@b.co', 'a b@c.co', '.a@b.co', 'a..b@c.co', 'a@-b.co', `${'x'.repeat(65)}@b.co`])('refuses %p', (e) =>
		expect(isValidEmail(e)).toBe(false),
	);
});
