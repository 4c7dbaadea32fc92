/**
 * The whole local stack, shared by `npm start` and the end-to-end suite: both emulators (in this process), a real
 * n8n (child process) with the packed package installed in a fresh user folder, the three credentials pointing at
 * the emulators (fixed ids `slack-bot`, `slack-signing`, `brevo-key`, as the examples reference them), and every
 * workflow of `examples/` imported and published.
 *
 * With `egressProxy` (the e2e suite) a TLS-terminating proxy (test/e2e/proxy.ts) also starts before n8n, n8n gets
 * `HTTPS_PROXY` / `NO_PROXY=127.0.0.1,localhost` / `NODE_EXTRA_CA_CERTS` for it, and two more credentials with the
 * DEFAULT base URLs (`slack-bot-proxy`, `brevo-key-proxy`) reach the emulators only through it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { startBrevoEmulator, type BrevoEmulator } from '../../test/emulators/brevo';
import { startSlackEmulator, type SlackEmulator } from '../../test/emulators/slack';
import { egressRoutes, startEgressProxy, type EgressProxy } from '../../test/e2e/proxy';
import {
	buildPackage,
	CACHE_DIR,
	demoOwner,
	freePort,
	importCredentials,
	reapOrphanedN8n,
	installPackageIntoUserFolder,
	N8nClient,
	N8nServer,
	packPackage,
	Phases,
	provisionRuntime,
	ROOT,
	run,
	RuntimeError,
	withLock,
	type NodeTypeDescription,
	type Owner,
	type PackedPackage,
	type Runtime,
} from './n8n-runtime';

export const CREDENTIAL_IDS = { slackBot: 'slack-bot', slackSigning: 'slack-signing', brevoKey: 'brevo-key' } as const;
/** Credentials with the default (public) base URLs, imported only with `egressProxy`: they work only through the proxy. */
export const PROXY_CREDENTIAL_IDS = { slackBot: 'slack-bot-proxy', brevoKey: 'brevo-key-proxy' } as const;

export interface StackOptions {
	/** working folder for this run (user folder, logs, tarball); wiped first */
	workDir: string;
	/** fixed ports (npm start) or 0 for ephemeral ones (e2e) */
	ports?: { n8n?: number; slack?: number; brevo?: number };
	/** run `npm run build` first (default true) */
	build?: boolean;
	/** which example files to import and publish (default: every examples/*.json) */
	examples?: string[];
	/** seed the emulators' demo workspace/account (default true) */
	seedDemo?: boolean;
	/**
	 * Start the TLS-terminating egress proxy (test/e2e/proxy.ts) and run n8n behind it (default false). All of n8n's
	 * HTTPS egress then goes to the proxy: slack.com and api.brevo.com reach the emulators, anything else gets 403.
	 */
	egressProxy?: boolean;
	/** more environment for n8n (e.g. a benchmark's settings); the proxy's variables win */
	extraEnv?: Record<string, string>;
	phases: Phases;
	echo?: (line: string) => void;
}

export interface ImportedExample {
	file: string;
	id: string;
	name: string;
	active: boolean;
	/** why publishing failed (the workflow is then left unpublished) */
	error?: string;
	/** values written into `REPLACE_ME...` placeholders before import, by "node name.parameter" */
	secrets: Record<string, string>;
}

export interface Stack {
	runtime: Runtime;
	pkg: PackedPackage;
	n8n: N8nServer;
	client: N8nClient;
	owner: Owner;
	slack: SlackEmulator;
	brevo: BrevoEmulator;
	/** the egress proxy n8n runs behind (only with `egressProxy`) */
	proxy?: EgressProxy;
	signingSecret: string;
	demo: { slack?: unknown; brevo?: unknown };
	nodeTypes: NodeTypeDescription[];
	examples: ImportedExample[];
	/** restarts n8n on the same user folder (registrations and static data persist) and logs in again */
	restartN8n(): Promise<void>;
	stop(): Promise<void>;
}

export function exampleFiles(): string[] {
	const dir = join(ROOT, 'examples');
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => join(dir, f));
}

/** Package node type names (`<package>.<node>`) declared in package.json, read from the built files' descriptions in n8n. */
export function packageNodeTypes(pkg: PackedPackage, types: NodeTypeDescription[]): NodeTypeDescription[] {
	return types.filter((t) => t.name.startsWith(`${pkg.name}.`));
}

/**
 * Placeholders the examples ask the user to replace (e.g. a shared secret `REPLACE_ME_with_openssl_rand_hex_24`):
 * the demo fills them with fresh random values, as the sticky notes tell a user to.
 */
export function fillPlaceholders(workflow: { nodes: Array<{ name: string; parameters?: Record<string, unknown> }> }): Record<string, string> {
	const secrets: Record<string, string> = {};
	for (const node of workflow.nodes) {
		for (const [key, value] of Object.entries(node.parameters ?? {})) {
			if (typeof value === 'string' && /^REPLACE_ME/.test(value)) {
				const secret = randomBytes(24).toString('hex');
				node.parameters![key] = secret;
				secrets[`${node.name}.${key}`] = secret;
			}
		}
	}
	return secrets;
}

export async function startStack(options: StackOptions): Promise<Stack> {
	const { phases, workDir } = options;
	const echo = options.echo ?? (() => undefined);
	reapOrphanedN8n(join(workDir, 'n8n-user'));
	rmSync(workDir, { recursive: true, force: true });
	mkdirSync(workDir, { recursive: true });
	const cleanups: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
		cleanups.length = 0;
	};
	try {
		// The provisioning script's own progress lines always show: on a cold cache it runs for minutes.
		const provisionEcho = (line: string) => (/^(runtime|provision-n8n):/.test(line) ? phases.note(line) : echo(line));
		const runtime = await phases.run('provision Node 24 + n8n (cached in .cache/runtime)', () =>
			withLock(join(CACHE_DIR, 'provision.lock'), () => provisionRuntime(provisionEcho), 30 * 60_000),
		);
		const pkg = await withLock(join(CACHE_DIR, 'build.lock'), async () => {
			if (options.build !== false) await phases.run('build the package (npm run build)', () => buildPackage(echo));
			return await phases.run('npm pack', () => packPackage(join(workDir, 'pack')));
		});

		const { slack, brevo } = await phases.run('start the Slack and Brevo emulators', async () => {
			const slackEmu = await startSlackEmulator({ port: options.ports?.slack || undefined });
			cleanups.push(() => slackEmu.close());
			const brevoEmu = await startBrevoEmulator({ port: options.ports?.brevo || undefined });
			cleanups.push(() => brevoEmu.close());
			return { slack: slackEmu, brevo: brevoEmu };
		});
		const demo: Stack['demo'] = {};
		if (options.seedDemo !== false) {
			demo.slack = slack.seedDemo();
			demo.brevo = brevo.seedDemo();
		}

		let proxy: EgressProxy | undefined;
		if (options.egressProxy) {
			proxy = await phases.run('start the HTTPS egress proxy (slack.com, api.brevo.com -> emulators)', () =>
				startEgressProxy({ dir: workDir, routes: egressRoutes(slack.apiUrl, brevo.apiUrl) }),
			);
			const started = proxy;
			cleanups.push(() => started.close());
		}

		const port = options.ports?.n8n || (await freePort());
		const userFolder = join(workDir, 'n8n-user');
		const n8n = new N8nServer({ runtime, userFolder, port, logFile: join(workDir, 'n8n.log'), extraEnv: { ...options.extraEnv, ...proxy?.env() } });
		cleanups.push(() => n8n.stop());
		const signingSecret = randomBytes(16).toString('hex');
		await phases.run('create credentials (n8n import:credentials, migrates the database)', () =>
			importCredentials(n8n, [
				{ id: CREDENTIAL_IDS.slackBot, name: 'Slack bot (emulator)', type: 'slackBrevoBotApi', data: { accessToken: slack.botToken, baseUrl: slack.apiUrl } },
				{ id: CREDENTIAL_IDS.slackSigning, name: 'Slack signing secret (emulator)', type: 'slackBrevoSigningSecretApi', data: { signingSecret } },
				{ id: CREDENTIAL_IDS.brevoKey, name: 'Brevo key (emulator)', type: 'slackBrevoBrevoApi', data: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl } },
				...(proxy
					? [
							{ id: PROXY_CREDENTIAL_IDS.slackBot, name: 'Slack bot (default URL, via proxy)', type: 'slackBrevoBotApi', data: { accessToken: slack.botToken, baseUrl: 'https://slack.com/api/' } },
							{ id: PROXY_CREDENTIAL_IDS.brevoKey, name: 'Brevo key (default URL, via proxy)', type: 'slackBrevoBrevoApi', data: { apiKey: brevo.apiKey, baseUrl: 'https://api.brevo.com/v3' } },
						]
					: []),
			]),
		);
		await phases.run('install the tarball into .n8n/nodes (Community Nodes steps)', () => installPackageIntoUserFolder(runtime, userFolder, pkg));
		await phases.run(`start n8n ${runtime.n8nVersion} on ${n8n.baseUrl}`, () => n8n.start());

		const client = new N8nClient(n8n.baseUrl);
		const owner = demoOwner();
		await phases.run('owner setup (REST /rest/owner/setup)', () => client.setupOwner(owner));

		const nodeTypes = await phases.run('node panel lists every node of the package', async () => {
			const types = await client.nodeTypes();
			const listed = new Set(packageNodeTypes(pkg, types).map((t) => t.name));
			const expected = await expectedNodeTypeNames(pkg, n8n);
			const missing = expected.filter((name) => !listed.has(name));
			if (missing.length > 0) {
				throw new RuntimeError('node panel', `n8n did not load ${missing.join(', ')} (see ${n8n.options.logFile})`);
			}
			const credentialTypes = new Set((await client.credentialTypes()).map((c) => c.name));
			const missingCredentials = ['slackBrevoBotApi', 'slackBrevoSigningSecretApi', 'slackBrevoBrevoApi'].filter((c) => !credentialTypes.has(c));
			if (missingCredentials.length > 0) throw new RuntimeError('credential types', `n8n did not load ${missingCredentials.join(', ')}`);
			return types;
		});

		const examples: ImportedExample[] = [];
		await phases.run('import and publish examples/*.json', async () => {
			for (const file of options.examples ?? exampleFiles()) {
				const json = JSON.parse(readFileSync(file, 'utf8'));
				const secrets = fillPlaceholders(json);
				const created = await client.createWorkflow(json);
				const entry: ImportedExample = { file: basename(file), id: created.id, name: created.name, active: false, secrets };
				try {
					await client.activateWorkflow(created.id);
					entry.active = true;
				} catch (error) {
					entry.error = (error as Error).message;
				}
				examples.push(entry);
				echo(`  ${entry.active ? 'published' : 'NOT published'}: ${entry.name} (${entry.file})${entry.error ? ` -> ${entry.error}` : ''}`);
			}
		});

		return {
			runtime,
			pkg,
			n8n,
			client,
			owner,
			slack,
			brevo,
			proxy,
			signingSecret,
			demo,
			nodeTypes,
			examples,
			restartN8n: async () => {
				await n8n.restart();
				await client.login(owner.email, owner.password);
			},
			stop: stopAll,
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}

/**
 * `<package>.<description.name>` of every node file package.json lists, read from the installed bundles with the
 * Node 24 that runs n8n (n8n-workflow resolved from n8n's own install, as n8n loads them).
 */
async function expectedNodeTypeNames(pkg: PackedPackage, n8n: N8nServer): Promise<string[]> {
	const packageDir = join(n8n.options.userFolder, '.n8n', 'nodes', 'node_modules', pkg.name);
	const script = `
		const path = require('node:path');
		const paths = JSON.parse(process.argv[2]);
		const names = [];
		for (const file of paths) {
			const mod = require(path.join(process.argv[1], file));
			for (const exported of Object.values(mod)) {
				if (typeof exported !== 'function') continue;
				const instance = new exported();
				const description = instance.description ?? Object.values(instance.nodeVersions ?? {})[0]?.description;
				if (description?.name) names.push(description.name);
			}
		}
		process.stdout.write(JSON.stringify(names));`;
	const result = await run(n8n.options.runtime.node, ['-e', script, packageDir, JSON.stringify(pkg.nodes)], {
		env: { PATH: process.env.PATH ?? '', NODE_PATH: join(n8n.options.runtime.n8nBin, '..', '..', '..') },
	});
	if (result.code !== 0) throw new RuntimeError('read node descriptions', result.output.slice(-2000));
	return (JSON.parse(result.output) as string[]).map((name) => `${pkg.name}.${name}`);
}
