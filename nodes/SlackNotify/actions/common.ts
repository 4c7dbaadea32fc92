/**
 * Glue shared by the Slack Notify operations: channel resolution (once per execution), message content from the
 * node's parameters (template / custom Block Kit / text), error classification for the pacer, item helpers.
 */
import type { SlackClient } from '../../shared/slack/gateway';
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IDisplayOptions,
	type INodeExecutionData,
	type INodeParameterResourceLocator,
	type INodeProperties,
} from 'n8n-workflow';

import { BlockKitError, blocksToPlainText, describeInvalidBlocks, parseAndValidateBlocks, type Block, type BlockSurface } from '../../shared/slack/blocks';
import { slackErrorCode, toSlackNodeError } from '../../shared/slack/client';
import { classifySlackError } from '../../shared/slack/errors';
import { eventTypeOf, parseChannelRef, routeToChannel, type RouteMode, type RouteRule } from '../../shared/slack/routing';
import { renderTemplate, templateForEvent, TEMPLATE_NAMES, type TemplateName } from '../../shared/slack/templates';

export { classifySlackError };

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

/** Text and blocks for one item from the shared "content" parameters. */
export interface MessageContent {
	text: string;
	blocks?: Block[];
	/** the template used (`auto` resolved to the one the event type picked) */
	template?: TemplateName;
}

export type Show = NonNullable<IDisplayOptions['show']>;

export const contentProperties = (show: Show, withTemplates: boolean): INodeProperties[] => [
	{
		displayName: 'Message',
		name: 'content',
		type: 'options',
		default: 'text',
		displayOptions: { show },
		options: [
			...(withTemplates
				? [{ name: 'Template', value: 'template', description: 'A built-in Block Kit template for a Brevo event' }]
				: []),
			{ name: 'Custom Block Kit', value: 'blocks', description: 'Block Kit JSON, with expressions' },
			{ name: 'Text', value: 'text', description: 'Plain text with Slack mrkdwn' },
		],
		// Operations that offer templates start on them.
		...(withTemplates ? { default: 'template' } : {}),
	},
	...(withTemplates
		? ([
				{
					displayName: 'Template',
					name: 'template',
					type: 'options',
					displayOptions: { show: { ...show, content: ['template'] } },
					options: [
						{ name: 'Auto (From Event Type)', value: 'auto' },
						{ name: 'Campaign Summary', value: 'campaign_summary' },
						{ name: 'Cart Alert', value: 'cart_alert' },
						{ name: 'Generic Brevo Event', value: 'generic_event' },
						{ name: 'Order Alert', value: 'order_alert' },
						{ name: 'Subscriber Alert', value: 'subscriber_alert' },
						{ name: 'Ticket Alert', value: 'ticket_alert' },
						{ name: 'Unsubscribe Alert', value: 'unsubscribe_alert' },
					],
					default: 'auto',
					description:
						'Auto picks by the event type: new_subscriber/list_addition, order_placed, cart_abandoned, ticket_created/conversationStarted, unsubscribed, campaign_sent. A routing rule can override it.',
				},
			] as INodeProperties[])
		: []),
	{
		displayName: 'Blocks',
		name: 'blocks',
		type: 'json',
		displayOptions: { show: { ...show, content: ['blocks'] } },
		default: '{\n  "blocks": [\n    { "type": "section", "text": { "type": "mrkdwn", "text": "Hello" } }\n  ]\n}',
		description:
			'{"blocks": [...]} as Block Kit Builder exports it, or a bare array. Checked before sending: at most 50 blocks, text limits, known block types.',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		displayOptions: { show },
		default: '',
		description:
			'With Text: the message. With a template or blocks: the notification fallback shown in push notifications and screen readers (generated when empty).',
	},
];

export function readContent(
	ctx: IExecuteFunctions,
	i: number,
	surface: BlockSurface,
	templateOverride?: string,
	brevoAppUrl?: string,
	extra?: { title?: string; note?: string },
	param: <T>(name: string, i: number, fallback: T) => T = (name, idx, fallback) => ctx.getNodeParameter(name, idx, fallback as never) as never,
): MessageContent {
	const mode = param<string>('content', i, 'text');
	const text = param<string>('text', i, '') ?? '';
	try {
		if (mode === 'template') {
			const name = (templateOverride || param<string>('template', i, 'auto')) as TemplateName | 'auto';
			if (name !== 'auto' && !TEMPLATE_NAMES.includes(name as TemplateName)) {
				throw new NodeOperationError(ctx.getNode(), `Unknown template "${name}"`, {
					itemIndex: i,
					description: `Use one of: auto, ${TEMPLATE_NAMES.join(', ')}.`,
				});
			}
			const item = ctx.getInputData()[i].json as IDataObject;
			const resolved = name === 'auto' ? templateForEvent(eventTypeOf(item)) : name;
			const rendered = renderTemplate(resolved, item, { brevoAppUrl, ...extra });
			return { text: text || rendered.text, blocks: rendered.blocks, template: resolved };
		}
		if (mode === 'blocks') {
			const parsed = parseAndValidateBlocks(param<unknown>('blocks', i, ''), surface);
			const fallback = text || parsed.text || blocksToPlainText(parsed.blocks) || 'New message';
			return { text: fallback, blocks: parsed.blocks };
		}
		if (text.trim() === '') {
			throw new NodeOperationError(ctx.getNode(), 'Text is empty', { itemIndex: i, description: 'Give the message text, or choose Template or Custom Block Kit.' });
		}
		return { text };
	} catch (error) {
		if (error instanceof BlockKitError) {
			throw new NodeOperationError(ctx.getNode(), `Invalid Block Kit: ${error.message}`, {
				itemIndex: i,
				description: 'Fix the "Blocks" parameter (Block Kit Builder shows the same limits). Nothing was sent to Slack.',
			});
		}
		throw error instanceof NodeOperationError ? error : new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
	}
}

/** A NodeApiError for a Slack failure, with `invalid_blocks` pointers mapped to block index and type. */
export function slackError(ctx: IExecuteFunctions, error: unknown, o: { itemIndex?: number; channel?: string; action?: string; blocks?: unknown[] }): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof ChannelNotFound) {
		return new NodeOperationError(ctx.getNode(), `Channel #${error.channelName} not found`, {
			itemIndex: o.itemIndex,
			description: 'Check the name (without typos), or, for a private channel, invite the bot first (/invite @your-bot) and give the token the groups:read scope. You can also give the channel id (C...).',
		});
	}
	const apiError = toSlackNodeError(ctx.getNode(), error, { itemIndex: o.itemIndex, channel: o.channel, action: o.action });
	if (slackErrorCode(error) === 'invalid_blocks') {
		const lines = describeInvalidBlocks((error as { data?: { errors?: unknown } }).data?.errors, o.blocks);
		if (lines.length) apiError.description = `${apiError.description ?? ''}\n${lines.join('\n')}`.trim();
	}
	return apiError;
}

/** Reads a string parameter and refuses it empty, naming the field. */
export function requiredString(ctx: IExecuteFunctions, name: string, label: string, i: number, hint: string): string {
	const v = String(ctx.getNodeParameter(name, i, '') ?? '').trim();
	if (v === '') throw new NodeOperationError(ctx.getNode(), `${label} is empty`, { itemIndex: i, description: hint });
	return v;
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

export function itemError(ctx: IExecuteFunctions, i: number, error: Error & { description?: string | null }, extra: IDataObject = {}): INodeExecutionData {
	return {
		json: { ...extra, ok: false, error: error.message, ...(error.description ? { errorDescription: error.description } : {}) },
		pairedItem: { item: i },
	};
}

/**
 * Runs `fn` for every item: its JSON becomes the output item (paired with the input); an error fails the node, or,
 * with Continue On Fail, becomes an item carrying the reason while the other items go on.
 */
export async function perItem(
	ctx: IExecuteFunctions,
	fn: (i: number) => Promise<IDataObject>,
	describe: (i: number) => { channel?: string; action?: string; blocks?: unknown[] } = () => ({}),
): Promise<INodeExecutionData[][]> {
	const out: INodeExecutionData[] = [];
	const items = ctx.getInputData();
	for (let i = 0; i < items.length; i++) {
		try {
			out.push({ json: await fn(i), pairedItem: { item: i } });
		} catch (error) {
			let d: { channel?: string; action?: string; blocks?: unknown[] } = {};
			try {
				d = describe(i);
			} catch {
				d = {};
			}
			const e = slackError(ctx, error, { itemIndex: i, ...d });
			if (!ctx.continueOnFail()) throw e;
			out.push(itemError(ctx, i, e));
		}
	}
	return [out];
}

export function locatorValue(ctx: IExecuteFunctions, name: string, i: number): string {
	const v = ctx.getNodeParameter(name, i, '') as INodeParameterResourceLocator | string;
	return String(typeof v === 'object' && v !== null ? (v.value ?? '') : (v ?? '')).trim();
}

/** A required channel parameter, resolved to its id. */
export async function channelParam(ctx: IExecuteFunctions, resolver: ChannelResolver, name: string, label: string, i: number): Promise<ChannelInfo> {
	const ref = locatorValue(ctx, name, i);
	if (ref === '') {
		throw new NodeOperationError(ctx.getNode(), `${label} is empty`, { itemIndex: i, description: 'Choose a channel from the list, or give its #name or ID (C...).' });
	}
	return await resolver.resolve(ref);
}

/**
 * Posts JSON to a Slack response_url. Only Slack's hooks hosts (or the host of the credential's API base URL, e.g. a
 * local emulator or GovSlack) are accepted: the URL usually comes from item data, and the node must not become a
 * way to POST to arbitrary addresses.
 */
export async function postToResponseUrl(ctx: IExecuteFunctions, i: number, url: string, body: IDataObject): Promise<IDataObject> {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new NodeOperationError(ctx.getNode(), 'Response URL is not a URL', { itemIndex: i, description: 'Map the response_url of the Slack Interaction Trigger output, e.g. {{ $json.response_url }}.' });
	}
	const credentials = await ctx.getCredentials<{ baseUrl?: string }>('slackBrevoBotApi');
	let apiHost = '';
	try {
		apiHost = new URL(String(credentials.baseUrl || 'https://slack.com/api/')).host;
	} catch {
		apiHost = '';
	}
	const allowed = ['hooks.slack.com', 'hooks.slack-gov.com'].includes(parsed.host) || (apiHost !== '' && parsed.host === apiHost);
	if (!allowed || (parsed.protocol !== 'https:' && parsed.host !== apiHost)) {
		throw new NodeOperationError(ctx.getNode(), `Response URL host ${parsed.host} is not a Slack response_url host`, {
			itemIndex: i,
			description: 'Slack response URLs start with https://hooks.slack.com/. Map the response_url from the Slack Interaction Trigger.',
		});
	}
	const res = (await ctx.helpers.httpRequest({ method: 'POST', url, body, json: true, returnFullResponse: true, ignoreHttpStatusErrors: true })) as {
		statusCode: number;
		body: unknown;
	};
	const answer = (typeof res.body === 'string' ? safeJson(res.body) : res.body) as IDataObject | undefined;
	if (res.statusCode !== 200 || (answer && answer.ok === false)) {
		const code = String(answer?.error ?? `http_${res.statusCode}`);
		const hint: Record<string, string> = {
			expired_url: 'A response_url works for 30 minutes after the interaction.',
			used_url: 'A response_url can be used at most 5 times.',
			no_service: 'The response_url is not valid (copied wrongly, or from another app).',
			invalid_blocks: 'Slack rejected the blocks.',
			no_text: 'Give a text or blocks.',
			message_not_found: 'The original message is gone (deleted already?).',
		};
		throw new NodeOperationError(ctx.getNode(), `Slack refused the response_url call: ${code}`, {
			itemIndex: i,
			description: [hint[code] ?? '', ...(Array.isArray(answer?.errors) ? describeInvalidBlocks(answer.errors, body.blocks as unknown[]) : [])].filter(Boolean).join('\n'),
		});
	}
	return answer ?? { ok: true };
}

function safeJson(s: string): unknown {
	try {
		return JSON.parse(s);
	} catch {
		return s.trim() === 'ok' ? { ok: true } : undefined;
	}
}

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

/**
 * getNodeParameter for many items, evaluating a parameter once when it holds no expression (its value is then the
 * same for every item). Resolving expressions per item dominates the cost of a 1,000-item run otherwise.
 */
export function itemParameters(ctx: IExecuteFunctions): <T>(name: string, i: number, fallback: T) => T {
	const raw = ctx.getNode().parameters as IDataObject;
	const constant = new Map<string, unknown>();
	return <T>(name: string, i: number, fallback: T): T => {
		const top = name.split('.')[0];
		if (!hasExpression(raw[top])) {
			if (!constant.has(name)) constant.set(name, ctx.getNodeParameter(name, 0, fallback as never));
			return constant.get(name) as T;
		}
		return ctx.getNodeParameter(name, i, fallback as never) as T;
	};
}

/**
 * The routing table (event type / Brevo list / contact attribute -> channel, first or every match) and the default
 * channel, shared by Slack Notify's Send and Slack Schedule's Schedule Message. Read with `routeItem`.
 */
export const routingProperties = (show: Show): INodeProperties[] => [
	{
		displayName: 'Routing Rules',
		name: 'routing',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Rule',
		default: {},
		displayOptions: { show },
		description: 'Checked top to bottom against each item. No rule matching: the default channel.',
		options: [
			{
				displayName: 'Rule',
				name: 'rules',
				values: [
					{
						displayName: 'Attribute',
						name: 'attribute',
						type: 'string',
						default: '',
						placeholder: 'SEGMENT',
						displayOptions: { show: { kind: ['attribute'] } },
					},
					{
						displayName: 'Channel Name or ID',
						name: 'channel',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getChannelOptions' },
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: [
							{ name: 'Contains', value: 'contains' },
							{ name: 'Equals', value: 'equals' },
							{ name: 'Exists', value: 'exists' },
							{ name: 'Greater Than', value: 'greaterThan' },
							{ name: 'Less Than', value: 'lessThan' },
							{ name: 'Not Equals', value: 'notEquals' },
							{ name: 'Starts With', value: 'startsWith' },
						],
						default: 'equals',
						displayOptions: { show: { kind: ['attribute'] } },
					},
					{
						displayName: 'Template',
						name: 'template',
						type: 'options',
						options: [
							{ name: 'Campaign Summary', value: 'campaign_summary' },
							{ name: 'Cart Alert', value: 'cart_alert' },
							{ name: 'Generic Brevo Event', value: 'generic_event' },
							{ name: 'Node Setting', value: '' },
							{ name: 'Order Alert', value: 'order_alert' },
							{ name: 'Subscriber Alert', value: 'subscriber_alert' },
							{ name: 'Ticket Alert', value: 'ticket_alert' },
							{ name: 'Unsubscribe Alert', value: 'unsubscribe_alert' },
						],
						default: '',
						description: 'Template for items this rule routes (when Message is Template)',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'order_placed, high_value_order',
						description: 'Event types or list IDs: comma-separated, any of them matches',
					},
					{
						displayName: 'When',
						name: 'kind',
						type: 'options',
						options: [
							{ name: 'Event Type Is', value: 'eventType', description: 'E.g. new_subscriber, order_placed (any spelling: list_addition = listAddition).' },
							{ name: 'Brevo List ID Is One Of', value: 'listId' },
							{ name: 'Contact Attribute', value: 'attribute', description: 'A contact attribute (SEGMENT, PLAN, ...) or a path in the item (order.total)' },
						],
						default: 'eventType',
					},
				],
			},
		],
	},
	{
		displayName: 'Send To',
		name: 'routeMode',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'First Matching Rule', value: 'first' },
			{ name: 'Every Matching Rule', value: 'all', description: 'Each channel at most once per item' },
		],
		default: 'first',
	},
	channelLocator('defaultChannel', 'Default Channel', show, false, 'Where items go when no rule matches (required when there are no rules)'),
];

/** Routes one item with the routing properties: the channels (and template overrides) it goes to. */
export function routeItem(
	ctx: IExecuteFunctions,
	i: number,
	param: <T>(name: string, i: number, fallback: T) => T = itemParameters(ctx),
): Array<{ ref: string | INodeParameterResourceLocator; rule: number; template?: string }> {
	const rules = ((param<IDataObject>('routing', i, {})).rules ?? []) as RouteRule[];
	const mode = param<RouteMode>('routeMode', i, 'first');
	const def = param<INodeParameterResourceLocator>('defaultChannel', i, { mode: 'list', value: '' } as INodeParameterResourceLocator);
	const routed = routeToChannel(ctx.getInputData()[i].json as IDataObject, rules, String(def?.value ?? ''), mode);
	if (routed.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'No routing rule matched and no default channel is set', {
			itemIndex: i,
			description: 'Set "Default Channel", or add a rule that matches this item.',
		});
	}
	return routed.map((r) => ({ ref: r.rule === -1 ? def : r.channel, rule: r.rule, template: r.template }));
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
