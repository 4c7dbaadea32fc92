/**
 * When a scheduled Slack message posts: the three ways users say it (an exact local date-time in a time zone,
 * "in N minutes/hours/days", "next Monday at 09:00" in a time zone), resolved to Slack's `post_at` (unix seconds),
 * and the checks Slack would otherwise answer with an error after the fact. Pure: no n8n imports.
 *
 * Daylight saving: wall-clock rules ("in 2 days", "next Monday 09:00", an exact local time) keep the wall-clock
 * time across a DST change; "in N hours/minutes" is elapsed time. A local time that does not exist (the hour
 * skipped in spring) moves forward by the gap, the way clocks do; an ambiguous one (the hour repeated in
 * autumn) takes the first occurrence. Both are reported in `note`.
 */
import { DateTime, IANAZone } from 'luxon';

export const MAX_DAYS_AHEAD = 120;
export const CHANNEL_WINDOW_SECONDS = 5 * 60;
export const CHANNEL_WINDOW_LIMIT = 30;

export class ScheduleInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'ScheduleInputError';
	}
}

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
export const WEEKDAYS: Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

export type When =
	| { kind: 'at'; dateTime: string; timeZone: string }
	| { kind: 'in'; amount: number; unit: 'minutes' | 'hours' | 'days'; timeZone?: string }
	| { kind: 'nextWeekday'; weekday: Weekday; time: string; timeZone: string };

export interface ResolvedTime {
	/** Slack's post_at: unix seconds. */
	postAt: number;
	/** ISO 8601 in the time zone used (UTC for "in N ..."). */
	local: string;
	timeZone: string;
	note?: string;
}

export function checkTimeZone(timeZone: string, field = 'timeZone'): string {
	const tz = (timeZone ?? '').trim();
	if (!tz) throw new ScheduleInputError(field, 'The time zone is empty. Use an IANA name such as Europe/Paris or America/New_York.');
	if (!IANAZone.isValidZone(tz)) {
		throw new ScheduleInputError(field, `"${tz}" is not a time zone n8n knows. Use an IANA name such as Europe/Paris, America/New_York or UTC.`);
	}
	return tz;
}

function parseClock(time: string, field: string): { hour: number; minute: number } {
	const m = /^(\d{1,2}):(\d{2})$/.exec((time ?? '').trim());
	if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
		throw new ScheduleInputError(field, `"${time}" is not a time of day. Use HH:MM on a 24-hour clock, e.g. 09:00 or 17:30.`);
	}
	return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** Builds a local wall-clock time in `zone`, noting DST gaps and overlaps. */
function localTime(
	zone: string,
	parts: { year: number; month: number; day: number; hour: number; minute: number; second?: number },
): { dt: DateTime; note?: string } {
	const dt = DateTime.fromObject({ ...parts, second: parts.second ?? 0, millisecond: 0 }, { zone });
	if (!dt.isValid) throw new ScheduleInputError('dateTime', `That date does not exist (${dt.invalidExplanation ?? dt.invalidReason}).`);
	const wanted = `${String(parts.hour).padStart(2, '0')}:${String(parts.minute).padStart(2, '0')}`;
	if (dt.toFormat('HH:mm') !== wanted) {
		return { dt, note: `${wanted} does not exist on ${dt.toISODate()} in ${zone} (clocks go forward); posting at ${dt.toFormat('HH:mm ZZZZ')}.` };
	}
	const earlier = dt.minus({ hours: 1 });
	const later = dt.plus({ hours: 1 });
	const first = earlier.toFormat('HH:mm') === wanted && earlier.offset !== dt.offset ? earlier : dt;
	if (first !== dt || (later.toFormat('HH:mm') === wanted && later.offset !== dt.offset)) {
		return { dt: first, note: `${wanted} happens twice on ${first.toISODate()} in ${zone} (clocks go back); posting at the first one (${first.toFormat('ZZZZ')}).` };
	}
	return { dt };
}

export function resolvePostAt(when: When, now: Date = new Date()): ResolvedTime {
	const nowDt = DateTime.fromJSDate(now);
	switch (when.kind) {
		case 'at': {
			const zone = checkTimeZone(when.timeZone);
			const raw = (when.dateTime ?? '').trim();
			if (!raw) throw new ScheduleInputError('dateTime', 'The date and time are empty. Use e.g. 2026-12-01T09:00 (local to the time zone).');
			const hasOffset = /([zZ]|[+-]\d{2}:?\d{2})$/.test(raw);
			// Without an offset, read the wall-clock fields in UTC (which has no DST gaps), then place them in the zone.
			const parsed = DateTime.fromISO(raw.replace(' ', 'T'), hasOffset ? { setZone: true } : { zone: 'UTC' });
			if (!parsed.isValid) {
				throw new ScheduleInputError('dateTime', `"${raw}" is not a date and time. Use ISO 8601, e.g. 2026-12-01T09:00 or 2026-12-01 09:00.`);
			}
			if (hasOffset) return done(parsed.setZone(zone), zone);
			const { dt, note } = localTime(zone, {
				year: parsed.year,
				month: parsed.month,
				day: parsed.day,
				hour: parsed.hour,
				minute: parsed.minute,
				second: parsed.second,
			});
			return done(dt, zone, note);
		}
		case 'in': {
			const amount = Number(when.amount);
			if (!Number.isFinite(amount) || amount <= 0) {
				throw new ScheduleInputError('amount', `"${when.amount}" is not a positive number of ${when.unit}.`);
			}
			if (when.unit === 'days') {
				// Calendar days in the zone: "in 1 day" at 09:00 Paris is 09:00 Paris tomorrow, even across a DST change.
				const zone = when.timeZone ? checkTimeZone(when.timeZone) : 'UTC';
				return done(nowDt.setZone(zone).plus({ days: amount }), zone);
			}
			if (when.unit !== 'minutes' && when.unit !== 'hours') throw new ScheduleInputError('unit', `Unknown unit "${when.unit}".`);
			return done(nowDt.toUTC().plus({ [when.unit]: amount }), 'UTC');
		}
		case 'nextWeekday': {
			const zone = checkTimeZone(when.timeZone);
			const index = WEEKDAYS.indexOf(String(when.weekday).toLowerCase() as Weekday);
			if (index < 0) throw new ScheduleInputError('weekday', `"${when.weekday}" is not a weekday. Use monday ... sunday.`);
			const { hour, minute } = parseClock(when.time, 'time');
			const today = nowDt.setZone(zone);
			for (let add = 0; add <= 7; add++) {
				const day = today.plus({ days: add });
				if (day.weekday !== index + 1) continue;
				const { dt, note } = localTime(zone, { year: day.year, month: day.month, day: day.day, hour, minute });
				if (dt.toMillis() > now.getTime()) return done(dt, zone, note);
			}
			throw new ScheduleInputError('weekday', 'Could not find the next occurrence.');
		}
		default:
			throw new ScheduleInputError('when', 'Unknown kind of time.');
	}
}

function done(dt: DateTime, timeZone: string, note?: string): ResolvedTime {
	return { postAt: Math.floor(dt.toSeconds()), local: dt.toISO({ suppressMilliseconds: true }) ?? '', timeZone, note };
}

/** Slack's own rules on post_at, checked before calling it. */
export function checkPostAt(postAt: number, nowSec: number): void {
	if (!Number.isFinite(postAt)) throw new ScheduleInputError('postAt', 'The time is not valid.');
	if (postAt <= nowSec) {
		throw new ScheduleInputError(
			'postAt',
			`The time ${new Date(postAt * 1000).toISOString()} is in the past (now ${new Date(nowSec * 1000).toISOString()}). Pick a time in the future.`,
		);
	}
	if (postAt > nowSec + MAX_DAYS_AHEAD * 86400) {
		throw new ScheduleInputError(
			'postAt',
			`The time ${new Date(postAt * 1000).toISOString()} is more than ${MAX_DAYS_AHEAD} days ahead; Slack schedules at most ${MAX_DAYS_AHEAD} days ahead.`,
		);
	}
}

/**
 * Slack refuses (`restricted_too_many`) more than 30 messages scheduled for one channel within 5 minutes.
 * Given the post_at values already scheduled for the channel, returns the busiest 5-minute window that would
 * contain the new message, or throws when it would hold more than 30.
 */
export function checkChannelWindow(existing: number[], postAt: number, channelLabel: string): number {
	const near = existing.filter((t) => Math.abs(t - postAt) < CHANNEL_WINDOW_SECONDS).sort((a, b) => a - b);
	let busiest = 1;
	for (const start of [postAt - CHANNEL_WINDOW_SECONDS + 1, ...near]) {
		if (start > postAt) continue;
		const end = start + CHANNEL_WINDOW_SECONDS;
		const count = near.filter((t) => t >= start && t < end).length + (postAt < end ? 1 : 0);
		busiest = Math.max(busiest, count);
	}
	if (busiest > CHANNEL_WINDOW_LIMIT) {
		throw new ScheduleInputError(
			'postAt',
			`${channelLabel} already has ${busiest - 1} messages scheduled within 5 minutes of ${new Date(postAt * 1000).toISOString()}; Slack allows ${CHANNEL_WINDOW_LIMIT} per channel per 5 minutes. Move this message to another time.`,
		);
	}
	return busiest;
}
