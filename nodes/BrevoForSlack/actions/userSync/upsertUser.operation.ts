/**
 * User Sync > Upsert One User: real-time sync of one Slack user (team_join / user_change events from the Slack
 * trigger) with `POST /contacts` updateEnabled, using the same filters and mapping as the workspace sync.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { isBrevoNotFound } from '../../../shared/brevo/gateway';

import { toBrevoNodeError, getBrevoClient } from '../../../shared/n8n/brevoClient';
import { collectionParam, describeValue, toBoolean, toOption, toText } from '../../../shared/n8n/params';
import { getSlackClient, toSlackNodeError } from '../../../shared/n8n/slackClient';
import { classifyUser, DEFAULT_FILTERS, SKIP_REASON_TEXT } from '../../../shared/sync/filters';
import { brevoTypeToRowType, mapUser, realNameOf, reconcileType, validateMapping, type MappingRow, type SlackUser } from '../../../shared/sync/mapping';
import { parseCountryCode } from '../../../shared/sync/phone';
import { forOperation, listIdsParam, perItem } from '../common';
import { toBrevoSyncError } from '../transport';
import { mappingProperty } from './sync.operation';

export const description: INodeProperties[] = forOperation('userSync', 'upsertUser', [
	{
		displayName: 'Slack User',
		name: 'user',
		type: 'json',
		default: '={{ $json.event?.user ?? $json.user }}',
		required: true,
		description:
			'The Slack user object (team_join and user_change events carry it whole), or a user ID (U...) to read with users.info. The default takes it from the Slack Interaction Trigger\'s output.',
	},
	{
		displayName: 'List Names or IDs',
		name: 'listIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getLists' },
		default: [],
		description: 'Brevo lists to add the contact to. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	mappingProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Create Missing Attributes', name: 'createMissingAttributes', type: 'boolean', default: true },
			{ displayName: 'Default Country Code', name: 'defaultCountryCode', type: 'string', default: '', placeholder: '33' },
			{
				displayName: 'Deleted Users',
				name: 'deletedUsers',
				type: 'options',
				default: 'skip',
				options: [
					{ name: 'Skip', value: 'skip' },
					{ name: 'Mark in Brevo (SLACK_DELETED)', value: 'mark' },
				],
			},
			{ displayName: 'Include Bots and App Users', name: 'includeBots', type: 'boolean', default: false },
		],
	},
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const brevo = await getBrevoClient(this);
	let slack: Awaited<ReturnType<typeof getSlackClient>> | undefined;
	let attributeTypes: Map<string, string> | undefined;

	return await perItem(this, () => 'upserting a Slack user as a Brevo contact', async (i) => {
		const o = collectionParam(this, 'options', 'Options', i);
		const countryCode = toText(this, o.defaultCountryCode, i, 'Options > Default Country Code', 'Give a calling code as digits, e.g. 33 (France) or 1 (US/Canada).');
		const deletedUsers = toOption(this, o.deletedUsers, i, 'Options > Deleted Users', ['skip', 'mark'] as const, 'skip');
		const includeBots = toBoolean(this, o.includeBots, i, 'Options > Include Bots and App Users', false);
		const createMissingAttributes = toBoolean(this, o.createMissingAttributes, i, 'Options > Create Missing Attributes', true);
		let rows: MappingRow[];
		let cc: string;
		try {
			rows = validateMapping((this.getNodeParameter('mapping.field', i, []) as Array<Partial<MappingRow>>) ?? []);
			cc = parseCountryCode(countryCode);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex: i });
		}
		const listIds = listIdsParam(this, 'listIds', i);
		let raw = this.getNodeParameter('user', i) as unknown;
		const userHint = 'Give a Slack user object (e.g. {{ $json.event.user }} of a team_join event) or a user ID like U012AB3CD.';
		if (typeof raw === 'string' && raw.trim().startsWith('{')) {
			try {
				raw = JSON.parse(raw) as unknown;
			} catch (error) {
				throw new NodeOperationError(this.getNode(), `Slack User is not valid JSON: ${(error as Error).message}`, { itemIndex: i, description: userHint });
			}
		}
		if (raw !== undefined && raw !== null && typeof raw !== 'string' && (typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Date)) {
			throw new NodeOperationError(this.getNode(), `Slack User must be a Slack user object or a user ID, not ${describeValue(raw)}`, { itemIndex: i, description: userHint });
		}
		let user: SlackUser;
		const id = typeof raw === 'string' ? raw.trim() : toText(this, (raw as { id?: unknown } | null)?.id, i, 'Slack User > id', userHint).trim();
		if (!id) {
			throw new NodeOperationError(this.getNode(), 'Slack User is empty or has no id', {
				itemIndex: i,
				description: userHint,
			});
		}
		if (typeof raw === 'object' && raw !== null && (raw as SlackUser).profile && 'email' in ((raw as SlackUser).profile ?? {})) {
			user = raw as SlackUser;
		} else {
			slack ??= await getSlackClient(this);
			try {
				user = ((await slack.users.info({ user: id })) as unknown as { user: SlackUser }).user;
			} catch (error) {
				throw toSlackNodeError(this.getNode(), error, { itemIndex: i, action: `reading Slack user ${id}` });
			}
		}
		const verdict = classifyUser(user, { ...DEFAULT_FILTERS, includeBots, deletedUsers });
		const base = { userId: user.id, name: realNameOf(user) || user.name || '' };
		if (verdict.action === 'skip') return { ...base, email: user.profile?.email ?? null, outcome: 'skipped', reason: SKIP_REASON_TEXT[verdict.reason] };

		const contact = mapUser(user, rows, { defaultCountryCode: cc });
		if (deletedUsers === 'mark') contact.attributes.SLACK_DELETED = verdict.deleted;
		const warnings = [...contact.warnings];

		// attributes Brevo lacks are dropped silently by Brevo: create them, or say so
		if (!attributeTypes) {
			const r = await brevo.request<{ attributes?: Array<{ name: string; category: string; type?: string }> }>({ method: 'GET', path: '/contacts/attributes' });
			attributeTypes = new Map((r?.attributes ?? []).filter((a) => a.category === 'normal').map((a) => [a.name.toUpperCase(), a.type ?? 'text']));
		}
		const types = new Map(rows.map((r) => [r.brevoAttribute, r.type]));
		if (deletedUsers === 'mark') types.set('SLACK_DELETED', 'boolean');
		for (const name of Object.keys(contact.attributes)) {
			const type = types.get(name) ?? 'text';
			const existing = attributeTypes.get(name);
			if (existing === undefined) {
				if (createMissingAttributes) {
					await brevo.request({ method: 'POST', path: `/contacts/attributes/normal/${encodeURIComponent(name)}`, body: { type } });
					attributeTypes.set(name, type);
				} else {
					delete contact.attributes[name];
					warnings.push(`${name} left out: Brevo has no such attribute (turn on "Create Missing Attributes" or create it)`);
				}
				continue;
			}
			const fit = reconcileType(type, brevoTypeToRowType(existing));
			if (fit === 'toText') contact.attributes[name] = String(contact.attributes[name]);
			if (fit === 'incompatible') {
				delete contact.attributes[name];
				warnings.push(`${name} left out: Brevo's attribute is of type ${existing}, the mapping gives ${type}`);
			}
		}

		const send = async (attributes: IDataObject) =>
			await brevo.request<{ id?: number } | undefined>({
				method: 'POST',
				path: '/contacts',
				body: { email: contact.email, attributes, ...(listIds.length ? { listIds } : {}), updateEnabled: true },
			});
		let response: { id?: number } | undefined;
		const sms = contact.attributes.SMS;
		if (typeof sms === 'string' && sms !== '') {
			// Brevo's upsert would match (and rewrite) another contact holding this number: leave the number out instead
			let owner: string | null | undefined;
			try {
				const r = await brevo.getContact(sms, 'phone_id');
				owner = r?.email ? r.email.toLowerCase() : null;
			} catch (error) {
				if (!(isBrevoNotFound(error))) {
					throw toBrevoNodeError(this.getNode(), error, { itemIndex: i, action: `looking up who holds ${sms}` });
				}
			}
			if (owner !== undefined && owner !== contact.email) {
				delete contact.attributes.SMS;
				warnings.push(`SMS left out: ${sms} already belongs to another Brevo contact`);
			}
		}
		try {
			response = await send(contact.attributes);
		} catch (error) {
			const e = toBrevoSyncError(error);
			const phoneTaken = e.code === 'duplicate_parameter' && contact.attributes.SMS !== undefined && (e.duplicateIdentifiers?.includes('SMS') || /SMS|phone/i.test(e.message));
			if (!phoneTaken) throw toBrevoNodeError(this.getNode(), error, { itemIndex: i, action: `upserting contact ${contact.email}` });
			const { SMS, ...rest } = contact.attributes;
			response = await send(rest);
			warnings.push(`SMS left out: ${String(SMS)} already belongs to another Brevo contact`);
		}
		return {
			...base,
			email: contact.email,
			outcome: response && response.id !== undefined ? 'created' : 'updated',
			contactId: response?.id ?? null,
			attributes: contact.attributes as IDataObject,
			warnings,
		};
	});
}
