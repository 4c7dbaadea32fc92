/**
 * Schedule Message: chat.scheduleMessage for an exact local time, "in N minutes/hours/days" or the next weekday at a
 * time, in a chosen time zone or a Slack user's. Slack's rules are checked first (past, 120 days, 30 per channel per
 * 5 minutes) so the user gets the reason before anything is sent. Metadata is never attached: Slack silently drops
 * scheduled messages that carry it.
 */
import type { ChatScheduleMessageArguments } from '@slack/web-api';
import type { SlackClient } from '../../shared/slack/gateway';
import { NodeOperationError, type IDataObject, type IDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

type Show = NonNullable<IDisplayOptions['show']>;

import { getSlackClient } from '../../shared/n8n/slackClient';
import { executionSleep } from '../../shared/n8n/http';
import { scheduleOnce, ScheduleDeliveryUnknownError } from '../../shared/schedule/deliver';
import { checkChannelWindow, checkPostAt, resolvePostAt, ScheduleInputError, WEEKDAYS, type When } from '../../shared/schedule/when';
import { ChannelResolver, type ChannelInfo } from '../../shared/n8n/channels';
import { contentProperties, readContent, routeItem, routingProperties } from '../../shared/n8n/message';
import { perItem } from '../../shared/n8n/items';
import { booleanParam, numberParam, optionParam, textParam } from '../../shared/n8n/params';

const show = { resource: ['scheduledMessage'], operation: ['schedule'] };

export const timeZoneProperties = (showFor: Show): INodeProperties[] => [
	{
		displayName: 'Time Zone Of',
		name: 'timeZoneSource',
		type: 'options',
		displayOptions: { show: showFor },
		options: [
			{ name: 'A Slack User', value: 'user', description: 'The tz of a Slack user (users.info): e.g. the recipient or the team lead' },
			{ name: 'Chosen Time Zone', value: 'zone' },
			{ name: "N8n's Time Zone", value: 'workflow', description: 'The workflow / instance time zone setting' },
		],
		default: 'zone',
		description:
			'Slack has no workspace time zone in its API: to follow "the team\'s" time zone, pick a user who works in it',
	},
	{
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'string',
		default: 'UTC',
		placeholder: 'Europe/Paris',
		displayOptions: { show: { ...showFor, timeZoneSource: ['zone'] } },
		description: 'IANA time zone name',
	},
	{
		displayName: 'Slack User ID',
		name: 'timeZoneUser',
		type: 'string',
		default: '',
		placeholder: 'U0123456789',
		displayOptions: { show: { ...showFor, timeZoneSource: ['user'] } },
		description: 'Whose time zone to use (needs the users:read scope)',
	},
];

export const whenProperties = (show: Show): INodeProperties[] => [
	{
		displayName: 'When',
		name: 'when',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'At a Date and Time', value: 'at' },
			{ name: 'In …', value: 'in', description: 'Minutes, hours or days from now' },
			{ name: 'Next Weekday at a Time', value: 'nextWeekday', description: 'E.g. next Monday at 09:00.' },
		],
		default: 'at',
	},
	{
		displayName: 'Date and Time',
		name: 'dateTime',
		type: 'string',
		default: '',
		placeholder: '2026-12-01T09:00',
		displayOptions: { show: { ...show, when: ['at'] } },
		description: 'Local to the time zone below unless it carries an offset (Z, +01:00)',
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 30,
		displayOptions: { show: { ...show, when: ['in'] } },
	},
	{
		displayName: 'Unit',
		name: 'unit',
		type: 'options',
		options: [
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Days', value: 'days', description: 'Calendar days in the time zone: the clock time is kept across daylight-saving changes' },
		],
		default: 'minutes',
		displayOptions: { show: { ...show, when: ['in'] } },
	},
	{
		displayName: 'Weekday',
		name: 'weekday',
		type: 'options',
		options: WEEKDAYS.map((d) => ({ name: d[0].toUpperCase() + d.slice(1), value: d })),
		default: 'monday',
		displayOptions: { show: { ...show, when: ['nextWeekday'] } },
	},
	{
		displayName: 'Time of Day',
		name: 'timeOfDay',
		type: 'string',
		default: '09:00',
		placeholder: '09:00',
		displayOptions: { show: { ...show, when: ['nextWeekday'] } },
		description: 'HH:MM, 24-hour clock',
	},
];

export const description: INodeProperties[] = [
	...routingProperties(show),
	...contentProperties(show, true),
	...whenProperties(show),
	...timeZoneProperties(show),
	{
		displayName: 'Thread Timestamp',
		name: 'threadTs',
		type: 'string',
		default: '',
		placeholder: '1712345678.123456',
		displayOptions: { show },
		description: 'Schedule the message as a reply in this thread (the parent message ts)',
	},
	{
		displayName: 'Also Send to Channel',
		name: 'replyBroadcast',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description: 'Whether a thread reply is also shown in the channel',
	},
];

/** Resolves "Time Zone Of" to an IANA name (user time zones are looked up once per user per execution). */
export async function timeZoneFor(
	ctx: IExecuteFunctions,
	client: SlackClient,
	i: number,
	userZones: Map<string, string>,
): Promise<string> {
	const source = optionParam(ctx, 'timeZoneSource', 'Time Zone Of', i, ['user', 'zone', 'workflow'], 'zone');
	if (source === 'workflow') return ctx.getTimezone();
	if (source === 'user') {
		const user = textParam(ctx, 'timeZoneUser', 'Slack User ID', i);
		if (!user) throw new ScheduleInputError('timeZoneUser', 'Slack User ID is empty: give the user whose time zone to use (U...).');
		if (!userZones.has(user)) {
			const res = await client.users.info({ user });
			const tz = res.user?.tz;
			if (!tz) throw new ScheduleInputError('timeZoneUser', `Slack has no time zone for user ${user} (deleted users have none). Choose a time zone instead.`);
			userZones.set(user, tz);
		}
		return userZones.get(user)!;
	}
	return textParam(ctx, 'timeZone', 'Time Zone', i, { fallback: 'UTC' }) || 'UTC';
}

export function readWhen(ctx: IExecuteFunctions, i: number, timeZone: string): When {
	const kind = optionParam(ctx, 'when', 'When', i, ['at', 'in', 'nextWeekday'], 'at');
	if (kind === 'in') {
		const unit = optionParam(ctx, 'unit', 'Unit', i, ['minutes', 'hours', 'days'], 'minutes');
		return { kind, amount: numberParam(ctx, 'amount', 'Amount', i), unit, timeZone };
	}
	if (kind === 'nextWeekday') {
		return { kind, weekday: textParam(ctx, 'weekday', 'Weekday', i).toLowerCase() as never, time: textParam(ctx, 'timeOfDay', 'Time of Day', i), timeZone };
	}
	return { kind: 'at', dateTime: textParam(ctx, 'dateTime', 'Date and Time', i), timeZone };
}

/** post_at values already scheduled for a channel (all pages), to check Slack's 30-per-5-minutes rule up front. */
export async function scheduledPostAts(client: SlackClient, channel: string): Promise<number[]> {
	const out: number[] = [];
	let cursor: string | undefined;
	do {
		const res = await client.chat.scheduledMessages.list({ channel, limit: 100, cursor });
		for (const m of res.scheduled_messages ?? []) if (typeof m.post_at === 'number') out.push(m.post_at);
		cursor = res.response_metadata?.next_cursor || undefined;
	} while (cursor);
	return out;
}

export function asNodeError(ctx: IExecuteFunctions, error: unknown, i: number): unknown {
	if (error instanceof ScheduleInputError) {
		return new NodeOperationError(ctx.getNode(), error.message, { itemIndex: i, description: `Check the "${error.field}" field.` });
	}
	if (error instanceof ScheduleDeliveryUnknownError) {
		return new NodeOperationError(ctx.getNode(), error.message, { itemIndex: i, description: error.description });
	}
	return error;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await getSlackClient(this);
	const sendClient = await getSlackClient(this, { retries: 0 });
	const resolver = new ChannelResolver(client);
	const userZones = new Map<string, string>();
	// What this execution scheduled per channel, on top of what Slack already lists (listed once per channel).
	const windows = new Map<string, number[]>();
	let channel: ChannelInfo | undefined;
	return await perItem(
		this,
		async (i) => {
			try {
				channel = undefined;
				const routes = routeItem(this, i);
				const timeZone = await timeZoneFor(this, client, i, userZones);
				const resolved = resolvePostAt(readWhen(this, i, timeZone));
				checkPostAt(resolved.postAt, Math.floor(Date.now() / 1000));
				const threadTs = textParam(this, 'threadTs', 'Thread Timestamp', i);
				const messages: IDataObject[] = [];
				const done = new Set<string>();
				for (const route of routes) {
					channel = await resolver.resolve(route.ref);
					if (done.has(channel.id)) continue; // "#sales" in one rule and its id in another: one message
					done.add(channel.id);
					const content = readContent(this, i, 'message', route.template);
					if (!windows.has(channel.id)) windows.set(channel.id, await scheduledPostAts(client, channel.id));
					checkChannelWindow(windows.get(channel.id)!, resolved.postAt, channel.name ? `#${channel.name}` : channel.id);
					const res = await scheduleOnce(sendClient, client, {
						channel: channel.id,
						post_at: resolved.postAt,
						text: content.text,
						...(content.blocks ? { blocks: content.blocks } : {}),
						...(threadTs ? { thread_ts: threadTs, reply_broadcast: booleanParam(this, 'replyBroadcast', 'Also Send to Channel', i, false) } : {}),
						// never `metadata`: Slack drops scheduled messages that carry it, without an error
					} as ChatScheduleMessageArguments, executionSleep(this));
					windows.get(channel.id)!.push(resolved.postAt);
					messages.push({
						scheduled_message_id: res.scheduled_message_id ?? null,
						...(res.recovered ? { note: 'Slack did not confirm the first attempt; the message it had scheduled was found, not sent again.' } : {}),
						channel: channel.id,
						channelName: channel.name ?? null,
						rule: route.rule,
						...(content.template ? { template: content.template } : {}),
						text: content.text,
					});
				}
				return {
					ok: true,
					...messages[0],
					post_at: resolved.postAt,
					postAtIso: new Date(resolved.postAt * 1000).toISOString(),
					postAtLocal: resolved.local,
					timeZone: resolved.timeZone,
					...(resolved.note ? { note: resolved.note } : {}),
					messages,
				};
			} catch (error) {
				throw asNodeError(this, error, i);
			}
		},
		() => ({ channel: channel?.name ? `#${channel.name}` : channel?.id, action: 'scheduling a message' }),
	);
}
