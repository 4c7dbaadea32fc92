/**
 * Scheduling without duplicates. The call goes out once (no client retries: a timeout or a 5xx may hide a message
 * Slack did schedule); after such an ambiguous failure, and a short wait for a request Slack may still be
 * processing, the channel's scheduled messages are listed and one with the same post_at and text counts as done.
 * Only when none is there is the call sent again, once. No n8n imports.
 */
import type { ChatScheduleMessageArguments } from '@slack/web-api';
import type { SlackClient, Sleep } from '../slack/gateway';

import { classifySlackError } from '../slack/errors';

const LOOKUP_DELAY_MS = 2000;

export async function scheduleOnce(
	sendClient: SlackClient,
	lookupClient: SlackClient,
	args: ChatScheduleMessageArguments,
	sleep: Sleep,
): Promise<{ scheduled_message_id?: string; post_at?: number; recovered?: boolean }> {
	for (let attempt = 0; ; attempt++) {
		const sent = await sendClient.chat.scheduleMessage(args).then(
			(res) => ({ ok: true as const, res }),
			(error: unknown) => ({ ok: false as const, error }),
		);
		if (sent.ok) return { scheduled_message_id: sent.res.scheduled_message_id, post_at: Number(sent.res.post_at) };
		const kind = classifySlackError(sent.error).kind;
		if (kind !== 'ambiguous' && kind !== 'retry') throw sent.error;
		// Give a request Slack is still processing time to land before looking for it.
		await sleep(LOOKUP_DELAY_MS);
		const found = await findScheduled(lookupClient, args.channel, Number(args.post_at), String((args as { text?: string }).text ?? ''));
		if (found) return { scheduled_message_id: found, post_at: Number(args.post_at), recovered: true };
		if (attempt >= 1) throw sent.error;
	}
}

async function findScheduled(client: SlackClient, channel: string, postAt: number, text: string): Promise<string | undefined> {
	let cursor: string | undefined;
	do {
		const res = await client.chat.scheduledMessages.list({ channel, limit: 100, cursor });
		const hit = (res.scheduled_messages ?? []).find((m) => Number(m.post_at) === postAt && (m.text ?? '') === text);
		if (hit?.id) return hit.id;
		cursor = res.response_metadata?.next_cursor || undefined;
	} while (cursor);
	return undefined;
}

