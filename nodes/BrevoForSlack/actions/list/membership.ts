/**
 * Adding to / removing from a Brevo list: all input items for the same list are gathered and sent in calls of 150
 * (`shared/brevo/listMembership.ts` turns Brevo's answers, including its 400 when nothing could be changed, into
 * one outcome per email), and each item gets its own outcome: already a member / not a member is a success.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { changeListMembership, LIST_CALL_MAX } from '../../../shared/brevo/listMembership';
import { getBrevoClient, toBrevoNodeError } from '../../../shared/n8n/brevoClient';
import { failedItem } from '../../../shared/n8n/items';
import { booleanParam, textParam } from '../../../shared/n8n/params';
import { chunkArray } from '../../../shared/sync/chunking';
import { forOperation, requireEmail } from '../common';

export { LIST_CALL_MAX };

export function membershipDescription(operation: 'add' | 'remove'): INodeProperties[] {
	return forOperation('list', operation, [
		{
			displayName: 'List Name or ID',
			name: 'listId',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getLists' },
			default: '',
			required: true,
			description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>, e.g. a button\'s value: {{ $JSON.action.value }}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			default: '={{ $json.user?.email }}',
			required: true,
			placeholder: 'name@example.com',
			description: `Contact to ${operation === 'add' ? 'add' : 'remove'}. Default: the Slack user who clicked. Items are sent ${LIST_CALL_MAX} per call.`,
		},
		...(operation === 'add'
			? [
					{
						displayName: 'Create Missing Contacts',
						name: 'createMissing',
						type: 'boolean' as const,
						default: true,
						description:
							'Whether an email Brevo does not know yet becomes a new contact in the list (otherwise it is reported as not added, with the reason). An email already in the list is a success (alreadyInList).',
					},
				]
			: []),
	]);
}

export async function executeMembership(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	operation: 'add' | 'remove',
): Promise<INodeExecutionData[]> {
	const brevo = await getBrevoClient(ctx);
	const out: Array<INodeExecutionData | undefined> = new Array(items.length);
	const byList = new Map<number, Array<{ i: number; email: string }>>();
	const failItem = (i: number, error: Error) => {
		if (!ctx.continueOnFail()) throw error;
		out[i] = failedItem(i, error);
	};
	for (let i = 0; i < items.length; i++) {
		try {
			const raw = textParam(ctx, 'listId', 'List Name or ID', i, { hint: 'Pick a list, or give its numeric id, e.g. {{ $json.action.value }} (Contacts > Lists shows it as #id).' });
			if (!/^\d+$/.test(raw) || Number(raw) < 1) {
				throw new NodeOperationError(ctx.getNode(), `List "${raw}" is not a Brevo list id`, {
					itemIndex: i,
					description: 'Pick a list, or give its numeric id (Contacts > Lists shows it as #id).',
				});
			}
			const email = requireEmail(ctx, 'email', 'Email', i);
			const group = byList.get(Number(raw)) ?? [];
			group.push({ i, email });
			byList.set(Number(raw), group);
		} catch (error) {
			failItem(i, error as Error);
		}
	}
	for (const [listId, entries] of byList) {
		for (const part of chunkArray(entries, LIST_CALL_MAX)) {
			const emails = [...new Set(part.map((e) => e.email))];
			// Create Missing Contacts is read per item: an unknown email is created when its item asks for it
			const createFor = new Set(
				operation === 'add' ? part.filter((e) => booleanParam(ctx, 'createMissing', 'Create Missing Contacts', e.i, true)).map((e) => e.email) : [],
			);
			let results: Awaited<ReturnType<typeof changeListMembership>>;
			try {
				results = await changeListMembership(brevo, operation, listId, emails, { createMissing: (email) => createFor.has(email) });
			} catch (error) {
				const nodeError = toBrevoNodeError(ctx.getNode(), error, {
					itemIndex: part[0].i,
					action: `${operation === 'add' ? 'adding contacts to' : 'removing contacts from'} list ${listId}`,
				});
				for (const e of part) failItem(e.i, nodeError);
				continue;
			}
			for (const e of part) {
				const result = results.get(e.email);
				if (!result) continue;
				if (!result.ok) {
					failItem(
						e.i,
						toBrevoNodeError(ctx.getNode(), result.error, {
							itemIndex: e.i,
							action: operation === 'add' ? `adding ${e.email} to list ${listId}` : `removing ${e.email} from list ${listId}`,
						}),
					);
					continue;
				}
				out[e.i] = { json: { ...result.outcome } as IDataObject, pairedItem: { item: e.i } };
			}
		}
	}
	return out.filter((x): x is INodeExecutionData => x !== undefined);
}
