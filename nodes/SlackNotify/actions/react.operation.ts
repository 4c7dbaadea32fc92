/** Add Reaction: an emoji on a message (reactions.add); already reacted counts as done. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSlackClient, slackErrorCode } from '../../shared/n8n/slackClient';
import { ChannelResolver, messageTargetProperties, readMessageTarget } from '../../shared/n8n/channels';
import { perItem, slackError } from '../../shared/n8n/items';
import { locatorValue, requiredString } from '../../shared/n8n/params';

const show = { operation: ['react'] };

export const description: INodeProperties[] = [
	...messageTargetProperties(show),
	{
		displayName: 'Emoji',
		name: 'emoji',
		type: 'string',
		required: true,
		default: 'white_check_mark',
		displayOptions: { show },
		description: 'Emoji name, with or without colons (white_check_mark, :eyes:, thumbsup::skin-tone-2)',
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await getSlackClient(this);
	const resolver = new ChannelResolver(client);
	return await perItem(
		this,
		async (i) => {
			const { channel, ts } = await readMessageTarget(this, resolver, i);
			const name = requiredString(this, 'emoji', 'Emoji', i, 'Give an emoji name such as white_check_mark.').replace(/^:|:$/g, '');
			try {
				await client.reactions.add({ channel: channel.id, timestamp: ts, name });
				return { ok: true, channel: channel.id, ts, emoji: name, alreadyReacted: false };
			} catch (error) {
				// The reaction is there either way: the goal is reached.
				if (slackErrorCode(error) === 'already_reacted') return { ok: true, channel: channel.id, ts, emoji: name, alreadyReacted: true };
				throw slackError(this, error, { itemIndex: i, channel: channel.name ? `#${channel.name}` : channel.id, action: 'adding the reaction' });
			}
		},
		(i) => ({ channel: locatorValue(this, 'channel', i, 'Channel'), action: 'adding the reaction' }),
	);
}
