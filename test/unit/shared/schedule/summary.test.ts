import { validateBlocks } from '../../../../nodes/shared/slack/blocks';
import { campaignRowOf, renderSummary, resolvePeriod, summarize } from '../../../../nodes/shared/schedule/summary';
import { messageBlocksSize, MESSAGE_BLOCKS_TEXT_BUDGET } from '../../../../nodes/shared/slack/blocks';
import { ScheduleInputError } from '../../../../nodes/shared/schedule/when';

const now = new Date('2026-11-28T06:30:00Z');

describe('resolvePeriod', () => {
	it('yesterday is the whole previous local day', () => {
		const p = resolvePeriod({ kind: 'yesterday' }, 'America/New_York', now); // 01:30 local on the 28th
		expect(p.start.toISO()).toBe('2026-11-27T00:00:00.000-05:00');
		expect(p.end.toISO()).toBe('2026-11-28T00:00:00.000-05:00');
		expect(p.label).toBe('Yesterday, Fri 27 Nov 2026');
	});
	it('last 7 days are the seven full days before today', () => {
		const p = resolvePeriod({ kind: 'last7days' }, 'Europe/Paris', now);
		expect(p.start.toISODate()).toBe('2026-11-21');
		expect(p.end.toISODate()).toBe('2026-11-28');
	});
	it('a custom date-only end is inclusive; a week spanning DST keeps local midnight', () => {
		const p = resolvePeriod({ kind: 'custom', start: '2026-10-22', end: '2026-10-28' }, 'Europe/Paris', now);
		expect(p.start.toISO()).toBe('2026-10-22T00:00:00.000+02:00');
		expect(p.end.toISO()).toBe('2026-10-29T00:00:00.000+01:00');
	});
	it.each([
		[{ kind: 'custom', start: 'last tuesday', end: '2026-11-01' }, 'periodStart'],
		[{ kind: 'custom', start: '2026-11-05', end: '2026-11-01' }, 'periodEnd'],
	])('refuses %p naming the field', (input, field) => {
		expect(() => resolvePeriod(input as never, 'UTC', now)).toThrow(ScheduleInputError);
		try {
			resolvePeriod(input as never, 'UTC', now);
		} catch (e) {
			expect((e as ScheduleInputError).field).toBe(field);
		}
	});
	it('refuses an unknown time zone', () => {
		expect(() => resolvePeriod({ kind: 'yesterday' }, 'Europe/Atlantis', now)).toThrow(/not a time zone/);
	});
});

const stats = (sent: number, delivered: number, views: number, clicks: number, unsub = 1, hb = 1, sb = 2) => ({
	statistics: { globalStats: { sent, delivered, uniqueViews: views, uniqueClicks: clicks, unsubscriptions: unsub, hardBounces: hb, softBounces: sb } },
});

describe('summaries', () => {
	const period = resolvePeriod({ kind: 'yesterday' }, 'UTC', now);

	it('totals campaigns, leaves out campaigns whose stats Brevo dropped, and renders valid Block Kit', () => {
		const rows = [
			campaignRowOf({ id: 11, name: 'Black Friday', subject: 'Up to 50% off', sentDate: '2026-11-27T09:00:00Z', ...stats(1000, 980, 490, 98) }, now),
			campaignRowOf({ id: 12, name: 'Newsletter', sentDate: '2026-11-27T15:00:00Z', ...stats(200, 196, 49, 9) }, now),
			campaignRowOf({ id: 3, name: 'Old resend', sentDate: '2026-01-02T09:00:00Z', statistics: { globalStats: { sent: 0, delivered: 0 } } }, now),
		];
		expect(rows[2].stats).toBeUndefined();
		const data = summarize(period, rows, { newContacts: 42, revenue: { amount: 1234.5, currency: 'EUR', orders: 3, source: 'Brevo orders' } });
		expect(data.totals).toMatchObject({ sent: 1200, delivered: 1176, uniqueViews: 539, uniqueClicks: 107 });
		expect(data.campaignsWithoutStats).toBe(1);
		const msg = renderSummary(data);
		expect(() => validateBlocks(msg.blocks, 'message', msg.text)).not.toThrow();
		const all = JSON.stringify(msg.blocks);
		expect(all).toContain('45.8%'); // 539 / 1176
		expect(all).toContain('New contacts*\\n42');
		expect(all).toContain('€1,234.50');
		expect(all).toContain('/camp/report/11');
		expect(all).toMatch(/1 campaign has no statistics any more/);
		expect(msg.text).toMatch(/3 campaigns, 1176 delivered, open rate 45.8%/);
	});

	it('a period without campaigns is a friendly quiet-day digest, not an error', () => {
		const msg = renderSummary(summarize(period, [], { newContacts: 0 }));
		expect(JSON.stringify(msg.blocks)).toMatch(/Quiet day/);
		expect(msg.text).toMatch(/quiet day/);
		expect(() => validateBlocks(msg.blocks)).not.toThrow();
	});

	it('stays under 50 blocks with many campaigns', () => {
		const many = Array.from({ length: 150 }, (_, i) =>
			campaignRowOf({ id: i + 1, name: `C${i}`, sentDate: '2026-11-27T09:00:00Z', ...stats(10 + i, 10 + i, 5, 1) }, now),
		);
		const msg = renderSummary(summarize(period, many), { maxCampaigns: 20 });
		expect(msg.blocks.length).toBeLessThanOrEqual(50);
		expect(JSON.stringify(msg.blocks)).toContain('+130 more campaigns');
		expect(() => validateBlocks(msg.blocks)).not.toThrow();
	});

	it('lists only the campaigns that keep the message under Slack\'s total block text (msg_blocks_too_long), counting the rest', () => {
		// Brevo allows long campaign names and subjects; 20 of them at ~1,000 characters each would be ~20,000 characters
		const long = Array.from({ length: 20 }, (_, i) =>
			campaignRowOf({ id: i + 1, name: `Campaign ${i} `.padEnd(500, 'n'), subject: 'Subject '.padEnd(500, 's'), sentDate: '2026-11-27T09:00:00Z', ...stats(100 - i, 100 - i, 5, 1) }, now),
		);
		const msg = renderSummary(summarize(period, long), { maxCampaigns: 20 });
		expect(messageBlocksSize(msg.blocks)).toBeLessThanOrEqual(MESSAGE_BLOCKS_TEXT_BUDGET);
		expect(() => validateBlocks(msg.blocks, 'message', msg.text)).not.toThrow();
		const listed = msg.blocks.filter((b) => typeof b.accessory === 'object').length;
		expect(listed).toBeGreaterThan(5);
		expect(listed).toBeLessThan(20);
		expect(JSON.stringify(msg.blocks)).toContain(`+${20 - listed} more campaigns`);
	});
});
