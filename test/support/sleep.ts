/** A real, cancellable wait for tests (node code waits with n8n-workflow's sleep; tests may use timers). */
export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (ms <= 0) return Promise.resolve();
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(new Error('Execution was cancelled'));
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(new Error('Execution was cancelled'));
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
