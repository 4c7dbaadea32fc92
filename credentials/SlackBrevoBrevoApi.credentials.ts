import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Brevo API key. Named so it cannot collide with n8n's own `sendInBlueApi`.
 */
export class SlackBrevoBrevoApi implements ICredentialType {
	name = 'slackBrevoBrevoApi';

	displayName = 'Brevo API Key (Slack + Brevo) API';

	icon: Icon = { light: 'file:brevo.svg', dark: 'file:brevo.dark.svg' };

	documentationUrl = 'https://developers.brevo.com/docs/getting-started';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'xkeysib-...',
			description: 'From Brevo: your profile menu > SMTP & API > API Keys > Generate a new API key (v3)',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.brevo.com/v3',
			description: 'Change only for a local emulator or a proxy. Must include /v3.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/account',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Brevo refused the API key (401 unauthorized). Create a v3 API key under SMTP & API > API Keys and paste it whole; check that your IP is not blocked under Security > Authorised IPs.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'Nothing answers at this API base URL (404). It must end with /v3, e.g. https://api.brevo.com/v3.',
				},
			},
		],
	};
}
