/**
 * The one router and operation contract of the action nodes (as in n8n's own v2 nodes: `actions/router.ts` +
 * `actions/<resource>/<op>.operation.ts`): each operation file exports its UI `description` next to its `execute`,
 * which reads its items from the context and returns the items of the node's one output.
 */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[]>;
}

/** resource -> operation -> implementation. A node without a Resource parameter uses one resource key. */
export type OperationTable = Record<string, Record<string, Operation>>;

/** Every operation's parameters, in table order (for the node description). */
export function operationDescriptions(table: OperationTable): INodeProperties[] {
	return Object.values(table).flatMap((ops) => Object.values(ops).flatMap((op) => op.description));
}

/**
 * Runs the operation the node's parameters select. `resource` and `operation` are read once (item 0): n8n marks
 * both `noDataExpression`, so they are the same for every item. `defaultResource` serves nodes without a Resource
 * parameter.
 */
export async function route(ctx: IExecuteFunctions, table: OperationTable, defaultResource?: string): Promise<INodeExecutionData[][]> {
	const resource = defaultResource ?? (ctx.getNodeParameter('resource', 0) as string);
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const op = table[resource]?.[operation];
	if (!op) {
		throw new NodeOperationError(ctx.getNode(), `Unknown operation "${operation}"${defaultResource ? '' : ` for resource "${resource}"`}`, {
			description: 'The node was saved by a version of this package that had this operation: pick an operation from the list.',
		});
	}
	return [await op.execute.call(ctx)];
}
