/**
 * Optional users.info lookup for the user who clicked, submitted or wrote. It never fails the trigger: Slack
 * errors become a warning on the item (e.g. missing_scope), and an email that the token may not read (no
 * users:read.email scope) is reported as such instead of looking like a user without an email.
 */
import type { SlackClient } from '../shared/slack/gateway';

import { redactSecrets } from '../shared/redact';
import { slackErrorCode } from '../shared/n8n/slackClient';
import { slackRemedy } from '../shared/slack/remedies';

export interface LookedUpUser {
	name?: string | null;
	real_name?: string | null;
	display_name?: string | null;
	email?: string | null;
	tz?: string | null;
	is_bot?: boolean;
	deleted?: boolean;
}

export interface LookupResult {
	user: LookedUpUser | null;
	warnings: string[];
}

interface UsersInfoMember {
	name?: string;
	real_name?: string;
	tz?: string;
	is_bot?: boolean;
	deleted?: boolean;
	profile?: { real_name?: string; display_name?: string; email?: string };
}

export async function lookUpUser(client: SlackClient, userId: string): Promise<LookupResult> {
	let result: { user?: UsersInfoMember; response_metadata?: { scopes?: string[] } };
	try {
		result = (await client.users.info({ user: userId })) as typeof result;
	} catch (error) {
		const code = slackErrorCode(error);
		const data = (error as { data?: { needed?: string; provided?: string } }).data ?? {};
		if (code) {
			const remedy = slackRemedy(code, { needed: data.needed, provided: data.provided });
			return { user: null, warnings: [`users.info failed with ${code}: ${remedy.summary}. ${remedy.fix}`] };
		}
		return { user: null, warnings: [redactSecrets(`users.info failed: ${(error as Error)?.message ?? String(error)}`)] };
	}
	const member = result.user ?? {};
	const profile = member.profile ?? {};
	const user: LookedUpUser = {
		name: member.name ?? null,
		real_name: member.real_name ?? profile.real_name ?? null,
		display_name: profile.display_name || null,
		email: profile.email ?? null,
		tz: member.tz ?? null,
		is_bot: member.is_bot ?? false,
		deleted: member.deleted ?? false,
	};
	const warnings: string[] = [];
	const scopes = result.response_metadata?.scopes;
	if (!profile.email && !member.is_bot && Array.isArray(scopes) && !scopes.includes('users:read.email')) {
		warnings.push(
			'The user\'s email is not available: the bot token lacks the users:read.email scope. Add it under OAuth & Permissions and reinstall the app.',
		);
	}
	return { user, warnings };
}
