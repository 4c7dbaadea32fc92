/**
 * Registration of Brevo webhooks for this trigger: what to register for the node's parameters, recognising our
 * webhooks in Brevo's lists, creating, re-adopting and deleting them. Errors become NodeApiError; nothing is
 * swallowed.
 */
import { randomBytes } from 'crypto';

import { NodeApiError, NodeOperationError, type IDataObject, type IHookFunctions, type INode } from 'n8n-workflow';

import { isBrevoNotFound, toBrevoNodeError, type BrevoGateway } from '../shared/n8n/brevoClient';
import { matchesHash, newRegistrationToken, registrationTokenHash } from '../shared/brevo/auth';
import type { StoredRegistration } from './pipeline';
import {
	isOurWebhook,
	listedBearerToken,
	parseRawSelection,
	SPEC_EVENTS,
	type ListedWebhook,
	type Registration,
	type TriggerEvent,
	type WebhookType,
} from '../shared/brevo/events';

export type { StoredRegistration } from './pipeline';

export const MAX_WEBHOOKS_PER_ACCOUNT = 40;

export function storedRegistrations(staticData: IDataObject): StoredRegistration[] {
	const list = staticData.registrations;
	return Array.isArray(list) ? (list as unknown as StoredRegistration[]) : [];
}

function saveRegistrations(staticData: IDataObject, list: StoredRegistration[]): void {
	staticData.registrations = list as unknown as IDataObject[];
}

/** The webhooks the node's parameters ask for (empty for automation / Conversations sources). */
export function wantedRegistrations(node: INode, event: TriggerEvent, rawEvents: string[]): Registration[] {
	if (event !== 'raw') return SPEC_EVENTS[event].registrations;
	const { registrations, unknown } = parseRawSelection(rawEvents);
	if (unknown.length > 0)
		throw new NodeOperationError(node, `Unknown raw event(s): ${unknown.join(', ')}`, {
			description: 'Pick the events from the "Raw Events" list.',
		});
	if (registrations.length === 0)
		throw new NodeOperationError(node, 'No raw event selected', { description: 'Pick at least one event under "Raw Events".' });
	return registrations;
}

async function listWebhooks(ctx: IHookFunctions, brevo: BrevoGateway, type: WebhookType): Promise<ListedWebhook[]> {
	try {
		// Brevo lists transactional webhooks unless asked for another type: always ask for the one we need.
		const response = await brevo.getWebhooks({ type });
		return (response.webhooks ?? []) as unknown as ListedWebhook[];
	} catch (error) {
		throw toBrevoNodeError(ctx.getNode(), error, { action: `listing ${type} webhooks` });
	}
}

function isWebhookCapError(error: unknown): boolean {
	const e = error as { statusCode?: number; body?: { code?: string; message?: string } };
	const message = String(e?.body?.message ?? '');
	return e?.statusCode === 400 && /(\b40\b|limit|maximum|max(imum)? number)/i.test(message) && /webhook/i.test(message);
}

export interface AdoptResult {
	/** Every wanted registration is registered in Brevo and known (with its token's hash) in static data. */
	complete: boolean;
}

/** A registration we can check calls against: its token's hash, or (legacy static data) the token in clear. */
function hasToken(s: StoredRegistration): boolean {
	return (typeof s.tokenHash === 'string' && s.tokenHash !== '') || (typeof s.token === 'string' && s.token !== '');
}

/**
 * Whether a known registration needs a new token: static data of an earlier version keeps the token in clear
 * (rotated so that only a hash stays), or Brevo lists a token that is not ours any more (changed in Brevo: every
 * call would earn a 401).
 */
function needsNewToken(s: StoredRegistration, hook: ListedWebhook): boolean {
	if (typeof s.tokenHash !== 'string' || s.tokenHash === '') return true;
	const listed = listedBearerToken(hook);
	return listed !== undefined && !matchesHash(listed, s.tokenHash);
}

/**
 * Sets a fresh random token on a webhook in Brevo (`PUT /webhooks/{id}` with `auth: {type: 'bearer', token}`,
 * UpdateWebhookRequest.Auth) and returns only its hash: the token itself is forgotten once Brevo has it.
 */
async function setNewToken(ctx: IHookFunctions, brevo: BrevoGateway, webhookId: number): Promise<string> {
	const token = newRegistrationToken(randomBytes);
	try {
		await brevo.updateWebhook({ webhookId, auth: { type: 'bearer', token } });
	} catch (error) {
		throw toBrevoNodeError(ctx.getNode(), error, { action: `setting a new token on webhook ${webhookId}` });
	}
	return registrationTokenHash(token);
}

/**
 * checkExists: finds exactly our webhooks (URL, type, events) in Brevo. A webhook found but unknown to static
 * data (static data lost, e.g. the workflow was re-imported) is re-adopted with a new random token set through
 * `PUT /webhooks/{id}`: the token Brevo lists for it is never trusted (anyone may have set it, however short or
 * guessable). A known registration whose static data still holds its token in clear (an earlier version) gets a
 * new token too, and only the hash is kept. Nothing is duplicated. Stored registrations that no longer exist in
 * Brevo are forgotten (create registers them again).
 */
export async function adoptExisting(
	ctx: IHookFunctions,
	brevo: BrevoGateway,
	url: string,
	wanted: Registration[],
): Promise<AdoptResult> {
	const staticData = ctx.getWorkflowStaticData('node');
	const stored = storedRegistrations(staticData);
	const kept: StoredRegistration[] = [];
	let complete = true;
	for (const want of wanted) {
		const listed = await listWebhooks(ctx, brevo, want.type);
		const ours = listed.filter((h) => isOurWebhook(h, url, want));
		// Our webhook URL is unique to this node: webhooks of this type at it with other events are left over
		// from an earlier configuration whose static data was lost; they would only earn 401s. Same for duplicates.
		const strays = listed.filter((h) => h.url === url && !ours.includes(h));
		const known = ours.find((h) => stored.some((s) => s.webhookId === h.id && hasToken(s)));
		const chosen = known ?? ours[0];
		for (const extra of [...strays, ...ours.filter((h) => h !== chosen)])
			await deleteOne(ctx, brevo, { type: want.type, webhookId: extra.id, events: extra.events, url });
		if (!chosen) {
			complete = false;
			continue;
		}
		const previous = known ? stored.find((s) => s.webhookId === known.id && hasToken(s)) : undefined;
		if (previous && !needsNewToken(previous, chosen)) {
			kept.push(previous);
			continue;
		}
		const tokenHash = await setNewToken(ctx, brevo, chosen.id);
		if (previous && !previous.tokenHash)
			ctx.logger.info(`Brevo Event Trigger "${ctx.getNode().name}": webhook ${chosen.id} has a new token; static data keeps only its hash now`);
		kept.push({ type: want.type, webhookId: chosen.id, tokenHash, events: [...want.events], url });
	}
	// Registrations we made for an earlier configuration (other events, type or URL) are deleted now, so a
	// reconfigured trigger leaves nothing behind and does not use up the 40-webhook allowance.
	for (const s of stored) if (!kept.some((k) => k.webhookId === s.webhookId)) await deleteOne(ctx, brevo, s);
	saveRegistrations(staticData, kept);
	return { complete };
}

/** create: registers every wanted webhook not yet registered; on failure, removes what this call created. */
export async function registerMissing(
	ctx: IHookFunctions,
	brevo: BrevoGateway,
	url: string,
	wanted: Registration[],
	o: { batched: boolean; domain?: string; description: string },
): Promise<void> {
	const staticData = ctx.getWorkflowStaticData('node');
	const node = ctx.getNode();
	const current = storedRegistrations(staticData).filter((s) => s.url === url);
	const created: StoredRegistration[] = [];
	for (const want of wanted) {
		if (current.some((s) => s.type === want.type)) continue;
		if (want.type === 'inbound' && !o.domain)
			throw new NodeOperationError(node, 'Inbound events need an inbound domain', {
				description: 'Set "Inbound Domain" to the domain whose incoming emails Brevo parses.',
			});
		const token = newRegistrationToken(randomBytes);
		try {
			const response = await brevo.createWebhook({
				url,
				type: want.type,
				events: want.events as never,
				description: o.description,
				auth: { type: 'bearer', token },
				...(o.batched ? { batched: true } : {}),
				...(want.type === 'inbound' ? { domain: o.domain } : {}),
			});
			created.push({ type: want.type, webhookId: Number(response.id), tokenHash: registrationTokenHash(token), events: [...want.events], url });
		} catch (error) {
			for (const c of created) await deleteOne(ctx, brevo, c);
			if (isWebhookCapError(error)) {
				throw new NodeApiError(node, { code: 'webhook_limit' }, {
					message: `Brevo refused to create the ${want.type} webhook: the account already has ${MAX_WEBHOOKS_PER_ACCOUNT} webhooks, Brevo's maximum`,
					description:
						'Delete unused webhooks in Brevo (Transactional > Settings > Webhooks, and Contacts > Settings > Webhooks for marketing ones), or deactivate other workflows that use a Brevo trigger, then activate again.',
					httpCode: '400',
				});
			}
			throw toBrevoNodeError(node, error, { action: `creating the ${want.type} webhook` });
		}
	}
	saveRegistrations(staticData, [...current, ...created]);
}

async function deleteOne(ctx: IHookFunctions, brevo: BrevoGateway, s: StoredRegistration): Promise<void> {
	try {
		await brevo.deleteWebhook(s.webhookId);
	} catch (error) {
		// Already gone (deleted in Brevo's UI): the goal of the call is reached.
		if (isBrevoNotFound(error)) return;
		throw toBrevoNodeError(ctx.getNode(), error, { action: `deleting webhook ${s.webhookId}` });
	}
}

/** delete: removes every webhook this node registered (whatever the current parameters ask for). */
export async function unregisterAll(ctx: IHookFunctions, brevo: BrevoGateway): Promise<void> {
	const staticData = ctx.getWorkflowStaticData('node');
	const stored = storedRegistrations(staticData);
	const remaining = [...stored];
	for (const s of stored) {
		await deleteOne(ctx, brevo, s);
		remaining.splice(remaining.indexOf(s), 1);
		saveRegistrations(staticData, remaining);
	}
	delete staticData.registrations;
}
