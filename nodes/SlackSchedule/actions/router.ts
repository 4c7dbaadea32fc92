import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { route, type OperationTable } from '../../shared/n8n/router';
import * as del from './delete.operation';
import * as list from './list.operation';
import * as schedule from './schedule.operation';
import * as summary from './summary.operation';

export const operations: OperationTable = {
	scheduledMessage: { schedule, list, delete: del },
	summary: { build: summary },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, operations);
}
