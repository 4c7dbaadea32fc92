/**
 * Brevo Campaign Trigger (campaign_sent by polling) through n8n-core's PollContext against the Brevo emulator,
 * plus the pure selection logic.
 */
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import { runPoll } from '../harness';
import { BrevoCampaignTrigger } from '../../nodes/BrevoCampaignTrigger/BrevoCampaignTrigger.node';
import { LOOKBACK_MS, queryWindow, selectNewCampaigns, type CampaignPollState } from '../../nodes/BrevoCampaignTrigger/campaigns';

const NODE = 'node:Brevo Campaign Trigger';
let brevo: BrevoEmulator;

beforeAll(async () => {
	brevo = await startBrevoEmulator();
});
afterAll(async () => {
	await brevo.close();
});
beforeEach(() => brevo.reset());

const creds = () => ({ slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl } });
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const state = (floorAgoMs: number, extra: Partial<CampaignPollState> = {}) => ({
	[NODE]: { campaignPoll: { floor: ago(floorAgoMs), highWater: ago(floorAgoMs), seen: {}, ...extra } },
});
const poll = (staticData: object, o: { mode?: 'trigger' | 'manual'; options?: object } = {}) =>
	runPoll(BrevoCampaignTrigger, { credentials: creds(), staticData: staticData as never, mode: o.mode, parameters: { options: o.options ?? {} } as never });
const campaignCalls = () => brevo.requests({ method: 'GET', path: '/v3/emailCampaigns' });

describe('polling sent campaigns', () => {
	it('the first poll after activation emits no history, only notes the time', async () => {
		brevo.addCampaign({ name: 'Old news', status: 'sent', sentDate: ago(3600_000) });
		const first = await poll({});
		expect(first.data).toBeNull();
		expect(first.staticData[NODE]).toEqual({ campaignPoll: { floor: expect.any(String), highWater: expect.any(String), seen: {} } });
		expect(campaignCalls()).toHaveLength(0);
		const second = await poll(first.staticData);
		expect(second.data).toBeNull();
	});

	it('emits each newly sent campaign once, with its global statistics, in one list call per poll', async () => {
		brevo.addCampaign({ name: 'Before activation', status: 'sent', sentDate: ago(3 * 3600_000) });
		const { id } = brevo.addCampaign({ name: 'Black Friday', subject: 'Deals', status: 'sent', sentDate: ago(30 * 60_000), listIds: [2], tag: 'promo', stats: { sent: 1000, delivered: 990, uniqueViews: 400, uniqueClicks: 120, unsubscriptions: 3 } });
		brevo.addCampaign({ name: 'Draft', status: 'draft' });
		const p1 = await poll(state(3600_000));
		expect(p1.emitted).toEqual([
			expect.objectContaining({
				event: 'campaign_sent',
				source: 'campaign_poll',
				campaign: expect.objectContaining({ id, name: 'Black Friday', subject: 'Deals' }),
				statistics: expect.objectContaining({ sent: 1000, delivered: 990, uniqueViews: 400, uniqueClicks: 120, unsubscriptions: 3 }),
				lists: [2],
				tags: ['promo'],
			}),
		]);
		expect(p1.emitted[0].occurredAt).toBe(new Date(brevo.campaigns().find((c) => c.id === id)!.sentDate!).toISOString());
		expect((p1.emitted[0].raw as Record<string, unknown>).htmlContent).toBeUndefined();
		const calls = campaignCalls();
		expect(calls).toHaveLength(1);
		expect(calls[0].query).toMatchObject({ status: 'sent', statistics: 'globalStats', limit: '100', offset: '0', startDate: expect.any(String), endDate: expect.any(String) });
		const p2 = await poll(p1.staticData);
		expect(p2.data).toBeNull();
		expect(campaignCalls()).toHaveLength(2);
	});

	it('a big campaign that is listed as sent later, with an older sentDate, is still emitted once', async () => {
		const start = state(2 * 3600_000);
		brevo.addCampaign({ name: 'Small', status: 'sent', sentDate: ago(10 * 60_000) });
		const p1 = await poll(start);
		expect(p1.emitted.map((e) => (e.campaign as { name: string }).name)).toEqual(['Small']);
		brevo.addCampaign({ name: 'Big, finished late', status: 'sent', sentDate: ago(60 * 60_000) });
		const p2 = await poll(p1.staticData);
		expect(p2.emitted.map((e) => (e.campaign as { name: string }).name)).toEqual(['Big, finished late']);
		const p3 = await poll(p2.staticData);
		expect(p3.data).toBeNull();
	});

	it('pages through more than 100 new campaigns, oldest first, each once', async () => {
		for (let i = 0; i < 150; i++) brevo.addCampaign({ name: `C${i}`, status: 'sent', sentDate: ago((200 - i) * 1000) });
		const p1 = await poll(state(3600_000));
		expect(p1.emitted).toHaveLength(150);
		expect(p1.emitted[0].campaign).toMatchObject({ name: 'C0' });
		expect(p1.emitted[149].campaign).toMatchObject({ name: 'C149' });
		expect(campaignCalls().map((c) => c.query.offset)).toEqual(['0', '100']);
		const seen = (p1.staticData[NODE] as { campaignPoll: CampaignPollState }).campaignPoll.seen;
		expect(Object.keys(seen)).toHaveLength(150);
		const p2 = await poll(p1.staticData);
		expect(p2.data).toBeNull();
	});

	it('a minimum age holds young campaigns back until a later poll', async () => {
		brevo.addCampaign({ name: 'Just sent', status: 'sent', sentDate: ago(60_000) });
		brevo.addCampaign({ name: 'Mature', status: 'sent', sentDate: ago(20 * 60_000) });
		const p1 = await poll(state(3600_000), { options: { minAgeMinutes: 10 } });
		expect(p1.emitted.map((e) => (e.campaign as { name: string }).name)).toEqual(['Mature']);
		const p2 = await poll(p1.staticData, { options: { minAgeMinutes: 0 } });
		expect(p2.emitted.map((e) => (e.campaign as { name: string }).name)).toEqual(['Just sent']);
	});

	it('manual runs return the latest sent campaign without touching the saved state', async () => {
		brevo.addCampaign({ name: 'Older', status: 'sent', sentDate: ago(48 * 3600_000) });
		brevo.addCampaign({ name: 'Latest', status: 'sent', sentDate: ago(24 * 3600_000) });
		const saved = state(3600_000);
		const manual = await poll(saved, { mode: 'manual' });
		expect(manual.emitted.map((e) => (e.campaign as { name: string }).name)).toEqual(['Latest']);
		expect(manual.staticDataChanged).toBe(false);
	});

	it('Brevo errors are reported as NodeApiError, not swallowed', async () => {
		brevo.injectFault({ path: '/emailCampaigns', status: 401, code: 'unauthorized', message: 'Key not found' });
		await expect(poll(state(3600_000))).rejects.toMatchObject({ message: expect.stringMatching(/unauthorized while listing sent email campaigns/) });
	});
});

describe('selectNewCampaigns', () => {
	const now = new Date('2026-06-01T12:00:00Z');
	const s: CampaignPollState = { floor: '2026-06-01T00:00:00.000Z', highWater: '2026-06-01T10:00:00.000Z', seen: { '1': Date.parse('2026-06-01T10:00:00Z') } };

	it('skips history, seen ids and campaigns without a sentDate; advances the high-water mark; prunes old ids', () => {
		const { emit, next } = selectNewCampaigns(s, [
			{ id: 1, sentDate: '2026-06-01T10:00:00Z' },
			{ id: 2, sentDate: '2026-05-31T23:59:59Z' },
			{ id: 3, sentDate: '2026-06-01T11:30:00Z' },
			{ id: 4 },
			{ id: 5, sentDate: '2026-06-01T10:00:00Z' },
		], now);
		expect(emit.map((c) => c.id)).toEqual([5, 3]);
		expect(next.highWater).toBe('2026-06-01T11:30:00.000Z');
		expect(Object.keys(next.seen).sort()).toEqual(['1', '3', '5']);
		const later = selectNewCampaigns({ ...next, highWater: new Date(Date.parse(next.highWater) + LOOKBACK_MS + 1).toISOString() }, [], now);
		expect(later.next.seen).toEqual({});
	});

	it('queries from the high-water mark minus the look-back, never before activation', () => {
		expect(queryWindow(s, now)).toEqual({ startDate: '2026-06-01T04:00:00.000Z', endDate: '2026-06-01T12:00:00.000Z' });
		expect(queryWindow({ ...s, highWater: '2026-06-01T01:00:00.000Z' }, now).startDate).toBe('2026-06-01T00:00:00.000Z');
	});
});
