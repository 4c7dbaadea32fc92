import { virtualClock } from '../../../support/virtualClock';
import { realSleep } from '../../../support/sleep';
import { deliverPaced, type Classification } from '../../../../nodes/shared/slack/pacing';

const clock = virtualClock;

class RateLimited extends Error {
	constructor(readonly retryAfterMs: number) {
		super('ratelimited');
	}
}
class Ambiguous extends Error {}
class Refused extends Error {}
const classify = (e: unknown): Classification =>
	e instanceof RateLimited ? { kind: 'ratelimited', retryAfterMs: e.retryAfterMs } : e instanceof Ambiguous ? { kind: 'ambiguous' } : { kind: 'fatal' };

describe('deliverPaced', () => {
	it('spaces posts in one lane, keeps order, interleaves lanes', async () => {
		const c = clock();
		const log: Array<[string, number, number]> = [];
		const jobs = [
			{ lane: 'A', job: 1 },
			{ lane: 'B', job: 2 },
			{ lane: 'A', job: 3 },
			{ lane: 'B', job: 4 },
			{ lane: 'A', job: 5 },
		];
		const out = await deliverPaced(jobs, async (j) => {
			log.push([j % 2 ? 'odd' : 'even', j, c.now()]);
			return j * 10;
		}, { intervalMs: 1000, classify, ...c });
		expect(out.map((o) => o.ok && o.value)).toEqual([10, 20, 30, 40, 50]);
		expect(c.now()).toBe(2000); // lanes ran side by side: A's three posts bound the total
		const laneA = log.filter(([, j]) => [1, 3, 5].includes(j));
		expect(laneA.map(([, j]) => j)).toEqual([1, 3, 5]);
		for (let i = 1; i < laneA.length; i++) expect(laneA[i][2] - laneA[i - 1][2]).toBeGreaterThanOrEqual(1000);
	});
	it('retries the same job after Retry-After before any later job in its lane', async () => {
		const c = clock();
		const calls: number[] = [];
		let limited = 0;
		const out = await deliverPaced([1, 2, 3].map((job) => ({ lane: 'C', job })), async (j) => {
			calls.push(j);
			if (j === 2 && limited < 2) {
				limited++;
				throw new RateLimited(3000);
			}
			return j;
		}, { intervalMs: 1000, classify, ...c, onRateLimited: () => undefined });
		expect(calls).toEqual([1, 2, 2, 2, 3]);
		expect(out[1]).toMatchObject({ ok: true, attempts: 3, rateLimited: 2 });
		expect(out.every((o) => o.ok)).toBe(true);
	});
	it('gives up when the Retry-After budget is spent, with the reason', async () => {
		const c = clock();
		const out = await deliverPaced([{ lane: 'C', job: 1 }], async () => {
			throw new RateLimited(60_000);
		}, { intervalMs: 1000, classify, maxWaitMs: 90_000, ...c });
		expect(out[0]).toMatchObject({ ok: false, rateLimited: 2 });
		expect((out[0] as any).reason).toMatch(/gave up after waiting 60 s/);
	});
	it('never re-sends after an ambiguous failure without verification', async () => {
		const c = clock();
		let sends = 0;
		const out = await deliverPaced([{ lane: 'C', job: 1 }, { lane: 'C', job: 2 }], async (j) => {
			sends++;
			if (j === 1) throw new Ambiguous('timeout');
			return j;
		}, { intervalMs: 1000, classify, ...c });
		expect(sends).toBe(2);
		expect(out[0]).toMatchObject({ ok: false, attempts: 1 });
		expect((out[0] as any).reason).toMatch(/delivery unknown/);
		expect(out[1]).toMatchObject({ ok: true, value: 2 });
	});
	it('uses verify: delivered -> success without re-send; not delivered -> one re-send', async () => {
		const c = clock();
		let sends = 0;
		const out = await deliverPaced([{ lane: 'C', job: 'a' }, { lane: 'D', job: 'b' }], async (j, attempt) => {
			sends++;
			if (attempt === 1) throw new Ambiguous('5xx');
			return `${j}-resent`;
		}, {
			intervalMs: 1000,
			classify,
			...c,
			verify: async (j) => (j === 'a' ? { delivered: true, value: 'a-found' } : { delivered: false }),
		});
		expect(out[0]).toMatchObject({ ok: true, value: 'a-found', verified: true });
		expect(out[1]).toMatchObject({ ok: true, value: 'b-resent', attempts: 2 });
		expect(sends).toBe(3);
	});
	it('stopOnError skips later jobs; without it, other items keep going', async () => {
		const c = clock();
		const send = async (j: number) => {
			if (j === 1) throw new Refused('channel_not_found');
			return j;
		};
		const jobs = [0, 1, 2].map((job) => ({ lane: 'C', job }));
		const stop = await deliverPaced(jobs, send, { intervalMs: 1, classify, stopOnError: true, ...c });
		expect(stop.map((o) => o.ok)).toEqual([true, false, false]);
		expect((stop[2] as any).skipped).toBe(true);
		const go = await deliverPaced(jobs, send, { intervalMs: 1, classify, ...c });
		expect(go.map((o) => o.ok)).toEqual([true, false, true]);
		expect((go[1] as any).reason).toBe('refused by Slack');
	});
	it('limits concurrent lanes', async () => {
		let active = 0;
		let peak = 0;
		const jobs = Array.from({ length: 12 }, (_, i) => ({ lane: `L${i % 6}`, job: i }));
		await deliverPaced(jobs, async (j) => {
			active++;
			peak = Math.max(peak, active);
			await new Promise((r) => setImmediate(r));
			active--;
			return j;
		}, { intervalMs: 0, classify, maxConcurrentLanes: 2, sleep: realSleep });
		expect(peak).toBe(2);
	});
	it('sends no later job once the execution is cancelled (waits in progress: pacing.boundaries.test.ts)', async () => {
		const ac = new AbortController();
		const p = deliverPaced([{ lane: 'C', job: 1 }, { lane: 'C', job: 2 }], async (j) => {
			if (j === 1) ac.abort();
			return j;
		}, { intervalMs: 60_000, classify, signal: ac.signal, sleep: realSleep });
		const out = await p;
		expect(out[0].ok).toBe(true);
		expect((out[1] as any).reason).toMatch(/cancelled/);
	});
});

describe('deliverPaced workspace cap', () => {
	it('spaces starts across lanes by globalIntervalMs', async () => {
		const c = clock();
		const starts: number[] = [];
		await deliverPaced(
			Array.from({ length: 6 }, (_, i) => ({ lane: `L${i % 3}`, job: i })),
			async (j) => {
				starts.push(c.now());
				return j;
			},
			{ intervalMs: 0, globalIntervalMs: 100, classify: () => ({ kind: 'fatal' }), ...c },
		);
		starts.sort((a, b) => a - b);
		for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(100);
	});
});

describe('deliverPaced burst', () => {
	it('lets `burst` posts start back to back, then spaces the rest by the interval', async () => {
		const c = clock();
		const starts: number[] = [];
		await deliverPaced(Array.from({ length: 6 }, (_, job) => ({ lane: 'A', job })), async (j) => {
			starts.push(c.now());
			return j;
		}, { intervalMs: 100, burst: 3, classify: () => ({ kind: 'fatal' }), ...c });
		expect(starts).toEqual([0, 0, 0, 100, 200, 300]);
	});
	it('after Retry-After the same job goes exactly when Slack said, then the spacing resumes', async () => {
		const c = clock();
		const starts: Array<[number, number]> = [];
		let once = true;
		await deliverPaced([0, 1, 2].map((job) => ({ lane: 'A', job })), async (j) => {
			starts.push([j, c.now()]);
			if (j === 1 && once) {
				once = false;
				throw new RateLimited(5000);
			}
			return j;
		}, { intervalMs: 100, classify, ...c });
		expect(starts).toEqual([[0, 0], [1, 100], [1, 5100], [2, 5200]]);
	});
});
