/**
 * Scheduling without duplicates and without false recovery. The call goes out once (no client retries: a timeout or
 * a 5xx may hide a message Slack did schedule). Before it goes out, the channel's scheduled messages with the same
 * post_at and text are noted (a snapshot of their ids). After an ambiguous failure, and a short wait for a request
 * Slack may still be processing, the list is read again and only a message that is NEW (not in the snapshot) and
 * created at or after this call started (`date_created`) can be this call's:
 * - exactly one such message: it is ours (recovered, not sent again);
 * - none: the call is sent again, once (then, still none: the original error);
 * - more than one: which is ours cannot be told (scheduled messages carry no metadata): "delivery unknown".
 *
 * Residual window: another run scheduling the very same text for the very same post_at in the same channel between
 * our snapshot and our lookup (a few seconds) while our own call did NOT land looks exactly like our message, and is
 * taken for it. Slack offers nothing to tell them apart: scheduled messages cannot carry metadata, and the list gives
 * only id, channel_id, post_at, date_created and text.
 * No n8n imports.
 */
import type { ChatScheduleMessageArguments } from '@slack/web-api';
import type { SlackClient, Sleep } from '../slack/gateway';

import { classifySlackError } from '../slack/errors';

const LOOKUP_DELAY_MS = 2000;
/** Slack's clock (`date_created`) and this host's may differ by a little; the snapshot excludes older messages anyway. */
const CLOCK_SKEW_S = 30;

/** Slack did not confirm, and the channel shows several candidates: the user must look (nothing is sent again). */
export class ScheduleDeliveryUnknownError extends Error {
	readonly description: string;
	constructor(
		readonly channel: string,
		readonly candidates: string[],
	) {
		super(`Delivery unknown: Slack did not confirm the scheduled message, and ${candidates.length} new scheduled messages with the same time and text are in ${channel}`);
		this.name = 'ScheduleDeliveryUnknownError';
		this.description =
			`Another run or item scheduled the same text for the same time meanwhile, so which one is this item's cannot be told (ids: ${candidates.join(', ')}). ` +
			'Open List Scheduled Messages for the channel, keep one, and remove the extra ones with Delete Scheduled Message. This item was not sent again.';
	}
}

export interface ScheduleOnceResult {
	scheduled_message_id?: string;
	post_at?: number;
	recovered?: boolean;
}

export async function scheduleOnce(
	sendClient: SlackClient,
	lookupClient: SlackClient,
	args: ChatScheduleMessageArguments,
	sleep: Sleep,
	now: () => number = Date.now,
): Promise<ScheduleOnceResult> {
	const postAt = Number(args.post_at);
	const text = String((args as { text?: string }).text ?? '');
	const startedAt = Math.floor(now() / 1000);
	let before: Set<string> | undefined;
	for (let attempt = 0; ; attempt++) {
		if (attempt === 0) {
			// A failed snapshot must not stop the scheduling: without it, recovery is simply not attempted.
			before = await matching(lookupClient, args.channel, postAt, text).then(
				(list) => new Set(list.map((m) => m.id)),
				() => undefined,
			);
		}
		const sent = await sendClient.chat.scheduleMessage(args).then(
			(res) => ({ ok: true as const, res }),
			(error: unknown) => ({ ok: false as const, error }),
		);
		if (sent.ok) return { scheduled_message_id: sent.res.scheduled_message_id, post_at: Number(sent.res.post_at) };
		const kind = classifySlackError(sent.error).kind;
		if (kind !== 'ambiguous' && kind !== 'retry') throw sent.error;
		// Without a snapshot, nothing found could be told from another run's message: re-sending could duplicate.
		if (!before) throw sent.error;
		// Give a request Slack is still processing time to land before looking for it.
		await sleep(LOOKUP_DELAY_MS);
		const fresh = (await matching(lookupClient, args.channel, postAt, text)).filter(
			(m) => !before!.has(m.id) && (m.dateCreated === undefined || m.dateCreated >= startedAt - CLOCK_SKEW_S),
		);
		if (fresh.length === 1) return { scheduled_message_id: fresh[0].id, post_at: postAt, recovered: true };
		if (fresh.length > 1) throw new ScheduleDeliveryUnknownError(args.channel, fresh.map((m) => m.id));
		if (attempt >= 1) throw sent.error;
	}
}

/** The channel's scheduled messages with this post_at and text (all pages). */
async function matching(client: SlackClient, channel: string, postAt: number, text: string): Promise<Array<{ id: string; dateCreated?: number }>> {
	const out: Array<{ id: string; dateCreated?: number }> = [];
	let cursor: string | undefined;
	do {
		// A window around post_at (Slack does not document whether the bounds are inclusive): filtered exactly below.
		const res = await client.chat.scheduledMessages.list({ channel, oldest: String(postAt - 1), latest: String(postAt + 1), limit: 100, cursor });
		for (const m of res.scheduled_messages ?? []) {
			if (!m.id || Number(m.post_at) !== postAt || (m.text ?? '') !== text) continue;
			out.push({ id: m.id, dateCreated: typeof m.date_created === 'number' ? m.date_created : undefined });
		}
		cursor = res.response_metadata?.next_cursor || undefined;
	} while (cursor);
	return out;
}
