/** Dispatches the node's `operation` to one file per operation. */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import * as checkConnection from './checkConnection.operation';
import * as del from './delete.operation';
import * as ephemeral from './ephemeral.operation';
import * as markDone from './markDone.operation';
import * as modal from './modal.operation';
import * as react from './react.operation';
import * as respond from './respond.operation';
import * as send from './send.operation';
import * as unfurl from './unfurl.operation';
import * as update from './update.operation';

const operations: Record<string, { description: INodeProperties[]; execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> }> = {
	send,
	update,
	markDone,
	delete: del,
	ephemeral,
	react,
	respond,
	modal,
	unfurl,
	checkConnection,
};

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Add Reaction', value: 'react', action: 'Add a reaction to a message' },
		{ name: 'Check Connection', value: 'checkConnection', action: 'Check the connection' },
		{ name: 'Delete Message', value: 'delete', action: 'Delete a message' },
		{ name: 'Open / Update / Push Modal', value: 'modal', action: 'Open update or push a modal' },
		{ name: 'Reply via Response URL', value: 'respond', action: 'Reply through a response URL' },
		{ name: 'Send Ephemeral Message', value: 'ephemeral', action: 'Send an ephemeral message' },
		{ name: 'Send Notification', value: 'send', action: 'Send a routed notification' },
		{ name: 'Unfurl Brevo Links', value: 'unfurl', action: 'Unfurl brevo links' },
		{ name: 'Update Clicked Message', value: 'markDone', action: 'Show what was done on a clicked message' },
		{ name: 'Update Message', value: 'update', action: 'Update a message' },
	],
	default: 'send',
};

export const properties: INodeProperties[] = [operationProperty, ...Object.values(operations).flatMap((o) => o.description)];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = operations[operation];
	if (!op) throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`);
	return await op.execute.call(this);
}
