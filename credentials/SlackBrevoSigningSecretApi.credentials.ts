import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Slack signing secret, used to verify that requests reaching the Slack Interaction Trigger come from Slack.
 * It cannot be checked against an API: the Slack Interaction Trigger tests its form offline (testedBy).
 */
export class SlackBrevoSigningSecretApi implements ICredentialType {
	name = 'slackBrevoSigningSecretApi';

	displayName = 'Slack Signing Secret (Slack + Brevo) API';

	icon: Icon = { light: 'file:slack.svg', dark: 'file:slack.dark.svg' };

	documentationUrl = 'https://api.slack.com/authentication/verifying-requests-from-slack';

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'From your Slack app: Basic Information > App Credentials > Signing Secret (32 hexadecimal characters). Not the deprecated verification token.',
		},
	];
}
