/**
 * Update Clicked Message: after a button click, change the message so everyone sees what was done: the buttons
 * are replaced by a line such as ":white_check_mark: Approved by @jane" (chat.update, or the click's response_url).
 */
import type { ChatUpdateArguments } from '@slack/web-api';
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { blocksToPlainText, markActionDone, parseBlocks, type DoneMode } from '../../shared/slack/blocks';
import { getSlackClient } from '../../shared/n8n/slackClient';
import { ChannelResolver } from '../../shared/n8n/channels';
import { perItem } from '../../shared/n8n/items';
import { optionParam, requiredString, textParam } from '../../shared/n8n/params';
import { postToResponseUrl } from '../../shared/n8n/message';

const show = { operation: ['markDone'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Update Through',
		name: 'via',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'Response URL', value: 'responseUrl', description: 'Works for ephemeral messages too; no channel or ts needed' },
			{ name: 'Chat Update', value: 'chatUpdate', description: 'Edits the message by channel and ts (the bot must have posted it)' },
		],
		default: 'responseUrl',
	},
	{ displayName: 'Response URL', name: 'responseUrl', type: 'string', default: '={{ $json.response_url }}', displayOptions: { show: { ...show, via: ['responseUrl'] } } },
	{ displayName: 'Channel ID', name: 'channelId', type: 'string', default: '={{ $json.channel.id }}', displayOptions: { show: { ...show, via: ['chatUpdate'] } } },
	{ displayName: 'Message Timestamp', name: 'ts', type: 'string', default: '={{ $json.message.ts }}', displayOptions: { show: { ...show, via: ['chatUpdate'] } } },
	{
		displayName: 'Original Blocks',
		name: 'originalBlocks',
		type: 'json',
		default: '={{ JSON.stringify($json.raw.message.blocks) }}',
		displayOptions: { show },
		description: 'The clicked message\'s blocks (the trigger\'s raw payload carries them)',
	},
	{ displayName: 'Clicked Action ID', name: 'actionId', type: 'string', default: '={{ $json.action.action_id }}', displayOptions: { show } },
	{
		displayName: 'Done Text',
		name: 'doneText',
		type: 'string',
		default: '=:white_check_mark: {{ $json.action.label }} by <@{{ $json.user.id }}>',
		displayOptions: { show },
		description: 'Shown where the buttons were (mrkdwn)',
	},
	{
		displayName: 'Replace',
		name: 'mode',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'The Clicked Button Row', value: 'actionsBlock' },
			{ name: 'All Button Rows', value: 'allActions' },
			{ name: 'Only the Clicked Button', value: 'button' },
		],
		default: 'actionsBlock',
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const via = optionParam(this, 'via', 'Update Through', 0, ['responseUrl', 'chatUpdate'], 'responseUrl');
	const client = via === 'chatUpdate' ? await getSlackClient(this) : undefined;
	const resolver = client ? new ChannelResolver(client) : undefined;
	return await perItem(this, async (i) => {
		let original;
		try {
			original = parseBlocks(this.getNodeParameter('originalBlocks', i));
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `Original Blocks: ${(error as Error).message}`, {
				itemIndex: i,
				description: 'Map the clicked message\'s blocks, e.g. {{ JSON.stringify($json.raw.message.blocks) }} after the Slack Interaction Trigger.',
			});
		}
		const doneText = requiredString(this, 'doneText', 'Done Text', i, 'Say what was done, e.g. ":white_check_mark: Approved by <@U123>".');
		const blocks = markActionDone(original.blocks, {
			actionId: textParam(this, 'actionId', 'Clicked Action ID', i),
			doneText,
			mode: optionParam<DoneMode>(this, 'mode', 'Replace', i, ['actionsBlock', 'allActions', 'button'], 'actionsBlock'),
		});
		const text = blocksToPlainText(blocks) || doneText;
		if (via === 'responseUrl') {
			const url = requiredString(this, 'responseUrl', 'Response URL', i, 'Map {{ $json.response_url }} from the Slack Interaction Trigger.');
			await postToResponseUrl(this, i, url, { replace_original: true, text, blocks });
			return { ok: true, via, blocks };
		}
		const channel = await resolver!.resolve(requiredString(this, 'channelId', 'Channel ID', i, 'Map {{ $json.channel.id }} from the trigger.'));
		const ts = requiredString(this, 'ts', 'Message Timestamp', i, 'Map {{ $json.message.ts }} from the trigger.');
		const res = await client!.chat.update({ channel: channel.id, ts, text, blocks } as unknown as ChatUpdateArguments);
		return { ok: true, via, channel: channel.id, ts: String(res.ts ?? ts), blocks };
	});
}
