/** Contact > Update Attributes: `PUT /contacts/{email}` (204); a missing contact is a clear error, not a creation. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getBrevoClient } from '../../../shared/n8n/brevoClient';
import { attributeProperties, attributesParam, forOperation, perItem, requireEmail } from '../common';

export const description: INodeProperties[] = forOperation('contact', 'updateAttributes', [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '={{ $json.user?.email }}',
		required: true,
		placeholder: 'name@example.com',
		description: 'The contact to update. Default: the Slack user who clicked the button.',
	},
	...attributeProperties,
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const brevo = await getBrevoClient(this);
	return await perItem(this, (i) => `updating the attributes of contact ${String(this.getNodeParameter('email', i, ''))}`, async (i) => {
		const email = requireEmail(this, 'email', 'Email', i);
		const attributes = attributesParam(this, i);
		if (Object.keys(attributes).length === 0) {
			throw new NodeOperationError(this.getNode(), 'No attribute to update', {
				itemIndex: i,
				description: 'Add an attribute row, or give Attributes (JSON), e.g. {{ { STATUS: $json.action.value } }}.',
			});
		}
		await brevo.request({
			method: 'PUT',
			path: `/contacts/${encodeURIComponent(email)}`,
			qs: { identifierType: 'email_id' },
			body: { attributes },
		});
		return { email, updated: true, attributes };
	});
}
