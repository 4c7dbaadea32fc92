/** Stops what globalSetup started (n8n first, then the emulators and the control server) and prints the timings. */
import type { E2EGlobals } from './globalSetup';

export default async function globalTeardown(): Promise<void> {
	const globals = (globalThis as { __N8N_E2E__?: E2EGlobals }).__N8N_E2E__;
	if (!globals) return;
	const started = Date.now();
	await globals.control?.close();
	await globals.stack?.stop();
	if (globals.setupDoneAt) globals.phases.timings.push({ name: 'tests (between globalSetup and globalTeardown)', ms: started - globals.setupDoneAt, ok: true });
	globals.phases.timings.push({ name: 'stop n8n and the emulators', ms: Date.now() - started, ok: true });
	process.stdout.write(`\n${globals.phases.summary()}\n`);
	globalThis.__N8N_E2E__ = undefined;
}
