/**
 * `npm start` (see scripts/start.js). Ports: n8n 5678, Slack emulator 5681, Brevo emulator 5682, overridable with
 * N8N_PORT, SLACK_EMULATOR_PORT, BREVO_EMULATOR_PORT. Working files in .cache/start (fresh on every start).
 * SKIP_BUILD=1 reuses an existing dist/. EGRESS_PROXY=1 runs n8n behind the e2e suite's HTTPS egress proxy
 * (test/e2e/proxy.ts: slack.com and api.brevo.com go to the emulators, any other HTTPS host gets 403) and adds the
 * credentials `slack-bot-proxy` and `brevo-key-proxy` with the default base URLs; off by default, since it would also
 * capture calls to the real Slack and Brevo.
 */
import { join } from 'node:path';
import { CACHE_DIR, Phases } from './lib/n8n-runtime';
import { startStack, type Stack } from './lib/stack';
import { tryItCommands } from './lib/try-it';

const ports = {
	n8n: Number(process.env.N8N_PORT ?? 5678),
	slack: Number(process.env.SLACK_EMULATOR_PORT ?? 5681),
	brevo: Number(process.env.BREVO_EMULATOR_PORT ?? 5682),
};

let stack: Stack | undefined;

async function main(): Promise<void> {
	const phases = new Phases('[start]');
	const workDir = join(CACHE_DIR, 'start');
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write('\n[start] stopping n8n and the emulators ...\n');
		await stack?.stop();
		process.stdout.write('[start] stopped\n');
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	const { assertPortFree, reapOrphanedN8n } = await import('./lib/n8n-runtime');
	// an n8n left behind by a previous `npm start` that was killed outright is stopped first
	if (reapOrphanedN8n(join(workDir, 'n8n-user'))) {
		process.stdout.write('[start] stopping the n8n a previous npm start left running ...\n');
		for (let i = 0; i < 60; i++) {
			if (await assertPortFree(ports.n8n, 'n8n').then(() => true, () => false)) break;
			await new Promise((r) => setTimeout(r, 500));
		}
	}
	await assertPortFree(ports.n8n, 'n8n (set N8N_PORT)');
	await assertPortFree(ports.slack, 'the Slack emulator (set SLACK_EMULATOR_PORT)');
	await assertPortFree(ports.brevo, 'the Brevo emulator (set BREVO_EMULATOR_PORT)');

	stack = await startStack({
		workDir,
		ports,
		build: process.env.SKIP_BUILD !== '1',
		egressProxy: process.env.EGRESS_PROXY === '1',
		phases,
		echo: (line) => process.stdout.write(`  ${line}\n`),
	});
	if (stopping) return;
	const commands = await tryItCommands(stack, join(workDir, 'try'));
	const s = stack;
	const out: string[] = [
		'',
		phases.summary(),
		'',
		`n8n ${s.runtime.n8nVersion} editor:  ${s.n8n.baseUrl}/`,
		`  log in as:          ${s.owner.email} / ${s.owner.password}`,
		`  package:            ${s.pkg.name}@${s.pkg.version} (installed in ${join(s.n8n.options.userFolder, '.n8n', 'nodes')})`,
		`  n8n log:            ${s.n8n.options.logFile}`,
		`Slack emulator:       ${s.slack.url}  (Web API ${s.slack.apiUrl}, bot token ${s.slack.botToken}, team ${s.slack.teamId})`,
		`  signing secret:     ${s.signingSecret}   (credential "slack-signing")`,
		`Brevo emulator:       ${s.brevo.url}  (API ${s.brevo.apiUrl}, key ${s.brevo.apiKey})`,
		'Credentials in n8n:   slack-bot, slack-signing, brevo-key (point them at real Slack/Brevo in the editor to go live)',
		...(s.proxy
			? [
					`HTTPS egress proxy:   ${s.proxy.url} (n8n's HTTPS_PROXY; CA ${s.proxy.caFile}): slack.com, api.brevo.com -> the emulators, other hosts refused`,
					'  credentials:        slack-bot-proxy, brevo-key-proxy (default base URLs, reach the emulators through the proxy)',
				]
			: []),
		'',
		'Examples (published) and one command each that makes the emulators act:',
	];
	for (const c of commands) {
		out.push('', `* ${c.example}  ->  ${s.n8n.baseUrl}/workflow/${c.workflowId}`, ...c.lines.map((l) => `    ${l}`));
	}
	out.push('', `Executions: ${s.n8n.baseUrl}/home/executions`, 'Ctrl-C stops n8n and the emulators.', '');
	process.stdout.write(out.join('\n'));
}

main().catch(async (error) => {
	process.stderr.write(`\n[start] FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
	await stack?.stop();
	process.exit(1);
});
