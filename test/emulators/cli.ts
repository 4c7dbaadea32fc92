/**
 * `npm run emulators`: starts the Slack and Brevo emulators on loopback, seeds the demo workspace (#marketing
 * #sales #support #alerts, a few members) and the demo Brevo account (lists, attributes, contacts, a sent campaign),
 * prints their URLs and credentials, and runs until Ctrl-C.
 *
 * Ports: SLACK_EMULATOR_PORT / BREVO_EMULATOR_PORT (default: ephemeral).
 */
import { startBrevoEmulator } from './brevo';
import { startSlackEmulator } from './slack';

function port(name: string): number | undefined {
	const raw = process.env[name];
	if (!raw) return undefined;
	const value = Number(raw);
	if (!Number.isInteger(value) || value <= 0 || value > 65535) throw new Error(`${name}=${raw} is not a TCP port`);
	return value;
}

async function main(): Promise<void> {
	const slack = await startSlackEmulator({ port: port('SLACK_EMULATOR_PORT') });
	const brevo = await startBrevoEmulator({ port: port('BREVO_EMULATOR_PORT') });
	const demo = { slack: slack.seedDemo(), brevo: brevo.seedDemo() };

	let closing = false;
	const close = async () => {
		if (closing) return;
		closing = true;
		await Promise.allSettled([slack.close(), brevo.close()]);
		process.exit(0);
	};
	process.on('SIGINT', () => void close());
	process.on('SIGTERM', () => void close());

	const channels = Object.entries(demo.slack.channels).map(([name, id]) => `#${name}=${id}`).join(' ');
	const lists = Object.entries(demo.brevo.lists).map(([name, id]) => `${name}=${id}`).join(' ');
	process.stdout.write(
		[
			'Slack emulator',
			`  url:        ${slack.url}`,
			`  Web API:    ${slack.apiUrl}      (credential "Slack bot": Base URL)`,
			`  bot token:  ${slack.botToken}    (credential "Slack bot": Access Token)`,
			`  team:       ${slack.teamId}`,
			`  channels:   ${channels}`,
			`  admin:      ${slack.url}/_admin/state, /_admin/messages?channel=<id>, POST /_admin/send/{interaction|command|event}`,
			'Brevo emulator',
			`  url:        ${brevo.url}`,
			`  API:        ${brevo.apiUrl}      (credential "Brevo": Base URL)`,
			`  API key:    ${brevo.apiKey}      (credential "Brevo": API Key)`,
			`  lists:      ${lists}`,
			`  admin:      ${brevo.url}/_admin/state, POST /_admin/deliver, POST /_admin/post`,
			'',
			'Ctrl-C stops both.',
			'',
		].join('\n'),
	);
}

main().catch((error) => {
	process.stderr.write(`emulators: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
