/** Delete Message: remove a message the bot posted (chat.delete). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSlackClient } from '../../shared/n8n/slackClient';
import { ChannelResolver, messageTargetProperties, readMessageTarget } from '../../shared/n8n/channels';
import { locatorValue } from '../../shared/n8n/params';
import { perItem } from '../../shared/n8n/items';

const show = { operation: ['delete'] };

export const description: INodeProperties[] = messageTargetProperties(show);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await getSlackClient(this);
	const resolver = new ChannelResolver(client);
	return await perItem(
		this,
		async (i) => {
			const { channel, ts } = await readMessageTarget(this, resolver, i);
			const res = await client.chat.delete({ channel: channel.id, ts });
			return { ok: true, deleted: true, channel: String(res.channel ?? channel.id), ts: String(res.ts ?? ts) };
		},
		(i) => ({ channel: locatorValue(this, 'channel', i, 'Channel'), action: 'deleting the message' }),
	);
}
