/** Update Message: replace the text/blocks of a message the bot posted (chat.update). */
import type { ChatUpdateArguments } from '@slack/web-api';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSlackClient } from '../../shared/slack/client';
import { ChannelResolver, channelLocator, channelParam, contentProperties, locatorValue, perItem, readContent, requiredString } from './common';

const show = { operation: ['update'] };

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
		description: 'The ts returned when the message was posted (e.g. by Send Notification), like 1700000000.000100',
	},
	...contentProperties(show, true),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const client = await getSlackClient(this);
	const resolver = new ChannelResolver(client);
	return await perItem(
		this,
		async (i) => {
			const channel = await channelParam(this, resolver, 'channel', 'Channel', i);
			const ts = requiredString(this, 'ts', 'Message Timestamp', i, 'Map the ts of the message to update, e.g. {{ $json.ts }}.');
			const content = readContent(this, i, 'message');
			const res = await client.chat.update({ channel: channel.id, ts, text: content.text, ...(content.blocks ? { blocks: content.blocks } : {}) } as unknown as ChatUpdateArguments);
			return { ok: true, channel: String(res.channel ?? channel.id), ts: String(res.ts ?? ts), text: content.text };
		},
		(i) => ({ channel: locatorValue(this, 'channel', i), action: 'updating the message' }),
	);
}
