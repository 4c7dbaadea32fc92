/** Stops what globalSetup started (n8n first, then the emulators and the control server) and prints the timings. */
import type { E2EGlobals } from './globalSetup';

export default async function globalTeardown(): Promise<void> {
	const globals = (globalThis as { __N8N_E2E__?: E2EGlobals }).__N8N_E2E__;
	if (!globals) return;
	const started = Date.now();
	await globals.control?.close();
	const proxy = globals.stack?.proxy;
	if (proxy) {
		// what n8n sent to the HTTPS egress proxy during the run (refused = hosts other than slack.com / api.brevo.com)
		const refused = [...new Set(proxy.refused().map((r) => r.target))];
		process.stdout.write(`\n[e2e] egress proxy: ${proxy.forwarded().length} calls forwarded, ${proxy.refused().length} refused${refused.length ? ` (${refused.join(', ')})` : ''}\n`);
	}
	await globals.stack?.stop();
	if (globals.setupDoneAt) globals.phases.timings.push({ name: 'tests (between globalSetup and globalTeardown)', ms: started - globals.setupDoneAt, ok: true });
	globals.phases.timings.push({ name: 'stop n8n and the emulators', ms: Date.now() - started, ok: true });
	process.stdout.write(`\n${globals.phases.summary()}\n`);
	globalThis.__N8N_E2E__ = undefined;
}
