/**
 * What every Brevo for Slack operation shares: the per-item loop with Continue On Fail and Brevo's error translation,
 * and parameter readers that name the field at fault.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toBrevoNodeError } from '../../shared/n8n/brevoClient';
import { forEachItem } from '../../shared/n8n/items';
import { isValidEmail } from '../../shared/sync/filters';
import { describeValue, jsonObjectParam as sharedJsonObjectParam, toText, toTextList } from '../../shared/n8n/params';

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
	if (typeof raw === 'number' || typeof raw === 'boolean') {
		throw new NodeOperationError(ctx.getNode(), `${label} must be an email address, not ${describeValue(raw)}`, {
			itemIndex: i,
			description: 'Map the email field of the item, e.g. {{ $json.email }}.',
		});
	}
	const email = toText(ctx, raw, i, label, 'Map the email field of the item, e.g. {{ $json.email }} or {{ $json.user.email }}, not the whole object.').trim().toLowerCase();
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

/** A JSON object parameter (an object from an expression or JSON text); see `toJsonObject` in the n8n layer. */
export function jsonObjectParam(ctx: IExecuteFunctions, field: string, label: string, i: number): IDataObject {
	return sharedJsonObjectParam(ctx, field, label, i);
}

/** What a Brevo attribute can hold: text, numbers, booleans (dates as ISO text); lists of those for multiple-choice. */
function attributeValue(ctx: IExecuteFunctions, value: unknown, i: number, label: string): IDataObject[string] {
	if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value as IDataObject[string];
	if (Array.isArray(value)) return value.map((v) => toText(ctx, v, i, label)) as IDataObject[string];
	return toText(ctx, value, i, label, `Brevo attributes hold text, numbers, booleans or dates. Map one field, e.g. {{ $json.company.name }}.`);
}

/** Attribute rows + JSON merged into Brevo attributes (names upper-cased, Brevo's convention). */
export function attributesParam(ctx: IExecuteFunctions, i: number): IDataObject {
	const rawRows = ctx.getNodeParameter('attributes.attribute', i, []) as unknown;
	const rows = (Array.isArray(rawRows) ? rawRows : rawRows ? [rawRows] : []) as Array<{ name?: unknown; value?: unknown }>;
	const json = jsonObjectParam(ctx, 'attributesJson', 'Attributes (JSON)', i);
	const out: IDataObject = {};
	for (const [name, value] of Object.entries(json)) out[name.trim().toUpperCase()] = attributeValue(ctx, value, i, `Attributes (JSON) > ${name}`);
	for (const row of rows) {
		const name = toText(ctx, row?.name, i, 'Attributes > Name').trim().toUpperCase();
		if (name === '') throw new NodeOperationError(ctx.getNode(), 'An attribute row has no name', { itemIndex: i });
		out[name] = attributeValue(ctx, row.value, i, `Attributes > ${name}`);
	}
	return out;
}

/** List ids from a multi-select or an expression ("3, 7", 3 or [3, 7]). */
export function listIdsParam(ctx: IExecuteFunctions, field: string, i: number, o: { required?: boolean; label?: string } = {}): number[] {
	const raw = ctx.getNodeParameter(field, i, []) as unknown;
	const ids = toTextList(ctx, raw, i, o.label ?? 'List Names or IDs', 'Give Brevo list ids as numbers, e.g. 3 or [3, 7] or "3, 7".');
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
