/** Stops what globalSetup started (nothing when a held stack was reused). */
import e2eTeardown from '../e2e/globalTeardown';

export default async function globalTeardown(): Promise<void> {
	if (process.env.EDITOR_REUSE_STATE) return;
	await e2eTeardown();
}
