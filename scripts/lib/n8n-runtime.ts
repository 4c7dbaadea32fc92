/**
 * A real n8n server with this package installed, for `npm start` and the end-to-end suite.
 *
 * - provision: Node 24 and the pinned n8n from the npm registry into `.cache/runtime` (scripts/provision-n8n.sh)
 * - build and `npm pack` the package, then install the tarball into `<user folder>/.n8n/nodes` with the same steps
 *   n8n's Community Nodes screen runs (see installPackageIntoUserFolder)
 * - start / stop / restart n8n (SQLite, loopback port, same user folder so registrations persist)
 * - drive it over its REST API: owner setup, login cookie, community package install, node types, workflows,
 *   publish (activate) / unpublish, executions with their data
 *
 * Everything fails with a message that says which step failed and where its log is.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const CACHE_DIR = join(ROOT, '.cache');
export const RUNTIME_DIR = join(CACHE_DIR, 'runtime');
export const N8N_VERSION = process.env.N8N_VERSION ?? '2.40.7';

// ---------------------------------------------------------------------------------------------------------------
// Phases: every step is timed and printed

export class Phases {
	readonly timings: Array<{ name: string; ms: number; ok: boolean }> = [];

	constructor(
		private readonly prefix: string,
		private readonly log: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
	) {}

	async run<T>(name: string, fn: () => Promise<T>): Promise<T> {
		const started = Date.now();
		this.log(`${this.prefix} ${name} ...`);
		try {
			const result = await fn();
			const ms = Date.now() - started;
			this.timings.push({ name, ms, ok: true });
			this.log(`${this.prefix} ${name}: done in ${(ms / 1000).toFixed(1)}s`);
			return result;
		} catch (error) {
			const ms = Date.now() - started;
			this.timings.push({ name, ms, ok: false });
			this.log(`${this.prefix} ${name}: FAILED after ${(ms / 1000).toFixed(1)}s`);
			throw error;
		}
	}

	/** A progress line inside a phase. */
	note(line: string): void {
		this.log(`${this.prefix}   ${line}`);
	}

	summary(): string {
		const total = this.timings.reduce((sum, t) => sum + t.ms, 0);
		const width = Math.max(44, ...this.timings.map((t) => t.name.length));
		const rows = this.timings.map((t) => `  ${t.ok ? ' ' : '!'} ${t.name.padEnd(width)} ${(t.ms / 1000).toFixed(1).padStart(6)}s`);
		return [`${this.prefix} phase timings:`, ...rows, `    ${'total'.padEnd(width)} ${(total / 1000).toFixed(1).padStart(6)}s`].join('\n');
	}
}

export class RuntimeError extends Error {
	constructor(step: string, detail: string) {
		super(`${step}: ${detail}`);
		this.name = 'RuntimeError';
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes

interface RunResult {
	code: number | null;
	output: string;
}

/** Runs a command to completion, capturing stdout+stderr together (and optionally echoing each line). */
export function run(cmd: string, args: string[], options: SpawnOptions & { echo?: (line: string) => void } = {}): Promise<RunResult> {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		let pending = '';
		const onData = (chunk: Buffer) => {
			const text = chunk.toString();
			output += text;
			if (options.echo) {
				pending += text;
				const lines = pending.split('\n');
				pending = lines.pop() ?? '';
				for (const line of lines) options.echo(line);
			}
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.on('error', reject);
		child.on('close', (code) => {
			if (options.echo && pending) options.echo(pending);
			resolvePromise({ code, output });
		});
	});
}

/**
 * The environment without the npm_config_* variables an outer `npm run` exports (this repository's .npmrc sets
 * ignore-scripts=true): installs in n8n's own folders must behave as when run from a shell.
 */
export function cleanNpmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) if (!/^npm_config_/i.test(key)) env[key] = value;
	return { ...env, ...extra };
}

function tail(text: string, lines = 40): string {
	return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function tailOfFile(file: string, lines = 40): string {
	try {
		return tail(readFileSync(file, 'utf8'), lines);
	} catch {
		return `(no log at ${file})`;
	}
}

/** A free loopback TCP port (bound then released: good enough for one machine's test runs). */
export async function freePort(): Promise<number> {
	return await new Promise((resolvePromise, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolvePromise(port));
		});
	});
}

export async function assertPortFree(port: number, what: string): Promise<void> {
	await new Promise<void>((resolvePromise, reject) => {
		const server = createServer();
		server.once('error', () =>
			reject(new RuntimeError(`port ${port}`, `${what} needs 127.0.0.1:${port}, which is already in use (stop whatever holds it or choose another port)`)),
		);
		server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise()));
	});
}

/** Is a process with this pid alive (signal 0 only checks)? */
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Runs `fn` holding a lock directory (atomic mkdir) so concurrent runs in one working tree (several engineers, or
 * `npm start` next to the suite) do not rebuild dist/ under each other's `npm pack`. A lock whose owner died is taken over.
 */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>, timeoutMs = 600_000): Promise<T> {
	mkdirSync(dirname(lockDir), { recursive: true });
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			mkdirSync(lockDir);
			writeFileSync(join(lockDir, 'pid'), String(process.pid));
			break;
		} catch {
			let owner = NaN;
			try {
				owner = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
			} catch {
				// the owner is between mkdir and writing its pid
			}
			if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) rmSync(lockDir, { recursive: true, force: true });
			else if (Date.now() > deadline) throw new RuntimeError('lock', `${lockDir} held by pid ${owner} for ${timeoutMs / 1000}s`);
			else await new Promise((r) => setTimeout(r, 500));
		}
	}
	try {
		return await fn();
	} finally {
		rmSync(lockDir, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Provisioning, build, pack

export interface Runtime {
	node: string;
	binDir: string;
	n8nBin: string;
	n8nVersion: string;
}

export function runtimePaths(): Runtime {
	const node = join(RUNTIME_DIR, 'node24', 'node_modules', 'node', 'bin', 'node');
	return {
		node,
		binDir: dirname(node),
		n8nBin: join(RUNTIME_DIR, 'n8n', 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nVersion: N8N_VERSION,
	};
}

/** Node 24 + n8n from the npm registry into .cache/runtime (a no-op when the stamp file says it is there). */
export async function provisionRuntime(echo?: (line: string) => void): Promise<Runtime> {
	const script = join(ROOT, 'scripts', 'provision-n8n.sh');
	const result = await run('bash', [script], { cwd: ROOT, env: cleanNpmEnv({ N8N_VERSION }), echo });
	if (result.code !== 0) {
		throw new RuntimeError('provision Node 24 + n8n', `scripts/provision-n8n.sh exited with ${result.code}:\n${tail(result.output)}`);
	}
	const paths = runtimePaths();
	for (const [what, file] of [
		['Node 24', paths.node],
		['n8n', paths.n8nBin],
	]) {
		if (!existsSync(file)) throw new RuntimeError('provision Node 24 + n8n', `${what} missing at ${file} although provisioning succeeded`);
	}
	return paths;
}

export async function buildPackage(echo?: (line: string) => void): Promise<void> {
	const result = await run('npm', ['run', 'build'], { cwd: ROOT, echo });
	if (result.code !== 0) throw new RuntimeError('npm run build', `exited with ${result.code}:\n${tail(result.output)}`);
}

export interface PackedPackage {
	tarball: string;
	name: string;
	version: string;
	/** files listed in package.json's `n8n` section */
	nodes: string[];
	credentials: string[];
}

/** `npm pack` of the repository (after a build), checking that every node and credential file n8n will load is inside. */
export async function packPackage(destDir: string, packageDir = ROOT): Promise<PackedPackage> {
	const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
	const nodes: string[] = pkg.n8n?.nodes ?? [];
	const credentials: string[] = pkg.n8n?.credentials ?? [];
	if (nodes.length === 0) throw new RuntimeError('npm pack', `package.json lists no n8n.nodes in ${packageDir}`);
	const missing = [...nodes, ...credentials].filter((file) => !existsSync(join(packageDir, file)));
	if (missing.length > 0) {
		throw new RuntimeError('npm pack', `built files listed in package.json "n8n" are missing (run npm run build, or the node is not written yet):\n  ${missing.join('\n  ')}`);
	}
	mkdirSync(destDir, { recursive: true });
	const result = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destDir], { cwd: packageDir, env: cleanNpmEnv() });
	if (result.code !== 0) throw new RuntimeError('npm pack', `exited with ${result.code}:\n${tail(result.output)}`);
	const json = result.output.slice(result.output.indexOf('['));
	const [info] = JSON.parse(json) as Array<{ filename: string; files: Array<{ path: string }> }>;
	const packed = new Set(info.files.map((f) => f.path));
	const notPacked = [...nodes, ...credentials].filter((file) => !packed.has(file));
	if (notPacked.length > 0) throw new RuntimeError('npm pack', `the tarball lacks files n8n will load (check "files" in package.json):\n  ${notPacked.join('\n  ')}`);
	return { tarball: join(destDir, info.filename), name: pkg.name, version: pkg.version, nodes, credentials };
}

// ---------------------------------------------------------------------------------------------------------------
// Installing the package into a user folder

/**
 * Installs a packed tarball into `<userFolder>/.n8n/nodes` with the steps of n8n 2.40's Community Nodes install
 * (CommunityPackagesService.downloadPackage): unpack into `nodes/node_modules/<name>`, drop dev/peer/optional
 * dependencies from its package.json, `npm install --ignore-scripts --install-strategy=shallow` inside it, and record
 * the version in the `nodes/package.json` ledger. n8n scans `nodes/node_modules` on start and loads it from there.
 *
 * n8n itself would fetch the tarball with `npm pack <name>@<version>` from its registry; pointing it at a local
 * registry (N8N_COMMUNITY_PACKAGES_REGISTRY) is an enterprise-licence feature in 2.40 ("feat:communityNodes:
 * customRegistry"), so the tarball comes from our own `npm pack` instead. Everything after that is the same.
 * The GUI also writes an `installed_packages` row (Settings > Community nodes); this install does not.
 */
export async function installPackageIntoUserFolder(runtime: Runtime, userFolder: string, pkg: PackedPackage): Promise<string> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const ledgerFile = join(nodesDir, 'package.json');
	const packageDir = join(nodesDir, 'node_modules', ...pkg.name.split('/'));
	mkdirSync(nodesDir, { recursive: true });
	const ledger = existsSync(ledgerFile) ? JSON.parse(readFileSync(ledgerFile, 'utf8')) : { name: 'installed-nodes', private: true, dependencies: {} };
	rmSync(packageDir, { recursive: true, force: true });
	mkdirSync(packageDir, { recursive: true });
	const untar = await run('tar', ['-xzf', pkg.tarball, '-C', packageDir, '--strip-components=1']);
	if (untar.code !== 0) throw new RuntimeError('install package', `tar could not unpack ${pkg.tarball}:\n${tail(untar.output)}`);
	const manifestFile = join(packageDir, 'package.json');
	const { devDependencies: _dev, peerDependencies: _peer, optionalDependencies: _optional, ...manifest } = JSON.parse(readFileSync(manifestFile, 'utf8'));
	writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
	const install = await run(
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
		{ cwd: packageDir, env: cleanNpmEnv({ PATH: `${runtime.binDir}:${process.env.PATH ?? ''}` }) },
	);
	if (install.code !== 0) throw new RuntimeError('install package', `npm install in ${packageDir} exited with ${install.code}:\n${tail(install.output)}`);
	ledger.dependencies = { ...ledger.dependencies, [pkg.name]: pkg.version };
	writeFileSync(ledgerFile, JSON.stringify(ledger, null, 2));
	return packageDir;
}

// ---------------------------------------------------------------------------------------------------------------
// The n8n process

export interface N8nServerOptions {
	runtime: Runtime;
	/** N8N_USER_FOLDER: n8n keeps `.n8n/` (SQLite, config, community nodes) inside */
	userFolder: string;
	port: number;
	logFile: string;
	encryptionKey?: string;
	extraEnv?: Record<string, string>;
}

export class N8nServer {
	readonly baseUrl: string;
	private child?: ChildProcess;
	private exited?: Promise<number | null>;
	private brokerPort?: number;
	private readonly encryptionKey: string;

	constructor(readonly options: N8nServerOptions) {
		this.baseUrl = `http://127.0.0.1:${options.port}`;
		this.encryptionKey = options.encryptionKey ?? randomBytes(24).toString('hex');
		mkdirSync(options.userFolder, { recursive: true });
		mkdirSync(dirname(options.logFile), { recursive: true });
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	get running(): boolean {
		return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
	}

	get databaseFile(): string {
		return join(this.options.userFolder, '.n8n', 'database.sqlite');
	}

	env(): NodeJS.ProcessEnv {
		const { runtime, userFolder, port, extraEnv } = this.options;
		const env: NodeJS.ProcessEnv = {
			...cleanNpmEnv(),
			PATH: `${runtime.binDir}:${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			N8N_WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_SECURE_COOKIE: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort ?? 0),
			N8N_RUNNERS_TASK_TIMEOUT: '300',
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
			N8N_LOG_OUTPUT: 'console',
			DB_TYPE: 'sqlite',
			EXECUTIONS_MODE: 'regular',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
			GENERIC_TIMEZONE: 'UTC',
			...extraEnv,
		};
		// The machine's own tooling must not leak into n8n's Node 24 (e.g. NODE_OPTIONS=-r ts-node/register from jest).
		delete env.NODE_OPTIONS;
		delete env.WEBHOOK_URL;
		// Jest sets NODE_ENV=test, which switches n8n into its own unit-test mode (silent logger, no node loading).
		delete env.NODE_ENV;
		for (const key of Object.keys(env)) if (key.startsWith('JEST_')) delete env[key];
		return env;
	}

	/** Runs an n8n CLI command (import:credentials, ...) against the same user folder while the server is stopped. */
	async cli(args: string[]): Promise<string> {
		if (!this.brokerPort) this.brokerPort = await freePort();
		const result = await run(this.options.runtime.n8nBin, args, { cwd: this.options.userFolder, env: this.env() });
		if (result.code !== 0) throw new RuntimeError(`n8n ${args[0]}`, `exited with ${result.code}:\n${tail(result.output)}`);
		return result.output;
	}

	async start(timeoutMs = 180_000): Promise<void> {
		if (this.running) throw new RuntimeError('start n8n', `already running (pid ${this.pid})`);
		await assertPortFree(this.options.port, 'n8n');
		this.brokerPort = await freePort();
		const log = openSync(this.options.logFile, 'a');
		writeFileSync(this.options.logFile, `\n===== n8n start ${new Date().toISOString()} =====\n`, { flag: 'a' });
		const child = spawn(this.options.runtime.n8nBin, ['start'], {
			cwd: this.options.userFolder,
			env: this.env(),
			stdio: ['ignore', log, log],
		});
		closeSync(log);
		this.child = child;
		// lets a later run stop this n8n if the process that started it died without stopping it (see reapOrphanedN8n)
		writeFileSync(join(this.options.userFolder, 'n8n.pid'), String(child.pid));
		this.exited = new Promise((resolvePromise) => child.once('exit', (code) => resolvePromise(code)));
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (!this.running) {
				throw new RuntimeError('start n8n', `n8n exited (code ${child.exitCode}) before it was ready. Log ${this.options.logFile}:\n${tailOfFile(this.options.logFile)}`);
			}
			if (await this.isReady()) return;
			if (Date.now() > deadline) {
				await this.stop();
				throw new RuntimeError('start n8n', `not ready after ${timeoutMs / 1000}s. Log ${this.options.logFile}:\n${tailOfFile(this.options.logFile)}`);
			}
			await new Promise((r) => setTimeout(r, 500));
		}
	}

	/** /healthz answers as soon as the HTTP server listens; /healthz/readiness once the database is migrated and connected. */
	async isReady(): Promise<boolean> {
		try {
			const [health, ready] = await Promise.all([
				fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) }),
				fetch(`${this.baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) }),
			]);
			if (!health.ok || !ready.ok) return false;
			// The REST API (and the editor's settings) come last in the start sequence.
			const settings = await fetch(`${this.baseUrl}/rest/settings`, { signal: AbortSignal.timeout(2000) });
			return settings.ok;
		} catch {
			return false;
		}
	}

	/** SIGTERM (n8n shuts down gracefully: active triggers stay registered for the next start), SIGKILL if it hangs. */
	async stop(timeoutMs = 30_000): Promise<void> {
		const child = this.child;
		if (!child || !this.running) return;
		child.kill('SIGTERM');
		const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
		if ((await Promise.race([this.exited, timer])) === 'timeout') {
			child.kill('SIGKILL');
			await this.exited;
		}
		this.child = undefined;
	}

	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}
}

/**
 * Stops an n8n left running by a run that died (SIGKILL, crash) before its teardown: the pid recorded in the user
 * folder, only if that process is still an n8n serving exactly this user folder.
 */
export function reapOrphanedN8n(userFolder: string): boolean {
	let pid = NaN;
	try {
		pid = Number(readFileSync(join(userFolder, 'n8n.pid'), 'utf8'));
	} catch {
		return false;
	}
	if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return false;
	try {
		const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
		if (!environ.includes(`N8N_USER_FOLDER=${userFolder}`)) return false;
	} catch {
		return false;
	}
	process.kill(pid, 'SIGTERM');
	return true;
}

// ---------------------------------------------------------------------------------------------------------------
// REST client

export class N8nHttpError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`n8n ${method} ${path} -> HTTP ${status}: ${body.slice(0, 800)}`);
		this.name = 'N8nHttpError';
	}
}

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export function demoOwner(): Owner {
	// n8n wants 8+ characters with a digit and an upper-case letter.
	return { email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner', password: `Demo-${randomBytes(6).toString('hex')}-9X` };
}

export interface WorkflowSummary {
	id: string;
	name: string;
	active: boolean;
	versionId: string;
	activeVersionId?: string | null;
	nodes: Array<{ id?: string; name: string; type: string; typeVersion: number; parameters: Record<string, unknown>; webhookId?: string; credentials?: Record<string, { id: string; name: string }> }>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export interface PublicationStatus {
	status: 'in_progress' | 'not_published' | 'published' | 'partial' | 'failed';
	liveVersionId: string | null;
	pendingVersionId: string | null;
	triggers: Array<{ nodeId: string; status: string; errorMessage?: string | null }>;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: 'new' | 'running' | 'success' | 'error' | 'canceled' | 'crashed' | 'waiting' | string;
	mode: string;
	startedAt: string;
	stoppedAt?: string | null;
	finished?: boolean;
	[key: string]: unknown;
}

export interface NodeTypeDescription {
	name: string;
	displayName: string;
	version: number | number[];
	group: string[];
	webhooks?: unknown[];
	credentials?: Array<{ name: string }>;
	[key: string]: unknown;
}

export class N8nClient {
	cookie = '';

	constructor(readonly baseUrl: string) {}

	async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				accept: 'application/json',
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(this.cookie ? { cookie: this.cookie } : {}),
				// the editor sends its session id; write-lock checks accept requests without one
				'browser-id': 'n8n-nodes-slack-brevo-runtime',
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(120_000),
		});
		const setCookie = response.headers.getSetCookie?.() ?? [];
		const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth;
		const text = await response.text();
		if (!response.ok) throw new N8nHttpError(method, path, response.status, text);
		if (!text) return undefined as T;
		const json = JSON.parse(text);
		return (json && typeof json === 'object' && 'data' in json ? json.data : json) as T;
	}

	async setupOwner(owner: Owner): Promise<void> {
		await this.request('POST', '/rest/owner/setup', owner);
		if (!this.cookie) throw new RuntimeError('owner setup', 'n8n answered without an n8n-auth cookie');
	}

	async login(email: string, password: string): Promise<void> {
		this.cookie = '';
		await this.request('POST', '/rest/login', { emailOrLdapLoginId: email, password });
		if (!this.cookie) throw new RuntimeError('login', 'n8n answered without an n8n-auth cookie');
	}

	/** What the editor's node panel lists (`/types/nodes.json`, regenerated after a package install). */
	async nodeTypes(): Promise<NodeTypeDescription[]> {
		return await this.request('GET', '/types/nodes.json');
	}

	async credentialTypes(): Promise<Array<{ name: string; displayName: string }>> {
		return await this.request('GET', '/types/credentials.json');
	}

	async credentials(): Promise<Array<{ id: string; name: string; type: string }>> {
		return await this.request('GET', '/rest/credentials');
	}

	async workflows(): Promise<WorkflowSummary[]> {
		return await this.request('GET', '/rest/workflows');
	}

	async workflow(id: string): Promise<WorkflowSummary> {
		return await this.request('GET', `/rest/workflows/${encodeURIComponent(id)}`);
	}

	async workflowByName(name: string): Promise<WorkflowSummary> {
		const all = await this.workflows();
		const match = all.filter((w) => w.name === name);
		if (match.length !== 1) {
			throw new RuntimeError('find workflow', `${match.length} workflows named "${name}" (have: ${all.map((w) => w.name).join(', ') || 'none'})`);
		}
		return await this.workflow(match[0].id);
	}

	/** Creates a workflow from exported JSON (id kept when given, credentials referenced by id). */
	async createWorkflow(json: Record<string, unknown>): Promise<WorkflowSummary> {
		const { name, nodes, connections, settings, pinData, id, meta, staticData } = json as Record<string, unknown>;
		return await this.request('POST', '/rest/workflows', {
			...(id ? { id } : {}),
			name,
			nodes,
			connections,
			settings: settings ?? { executionOrder: 'v1' },
			...(pinData ? { pinData } : {}),
			...(meta ? { meta } : {}),
			...(staticData ? { staticData } : {}),
			active: false,
		});
	}

	/**
	 * Publishes (activates) the current version and waits until n8n has activated its triggers. n8n 2.x publishes
	 * through an outbox: the POST returns at once and trigger activation (webhookMethods.create, ...) runs after it;
	 * `publication-status` reports the outcome per trigger, with the error message when one failed.
	 */
	async activateWorkflow(id: string, timeoutMs = 60_000): Promise<PublicationStatus> {
		const current = await this.workflow(id);
		await this.request('POST', `/rest/workflows/${encodeURIComponent(id)}/activate`, { versionId: current.versionId });
		const status = await this.waitForPublication(id, (s) => s.status !== 'in_progress' && s.status !== 'not_published', timeoutMs);
		if (status.status !== 'published') {
			const reasons = status.triggers.filter((t) => t.status !== 'activated').map((t) => `${t.nodeId}: ${t.errorMessage ?? t.status}`);
			throw new RuntimeError(`activate workflow ${current.name}`, `publication ${status.status}: ${reasons.join('; ') || 'no trigger activated'}`);
		}
		return status;
	}

	/** Unpublishes (deactivates) and waits until no trigger of the workflow is live (webhookMethods.delete ran). */
	async deactivateWorkflow(id: string, timeoutMs = 60_000): Promise<PublicationStatus> {
		await this.request('POST', `/rest/workflows/${encodeURIComponent(id)}/deactivate`, {});
		return await this.waitForPublication(id, (s) => s.status === 'not_published', timeoutMs);
	}

	async publicationStatus(id: string): Promise<PublicationStatus> {
		return await this.request('GET', `/rest/workflows/${encodeURIComponent(id)}/publication-status`);
	}

	async waitForPublication(id: string, done: (s: PublicationStatus) => boolean, timeoutMs: number): Promise<PublicationStatus> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const status = await this.publicationStatus(id);
			if (done(status)) return status;
			if (Date.now() > deadline) throw new RuntimeError(`publication of workflow ${id}`, `still ${JSON.stringify(status)} after ${timeoutMs / 1000}s`);
			await new Promise((r) => setTimeout(r, 250));
		}
	}

	async deleteWorkflow(id: string): Promise<void> {
		await this.request('POST', `/rest/workflows/${encodeURIComponent(id)}/archive`, {}).catch(() => undefined);
		await this.request('DELETE', `/rest/workflows/${encodeURIComponent(id)}`);
	}

	/** Most recent first. */
	async executions(filter: { workflowId?: string; status?: string[] } = {}, limit = 100): Promise<ExecutionSummary[]> {
		const query = new URLSearchParams({ filter: JSON.stringify(filter), limit: String(limit) });
		const data = await this.request<{ results: ExecutionSummary[] }>('GET', `/rest/executions?${query}`);
		return data.results;
	}

	/** One execution with its run data (n8n stores it in `flatted` form). */
	async execution(id: string): Promise<ExecutionSummary & { data: ExecutionData }> {
		const raw = await this.request<ExecutionSummary & { data: string }>('GET', `/rest/executions/${encodeURIComponent(id)}`);
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { parse } = require('flatted') as { parse: (text: string) => ExecutionData };
		return { ...raw, data: typeof raw.data === 'string' ? parse(raw.data) : (raw.data as ExecutionData) };
	}
}

export interface ExecutionData {
	resultData: {
		runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: { message: string }; executionStatus?: string }>>;
		error?: { message: string; description?: string };
		lastNodeExecuted?: string;
	};
	[key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Credentials with fixed ids (what the examples reference)

export interface CredentialSeed {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/**
 * `n8n import:credentials` keeps ids (the REST API always generates new ones) and encrypts plaintext `data` with the
 * instance key. Run before the first start: it also migrates the fresh SQLite database.
 */
export async function importCredentials(server: N8nServer, credentials: CredentialSeed[]): Promise<void> {
	const file = join(server.options.userFolder, `credentials-${randomBytes(4).toString('hex')}.json`);
	writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
	try {
		const output = await server.cli(['import:credentials', `--input=${file}`]);
		if (!/Successfully imported/.test(output)) throw new RuntimeError('n8n import:credentials', tail(output));
	} finally {
		rmSync(file, { force: true });
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Registered webhooks, read from n8n's own database

export interface RegisteredWebhook {
	workflowId: string;
	webhookPath: string;
	method: string;
	node: string;
	webhookId: string | null;
}

/**
 * The production webhooks n8n registered for active workflows (table `webhook_entity`), read with Node 24's
 * built-in SQLite (WAL mode lets a reader in while n8n writes). This is exactly what n8n routes `/webhook/...` with.
 */
export async function registeredWebhooks(where: { node: string; databaseFile: string }): Promise<RegisteredWebhook[]> {
	const script = `
		const { DatabaseSync } = require('node:sqlite');
		const db = new DatabaseSync(process.argv[1], { readOnly: true });
		const rows = db.prepare('SELECT workflowId, webhookPath, method, node, webhookId FROM webhook_entity').all();
		process.stdout.write(JSON.stringify(rows));`;
	const result = await run(where.node, ['--no-warnings', '-e', script, where.databaseFile], { env: { PATH: process.env.PATH ?? '' } });
	if (result.code !== 0) throw new RuntimeError('read webhook_entity', tail(result.output));
	return JSON.parse(result.output);
}
