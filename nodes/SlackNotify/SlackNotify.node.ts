import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { properties, router } from './actions/router';
import { slackListSearch, slackLoadOptions } from '../shared/n8n/loaders';

/**
 * Brevo -> Slack notifications (routed, templated, threaded, paced) and the message / modal / reaction / unfurl
 * operations that go with Slack interactions. Thread keys: see nodes/shared/slack/threads.ts.
 */
export class SlackNotify implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Slack Notify',
		name: 'slackNotify',
		icon: { light: 'file:slackNotify.svg', dark: 'file:slackNotify.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description: 'Routed, templated, threaded Slack notifications for Brevo events, plus message, modal, reaction and unfurl operations',
		defaults: { name: 'Slack Notify' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{ name: 'slackBrevoBotApi', required: true },
			{ name: 'slackBrevoBrevoApi', required: true, displayOptions: { show: { operation: ['unfurl'] } } },
		],
		properties,
	};

	methods = {
		listSearch: { ...slackListSearch },
		loadOptions: { ...slackLoadOptions },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
