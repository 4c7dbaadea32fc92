/** Contact > Get: `GET /contacts/{email}`; a contact that does not exist is `found: false`, not an error. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { isBrevoNotFound } from '../../../shared/brevo/gateway';

import { toBrevoNodeError, getBrevoClient } from '../../../shared/n8n/brevoClient';

import { forOperation, perItem, requireEmail } from '../common';

export const description: INodeProperties[] = forOperation('contact', 'get', [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '={{ $json.user?.email ?? $json.email }}',
		required: true,
		placeholder: 'name@example.com',
	},
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const brevo = await getBrevoClient(this);
	return await perItem(this, () => 'reading a contact', async (i) => {
		const email = requireEmail(this, 'email', 'Email', i);
		try {
			const contact = (await brevo.getContact(email, 'email_id')) as unknown as IDataObject;
			return { found: true, email, ...contact };
		} catch (error) {
			if (isBrevoNotFound(error)) return { found: false, email };
			throw toBrevoNodeError(this.getNode(), error, { itemIndex: i, action: `reading contact ${email}` });
		}
	});
}
