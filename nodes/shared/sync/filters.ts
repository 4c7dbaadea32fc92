/**
 * Which Slack users become Brevo contacts. No n8n imports.
 *
 * users.list returns everyone: people, bots and app users, Slackbot (`USLACKBOT`, which has `is_bot: false`),
 * deleted accounts (sparse: often no tz, is_admin), multi-channel guests (`is_restricted`) and single-channel guests
 * (`is_ultra_restricted`). Defaults follow the issue: skip bots, app users, Slackbot and deleted users, include
 * guests, skip users without an email with a reason.
 */

import { emailOf, type SlackUser } from './mapping';

export type DeletedUsers = 'skip' | 'mark';

export interface UserFilters {
	includeBots: boolean;
	includeSlackbot: boolean;
	deletedUsers: DeletedUsers;
	includeMultiChannelGuests: boolean;
	includeSingleChannelGuests: boolean;
}

export const DEFAULT_FILTERS: UserFilters = {
	includeBots: false,
	includeSlackbot: false,
	deletedUsers: 'skip',
	includeMultiChannelGuests: true,
	includeSingleChannelGuests: true,
};

export type SkipReason =
	| 'bot'
	| 'slackbot'
	| 'deleted'
	| 'multi_channel_guest'
	| 'single_channel_guest'
	| 'no_email'
	| 'email_not_visible'
	| 'invalid_email'
	| 'duplicate_email';

export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
	bot: 'bot or app user (filter "Include Bots" is off)',
	slackbot: 'Slackbot',
	deleted: 'deactivated in Slack (filter "Deleted Users" is Skip)',
	multi_channel_guest: 'multi-channel guest (filter is off)',
	single_channel_guest: 'single-channel guest (filter is off)',
	no_email: 'no email in the Slack profile',
	email_not_visible: 'email not visible: the Slack token lacks the users:read.email scope',
	invalid_email: 'email address Brevo would refuse',
	duplicate_email: 'email already used by another Slack user in this workspace',
};

export type Classification = { action: 'sync'; deleted: boolean } | { action: 'skip'; reason: SkipReason };

/** Brevo's own check is stricter than RFC 5322 in practice: one @, a dotted domain, no spaces or quotes. */
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export function isValidEmail(email: string): boolean {
	if (email.length > 254) return false;
	if (!EMAIL.test(email)) return false;
	const local = email.slice(0, email.lastIndexOf('@'));
	return local.length <= 64 && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}

export function classifyUser(
	user: SlackUser,
	filters: UserFilters = DEFAULT_FILTERS,
	o: { emailScopeMissing?: boolean } = {},
): Classification {
	if (user.id === 'USLACKBOT') {
		if (!filters.includeSlackbot) return { action: 'skip', reason: 'slackbot' };
	} else if ((user.is_bot || user.is_app_user) && !filters.includeBots) {
		return { action: 'skip', reason: 'bot' };
	}
	if (user.deleted && filters.deletedUsers === 'skip') return { action: 'skip', reason: 'deleted' };
	if (user.is_ultra_restricted && !filters.includeSingleChannelGuests) {
		return { action: 'skip', reason: 'single_channel_guest' };
	}
	if (user.is_restricted && !user.is_ultra_restricted && !filters.includeMultiChannelGuests) {
		return { action: 'skip', reason: 'multi_channel_guest' };
	}
	const email = emailOf(user);
	if (email === '') return { action: 'skip', reason: o.emailScopeMissing ? 'email_not_visible' : 'no_email' };
	if (!isValidEmail(email)) return { action: 'skip', reason: 'invalid_email' };
	return { action: 'sync', deleted: Boolean(user.deleted) };
}
