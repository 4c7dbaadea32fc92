import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Slack bot token (xoxb-... or a rotated xoxe.xoxb-...). Named so it cannot collide with n8n's own `slackApi`.
 */
export class SlackBrevoBotApi implements ICredentialType {
	name = 'slackBrevoBotApi';

	displayName = 'Slack Bot Token (Slack + Brevo) API';

	icon: Icon = { light: 'file:slack.svg', dark: 'file:slack.dark.svg' };

	documentationUrl = 'https://api.slack.com/authentication/token-types#bot';

	properties: INodeProperties[] = [
		{
			displayName: 'Bot User OAuth Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'xoxb-...',
			description:
				'From your Slack app: OAuth & Permissions > Bot User OAuth Token. Bot scopes: chat:write, channels:read, groups:read, channels:history, users:read, users:read.email, reactions:write, links:write, channels:join.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://slack.com/api/',
			description:
				'Change only for GovSlack (https://slack-gov.com/api/) or a local emulator. Must end with /api/.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	// Slack answers HTTP 200 with {ok:false,error} for a bad token: the rules turn each error into the fix.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/auth.test',
			method: 'POST',
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: 'invalid_auth',
					message:
						'Slack says invalid_auth: the token is not valid. Copy the Bot User OAuth Token (xoxb-...) again from your app\'s "OAuth & Permissions" page.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: 'not_authed',
					message: 'Slack says not_authed: no token reached Slack. Paste the Bot User OAuth Token (xoxb-...).',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: 'token_revoked',
					message:
						'Slack says token_revoked: the app was uninstalled or the token revoked. Reinstall the app to the workspace and copy the new token.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: 'token_expired',
					message:
						'Slack says token_expired: this rotating token (xoxe.xoxb-...) has expired. Refresh it, or turn off token rotation and reinstall the app.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: 'account_inactive',
					message:
						'Slack says account_inactive: the bot user or workspace is deactivated. Reinstall the app in an active workspace.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'ok',
					value: false,
					message:
						'Slack refused the token (auth.test answered ok:false). Check the token and the API base URL, then reinstall the app if needed.',
				},
			},
		],
	};
}
