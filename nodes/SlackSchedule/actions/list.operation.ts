/** List Scheduled Messages: every page of chat.scheduledMessages.list, filtered by channel and time window. */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { getSlackClient } from '../../shared/n8n/slackClient';
import { ChannelResolver, channelLocator } from '../../shared/n8n/channels';
import { locatorValue, textParam } from '../../shared/n8n/params';
import { slackError } from '../../shared/n8n/items';

const show = { resource: ['scheduledMessage'], operation: ['list'] };

export const description: INodeProperties[] = [
	channelLocator('channel', 'Channel', show, false, 'Only this channel (empty: every channel)'),
	{
		displayName: 'Posting After',
		name: 'oldest',
		type: 'dateTime',
		default: '',
		displayOptions: { show },
		description: 'Only messages scheduled to post after this time',
	},
	{
		displayName: 'Posting Before',
		name: 'latest',
		type: 'dateTime',
		default: '',
		displayOptions: { show },
		description: 'Only messages scheduled to post before this time',
	},
];

function toUnix(ctx: IExecuteFunctions, name: string, label: string): number | undefined {
	const raw = textParam(ctx, name, label, 0);
	if (!raw) return undefined;
	const dt = DateTime.fromISO(raw, { zone: ctx.getTimezone() });
	if (!dt.isValid) throw new NodeOperationError(ctx.getNode(), `${label} is not a date`, { description: 'Use ISO 8601, e.g. 2026-12-01T09:00.' });
	return Math.floor(dt.toSeconds());
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await getSlackClient(this);
	const oldest = toUnix(this, 'oldest', 'Posting After');
	const latest = toUnix(this, 'latest', 'Posting Before');
	if (oldest !== undefined && latest !== undefined && latest <= oldest) {
		throw new NodeOperationError(this.getNode(), 'Posting Before must be after Posting After');
	}
	const ref = locatorValue(this, 'channel', 0, 'Channel');
	const out: INodeExecutionData[] = [];
	try {
		const channel = ref ? (await new ChannelResolver(client).resolve(ref)).id : undefined;
		let cursor: string | undefined;
		do {
			const res = await client.chat.scheduledMessages.list({
				...(channel ? { channel } : {}),
				...(oldest !== undefined ? { oldest: String(oldest) } : {}),
				...(latest !== undefined ? { latest: String(latest) } : {}),
				limit: 100,
				cursor,
			});
			for (const m of res.scheduled_messages ?? []) {
				out.push({
					json: {
						id: m.id ?? null,
						channel: m.channel_id ?? null,
						post_at: m.post_at ?? null,
						postAtIso: m.post_at ? new Date(m.post_at * 1000).toISOString() : null,
						date_created: m.date_created ?? null,
						text: m.text ?? '',
					},
					pairedItem: { item: 0 },
				});
			}
			cursor = res.response_metadata?.next_cursor || undefined;
		} while (cursor);
	} catch (error) {
		throw slackError(this, error, { channel: ref || undefined, action: 'listing scheduled messages' });
	}
	return out;
}
