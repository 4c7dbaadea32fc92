/**
 * Adding emails to / removing them from a Brevo list, with the answers Brevo really gives (no n8n imports).
 *
 * `POST /contacts/lists/{id}/contacts/add|remove` takes at most 150 emails. When SOME of them can be changed, Brevo
 * answers 201 `{contacts: {success, failure}}`; when NONE can, it answers
 * `400 {"code":"invalid_parameter","message":"Contact already in list and/or does not exist"}` (remove: "Contact
 * already removed from list and/or does not exist"). Sources: https://developers.brevo.com/reference/add-contact-to-list,
 * sendinblue/APIv3-php-library#47, #92, #134. Either way Brevo does not say which of the two reasons applies, so
 * every email it did not change is looked up (`GET /contacts/{email}`): unknown -> created in the list when asked
 * ("Create Missing Contacts"), already a member -> success (`alreadyInList`), not a member of the list it should
 * leave -> success (`notInList`).
 */
import { settle } from '../util';
import { isBrevoNotFound, type BrevoGateway } from './gateway';

export const LIST_CALL_MAX = 150;

export type MembershipOperation = 'add' | 'remove';

/** What happened to one email. `inList` is where the contact stands after the call. */
export interface MembershipOutcome {
	email: string;
	listId: number;
	added?: boolean;
	removed?: boolean;
	inList: boolean;
	alreadyInList?: true;
	notInList?: true;
	contactCreated?: true;
	contactId?: number;
	/** Set when nothing was changed and that is not what the user asked for (no contact, Create Missing off). */
	reason?: string;
}

export type MembershipResult = { ok: true; outcome: MembershipOutcome } | { ok: false; error: unknown };

/** Brevo's "nothing of this call could be changed" answer (400 invalid_parameter with its fixed message). */
export function isNothingChangedAnswer(error: unknown): boolean {
	const e = error as { statusCode?: number; code?: string; brevoMessage?: string };
	return (
		e?.statusCode === 400 &&
		e.code === 'invalid_parameter' &&
		/already (in|removed from) list and\/or does not exist/i.test(e.brevoMessage ?? '')
	);
}

/**
 * One call of at most 150 emails (lower case, no duplicates), then a look-up of each email Brevo did not change.
 * A failure of the whole call (unknown list, key, network) rejects; a failure about one email is that email's result.
 * `createMissing` may be decided per email (n8n reads the option per item).
 */
export async function changeListMembership(
	brevo: BrevoGateway,
	operation: MembershipOperation,
	listId: number,
	emails: string[],
	options: { createMissing: boolean | ((email: string) => boolean) },
): Promise<Map<string, MembershipResult>> {
	if (emails.length > LIST_CALL_MAX) throw new RangeError(`at most ${LIST_CALL_MAX} emails per call`);
	const results = new Map<string, MembershipResult>();
	const answer = await settle(
		brevo.request<{ contacts?: { success?: unknown[]; failure?: unknown[] } } | undefined>({
			method: 'POST',
			path: `/contacts/lists/${listId}/contacts/${operation}`,
			body: { emails },
		}),
	);
	let unchanged: string[];
	if (answer.ok) {
		const failure = new Set((answer.value?.contacts?.failure ?? []).map((v) => String(v).toLowerCase()));
		unchanged = emails.filter((e) => failure.has(e));
		for (const email of emails) {
			if (failure.has(email)) continue;
			const outcome: MembershipOutcome =
				operation === 'add' ? { email, listId, added: true, inList: true } : { email, listId, removed: true, inList: false };
			results.set(email, { ok: true, outcome });
		}
	} else if (isNothingChangedAnswer(answer.error)) unchanged = [...emails];
	else return Promise.reject(answer.error);
	for (const email of unchanged) {
		const one = await settle(settleOne(brevo, operation, listId, email, options));
		results.set(email, one.ok ? { ok: true, outcome: one.value } : { ok: false, error: one.error });
	}
	return results;
}

/** Why Brevo did not change this email's membership, and what the package does about it. */
async function settleOne(
	brevo: BrevoGateway,
	operation: MembershipOperation,
	listId: number,
	email: string,
	options: { createMissing: boolean | ((email: string) => boolean) },
): Promise<MembershipOutcome> {
	const found = await settle(brevo.getContact(email));
	if (!found.ok && !isBrevoNotFound(found.error)) return await Promise.reject(found.error);
	const listIds = found.ok ? (found.value.listIds ?? []).map(Number) : undefined;
	if (operation === 'remove') {
		if (listIds === undefined) {
			return { email, listId, removed: false, inList: false, reason: 'No Brevo contact has this email, so it is in no list' };
		}
		if (!listIds.includes(listId)) return { email, listId, removed: false, inList: false, notInList: true };
		// Brevo says it is a member yet did not remove it: unlink it through the contact itself
		await brevo.request({ method: 'PUT', path: `/contacts/${encodeURIComponent(email)}`, body: { unlinkListIds: [listId] } });
		return { email, listId, removed: true, inList: false };
	}
	if (listIds?.includes(listId)) return { email, listId, added: false, inList: true, alreadyInList: true };
	const createMissing = typeof options.createMissing === 'function' ? options.createMissing(email) : options.createMissing;
	if (listIds === undefined && !createMissing) {
		return {
			email,
			listId,
			added: false,
			inList: false,
			reason: 'No Brevo contact has this email. Turn on "Create Missing Contacts" to create it in the list.',
		};
	}
	// unknown (create it in the list) or known but not a member (add it through the contact): one upsert does both
	const created = await brevo.request<{ id?: number } | undefined>({
		method: 'POST',
		path: '/contacts',
		body: { email, listIds: [listId], updateEnabled: true },
	});
	const outcome: MembershipOutcome = { email, listId, added: true, inList: true };
	if (created && typeof created === 'object' && created.id !== undefined) {
		outcome.contactCreated = true;
		outcome.contactId = Number(created.id);
	}
	return outcome;
}
