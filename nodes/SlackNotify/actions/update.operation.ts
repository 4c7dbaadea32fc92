/** Update Message: replace the text/blocks of a message the bot posted (chat.update). */
import type { ChatUpdateArguments } from '@slack/web-api';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSlackClient } from '../../shared/n8n/slackClient';
import { ChannelResolver, messageTargetProperties, readMessageTarget } from '../../shared/n8n/channels';
import { locatorValue } from '../../shared/n8n/params';
import { contentProperties, readContent } from '../../shared/n8n/message';
import { perItem } from '../../shared/n8n/items';

const show = { operation: ['update'] };

export const description: INodeProperties[] = [
	...messageTargetProperties(show),
	...contentProperties(show, true),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await getSlackClient(this);
	const resolver = new ChannelResolver(client);
	return await perItem(
		this,
		async (i) => {
			const { channel, ts } = await readMessageTarget(this, resolver, i);
			const content = readContent(this, i, 'message');
			const res = await client.chat.update({ channel: channel.id, ts, text: content.text, ...(content.blocks ? { blocks: content.blocks } : {}) } as unknown as ChatUpdateArguments);
			return { ok: true, channel: String(res.channel ?? channel.id), ts: String(res.ts ?? ts), text: content.text };
		},
		(i) => ({ channel: locatorValue(this, 'channel', i, 'Channel'), action: 'updating the message' }),
	);
}
