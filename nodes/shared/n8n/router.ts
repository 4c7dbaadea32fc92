/**
 * The one router and operation contract of the action nodes (as in n8n's own v2 nodes: `actions/router.ts` +
 * `actions/<resource>/<op>.operation.ts`): each operation file exports its UI `description` next to its `execute`,
 * which reads its items from the context and returns the items of the node's one output. The router removes the
 * node's credential values from every output item.
 */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { redactDeep } from '../redact';
import { BREVO_CREDENTIAL, BREVO_SECRET_FIELD } from './brevoClient';
import { SLACK_CREDENTIAL, SLACK_SECRET_FIELD } from './slackClient';

/** The secret field of each of the package's credentials the action nodes use. */
const SECRET_FIELDS: Record<string, string> = { [SLACK_CREDENTIAL]: SLACK_SECRET_FIELD, [BREVO_CREDENTIAL]: BREVO_SECRET_FIELD };

/** The secret values of the credentials set on the node (those the operation can read). */
async function credentialSecrets(ctx: IExecuteFunctions): Promise<string[]> {
	const secrets: string[] = [];
	for (const type of Object.keys(ctx.getNode().credentials ?? {})) {
		const field = SECRET_FIELDS[type];
		if (!field) continue;
		const value = await ctx.getCredentials(type).then(
			(c) => c?.[field],
			() => undefined, // a credential this operation does not use may be absent: nothing of it can leak then
		);
		if (typeof value === 'string' && value.trim().length >= 6) secrets.push(value.trim());
	}
	return secrets;
}

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
	const items = await op.execute.call(ctx);
	// Whatever an operation outputs passes here: no output item can carry the node's own token or key.
	const secrets = await credentialSecrets(ctx);
	if (secrets.length === 0) return [items];
	return [items.map((item) => ({ ...item, json: redactDeep(item.json, secrets, { patterns: false }) }))];
}
