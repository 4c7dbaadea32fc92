/**
 * A virtual clock for code that takes `now` and `sleep` from its caller (the pure modules never wait on timers
 * themselves): sleeping registers a timer; once everything is waiting, time jumps to the earliest timer. Ordering and
 * spacing are asserted on virtual time, never on the wall clock. Sleeps honour an abort signal (rejecting as n8n's
 * `sleep` does on a cancelled execution) and are recorded in `sleeps`.
 */
export function virtualClock(start = 0) {
	let t = start;
	const timers: Array<{ at: number; resolve: () => void }> = [];
	const sleeps: Array<{ ms: number; signal?: AbortSignal }> = [];
	let scheduled = false;
	const schedule = () => {
		if (scheduled) return;
		scheduled = true;
		setImmediate(() => {
			scheduled = false;
			if (!timers.length) return;
			timers.sort((a, b) => a.at - b.at);
			const next = timers.shift()!;
			t = Math.max(t, next.at);
			next.resolve();
			schedule();
		});
	};
	return {
		sleeps,
		now: () => t,
		sleep: (ms: number, signal?: AbortSignal) => {
			sleeps.push({ ms, signal });
			return new Promise<void>((resolve, reject) => {
				if (signal?.aborted) return reject(new Error('Execution was cancelled'));
				const timer = { at: t + ms, resolve };
				signal?.addEventListener('abort', () => {
					timers.splice(timers.indexOf(timer), 1);
					reject(new Error('Execution was cancelled'));
				});
				timers.push(timer);
				schedule();
			});
		},
	};
}
