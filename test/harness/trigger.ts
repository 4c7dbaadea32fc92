/**
 * Trigger harness: runs a trigger's `webhookMethods` (checkExists / create / delete) with n8n-core's HookContext,
 * feeds real HTTP requests (raw bytes, headers) to its `webhook()` through n8n-core's WebhookContext behind a
 * node:http server, and runs `poll()` with n8n-core's PollContext.
 *
 * Static data behaves as in a production n8n (and in queue mode): it is persisted between calls as plain data,
 * and every hook call, delivery or poll gets a fresh `Workflow` built from the persisted copy; the copy is updated
 * only when the node changed it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';

import { HookContext, PollContext, WebhookContext } from 'n8n-core';
import {
	jsonParse,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type WebhookType,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import {
	HarnessCredentialsHelper,
	HarnessNodeTypes,
	buildAdditionalData,
	newLogScope,
	safeJson,
	PACKAGE_NAME,
	type CredentialTypeSource,
	type CredentialsInput,
	type LogLine,
	type NodeTypeLike,
	type NodeTypeSource,
} from './core';
import { buildWorkflow, runWorkflow, type RunResult, type WorkflowJson } from './engine';

export interface TriggerOptions {
	/** Node parameters as a workflow JSON would hold them (defaults are filled in like n8n does). */
	parameters?: Record<string, unknown>;
	/** Decrypted credential data by type, e.g. `{ slackBrevoSigningSecretApi: { signingSecret } }`. */
	credentials?: CredentialsInput;
	/** Persisted workflow static data to start from (`{ global?, 'node:<name>'? }`), e.g. from an earlier trigger. */
	staticData?: IDataObject;
	/** Node name in the workflow; default the type's `defaults.name`. */
	nodeName?: string;
	typeVersion?: number;
	/** Stable `webhookId` of the node: the URL is `<base>/<webhookId>/<path>` (default derived from the node name). */
	webhookId?: string;
	workflowId?: string;
	/** Extra node / credential types (e.g. downstream nodes of `workflow`). */
	nodeTypes?: Record<string, NodeTypeSource>;
	credentialTypes?: Record<string, CredentialTypeSource>;
	/** Base of production webhook URLs for the hook methods; the trigger server sets its own. */
	webhookBaseUrl?: string;
	/** Execution mode of hook calls and deliveries; default `trigger` for hooks, `webhook` for deliveries. */
	mode?: WorkflowExecuteMode;
	activation?: WorkflowActivateMode;
}

type NodeRef = NodeTypeSource | string;

interface Prepared {
	typeName: string;
	nodeTypes: HarnessNodeTypes;
	nodeType: INodeType;
	credentials: CredentialsInput;
	nodeName: string;
	parameters: IDataObject;
	typeVersion: number;
}

function prepare(ref: NodeRef, o: TriggerOptions): Prepared {
	let typeName: string;
	const extra: Record<string, NodeTypeSource> = { ...(o.nodeTypes ?? {}) };
	if (typeof ref === 'string') {
		typeName = ref;
	} else {
		const instance = (typeof ref === 'function' ? new ref() : ref) as NodeTypeLike;
		// the name n8n gives a community node (`<package>.<name>`), so `this.getNode().type` reads as in n8n
		typeName = `${PACKAGE_NAME}.${instance.description.name}`;
		extra[typeName] = instance;
	}
	const nodeTypes = new HarnessNodeTypes(extra);
	const versioned = nodeTypes.getByName(typeName);
	const typeVersion =
		o.typeVersion ??
		('nodeVersions' in versioned
			? versioned.currentVersion
			: Array.isArray(versioned.description.version)
				? Math.max(...versioned.description.version)
				: versioned.description.version);
	const nodeType = nodeTypes.getByNameAndVersion(typeName, typeVersion);
	return {
		typeName,
		nodeTypes,
		nodeType,
		credentials: { ...(o.credentials ?? {}) },
		nodeName: o.nodeName ?? nodeType.description.defaults.name ?? 'Trigger',
		parameters: (o.parameters ?? {}) as IDataObject,
		typeVersion,
	};
}

/** Static data persisted between calls, as a database row would hold it. */
class StaticDataStore {
	private data: IDataObject;
	changes = 0;
	constructor(initial?: IDataObject) {
		this.data = JSON.parse(JSON.stringify(initial ?? {})) as IDataObject;
	}
	load(): IDataObject {
		return JSON.parse(JSON.stringify(this.data)) as IDataObject;
	}
	saveIfChanged(staticData: IDataObject): boolean {
		const changed = Boolean(staticData.__dataChanged);
		if (!changed) return false;
		const copy = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		delete copy.__dataChanged;
		for (const v of Object.values(copy)) if (v && typeof v === 'object') delete (v as IDataObject).__dataChanged;
		this.data = copy;
		this.changes += 1;
		return true;
	}
	/** Saves the static data an execution ended with (n8n saves it after a production execution changed it). */
	replace(plain: IDataObject): void {
		this.data = JSON.parse(JSON.stringify(plain)) as IDataObject;
		this.changes += 1;
	}
	get current(): IDataObject {
		return this.load();
	}
}

function defaultWebhookId(nodeName: string): string {
	return `${nodeName.replace(/[^A-Za-z0-9]/g, '').toLowerCase() || 'trigger'}-webhook-id`;
}

function newWorkflow(p: Prepared, o: TriggerOptions, store: StaticDataStore, extraJson?: WorkflowJson) {
	const triggerNode = {
		id: 'trigger-node',
		name: p.nodeName,
		type: p.typeName,
		typeVersion: p.typeVersion,
		position: [0, 0] as [number, number],
		parameters: p.parameters as INode['parameters'],
		webhookId: o.webhookId ?? defaultWebhookId(p.nodeName),
	};
	const json: WorkflowJson = extraJson ?? { nodes: [triggerNode], connections: {} };
	const workflow = buildWorkflow(
		{ ...json, id: o.workflowId ?? json.id ?? 'harness-workflow' },
		p.nodeTypes,
		p.credentials,
		store.load(),
	);
	const node = workflow.getNode(p.nodeName);
	if (!node) throw new Error(`Trigger node "${p.nodeName}" is not in the workflow`);
	return { workflow, node };
}

function webhookData(
	workflow: ReturnType<typeof newWorkflow>['workflow'],
	node: INode,
	description: IWebhookDescription,
	additionalData: ReturnType<typeof buildAdditionalData>,
	mode: WorkflowExecuteMode,
	isTest = false,
): IWebhookData {
	const path = workflow.expression.getSimpleParameterValue(node, description.path, mode, {});
	const httpMethod = workflow.expression.getSimpleParameterValue(node, description.httpMethod, mode, {}, undefined, 'GET');
	return {
		httpMethod: String(httpMethod) as IWebhookData['httpMethod'],
		node: node.name,
		path: String(path),
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
		...(isTest ? { isTest: true } : {}),
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Hook methods.

export type HookMethod = 'checkExists' | 'create' | 'delete';

export interface HookCallResult {
	method: HookMethod;
	webhookName: string;
	result: boolean | undefined;
	/** What the method threw. */
	error?: Error;
	logs: LogLine[];
}

export interface TriggerHooks {
	/** Runs one hook method of one webhook (default `default`) with n8n-core's HookContext. */
	run(method: HookMethod, webhookName?: string): Promise<boolean | undefined>;
	checkExists(webhookName?: string): Promise<boolean | undefined>;
	create(webhookName?: string): Promise<boolean | undefined>;
	delete(webhookName?: string): Promise<boolean | undefined>;
	/**
	 * What n8n does on activation: for each webhook with methods, `checkExists`, then `create` if it returned false,
	 * all on one workflow object whose static data is saved at the end. If a call throws, n8n clears the webhooks
	 * (`delete` on the workflow as stored, without the failed activation's static data changes) and the error
	 * propagates; `calls` shows all of it.
	 */
	activate(): Promise<HookCallResult[]>;
	/** What n8n does on deactivation: `delete` for each webhook with methods, then static data saved. */
	deactivate(): Promise<HookCallResult[]>;
	/** Persisted static data after the calls so far. */
	readonly staticData: IDataObject;
	/** Every call so far. */
	readonly calls: HookCallResult[];
	/** The URL `getNodeWebhookUrl(name)` gives (default `default`). */
	webhookUrl(name?: string): string;
}

function createHooks(p: Prepared, o: TriggerOptions & { isTest?: boolean }, store: StaticDataStore): TriggerHooks {
	const calls: HookCallResult[] = [];
	const mode = o.mode ?? 'trigger';
	const activation = o.activation ?? 'activate';
	const descriptions = p.nodeType.description.webhooks ?? [];
	const methods = (p.nodeType.webhookMethods ?? {}) as Record<
		string,
		Partial<Record<HookMethod, (this: HookContext) => Promise<boolean>>> | undefined
	>;

	type Loaded = ReturnType<typeof newWorkflow>;
	const context = (webhookName: string, loaded: Loaded = newWorkflow(p, o, store)) => {
		const { workflow, node } = loaded;
		const helper = new HarnessCredentialsHelper(p.credentials, p.nodeTypes, o.credentialTypes);
		const additionalData = buildAdditionalData(helper, {
			workflowId: workflow.id,
			mode,
			webhookBaseUrl: o.webhookBaseUrl,
			webhookTestBaseUrl: o.webhookBaseUrl,
		});
		const description = descriptions.find((d) => d.name === webhookName);
		if (!description) throw new Error(`The node has no webhook named "${webhookName}"`);
		const data = webhookData(workflow, node, description, additionalData, mode, o.isTest);
		return { workflow, ctx: new HookContext(workflow, node, additionalData, mode, activation, data) };
	};

	/** One hook method on `loaded` (a workflow as loaded from the database); saving is the caller's business. */
	const call = async (method: HookMethod, webhookName: string, loaded: Loaded) => {
		const fn = methods[webhookName]?.[method];
		if (typeof fn !== 'function') throw new Error(`webhookMethods.${webhookName}.${method} is not defined`);
		const { ctx } = context(webhookName, loaded);
		const scope = newLogScope();
		try {
			const result = await scope.run(async () => await fn.call(ctx));
			calls.push({ method, webhookName, result, logs: scope.lines() });
			return result;
		} catch (error) {
			calls.push({ method, webhookName, result: undefined, error: error as Error, logs: scope.lines() });
			throw error;
		}
	};

	const run = async (method: HookMethod, webhookName = 'default') => {
		const loaded = newWorkflow(p, o, store);
		const result = await call(method, webhookName, loaded);
		store.saveIfChanged(loaded.workflow.staticData as IDataObject);
		return result;
	};

	const withMethods = () => descriptions.filter((d) => methods[d.name] !== undefined).map((d) => d.name);

	/** n8n's clearWebhooks: `delete` for each webhook on the workflow as stored, then save its static data. */
	const clear = async () => {
		const loaded = newWorkflow(p, o, store);
		for (const name of withMethods()) await call('delete', name, loaded);
		store.saveIfChanged(loaded.workflow.staticData as IDataObject);
	};

	return {
		run,
		checkExists: async (name) => await run('checkExists', name),
		create: async (name) => await run('create', name),
		delete: async (name) => await run('delete', name),
		async activate() {
			const start = calls.length;
			// One workflow object for the whole activation; its static data is saved only if every webhook is set up.
			const loaded = newWorkflow(p, o, store);
			try {
				for (const name of withMethods()) {
					const exists = await call('checkExists', name, loaded);
					if (!exists) await call('create', name, loaded);
				}
			} catch (error) {
				// n8n then clears the webhooks with the workflow as stored (the failed activation's changes are lost)
				await clear().catch(() => undefined);
				throw error;
			}
			store.saveIfChanged(loaded.workflow.staticData as IDataObject);
			return calls.slice(start);
		},
		async deactivate() {
			const start = calls.length;
			await clear();
			return calls.slice(start);
		},
		get staticData() {
			return store.current;
		},
		calls,
		webhookUrl(name = 'default') {
			const { ctx } = context(name);
			const url = ctx.getNodeWebhookUrl(name as WebhookType);
			if (!url) throw new Error(`No URL for webhook "${name}"`);
			return url;
		},
	};
}

/** Runs a webhook trigger's `webhookMethods` with a real HookContext (credentials authenticate, static data kept). */
export function triggerHooks(node: NodeRef, o: TriggerOptions = {}): TriggerHooks {
	const p = prepare(node, o);
	return createHooks(p, o, new StaticDataStore(o.staticData));
}

// ---------------------------------------------------------------------------------------------------------------
// Webhook deliveries over real HTTP.

/** Request as n8n's webhook server hands it to `webhook()` (express Request shape, plus `rawBody`). */
interface HarnessRequest extends IncomingMessage {
	rawBody: Buffer;
	body: unknown;
	query: IDataObject;
	params: IDataObject;
	path: string;
	originalUrl: string;
	hostname: string;
	ip: string | undefined;
	protocol: string;
	contentType?: string;
	encoding: BufferEncoding;
	get(name: string): string | undefined;
	header(name: string): string | undefined;
}

/** node:http response with the express methods nodes call (status, json, send, set, ...). */
interface HarnessResponse extends Omit<ServerResponse, 'end'> {
	status(code: number): HarnessResponse;
	json(body: unknown): HarnessResponse;
	send(body?: unknown): HarnessResponse;
	set(field: string | Record<string, string>, value?: string): HarnessResponse;
	header(field: string | Record<string, string>, value?: string): HarnessResponse;
	type(contentType: string): HarnessResponse;
	sendStatus(code: number): HarnessResponse;
	end(...args: unknown[]): HarnessResponse;
	/** Body bytes written, for the delivery record. */
	readonly sentBody: Buffer;
}

async function readRawBody(req: IncomingMessage): Promise<Buffer> {
	let stream: Readable = req;
	const encoding = req.headers['content-encoding'];
	if (encoding === 'gzip') stream = req.pipe(createGunzip());
	else if (encoding === 'deflate') stream = req.pipe(createInflate());
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
	return Buffer.concat(chunks);
}

/** The media type and charset of a Content-Type header, as n8n derives `req.contentType` / `req.encoding`. */
function contentTypeOf(header: string | undefined): { contentType?: string; encoding: BufferEncoding } {
	if (!header) return { encoding: 'utf-8' };
	const [media, ...params] = header.split(';');
	const charset = params
		.map((s) => s.trim().split('='))
		.find(([k]) => k.toLowerCase() === 'charset')?.[1]
		?.replace(/"/g, '')
		.toLowerCase();
	return { contentType: media.trim().toLowerCase(), encoding: (charset ?? 'utf-8') as BufferEncoding };
}

/** Parses the body the way n8n's webhook body parser does (JSON, form-urlencoded, text/plain; else `{}`). */
export function parseWebhookBody(rawBody: Buffer, contentTypeHeader: string | undefined): unknown {
	const { contentType, encoding } = contentTypeOf(contentTypeHeader);
	if (rawBody.length === 0) return {};
	if (contentType === 'application/json') return jsonParse(rawBody.toString(encoding));
	if (contentType === 'application/x-www-form-urlencoded') {
		return { ...parseQueryString(rawBody.toString(encoding), undefined, undefined, { maxKeys: 1000 }) };
	}
	if (contentType === 'text/plain') return rawBody.toString(encoding);
	if (contentType?.endsWith('/xml') || contentType?.endsWith('+xml')) {
		throw new Error('XML bodies are not parsed by the harness (n8n parses them with xml2js)');
	}
	return {};
}

function augmentRequest(req: IncomingMessage, rawBody: Buffer, body: unknown): HarnessRequest {
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	const { contentType, encoding } = contentTypeOf(req.headers['content-type']);
	const r = req as HarnessRequest;
	const get = (name: string) => {
		const v = req.headers[name.toLowerCase()];
		return Array.isArray(v) ? v.join(', ') : v;
	};
	Object.assign(r, {
		rawBody,
		body,
		query: { ...parseQueryString(url.search.replace(/^\?/, '')) },
		params: {},
		path: url.pathname,
		originalUrl: req.url,
		hostname: (req.headers.host ?? '127.0.0.1').split(':')[0],
		ip: req.socket.remoteAddress,
		protocol: 'http',
		contentType,
		encoding,
		get,
		header: get,
	});
	return r;
}

function augmentResponse(res: ServerResponse): HarnessResponse {
	const r = res as HarnessResponse;
	const chunks: Buffer[] = [];
	const originalWrite = res.write.bind(res) as (...a: unknown[]) => boolean;
	const originalEnd = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
	const keep = (chunk: unknown) => {
		if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
		chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
	};
	r.write = ((chunk: unknown, ...rest: unknown[]) => {
		keep(chunk);
		return originalWrite(chunk, ...rest);
	}) as HarnessResponse['write'];
	r.end = ((chunk?: unknown, ...rest: unknown[]) => {
		keep(chunk);
		originalEnd(chunk, ...rest);
		return r;
	}) as HarnessResponse['end'];
	const set = (field: string | Record<string, string>, value?: string) => {
		if (typeof field === 'string') res.setHeader(field, value ?? '');
		else for (const [k, v] of Object.entries(field)) res.setHeader(k, v);
		return r;
	};
	Object.assign(r, {
		status(code: number) {
			res.statusCode = code;
			return r;
		},
		set,
		header: set,
		type(contentType: string) {
			res.setHeader('content-type', contentType.includes('/') ? contentType : `application/${contentType}`);
			return r;
		},
		json(body: unknown) {
			if (!res.getHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
			r.end(JSON.stringify(body));
			return r;
		},
		send(body?: unknown) {
			if (body === undefined || body === null) {
				r.end();
			} else if (Buffer.isBuffer(body)) {
				if (!res.getHeader('content-type')) res.setHeader('content-type', 'application/octet-stream');
				r.end(body);
			} else if (typeof body === 'object') {
				r.json(body);
			} else {
				if (!res.getHeader('content-type')) res.setHeader('content-type', 'text/html; charset=utf-8');
				r.end(String(body));
			}
			return r;
		},
		sendStatus(code: number) {
			res.statusCode = code;
			if (!res.getHeader('content-type')) res.setHeader('content-type', 'text/plain; charset=utf-8');
			r.end(String(code));
			return r;
		},
	});
	Object.defineProperty(r, 'sentBody', { get: () => Buffer.concat(chunks) });
	return r;
}

export interface Delivery {
	method: string;
	/** Path and query of the request. */
	url: string;
	webhookName?: string;
	requestHeaders: IncomingMessage['headers'];
	rawBody: Buffer;
	/** HTTP response the sender got. */
	status: number;
	responseHeaders: Record<string, string | string[] | number | undefined>;
	/** Response body as text. */
	body: string;
	/** What `webhook()` returned (undefined if it threw or the request was not routed to it). */
	response?: IWebhookResponseData;
	/** `response.workflowData`: what would start an execution (undefined: none started). */
	workflowData?: INodeExecutionData[][];
	/** JSON of the items of the first output of `workflowData` (`[]` if none). */
	emitted: IDataObject[];
	/** The error `webhook()` threw. */
	error?: Error;
	/** Log lines written while handling this delivery. */
	logs: LogLine[];
	/** With `workflow`: the execution this delivery started. */
	execution?: Promise<RunResult>;
}

export interface TriggerServerOptions extends TriggerOptions {
	/**
	 * A whole workflow (JSON) containing the trigger node (`nodeName`): each delivery that emits `workflowData`
	 * then runs it through n8n-core, as n8n would after responding (`delivery.execution`).
	 */
	workflow?: WorkflowJson;
	/** Fixed port (default: ephemeral). */
	port?: number;
	/**
	 * Serve the editor's test webhook instead of the production one: URLs under `/webhook-test/`, webhookData
	 * `isTest`, mode `manual`, hook activation mode `manual` (what n8n does for "Listen for test event").
	 */
	testWebhook?: boolean;
}

export interface TriggerServer {
	/** URL of the `default` webhook (what to give the emulator / service). */
	url: string;
	/** URL of every webhook of the node by name. */
	urls: Record<string, string>;
	/** Origin, `http://127.0.0.1:PORT`. */
	origin: string;
	/** The trigger node's `webhookId` (part of its URLs); give it to `triggerHooks` to act on the same URLs. */
	webhookId: string;
	deliveries: Delivery[];
	/** The trigger's hook methods, with `getNodeWebhookUrl` pointing at this server. */
	hooks: TriggerHooks;
	/** Persisted static data (after hooks and deliveries). */
	readonly staticData: IDataObject;
	/** Resolves once at least `n` deliveries are recorded (no timer: it waits for requests). */
	waitForDeliveries(n: number): Promise<Delivery[]>;
	/** Every delivery (request headers and bodies, responses, emitted items, errors, logs) as one string. */
	dump(): string;
	/** Sends a request to a webhook of this server (default `default`), e.g. for tests without an emulator. */
	send(
		body: string | Buffer | IDataObject,
		o?: { headers?: Record<string, string>; method?: string; webhookName?: string; query?: string },
	): Promise<Delivery>;
	close(): Promise<void>;
}

/**
 * Starts a node:http server on 127.0.0.1 that routes each request on a webhook URL of the trigger to its
 * `webhook()` with n8n-core's WebhookContext, then answers as n8n's webhook server would.
 */
export async function startTriggerServer(node: NodeRef, o: TriggerServerOptions = {}): Promise<TriggerServer> {
	const p = prepare(node, o);
	const store = new StaticDataStore(o.staticData);
	const deliveries: Delivery[] = [];
	const waiters: Array<{ n: number; resolve: (d: Delivery[]) => void }> = [];
	const descriptions = p.nodeType.description.webhooks ?? [];
	if (typeof p.nodeType.webhook !== 'function') throw new Error(`${p.typeName} has no webhook() method`);
	if (o.workflow && !o.workflow.nodes.some((n) => n.name === p.nodeName)) {
		throw new Error(`options.workflow has no node named "${p.nodeName}" (set options.nodeName)`);
	}
	const webhookId =
		o.webhookId ?? o.workflow?.nodes.find((n) => n.name === p.nodeName)?.webhookId ?? defaultWebhookId(p.nodeName);
	// The trigger node inside `workflow` must be of the type under test, with the same webhookId as the hooks use.
	const workflowJson: WorkflowJson | undefined = o.workflow && {
		...o.workflow,
		nodes: o.workflow.nodes.map((n) =>
			n.name === p.nodeName ? { ...n, webhookId, type: p.typeName, typeVersion: p.typeVersion } : n,
		),
	};
	if (workflowJson) {
		const triggerJson = workflowJson.nodes.find((n) => n.name === p.nodeName)!;
		p.parameters = (triggerJson.parameters ?? {}) as IDataObject;
	}

	const server: Server = createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
	});
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const isTest = o.testWebhook === true;
	const opts: TriggerOptions & { isTest?: boolean } = {
		...o,
		webhookBaseUrl: `${origin}/${isTest ? 'webhook-test' : 'webhook'}`,
		webhookId,
		isTest,
		mode: o.mode ?? (isTest ? 'manual' : undefined),
		activation: o.activation ?? (isTest ? 'manual' : undefined),
	};
	const hooks = createHooks(p, opts, store);
	const mode = o.mode ?? (isTest ? 'manual' : 'webhook');

	const route = (method: string, pathname: string) => {
		const methodsOnPath: string[] = [];
		for (const description of descriptions) {
			const { workflow, node } = newWorkflow(p, opts, store, workflowJson);
			const helper = new HarnessCredentialsHelper(p.credentials, p.nodeTypes, o.credentialTypes);
			const additionalData = buildAdditionalData(helper, {
				workflowId: workflow.id,
				mode,
				webhookBaseUrl: opts.webhookBaseUrl,
				webhookTestBaseUrl: opts.webhookBaseUrl,
			});
			const data = webhookData(workflow, node, description, additionalData, mode, isTest);
			const ctxUrl = new WebhookContext(workflow, node, additionalData, mode, data, [], null).getNodeWebhookUrl(
				description.name,
			);
			if (ctxUrl && new URL(ctxUrl).pathname === pathname) {
				if (data.httpMethod === method) return { found: true as const, description, workflow, node, additionalData, data };
				methodsOnPath.push(data.httpMethod);
			}
		}
		return { found: false as const, methodsOnPath };
	};

	const urls: Record<string, string> = {};
	for (const d of descriptions) urls[d.name] = hooks.webhookUrl(d.name);

	const record = (d: Delivery) => {
		deliveries.push(d);
		for (const w of waiters.slice()) {
			if (deliveries.length >= w.n) {
				waiters.splice(waiters.indexOf(w), 1);
				w.resolve(deliveries.slice());
			}
		}
	};

	const handle = async (req: IncomingMessage, rawRes: ServerResponse, scope: ReturnType<typeof newLogScope>) => {
		const res = augmentResponse(rawRes);
		const url = new URL(req.url ?? '/', origin);
		const delivery: Delivery = {
			method: req.method ?? 'GET',
			url: req.url ?? '/',
			requestHeaders: req.headers,
			rawBody: Buffer.alloc(0),
			status: 0,
			responseHeaders: {},
			body: '',
			emitted: [],
			logs: [],
		};
		const finish = () => {
			delivery.status = res.statusCode;
			delivery.responseHeaders = res.getHeaders();
			delivery.body = res.sentBody.toString('utf8');
			delivery.logs = scope.lines();
			record(delivery);
		};
		try {
			delivery.rawBody = await readRawBody(req);
			const routed = route(delivery.method, url.pathname);
			if (!routed.found) {
				// n8n's 404s for an unknown path and for a known path with another method
				const path = url.pathname.replace(/^\/webhook(-test)?\//, '');
				res.status(404).json(
					routed.methodsOnPath.length
						? {
								code: 404,
								message: `This webhook is not registered for ${delivery.method} requests. Did you mean to make a ${routed.methodsOnPath[0]} request?`,
							}
						: {
								code: 404,
								message: `The requested webhook "${delivery.method} ${path}" is not registered.`,
								hint: 'The workflow must be active for a production URL to run successfully.',
							},
				);
				return finish();
			}
			delivery.webhookName = routed.description.name;
			let body: unknown;
			try {
				body = req.headers['content-type']?.startsWith('multipart/')
					? {}
					: parseWebhookBody(delivery.rawBody, req.headers['content-type']);
			} catch (error) {
				res.status(422).json({ code: 422, message: 'Failed to parse request body', hint: (error as Error).message });
				return finish();
			}
			const request = augmentRequest(req, delivery.rawBody, body);
			routed.additionalData.httpRequest = request as never;
			routed.additionalData.httpResponse = res as never;
			const ctx = new WebhookContext(routed.workflow, routed.node, routed.additionalData, mode, routed.data, [], null);
			let response: IWebhookResponseData;
			try {
				response = await p.nodeType.webhook!.call(ctx);
			} catch (error) {
				delivery.error = error as Error;
				if (!res.headersSent) {
					res.status(500).json({ code: 0, message: (error as Error).message });
				} else if (!res.writableEnded) res.end();
				return finish();
			}
			store.saveIfChanged(routed.workflow.staticData as IDataObject);
			delivery.response = response;
			delivery.workflowData = response.workflowData;
			delivery.emitted = (response.workflowData?.[0] ?? []).map((i) => i.json);
			respondLikeN8n(routed.workflow, routed.node, routed.description, mode, response, res);
			if (response.workflowData && workflowJson) {
				delivery.execution = runWorkflow(workflowJson, {
					credentials: p.credentials,
					nodeTypes: { ...(o.nodeTypes ?? {}), [p.typeName]: p.nodeTypes.getByName(p.typeName) },
					credentialTypes: o.credentialTypes,
					staticData: store.current,
					mode,
					startNode: p.nodeName,
					startData: response.workflowData,
					webhookBaseUrl: opts.webhookBaseUrl,
				}).then((result) => {
					if (result.staticDataChanged) store.replace(result.staticData);
					return result;
				});
			}
			// Wait for the node's own response if it kept the request open (noWebhookResponse + async answer).
			if (!res.writableEnded) await new Promise<void>((resolve) => res.once('finish', () => resolve()));
			finish();
		} catch (error) {
			delivery.error = error as Error;
			if (!res.headersSent) res.status(500).json({ code: 0, message: 'Harness error handling the request' });
			finish();
		}
	};
	server.on('request', (req, res) => {
		const scope = newLogScope();
		void scope.run(async () => await handle(req, res, scope));
	});

	const send: TriggerServer['send'] = async (body, so = {}) => {
		const target = `${urls[so.webhookName ?? 'default']}${so.query ? `?${so.query}` : ''}`;
		const isObject = !Buffer.isBuffer(body) && typeof body === 'object';
		const headers: Record<string, string> = {
			...(isObject ? { 'content-type': 'application/json' } : {}),
			...(so.headers ?? {}),
		};
		const before = deliveries.length;
		await fetch(target, {
			method: so.method ?? 'POST',
			headers,
			body: isObject ? JSON.stringify(body) : typeof body === 'string' ? body : new Uint8Array(body as Buffer),
		}).then(async (r) => await r.arrayBuffer());
		const all = await waitFor(before + 1);
		return all[before];
	};

	const waitFor = async (n: number) =>
		deliveries.length >= n
			? deliveries.slice()
			: await new Promise<Delivery[]>((resolve) => waiters.push({ n, resolve }));

	return {
		url: urls.default ?? Object.values(urls)[0],
		urls,
		origin,
		webhookId,
		deliveries,
		hooks,
		get staticData() {
			return store.current;
		},
		waitForDeliveries: waitFor,
		send,
		dump: () =>
			deliveries
				.map((d) =>
					[
						safeJson({ ...d, rawBody: d.rawBody.toString('utf8'), execution: undefined }),
						d.logs.map((l) => l.text).join('\n'),
					].join('\n'),
				)
				.join('\n'),
		close: async () =>
			await new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((err) => (err ? reject(err) : resolve()));
			}),
	};
}

/** n8n's answer once `webhook()` returned (response mode `onReceived`, the default for trigger nodes). */
function respondLikeN8n(
	workflow: ReturnType<typeof newWorkflow>['workflow'],
	node: INode,
	description: IWebhookDescription,
	mode: WorkflowExecuteMode,
	response: IWebhookResponseData,
	res: HarnessResponse,
) {
	if (response.noWebhookResponse === true || res.headersSent) return; // the node answered itself
	const code = workflow.expression.getSimpleParameterValue(node, description.responseCode as string, mode, {}, undefined, 200);
	res.status(Number(code ?? 200));
	// n8n's legacy response: a string is sent as is (text/html), anything else as JSON
	const sendData = (data: unknown) => (typeof data === 'string' ? res.send(data) : res.json(data));
	if (response.workflowData === undefined) {
		sendData(response.webhookResponse ?? { message: 'Webhook call received' });
		return;
	}
	const responseMode = workflow.expression.getSimpleParameterValue(
		node,
		description.responseMode as string,
		mode,
		{},
		undefined,
		'onReceived',
	);
	if (responseMode !== 'onReceived') {
		// lastNode / responseNode would wait for the execution; triggers in this package answer on receipt.
		res.status(500).json({ code: 0, message: `Harness: responseMode "${String(responseMode)}" is not supported` });
		return;
	}
	const responseData = workflow.expression.getSimpleParameterValue(node, description.responseData as string, mode, {});
	if (responseData === 'noData') res.end();
	else if (responseData) sendData(responseData);
	else if (response.webhookResponse !== undefined) sendData(response.webhookResponse);
	else res.json({ message: 'Workflow was started' });
}

// ---------------------------------------------------------------------------------------------------------------
// Polling.

export interface PollOptions extends TriggerOptions {
	/** `trigger` (a scheduled poll of an active workflow, the default) or `manual` (the editor's "Fetch test event"). */
	mode?: 'trigger' | 'manual';
	/**
	 * A whole workflow (JSON) containing the poll node (`nodeName`): when `poll()` emits, the workflow runs from it
	 * with the emitted items (`result.execution`), as n8n starts an execution per emitting poll.
	 */
	workflow?: WorkflowJson;
}

export interface PollResult {
	/** What `poll()` returned: `null` means nothing new (no execution starts). */
	data: INodeExecutionData[][] | null;
	/** JSON of the first output's items (`[]` for null). */
	emitted: IDataObject[];
	/** Persisted static data after the poll (pass to the next `runPoll` to simulate the next tick or a restart). */
	staticData: IDataObject;
	staticDataChanged: boolean;
	logs: LogLine[];
	/** With `workflow`, when items were emitted: the execution they started. */
	execution?: RunResult;
}

/**
 * Runs a polling trigger's `poll()` once with n8n-core's PollContext. Throws what `poll()` throws.
 * Static data the poll changed is saved whether or not it emitted (n8n 2.x stages a poll's cursor and commits it
 * once the tick is handled: immediately for `null`, with the execution it hands over otherwise).
 */
export async function runPoll(node: NodeRef, o: PollOptions = {}): Promise<PollResult> {
	const p = prepare(node, o);
	const store = new StaticDataStore(o.staticData);
	const workflowJson: WorkflowJson | undefined = o.workflow && {
		...o.workflow,
		nodes: o.workflow.nodes.map((x) => (x.name === p.nodeName ? { ...x, type: p.typeName, typeVersion: p.typeVersion } : x)),
	};
	if (workflowJson) {
		const own = workflowJson.nodes.find((x) => x.name === p.nodeName);
		if (!own) throw new Error(`options.workflow has no node named "${p.nodeName}" (set options.nodeName)`);
		p.parameters = (own.parameters ?? {}) as IDataObject;
	}
	const { workflow, node: n } = newWorkflow(p, o, store, workflowJson);
	if (typeof p.nodeType.poll !== 'function') throw new Error(`${p.typeName} has no poll() method`);
	const mode = o.mode ?? 'trigger';
	const helper = new HarnessCredentialsHelper(p.credentials, p.nodeTypes, o.credentialTypes);
	const additionalData = buildAdditionalData(helper, { workflowId: workflow.id, mode });
	const emitted: INodeExecutionData[][][] = [];
	const ctx = new PollContext(
		workflow,
		n,
		additionalData,
		mode,
		mode === 'manual' ? 'manual' : 'activate',
		(data) => emitted.push(data),
		(error) => {
			throw error;
		},
	);
	const scope = newLogScope();
	const data = (await scope.run(async () => await p.nodeType.poll!.call(ctx))) ?? null;
	const changed = store.saveIfChanged(workflow.staticData as IDataObject);
	let execution: RunResult | undefined;
	if (data && workflowJson) {
		execution = await runWorkflow(workflowJson, {
			credentials: p.credentials,
			nodeTypes: { ...(o.nodeTypes ?? {}), [p.typeName]: p.nodeTypes.getByName(p.typeName) },
			credentialTypes: o.credentialTypes,
			staticData: store.current,
			mode,
			startNode: p.nodeName,
			startData: data,
		});
		if (execution.staticDataChanged) store.replace(execution.staticData);
	}
	return {
		data,
		emitted: (data?.[0] ?? []).map((i) => i.json),
		staticData: store.current,
		staticDataChanged: changed || Boolean(execution?.staticDataChanged),
		logs: scope.lines(),
		execution,
	};
}
