/**
 * "Campaign sent" by polling `GET /v3/emailCampaigns?status=sent`: which campaigns are new since the last poll,
 * with a state small enough for workflow static data. No n8n imports: tested directly.
 *
 * Why a look-back window and not only a high-water mark: Brevo stamps `sentDate` when sending starts but lists a
 * campaign as `sent` only once sending ends, minutes (for big lists, hours) later. A campaign can thus appear
 * with a `sentDate` older than one already emitted. Each poll therefore asks for campaigns sent since
 * `highWater - LOOKBACK_MS` (never before activation) and remembers the ids emitted inside that window.
 */

/** How far before the newest emitted `sentDate` each poll looks again. */
export const LOOKBACK_MS = 6 * 3600_000;

export interface CampaignPollState {
	/** Activation time (ISO): campaigns sent earlier are history and never emitted. */
	floor: string;
	/** The newest `sentDate` emitted so far (ISO); `floor` until the first campaign. */
	highWater: string;
	/** Campaign id -> sentDate (ms) of campaigns emitted within the look-back window. */
	seen: Record<string, number>;
}

export interface SentCampaign {
	id: number;
	name?: string;
	subject?: string;
	sentDate?: string;
	tag?: string;
	shareLink?: string;
	recipients?: { lists?: number[]; exclusionLists?: number[] };
	statistics?: { globalStats?: Record<string, unknown> };
	[key: string]: unknown;
}

export function initialState(now: Date): CampaignPollState {
	return { floor: now.toISOString(), highWater: now.toISOString(), seen: {} };
}

export function isState(v: unknown): v is CampaignPollState {
	const s = v as CampaignPollState;
	return !!s && typeof s.floor === 'string' && typeof s.highWater === 'string' && typeof s.seen === 'object' && s.seen !== null;
}

/** The `startDate`/`endDate` window of the next list call. */
export function queryWindow(state: CampaignPollState, now: Date): { startDate: string; endDate: string } {
	const floor = Date.parse(state.floor);
	const start = Math.max(floor, Date.parse(state.highWater) - LOOKBACK_MS);
	return { startDate: new Date(start).toISOString(), endDate: now.toISOString() };
}

/**
 * Picks the campaigns to emit (oldest first) and the next state. `minAgeMs` holds back campaigns sent less than
 * that long ago (their statistics are still filling up); they are emitted by a later poll.
 */
export function selectNewCampaigns(
	state: CampaignPollState,
	campaigns: SentCampaign[],
	now: Date,
	minAgeMs = 0,
): { emit: SentCampaign[]; next: CampaignPollState } {
	const floor = Date.parse(state.floor);
	const emit: SentCampaign[] = [];
	for (const c of campaigns) {
		const sent = c.sentDate ? Date.parse(c.sentDate) : NaN;
		if (!Number.isFinite(sent) || sent < floor) continue;
		if (state.seen[String(c.id)] !== undefined) continue;
		if (now.getTime() - sent < minAgeMs) continue;
		if (emit.some((e) => e.id === c.id)) continue;
		emit.push(c);
	}
	emit.sort((a, b) => Date.parse(a.sentDate!) - Date.parse(b.sentDate!) || a.id - b.id);
	let highWater = Date.parse(state.highWater);
	const seen: Record<string, number> = { ...state.seen };
	for (const c of emit) {
		const sent = Date.parse(c.sentDate!);
		seen[String(c.id)] = sent;
		if (sent > highWater) highWater = sent;
	}
	for (const [id, sent] of Object.entries(seen)) if (sent < highWater - LOOKBACK_MS) delete seen[id];
	return { emit, next: { floor: state.floor, highWater: new Date(highWater).toISOString(), seen } };
}

/** The item for one sent campaign: the canonical event shape, with the campaign's global statistics. */
export function campaignItem(c: SentCampaign, receivedAt: Date): Record<string, unknown> {
	const raw: Record<string, unknown> = { ...c };
	delete raw.htmlContent; // excluded from the list call already; never carried into items
	const sent = c.sentDate ? Date.parse(c.sentDate) : NaN;
	return {
		event: 'campaign_sent',
		source: 'campaign_poll',
		occurredAt: Number.isFinite(sent) ? new Date(sent).toISOString() : null,
		receivedAt: receivedAt.toISOString(),
		contact: null,
		campaign: { id: c.id, name: c.name, subject: c.subject, sentDate: c.sentDate },
		statistics: c.statistics?.globalStats ?? {},
		order: null,
		ticket: null,
		lists: c.recipients?.lists ?? [],
		link: c.shareLink ?? null,
		tags: c.tag ? [c.tag] : [],
		raw,
	};
}

/** The most recently sent campaign (for manual "fetch test event" runs). */
export function latestSent(campaigns: SentCampaign[]): SentCampaign | undefined {
	let best: SentCampaign | undefined;
	for (const c of campaigns) {
		const t = c.sentDate ? Date.parse(c.sentDate) : NaN;
		if (!Number.isFinite(t)) continue;
		if (!best || t > Date.parse(best.sentDate!)) best = c;
	}
	return best;
}
