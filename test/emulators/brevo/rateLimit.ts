/**
 * Brevo's per-path rate limits (general plan, developers.brevo.com/docs/api-limits), one account-wide counter
 * per bucket and window. Windows are fixed (they start at the first request: guess) and last `window / timeScale`.
 *
 * Headers (developers.brevo.com/docs/limit-headers), on every rate-limited response, not only on 429:
 * `x-sib-ratelimit-limit`, `x-sib-ratelimit-remaining`, `x-sib-ratelimit-reset` = seconds until the window resets.
 * At time scale 1 the reset is whole seconds, rounded up (as Brevo sends it); at another scale it is the scaled
 * wait in seconds with up to 3 decimals (e.g. `0.1` for a 1 s window at scale 10), so clients that honour it stay
 * proportionally fast. The headers describe the tightest window of the bucket.
 * Every rule here has its source (doc page, OpenAPI path, SDK type, public issue) or `guess` in
 * test/emulators/CONTRACT.md, "Brevo REST rules and sources".
 */
export interface RateWindow {
	limit: number;
	windowMs: number;
}

export interface RateBucket {
	name: string;
	windows: RateWindow[];
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;

export const BUCKETS = {
	contacts: { name: 'contacts', windows: [{ limit: 10, windowMs: SECOND }, { limit: 36000, windowMs: HOUR }] },
	events: { name: 'events', windows: [{ limit: 10, windowMs: SECOND }, { limit: 36000, windowMs: HOUR }] },
	smtpEmail: {
		name: 'smtp-email',
		windows: [{ limit: 1000, windowMs: SECOND }, { limit: 3_600_000, windowMs: HOUR }],
	},
	smtpOther: { name: 'smtp-other', windows: [{ limit: 300, windowMs: HOUR }] },
	other: { name: 'other', windows: [{ limit: 100, windowMs: HOUR }] },
} satisfies Record<string, RateBucket>;

/** `path` is the part after `/v3` (e.g. `/contacts/lists/3/contacts/add`). */
export function bucketFor(method: string, path: string): RateBucket {
	if (path === '/contacts' || path.startsWith('/contacts/')) return BUCKETS.contacts;
	if (method === 'POST' && path === '/events') return BUCKETS.events;
	if (method === 'POST' && path === '/smtp/email') return BUCKETS.smtpEmail;
	if (path.startsWith('/smtp/')) return BUCKETS.smtpOther;
	return BUCKETS.other;
}

export interface RateDecision {
	allowed: boolean;
	headers: Record<string, string>;
	bucket: string;
}

export class RateLimiter {
	private counters = new Map<string, { start: number; count: number }>();
	enabled = true;

	constructor(
		private readonly now: () => number,
		private readonly scale: () => number,
	) {}

	reset(): void {
		this.counters.clear();
	}

	take(bucket: RateBucket): RateDecision {
		const now = this.now();
		const scale = this.scale();
		let allowed = true;
		const states = bucket.windows.map((w) => {
			const key = `${bucket.name}:${w.windowMs}`;
			const windowMs = w.windowMs / scale;
			let c = this.counters.get(key);
			if (!c || now - c.start >= windowMs) {
				c = { start: now, count: 0 };
				this.counters.set(key, c);
			}
			if (c.count >= w.limit) allowed = false;
			return { w, c, windowMs };
		});
		const views = states.map((s) => {
			if (allowed && this.enabled) s.c.count++;
			return {
				limit: s.w.limit,
				remaining: Math.max(0, s.w.limit - s.c.count),
				resetMs: Math.max(0, s.c.start + s.windowMs - now),
			};
		});
		const exhausted = views.filter((v) => v.remaining === 0).sort((a, b) => b.resetMs - a.resetMs);
		const t = exhausted[0] ?? [...views].sort((a, b) => a.remaining / a.limit - b.remaining / b.limit)[0];
		return {
			allowed: allowed || !this.enabled,
			bucket: bucket.name,
			headers: {
				'x-sib-ratelimit-limit': String(t.limit),
				'x-sib-ratelimit-remaining': String(t.remaining),
				'x-sib-ratelimit-reset': formatReset(t.resetMs, scale),
			},
		};
	}
}

export function formatReset(ms: number, scale: number): string {
	if (scale === 1) return String(Math.max(1, Math.ceil(ms / 1000)));
	const s = Math.max(0.001, Math.ceil(ms) / 1000);
	return String(Math.round(s * 1000) / 1000);
}
