import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { rawEventValue, SPEC_EVENTS, SUBSCRIPTION_EVENTS, WEBHOOK_TYPES } from '../shared/brevo/events';

export const DEFAULT_BASIC_USER = 'brevo';
export const DEFAULT_SECRET_HEADER = 'x-brevo-secret';

const MANUAL_EVENTS = ['order_placed', 'cart_abandoned', 'ticket_created'];

const rawOptions: INodePropertyOptions[] = WEBHOOK_TYPES.flatMap((type) =>
	SUBSCRIPTION_EVENTS[type].map((e) => ({
		name: `${type[0].toUpperCase()}${type.slice(1)}: ${e.label} (${e.name})`,
		value: rawEventValue(type, e.name),
	})),
);

const setupNotice = (event: keyof typeof SPEC_EVENTS): INodeProperties => ({
	displayName: `Source: ${SPEC_EVENTS[event].setup}`,
	name: `notice_${event}`,
	type: 'notice',
	default: '',
	displayOptions: { show: { event: [event] } },
});

export const properties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		default: 'new_subscriber',
		options: [
			{ name: 'Cart Abandoned', value: 'cart_abandoned', description: 'From a Brevo automation: cart updated, 30-minute wait, "Call a webhook"' },
			{ name: 'New Subscriber', value: 'new_subscriber', description: 'A contact added to a list (registered automatically)' },
			{ name: 'Order Placed', value: 'order_placed', description: 'From a Brevo automation "Call a webhook" step, with a high-value threshold' },
			{ name: 'Raw Brevo Events', value: 'raw', description: 'Any transactional, marketing or inbound webhook event (registered automatically)' },
			{ name: 'Ticket Created', value: 'ticket_created', description: 'A Brevo Conversations conversationStarted webhook' },
			{ name: 'Unsubscribed', value: 'unsubscribed', description: 'Marketing and transactional unsubscriptions (registered automatically)' },
		],
	},
	{
		displayName: 'Campaign Sent has no Brevo webhook: use the Brevo Campaign Trigger node for it',
		name: 'noticeCampaignSent',
		type: 'notice',
		default: '',
	},
	setupNotice('new_subscriber'),
	setupNotice('unsubscribed'),
	setupNotice('order_placed'),
	setupNotice('cart_abandoned'),
	setupNotice('ticket_created'),
	{
		displayName: 'Only These Lists',
		name: 'listIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getLists' },
		default: [],
		description:
			'Emit only additions to these lists (empty: any list). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { event: ['new_subscriber'] } },
	},
	{
		displayName: 'Raw Events',
		name: 'rawEvents',
		type: 'multiOptions',
		options: rawOptions,
		default: [],
		required: true,
		description: 'Brevo webhook events to subscribe to; one webhook is registered per type (transactional, marketing, inbound)',
		displayOptions: { show: { event: ['raw'] } },
	},
	{
		displayName: 'Inbound Domain',
		name: 'inboundDomain',
		type: 'string',
		default: '',
		placeholder: 'reply.example.com',
		description: 'Required by Brevo for inbound events: the domain whose incoming emails Brevo parses',
		displayOptions: { show: { event: ['raw'] } },
	},
	{
		displayName:
			'Paste the Production URL shown above into Brevo with the shared secret as URL credentials: https://brevo:SECRET@your-n8n-host/webhook/..., or send the secret in the header named below. Calls without it get 401 and start nothing.',
		name: 'noticeSharedSecret',
		type: 'notice',
		default: '',
		displayOptions: { show: { event: MANUAL_EVENTS } },
	},
	{
		displayName: 'Shared Secret',
		name: 'sharedSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description:
			'At least 16 characters, no spaces or : @ / ? # (e.g. the output of `openssl rand -hex 24`). Activation is refused without it.',
		displayOptions: { show: { event: MANUAL_EVENTS } },
	},
	{
		displayName: 'URL User Name',
		name: 'basicAuthUser',
		type: 'string',
		default: DEFAULT_BASIC_USER,
		description: 'The user name part of the URL credentials (https://USER:SECRET@...)',
		displayOptions: { show: { event: MANUAL_EVENTS } },
	},
	{
		displayName: 'Secret Header Name',
		name: 'authHeaderName',
		type: 'string',
		default: DEFAULT_SECRET_HEADER,
		description: 'A header that may carry the shared secret instead of URL credentials',
		displayOptions: { show: { event: MANUAL_EVENTS } },
	},
	{
		displayName: 'Minimum Order Value',
		name: 'threshold',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 500,
		description: 'Orders at or above this value are high-value orders',
		displayOptions: { show: { event: ['order_placed'] } },
	},
	{
		displayName: 'Threshold Currency',
		name: 'thresholdCurrency',
		type: 'string',
		default: '',
		placeholder: 'EUR',
		description: 'When set, orders in another currency are not high-value (they cannot be compared)',
		displayOptions: { show: { event: ['order_placed'] } },
	},
	{
		displayName: 'Orders Below Threshold',
		name: 'belowThreshold',
		type: 'options',
		default: 'drop',
		options: [
			{ name: 'Drop Them', value: 'drop' },
			{ name: 'Send to a "Below Threshold" Output', value: 'route' },
		],
		displayOptions: { show: { event: ['order_placed'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Batched Delivery',
				name: 'batched',
				type: 'boolean',
				default: false,
				description: 'Whether Brevo should send registered events in batches (up to 500, about every 5 minutes)',
			},
			{
				displayName: 'Ignore Duplicate Deliveries',
				name: 'dedupe',
				type: 'boolean',
				default: true,
				description:
					'Whether an event Brevo delivers again (it retries after 10 min, 1 h, 2 h and 8 h) starts the workflow only once',
			},
			{
				displayName: 'Ignore Changes by API Keys',
				name: 'ignoreChangesBy',
				type: 'string',
				default: '',
				placeholder: 'n8n-sync',
				description:
					'Comma-separated names of Brevo API keys whose contact changes are ignored (Brevo sends api_key_name), e.g. the key this workflow writes with, to stop sync loops',
			},
		],
	},
];
