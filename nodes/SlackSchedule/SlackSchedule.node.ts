import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { slackListSearch, slackLoadOptions } from '../shared/n8n/loaders';
import * as del from './actions/delete.operation';
import * as list from './actions/list.operation';
import { router } from './actions/router';
import * as schedule from './actions/schedule.operation';
import * as summary from './actions/summary.operation';

export class SlackSchedule implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Slack Schedule',
		name: 'slackSchedule',
		icon: { light: 'file:slackSchedule.svg', dark: 'file:slackSchedule.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Schedule Slack messages and post daily or weekly Brevo marketing summaries',
		defaults: { name: 'Slack Schedule' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'slackBrevoBotApi', required: true },
			{ name: 'slackBrevoBrevoApi', required: true, displayOptions: { show: { resource: ['summary'] } } },
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Marketing Summary', value: 'summary' },
					{ name: 'Scheduled Message', value: 'scheduledMessage' },
				],
				default: 'scheduledMessage',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['scheduledMessage'] } },
				options: [
					{ name: 'Delete', value: 'delete', action: 'Delete a scheduled message', description: 'Unschedule a message (not within 60 s of its time)' },
					{ name: 'List', value: 'list', action: 'List scheduled messages', description: 'Every scheduled message, all pages' },
					{ name: 'Schedule', value: 'schedule', action: 'Schedule a message', description: 'Post text, a template or Block Kit at a later time' },
				],
				default: 'schedule',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['summary'] } },
				options: [
					{
						name: 'Build',
						value: 'build',
						action: 'Build a marketing summary',
						description: 'Campaign statistics, new contacts and revenue for a period, as a Block Kit digest',
					},
				],
				default: 'build',
			},
			...schedule.description,
			...list.description,
			...del.description,
			...summary.description,
		],
	};

	methods = {
		listSearch: { ...slackListSearch },
		loadOptions: { ...slackLoadOptions },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
