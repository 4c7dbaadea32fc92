/**
 * Unfurl Brevo Links: for a `link_shared` event (from the Slack Interaction Trigger), fetch each Brevo contact or
 * campaign linked and attach a preview to the message (chat.unfurl). Needs the links:write scope and the Brevo
 * domain registered under the Slack app's "App unfurl domains".
 */
import type { ChatUnfurlArguments } from '@slack/web-api';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { getBrevoClient, toBrevoNodeError } from '../../shared/n8n/brevoClient';
import type { Block } from '../../shared/slack/blocks';
import { getSlackClient } from '../../shared/n8n/slackClient';
import { campaignPreview, contactPreview, parseBrevoLink } from '../../shared/slack/templates';
import { perItem } from '../../shared/n8n/items';

const show = { operation: ['unfurl'] };

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
];

interface LinkSharedEvent {
	channel?: string;
	message_ts?: string;
	unfurl_id?: string;
	source?: string;
	links?: Array<{ url?: string; domain?: string }>;
}

function parseEvent(raw: unknown): LinkSharedEvent | undefined {
	let v = raw;
	if (typeof v === 'string') {
		try {
			v = JSON.parse(v);
		} catch {
			return undefined;
		}
	}
	if (!v || typeof v !== 'object') return undefined;
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
		const event = parseEvent(this.getNodeParameter('event', i));
		if (!event) {
			throw new NodeOperationError(this.getNode(), 'Link Shared Event has no links', {
				itemIndex: i,
				description: 'Map the link_shared event from the Slack Interaction Trigger, e.g. {{ JSON.stringify($json.event) }}.',
			});
		}
		const appUrl = String(this.getNodeParameter('brevoAppUrl', i, 'https://app.brevo.com') || 'https://app.brevo.com');
		let appHost: string[] = [];
		try {
			appHost = [new URL(appUrl).hostname];
		} catch {
			appHost = [];
		}
		const unfurls: Record<string, { blocks: Block[] }> = {};
		const results: IDataObject[] = [];
		for (const link of event.links ?? []) {
			const url = String(link.url ?? '');
			const parsed = parseBrevoLink(url, appHost);
			if (!parsed) {
				results.push({ url, unfurled: false, reason: 'not a Brevo contact or campaign link' });
				continue;
			}
			try {
				if (parsed.kind === 'contact') {
					const contact = (await brevo.getContact(Number(parsed.id), 'contact_id')) as unknown as IDataObject;
					unfurls[url] = { blocks: contactPreview(contact, { brevoAppUrl: appUrl }) };
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
