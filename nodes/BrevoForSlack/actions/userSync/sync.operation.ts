/**
 * User Sync > Sync Workspace: every Slack member -> a Brevo contact, in bulk, incrementally.
 * The work is in nodes/shared/sync/userSync.ts; this file reads the parameters, wires the clients and turns the
 * result into items (one summary, optionally one per user) and the state into workflow static data.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { toBrevoNodeError, getBrevoClient } from '../../../shared/n8n/brevoClient';
import { executionSleep } from '../../../shared/n8n/http';
import { booleanParam, collectionParam, toBoolean, toNumber, toOption, toText } from '../../../shared/n8n/params';
import { getSlackClient, toSlackNodeError } from '../../../shared/n8n/slackClient';
import { DEFAULT_FILTERS } from '../../../shared/sync/filters';
import { ATTRIBUTE_TYPES, DEFAULT_MAPPING, validateMapping, type MappingRow } from '../../../shared/sync/mapping';
import { parseCountryCode } from '../../../shared/sync/phone';
import { DEFAULT_CONTACTS_PER_IMPORT } from '../../../shared/sync/chunking';
import {
	runUserSync,
	SyncAbortedError,
	SyncConfigError,
	SyncServiceError,
	type SyncResult,
} from '../../../shared/sync/userSync';
import { forOperation, listIdsParam } from '../common';
import { brevoSyncPort, newCounters, slackUsersPort } from '../transport';

const STATE_KEY = 'userSync';

export const mappingProperty: INodeProperties = {
	displayName: 'Field Mapping',
	name: 'mapping',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Field',
	description:
		'Slack field -> Brevo attribute. The email is always the key. Derived fields: firstName / lastName (real name split), realName, phone (normalised for SMS). Any path into Slack\'s user object also works, e.g. profile.title, tz, is_admin, profile.fields.Xf01ABC.value.',
	default: {
		field: DEFAULT_MAPPING.map((r) => ({ slackField: r.slackField, brevoAttribute: r.brevoAttribute, type: r.type })),
	},
	options: [
		{
			name: 'field',
			displayName: 'Field',
			values: [
				{
					displayName: 'Slack Field',
					name: 'slackField',
					type: 'options',
					default: 'firstName',
					allowArbitraryValues: true,
					options: [
						{ name: 'Display Name', value: 'profile.display_name' },
						{ name: 'First Name (From Real Name)', value: 'firstName' },
						{ name: 'Is Admin', value: 'is_admin' },
						{ name: 'Is Guest (Multi-Channel)', value: 'is_restricted' },
						{ name: 'Is Owner', value: 'is_owner' },
						{ name: 'Last Name (From Real Name)', value: 'lastName' },
						{ name: 'Phone (Normalised)', value: 'phone' },
						{ name: 'Profile Updated (Date)', value: 'updated' },
						{ name: 'Real Name', value: 'realName' },
						{ name: 'Status Text', value: 'profile.status_text' },
						{ name: 'Team ID', value: 'team_id' },
						{ name: 'Time Zone', value: 'tz' },
						{ name: 'Title', value: 'profile.title' },
						{ name: 'User ID', value: 'id' },
						{ name: 'Username', value: 'name' },
					],
					description: 'Pick a field, or type a path into the Slack user object',
				},
				{ displayName: 'Brevo Attribute', name: 'brevoAttribute', type: 'string', default: '', placeholder: 'JOB_TITLE' },
				{
					displayName: 'Type',
					name: 'type',
					type: 'options',
					default: 'text',
					options: ATTRIBUTE_TYPES.map((t) => ({ name: t[0].toUpperCase() + t.slice(1), value: t })),
					description: 'Type of the Brevo attribute (used when it is created)',
				},
			],
		},
	],
};

export const description: INodeProperties[] = forOperation('userSync', 'sync', [
	{
		displayName: 'Target List Names or IDs',
		name: 'listIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getLists' },
		default: [],
		required: true,
		description:
			'Brevo lists the contacts are imported into (Brevo\'s import needs at least one). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	mappingProperty,
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: 'Whether to only report what would be created, updated and skipped, writing nothing to Brevo',
	},
	{
		displayName: 'Output One Item per User',
		name: 'perUserItems',
		type: 'boolean',
		default: false,
		description: 'Whether to output, after the summary, one item per Slack user with its outcome and reason (large workspaces: many items)',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Deleted Users',
				name: 'deletedUsers',
				type: 'options',
				default: 'skip',
				options: [
					{ name: 'Skip', value: 'skip' },
					{ name: 'Mark in Brevo', value: 'mark', description: 'Write the "deleted" attribute true on them (false on active users)' },
				],
			},
			{ displayName: 'Include Bots and App Users', name: 'includeBots', type: 'boolean', default: false },
			{ displayName: 'Include Multi-Channel Guests', name: 'includeMultiChannelGuests', type: 'boolean', default: true },
			{ displayName: 'Include Single-Channel Guests', name: 'includeSingleChannelGuests', type: 'boolean', default: true },
			{ displayName: 'Include Slackbot', name: 'includeSlackbot', type: 'boolean', default: false },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Clear Emptied Fields',
				name: 'clearEmptyValues',
				type: 'boolean',
				default: false,
				description: 'Whether a field emptied in Slack also empties the attribute in Brevo (otherwise Brevo keeps the old value)',
			},
			{
				displayName: 'Contacts per Import',
				name: 'contactsPerImport',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50000 },
				default: DEFAULT_CONTACTS_PER_IMPORT,
				description: 'Most contacts in one Brevo import call (each is also kept under 8 MB)',
			},
			{
				displayName: 'Create Missing Attributes',
				name: 'createMissingAttributes',
				type: 'boolean',
				default: true,
				description: 'Whether to create mapped attributes Brevo does not have yet (otherwise they are reported and left out)',
			},
			{
				displayName: 'Default Country Code',
				name: 'defaultCountryCode',
				type: 'string',
				default: '',
				placeholder: '33',
				description: 'Calling code for phones written without one, e.g. 33 (France) or 1 (US/Canada). Empty: such phones are left out with a warning.',
			},
			{
				displayName: 'Deleted Attribute',
				name: 'deletedAttribute',
				type: 'string',
				default: 'SLACK_DELETED',
				description: 'Boolean attribute written when Deleted Users is "Mark in Brevo"',
			},
			{
				displayName: 'Full Resync',
				name: 'fullResync',
				type: 'boolean',
				default: false,
				description: 'Whether to ignore what earlier runs sent and send every user again',
			},
			{
				displayName: 'Import Timeout (Seconds)',
				name: 'importTimeoutSec',
				type: 'number',
				typeOptions: { minValue: 10 },
				default: 600,
				description: 'How long to follow one Brevo import process before reporting its contacts as unconfirmed (retried next run)',
			},
		],
	},
	{
		displayName:
			'Incremental: what was sent is remembered in the workflow\'s static data, which n8n saves for production (active or scheduled) executions only; manual test runs send everything again.',
		name: 'stateNotice',
		type: 'notice',
		default: '',
	},
]);

function readMapping(ctx: IExecuteFunctions): MappingRow[] {
	const raw = (ctx.getNodeParameter('mapping.field', 0, []) as Array<Partial<MappingRow>>) ?? [];
	try {
		return validateMapping(raw);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `Field Mapping: ${(error as Error).message}`, { itemIndex: 0 });
	}
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	// a workspace sync runs once per execution, whatever the number of input items
	const listIds = listIdsParam(this, 'listIds', 0, { required: true });
	const mapping = readMapping(this);
	const dryRun = booleanParam(this, 'dryRun', 'Dry Run', 0, false);
	const perUserItems = booleanParam(this, 'perUserItems', 'Output One Item per User', 0, false);
	const f = collectionParam(this, 'filters', 'Filters', 0);
	const o = collectionParam(this, 'options', 'Options', 0);
	const filters = {
		includeBots: toBoolean(this, f.includeBots, 0, 'Filters > Include Bots and App Users', DEFAULT_FILTERS.includeBots),
		includeSlackbot: toBoolean(this, f.includeSlackbot, 0, 'Filters > Include Slackbot', DEFAULT_FILTERS.includeSlackbot),
		deletedUsers: toOption(this, f.deletedUsers, 0, 'Filters > Deleted Users', ['skip', 'mark'] as const, DEFAULT_FILTERS.deletedUsers),
		includeMultiChannelGuests: toBoolean(this, f.includeMultiChannelGuests, 0, 'Filters > Include Multi-Channel Guests', DEFAULT_FILTERS.includeMultiChannelGuests),
		includeSingleChannelGuests: toBoolean(this, f.includeSingleChannelGuests, 0, 'Filters > Include Single-Channel Guests', DEFAULT_FILTERS.includeSingleChannelGuests),
	};
	const createMissingAttributes = toBoolean(this, o.createMissingAttributes, 0, 'Options > Create Missing Attributes', true);
	const clearEmptyValues = toBoolean(this, o.clearEmptyValues, 0, 'Options > Clear Emptied Fields', false);
	const fullResync = toBoolean(this, o.fullResync, 0, 'Options > Full Resync', false);
	const contactsPerImport = toNumber(this, o.contactsPerImport, 0, 'Options > Contacts per Import', { min: 1, max: 50000, fallback: DEFAULT_CONTACTS_PER_IMPORT });
	const importTimeoutSec = toNumber(this, o.importTimeoutSec, 0, 'Options > Import Timeout (Seconds)', { min: 10, fallback: 600 });
	const countryCode = toText(this, o.defaultCountryCode, 0, 'Options > Default Country Code', 'Give a calling code as digits, e.g. 33 (France) or 1 (US/Canada).');
	let defaultCountryCode = '';
	try {
		defaultCountryCode = parseCountryCode(countryCode);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Default Country Code: ${(error as Error).message}`, { itemIndex: 0 });
	}
	const deletedAttribute = toText(this, o.deletedAttribute ?? 'SLACK_DELETED', 0, 'Options > Deleted Attribute').trim().toUpperCase();
	if (!/^[A-Z][A-Z0-9_]*$/.test(deletedAttribute)) {
		throw new NodeOperationError(this.getNode(), `Deleted Attribute "${deletedAttribute}" is not a Brevo attribute name`, {
			itemIndex: 0,
			description: 'Use letters, digits and underscores, starting with a letter.',
		});
	}

	const counters = newCounters();
	const slack = await getSlackClient(this, { onRateLimited: () => counters.slackRateLimited++ });
	const brevo = await getBrevoClient(this, {
		onRequest: () => counters.brevo++,
		onRateLimited: () => counters.brevoRateLimited++,
	});
	const fetchReport = async (url: string): Promise<string> => {
		counters.brevo++;
		const text = await this.helpers.httpRequest({ method: 'GET', url, json: false, encoding: 'text' });
		return String(text);
	};

	const staticData = this.getWorkflowStaticData('node');
	const runSync = async (): Promise<SyncResult> => {
		try {
			return await runUserSync(slackUsersPort(slack, counters), brevoSyncPort(async (r) => await brevo.request(r), fetchReport), staticData[STATE_KEY], {
				sleep: executionSleep(this),
				mapping,
				filters,
				listIds,
				defaultCountryCode,
				deletedAttribute,
				createMissingAttributes,
				clearEmptyValues,
				dryRun,
				fullResync,
				perUserItems,
				contactsPerImport,
				importTimeoutMs: importTimeoutSec * 1000,
			});
		} catch (error) {
			if (error instanceof SyncConfigError) {
				throw new NodeOperationError(this.getNode(), error.message, { description: error.description, itemIndex: 0 });
			}
			if (error instanceof SyncAbortedError) {
				// keep what Brevo confirmed: the rerun continues instead of starting over
				if (error.result.state) staticData[STATE_KEY] = error.result.state as unknown as IDataObject;
				const cause = error.cause instanceof SyncServiceError ? error.cause : undefined;
				const s = error.result.summary;
				const done = `Sync stopped after ${s.usersRead} users (${s.counts.created} created, ${s.counts.updated} updated, ${s.counts.unchanged} unchanged, ${s.counts.failed} failed); what Brevo confirmed is remembered and not sent again.`;
				let nodeError: NodeApiError | NodeOperationError;
				if (cause?.service === 'slack') nodeError = toSlackNodeError(this.getNode(), cause.original ?? cause, { action: 'reading users.list', itemIndex: 0 });
				else if (cause?.service === 'brevo') nodeError = toBrevoNodeError(this.getNode(), cause.original ?? cause, { action: 'syncing contacts', itemIndex: 0 });
				else nodeError = new NodeOperationError(this.getNode(), (error.cause as Error)?.message ?? String(error.cause), { itemIndex: 0 });
				nodeError.description = [nodeError.description, done].filter(Boolean).join('\n');
				throw nodeError;
			}
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: 0 });
		}
	};
	let result: SyncResult;
	try {
		result = await runSync();
	} catch (error) {
		const e = error as NodeApiError | NodeOperationError;
		if (!this.continueOnFail()) throw e;
		return [{ json: { type: 'summary', error: e.message, description: e.description ?? null }, pairedItem: { item: 0 } }];
	}
	if (result.state) staticData[STATE_KEY] = result.state as unknown as IDataObject;

	const summary: IDataObject = {
		...(result.summary as unknown as IDataObject),
		apiCalls: { ...counters },
	};
	const out: INodeExecutionData[] = [{ json: { type: 'summary', ...summary }, pairedItem: { item: 0 } }];
	for (const u of result.users) out.push({ json: { type: 'user', ...(u as unknown as IDataObject) }, pairedItem: { item: 0 } });
	return out;
}
