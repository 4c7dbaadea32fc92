/** Delete Message: remove a message the bot posted (chat.delete). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSlackClient } from '../../shared/slack/client';
import { ChannelResolver, channelLocator, channelParam, locatorValue, perItem, requiredString } from './common';

const show = { operation: ['delete'] };

export const description: INodeProperties[] = [
	channelLocator('channel', 'Channel', show),
	{
		displayName: 'Message Timestamp',
		name: 'ts',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show },
		placeholder: '={{ $json.ts }}',
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const client = await getSlackClient(this);
	const resolver = new ChannelResolver(client);
	return await perItem(
		this,
		async (i) => {
			const channel = await channelParam(this, resolver, 'channel', 'Channel', i);
			const ts = requiredString(this, 'ts', 'Message Timestamp', i, 'Map the ts of the message to delete, e.g. {{ $json.ts }}.');
			const res = await client.chat.delete({ channel: channel.id, ts });
			return { ok: true, deleted: true, channel: String(res.channel ?? channel.id), ts: String(res.ts ?? ts) };
		},
		(i) => ({ channel: locatorValue(this, 'channel', i), action: 'deleting the message' }),
	);
}
