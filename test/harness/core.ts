/**
 * Shared plumbing of the real-engine harness: n8n-core's DI container (logger, instance settings), the
 * registries of node and credential types (this package's sources plus the harness fixtures), the
 * credentials helper (decrypted data from the test, the credential type's own `authenticate`) and the
 * `additionalData` every n8n-core context needs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, basename } from 'node:path';

// n8n-core's InstanceSettings reads (or creates) `<N8N_USER_FOLDER>/.n8n/config` when first constructed: point it at
// one folder per user under the temp dir (not ~/.n8n), with the settings file written atomically beforehand so
// parallel jest workers never read a half-written file.
if (!process.env.N8N_USER_FOLDER) {
	const userFolder = join(tmpdir(), `n8n-harness-${process.getuid?.() ?? 'user'}`);
	const settingsFile = join(userFolder, '.n8n', 'config');
	if (!existsSync(settingsFile)) {
		mkdirSync(join(userFolder, '.n8n'), { recursive: true });
		const staging = `${settingsFile}.${process.pid}`;
		writeFileSync(staging, JSON.stringify({ encryptionKey: randomBytes(24).toString('base64') }), { mode: 0o600 });
		renameSync(staging, settingsFile);
	}
	process.env.N8N_USER_FOLDER = userFolder;
}

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks } from 'n8n-core';
import {
	ICredentialsHelper,
	LoggerProxy,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type ICredentials,
	type ICredentialsEncrypted,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

export const REPO_ROOT = resolve(__dirname, '..', '..');
const PACKAGE_JSON = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	n8n?: { nodes?: string[]; credentials?: string[] };
};
/** The prefix n8n gives this package's node types in workflow JSON (`n8n-nodes-slack-brevo.slackNotify`). */
export const PACKAGE_NAME = PACKAGE_JSON.name;

// ---------------------------------------------------------------------------------------------------------------
// Logging: one capturing logger for n8n-core (Container) and n8n-workflow (LoggerProxy).

export interface LogLine {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
	meta?: unknown;
	/** `level message {meta as JSON}`: what a secret-leak assertion should search. */
	text: string;
	/** The harness call (run, delivery, hook call, poll, credential test) the line was written in. */
	scope?: number;
}

const captured: LogLine[] = [];
const logScopes = new AsyncLocalStorage<number>();
let lastScope = 0;
let echoLogs = process.env.HARNESS_LOGS === '1';

/** JSON of anything (errors with their own fields, cycles cut): for "no secret anywhere" assertions. */
export function safeJson(value: unknown): string {
	const seen = new WeakSet<object>();
	try {
		return JSON.stringify(value, (_k, v: unknown) => {
			if (v instanceof Error) {
				return { name: v.name, message: v.message, stack: v.stack, ...(v as unknown as IDataObject) };
			}
			if (typeof v === 'object' && v !== null) {
				if (seen.has(v)) return '[Circular]';
				seen.add(v);
			}
			if (typeof v === 'bigint') return v.toString();
			return v;
		});
	} catch {
		return String(value);
	}
}

function record(level: LogLine['level'], message: unknown, meta?: unknown) {
	const msg = typeof message === 'string' ? message : safeJson(message);
	const text = meta === undefined ? `${level} ${msg}` : `${level} ${msg} ${safeJson(meta)}`;
	captured.push({ level, message: msg, meta, text, scope: logScopes.getStore() });
	if (echoLogs) process.stderr.write(`[n8n ${text}]\n`);
}

/** A logger shaped like @n8n/backend-common's Logger; every line is kept for assertions. */
export const capturingLogger = {
	error: (m: unknown, meta?: unknown) => record('error', m, meta),
	warn: (m: unknown, meta?: unknown) => record('warn', m, meta),
	info: (m: unknown, meta?: unknown) => record('info', m, meta),
	debug: (m: unknown, meta?: unknown) => record('debug', m, meta),
	scoped() {
		return capturingLogger;
	},
};

/** Every log line n8n-core, n8n-workflow or a node (`this.logger`) wrote since the last `clearLogs()`. */
export function getLogLines(): LogLine[] {
	return captured.slice();
}
export function clearLogs(): void {
	captured.length = 0;
}
/** Print log lines to stderr as they come (also `HARNESS_LOGS=1`). */
export function echoLogLines(on: boolean): void {
	echoLogs = on;
}
/**
 * A log scope: lines written by code run through `scope.run(fn)` (and everything async it starts) are tagged,
 * so concurrent runs each get only their own lines.
 */
export function newLogScope(): { run<T>(fn: () => T): T; lines(): LogLine[] } {
	const id = ++lastScope;
	return {
		run: (fn) => logScopes.run(id, fn),
		lines: () => captured.filter((l) => l.scope === id),
	};
}

let containerReady = false;
/** Registers the minimum n8n-core needs in its DI container. Idempotent. */
export function ensureN8nCore(): void {
	if (containerReady) return;
	Container.set(Logger, capturingLogger as unknown as Logger);
	LoggerProxy.init(capturingLogger as unknown as Parameters<typeof LoggerProxy.init>[0]);
	containerReady = true;
}
ensureN8nCore();

// ---------------------------------------------------------------------------------------------------------------
// Type registries.

export type NodeTypeLike = INodeType | IVersionedNodeType;
export type NodeTypeSource = NodeTypeLike | (new () => NodeTypeLike);
export type CredentialTypeSource = ICredentialType | (new () => ICredentialType);

function instantiate<T>(source: T | (new () => T)): T {
	return typeof source === 'function' ? new (source as new () => T)() : source;
}

/** Maps a package.json `n8n` entry (`dist/nodes/X/X.node.js`) to its TypeScript source. */
function sourceOf(distPath: string): string {
	return join(REPO_ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

/** Loads the class a source file exports (`X.node.ts` exports class `X`) and instantiates it. */
function loadFromSource<T>(file: string, suffix: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(file) as Record<string, unknown>;
	const className = basename(file).replace(suffix, '');
	const ctor = (mod[className] ?? Object.values(mod).find((v) => typeof v === 'function')) as
		| (new () => T)
		| undefined;
	if (!ctor) throw new Error(`${file} exports no class ${className}`);
	return new ctor();
}

const nodeTypeCache = new Map<string, NodeTypeLike>();
const credentialTypeCache = new Map<string, ICredentialType>();

function descriptionName(type: NodeTypeLike): string {
	return type.description.name;
}

/** This package's node type by its name (`slackNotify` or `n8n-nodes-slack-brevo.slackNotify`), loaded from source. */
export function loadPackageNodeType(name: string): NodeTypeLike | undefined {
	const bare = name.startsWith(`${PACKAGE_NAME}.`) ? name.slice(PACKAGE_NAME.length + 1) : name;
	const cached = nodeTypeCache.get(bare);
	if (cached) return cached;
	const entries = PACKAGE_JSON.n8n?.nodes ?? [];
	// Convention first (nodes/SlackNotify/SlackNotify.node.ts holds `slackNotify`), then every listed file.
	const ordered = [
		...entries.filter((e) => basename(e, '.node.js').toLowerCase() === bare.toLowerCase()),
		...entries,
	];
	for (const entry of ordered) {
		const file = sourceOf(entry);
		if (!existsSync(file)) continue;
		const type = loadFromSource<NodeTypeLike>(file, '.node.ts');
		nodeTypeCache.set(descriptionName(type), type);
		if (descriptionName(type) === bare) return type;
	}
	return undefined;
}

/**
 * Every node type listed in package.json whose source exists (a file that fails to load is reported in `failed`,
 * not thrown, so one node mid-edit does not break unrelated tests).
 */
export function loadAllPackageNodeTypes(): { types: NodeTypeLike[]; failed: Array<{ file: string; error: Error }> } {
	const types: NodeTypeLike[] = [];
	const failed: Array<{ file: string; error: Error }> = [];
	for (const entry of PACKAGE_JSON.n8n?.nodes ?? []) {
		const file = sourceOf(entry);
		if (!existsSync(file)) continue;
		try {
			const type = loadFromSource<NodeTypeLike>(file, '.node.ts');
			const known = nodeTypeCache.get(descriptionName(type));
			if (!known) nodeTypeCache.set(descriptionName(type), type);
			types.push(known ?? type);
		} catch (error) {
			failed.push({ file, error: error as Error });
		}
	}
	return { types, failed };
}

/** This package's credential type by name (`slackBrevoBotApi`), loaded from `credentials/*.credentials.ts`. */
export function loadPackageCredentialType(name: string): ICredentialType | undefined {
	const cached = credentialTypeCache.get(name);
	if (cached) return cached;
	const entries = PACKAGE_JSON.n8n?.credentials ?? [];
	const ordered = [
		...entries.filter((e) => basename(e, '.credentials.js').toLowerCase() === name.toLowerCase()),
		...entries,
	];
	for (const entry of ordered) {
		const file = sourceOf(entry);
		if (!existsSync(file)) continue;
		const type = loadFromSource<ICredentialType>(file, '.credentials.ts');
		credentialTypeCache.set(type.name, type);
		if (type.name === name) return type;
	}
	return undefined;
}

// Fixture node types, registered lazily so a broken fixture cannot break unrelated tests.
const FIXTURE_NODES: Record<string, () => NodeTypeLike> = {
	/* eslint-disable @typescript-eslint/no-require-imports */
	'harness.manualTrigger': () => new (require('./fixtures/ManualTrigger.node').ManualTrigger)(),
	'n8n-nodes-base.manualTrigger': () => new (require('./fixtures/ManualTrigger.node').ManualTrigger)(),
	'harness.items': () => new (require('./fixtures/Items.node').Items)(),
	'harness.scheduleTrigger': () => new (require('./fixtures/ScheduleTrigger.node').ScheduleTrigger)(),
	'n8n-nodes-base.scheduleTrigger': () => new (require('./fixtures/ScheduleTrigger.node').ScheduleTrigger)(),
	'n8n-nodes-base.stickyNote': () => new (require('./fixtures/StickyNote.node').StickyNote)(),
	'harness.noOp': () => new (require('./fixtures/NoOp.node').NoOp)(),
	'n8n-nodes-base.noOp': () => new (require('./fixtures/NoOp.node').NoOp)(),
	'harness.httpCall': () => new (require('./fixtures/HttpCall.node').HttpCall)(),
	'harness.webhookTrigger': () =>
		new (require('./fixtures/HarnessWebhookTrigger.node').HarnessWebhookTrigger)(),
	'harness.pollTrigger': () => new (require('./fixtures/HarnessPollTrigger.node').HarnessPollTrigger)(),
	/* eslint-enable @typescript-eslint/no-require-imports */
};
const FIXTURE_CREDENTIALS: Record<string, () => ICredentialType> = {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	harnessTestApi: () => new (require('./fixtures/HarnessTestApi.credentials').HarnessTestApi)(),
};
const fixtureNodeCache = new Map<string, NodeTypeLike>();

/**
 * The `INodeTypes` n8n-core resolves node types through: `extra` (by exact type name) first, then the harness
 * fixtures (`harness.*`, plus `n8n-nodes-base.manualTrigger` / `n8n-nodes-base.noOp` equivalents), then this
 * package's nodes from source (`n8n-nodes-slack-brevo.<name>` or the bare `<name>`).
 */
export class HarnessNodeTypes implements INodeTypes {
	private readonly extra = new Map<string, NodeTypeLike>();

	constructor(extra: Record<string, NodeTypeSource> = {}) {
		for (const [name, source] of Object.entries(extra)) this.extra.set(name, instantiate(source));
	}

	resolve(name: string): NodeTypeLike | undefined {
		const fromExtra = this.extra.get(name);
		if (fromExtra) return fromExtra;
		if (FIXTURE_NODES[name]) {
			let type = fixtureNodeCache.get(name);
			if (!type) {
				type = FIXTURE_NODES[name]();
				fixtureNodeCache.set(name, type);
			}
			return type;
		}
		return loadPackageNodeType(name);
	}

	/** The extra types given to the constructor, by name. */
	all(): Record<string, NodeTypeLike> {
		return Object.fromEntries(this.extra);
	}

	getByName(nodeType: string): NodeTypeLike {
		const type = this.resolve(nodeType);
		if (!type) throw new Error(`Unknown node type "${nodeType}" (not in opts.nodeTypes, fixtures or package.json n8n.nodes)`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export function resolveCredentialType(
	name: string,
	extra: Record<string, CredentialTypeSource> = {},
): ICredentialType {
	if (extra[name]) return instantiate(extra[name]);
	if (FIXTURE_CREDENTIALS[name]) return FIXTURE_CREDENTIALS[name]();
	const type = loadPackageCredentialType(name);
	if (!type) throw new Error(`Unknown credential type "${name}" (not in opts.credentialTypes, fixtures or package.json n8n.credentials)`);
	return type;
}

// ---------------------------------------------------------------------------------------------------------------
// Credentials.

/** Decrypted credential data by credential type name, e.g. `{ slackBrevoBotApi: { accessToken, baseUrl } }`. */
export type CredentialsInput = Record<string, ICredentialDataDecryptedObject>;

class PlainCredentials implements ICredentials {
	id?: string;
	name: string;
	type: string;
	data: string | undefined = undefined;
	constructor(
		details: INodeCredentialsDetails,
		type: string,
		private decrypted: ICredentialDataDecryptedObject,
	) {
		this.id = details.id ?? undefined;
		this.name = details.name;
		this.type = type;
	}
	async getData() {
		return { ...this.decrypted };
	}
	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: undefined };
	}
	async setData(data: ICredentialDataDecryptedObject) {
		this.decrypted = { ...data };
	}
	async updateData(toUpdate: Partial<ICredentialDataDecryptedObject>, toDelete: string[] = []) {
		this.decrypted = { ...this.decrypted, ...(toUpdate as ICredentialDataDecryptedObject) };
		for (const k of toDelete) delete this.decrypted[k];
	}
}

/**
 * The credentials helper n8n-core calls: data comes from the test (already decrypted), missing properties get the
 * credential type's defaults, and `authenticate` applies the credential type's own `authenticate`
 * (generic headers/qs/body/auth with `={{$credentials.x}}` expressions, or a function).
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	/** Every `getDecrypted` call, by credential type, for assertions (which node asked for what). */
	readonly accessed: string[] = [];

	constructor(
		private readonly data: CredentialsInput,
		private readonly nodeTypes: HarnessNodeTypes,
		private readonly extraTypes: Record<string, CredentialTypeSource> = {},
	) {
		super();
	}

	credentialType(name: string): ICredentialType {
		return resolveCredentialType(name, this.extraTypes);
	}

	getParentTypes(name: string): string[] {
		const type = this.credentialType(name);
		const parents = type.extends ?? [];
		return parents.flatMap((p) => [p, ...this.getParentTypesSafe(p)]);
	}

	private getParentTypesSafe(name: string): string[] {
		try {
			return this.getParentTypes(name);
		} catch {
			return []; // n8n's own base types (oAuth2Api, ...) are not loaded here
		}
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	/** The data given for `type` with the credential type's defaults filled in. */
	withDefaults(type: string, given: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
		const out: ICredentialDataDecryptedObject = {};
		for (const prop of this.credentialType(type).properties) {
			if (prop.default !== undefined && prop.type !== 'notice') out[prop.name] = prop.default as never;
		}
		return { ...out, ...given };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const auth = this.credentialType(typeName).authenticate;
		if (auth === undefined) return requestOptions as IHttpRequestOptions;
		if (typeof auth === 'function') return await auth(credentials, requestOptions as IHttpRequestOptions);
		if (auth.type !== 'generic') throw new Error(`Unsupported authenticate type "${String(auth.type)}"`);
		const wf = workflow ?? this.scratchWorkflow();
		const scratchNode = node ?? Object.values(wf.nodes)[0];
		const resolveValue = (value: unknown) =>
			typeof value === 'string' && value.startsWith('=')
				? wf.expression.getSimpleParameterValue(scratchNode, value, 'internal', { $credentials: credentials }, undefined, '')
				: value;
		const target = requestOptions as unknown as Record<string, Record<string, unknown> | undefined>;
		for (const [outerKey, inner] of Object.entries(auth.properties as Record<string, Record<string, unknown>>)) {
			const merged: Record<string, unknown> = { ...(target[outerKey] ?? {}) };
			for (const [key, value] of Object.entries(inner)) {
				merged[String(resolveValue(key))] = resolveValue(value);
			}
			target[outerKey] = merged;
		}
		return requestOptions as IHttpRequestOptions;
	}

	/** A one-node workflow to evaluate credential expressions when n8n-core gives none. */
	scratchWorkflow(): Workflow {
		return new Workflow({
			nodes: [
				{ id: 'scratch', name: 'Scratch', type: 'harness.noOp', typeVersion: 1, position: [0, 0], parameters: {} },
			],
			connections: {},
			active: false,
			nodeTypes: this.nodeTypes,
		});
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialType(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (expirable === undefined) return undefined;
		if (credentialsExpired || credentials[expirable.name] === '' || credentials[expirable.name] === undefined) {
			return (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialType(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	private lookup(type: string): ICredentialDataDecryptedObject {
		const given = this.data[type];
		if (given === undefined) {
			throw new Error(`No credentials of type "${type}" were given to the harness (opts.credentials.${type})`);
		}
		return this.withDefaults(type, given);
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		return new PlainCredentials(nodeCredentials, type, this.lookup(type));
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		_mode: WorkflowExecuteMode,
	): Promise<ICredentialDataDecryptedObject> {
		this.accessed.push(type);
		return this.lookup(type);
	}

	async updateCredentials(_n: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.data[type] = { ...data };
	}

	async updateCredentialsOauthTokenData(
		_n: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.data[type] = { ...data };
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialType(type).properties;
	}
}

/**
 * Gives every node the credentials its type declares and the test provides (n8n-core refuses
 * `getCredentials(type)` for a node without `node.credentials[type]`). Explicit `credentials` in the JSON win.
 */
export function attachCredentials(node: INode, nodeTypes: HarnessNodeTypes, provided: CredentialsInput): void {
	const type = nodeTypes.resolve(node.type);
	if (!type) return;
	const described = NodeHelpers.getVersionedNodeType(type, node.typeVersion).description.credentials ?? [];
	for (const cred of described) {
		if (provided[cred.name] === undefined) continue;
		node.credentials = node.credentials ?? {};
		if (!node.credentials[cred.name]) node.credentials[cred.name] = { id: `${cred.name}-id`, name: `${cred.name} (harness)` };
	}
}

// ---------------------------------------------------------------------------------------------------------------
// additionalData.

export interface AdditionalDataOptions {
	executionId?: string;
	workflowId?: string;
	mode?: WorkflowExecuteMode;
	/** Base for `getNodeWebhookUrl` (production); default `http://127.0.0.1:5678/webhook`. */
	webhookBaseUrl?: string;
	webhookTestBaseUrl?: string;
	variables?: IDataObject;
	/** Sets `executionTimeoutTimestamp` (what n8n sets from the workflow's timeout) this many ms from now. */
	executionTimeoutMs?: number;
}

let executionCounter = 0;
export function nextExecutionId(): string {
	executionCounter += 1;
	return String(executionCounter);
}

export function buildAdditionalData(
	credentialsHelper: HarnessCredentialsHelper,
	o: AdditionalDataOptions = {},
): IWorkflowExecuteAdditionalData {
	const executionId = o.executionId ?? nextExecutionId();
	const workflowId = o.workflowId ?? 'harness-workflow';
	const base = 'http://127.0.0.1:5678';
	const additionalData = {
		credentialsHelper,
		executionId,
		workflowId,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: o.webhookBaseUrl ?? `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: o.webhookTestBaseUrl ?? `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: o.variables ?? {},
		...(o.executionTimeoutMs !== undefined ? { executionTimeoutTimestamp: Date.now() + o.executionTimeoutMs } : {}),
		logAiEvent: () => undefined,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not supported by the harness');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('Task runners are not supported by the harness');
		},
		hooks: new ExecutionLifecycleHooks(o.mode ?? 'manual', executionId, {
			id: workflowId,
			name: 'harness',
			nodes: [],
			connections: {},
			active: false,
			settings: {},
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
		} as never),
	};
	return additionalData as unknown as IWorkflowExecuteAdditionalData;
}
