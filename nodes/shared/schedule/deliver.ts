/**
 * Scheduling without duplicates. The call goes out once (no client retries: a timeout or a 5xx may hide a message
 * Slack did schedule); after such an ambiguous failure, and a short wait for a request Slack may still be
 * processing, the channel's scheduled messages are listed and one with the same post_at and text counts as done.
 * Only when none is there is the call sent again, once. No n8n imports.
 */
import type { ChatScheduleMessageArguments, WebClient } from '@slack/web-api';

import { classifySlackError } from '../slack/errors';

const LOOKUP_DELAY_MS = 2000;

export async function scheduleOnce(
	sendClient: WebClient,
	lookupClient: WebClient,
	args: ChatScheduleMessageArguments,
): Promise<{ scheduled_message_id?: string; post_at?: number; recovered?: boolean }> {
	for (let attempt = 0; ; attempt++) {
		try {
			const res = await sendClient.chat.scheduleMessage(args);
			return { scheduled_message_id: res.scheduled_message_id, post_at: Number(res.post_at) };
		} catch (error) {
			if (classifySlackError(error).kind !== 'ambiguous' && classifySlackError(error).kind !== 'retry') throw error;
			// Give a request Slack is still processing time to land before looking for it.
			await new Promise((resolve) => setTimeout(resolve, LOOKUP_DELAY_MS));
			const found = await findScheduled(lookupClient, args.channel, Number(args.post_at), String((args as { text?: string }).text ?? ''));
			if (found) return { scheduled_message_id: found, post_at: Number(args.post_at), recovered: true };
			if (attempt >= 1) throw error;
		}
	}
}

async function findScheduled(client: WebClient, channel: string, postAt: number, text: string): Promise<string | undefined> {
	let cursor: string | undefined;
	do {
		const res = await client.chat.scheduledMessages.list({ channel, limit: 100, cursor });
		const hit = (res.scheduled_messages ?? []).find((m) => Number(m.post_at) === postAt && (m.text ?? '') === text);
		if (hit?.id) return hit.id;
		cursor = res.response_metadata?.next_cursor || undefined;
	} while (cursor);
	return undefined;
}

