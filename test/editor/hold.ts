/**
 * Development aid: starts the e2e stack (globalSetup) and keeps it running until SIGINT/SIGTERM, printing the state
 * file. `N8N_E2E_STATE_FILE=<that file> npm run test:editor` then reuses it (test/editor/globalSetup.ts).
 */
import globalSetup from '../e2e/globalSetup';
import globalTeardown from '../e2e/globalTeardown';
import { STATE_ENV } from '../e2e/state';

void (async () => {
	await globalSetup();
	process.stdout.write(`\n[editor] stack up: ${STATE_ENV}=${process.env[STATE_ENV]}\n`);
	const stop = async () => {
		await globalTeardown();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
})().catch((error) => {
	process.stderr.write(`${error?.stack ?? error}\n`);
	process.exit(1);
});
