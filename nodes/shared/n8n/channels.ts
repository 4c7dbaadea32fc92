/**
 * Slack channels in the n8n layer: the resolver (names to ids, once per execution), the channel resource locator
 * parameter and its readers, and the message target (channel + ts) of Update, Delete and Add Reaction.
 */
import { NodeOperationError, type IDisplayOptions, type IExecuteFunctions, type INodeParameterResourceLocator, type INodeProperties } from 'n8n-workflow';

import { slackErrorCode } from './slackClient';
import { parseChannelRef } from '../slack/routing';
import type { SlackClient } from '../slack/gateway';
import { locatorValue, requiredString } from './params';

export type Show = NonNullable<IDisplayOptions['show']>;

export interface ChannelInfo {
	id: string;
	name?: string;
	isPrivate?: boolean;
	isMember?: boolean;
	isArchived?: boolean;
}

/**
 * Resolves channel references (`#name`, `name`, id, link, resource locator) to ids. Names are looked up with one
 * paginated conversations.list the first time a name is needed, then answered from memory for the rest of THIS
 * execution only (the resolver is created inside execute(); nothing outlives it).
 */
export class ChannelResolver {
	private byName?: Map<string, ChannelInfo>;
	private byId = new Map<string, ChannelInfo>();
	private loading?: Promise<void>;
	listCalls = 0;

	constructor(private readonly client: SlackClient) {}

	private async load(): Promise<void> {
		const byName = new Map<string, ChannelInfo>();
		let types = 'public_channel,private_channel';
		let cursor: string | undefined;
		for (;;) {
			this.listCalls++;
			// Without groups:read the private-channel listing is refused: fall back to public channels. Other errors go
			// to the caller, which translates them (slackError) with the channel it was resolving.
			const res = await this.client.conversations.list({ types, exclude_archived: true, limit: 200, cursor }).catch(async (error: unknown) => {
				if (slackErrorCode(error) === 'missing_scope' && types.includes('private')) return undefined;
				return await Promise.reject(error);
			});
			if (!res) {
				types = 'public_channel';
				cursor = undefined;
				continue;
			}
			for (const c of res.channels ?? []) {
				if (!c.id) continue;
				const info: ChannelInfo = { id: c.id, name: c.name, isPrivate: c.is_private, isMember: c.is_member, isArchived: c.is_archived };
				if (c.name) byName.set(c.name.toLowerCase(), info);
				this.byId.set(c.id, info);
			}
			cursor = res.response_metadata?.next_cursor || undefined;
			if (!cursor) break;
		}
		this.byName = byName;
	}

	/** All channels the bot can see (loads the list if needed). */
	async all(): Promise<ChannelInfo[]> {
		if (!this.byName) await (this.loading ??= this.load());
		return [...this.byId.values()];
	}

	/** Id and (when known) name of a channel reference; throws `channel_not_found`-style errors for unknown names. */
	async resolve(ref: string | INodeParameterResourceLocator): Promise<ChannelInfo> {
		const raw = typeof ref === 'object' && ref !== null ? String(ref.value ?? '') : String(ref ?? '');
		if (raw.trim() === '') throw new Error('empty channel');
		const parsed = parseChannelRef(raw);
		if (parsed.kind === 'id') return this.byId.get(parsed.id) ?? { id: parsed.id };
		if (!this.byName) await (this.loading ??= this.load());
		const hit = this.byName!.get(parsed.name);
		if (!hit) throw new ChannelNotFound(parsed.name);
		return hit;
	}

	known(id: string): ChannelInfo | undefined {
		return this.byId.get(id);
	}
}

export class ChannelNotFound extends Error {
	constructor(readonly channelName: string) {
		super(`No channel named #${channelName} is visible to the bot`);
	}
}

/** The channel resource locator parameter, shared by several operations. */
export const channelLocator = (name: string, displayName: string, show: Show, required = true, description?: string): INodeProperties => ({
	displayName,
	name,
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required,
	displayOptions: { show },
	description,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a channel...',
			typeOptions: { searchListMethod: 'getChannels', searchable: true },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: '#marketing',
			validation: [{ type: 'regex', properties: { regex: '^#?[a-z0-9_\\-]{1,80}$', errorMessage: 'A channel name: lower case, digits, - and _' } }],
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'C0123456789',
			validation: [{ type: 'regex', properties: { regex: '^[CGD][A-Z0-9]{6,}$', errorMessage: 'A channel id starts with C, G or D' } }],
		},
	],
});

/** A required channel parameter, resolved to its id. */
export async function channelParam(ctx: IExecuteFunctions, resolver: ChannelResolver, name: string, label: string, i: number): Promise<ChannelInfo> {
	const ref = locatorValue(ctx, name, i, label);
	if (ref === '') {
		throw new NodeOperationError(ctx.getNode(), `${label} is empty`, { itemIndex: i, description: 'Choose a channel from the list, or give its #name or ID (C...).' });
	}
	return await resolver.resolve(ref);
}

/** Channel + message ts, the target of Update, Delete and Add Reaction. */
export const messageTargetProperties = (show: Show): INodeProperties[] => [
	channelLocator('channel', 'Channel', show),
	{
		displayName: 'Message Timestamp',
		name: 'ts',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show },
		placeholder: '={{ $json.ts }}',
		description: 'The ts returned when the message was posted (e.g. by Send Notification), like 1700000000.000100',
	},
];

/** Reads the message target of one item: the channel (resolved) and the ts, each refused empty with the fix. */
export async function readMessageTarget(ctx: IExecuteFunctions, resolver: ChannelResolver, i: number): Promise<{ channel: ChannelInfo; ts: string }> {
	const channel = await channelParam(ctx, resolver, 'channel', 'Channel', i);
	const ts = requiredString(ctx, 'ts', 'Message Timestamp', i, 'Map the ts of the message, e.g. {{ $json.ts }}.');
	return { channel, ts };
}
