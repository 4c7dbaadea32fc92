/**
 * Delivery of chat.scheduleMessage messages. Each message is due at its post_at brought closer by the time scale
 * (scale 10: a message 60 s ahead posts after 6 s). Due messages are delivered lazily before every request and every
 * inspection, and by one unref'd timer (cleared on close) so an idle emulator posts them on time too.
 */
import type { SlackState } from './state';

export class Scheduler {
	private timer: NodeJS.Timeout | undefined;
	private closed = false;

	constructor(private readonly state: SlackState) {}

	/** Posts every due message; a message carrying metadata never posts (Slack's documented bug) and is marked dropped. */
	deliverDue(now = Date.now()): void {
		const due = [...this.state.scheduled.values()]
			.filter((s) => s.status === 'pending' && s.deliverAtMs <= now)
			.sort((a, b) => a.deliverAtMs - b.deliverAtMs || a.post_at - b.post_at);
		for (const s of due) {
			if (s.metadata) {
				s.status = 'dropped';
				continue;
			}
			const channel = this.state.channels.get(s.channel);
			if (!channel || channel.is_archived) {
				s.status = 'dropped';
				continue;
			}
			const token = this.state.tokens.get(s.tokenOwner) ?? this.state.tokens.get(this.state.botToken);
			if (!token) {
				s.status = 'dropped';
				continue;
			}
			const message = this.state.createMessage(s.channel, token, {
				text: s.text, blocks: s.blocks, attachments: s.attachments, thread_ts: s.thread_ts, reply_broadcast: s.reply_broadcast || undefined,
			}, now);
			s.status = 'posted';
			s.postedTs = message.ts;
		}
		this.arm(now);
	}

	/** (Re)sets the timer for the earliest pending message. */
	arm(now = Date.now()): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		if (this.closed) return;
		let next = Infinity;
		for (const s of this.state.scheduled.values()) if (s.status === 'pending' && s.deliverAtMs < next) next = s.deliverAtMs;
		if (next === Infinity) return;
		// setTimeout caps at ~24.8 days; a later message is re-armed when the timer fires
		const delay = Math.min(Math.max(0, next - now), 2 ** 31 - 1);
		this.timer = setTimeout(() => this.deliverDue(), delay);
		this.timer.unref();
	}

	close(): void {
		this.closed = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
	}
}
