/**
 * A real n8n-core `ExecuteContext` for one node of the package, outside a workflow run: what client and transport
 * tests need to call `getSlackClient(ctx)` / `getBrevoClient(ctx)` exactly as a node does, so every request goes
 * through n8n-core's `httpRequestWithAuthentication` and the credential type's own `authenticate`.
 */
import { ExecuteContext } from 'n8n-core';
import { Workflow, createRunExecutionData, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { HarnessCredentialsHelper, HarnessNodeTypes, PACKAGE_NAME, attachCredentials, buildAdditionalData, type CredentialsInput } from './core';

export interface NodeContextOptions {
	/** The package node the context belongs to (its credentials are attached from `credentials`). */
	nodeName?: string;
	credentials: CredentialsInput;
	parameters?: INode['parameters'];
}

export function nodeContext(o: NodeContextOptions): IExecuteFunctions & { cancel(): void } {
	const nodeTypes = new HarnessNodeTypes();
	const node: INode = {
		id: 'ctx',
		name: 'Context',
		type: `${PACKAGE_NAME}.${o.nodeName ?? 'slackNotify'}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: o.parameters ?? {},
	};
	attachCredentials(node, nodeTypes, o.credentials);
	const helper = new HarnessCredentialsHelper(o.credentials, nodeTypes);
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const abort = new AbortController();
	const context = new ExecuteContext(
		workflow,
		node,
		buildAdditionalData(helper, { mode: 'manual' }),
		'manual',
		createRunExecutionData({ resultData: { runData: {} } }),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
		abort.signal,
	);
	return Object.assign(context as unknown as IExecuteFunctions, { cancel: () => abort.abort() });
}
