/**
 * Adding to / removing from a Brevo list: `POST /contacts/lists/{id}/contacts/add|remove` take at most 150 emails
 * per call. All input items for the same list are gathered and sent in calls of 150; Brevo answers per email
 * (`contacts.success` / `contacts.failure`), and each item gets its own outcome.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getBrevoClient, toBrevoNodeError } from '../../../shared/n8n/brevoClient';
import { booleanParam, textParam } from '../../../shared/n8n/params';
import { chunkArray } from '../../../shared/sync/chunking';
import { forOperation, requireEmail } from '../common';

export const LIST_CALL_MAX = 150;

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
							'Whether an email Brevo does not know yet becomes a new contact in the list (otherwise it is reported as not added)',
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
		out[i] = { json: { error: error.message, description: (error as { description?: string }).description ?? null }, pairedItem: { item: i } };
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
			let result: { contacts?: { success?: unknown[]; failure?: unknown[] } } | undefined;
			try {
				result = await brevo.request({
					method: 'POST',
					path: `/contacts/lists/${listId}/contacts/${operation}`,
					body: { emails },
				});
			} catch (error) {
				const nodeError = toBrevoNodeError(ctx.getNode(), error, {
					itemIndex: part[0].i,
					action: `${operation === 'add' ? 'adding contacts to' : 'removing contacts from'} list ${listId}`,
				});
				for (const e of part) failItem(e.i, nodeError);
				continue;
			}
			const failure = new Set((result?.contacts?.failure ?? []).map((v) => String(v).toLowerCase()));
			for (const e of part) {
				const ok = !failure.has(e.email);
				const json: IDataObject = { listId, email: e.email, [operation === 'add' ? 'added' : 'removed']: ok };
				if (!ok && operation === 'add' && booleanParam(ctx, 'createMissing', 'Create Missing Contacts', e.i, true)) {
					// Brevo's failure means "unknown contact, or already in the list": an upsert into the list settles both
					try {
						const r = await brevo.request<{ id?: number } | undefined>({
							method: 'POST',
							path: '/contacts',
							body: { email: e.email, listIds: [listId], updateEnabled: true },
						});
						json.added = true;
						if (r?.id !== undefined) {
							json.contactCreated = true;
							json.contactId = r.id;
						} else json.alreadyInList = true;
						out[e.i] = { json, pairedItem: { item: e.i } };
					} catch (error) {
						failItem(e.i, toBrevoNodeError(ctx.getNode(), error, { itemIndex: e.i, action: `creating contact ${e.email} in list ${listId}` }));
					}
					continue;
				}
				if (!ok) {
					json.reason =
						operation === 'add'
							? 'Brevo did not add it: no contact with this email exists, or it is already in the list'
							: 'Brevo did not remove it: no contact with this email exists, or it is not in the list';
				}
				out[e.i] = { json, pairedItem: { item: e.i } };
			}
		}
	}
	return out.filter((x): x is INodeExecutionData => x !== undefined);
}
