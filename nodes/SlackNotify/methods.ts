/**
 * Channel pickers loaded from Slack: `getChannels` (resource locator list mode, searchable, paginated) and
 * `getChannelOptions` (options lists, e.g. in the routing table). Other nodes can register the same functions.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { getSlackClient } from '../shared/slack/client';

export async function getChannels(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
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
}

export async function getChannelOptions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
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
}
