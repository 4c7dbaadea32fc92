/**
 * Runs workflow JSON through n8n-core's real engine: `new WorkflowExecute(additionalData, mode, runExecutionData)
 * .processRunExecutionData(workflow)`, with this package's node and credential types loaded from source.
 */
import { WorkflowExecute, WorkflowHasIssuesError } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	createRunExecutionData,
	type ExecutionBaseError,
	type ExecutionError,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type IPinData,
	type IRun,
	type ITaskData,
	type IWorkflowSettings,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import {
	HarnessCredentialsHelper,
	HarnessNodeTypes,
	attachCredentials,
	buildAdditionalData,
	newLogScope,
	safeJson,
	type CredentialTypeSource,
	type CredentialsInput,
	type LogLine,
	type NodeTypeSource,
} from './core';

/**
 * A node as written in a workflow fixture (typed loosely so imported `.json` files fit); `id`, `typeVersion`
 * (default: latest) and `position` may be left out. Other INode fields (`credentials`, `onError`, `continueOnFail`,
 * `disabled`, `retryOnFail`, `webhookId`, ...) are passed through to n8n.
 */
export interface WorkflowNodeJson {
	name: string;
	type: string;
	parameters?: object;
	typeVersion?: number;
	id?: string;
	position?: number[];
	webhookId?: string;
	[field: string]: unknown;
}

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: WorkflowNodeJson[];
	/** n8n's `connections` (`{ From: { main: [[{ node, type: 'main', index }]] } }`). */
	connections: IConnections | object;
	settings?: IWorkflowSettings;
	staticData?: IDataObject | null;
	pinData?: IPinData;
}

export interface RunWorkflowOptions {
	/** Decrypted credential data by type, e.g. `{ slackBrevoBotApi: { accessToken, baseUrl } }`. */
	credentials?: CredentialsInput;
	/** Extra node types by full type name (class or instance), e.g. a node under test not yet in package.json. */
	nodeTypes?: Record<string, NodeTypeSource>;
	/** Extra credential types by name. */
	credentialTypes?: Record<string, CredentialTypeSource>;
	/**
	 * Workflow static data persisted by an earlier run (`result.staticData`); default the JSON's `staticData` or `{}`.
	 * The harness copies it in, so two runs given the same object behave like two concurrent executions
	 * loaded from the same database row.
	 */
	staticData?: IDataObject;
	/** Execution mode; default `manual`. Use `trigger` / `webhook` for production behaviour. */
	mode?: WorkflowExecuteMode;
	/** Node the execution starts from; default the workflow's trigger (or first node without inputs). */
	startNode?: string;
	/** Items fed to the start node's first input (plain JSON objects or full items); default `[{ json: {} }]`. */
	input?: Array<IDataObject | INodeExecutionData>;
	/** All outputs of the start node as a trigger emitted them (e.g. a webhook delivery's `workflowData`). */
	startData?: INodeExecutionData[][];
	pinData?: IPinData;
	executionId?: string;
	/** Base for `getNodeWebhookUrl` in this run. */
	webhookBaseUrl?: string;
	timezone?: string;
	/** `$vars` of the run. */
	variables?: IDataObject;
	/** `additionalData.executionTimeoutTimestamp` = now + this (n8n sets it from the workflow's timeout setting). */
	executionTimeoutMs?: number;
}

export interface RunResult {
	/** The raw `IRun` n8n-core returned. */
	run: IRun;
	workflow: Workflow;
	/** The execution's error (a node failed without continue-on-fail), if any. */
	error: ExecutionBaseError | undefined;
	/** `finished` / `success` / `error` ... as n8n-core set it. */
	status: IRun['status'];
	/** JSON of the items a node emitted on an output (default 0) in a run (default its first run). */
	outputOf(nodeName: string, outputIndex?: number, runIndex?: number): IDataObject[];
	/** Full items (json, binary, pairedItem, error) a node emitted. */
	itemsOf(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** The error recorded on a node's run (thrown and not continued), if any. */
	nodeError(nodeName: string, runIndex?: number): ExecutionError | undefined;
	/** Every run of a node (ITaskData), `[]` if it did not run. */
	runsOf(nodeName: string): ITaskData[];
	/** Names of the nodes that ran, in order of first execution. */
	executedNodes: string[];
	/** Workflow static data after the run (plain copy, to pass as `staticData` to the next run). */
	staticData: IDataObject;
	/** Whether any node changed static data (n8n saves it after production executions only then). */
	staticDataChanged: boolean;
	/** Log lines written during this run (n8n-core, n8n-workflow, nodes' `this.logger`). */
	logs: LogLine[];
	/** Credential types the nodes asked for, in order. */
	credentialsAccessed: string[];
	/** Everything n8n would keep or show (run data, errors, static data) plus this run's log lines, as one string. */
	dump(): string;
}

let nodeCounter = 0;

function latestVersion(nodeTypes: HarnessNodeTypes, type: string): number {
	const t = nodeTypes.getByName(type);
	if ('nodeVersions' in t) return t.currentVersion;
	const v = t.description.version;
	return Array.isArray(v) ? Math.max(...v) : v;
}

function normaliseNodes(json: WorkflowJson, nodeTypes: HarnessNodeTypes, credentials: CredentialsInput): INode[] {
	return json.nodes.map((raw, i) => {
		const node: INode = {
			...(JSON.parse(JSON.stringify(raw)) as INode),
			id: raw.id ?? `node-${++nodeCounter}`,
			typeVersion: raw.typeVersion ?? latestVersion(nodeTypes, raw.type),
			position: (raw.position as [number, number] | undefined) ?? [i * 200, 0],
			parameters: (JSON.parse(JSON.stringify(raw.parameters ?? {})) as INode['parameters']),
		};
		const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		if (type.description.webhooks?.length && !node.webhookId) node.webhookId = `${node.name}-webhook`;
		attachCredentials(node, nodeTypes, credentials);
		return node;
	});
}

function isTriggerLike(nodeTypes: HarnessNodeTypes, node: INode): boolean {
	const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	return Boolean(type.trigger || type.poll || type.webhook || type.description.group.includes('trigger'));
}

function pickStartNode(workflow: Workflow, nodeTypes: HarnessNodeTypes, name?: string): INode {
	if (name !== undefined) {
		const node = workflow.getNode(name);
		if (!node) throw new Error(`startNode "${name}" is not in the workflow`);
		return node;
	}
	const roots = Object.values(workflow.nodes).filter(
		(n) =>
			!n.disabled &&
			workflow.getParentNodes(n.name).length === 0 &&
			nodeTypes.getByNameAndVersion(n.type, n.typeVersion).description.outputs.length !== 0,
	);
	const start = roots.find((n) => isTriggerLike(nodeTypes, n)) ?? roots[0];
	if (!start) throw new Error('The workflow has no node to start from');
	return start;
}

function toItems(input: Array<IDataObject | INodeExecutionData>): INodeExecutionData[] {
	return input.map((entry) =>
		typeof entry.json === 'object' && entry.json !== null && !Array.isArray(entry.json)
			? (entry as INodeExecutionData)
			: { json: entry as IDataObject },
	);
}

function plainStaticData(workflow: Workflow): { data: IDataObject; changed: boolean } {
	const changed = Boolean((workflow.staticData as IDataObject).__dataChanged);
	const data = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
	delete data.__dataChanged;
	for (const v of Object.values(data)) {
		if (v && typeof v === 'object') delete (v as IDataObject).__dataChanged;
	}
	return { data, changed };
}

/** Builds the n8n `Workflow` object the engine runs (exported for custom set-ups). */
export function buildWorkflow(
	json: WorkflowJson,
	nodeTypes: HarnessNodeTypes,
	credentials: CredentialsInput,
	staticData?: IDataObject,
	timezone?: string,
): Workflow {
	const nodes = normaliseNodes(json, nodeTypes, credentials);
	return new Workflow({
		id: json.id ?? 'harness-workflow',
		name: json.name ?? 'Harness workflow',
		nodes,
		connections: json.connections as IConnections,
		active: false,
		nodeTypes,
		staticData: JSON.parse(JSON.stringify(staticData ?? json.staticData ?? {})) as IDataObject,
		settings: { executionOrder: 'v1', ...(timezone ? { timezone } : {}), ...(json.settings ?? {}) },
		pinData: json.pinData,
	});
}

/** Runs a workflow (JSON as exported by n8n, or `{ nodes, connections }`) through n8n-core's WorkflowExecute. */
export async function runWorkflow(json: WorkflowJson, opts: RunWorkflowOptions = {}): Promise<RunResult> {
	const credentials = { ...(opts.credentials ?? {}) };
	const nodeTypes = new HarnessNodeTypes(opts.nodeTypes);
	const credentialsHelper = new HarnessCredentialsHelper(credentials, nodeTypes, opts.credentialTypes);
	const workflow = buildWorkflow(json, nodeTypes, credentials, opts.staticData, opts.timezone);
	const mode = opts.mode ?? 'manual';
	const additionalData = buildAdditionalData(credentialsHelper, {
		executionId: opts.executionId,
		workflowId: workflow.id,
		mode,
		webhookBaseUrl: opts.webhookBaseUrl,
		variables: opts.variables,
		executionTimeoutMs: opts.executionTimeoutMs,
	});
	const startNode = pickStartNode(workflow, nodeTypes, opts.startNode);
	const main = opts.startData ?? [toItems(opts.input ?? [{ json: {} }])];
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: startNode, data: { main }, source: null }] },
		resultData: { pinData: opts.pinData ?? json.pinData },
	});

	const scope = newLogScope();
	const startedAt = new Date();
	const run = await scope.run(async () => {
		try {
			return await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
		} catch (error) {
			if (!(error instanceof WorkflowHasIssuesError)) throw error;
			// n8n's runner saves such an execution as failed with this error, before any node ran.
			runExecutionData.resultData.error = error;
			const failed: IRun = { data: runExecutionData, mode, startedAt, stoppedAt: new Date(), status: 'error', storedAt: 'db', finished: false };
			return failed;
		}
	});
	const { data: staticData, changed } = plainStaticData(workflow);
	const runData = run.data.resultData.runData;

	const runsOf = (nodeName: string): ITaskData[] => runData[nodeName] ?? [];
	const itemsOf = (nodeName: string, outputIndex = 0, runIndex = 0): INodeExecutionData[] => {
		const runs = runsOf(nodeName);
		if (runs.length === 0) {
			throw new Error(`Node "${nodeName}" did not run (ran: ${Object.keys(runData).join(', ') || 'none'})`);
		}
		const task = runs[runIndex];
		if (!task) throw new Error(`Node "${nodeName}" has no run ${runIndex} (it ran ${runs.length} time(s))`);
		return task.data?.main?.[outputIndex] ?? [];
	};
	const executedNodes = Object.entries(runData)
		.map(([name, runs]) => ({ name, at: Math.min(...runs.map((r) => r.executionIndex ?? r.startTime)) }))
		.sort((a, b) => a.at - b.at)
		.map((e) => e.name);

	const logs = scope.lines();
	return {
		run,
		workflow,
		error: run.data.resultData.error,
		status: run.status,
		itemsOf,
		outputOf: (nodeName, outputIndex, runIndex) => itemsOf(nodeName, outputIndex, runIndex).map((i) => i.json),
		nodeError: (nodeName, runIndex = 0) => runsOf(nodeName)[runIndex]?.error,
		runsOf,
		executedNodes,
		staticData,
		staticDataChanged: changed,
		logs,
		credentialsAccessed: credentialsHelper.accessed.slice(),
		dump: () => `${safeJson(run)}\n${safeJson(staticData)}\n${logs.map((l) => l.text).join('\n')}`,
	};
}

/** The node type description the harness would load for `type` (handy for asserting UI properties). */
export function describeNodeType(type: string, version?: number, extra?: Record<string, NodeTypeSource>) {
	const nodeTypes = new HarnessNodeTypes(extra);
	return NodeHelpers.getVersionedNodeType(nodeTypes.getByName(type), version).description;
}
