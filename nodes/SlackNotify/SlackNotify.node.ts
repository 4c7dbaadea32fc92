import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { getSlackClient } from '../shared/slack/client';
import { properties, router } from './actions/router';

/**
 * Brevo -> Slack notifications (routed, templated, threaded, paced) and the message / modal / reaction / unfurl
 * operations that go with Slack interactions. Thread keys: see nodes/shared/slack/threads.ts.
 */
export class SlackNotify implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Slack Notify',
		name: 'slackNotify',
		icon: 'file:slackNotify.svg',
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
		listSearch: {
			async getChannels(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
				const client = await getSlackClient(this, { maxRateLimitWaitMs: 10_000 });
				const wanted = (filter ?? '').trim().replace(/^#/, '').toLowerCase();
				const results: INodeListSearchResult['results'] = [];
				let cursor = paginationToken || undefined;
				// Read pages until one yields matches (a filter can skip whole pages), at most 5 per call.
				for (let page = 0; page < 5; page++) {
					const res = await client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 200, cursor });
					for (const c of res.channels ?? []) {
						if (!c.id || !c.name) continue;
						if (wanted && !c.name.toLowerCase().includes(wanted)) continue;
						results.push({ name: `#${c.name}${c.is_private ? ' (private)' : ''}${c.is_member ? '' : ' (bot not in channel)'}`, value: c.id });
					}
					cursor = res.response_metadata?.next_cursor || undefined;
					if (!cursor || results.length > 0) break;
				}
				results.sort((a, b) => a.name.localeCompare(b.name));
				return { results, paginationToken: cursor };
			},
		},
		loadOptions: {
			async getChannelOptions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const client = await getSlackClient(this, { maxRateLimitWaitMs: 10_000 });
				const out: INodePropertyOptions[] = [];
				let cursor: string | undefined;
				for (let page = 0; page < 10; page++) {
					const res = await client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 200, cursor });
					for (const c of res.channels ?? []) if (c.id && c.name) out.push({ name: `#${c.name}`, value: c.id });
					cursor = res.response_metadata?.next_cursor || undefined;
					if (!cursor) break;
				}
				return out.sort((a, b) => a.name.localeCompare(b.name));
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
