import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { BREVO_CREDENTIAL, brevoRequest, toBrevoNodeError, type BrevoCredentials } from '../shared/brevo/client';
import { properties, route } from './actions/router';

export class BrevoForSlack implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Brevo for Slack',
		name: 'brevoForSlack',
		icon: { light: 'file:brevoForSlack.svg', dark: 'file:brevoForSlack.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["resource"] + ": " + $parameter["operation"]}}',
		description:
			'Syncs Slack workspace users to Brevo contacts (bulk, incremental) and runs the Brevo actions Slack interactions trigger: contacts, lists, transactional emails, automation events',
		defaults: { name: 'Brevo for Slack' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{
				name: 'slackBrevoBotApi',
				required: true,
				displayOptions: { show: { resource: ['userSync'] } },
			},
			{ name: 'slackBrevoBrevoApi', required: true },
		],
		properties,
	};

	methods = {
		loadOptions: {
			async getLists(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const credentials = await this.getCredentials<BrevoCredentials>(BREVO_CREDENTIAL);
				const out: INodePropertyOptions[] = [];
				try {
					for (let offset = 0; offset < 5000; offset += 50) {
						const page = await brevoRequest<{ lists?: Array<{ id: number; name: string }>; count?: number }>(credentials, {
							method: 'GET',
							path: '/contacts/lists',
							qs: { limit: 50, offset, sort: 'asc' },
						});
						for (const l of page?.lists ?? []) out.push({ name: `${l.name} (#${l.id})`, value: l.id });
						if (!page?.lists?.length || offset + 50 >= (page.count ?? 0)) break;
					}
				} catch (error) {
					throw toBrevoNodeError(this.getNode(), error, { action: 'loading Brevo lists' });
				}
				return out;
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
