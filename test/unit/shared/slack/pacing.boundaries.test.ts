/**
 * Boundaries of per-channel pacing (mutation testing, issue 18): retry and wait budgets at their exact limits and
 * defaults, cancellation of a wait in progress, what a skipped job says, and exact start times on a virtual clock.
 */
import { virtualClock } from '../../../support/virtualClock';
import { DeliveryError, deliverPaced, type Classification, type PacerOptions } from '../../../../nodes/shared/slack/pacing';

const clock = virtualClock;

class RateLimited extends Error {
	constructor(readonly retryAfterMs: number) {
		super('ratelimited');
	}
}
class Transient extends Error {
	constructor(readonly delayMs: number) {
		super('refused connection');
	}
}
class Ambiguous extends Error {}
const classify = (e: unknown): Classification =>
	e instanceof RateLimited
		? { kind: 'ratelimited', retryAfterMs: e.retryAfterMs }
		: e instanceof Transient
			? { kind: 'retry', delayMs: e.delayMs }
			: e instanceof Ambiguous
				? { kind: 'ambiguous' }
				: { kind: 'fatal' };

const one = <J>(job: J, lane = 'C') => [{ lane, job }];
type Opts = Partial<PacerOptions<number, number>>;
const base = (c: ReturnType<typeof clock>, o: Opts = {}): PacerOptions<number, number> => ({ intervalMs: 1000, classify, now: c.now, sleep: c.sleep, ...o });

describe('deliverPaced: retry budgets', () => {
	it('retries 5 times by default (6 attempts), then fails naming the attempts', async () => {
		const c = clock();
		let sends = 0;
		const out = await deliverPaced(one(1), async () => {
			sends++;
			throw new Transient(10);
		}, base(c));
		expect(sends).toBe(6);
		expect(out[0]).toMatchObject({ ok: false, attempts: 6, rateLimited: 0, reason: 'failed after 6 attempts' });
	});

	it('maxRetries 0 sends once; maxRetries 1 sends twice', async () => {
		for (const [maxRetries, expected] of [
			[0, 1],
			[1, 2],
		]) {
			const c = clock();
			let sends = 0;
			await deliverPaced(one(1), async () => {
				sends++;
				throw new RateLimited(10);
			}, base(c, { maxRetries }));
			expect(sends).toBe(expected);
		}
	});

	it('a rate-limit answer after the last retry fails with the rate-limit count (every 429 counted)', async () => {
		const c = clock();
		const seen: Array<[string, number]> = [];
		const out = await deliverPaced(one(1, 'L'), async () => {
			throw new RateLimited(10);
		}, base(c, { maxRetries: 2, onRateLimited: (lane, ms) => seen.push([lane, ms]) }));
		expect(out[0]).toMatchObject({ ok: false, attempts: 3, rateLimited: 2, reason: 'failed after 3 attempts' });
		expect(seen).toEqual([
			['L', 10],
			['L', 10],
		]);
	});

	it('waits a safe transport failure\'s delay without counting it as a rate limit', async () => {
		const c = clock();
		const starts: number[] = [];
		let rateLimited = 0;
		const out = await deliverPaced(one(1), async () => {
			starts.push(c.now());
			if (starts.length === 1) throw new Transient(2500);
			return 1;
		}, base(c, { onRateLimited: () => rateLimited++ }));
		expect(starts).toEqual([0, 2500]);
		expect(rateLimited).toBe(0);
		expect(out[0]).toEqual({ ok: true, value: 1, attempts: 2, rateLimited: 0 });
	});
});

describe('deliverPaced: the Retry-After budget per message', () => {
	it('waits while the total stays within maxWaitMs (equal included), and gives up at the first wait past it', async () => {
		const c = clock();
		const starts: number[] = [];
		const out = await deliverPaced(one(1), async () => {
			starts.push(c.now());
			throw new RateLimited(3000);
		}, base(c, { maxWaitMs: 6000 }));
		expect(starts).toEqual([0, 3000, 6000]);
		expect(out[0]).toMatchObject({
			ok: false,
			attempts: 3,
			rateLimited: 3,
			reason: "gave up after waiting 6 s for Slack's rate limit (limit 6 s per message)",
		});
	});

	it('gives up at once when even the first wait is over the budget', async () => {
		const c = clock();
		const out = await deliverPaced(one(1), async () => {
			throw new RateLimited(3000);
		}, base(c, { maxWaitMs: 2999 }));
		expect(out[0]).toMatchObject({ ok: false, attempts: 1, rateLimited: 1, reason: "gave up after waiting 0 s for Slack's rate limit (limit 3 s per message)" });
	});

	it('allows 120 s of waiting by default', async () => {
		const c = clock();
		const out = await deliverPaced(one(1), async () => {
			throw new RateLimited(60_000);
		}, base(c));
		expect(out[0]).toMatchObject({ ok: false, attempts: 3, rateLimited: 3, reason: "gave up after waiting 120 s for Slack's rate limit (limit 120 s per message)" });
		expect(c.now()).toBe(120_000);
	});
});

describe('deliverPaced: ambiguous failures', () => {
	it('fails as delivery unknown when verify says unknown, throws, or there is no verify', async () => {
		const reason = 'delivery unknown: the request may have reached Slack, so it was not re-sent (a re-send could post a duplicate)';
		for (const verify of [async () => ({ delivered: 'unknown' as const }), async () => Promise.reject(new Error('history failed')), undefined]) {
			const c = clock();
			let sends = 0;
			const out = await deliverPaced(one(1), async () => {
				sends++;
				throw new Ambiguous('timeout');
			}, base(c, { verify }));
			expect(sends).toBe(1);
			expect(out[0]).toMatchObject({ ok: false, attempts: 1, reason });
		}
	});

	it('re-sends after "not delivered" only within maxRetries', async () => {
		const c = clock();
		let sends = 0;
		const out = await deliverPaced(one(1), async () => {
			sends++;
			throw new Ambiguous('timeout');
		}, base(c, { maxRetries: 2, verify: async () => ({ delivered: false }) }));
		expect(sends).toBe(3);
		expect(out[0]).toMatchObject({ ok: false, attempts: 3 });
	});

	it('a fatal error is not verified and not retried', async () => {
		const c = clock();
		let verified = 0;
		let sends = 0;
		const out = await deliverPaced(one(1), async () => {
			sends++;
			throw new Error('channel_not_found');
		}, base(c, { verify: async () => (verified++, { delivered: true, value: 1 }) }));
		expect([sends, verified]).toEqual([1, 0]);
		expect(out[0]).toMatchObject({ ok: false, reason: 'refused by Slack', attempts: 1, rateLimited: 0 });
	});
});

describe('deliverPaced: spacing', () => {
	it('spaces a lane exactly by the interval with the default burst of 1', async () => {
		const c = clock();
		const starts: number[] = [];
		await deliverPaced([0, 1, 2].map((job) => ({ lane: 'A', job })), async (j) => (starts.push(c.now()), j), base(c, { intervalMs: 250 }));
		expect(starts).toEqual([0, 250, 500]);
	});

	it('rounds a fractional burst down, and treats a burst below 1 as 1', async () => {
		for (const [burst, expected] of [
			[2.7, [0, 0, 100, 200]],
			[0, [0, 100, 200, 300]],
		] as const) {
			const c = clock();
			const starts: number[] = [];
			await deliverPaced([0, 1, 2, 3].map((job) => ({ lane: 'A', job })), async (j) => (starts.push(c.now()), j), base(c, { intervalMs: 100, burst }));
			expect(starts).toEqual(expected);
		}
	});

	it('an interval of 0 never waits', async () => {
		const c = clock();
		await deliverPaced([0, 1, 2].map((job) => ({ lane: 'A', job })), async (j) => j, base(c, { intervalMs: 0 }));
		expect(c.sleeps).toEqual([]);
		expect(c.now()).toBe(0);
	});

	it('gives lanes the workspace-wide slots in turn, exactly globalIntervalMs apart', async () => {
		const c = clock();
		const starts: Array<[number, number]> = [];
		await deliverPaced([0, 1, 2, 3].map((job) => ({ lane: `L${job}`, job })), async (j) => (starts.push([j, c.now()]), j), base(c, { intervalMs: 0, globalIntervalMs: 100 }));
		expect(starts).toEqual([
			[0, 0],
			[1, 100],
			[2, 200],
			[3, 300],
		]);
	});

	it('runs one lane at a time when maxConcurrentLanes is 0 or 1, and returns outcomes in the order of the jobs', async () => {
		for (const maxConcurrentLanes of [0, 1]) {
			const c = clock();
			const order: number[] = [];
			const jobs = [0, 1, 2, 3].map((job) => ({ lane: job % 2 ? 'B' : 'A', job }));
			const out = await deliverPaced(jobs, async (j) => (order.push(j), j * 10), base(c, { intervalMs: 100, maxConcurrentLanes }));
			expect(order).toEqual([0, 2, 1, 3]);
			expect(out.map((o) => o.ok && o.value)).toEqual([0, 10, 20, 30]);
		}
	});
});

describe('deliverPaced: stopping and cancellation', () => {
	it('after a failure with stopOnError, later jobs of other lanes are skipped too, saying why, with no attempt', async () => {
		const c = clock();
		const jobs = [
			{ lane: 'A', job: 1 },
			{ lane: 'B', job: 2 },
			{ lane: 'B', job: 3 },
		];
		const out = await deliverPaced(jobs, async (j) => {
			if (j === 1) throw new Error('channel_not_found');
			return j;
		}, base(c, { stopOnError: true }));
		expect(out[1]).toMatchObject({ ok: true });
		expect(out[2]).toEqual({
			ok: false,
			error: new Error('not sent: an earlier item failed'),
			reason: 'not sent: an earlier item failed',
			attempts: 0,
			rateLimited: 0,
			skipped: true,
		});
	});

	it('a failure without stopOnError does not stop later jobs', async () => {
		const c = clock();
		const out = await deliverPaced([1, 2].map((job) => ({ lane: 'A', job })), async (j) => {
			if (j === 1) throw new Error('channel_not_found');
			return j;
		}, base(c, { stopOnError: false }));
		expect(out.map((o) => o.ok)).toEqual([false, true]);
	});

	it('hands the cancel signal to every wait, so cancelling ends a pacing wait in progress and sends nothing more', async () => {
		const c = clock();
		const ac = new AbortController();
		const sent: number[] = [];
		const run = deliverPaced([1, 2, 3].map((job) => ({ lane: 'A', job })), async (j) => {
			sent.push(j);
			// cancel while the lane waits for job 2's slot
			if (j === 1) setImmediate(() => ac.abort());
			return j;
		}, base(c, { intervalMs: 60_000, signal: ac.signal }));
		await expect(run).rejects.toThrow('Execution was cancelled');
		expect(sent).toEqual([1]);
		expect(c.now()).toBeLessThan(60_000);
		expect(c.sleeps.length).toBeGreaterThan(0);
		for (const s of c.sleeps) expect(s.signal).toBe(ac.signal);
	});

	it('hands the cancel signal to the workspace-wide wait and to the Retry-After wait', async () => {
		const c = clock();
		const ac = new AbortController();
		let first = true;
		await deliverPaced([0, 1].map((job) => ({ lane: `L${job}`, job })), async (j) => {
			if (j === 0 && first) {
				first = false;
				throw new RateLimited(500);
			}
			return j;
		}, base(c, { intervalMs: 100, globalIntervalMs: 50, signal: ac.signal }));
		expect(c.sleeps.map((s) => s.ms).sort((a, b) => a - b)).toEqual(expect.arrayContaining([50, 500]));
		for (const s of c.sleeps) expect(s.signal).toBe(ac.signal);
	});

	it('says "execution cancelled" for jobs not started when the signal was already aborted', async () => {
		const c = clock();
		const ac = new AbortController();
		ac.abort();
		let sends = 0;
		const out = await deliverPaced(one(1), async () => ++sends, base(c, { signal: ac.signal }));
		expect(sends).toBe(0);
		expect(out[0]).toMatchObject({ ok: false, skipped: true, attempts: 0, reason: 'not sent: execution cancelled' });
	});
});

describe('deliverPaced: more edges', () => {
	it('refills a lane at most to its burst after a long pause', async () => {
		const c = clock();
		const starts: number[] = [];
		await deliverPaced([0, 1, 2, 3, 4, 5].map((job) => ({ lane: 'A', job })), async (j) => {
			starts.push(c.now());
			if (j === 1) await c.sleep(1000); // a slow post: the lane idles 1 s
			return j;
		}, base(c, { intervalMs: 100, burst: 2 }));
		expect(starts).toEqual([0, 0, 1000, 1000, 1100, 1200]);
	});

	it('waits Retry-After and a retry delay also without per-lane spacing (intervalMs 0)', async () => {
		const c = clock();
		const starts: number[] = [];
		const out = await deliverPaced(one(1), async () => {
			starts.push(c.now());
			if (starts.length === 1) throw new RateLimited(3000);
			if (starts.length === 2) throw new Transient(500);
			return 1;
		}, base(c, { intervalMs: 0 }));
		expect(starts).toEqual([0, 3000, 3500]);
		expect(out[0]).toMatchObject({ ok: true, attempts: 3, rateLimited: 1 });
	});

	it('gives workspace-wide slots relative to the clock, not to zero', async () => {
		const c = clock(5000);
		const starts: number[] = [];
		await deliverPaced([0, 1, 2].map((job) => ({ lane: `L${job}`, job })), async (j) => (starts.push(c.now()), j), base(c, { intervalMs: 0, globalIntervalMs: 100 }));
		expect(starts).toEqual([5000, 5100, 5200]);
	});

	it('does not wait for a workspace slot that is already free', async () => {
		const c = clock(5000);
		await deliverPaced(one(1), async (j) => j, base(c, { intervalMs: 0, globalIntervalMs: 100 }));
		expect(c.sleeps).toEqual([]);
	});

	it('stopOnError stops nothing while every job succeeds', async () => {
		const c = clock();
		const out = await deliverPaced([1, 2, 3].map((job) => ({ lane: 'A', job })), async (j) => j, base(c, { stopOnError: true }));
		expect(out).toEqual([1, 2, 3].map((value) => ({ ok: true, value, attempts: 1, rateLimited: 0 })));
	});

	it('DeliveryError names itself and keeps its cause', () => {
		const cause = new Error('socket hang up');
		const error = new DeliveryError('not delivered', cause);
		expect(error).toBeInstanceOf(Error);
		expect(error.name).toBe('DeliveryError');
		expect(error.message).toBe('not delivered');
		expect(error.cause).toBe(cause);
	});
});
