/** Dispatches the node's `operation` to one file per operation. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { operationDescriptions, route, type OperationTable } from '../../shared/n8n/router';

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

/** Slack Notify has no Resource parameter: its operations all act on messages. */
const operations: OperationTable = {
	message: {
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
	},
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

export const properties: INodeProperties[] = [operationProperty, ...operationDescriptions(operations)];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, operations, 'message');
}
