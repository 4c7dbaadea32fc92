import { checkChannelWindow, checkPostAt, resolvePostAt, ScheduleInputError } from '../../../../nodes/shared/schedule/when';

const now = new Date('2026-03-27T10:00:00Z'); // Friday; Europe/Paris switches to CEST on Sunday 2026-03-29 02:00

function err(fn: () => unknown): ScheduleInputError {
	try {
		fn();
	} catch (e) {
		expect(e).toBeInstanceOf(ScheduleInputError);
		return e as ScheduleInputError;
	}
	throw new Error('expected a ScheduleInputError');
}

describe('resolvePostAt', () => {
	it('reads an exact local date-time in a zone', () => {
		const r = resolvePostAt({ kind: 'at', dateTime: '2026-03-30T09:00', timeZone: 'Europe/Paris' }, now);
		expect(new Date(r.postAt * 1000).toISOString()).toBe('2026-03-30T07:00:00.000Z'); // CEST, +02:00
		expect(r.local).toBe('2026-03-30T09:00:00+02:00');
	});

	it('honours an explicit offset and shows it in the zone', () => {
		const r = resolvePostAt({ kind: 'at', dateTime: '2026-03-30T09:00:00Z', timeZone: 'America/New_York' }, now);
		expect(r.postAt).toBe(Date.parse('2026-03-30T09:00:00Z') / 1000);
		expect(r.local).toBe('2026-03-30T05:00:00-04:00');
	});

	it('moves a time skipped by DST forward and says so', () => {
		const r = resolvePostAt({ kind: 'at', dateTime: '2026-03-29T02:30', timeZone: 'Europe/Paris' }, now);
		expect(r.local).toBe('2026-03-29T03:30:00+02:00');
		expect(r.note).toMatch(/does not exist/);
	});

	it('takes the first of a repeated autumn hour and says so', () => {
		const r = resolvePostAt({ kind: 'at', dateTime: '2026-10-25T02:30', timeZone: 'Europe/Paris' }, now);
		expect(r.local).toBe('2026-10-25T02:30:00+02:00');
		expect(r.note).toMatch(/twice/);
	});

	it('"in N hours" is elapsed time; "in N days" keeps the wall clock across DST', () => {
		expect(resolvePostAt({ kind: 'in', amount: 90, unit: 'minutes' }, now).postAt).toBe(now.getTime() / 1000 + 5400);
		expect(resolvePostAt({ kind: 'in', amount: 48, unit: 'hours' }, now).postAt).toBe(now.getTime() / 1000 + 48 * 3600);
		const days = resolvePostAt({ kind: 'in', amount: 3, unit: 'days', timeZone: 'Europe/Paris' }, now);
		expect(days.local).toBe('2026-03-30T11:00:00+02:00'); // 11:00 CET on Friday -> 11:00 CEST on Monday
		expect(days.postAt - now.getTime() / 1000).toBe(3 * 86400 - 3600);
	});

	it('finds the next weekday at a time in a zone, across DST', () => {
		const r = resolvePostAt({ kind: 'nextWeekday', weekday: 'monday', time: '09:00', timeZone: 'Europe/Paris' }, now);
		expect(r.local).toBe('2026-03-30T09:00:00+02:00');
		const sameDayLater = resolvePostAt({ kind: 'nextWeekday', weekday: 'friday', time: '12:00', timeZone: 'Europe/Paris' }, now);
		expect(sameDayLater.local).toBe('2026-03-27T12:00:00+01:00');
		const sameDayPassed = resolvePostAt({ kind: 'nextWeekday', weekday: 'friday', time: '08:00', timeZone: 'Europe/Paris' }, now);
		expect(sameDayPassed.local).toBe('2026-04-03T08:00:00+02:00');
	});

	it.each([
		[{ kind: 'at', dateTime: '2026-13-01T09:00', timeZone: 'Europe/Paris' }, 'dateTime', /not a date/],
		[{ kind: 'at', dateTime: '', timeZone: 'Europe/Paris' }, 'dateTime', /empty/],
		[{ kind: 'at', dateTime: '2026-12-01T09:00', timeZone: 'Mars/Olympus' }, 'timeZone', /not a time zone/],
		[{ kind: 'in', amount: -5, unit: 'minutes' }, 'amount', /positive/],
		[{ kind: 'nextWeekday', weekday: 'funday', time: '09:00', timeZone: 'UTC' }, 'weekday', /not a weekday/],
		[{ kind: 'nextWeekday', weekday: 'monday', time: '25:00', timeZone: 'UTC' }, 'time', /HH:MM/],
	])('refuses %p naming the field', (when, field, why) => {
		const e = err(() => resolvePostAt(when as never, now));
		expect(e.field).toBe(field);
		expect(e.message).toMatch(why);
	});
});

describe('checkPostAt', () => {
	const nowSec = now.getTime() / 1000;
	it('refuses the past and more than 120 days ahead', () => {
		expect(err(() => checkPostAt(nowSec - 1, nowSec)).message).toMatch(/in the past/);
		expect(err(() => checkPostAt(nowSec + 121 * 86400, nowSec)).message).toMatch(/120 days/);
		expect(() => checkPostAt(nowSec + 120 * 86400, nowSec)).not.toThrow();
	});
});

describe('checkChannelWindow', () => {
	const t = 1_800_000_000;
	it('allows the 30th message within 5 minutes and refuses the 31st', () => {
		const existing = Array.from({ length: 29 }, (_, i) => t + i * 10);
		expect(checkChannelWindow(existing, t + 100, '#sales')).toBe(30);
		const full = Array.from({ length: 30 }, (_, i) => t + i * 10);
		expect(err(() => checkChannelWindow(full, t + 100, '#sales')).message).toMatch(/#sales already has 30 messages/);
	});
	it('counts only messages within one 5-minute window', () => {
		const spread = Array.from({ length: 60 }, (_, i) => t + i * 60); // one a minute
		expect(checkChannelWindow(spread, t + 30, '#sales')).toBeLessThanOrEqual(6);
	});
});
