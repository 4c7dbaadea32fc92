/**
 * Unfurl Brevo Links: for a `link_shared` event (from the Slack Interaction Trigger), fetch each Brevo contact or
 * campaign linked and attach a preview to the message (chat.unfurl). Needs the links:write scope and the Brevo
 * domain registered under the Slack app's "App unfurl domains".
 *
 * Privacy: a contact preview is seen by everyone in the channel. Only the contact fields chosen are shown (by default
 * the name only), and contact links are not unfurled in Slack Connect channels (shared with another organisation)
 * unless that is switched on: the event envelope's `is_ext_shared_channel`, else conversations.info's
 * `is_ext_shared` / `is_pending_ext_shared` tells it; when it cannot be told (composer previews, no channels:read /
 * groups:read scope), the channel counts as external.
 */
import type { ChatUnfurlArguments } from '@slack/web-api';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { getBrevoClient, toBrevoNodeError } from '../../shared/n8n/brevoClient';
import type { Block } from '../../shared/slack/blocks';
import type { SlackClient } from '../../shared/slack/gateway';
import { getSlackClient, slackErrorCode } from '../../shared/n8n/slackClient';
import { campaignPreview, contactPreview, parseBrevoLink } from '../../shared/slack/templates';
import { perItem } from '../../shared/n8n/items';
import { booleanParam, textParam, toTextList } from '../../shared/n8n/params';
import { parseJson } from '../../shared/util';

const show = { operation: ['unfurl'] };

const CONTACT_FIELDS = ['name', 'email', 'lists', 'emailStatus', 'created', 'modified'] as const;
type ContactField = (typeof CONTACT_FIELDS)[number];

export const description: INodeProperties[] = [
	{
		displayName: 'Link Shared Event',
		name: 'event',
		type: 'json',
		default: '={{ JSON.stringify($json.event) }}',
		displayOptions: { show },
		description: 'The link_shared event: channel, message_ts, links[], and unfurl_id/source for links typed in the composer',
	},
	{
		displayName: 'Brevo App URL',
		name: 'brevoAppUrl',
		type: 'string',
		default: 'https://app.brevo.com',
		displayOptions: { show },
		description: 'Links in the previews point here; its host is recognised besides *.brevo.com',
	},
	{
		displayName: 'Contact Fields Shown',
		name: 'contactFields',
		type: 'multiOptions',
		options: [
			{ name: 'Created Date', value: 'created' },
			{ name: 'Email Address', value: 'email' },
			{ name: 'Email Status', value: 'emailStatus', description: 'Subscribed, or unsubscribed / blocklisted' },
			{ name: 'Modified Date', value: 'modified' },
			{ name: 'Name', value: 'name', description: 'First and last name' },
			{ name: 'Number of Lists', value: 'lists' },
		],
		default: ['name'],
		displayOptions: { show },
		description:
			'What a contact preview shows to everyone in the channel. By default only the name: enough to see who the link is about, without spreading the email address or marketing status of a person to every channel member. Without name and email the preview says "Contact 42" (its ID).',
	},
	{
		displayName: 'Unfurl Contacts in Slack Connect Channels',
		name: 'contactsInExternalChannels',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description:
			'Whether to preview contact links in channels shared with other organisations (Slack Connect), where their guests see the preview. Off: such links are left as plain links (campaign links are still previewed). Also off when the channel cannot be checked (composer previews, or no channels:read / groups:read scope).',
	},
];

/** The preview of a contact with only the chosen fields (the contact is reduced before the template sees it). */
function contactPreviewWith(contact: IDataObject, fields: ContactField[], brevoAppUrl: string): Block[] {
	const has = (f: ContactField) => fields.includes(f);
	const attributes = (contact.attributes ?? {}) as IDataObject;
	const reduced: IDataObject = {
		id: contact.id,
		...(has('email') && contact.email !== undefined ? { email: contact.email } : {}),
		...(has('name') ? { attributes: { FIRSTNAME: attributes.FIRSTNAME, LASTNAME: attributes.LASTNAME } } : {}),
		...(has('lists') && contact.listIds !== undefined ? { listIds: contact.listIds } : {}),
		...(has('emailStatus') ? { emailBlacklisted: contact.emailBlacklisted } : {}),
		...(has('created') && contact.createdAt !== undefined ? { createdAt: contact.createdAt } : {}),
		...(has('modified') && contact.modifiedAt !== undefined ? { modifiedAt: contact.modifiedAt } : {}),
	};
	const blocks = contactPreview(reduced, { brevoAppUrl });
	if (has('emailStatus')) return blocks;
	// The template always states the email status: drop it when it was not chosen.
	return blocks
		.map((b) => {
			const f = (b as { fields?: Array<{ text?: string }> }).fields;
			return f ? { ...b, fields: f.filter((x) => !String(x.text ?? '').startsWith('*Email status*')) } : b;
		})
		.filter((b) => {
			const f = (b as { fields?: unknown[] }).fields;
			return !Array.isArray(f) || f.length > 0;
		}) as Block[];
}

/** Whether the channel is shared with another organisation; undefined when it cannot be told. */
async function isExternal(slack: SlackClient, event: LinkSharedEvent, envelopeFlag: unknown): Promise<{ external: boolean; why?: string }> {
	if (envelopeFlag === true) return { external: true, why: 'the channel is shared with another organisation (Slack Connect)' };
	const channel = String(event.channel ?? '');
	if (event.source === 'composer' || !/^[CGD][A-Z0-9]{6,}$/.test(channel)) {
		return { external: true, why: 'a link in the message composer: the channel it will be posted in is not known yet' };
	}
	if (channel.startsWith('D')) return { external: false };
	try {
		const res = await slack.conversations.info({ channel });
		const c = res.channel ?? {};
		if (c.is_ext_shared || c.is_pending_ext_shared) return { external: true, why: 'the channel is shared with another organisation (Slack Connect)' };
		return { external: false };
	} catch (error) {
		const code = slackErrorCode(error) ?? 'error';
		return { external: true, why: `whether the channel is shared with another organisation could not be checked (conversations.info: ${code}; needs channels:read / groups:read)` };
	}
}

interface LinkSharedEvent {
	channel?: string;
	message_ts?: string;
	unfurl_id?: string;
	source?: string;
	links?: Array<{ url?: string; domain?: string }>;
}

/** The parameter's value as an object: itself, or the object its JSON text holds; undefined otherwise. */
function objectOf(raw: unknown): IDataObject | undefined {
	const v = typeof raw === 'string' ? parseJson(raw) : { ok: true as const, value: raw };
	return v.ok && v.value && typeof v.value === 'object' && !Array.isArray(v.value) ? (v.value as IDataObject) : undefined;
}

function parseEvent(raw: unknown): LinkSharedEvent | undefined {
	const v = objectOf(raw);
	if (!v) return undefined;
	const o = v as IDataObject;
	// Accept the bare event, an event_callback envelope, or the trigger's whole item.
	if (Array.isArray(o.links)) return o as LinkSharedEvent;
	if (o.event && typeof o.event === 'object') return parseEvent(o.event);
	return undefined;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const slack = await getSlackClient(this);
	const brevo = await getBrevoClient(this);
	return await perItem(this, async (i) => {
		const raw = this.getNodeParameter('event', i);
		const event = parseEvent(raw);
		if (!event) {
			throw new NodeOperationError(this.getNode(), 'Link Shared Event has no links', {
				itemIndex: i,
				description: 'Map the link_shared event from the Slack Interaction Trigger, e.g. {{ JSON.stringify($json.event) }}.',
			});
		}
		const appUrl = textParam(this, 'brevoAppUrl', 'Brevo App URL', i) || 'https://app.brevo.com';
		const fields = toTextList(this, this.getNodeParameter('contactFields', i, ['name']), i, 'Contact Fields Shown').filter((f): f is ContactField =>
			(CONTACT_FIELDS as readonly string[]).includes(f),
		);
		const allowExternal = booleanParam(this, 'contactsInExternalChannels', 'Unfurl Contacts in Slack Connect Channels', i, false);
		let appHost: string[] = [];
		try {
			appHost = [new URL(appUrl).hostname];
		} catch {
			appHost = [];
		}
		// The envelope (the trigger keeps it as `raw`, or the parameter may be the whole envelope) says when the channel is external.
		const envelopeFlag = envelopeOf(raw)?.is_ext_shared_channel ?? (this.getInputData()[i]?.json?.raw as IDataObject | undefined)?.is_ext_shared_channel;
		let external: Promise<{ external: boolean; why?: string }> | undefined;
		const unfurls: Record<string, { blocks: Block[] }> = {};
		const results: IDataObject[] = [];
		for (const link of event.links ?? []) {
			const url = String(link.url ?? '');
			const parsed = parseBrevoLink(url, appHost);
			if (!parsed) {
				results.push({ url, unfurled: false, reason: 'not a Brevo contact or campaign link' });
				continue;
			}
			if (parsed.kind === 'contact' && !allowExternal) {
				const ext = await (external ??= isExternal(slack, event, envelopeFlag));
				if (ext.external) {
					results.push({ url, kind: parsed.kind, id: parsed.id, unfurled: false, reason: `contact not previewed: ${ext.why}. Turn on "Unfurl Contacts in Slack Connect Channels" to allow it.` });
					continue;
				}
			}
			try {
				if (parsed.kind === 'contact') {
					const contact = (await brevo.getContact(Number(parsed.id), 'contact_id')) as unknown as IDataObject;
					unfurls[url] = { blocks: contactPreviewWith(contact, fields, appUrl) };
				} else {
					const campaign = (await brevo.getEmailCampaign({ campaignId: Number(parsed.id), statistics: 'globalStats', excludeHtmlContent: true })) as unknown as IDataObject;
					unfurls[url] = { blocks: campaignPreview(campaign, { brevoAppUrl: appUrl }) };
				}
				results.push({ url, kind: parsed.kind, id: parsed.id, unfurled: true });
			} catch (error) {
				// One missing contact must not block the previews of the other links.
				const e = toBrevoNodeError(this.getNode(), error, { itemIndex: i, action: `reading Brevo ${parsed.kind} ${parsed.id}` });
				results.push({ url, kind: parsed.kind, id: parsed.id, unfurled: false, reason: e.message });
			}
		}
		const count = Object.keys(unfurls).length;
		if (count > 0) {
			const target =
				event.unfurl_id && event.source
					? { unfurl_id: event.unfurl_id, source: event.source }
					: { channel: String(event.channel ?? ''), ts: String(event.message_ts ?? '') };
			await slack.chat.unfurl({ ...target, unfurls } as unknown as ChatUnfurlArguments);
		}
		return { ok: true, unfurled: count, links: results };
	}, () => ({ action: 'unfurling Brevo links' }));
}

/** The event_callback envelope, when the parameter holds it (not just the event). */
function envelopeOf(raw: unknown): IDataObject | undefined {
	const v = objectOf(raw);
	return v?.type === 'event_callback' ? v : undefined;
}
