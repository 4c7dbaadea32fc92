/**
 * GET /emailCampaigns and /emailCampaigns/{id}. Statistics follow what the real API does
 * (sendinblue/APIv3-python-library#97 and the `statistics` parameter's description):
 * - the `statistics` object is always there; without `?statistics=` every counter is 0;
 * - `statistics=globalStats` fills globalStats, but only for events of the last 6 months: a campaign sent before
 *   that comes back with the same all-zero globalStats (the "empty" shape), to be read from the campaign report.
 * Every rule here has its source (doc page, OpenAPI path, SDK type, public issue) or `guess` in
 * test/emulators/CONTRACT.md, "Brevo REST rules and sources".
 */
import { fail } from '../errors';
import type { Route, RouteContext } from '../router';
import { type Campaign, emptyStats } from '../state';

const SIX_MONTHS_MS = 182.5 * 24 * 3600 * 1000;

function statistics(ctx: RouteContext, c: Campaign, which: string | undefined): Record<string, unknown> {
	const recent = !!c.sentDate && ctx.services.now() - Date.parse(c.sentDate) <= SIX_MONTHS_MS;
	const global = which === 'globalStats' && recent ? { ...c.stats } : emptyStats();
	return {
		globalStats: global,
		campaignStats:
			which === 'globalStats' && recent ? c.listIds.map((listId) => ({ listId, ...c.stats })) : [],
		mirrorClick: 0,
		remaining: 0,
		linksStats: {},
		statsByDomain: {},
		statsByDevice: {},
		statsByBrowser: {},
	};
}

function campaignView(ctx: RouteContext, c: Campaign, which: string | undefined, html: boolean): Record<string, unknown> {
	const view: Record<string, unknown> = {
		id: c.id,
		name: c.name,
		subject: c.subject,
		type: c.type,
		status: c.status,
		testSent: false,
		header: '[DEFAULT_HEADER]',
		footer: '[DEFAULT_FOOTER]',
		sender: { ...c.sender },
		replyTo: c.sender.email,
		toField: '',
		htmlContent: html ? `<html><body><h1>${c.subject}</h1></body></html>` : '',
		tag: c.tag ?? '',
		inlineImageActivation: false,
		mirrorActive: false,
		recurring: false,
		createdAt: c.createdAt,
		modifiedAt: c.modifiedAt,
		shareLink: `http://sh1.sendinblue.com/emulated${c.id}.html`,
		abTesting: false,
		recipients: { lists: [...c.listIds], exclusionLists: [] },
		statistics: statistics(ctx, c, which),
	};
	if (c.sentDate) view.sentDate = c.sentDate;
	if (c.scheduledAt) view.scheduledAt = c.scheduledAt;
	return view;
}

export const campaignRoutes: Route[] = [
	{
		method: 'GET',
		specPath: '/emailCampaigns',
		handler: (ctx) => {
			const p = ctx.params;
			const limit = (p.limit as number | undefined) ?? 50;
			const offset = (p.offset as number | undefined) ?? 0;
			const sort = (p.sort as string | undefined) ?? 'desc';
			if ((p.startDate === undefined) !== (p.endDate === undefined)) {
				throw fail.invalid('startDate and endDate must be passed together');
			}
			let start: number | undefined;
			let end: number | undefined;
			if (p.startDate !== undefined) {
				if (p.status !== undefined && p.status !== 'sent') {
					throw fail.invalid('startDate and endDate are only available with status sent');
				}
				start = Date.parse(String(p.startDate));
				end = Date.parse(String(p.endDate));
				if (Number.isNaN(start) || Number.isNaN(end)) throw fail.invalid('startDate / endDate must be UTC date-times');
				if (start > end) throw fail.invalid('startDate must be lower than or equal to endDate');
			}
			let all = [...ctx.state.campaigns.values()];
			if (p.type) all = all.filter((c) => c.type === p.type);
			if (p.status) {
				const status = p.status === 'inProcess' ? 'in_process' : p.status;
				all = all.filter((c) => c.status === status);
			}
			if (start !== undefined && end !== undefined) {
				all = all.filter((c) => c.sentDate && Date.parse(c.sentDate) >= start! && Date.parse(c.sentDate) <= end!);
			}
			all.sort((a, b) => {
				const d = Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id;
				return sort === 'asc' ? d : -d;
			});
			const html = p.excludeHtmlContent !== true;
			const campaigns = all.slice(offset, offset + limit).map((c) => campaignView(ctx, c, p.statistics as string, html));
			return { status: 200, body: { campaigns, count: all.length } };
		},
	},
	{
		method: 'GET',
		specPath: '/emailCampaigns/{campaignId}',
		handler: (ctx) => {
			const c = ctx.state.campaigns.get(ctx.params.campaignId as number);
			if (!c) throw fail.notFound('Campaign ID not found');
			return { status: 200, body: campaignView(ctx, c, ctx.params.statistics as string, true) };
		},
	},
];
