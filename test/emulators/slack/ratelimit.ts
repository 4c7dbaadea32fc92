/**
 * Slack's rate limits: per method tier, per token, per (time-scaled) minute; chat.postMessage is special: about one
 * message per second per channel with a short burst allowance, plus a workspace-wide cap per minute.
 */

export type Tier = 1 | 2 | 3 | 4 | 'postMessage' | 'none';

/** Each method page's "Rate limits" fact (docs.slack.dev/reference/methods/*); java-slack-sdk MethodsRateLimits.java. */
export const METHOD_TIERS: Record<string, Tier> = {
	'auth.test': 4,
	'chat.postMessage': 'postMessage',
	'chat.postEphemeral': 4,
	'chat.update': 3,
	'chat.delete': 3,
	'chat.scheduleMessage': 3,
	'chat.scheduledMessages.list': 3,
	'chat.deleteScheduledMessage': 3,
	'chat.unfurl': 3,
	'conversations.list': 2,
	'conversations.info': 3,
	'conversations.members': 4,
	'conversations.history': 3,
	'conversations.replies': 3,
	'conversations.join': 3,
	'users.list': 2,
	'users.info': 4,
	'users.lookupByEmail': 3,
	'users.conversations': 2,
	'views.open': 4,
	'views.update': 4,
	'views.push': 4,
	'reactions.add': 3,
	'oauth.v2.access': 4,
};

export interface RateLimitConfig {
	perMinute: Record<1 | 2 | 3 | 4, number>;
	/** chat.postMessage per channel: sustained messages per second and the burst a channel may absorb at once. */
	postMessagePerSecond: number;
	postMessageBurst: number;
	/** chat.postMessage across all channels of a workspace, per minute. */
	postMessageWorkspacePerMinute: number;
	/** per-method tier overrides (e.g. conversations.history at Tier 1 for non-Marketplace apps). */
	tierOverrides: Record<string, Tier>;
}

/**
 * docs.slack.dev/apis/web-api/rate-limits: Tier 1 1+, Tier 2 20+, Tier 3 50+, Tier 4 100+ per minute, "per API method
 * per workspace/team per app"; posting "1 per second, short bursts >1 allowed" plus a workspace-wide limit. The burst of
 * 4 and the 600 a minute per workspace are guesses.
 */
export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
	perMinute: { 1: 1, 2: 20, 3: 50, 4: 100 },
	postMessagePerSecond: 1,
	postMessageBurst: 4,
	postMessageWorkspacePerMinute: 600,
	tierOverrides: {},
};

/** Outcome of a check: allowed, or refused with the seconds to wait (integer, rounded up, at least 1). */
export type RateDecision = { allowed: true } | { allowed: false; retryAfter: number };

class SlidingWindow {
	private hits: number[] = [];

	constructor(private readonly limit: number, private readonly windowMs: number) {}

	check(now: number): number {
		const from = now - this.windowMs;
		let drop = 0;
		while (drop < this.hits.length && this.hits[drop] <= from) drop++;
		if (drop) this.hits.splice(0, drop);
		if (this.hits.length < this.limit) return 0;
		return this.hits[0] + this.windowMs - now;
	}

	take(now: number): void {
		this.hits.push(now);
	}
}

class TokenBucket {
	private tokens: number;
	private updated: number;

	constructor(private readonly capacity: number, private readonly msPerToken: number, now: number) {
		this.tokens = capacity;
		this.updated = now;
	}

	check(now: number): number {
		this.tokens = Math.min(this.capacity, this.tokens + (now - this.updated) / this.msPerToken);
		this.updated = now;
		if (this.tokens >= 1) return 0;
		return (1 - this.tokens) * this.msPerToken;
	}

	take(): void {
		this.tokens -= 1;
	}
}

export class RateLimiter {
	private windows = new Map<string, SlidingWindow>();
	private buckets = new Map<string, TokenBucket>();
	config: RateLimitConfig = structuredClone(DEFAULT_RATE_LIMITS);

	constructor(private scale: () => number) {}

	reset(): void {
		this.windows.clear();
		this.buckets.clear();
	}

	/** Time scale changed: windows restart with the new length. */
	rescale(): void {
		this.reset();
	}

	/** Checks and, when allowed, counts the call. `channel` matters only for chat.postMessage. */
	hit(method: string, token: string, channel: string | undefined, now = Date.now()): RateDecision {
		const tier = this.config.tierOverrides[method] ?? METHOD_TIERS[method] ?? 3;
		if (tier === 'none') return { allowed: true };
		const minute = 60_000 / this.scale();
		if (tier === 'postMessage') {
			const workspace = this.window(`ws:${token}`, this.config.postMessageWorkspacePerMinute, minute);
			let wait = workspace.check(now);
			let bucket: TokenBucket | undefined;
			if (channel) {
				const key = `ch:${token}:${channel}`;
				bucket = this.buckets.get(key);
				if (!bucket) {
					bucket = new TokenBucket(this.config.postMessageBurst, 1000 / this.config.postMessagePerSecond / this.scale(), now);
					this.buckets.set(key, bucket);
				}
				wait = Math.max(wait, bucket.check(now));
			}
			if (wait > 0) return refused(wait);
			workspace.take(now);
			bucket?.take();
			return { allowed: true };
		}
		const w = this.window(`${method}:${token}`, this.config.perMinute[tier], minute);
		const wait = w.check(now);
		if (wait > 0) return refused(wait);
		w.take(now);
		return { allowed: true };
	}

	private window(key: string, limit: number, windowMs: number): SlidingWindow {
		let w = this.windows.get(key);
		if (!w) {
			w = new SlidingWindow(limit, windowMs);
			this.windows.set(key, w);
		}
		return w;
	}
}

function refused(waitMs: number): RateDecision {
	return { allowed: false, retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) };
}
