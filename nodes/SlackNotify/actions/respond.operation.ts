/** Reply via Response URL: answer a button click / shortcut / slash command through its response_url. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { contentProperties, postToResponseUrl, readContent } from '../../shared/n8n/message';
import { perItem } from '../../shared/n8n/items';
import { optionParam, requiredString } from '../../shared/n8n/params';

const show = { operation: ['respond'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Response URL',
		name: 'responseUrl',
		type: 'string',
		required: true,
		default: '={{ $json.response_url }}',
		displayOptions: { show },
		description: 'From the Slack Interaction Trigger. Valid 30 minutes, at most 5 uses.',
	},
	{
		displayName: 'Action',
		name: 'responseAction',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'Reply', value: 'reply', description: 'A new message, visible to the user only or to the channel' },
			{ name: 'Replace Original Message', value: 'replace' },
			{ name: 'Delete Original Message', value: 'delete' },
		],
		default: 'reply',
	},
	{
		displayName: 'Visible To',
		name: 'responseType',
		type: 'options',
		displayOptions: { show: { ...show, responseAction: ['reply'] } },
		options: [
			{ name: 'Only the User (Ephemeral)', value: 'ephemeral' },
			{ name: 'Everyone in the Channel', value: 'in_channel' },
		],
		default: 'ephemeral',
	},
	...contentProperties({ ...show, responseAction: ['reply', 'replace'] }, true),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await perItem(this, async (i) => {
		const url = requiredString(this, 'responseUrl', 'Response URL', i, 'Map {{ $json.response_url }} from the Slack Interaction Trigger.');
		const action = optionParam(this, 'responseAction', 'Action', i, ['reply', 'replace', 'delete'], 'reply');
		let body: IDataObject;
		if (action === 'delete') {
			body = { delete_original: true };
		} else {
			const content = readContent(this, i, 'message');
			body = { text: content.text, ...(content.blocks ? { blocks: content.blocks } : {}) };
			if (action === 'replace') body.replace_original = true;
			else {
				body.response_type = optionParam(this, 'responseType', 'Visible To', i, ['ephemeral', 'in_channel'], 'ephemeral');
				body.replace_original = false;
			}
		}
		await postToResponseUrl(this, i, url, body);
		return { ok: true, action, ...(body.response_type ? { responseType: body.response_type } : {}) };
	});
}
