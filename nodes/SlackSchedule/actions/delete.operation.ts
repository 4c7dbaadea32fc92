/**
 * Delete Scheduled Message. Slack refuses (`invalid_scheduled_message_id`) once the message has posted or within
 * 60 seconds of its post time; the error says so and what to do instead.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSlackClient } from '../../shared/n8n/slackClient';
import { ChannelResolver, channelLocator, channelParam, type ChannelInfo } from '../../shared/n8n/channels';
import { perItem } from '../../shared/n8n/items';
import { requiredString } from '../../shared/n8n/params';

const show = { resource: ['scheduledMessage'], operation: ['delete'] };

export const description: INodeProperties[] = [
	channelLocator('channel', 'Channel', show, true, 'The channel the message is scheduled for'),
	{
		displayName: 'Scheduled Message ID',
		name: 'scheduledMessageId',
		type: 'string',
		default: '={{ $json.scheduled_message_id ?? $json.id }}',
		required: true,
		placeholder: 'Q1298393284',
		displayOptions: { show },
		description: 'The ID returned by Schedule Message or List Scheduled Messages',
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await getSlackClient(this);
	const resolver = new ChannelResolver(client);
	let channel: ChannelInfo | undefined;
	return await perItem(
		this,
		async (i) => {
			channel = undefined;
			const id = requiredString(this, 'scheduledMessageId', 'Scheduled Message ID', i, 'Map the scheduled_message_id of Schedule Message, or the id of List Scheduled Messages.');
			channel = await channelParam(this, resolver, 'channel', 'Channel', i);
			await client.chat.deleteScheduledMessage({ channel: channel.id, scheduled_message_id: id });
			return { ok: true, deleted: true, scheduled_message_id: id, channel: channel.id };
		},
		() => ({ channel: channel?.name ? `#${channel.name}` : channel?.id, action: 'deleting a scheduled message' }),
	);
}
