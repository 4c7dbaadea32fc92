/**
 * What every Brevo for Slack operation shares: the Brevo call through the package's client factory (rate limits,
 * error translation), the per-item loop with Continue On Fail, and parameter readers that name the field at fault.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getBrevoClient, toBrevoNodeError, type BrevoClientOptions, type BrevoRequest } from '../../shared/n8n/brevoClient';
import { forEachItem } from '../../shared/n8n/items';
import { isValidEmail } from '../../shared/sync/filters';

/** Shows properties only for one resource/operation. */
export function forOperation(resource: string, operation: string, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((p) => ({
		...p,
		displayOptions: {
			...p.displayOptions,
			show: { ...(p.displayOptions?.show ?? {}), resource: [resource], operation: [operation] },
		},
	}));
}

/** A Brevo caller bound to this execution's credential; counts requests (sync summaries report them). */
export async function brevoCaller(ctx: IExecuteFunctions, options: BrevoClientOptions = {}) {
	let requests = 0;
	const brevo = await getBrevoClient(ctx, {
		...options,
		onRequest: (method, path) => {
			requests++;
			options.onRequest?.(method, path);
		},
	});
	const call = async <T = unknown>(request: BrevoRequest): Promise<T> => await brevo.request<T>(request);
	return { call, requests: () => requests, brevo };
}

/** `forEachItem` for Brevo operations: Brevo errors translated with what the item was doing. */
export async function perItem(
	ctx: IExecuteFunctions,
	action: (itemIndex: number) => string,
	fn: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	return await forEachItem(ctx, fn, (error, i) => toBrevoNodeError(ctx.getNode(), error, { itemIndex: i, action: action(i) }));
}

export function requireEmail(ctx: IExecuteFunctions, field: string, label: string, i: number): string {
	const raw = ctx.getNodeParameter(field, i, '') as unknown;
	const email = String(raw ?? '').trim().toLowerCase();
	if (email === '') {
		throw new NodeOperationError(ctx.getNode(), `${label} is empty`, {
			itemIndex: i,
			description: `Give an email address, e.g. the clicking Slack user's: {{ $json.user.email }} (the Slack Interaction Trigger fills it when "Look Up User" is on and the token has users:read.email).`,
		});
	}
	if (!isValidEmail(email)) {
		throw new NodeOperationError(ctx.getNode(), `${label} "${String(raw)}" is not a valid email address`, {
			itemIndex: i,
			description: 'Brevo identifies contacts by a valid email address. Check the expression or the input item.',
		});
	}
	return email;
}

/** A JSON object parameter (accepts an object from an expression or JSON text); names the field when it is not one. */
export function jsonObjectParam(ctx: IExecuteFunctions, field: string, label: string, i: number): IDataObject {
	const raw = ctx.getNodeParameter(field, i, {}) as unknown;
	if (raw === undefined || raw === null || raw === '') return {};
	let value = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `${label} is not valid JSON: ${(error as Error).message}`, { itemIndex: i });
		}
	}
	if (typeof value !== 'object' || Array.isArray(value)) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be a JSON object like {"KEY": "value"}`, { itemIndex: i });
	}
	return value as IDataObject;
}

/** Attribute rows + JSON merged into Brevo attributes (names upper-cased, Brevo's convention). */
export function attributesParam(ctx: IExecuteFunctions, i: number): IDataObject {
	const rows = (ctx.getNodeParameter('attributes.attribute', i, []) as Array<{ name: string; value: unknown }>) ?? [];
	const json = jsonObjectParam(ctx, 'attributesJson', 'Attributes (JSON)', i);
	const out: IDataObject = {};
	for (const [name, value] of Object.entries(json)) out[name.trim().toUpperCase()] = value as IDataObject[string];
	for (const row of rows) {
		const name = String(row.name ?? '').trim().toUpperCase();
		if (name === '') throw new NodeOperationError(ctx.getNode(), 'An attribute row has no name', { itemIndex: i });
		out[name] = row.value as IDataObject[string];
	}
	return out;
}

/** List ids from a multi-select or an expression ("3, 7" or [3, 7]). */
export function listIdsParam(ctx: IExecuteFunctions, field: string, i: number, o: { required?: boolean } = {}): number[] {
	const raw = ctx.getNodeParameter(field, i, []) as unknown;
	const parts = Array.isArray(raw) ? raw : String(raw ?? '').split(',');
	const ids = parts.map((v) => String(v).trim()).filter((v) => v !== '');
	const bad = ids.filter((v) => !/^\d+$/.test(v) || Number(v) < 1);
	if (bad.length) {
		throw new NodeOperationError(ctx.getNode(), `List ID "${bad[0]}" is not a Brevo list id`, {
			itemIndex: i,
			description: 'Brevo list ids are positive numbers (Contacts > Lists shows them as #id).',
		});
	}
	if (o.required && ids.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'No Brevo list is selected', {
			itemIndex: i,
			description: "Brevo's import puts contacts into at least one list: pick one or more lists.",
		});
	}
	return [...new Set(ids.map(Number))];
}

export const attributeProperties: INodeProperties[] = [
	{
		displayName: 'Attributes',
		name: 'attributes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Attribute',
		default: {},
		options: [
			{
				name: 'attribute',
				displayName: 'Attribute',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'COMPANY', description: 'Brevo attribute name (upper case)' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Attributes (JSON)',
		name: 'attributesJson',
		type: 'json',
		default: '{}',
		description: 'More attributes as one object, e.g. a Slack modal\'s values: {{ $JSON.values }}. Keys are upper-cased; the rows above win on conflicts.',
	},
];
