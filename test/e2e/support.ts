/**
 * Helpers for `test/e2e/<area>.e2e.ts` (see README.md): the real n8n over REST, the webhook URLs it registered,
 * executions with their data, restarting n8n, and the two emulators (their full in-process API, through the
 * suite's control server). Tests talk to n8n only over HTTP, as Slack and Brevo do.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	N8nClient,
	N8nHttpError,
	ROOT,
	registeredWebhooks,
	type ExecutionData,
	type ExecutionSummary,
	type RegisteredWebhook,
	type WorkflowSummary,
} from '../../scripts/lib/n8n-runtime';
import { STATE_ENV, type E2EState } from './state';

export type { ExecutionData, ExecutionSummary, RegisteredWebhook, WorkflowSummary };

let cachedState: E2EState | undefined;

/** URLs, credentials, ids and the published examples of this run. */
export function e2e(): E2EState {
	if (!cachedState) {
		const file = process.env[STATE_ENV];
		if (!file) throw new Error(`${STATE_ENV} is not set: run the suite with \`npm run test:e2e\` (jest -c jest.e2e.config.js), whose globalSetup starts n8n`);
		cachedState = JSON.parse(readFileSync(file, 'utf8')) as E2EState;
	}
	return cachedState;
}

// ---------------------------------------------------------------------------------------------------------------
// n8n

let client: N8nClient | undefined;

/** A REST client logged in as the owner (the editor's own API: workflows, executions, node types). */
export async function n8n(): Promise<N8nClient> {
	if (!client) {
		const c = new N8nClient(e2e().n8n.baseUrl);
		await c.login(e2e().owner.email, e2e().owner.password);
		client = c;
	}
	return client;
}

async function control<T>(path: string, body: unknown = []): Promise<T> {
	const response = await fetch(`${e2e().controlUrl}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(240_000),
	});
	const json = await response.json();
	if (!response.ok) throw new Error(`control ${path}: ${json?.error ?? response.status}`);
	return json as T;
}

/** Stops n8n (SIGTERM, graceful) and starts it again on the same user folder and database, then logs in again. */
export async function restartN8n(): Promise<void> {
	await control('/n8n/restart');
	const c = await n8n();
	await c.login(e2e().owner.email, e2e().owner.password);
}

/** The published example imported from `examples/<file>` by globalSetup. */
export function example(file: string): E2EState['examples'][number] {
	const found = e2e().examples.find((e) => e.file === file);
	if (!found) throw new Error(`examples/${file} was not imported (have: ${e2e().examples.map((e) => e.file).join(', ')})`);
	return found;
}

export function readExample(file: string): Record<string, any> {
	return JSON.parse(readFileSync(join(ROOT, 'examples', file), 'utf8'));
}

/**
 * Imports a private copy of an example (node ids and webhook ids dropped, so its webhook paths do not clash with
 * the published original) under a unique name, optionally changed by `mutate`, and publishes it unless told not to.
 */
export async function importCopy(
	file: string,
	o: { name: string; activate?: boolean; mutate?: (workflow: Record<string, any>) => void },
): Promise<WorkflowSummary> {
	const workflow = readExample(file);
	delete workflow.id;
	workflow.name = `${o.name} (${Date.now().toString(36)})`;
	for (const node of workflow.nodes) {
		delete node.id;
		delete node.webhookId;
	}
	o.mutate?.(workflow);
	const c = await n8n();
	const created = await c.createWorkflow(workflow);
	if (o.activate !== false) await c.activateWorkflow(created.id);
	return await c.workflow(created.id);
}

/** Unpublishes (if needed) and deletes a workflow a test created. */
export async function removeWorkflow(id: string): Promise<void> {
	const c = await n8n();
	const wf = await c.workflow(id);
	if (wf.active) await c.deactivateWorkflow(id);
	await c.deleteWorkflow(id);
}

/** The production webhooks n8n registered (its webhook_entity table), for one workflow. */
export async function webhooksOf(workflowId: string): Promise<RegisteredWebhook[]> {
	const { node, databaseFile } = e2e().n8n;
	return (await registeredWebhooks({ node, databaseFile })).filter((w) => w.workflowId === workflowId);
}

/** The production URL n8n routes to `nodeName` of an active workflow (what a user pastes into Slack or Brevo). */
export async function webhookUrl(workflowId: string, nodeName: string): Promise<string> {
	const hooks = (await webhooksOf(workflowId)).filter((w) => w.node === nodeName);
	if (hooks.length !== 1) {
		throw new Error(`workflow ${workflowId} has ${hooks.length} registered webhooks for node "${nodeName}" (is it published? is the node name right?)`);
	}
	return `${e2e().n8n.baseUrl}/webhook/${hooks[0].webhookPath}`;
}

/**
 * Polls until `probe` returns a value other than undefined/false. The deadline only turns a hang into a readable
 * failure; nothing asserts on how long it took.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await probe();
			if (value !== undefined && value !== false) return value as T;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

/** Ids of the executions n8n has recorded for a workflow (take this before acting, pass it to waitForExecution). */
export async function executionIds(workflowId: string): Promise<Set<string>> {
	return new Set((await (await n8n()).executions({ workflowId }, 250)).map((e) => e.id));
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** Waits for the next finished execution of the workflow not in `before`, and returns it with its run data. */
export async function waitForExecution(workflowId: string, before: Set<string>, timeoutMs = 60_000): Promise<ExecutionSummary & { data: ExecutionData }> {
	const c = await n8n();
	const fresh = await waitFor(
		`a new finished execution of workflow ${workflowId}`,
		async () => {
			const list = (await c.executions({ workflowId }, 250)).filter((e) => !before.has(e.id) && FINISHED.has(e.status));
			return list.length > 0 ? list[list.length - 1] : undefined;
		},
		timeoutMs,
	);
	return await c.execution(fresh.id);
}

/** n8n's own Webhook node (POST, answers on receipt) at `path`, as the first node of a test workflow. */
export function webhookTrigger(path: string): Record<string, unknown> {
	return {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
		webhookId: randomUUID(),
	};
}

/** Items a node output in an execution (`output` index for nodes with several outputs). */
export function nodeOutput(execution: { data: ExecutionData }, nodeName: string, output = 0): Array<Record<string, unknown>> {
	const runs = execution.data.resultData.runData[nodeName];
	if (!runs) throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(execution.data.resultData.runData).join(', ')})`);
	return (runs[0].data?.main?.[output] ?? []).map((item) => item.json);
}

// ---------------------------------------------------------------------------------------------------------------
// Emulators (their in-process API through the control server, and their admin HTTP)

/** Calls any method of the in-process Slack emulator (CONTRACT.md), e.g. `slack('buildBlockActions', {...})`. */
export async function slack<T = any>(method: string, ...args: unknown[]): Promise<T> {
	return await control<T>(`/slack/${method}`, args);
}

/** Calls any method of the in-process Brevo emulator (CONTRACT.md), e.g. `brevo('webhooks')`. */
export async function brevo<T = any>(method: string, ...args: unknown[]): Promise<T> {
	return await control<T>(`/brevo/${method}`, args);
}

/**
 * Any method of the HTTPS egress proxy n8n runs behind (test/e2e/proxy.ts): `egressProxy('forwarded', {host})`
 * (host, method, path, status of every call it forwarded to an emulator), `egressProxy('refused')`, `egressProxy('reset')`.
 */
export async function egressProxy<T = any>(method: string, ...args: unknown[]): Promise<T> {
	return await control<T>(`/proxy/${method}`, args);
}

/** A demo channel id (#marketing, #sales, #support, #alerts). */
export function channel(name: 'marketing' | 'sales' | 'support' | 'alerts'): string {
	const id = e2e().demo.slack?.channels[name];
	if (!id) throw new Error(`demo channel #${name} not seeded`);
	return id;
}

/** Slack's request signature headers for a raw body (for hand-made tampered requests). */
export function slackSignature(rawBody: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
	const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
	return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

/** A plain HTTP POST (no signing, no auth): what anyone on the internet can send to a production webhook URL. */
export async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
	const response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(30_000) });
	return { status: response.status, body: await response.text() };
}

export { N8nHttpError };
