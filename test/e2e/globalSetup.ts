/**
 * Starts the stack once per suite run (see test/e2e/README.md): provision (cached), build, pack, both emulators in
 * this process, n8n with the package, credentials, examples published; then a loopback control server for the
 * tests and a state file they read. Every phase is timed and printed.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, isAlive, Phases, reapOrphanedN8n } from '../../scripts/lib/n8n-runtime';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { tryItCommands } from '../../scripts/lib/try-it';
import { startControlServer } from './control';
import { STATE_ENV, type E2EState } from './state';

export interface E2EGlobals {
	stack?: Stack;
	control?: { url: string; close(): Promise<void> };
	phases: Phases;
	setupDoneAt?: number;
	workDir?: string;
}

function pruneDeadRuns(runsDir: string): void {
	let entries: string[] = [];
	try {
		entries = readdirSync(runsDir);
	} catch {
		return;
	}
	for (const entry of entries) {
		const pid = Number(/^run-(\d+)$/.exec(entry)?.[1]);
		if (!pid || isAlive(pid)) continue;
		if (reapOrphanedN8n(join(runsDir, entry, 'n8n-user'))) continue; // removed by a later run, once it has exited
		rmSync(join(runsDir, entry), { recursive: true, force: true });
	}
}


declare global {
	// eslint-disable-next-line no-var
	var __N8N_E2E__: E2EGlobals | undefined;
}

export default async function globalSetup(): Promise<void> {
	const log = (line: string) => process.stdout.write(`${line}\n`);
	const phases = new Phases('[e2e]', log);
	const globals: E2EGlobals = { phases };
	globalThis.__N8N_E2E__ = globals;
	// One folder per run (several runs may share this working tree); folders of runs whose process is gone are removed.
	const runsDir = join(CACHE_DIR, 'e2e');
	pruneDeadRuns(runsDir);
	const workDir = join(runsDir, `run-${process.pid}`);
	globals.workDir = workDir;
	log('');
	const stack = await startStack({
		workDir,
		build: process.env.E2E_SKIP_BUILD !== '1',
		phases,
		echo: process.env.E2E_VERBOSE === '1' ? (line) => log(`  ${line}`) : undefined,
		// n8n runs behind a TLS-terminating HTTPS proxy (test/e2e/proxy.ts): see proxy.e2e.ts
		egressProxy: true,
	});
	globals.stack = stack;
	try {
		await handOver(stack, workDir, globals, log);
	} catch (error) {
		// jest skips globalTeardown when globalSetup throws: stop n8n and the emulators here
		await globals.control?.close();
		await stack.stop();
		throw error;
	}
	globals.setupDoneAt = Date.now();
}

async function handOver(stack: Stack, workDir: string, globals: E2EGlobals, log: (line: string) => void): Promise<void> {
	const { phases } = globals;
	// the commands `npm start` prints, one per example (examples.e2e.ts runs them)
	const tryIt = await phases.run('build the npm start commands of the examples', () => tryItCommands(stack, join(workDir, 'try')));
	const control = await startControlServer(stack);
	globals.control = control;
	const state: E2EState = {
		n8n: {
			baseUrl: stack.n8n.baseUrl,
			userFolder: stack.n8n.options.userFolder,
			databaseFile: stack.n8n.databaseFile,
			logFile: stack.n8n.options.logFile,
			node: stack.runtime.node,
			version: stack.runtime.n8nVersion,
		},
		owner: { email: stack.owner.email, password: stack.owner.password },
		pkg: { name: stack.pkg.name, version: stack.pkg.version, nodes: stack.pkg.nodes, credentials: stack.pkg.credentials },
		slack: { url: stack.slack.url, apiUrl: stack.slack.apiUrl, botToken: stack.slack.botToken, teamId: stack.slack.teamId },
		brevo: { url: stack.brevo.url, apiUrl: stack.brevo.apiUrl, apiKey: stack.brevo.apiKey },
		proxy: stack.proxy ? { url: stack.proxy.url, caFile: stack.proxy.caFile, hosts: stack.proxy.hosts } : undefined,
		signingSecret: stack.signingSecret,
		demo: stack.demo as E2EState['demo'],
		examples: stack.examples,
		tryIt,
		controlUrl: control.url,
	};
	const stateFile = join(workDir, 'state.json');
	writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
	process.env[STATE_ENV] = stateFile;
	for (const example of stack.examples.filter((e) => !e.active)) log(`[e2e] NOT published: ${example.file}: ${example.error}`);
	log(phases.summary());
}
