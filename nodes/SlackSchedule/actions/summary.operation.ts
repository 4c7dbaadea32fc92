/**
 * Marketing Summary: gathers a period's sent campaigns with their global statistics (one paginated listing, never a
 * call per campaign: Brevo allows 100 requests an hour on campaign endpoints), new contacts (two counts), and
 * optionally revenue (Brevo's ecommerce orders, or order items given as input, e.g. collected from the Brevo Event
 * Trigger), renders a Block Kit digest, and outputs it, posts it now, or schedules it.
 */
import type { SlackClient } from '../../shared/slack/gateway';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { getBrevoClient, toBrevoNodeError, type BrevoGateway } from '../../shared/n8n/brevoClient';
import { getSlackClient } from '../../shared/n8n/slackClient';
import {
	brevoDate,
	campaignRowOf,
	renderSummary,
	resolvePeriod,
	summarize,
	type CampaignRow,
	type Period,
	type PeriodInput,
	type Revenue,
} from '../../shared/schedule/summary';
import { checkChannelWindow, checkPostAt, resolvePostAt, ScheduleInputError } from '../../shared/schedule/when';
import { parseMoney } from '../../shared/brevo/order';
import { ChannelResolver, channelLocator } from '../../shared/n8n/channels';
import { classifySlackError } from '../../shared/slack/errors';
import { slackError } from '../../shared/n8n/items';
import { booleanParam, locatorValue, numberParam, optionParam, textParam } from '../../shared/n8n/params';
import { executionSleep } from '../../shared/n8n/http';
import { scheduleOnce, ScheduleDeliveryUnknownError } from '../../shared/schedule/deliver';
import { asNodeError, readWhen, scheduledPostAts, timeZoneFor, timeZoneProperties, whenProperties } from './schedule.operation';

const show = { resource: ['summary'], operation: ['build'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'Yesterday', value: 'yesterday', description: 'The whole previous day (daily summary)' },
			{ name: 'Last 7 Days', value: 'last7days', description: 'The seven full days before today (weekly summary)' },
			{ name: 'Today So Far', value: 'today' },
			{ name: 'Custom', value: 'custom' },
		],
		default: 'yesterday',
	},
	{
		displayName: 'Start',
		name: 'periodStart',
		type: 'string',
		default: '',
		placeholder: '2026-11-01',
		displayOptions: { show: { ...show, period: ['custom'] } },
		description: 'A date (from its midnight) or a date-time, in the time zone below',
	},
	{
		displayName: 'End',
		name: 'periodEnd',
		type: 'string',
		default: '',
		placeholder: '2026-11-07',
		displayOptions: { show: { ...show, period: ['custom'] } },
		description: 'A date (included, up to its end) or a date-time (excluded)',
	},
	...timeZoneProperties(show),
	{
		displayName: 'Count New Contacts',
		name: 'includeNewContacts',
		type: 'boolean',
		default: true,
		displayOptions: { show },
		description: 'Whether to count contacts created in Brevo during the period (two calls to /contacts)',
	},
	{
		displayName: 'Revenue',
		name: 'revenueSource',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Brevo Orders', value: 'brevoOrders', description: 'Orders recorded in Brevo (ecommerce, POST /orders/status) created in the period' },
			{
				name: 'Input Items',
				value: 'inputItems',
				description: 'Order items given to this node, e.g. order_placed items from the Brevo Event Trigger (order.value)',
			},
		],
		default: 'none',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: '',
		placeholder: 'EUR',
		displayOptions: { show: { ...show, revenueSource: ['brevoOrders', 'inputItems'] } },
		description: 'ISO currency code for the revenue line (empty: the orders\' own currency when they all agree)',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: 'Marketing summary',
		displayOptions: { show },
	},
	{
		displayName: 'Campaigns Listed',
		name: 'maxCampaigns',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 20 },
		default: 10,
		displayOptions: { show },
		description: 'Campaigns shown one by one (largest first); the rest are counted in the totals',
	},
	{
		displayName: 'Brevo App URL',
		name: 'brevoAppUrl',
		type: 'string',
		default: 'https://app.brevo.com',
		displayOptions: { show },
		description: 'Base of the "View in Brevo" links',
	},
	{
		displayName: 'Deliver',
		name: 'deliver',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'Output Only', value: 'output', description: 'Return the digest (text and blocks) for another node' },
			{ name: 'Post Now', value: 'post' },
			{ name: 'Schedule', value: 'schedule', description: 'Chat.scheduleMessage at a chosen time' },
		],
		default: 'post',
	},
	channelLocator('channel', 'Channel', { ...show, deliver: ['post', 'schedule'] }, true, 'Where the summary goes, e.g. #marketing'),
	...whenProperties({ ...show, deliver: ['schedule'] }),
];

interface CampaignPage {
	campaigns?: Array<Record<string, unknown>>;
	count?: number;
}

async function campaignsSent(brevo: BrevoGateway, period: Period, calls: { brevo: number }): Promise<CampaignRow[]> {
	const rows: CampaignRow[] = [];
	const now = new Date();
	for (let offset = 0; ; offset += 100) {
		calls.brevo++;
		const page = await brevo.request<CampaignPage>({
			method: 'GET',
			path: '/emailCampaigns',
			qs: { status: 'sent', statistics: 'globalStats', startDate: brevoDate(period.start), endDate: brevoDate(period.end), limit: 100, offset, sort: 'desc' },
		});
		const list = page?.campaigns ?? [];
		for (const c of list) {
			const sent = Date.parse(String(c.sentDate ?? ''));
			// Brevo's endDate is inclusive: keep the period half-open so consecutive summaries never count a campaign twice.
			if (!Number.isNaN(sent) && sent >= period.end.toMillis()) continue;
			rows.push(campaignRowOf(c, now));
		}
		if (list.length < 100 || offset + list.length >= (page?.count ?? 0)) break;
	}
	return rows;
}

async function contactsCreatedSince(brevo: BrevoGateway, since: string, calls: { brevo: number }): Promise<number> {
	calls.brevo++;
	const page = await brevo.request<{ count?: number }>({ method: 'GET', path: '/contacts', qs: { createdSince: since, limit: 1 } });
	return Number(page?.count ?? 0);
}

async function newContacts(brevo: BrevoGateway, period: Period, calls: { brevo: number }): Promise<number> {
	const sinceStart = await contactsCreatedSince(brevo, brevoDate(period.start), calls);
	if (period.end.toMillis() >= Date.now()) return sinceStart;
	return sinceStart - (await contactsCreatedSince(brevo, brevoDate(period.end), calls));
}

function sumRevenue(orders: Array<{ amount: unknown; currency?: unknown; at: unknown }>, period: Period, currency: string, source: string): Revenue {
	let amount = 0;
	let count = 0;
	const currencies = new Set<string>();
	for (const o of orders) {
		const at = Date.parse(String(o.at ?? ''));
		if (Number.isNaN(at) || at < period.start.toMillis() || at >= period.end.toMillis()) continue;
		const money = parseMoney(o.amount);
		const value = money?.value;
		if (value === undefined) continue;
		amount += value;
		count++;
		const cur = typeof o.currency === 'string' && o.currency ? o.currency : money?.currency;
		if (cur) currencies.add(cur.toUpperCase());
	}
	return { amount: Math.round(amount * 100) / 100, orders: count, currency: currency || (currencies.size === 1 ? [...currencies][0] : undefined), source };
}

async function brevoOrders(brevo: BrevoGateway, period: Period, currency: string, calls: { brevo: number }): Promise<Revenue> {
	const orders: Array<{ amount: unknown; at: unknown }> = [];
	for (let offset = 0; ; offset += 100) {
		calls.brevo++;
		const page = await brevo.request<{ orders?: Array<Record<string, unknown>>; count?: number }>({
			method: 'GET',
			path: '/orders',
			qs: { createdSince: brevoDate(period.start), limit: 100, offset, sort: 'asc' },
		});
		const list = page?.orders ?? [];
		for (const o of list) orders.push({ amount: o.amount, at: o.createdAt });
		const last = list.at(-1);
		if (list.length < 100 || (last && Date.parse(String(last.createdAt)) >= period.end.toMillis())) break;
	}
	return sumRevenue(orders, period, currency, 'Brevo orders');
}

function inputOrders(items: INodeExecutionData[]): Array<{ amount: unknown; currency?: unknown; at: unknown }> {
	return items
		.map(({ json }) => {
			const order = (json.order ?? {}) as IDataObject;
			return {
				amount: order.value ?? order.amount ?? json.amount ?? json.revenue,
				currency: order.currency ?? json.currency,
				at: json.occurredAt ?? order.createdAt ?? json.createdAt ?? json.date,
			};
		})
		.filter((o) => o.amount !== undefined);
}

async function deliver(
	ctx: IExecuteFunctions,
	client: SlackClient,
	sendClient: SlackClient,
	message: { text: string; blocks: unknown[] },
	timeZone: string,
): Promise<IDataObject> {
	const mode = optionParam(ctx, 'deliver', 'Deliver', 0, ['post', 'schedule', 'output'], 'post');
	if (mode === 'output') return {};
	const ref = locatorValue(ctx, 'channel', 0, 'Channel');
	let channelLabel = '';
	try {
		const channel = await new ChannelResolver(client).resolve(ref);
		channelLabel = channel.name ? `#${channel.name}` : channel.id;
		if (mode === 'post') {
			try {
				const res = await sendClient.chat.postMessage({ channel: channel.id, text: message.text, blocks: message.blocks as never, unfurl_links: false });
				return { posted: true, channel: res.channel ?? channel.id, ts: res.ts ?? null };
			} catch (error) {
				// Not retried blindly: after a timeout or 5xx the summary may be in the channel already.
				if (classifySlackError(error).kind !== 'ambiguous') throw slackError(ctx, error, { channel: channelLabel, action: 'posting the summary', blocks: message.blocks });
				throw new NodeOperationError(ctx.getNode(), `Slack did not confirm the summary in ${channelLabel}`, {
					description: `The request timed out or Slack answered with a server error, so the summary may or may not have been posted. Look in ${channelLabel} before running the workflow again (it is not re-sent automatically, to avoid a duplicate).`,
				});
			}
		}
		const resolved = resolvePostAt(readWhen(ctx, 0, timeZone));
		checkPostAt(resolved.postAt, Math.floor(Date.now() / 1000));
		checkChannelWindow(await scheduledPostAts(client, channel.id), resolved.postAt, channelLabel);
		const res = await scheduleOnce(sendClient, client, { channel: channel.id, post_at: resolved.postAt, text: message.text, blocks: message.blocks as never }, executionSleep(ctx));
		return {
			scheduled: true,
			channel: channel.id,
			scheduled_message_id: res.scheduled_message_id ?? null,
			post_at: resolved.postAt,
			postAtLocal: resolved.local,
		};
	} catch (error) {
		if (error instanceof ScheduleInputError || error instanceof ScheduleDeliveryUnknownError) throw asNodeError(ctx, error, 0);
		throw slackError(ctx, error, { channel: channelLabel || ref, action: 'delivering the summary', blocks: message.blocks });
	}
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const started = Date.now();
	const items = this.getInputData();
	const client = await getSlackClient(this);
	const brevo = await getBrevoClient(this);
	const calls = { brevo: 0 };
	let period: Period;
	let timeZone: string;
	try {
		timeZone = await timeZoneFor(this, client, 0, new Map());
		const kind = optionParam(this, 'period', 'Period', 0, ['yesterday', 'last7days', 'today', 'custom'], 'yesterday');
		const input: PeriodInput =
			kind === 'custom'
				? { kind, start: textParam(this, 'periodStart', 'Start', 0), end: textParam(this, 'periodEnd', 'End', 0) }
				: { kind };
		period = resolvePeriod(input, timeZone);
	} catch (error) {
		if (error instanceof ScheduleInputError) throw asNodeError(this, error, 0);
		throw slackError(this, error, { action: 'looking up the time zone' });
	}

	const notes: string[] = [];
	let rows: CampaignRow[];
	let contacts: number | undefined;
	let revenue: Revenue | undefined;
	const source = optionParam(this, 'revenueSource', 'Revenue', 0, ['none', 'brevoOrders', 'inputItems'], 'none');
	const currency = textParam(this, 'currency', 'Currency', 0).toUpperCase();
	try {
		rows = await campaignsSent(brevo, period, calls);
		if (booleanParam(this, 'includeNewContacts', 'Count New Contacts', 0, true)) contacts = await newContacts(brevo, period, calls);
		if (source === 'brevoOrders') revenue = await brevoOrders(brevo, period, currency, calls);
	} catch (error) {
		throw toBrevoNodeError(this.getNode(), error, { action: 'reading Brevo for the summary' });
	}
	if (source === 'inputItems') {
		const orders = inputOrders(items);
		if (!orders.length) notes.push('No order items were given to the summary: revenue is not shown.');
		else revenue = sumRevenue(orders, period, currency, 'input items');
	}
	if (currency && !/^[A-Z]{3}$/.test(currency)) {
		throw new NodeOperationError(this.getNode(), `Currency "${currency}" is not an ISO code`, { description: 'Use three letters, e.g. EUR or USD.' });
	}

	const data = summarize(period, rows, { newContacts: contacts, revenue, notes });
	const message = renderSummary(data, {
		title: textParam(this, 'title', 'Title', 0, { trim: false }),
		brevoAppUrl: textParam(this, 'brevoAppUrl', 'Brevo App URL', 0),
		maxCampaigns: numberParam(this, 'maxCampaigns', 'Campaigns Listed', 0, { integer: true, min: 0, fallback: 10 }),
	});
	const sendClient = await getSlackClient(this, { retries: 0 });
	const delivery = await deliver(this, client, sendClient, message, timeZone);
	return [
		{
			json: {
				...(data as unknown as IDataObject),
				message: message as unknown as IDataObject,
				...delivery,
				stats: { brevoCalls: calls.brevo, durationMs: Date.now() - started },
			},
			pairedItem: items.map((_, i) => ({ item: i })),
		},
	];
}
