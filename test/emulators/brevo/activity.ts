/**
 * What happens in the account -> the webhook events Brevo sends for it (opt-in: `autoWebhooks`).
 * Marketing webhooks hear `contactUpdated`, `contactDeleted` and `listAddition` (with `api_key_name`, the name of
 * the key that made the change); transactional webhooks hear `request` (subscription `sent`/`request`) and
 * `delivered` for each recipient of POST /smtp/email. Batched webhooks get them in one array after Brevo's
 * ~5 minute batching delay (emulated time); the others get one POST per event at once.
 */
import { contactEvent, transactionalEvent } from './payloads';
import type { Contact, Webhook } from './state';

export const BATCH_DELAY_MS = 5 * 60_000;

export type Activity =
	| { kind: 'contact_updated'; contact: Contact; changes: Record<string, unknown>; apiKeyName?: string }
	| { kind: 'contact_deleted'; contact: Contact; apiKeyName?: string }
	| { kind: 'list_addition'; contact: Contact; listIds: number[]; apiKeyName?: string }
	| {
			kind: 'email_sent';
			messageId: string;
			email: string;
			subject: string;
			tags: string[];
			templateId?: number;
	  };

const SUBSCRIPTION: Record<Activity['kind'], { type: Webhook['type']; events: string[] }> = {
	contact_updated: { type: 'marketing', events: ['contactUpdated'] },
	contact_deleted: { type: 'marketing', events: ['contactDeleted'] },
	list_addition: { type: 'marketing', events: ['listAddition'] },
	email_sent: { type: 'transactional', events: ['sent', 'request', 'delivered'] },
};

/** The payloads one webhook receives for one activity (none when it is not subscribed). */
export function payloadsFor(a: Activity, w: Webhook, now: number): object[] {
	const sub = SUBSCRIPTION[a.kind];
	if (w.type !== sub.type || !w.events.some((e) => sub.events.includes(e))) return [];
	// marketing events are about an email address: a contact known only by ext_id or SMS produces none
	if (a.kind !== 'email_sent' && !a.contact.email) return [];
	const common = { webhookId: w.id, at: now };
	switch (a.kind) {
		case 'contact_updated':
			return [
				contactEvent('contact_updated', {
					...common,
					email: a.contact.email,
					attributes: a.changes,
					apiKeyName: a.apiKeyName ?? null,
				}),
			];
		case 'contact_deleted':
			return [contactEvent('contact_deleted', { ...common, email: a.contact.email, apiKeyName: a.apiKeyName ?? null })];
		case 'list_addition':
			return [
				contactEvent('list_addition', {
					...common,
					email: a.contact.email,
					listIds: a.listIds,
					apiKeyName: a.apiKeyName ?? null,
				}),
			];
		case 'email_sent': {
			const base = {
				...common,
				email: a.email,
				messageId: a.messageId,
				subject: a.subject,
				tags: a.tags,
				templateId: a.templateId,
			};
			const out: object[] = [];
			if (w.events.includes('sent') || w.events.includes('request')) out.push(transactionalEvent('request', base));
			if (w.events.includes('delivered')) out.push(transactionalEvent('delivered', base));
			return out;
		}
	}
}
