/**
 * The e2e suite's stack (test/e2e/globalSetup.ts: n8n with the packed package, emulators, credentials, examples,
 * owner), or, when EDITOR_REUSE_STATE names the state file of a stack already running (`npm run test:editor:hold`),
 * that one.
 */
import { existsSync } from 'node:fs';

import e2eSetup from '../e2e/globalSetup';
import { STATE_ENV } from '../e2e/state';

export default async function globalSetup(): Promise<void> {
	const reuse = process.env.EDITOR_REUSE_STATE;
	if (reuse) {
		if (!existsSync(reuse)) throw new Error(`EDITOR_REUSE_STATE=${reuse}: no such state file (is the held stack still running?)`);
		process.env[STATE_ENV] = reuse;
		process.stdout.write(`\n[editor] reusing the running stack of ${reuse}\n`);
		return;
	}
	await e2eSetup();
}
