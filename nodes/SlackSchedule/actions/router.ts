import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import * as del from './delete.operation';
import * as list from './list.operation';
import * as schedule from './schedule.operation';
import * as summary from './summary.operation';

const operations: Record<string, Record<string, { execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> }>> = {
	scheduledMessage: { schedule, list, delete: del },
	summary: { build: summary },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = operations[resource]?.[operation];
	if (!op) throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}" for "${resource}"`);
	return await op.execute.call(this);
}
