/** User Sync > Get Brevo Contact for Slack User: users.info -> email -> `GET /contacts/{email}`. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { isBrevoNotFound } from '../../../shared/brevo/gateway';

import { toBrevoNodeError, getBrevoClient } from '../../../shared/n8n/brevoClient';
import { textParam } from '../../../shared/n8n/params';
import { getSlackClient, toSlackNodeError } from '../../../shared/n8n/slackClient';
import { emailOf, realNameOf, type SlackUser } from '../../../shared/sync/mapping';
import { forOperation, perItem } from '../common';

export const description: INodeProperties[] = forOperation('userSync', 'getBrevoContact', [
	{
		displayName: 'Slack User ID',
		name: 'userId',
		type: 'string',
		default: '={{ $json.user?.id ?? $json.event?.user?.id ?? $json.event?.user }}',
		required: true,
		placeholder: 'U012AB3CD',
		description: 'The Slack user whose Brevo contact to read; the default takes the user of the Slack Interaction Trigger\'s item',
	},
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const slack = await getSlackClient(this);
	const brevo = await getBrevoClient(this);
	return await perItem(this, () => 'reading the Brevo contact of a Slack user', async (i) => {
		const userId = textParam(this, 'userId', 'Slack User ID', i, { hint: 'Map the user\'s id, e.g. {{ $json.user.id }} on a Slack Interaction Trigger item, not the whole user object.' });
		if (!/^[UW][A-Z0-9]{2,}$/.test(userId)) {
			throw new NodeOperationError(this.getNode(), `Slack User ID "${userId}" is not a Slack user id`, {
				itemIndex: i,
				description: 'Slack user ids start with U or W, e.g. U012AB3CD ({{ $json.user.id }} on a Slack Interaction Trigger item).',
			});
		}
		let user: SlackUser;
		try {
			user = ((await slack.users.info({ user: userId })) as unknown as { user: SlackUser }).user;
		} catch (error) {
			throw toSlackNodeError(this.getNode(), error, { itemIndex: i, action: `reading Slack user ${userId}` });
		}
		const email = emailOf(user);
		if (!email) {
			throw new NodeOperationError(this.getNode(), `Slack user ${userId} has no visible email, so no Brevo contact can be matched`, {
				itemIndex: i,
				description: user.is_bot ? 'This is a bot user.' : 'Check that the Slack token has the users:read.email scope (add it, reinstall the app).',
			});
		}
		try {
			const contact = (await brevo.getContact(email, 'email_id')) as unknown as IDataObject;
			return { found: true, userId, email, name: realNameOf(user), contact };
		} catch (error) {
			if (isBrevoNotFound(error)) return { found: false, userId, email, name: realNameOf(user), contact: null };
			throw toBrevoNodeError(this.getNode(), error, { itemIndex: i, action: `reading contact ${email}` });
		}
	});
}
