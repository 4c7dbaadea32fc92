/**
 * Message content and routing in the n8n layer: the "content" parameters (text / template / custom Block Kit) and
 * their reader, the routing table (event type / list / attribute -> channel) and its reader, and replies through a
 * Slack response_url. Shared by Slack Notify and Slack Schedule.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeParameterResourceLocator,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { BlockKitError, blocksToPlainText, describeInvalidBlocks, parseAndValidateBlocks, type Block, type BlockSurface } from '../slack/blocks';
import { eventTypeOf, routeToChannel, type RouteMode, type RouteRule } from '../slack/routing';
import { renderTemplate, templateForEvent, TEMPLATE_LABELS, TEMPLATE_NAMES, type TemplateName } from '../slack/templates';
import { channelLocator, type Show } from './channels';
import { itemParameters, toLocatorValue, toOption, toText, toTextList } from './params';

/** Text and blocks for one item from the shared "content" parameters. */
/** The template dropdown: every template of `TEMPLATE_LABELS` plus one extra choice, sorted by label as n8n lists options. */
function templateOptions(extra: INodePropertyOptions): INodePropertyOptions[] {
	return [extra, ...TEMPLATE_NAMES.map((value) => ({ name: TEMPLATE_LABELS[value], value }))].sort((a, b) => a.name.localeCompare(b.name));
}

export interface MessageContent {
	text: string;
	blocks?: Block[];
	/** the template used (`auto` resolved to the one the event type picked) */
	template?: TemplateName;
}

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
					options: templateOptions({ name: 'Auto (From Event Type)', value: 'auto' }),
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
	const mode = toOption(ctx, param<unknown>('content', i, 'text'), i, 'Message', ['template', 'blocks', 'text'] as const, 'text');
	const text = toText(ctx, param<unknown>('text', i, ''), i, 'Text');
	try {
		if (mode === 'template') {
			const name = (templateOverride || toText(ctx, param<unknown>('template', i, 'auto'), i, 'Template').trim() || 'auto') as TemplateName | 'auto';
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
						options: templateOptions({ name: 'Node Setting', value: '' }),
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
	const rules = readRules(ctx, i, param<unknown>('routing', i, {}));
	const mode = toOption<RouteMode>(ctx, param<unknown>('routeMode', i, 'first'), i, 'Send To', ['first', 'all'], 'first');
	const def = param<INodeParameterResourceLocator | string>('defaultChannel', i, { mode: 'list', value: '' } as INodeParameterResourceLocator);
	const defValue = toLocatorValue(ctx, def, i, 'Default Channel');
	const routed = routeToChannel(ctx.getInputData()[i].json as IDataObject, rules, defValue, mode);
	if (routed.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'No routing rule matched and no default channel is set', {
			itemIndex: i,
			description: 'Set "Default Channel", or add a rule that matches this item.',
		});
	}
	return routed.map((r) => ({ ref: r.rule === -1 ? defValue : r.channel, rule: r.rule, template: r.template }));
}

const RULE_KINDS = ['eventType', 'listId', 'attribute'] as const;
const RULE_OPERATORS = ['equals', 'notEquals', 'contains', 'startsWith', 'greaterThan', 'lessThan', 'exists'] as const;

/**
 * The routing rules with every field coerced to what routing compares: a rule value of 42 or true is the text "42" /
 * "true", a list of ids ([3, 7]) is "3,7"; objects, unknown "When" kinds or operators are refused, naming the rule.
 */
function readRules(ctx: IExecuteFunctions, i: number, routing: unknown): RouteRule[] {
	if (routing === undefined || routing === null || routing === '') return [];
	if (typeof routing !== 'object' || Array.isArray(routing)) {
		throw new NodeOperationError(ctx.getNode(), 'Routing Rules must be a list of rules', { itemIndex: i, description: 'Add rules with "Add Rule" instead of an expression for the whole table.' });
	}
	const rows = (routing as IDataObject).rules ?? [];
	const list = Array.isArray(rows) ? rows : [rows];
	return list.map((row, k) => {
		const at = (field: string) => `Routing Rules > Rule ${k + 1} > ${field}`;
		const r = (row ?? {}) as IDataObject;
		const kind = toOption(ctx, r.kind, i, at('When'), RULE_KINDS, 'eventType');
		const value = Array.isArray(r.value)
			? toTextList(ctx, r.value, i, at('Value')).join(',')
			: toText(ctx, r.value, i, at('Value'), 'Give the event types or list IDs as text (comma-separated) or a list, e.g. {{ $json.listIds }}; for an attribute rule, the value to compare.');
		return {
			kind,
			value,
			attribute: toText(ctx, r.attribute, i, at('Attribute')),
			operator: toOption(ctx, r.operator, i, at('Operator'), RULE_OPERATORS, 'equals'),
			channel: toLocatorValue(ctx, r.channel, i, at('Channel Name or ID')),
			template: toText(ctx, r.template, i, at('Template')).trim() || undefined,
		};
	});
}

