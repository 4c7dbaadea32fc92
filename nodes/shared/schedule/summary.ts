/**
 * Daily / weekly Brevo marketing summaries: the period in the user's time zone, the campaign rows read from one
 * paginated `GET /emailCampaigns?status=sent&statistics=globalStats` listing (Brevo allows 100 requests an hour on
 * campaign endpoints, so nothing is fetched per campaign), the totals, and the Block Kit digest with "View in
 * Brevo" buttons. A period without campaigns renders a friendly "quiet day" digest. Pure: no n8n imports.
 */
import { DateTime } from 'luxon';

import { messageBlocksSize, MESSAGE_BLOCKS_TEXT_BUDGET, type Block } from '../slack/blocks';
import {
	brevoCampaignUrl,
	campaignStatsOf,
	DEFAULT_BREVO_APP_URL,
	escapeMrkdwn,
	formatMoney,
	formatPercent,
	type CampaignStats,
	type RenderedMessage,
} from '../slack/templates';
import { checkTimeZone, ScheduleInputError } from './when';

export type PeriodInput =
	| { kind: 'yesterday' }
	| { kind: 'last7days' }
	| { kind: 'today' }
	| { kind: 'custom'; start: string; end: string };

export interface Period {
	start: DateTime;
	end: DateTime;
	timeZone: string;
	label: string;
}

/** Brevo keeps campaign statistics for about six months; older campaigns come back with empty globalStats. */
export const STATS_RETENTION_DAYS = 183;

function parseBoundary(raw: string, zone: string, field: string, isEnd: boolean): DateTime {
	const text = (raw ?? '').trim();
	if (!text) throw new ScheduleInputError(field, `The ${isEnd ? 'end' : 'start'} of the period is empty. Use a date (2026-11-01) or date-time.`);
	const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
	const dt = DateTime.fromISO(text.replace(' ', 'T'), { zone, setZone: /([zZ]|[+-]\d{2}:?\d{2})$/.test(text) }).setZone(zone);
	if (!dt.isValid) throw new ScheduleInputError(field, `"${text}" is not a date. Use ISO 8601, e.g. 2026-11-01 or 2026-11-01T08:00.`);
	// A date-only end is inclusive: "2026-11-07" means up to the end of that day.
	return dateOnly && isEnd ? dt.startOf('day').plus({ days: 1 }) : dateOnly ? dt.startOf('day') : dt;
}

export function resolvePeriod(input: PeriodInput, timeZone: string, now: Date = new Date()): Period {
	const zone = checkTimeZone(timeZone);
	const today = DateTime.fromJSDate(now).setZone(zone).startOf('day');
	const fmt = (d: DateTime) => d.toFormat('ccc d LLL yyyy');
	switch (input.kind) {
		case 'yesterday': {
			const start = today.minus({ days: 1 });
			return { start, end: today, timeZone: zone, label: `Yesterday, ${fmt(start)}` };
		}
		case 'today':
			return { start: today, end: DateTime.fromJSDate(now).setZone(zone), timeZone: zone, label: `Today so far, ${fmt(today)}` };
		case 'last7days': {
			const start = today.minus({ days: 7 });
			return { start, end: today, timeZone: zone, label: `Last 7 days, ${fmt(start)} - ${fmt(today.minus({ days: 1 }))}` };
		}
		case 'custom': {
			const start = parseBoundary(input.start, zone, 'periodStart', false);
			const end = parseBoundary(input.end, zone, 'periodEnd', true);
			if (end <= start) throw new ScheduleInputError('periodEnd', 'The end of the period must be after its start.');
			if (end.diff(start, 'days').days > 366) throw new ScheduleInputError('periodEnd', 'A summary covers at most one year.');
			const lastDay = end.minus({ milliseconds: 1 });
			return {
				start,
				end,
				timeZone: zone,
				label: start.hasSame(lastDay, 'day') ? fmt(start) : `${fmt(start)} - ${fmt(lastDay)}`,
			};
		}
		default:
			throw new ScheduleInputError('period', 'Unknown period.');
	}
}

/** Brevo's date filters take UTC date-times with milliseconds. */
export function brevoDate(dt: DateTime): string {
	return dt.toUTC().toISO() ?? '';
}

export interface CampaignRow {
	id: number | string;
	name: string;
	subject?: string;
	sentDate?: string;
	/** Undefined when Brevo no longer has statistics for the campaign (older than ~6 months). */
	stats?: CampaignStats;
	statsNote?: string;
}

function hasAnyStat(s: CampaignStats): boolean {
	return Object.values(s).some((v) => typeof v === 'number' && v > 0);
}

export function campaignRowOf(campaign: Record<string, unknown>, now: Date = new Date()): CampaignRow {
	const stats = campaignStatsOf(campaign);
	const sentDate = (campaign.sentDate ?? campaign.scheduledAt) as string | undefined;
	const ageDays = sentDate ? (now.getTime() - Date.parse(sentDate)) / 86_400_000 : 0;
	const row: CampaignRow = {
		id: campaign.id as number,
		name: String(campaign.name ?? `Campaign ${campaign.id}`),
		subject: campaign.subject as string | undefined,
		sentDate,
	};
	if (hasAnyStat(stats)) row.stats = stats;
	else if (ageDays > STATS_RETENTION_DAYS) row.statsNote = 'statistics unavailable: Brevo keeps them about 6 months';
	else row.stats = stats; // a recent campaign with real zeros
	return row;
}

export interface Revenue {
	amount: number;
	currency?: string;
	orders: number;
	source: string;
}

export interface SummaryData {
	period: { start: string; end: string; timeZone: string; label: string };
	campaigns: CampaignRow[];
	totals: Required<Pick<CampaignStats, 'sent' | 'delivered' | 'uniqueViews' | 'uniqueClicks' | 'unsubscriptions' | 'hardBounces' | 'softBounces'>>;
	/** Campaigns whose statistics Brevo no longer has (not counted in totals). */
	campaignsWithoutStats: number;
	newContacts?: number;
	revenue?: Revenue;
	quiet: boolean;
	notes: string[];
}

export function summarize(
	period: Period,
	campaigns: CampaignRow[],
	extras: { newContacts?: number; revenue?: Revenue; notes?: string[] } = {},
): SummaryData {
	const totals = { sent: 0, delivered: 0, uniqueViews: 0, uniqueClicks: 0, unsubscriptions: 0, hardBounces: 0, softBounces: 0 };
	let without = 0;
	for (const c of campaigns) {
		if (!c.stats) {
			without++;
			continue;
		}
		for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += c.stats[k] ?? 0;
	}
	return {
		period: { start: period.start.toISO() ?? '', end: period.end.toISO() ?? '', timeZone: period.timeZone, label: period.label },
		campaigns: [...campaigns].sort((a, b) => (b.stats?.sent ?? -1) - (a.stats?.sent ?? -1)),
		totals,
		campaignsWithoutStats: without,
		newContacts: extras.newContacts,
		revenue: extras.revenue,
		quiet: campaigns.length === 0,
		notes: extras.notes ?? [],
	};
}

export interface SummaryRenderOptions {
	title?: string;
	brevoAppUrl?: string;
	locale?: string;
	/** Campaigns listed one by one (the rest are counted); keeps the message under Slack's 50 blocks. */
	maxCampaigns?: number;
}

function n(v: number | undefined, locale?: string): string {
	return v === undefined ? 'n/a' : new Intl.NumberFormat(locale ?? 'en-US').format(v);
}

function truncate(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function noteBlock(note: string): Block {
	return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(escapeMrkdwn(note), 3000) }] };
}

function actionsBlock(appUrl: string): Block {
	return {
		type: 'actions',
		elements: [
			{
				type: 'button',
				text: { type: 'plain_text', text: 'View campaigns in Brevo', emoji: true },
				url: `${appUrl}/camp/listing`,
				action_id: 'view_campaigns',
			},
		],
	};
}

export function renderSummary(data: SummaryData, o: SummaryRenderOptions = {}): RenderedMessage {
	const appUrl = (o.brevoAppUrl || DEFAULT_BREVO_APP_URL).replace(/\/+$/, '');
	const maxCampaigns = Math.min(Math.max(o.maxCampaigns ?? 10, 0), 20);
	const t = data.totals;
	const title = o.title || 'Marketing summary';
	const blocks: Block[] = [
		{ type: 'header', text: { type: 'plain_text', text: truncate(`${title}: ${data.period.label}`, 150), emoji: true } },
		{ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(`${data.period.label} (${data.period.timeZone})`) }] },
	];
	const extraFields: string[] = [];
	if (data.newContacts !== undefined) extraFields.push(`*New contacts*\n${n(data.newContacts, o.locale)}`);
	if (data.revenue) {
		extraFields.push(
			`*Revenue*\n${formatMoney(data.revenue.amount, data.revenue.currency, o.locale)} from ${n(data.revenue.orders, o.locale)} order${data.revenue.orders === 1 ? '' : 's'}`,
		);
	}
	if (data.quiet) {
		blocks.push({
			type: 'section',
			text: {
				type: 'mrkdwn',
				text: ':sunrise: *Quiet day:* no email campaign was sent in this period. Nothing to report on opens and clicks.',
			},
		});
		if (extraFields.length) blocks.push({ type: 'section', fields: extraFields.map((text) => ({ type: 'mrkdwn', text })) });
	} else {
		const bounces = t.hardBounces + t.softBounces;
		blocks.push({
			type: 'section',
			fields: [
				`*Campaigns sent*\n${n(data.campaigns.length, o.locale)}`,
				`*Emails delivered*\n${n(t.delivered, o.locale)} of ${n(t.sent, o.locale)}`,
				`*Open rate*\n${formatPercent(t.uniqueViews, t.delivered)}`,
				`*Click rate*\n${formatPercent(t.uniqueClicks, t.delivered)}`,
				`*Unsubscribes*\n${n(t.unsubscriptions, o.locale)} (${formatPercent(t.unsubscriptions, t.delivered)})`,
				`*Bounces*\n${n(bounces, o.locale)} (${formatPercent(bounces, t.sent)})`,
				...extraFields,
			]
				.slice(0, 10)
				.map((text) => ({ type: 'mrkdwn', text })),
		});
		blocks.push({ type: 'divider' });
		const campaignSection = (c: CampaignRow): Block => {
			const s = c.stats;
			const line = s
				? `${n(s.sent, o.locale)} sent · ${formatPercent(s.uniqueViews, s.delivered ?? s.sent)} opened · ${formatPercent(s.uniqueClicks, s.delivered ?? s.sent)} clicked · ${n(s.unsubscriptions, o.locale)} unsubscribed · ${n((s.hardBounces ?? 0) + (s.softBounces ?? 0), o.locale)} bounced`
				: `_${c.statsNote ?? 'statistics unavailable'}_`;
			return {
				type: 'section',
				text: {
					type: 'mrkdwn',
					text: truncate(`*${escapeMrkdwn(c.name)}*${c.subject ? ` · ${escapeMrkdwn(c.subject)}` : ''}\n${line}`, 3000),
				},
				accessory: {
					type: 'button',
					text: { type: 'plain_text', text: 'View in Brevo', emoji: true },
					url: brevoCampaignUrl(c.id, { brevoAppUrl: appUrl }),
					action_id: `view_campaign_${c.id}`,
				},
			};
		};
		const notesFor = (listed: number): Block[] => {
			const rest = data.campaigns.length - listed;
			const notes = [
				rest > 0 ? `+${rest} more campaign${rest === 1 ? '' : 's'}` : undefined,
				data.campaignsWithoutStats
					? `${data.campaignsWithoutStats} campaign${data.campaignsWithoutStats === 1 ? ' has' : 's have'} no statistics any more (Brevo keeps them about 6 months) and ${data.campaignsWithoutStats === 1 ? 'is' : 'are'} not in the totals`
					: undefined,
			].filter(Boolean);
			return notes.length ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(notes.join(' · ')) }] }] : [];
		};
		// Slack refuses a message whose blocks carry more than about 13,000 characters in total (msg_blocks_too_long):
		// campaigns that would pass the budget are counted in "+N more" instead of listed.
		const sections = data.campaigns.slice(0, maxCampaigns).map(campaignSection);
		const tail = [...data.notes.map(noteBlock), actionsBlock(appUrl)];
		let listed = sections.length;
		while (listed > 0 && messageBlocksSize([...blocks, ...sections.slice(0, listed), ...notesFor(listed), ...tail]) > MESSAGE_BLOCKS_TEXT_BUDGET) listed--;
		blocks.push(...sections.slice(0, listed), ...notesFor(listed));
	}
	for (const note of data.notes) blocks.push(noteBlock(note));
	blocks.push(actionsBlock(appUrl));
	const text = data.quiet
		? `${title}: ${data.period.label}: quiet day, no campaign sent${data.newContacts !== undefined ? `; ${data.newContacts} new contacts` : ''}.`
		: `${title}: ${data.period.label}: ${data.campaigns.length} campaign${data.campaigns.length === 1 ? '' : 's'}, ${t.delivered} delivered, open rate ${formatPercent(t.uniqueViews, t.delivered)}, click rate ${formatPercent(t.uniqueClicks, t.delivered)}.`;
	return { text, blocks: blocks.slice(0, 50) };
}
