/** Contact > Create or Update: `POST /contacts` with updateEnabled (201 created, 204 updated). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getBrevoClient } from '../../../shared/n8n/brevoClient';
import { attributeProperties, attributesParam, forOperation, listIdsParam, perItem, requireEmail } from '../common';

export const description: INodeProperties[] = forOperation('contact', 'upsert', [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '={{ $json.values?.email ?? $json.user?.email }}',
		required: true,
		placeholder: 'name@example.com',
		description: 'The contact\'s email. Default: the "email" field of a submitted modal, else the Slack user who clicked.',
	},
	...attributeProperties,
	{
		displayName: 'List Names or IDs',
		name: 'listIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getLists' },
		default: [],
		description: 'Lists to add the contact to. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const brevo = await getBrevoClient(this);
	return await perItem(this, () => 'creating or updating a contact', async (i) => {
		const email = requireEmail(this, 'email', 'Email', i);
		const attributes = attributesParam(this, i);
		const listIds = listIdsParam(this, 'listIds', i);
		const r = await brevo.request<{ id?: number } | undefined>({
			method: 'POST',
			path: '/contacts',
			body: { email, attributes, ...(listIds.length ? { listIds } : {}), updateEnabled: true },
		});
		return { email, outcome: r?.id !== undefined ? 'created' : 'updated', contactId: r?.id ?? null, attributes, listIds };
	});
}
