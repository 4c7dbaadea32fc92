/**
 * The option loaders, each written once. A node registers a group by spreading it into its `methods`, next to the
 * descriptions that name it: `methods = { listSearch: { ...slackListSearch }, loadOptions: { ...slackLoadOptions } }`.
 * test/package/loaders.test.ts checks that every loader a node's description names is registered on that node.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { getBrevoClient, toBrevoNodeError } from './brevoClient';
import { getSlackClient, toSlackNodeError, type SlackClient } from './slackClient';

/** One page of channels the bot can see; Slack's errors become NodeApiError with the fix (e.g. a missing scope). */
async function listChannels(ctx: ILoadOptionsFunctions, client: SlackClient, cursor: string | undefined) {
	try {
		return await client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 200, cursor });
	} catch (error) {
		throw toSlackNodeError(ctx.getNode(), error, { action: 'listing channels' });
	}
}

async function getChannels(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const client = await getSlackClient(this, { maxRateLimitWaitMs: 10_000 });
	const wanted = (filter ?? '').trim().replace(/^#/, '').toLowerCase();
	const results: INodeListSearchResult['results'] = [];
	let cursor = paginationToken || undefined;
	// Read pages until one yields matches (a filter can skip whole pages), at most 5 per call.
	for (let page = 0; page < 5; page++) {
		const res = await listChannels(this, client, cursor);
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

async function getChannelOptions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await getSlackClient(this, { maxRateLimitWaitMs: 10_000 });
	const out: INodePropertyOptions[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < 10; page++) {
		const res = await listChannels(this, client, cursor);
		for (const c of res.channels ?? []) if (c.id && c.name) out.push({ name: `#${c.name}`, value: c.id });
		cursor = res.response_metadata?.next_cursor || undefined;
		if (!cursor) break;
	}
	return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Every contact list of the account, as "Name (#id)" options, in Brevo's id order. */
async function getLists(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const brevo = await getBrevoClient(this, { maxRateLimitWaitMs: 10_000 });
	try {
		const lists = await brevo.allLists();
		return lists.map((l) => ({ name: `${l.name} (#${l.id})`, value: l.id }));
	} catch (error) {
		throw toBrevoNodeError(this.getNode(), error, { action: 'loading Brevo lists' });
	}
}


/** Slack channels for resource locators (list mode, searchable, paginated): `searchListMethod: 'getChannels'`. */
export const slackListSearch = { getChannels };

/** Slack channels as options (e.g. the routing table's channel column): `loadOptionsMethod: 'getChannelOptions'`. */
export const slackLoadOptions = { getChannelOptions };

/** Brevo contact lists as options: `loadOptionsMethod: 'getLists'`. */
export const brevoLoadOptions = { getLists };
