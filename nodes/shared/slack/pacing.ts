/**
 * Per-channel pacing for Slack posts. Slack allows about one chat.postMessage per second per channel (short bursts
 * tolerated) and answers 429 + Retry-After beyond that. The pacer:
 * - groups jobs by lane (a channel), keeps the input order inside a lane, runs lanes concurrently;
 * - spaces the starts of two posts in the same lane by `intervalMs`;
 * - on a rate-limit answer waits Retry-After and retries the SAME job before any later one (order kept);
 * - never re-sends a job whose first attempt may have reached Slack (timeout, 5xx, connection reset after the
 *   request was written) unless `verify` proves it was not delivered: Slack has no idempotency key for
 *   chat.postMessage, so a blind retry is how duplicates happen;
 * - does all its waiting inside the call (no timers survive it), and stops waiting when `signal` aborts.
 * Pure: no n8n imports. Time and sleep are injectable so tests need no timed assertions.
 */

export type Classification =
	/** Slack refused for rate: nothing was posted; wait `retryAfterMs` and retry */
	| { kind: 'ratelimited'; retryAfterMs: number }
	/** the request certainly never reached Slack (connection refused, DNS): safe to retry after `delayMs` */
	| { kind: 'retry'; delayMs: number }
	/** the request may have been processed (timeout, 5xx, reset mid-response): retrying blindly could duplicate */
	| { kind: 'ambiguous' }
	/** a definite refusal (`ok:false` with an error code): retrying cannot help */
	| { kind: 'fatal' };

export type VerifyResult<R> = { delivered: true; value: R } | { delivered: false } | { delivered: 'unknown' };

export interface PacerOptions<J, R> {
	/** sustained spacing of posts in one lane (1000 = 1 message/s) */
	intervalMs: number;
	/**
	 * posts a lane may start back to back before the spacing applies (a token bucket of this size refilled one token
	 * per interval); default 1 = strict spacing. Slack tolerates short bursts but does not document their size.
	 */
	burst?: number;
	/** minimum time between the starts of any two posts across all lanes (a workspace-wide cap); 0 = none */
	globalIntervalMs?: number;
	/** how many lanes may post at the same moment (default: all) */
	maxConcurrentLanes?: number;
	/** retries per job after rate limiting or a safe transport failure (default 5) */
	maxRetries?: number;
	/** longest total wait one job may spend in Retry-After pauses before it fails (default 120 s) */
	maxWaitMs?: number;
	classify: (error: unknown) => Classification;
	/** after an ambiguous failure: find out whether the job's message exists (e.g. by its metadata delivery id) */
	verify?: (job: J, error: unknown) => Promise<VerifyResult<R>>;
	/** stop starting new jobs after the first job that finally fails (n8n without Continue On Fail) */
	stopOnError?: boolean;
	signal?: AbortSignal;
	now?: () => number;
	/** How to wait (n8n-workflow's sleep in the nodes; a virtual clock in tests). */
	sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
	/** called for every rate-limit answer (for counters / logs) */
	onRateLimited?: (lane: string, retryAfterMs: number) => void;
}

export type JobOutcome<R> =
	| { ok: true; value: R; attempts: number; rateLimited: number; verified?: boolean }
	| { ok: false; error: unknown; reason: string; attempts: number; rateLimited: number; skipped?: boolean };

export interface PacedJob<J> {
	lane: string;
	job: J;
}

export class DeliveryError extends Error {
	constructor(
		message: string,
		readonly cause: unknown,
	) {
		super(message);
		this.name = 'DeliveryError';
	}
}

/**
 * Runs `send` for every job, paced per lane. Returns one outcome per job, in the order of `jobs`.
 * `send` receives the job and the attempt number (1-based).
 */
export async function deliverPaced<J, R>(
	jobs: Array<PacedJob<J>>,
	send: (job: J, attempt: number) => Promise<R>,
	o: PacerOptions<J, R>,
): Promise<Array<JobOutcome<R>>> {
	const now = o.now ?? Date.now;
	const sleep = o.sleep;
	const maxRetries = o.maxRetries ?? 5;
	const maxWaitMs = o.maxWaitMs ?? 120_000;
	const outcomes: Array<JobOutcome<R> | undefined> = new Array(jobs.length);
	let stopped = false;
	let globalNext = 0;

	const lanes = new Map<string, number[]>();
	jobs.forEach((j, i) => {
		const list = lanes.get(j.lane) ?? [];
		list.push(i);
		lanes.set(j.lane, list);
	});

	const runLane = async (indexes: number[]) => {
		// Token bucket per lane: `tokens` as of `updated`; after a rate-limit answer, `updated` is the Retry-After moment
		// and one token becomes available exactly then.
		const capacity = Math.max(1, Math.floor(o.burst ?? 1));
		let tokens = capacity;
		let updated = now();
		const tokensAt = (t: number) => (t < updated ? tokens - (updated - t) / Math.max(1, o.intervalMs) : Math.min(capacity, tokens + (t - updated) / Math.max(1e-9, o.intervalMs)));
		for (const index of indexes) {
			if (stopped || o.signal?.aborted) {
				outcomes[index] = {
					ok: false,
					error: new Error('not sent: an earlier item failed'),
					reason: o.signal?.aborted ? 'not sent: execution cancelled' : 'not sent: an earlier item failed',
					attempts: 0,
					rateLimited: 0,
					skipped: true,
				};
				continue;
			}
			const { job } = jobs[index];
			let attempts = 0;
			let rateLimited = 0;
			let waited = 0;
			for (;;) {
				if (o.intervalMs > 0) {
					const have = tokensAt(now());
					if (have < 1) await sleep((1 - have) * o.intervalMs, o.signal);
				} else if (updated > now()) {
					// No spacing: only a Retry-After (or retry delay) moment to wait for.
					await sleep(updated - now(), o.signal);
				}
				if (o.globalIntervalMs && o.globalIntervalMs > 0) {
					// Reserve the next workspace-wide slot synchronously, so lanes never claim the same one.
					const slot = Math.max(now(), globalNext);
					globalNext = slot + o.globalIntervalMs;
					const gw = slot - now();
					if (gw > 0) await sleep(gw, o.signal);
				}
				attempts++;
				// Stryker disable next-line ConditionalExpression,EqualityOperator: with intervalMs 0 the guard above never reads the tokens, so taking one changes nothing
				if (o.intervalMs > 0) {
					const t = now();
					tokens = Math.max(0, tokensAt(t)) - 1;
					updated = t;
				}
				try {
					const value = await send(job, attempts);
					outcomes[index] = { ok: true, value, attempts, rateLimited };
					break;
				} catch (error) {
					const c = o.classify(error);
					if ((c.kind === 'ratelimited' || c.kind === 'retry') && attempts <= maxRetries) {
						const delay = c.kind === 'ratelimited' ? c.retryAfterMs : c.delayMs;
						if (c.kind === 'ratelimited') {
							rateLimited++;
							o.onRateLimited?.(jobs[index].lane, delay);
						}
						if (waited + delay <= maxWaitMs) {
							waited += delay;
							// No post in this lane before Retry-After has passed, then one at a time.
							tokens = 1;
							updated = Math.max(updated, now() + delay);
							continue;
						}
						outcomes[index] = {
							ok: false,
							error,
							reason: `gave up after waiting ${Math.round(waited / 1000)} s for Slack's rate limit (limit ${Math.round(maxWaitMs / 1000)} s per message)`,
							attempts,
							rateLimited,
						};
						break;
					}
					if (c.kind === 'ambiguous' && o.verify) {
						let v: VerifyResult<R>;
						try {
							v = await o.verify(job, error);
						} catch {
							v = { delivered: 'unknown' };
						}
						if (v.delivered === true) {
							outcomes[index] = { ok: true, value: v.value, attempts, rateLimited, verified: true };
							break;
						}
						if (v.delivered === false && attempts <= maxRetries) continue;
					}
					outcomes[index] = {
						ok: false,
						error,
						reason:
							c.kind === 'ambiguous'
								? 'delivery unknown: the request may have reached Slack, so it was not re-sent (a re-send could post a duplicate)'
								: c.kind === 'fatal'
									? 'refused by Slack'
									: `failed after ${attempts} attempts`,
						attempts,
						rateLimited,
					};
					break;
				}
			}
			const out = outcomes[index];
			if (out && !out.ok && o.stopOnError) stopped = true;
		}
	};

	const laneList = [...lanes.values()];
	const limit = Math.max(1, o.maxConcurrentLanes ?? laneList.length);
	let cursor = 0;
	const workers = Array.from({ length: Math.min(limit, laneList.length) }, async () => {
		while (cursor < laneList.length) {
			const mine = laneList[cursor++];
			await runLane(mine);
		}
	});
	await Promise.all(workers);
	return outcomes as Array<JobOutcome<R>>;
}
