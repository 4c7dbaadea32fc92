/** Send Ephemeral Message: a message only one user sees (chat.postEphemeral). */
import type { ChatPostEphemeralArguments } from '@slack/web-api';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSlackClient } from '../../shared/n8n/slackClient';
import { ChannelResolver, channelLocator, channelParam } from '../../shared/n8n/channels';
import { contentProperties, readContent } from '../../shared/n8n/message';
import { perItem } from '../../shared/n8n/items';
import { locatorValue, requiredString, textParam } from '../../shared/n8n/params';

const show = { operation: ['ephemeral'] };

export const description: INodeProperties[] = [
	channelLocator('channel', 'Channel', show),
	{
		displayName: 'User ID',
		name: 'user',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show },
		placeholder: 'U0123ABCDEF',
		description: 'The Slack user (U...) who sees the message; they must be in the channel',
	},
	...contentProperties(show, true),
	{
		displayName: 'Thread Timestamp',
		name: 'threadTs',
		type: 'string',
		default: '',
		displayOptions: { show },
		description: 'Show it inside this thread (optional)',
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await getSlackClient(this);
	const resolver = new ChannelResolver(client);
	return await perItem(
		this,
		async (i) => {
			const channel = await channelParam(this, resolver, 'channel', 'Channel', i);
			const user = requiredString(this, 'user', 'User ID', i, 'Give the Slack user id (U...), e.g. {{ $json.user.id }} after the Slack Interaction Trigger.');
			const content = readContent(this, i, 'message');
			const threadTs = textParam(this, 'threadTs', 'Thread Timestamp', i);
			const res = await client.chat.postEphemeral({
				channel: channel.id,
				user,
				text: content.text,
				...(content.blocks ? { blocks: content.blocks } : {}),
				...(threadTs ? { thread_ts: threadTs } : {}),
			} as unknown as ChatPostEphemeralArguments);
			return { ok: true, channel: channel.id, user, message_ts: String(res.message_ts ?? '') };
		},
		(i) => ({ channel: locatorValue(this, 'channel', i, 'Channel'), action: 'sending the ephemeral message' }),
	);
}
