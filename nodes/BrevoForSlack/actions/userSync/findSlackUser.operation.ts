/** User Sync > Find Slack User by Email: users.lookupByEmail (needs users:read.email). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSlackClient, slackErrorCode, toSlackNodeError } from '../../../shared/n8n/slackClient';
import { realNameOf, type SlackUser } from '../../../shared/sync/mapping';
import { forOperation, perItem, requireEmail } from '../common';

export const description: INodeProperties[] = forOperation('userSync', 'findSlackUser', [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '={{ $json.email }}',
		required: true,
		placeholder: 'name@example.com',
		description: 'Email of the Slack user to find, e.g. a Brevo contact\'s email from the Brevo Event Trigger',
	},
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const slack = await getSlackClient(this);
	return await perItem(this, () => 'looking up a Slack user by email', async (i) => {
		const email = requireEmail(this, 'email', 'Email', i);
		try {
			const { user } = (await slack.users.lookupByEmail({ email })) as unknown as { user: SlackUser };
			return { found: true, email, userId: user.id, name: realNameOf(user), user: user as never };
		} catch (error) {
			// not a failure: the person is simply not in this workspace
			if (slackErrorCode(error) === 'users_not_found') return { found: false, email, userId: null };
			throw toSlackNodeError(this.getNode(), error, { itemIndex: i, action: 'looking up a Slack user by email' });
		}
	});
}
