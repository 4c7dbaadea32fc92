import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { brevoLoadOptions } from '../shared/n8n/loaders';
import { properties, router } from './actions/router';

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
			...brevoLoadOptions,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
