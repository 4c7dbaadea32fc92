/** Open / Push / Update Modal: views.open and views.push with a trigger_id, views.update by view id or external id. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { BlockKitError, parseModalView } from '../../shared/slack/blocks';
import { getSlackClient } from '../../shared/n8n/slackClient';
import { perItem } from '../../shared/n8n/items';
import { optionParam, requiredString, textParam } from '../../shared/n8n/params';

const show = { operation: ['modal'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Modal Action',
		name: 'modalAction',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'Open', value: 'open', description: 'Open a modal (needs a fresh trigger_id)' },
			{ name: 'Push', value: 'push', description: 'Push a modal on top of the open one (at most 3 deep)' },
			{ name: 'Update', value: 'update', description: 'Replace an open modal by view ID or external ID' },
		],
		default: 'open',
	},
	{
		displayName: 'Trigger ID',
		name: 'triggerId',
		type: 'string',
		default: '={{ $json.trigger_id }}',
		displayOptions: { show: { ...show, modalAction: ['open', 'push'] } },
		description: 'From the Slack Interaction Trigger. It expires 3 seconds after the click and works once: put this node right after the trigger.',
	},
	{
		displayName: 'Identify Modal By',
		name: 'updateBy',
		type: 'options',
		displayOptions: { show: { ...show, modalAction: ['update'] } },
		options: [
			{ name: 'View ID', value: 'viewId' },
			{ name: 'External ID', value: 'externalId' },
		],
		default: 'viewId',
	},
	{ displayName: 'View ID', name: 'viewId', type: 'string', default: '={{ $json.view.id }}', displayOptions: { show: { ...show, modalAction: ['update'], updateBy: ['viewId'] } } },
	{ displayName: 'External ID', name: 'externalId', type: 'string', default: '', displayOptions: { show: { ...show, modalAction: ['update'], updateBy: ['externalId'] } } },
	{
		displayName: 'Hash',
		name: 'hash',
		type: 'string',
		default: '',
		displayOptions: { show: { ...show, modalAction: ['update'] } },
		description: 'The view hash from the last payload: Slack refuses the update (hash_conflict) if the modal changed meanwhile',
	},
	{
		displayName: 'View',
		name: 'view',
		type: 'json',
		required: true,
		displayOptions: { show },
		default:
			'{\n  "type": "modal",\n  "callback_id": "brevo_contact",\n  "title": { "type": "plain_text", "text": "New Brevo contact" },\n  "submit": { "type": "plain_text", "text": "Save" },\n  "blocks": [\n    { "type": "input", "block_id": "email", "label": { "type": "plain_text", "text": "Email" }, "element": { "type": "plain_text_input", "action_id": "value" } }\n  ]\n}',
		description: 'Checked before the call: type modal, title/submit/close at most 24 characters, at most 100 blocks',
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await getSlackClient(this);
	return await perItem(this, async (i) => {
		const action = optionParam(this, 'modalAction', 'Modal Action', i, ['open', 'push', 'update'], 'open');
		let view;
		try {
			view = parseModalView(this.getNodeParameter('view', i));
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `Invalid modal view: ${(error as Error).message}`, {
				itemIndex: i,
				description: error instanceof BlockKitError ? 'Fix the "View" parameter. Nothing was sent to Slack.' : undefined,
			});
		}
		let res;
		if (action === 'update') {
			const by = optionParam(this, 'updateBy', 'Identify Modal By', i, ['viewId', 'externalId'], 'viewId');
			const hash = textParam(this, 'hash', 'Hash', i);
			const id =
				by === 'viewId'
					? { view_id: requiredString(this, 'viewId', 'View ID', i, 'Map the view id, e.g. {{ $json.view.id }}.') }
					: { external_id: requiredString(this, 'externalId', 'External ID', i, 'Give the external_id the modal was opened with.') };
			res = await client.views.update({ ...id, view: view as never, ...(hash ? { hash } : {}) });
		} else {
			const trigger_id = requiredString(this, 'triggerId', 'Trigger ID', i, 'Map {{ $json.trigger_id }} from the Slack Interaction Trigger.');
			res = action === 'open' ? await client.views.open({ trigger_id, view: view as never }) : await client.views.push({ trigger_id, view: view as never });
		}
		const v = (res.view ?? {}) as Record<string, unknown>;
		return { ok: true, action, view: { id: v.id ?? null, hash: v.hash ?? null, external_id: v.external_id ?? null, callback_id: v.callback_id ?? null, root_view_id: v.root_view_id ?? null } };
	}, () => ({ action: 'calling views' }));
}
