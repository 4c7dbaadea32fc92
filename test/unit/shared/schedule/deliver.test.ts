/**
 * scheduleOnce: recovery after an ambiguous failure accepts only a message this call created (new since the snapshot
 * taken before sending, created at/after the call's start), exactly one; several candidates are "delivery unknown".
 * A fake SlackClient: an in-memory list of scheduled messages, scheduleMessage scripted per attempt.
 */
import type { ChatScheduleMessageArguments } from '@slack/web-api';

import { scheduleOnce, ScheduleDeliveryUnknownError } from '../../../../nodes/shared/schedule/deliver';
import { SlackCallError, SlackErrorKind, type SlackClient } from '../../../../nodes/shared/slack/gateway';

interface Scheduled {
	id: string;
	channel_id: string;
	post_at: number;
	date_created: number;
	text: string;
}

const NOW_S = 1_900_000_000;
const POST_AT = NOW_S + 3600;
const args = { channel: 'C0SALES01', post_at: POST_AT, text: 'Webinar in 1 hour' } as ChatScheduleMessageArguments;

const timeout = () => Object.assign(new SlackCallError(SlackErrorKind.Request, 'timeout', 'chat.scheduleMessage'), { original: { code: 'ETIMEDOUT' } });
const http503 = () => Object.assign(new SlackCallError(SlackErrorKind.Http, 'HTTP 503', 'chat.scheduleMessage'), { statusCode: 503 });
const refused = () => Object.assign(new SlackCallError(SlackErrorKind.Platform, 'time_in_past', 'chat.scheduleMessage'), { data: { ok: false as const, error: 'time_in_past' } });

/**
 * `attempts[k]` says what the k-th scheduleMessage does: 'ok' (scheduled, answered), 'lost' (scheduled, answer lost
 * to a timeout), 'fail' (not scheduled, timeout), 'refuse' (Slack's ok:false), '503' (not scheduled, HTTP 503).
 * `meanwhile` runs between the call and the lookup (another run scheduling something).
 */
function fakeSlack(o: { existing?: Scheduled[]; attempts: Array<'ok' | 'lost' | 'fail' | 'refuse' | '503'>; meanwhile?: (list: Scheduled[]) => void; listFails?: boolean }) {
	const list: Scheduled[] = [...(o.existing ?? [])];
	const calls: string[] = [];
	let n = 0;
	let seq = 0;
	const add = (a: ChatScheduleMessageArguments) => {
		const m = { id: `Q${++seq}NEW`, channel_id: a.channel, post_at: Number(a.post_at), date_created: NOW_S, text: String((a as { text?: string }).text) };
		list.push(m);
		return m;
	};
	const client = {
		chat: {
			scheduleMessage: async (a: ChatScheduleMessageArguments) => {
				calls.push('schedule');
				const what = o.attempts[n++] ?? 'fail';
				if (what === 'refuse') throw refused();
				if (what === '503') throw http503();
				if (what === 'fail') {
					o.meanwhile?.(list);
					throw timeout();
				}
				const m = add(a);
				if (what === 'lost') {
					o.meanwhile?.(list);
					throw timeout();
				}
				return { ok: true, scheduled_message_id: m.id, post_at: m.post_at, channel: a.channel };
			},
			scheduledMessages: {
				list: async (q: { channel?: string; oldest?: string; latest?: string; limit?: number; cursor?: string }) => {
					calls.push('list');
					if (o.listFails) throw Object.assign(new SlackCallError(SlackErrorKind.Platform, 'missing_scope', 'chat.scheduledMessages.list'), { data: { ok: false as const, error: 'missing_scope' } });
					const hits = list.filter((m) => m.channel_id === q.channel && (q.oldest === undefined || m.post_at >= Number(q.oldest)) && (q.latest === undefined || m.post_at <= Number(q.latest)));
					// two pages of at most 1, to exercise the cursor
					const start = Number(q.cursor ?? 0);
					const page = hits.slice(start, start + 1);
					return { ok: true, scheduled_messages: page, response_metadata: { next_cursor: start + 1 < hits.length ? String(start + 1) : '' } };
				},
			},
		},
	} as unknown as SlackClient;
	return { client, list, calls };
}

const sleeps: number[] = [];
const sleep = async (ms: number) => {
	sleeps.push(ms);
};
const clock = () => NOW_S * 1000;
const other = (id: string, over: Partial<Scheduled> = {}): Scheduled => ({ id, channel_id: 'C0SALES01', post_at: POST_AT, date_created: NOW_S - 600, text: 'Webinar in 1 hour', ...over });

beforeEach(() => {
	sleeps.length = 0;
});

describe('scheduleOnce', () => {
	it('answered: the id Slack gave, no lookup after the call', async () => {
		const f = fakeSlack({ attempts: ['ok'] });
		const r = await scheduleOnce(f.client, f.client, args, sleep, clock);
		expect(r).toEqual({ scheduled_message_id: 'Q1NEW', post_at: POST_AT });
		expect(f.calls).toEqual(['list', 'schedule']);
	});

	it('answer lost, message landed: recovered as the one new message (an older identical one from another run is not taken)', async () => {
		const f = fakeSlack({ existing: [other('QOLDRUN'), other('QOTHERCH', { channel_id: 'C0MKT0001' })], attempts: ['lost'] });
		const r = await scheduleOnce(f.client, f.client, args, sleep, clock);
		expect(r).toEqual({ scheduled_message_id: 'Q1NEW', post_at: POST_AT, recovered: true });
		expect(f.list.filter((m) => m.channel_id === 'C0SALES01')).toHaveLength(2); // not sent again
		expect(sleeps).toEqual([2000]);
	});

	it('an identical message from another run that existed before the call is never reported as ours: sent again', async () => {
		const f = fakeSlack({ existing: [other('QOLDRUN', { date_created: NOW_S + 5 })], attempts: ['fail', 'ok'] });
		const r = await scheduleOnce(f.client, f.client, args, sleep, clock);
		expect(r).toEqual({ scheduled_message_id: 'Q1NEW', post_at: POST_AT });
		expect(r.recovered).toBeUndefined();
		expect(f.calls.filter((c) => c === 'schedule')).toHaveLength(2);
	});

	it('a new identical message created before the call started (a stale copy the snapshot missed) is not ours', async () => {
		const f = fakeSlack({
			attempts: ['fail', 'ok'],
			meanwhile: (list) => list.push(other('QSTALE', { date_created: NOW_S - 3600 })),
		});
		const r = await scheduleOnce(f.client, f.client, args, sleep, clock);
		expect(r.recovered).toBeUndefined();
		expect(r.scheduled_message_id).toBe('Q1NEW');
	});

	it('our message and another run\'s identical one both new: delivery unknown, nothing sent again', async () => {
		const f = fakeSlack({ attempts: ['lost'], meanwhile: (list) => list.push(other('QRACE', { date_created: NOW_S + 1 })) });
		const e = await scheduleOnce(f.client, f.client, args, sleep, clock).then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(e).toBeInstanceOf(ScheduleDeliveryUnknownError);
		expect((e as Error).message).toBe('Delivery unknown: Slack did not confirm the scheduled message, and 2 new scheduled messages with the same time and text are in C0SALES01');
		expect((e as ScheduleDeliveryUnknownError).description).toContain('Q1NEW, QRACE');
		expect((e as ScheduleDeliveryUnknownError).description).toContain('Delete Scheduled Message');
		expect(f.calls.filter((c) => c === 'schedule')).toHaveLength(1);
	});

	it('residual window (documented): another run\'s identical message appearing between snapshot and lookup while ours did not land is taken for ours', async () => {
		const f = fakeSlack({ attempts: ['fail'], meanwhile: (list) => list.push(other('QRACE', { date_created: NOW_S + 1 })) });
		const r = await scheduleOnce(f.client, f.client, args, sleep, clock);
		expect(r).toEqual({ scheduled_message_id: 'QRACE', post_at: POST_AT, recovered: true });
	});

	it('a different text or time at the same moment is not a candidate', async () => {
		const f = fakeSlack({
			attempts: ['fail', 'ok'],
			meanwhile: (list) => list.push(other('QTEXT', { text: 'Webinar in 2 hours', date_created: NOW_S }), other('QTIME', { post_at: POST_AT + 60, date_created: NOW_S })),
		});
		const r = await scheduleOnce(f.client, f.client, args, sleep, clock);
		expect(r).toEqual({ scheduled_message_id: 'Q1NEW', post_at: POST_AT });
	});

	it('nothing found twice: the original error, after exactly two sends', async () => {
		const f = fakeSlack({ attempts: ['fail', '503'] });
		await expect(scheduleOnce(f.client, f.client, args, sleep, clock)).rejects.toMatchObject({ statusCode: 503 });
		expect(f.calls).toEqual(['list', 'schedule', 'list', 'schedule', 'list']);
	});

	it('the retry landing with its answer lost is recovered on the second lookup', async () => {
		const f = fakeSlack({ attempts: ['fail', 'lost'] });
		const r = await scheduleOnce(f.client, f.client, args, sleep, clock);
		expect(r).toEqual({ scheduled_message_id: 'Q1NEW', post_at: POST_AT, recovered: true });
	});

	it('Slack refusals (ok:false) are thrown at once, no lookup', async () => {
		const f = fakeSlack({ attempts: ['refuse'] });
		await expect(scheduleOnce(f.client, f.client, args, sleep, clock)).rejects.toMatchObject({ data: { error: 'time_in_past' } });
		expect(f.calls).toEqual(['list', 'schedule']);
	});

	it('no snapshot (listing refused): scheduled anyway; an ambiguous failure is then reported, never re-sent', async () => {
		const ok = fakeSlack({ attempts: ['ok'], listFails: true });
		expect((await scheduleOnce(ok.client, ok.client, args, sleep, clock)).scheduled_message_id).toBe('Q1NEW');
		const lost = fakeSlack({ attempts: ['lost'], listFails: true });
		await expect(scheduleOnce(lost.client, lost.client, args, sleep, clock)).rejects.toMatchObject({ original: { code: 'ETIMEDOUT' } });
		expect(lost.calls.filter((c) => c === 'schedule')).toHaveLength(1);
	});
});
