/** Dispatches resource/operation to the operation's file (each holds its UI description next to its execute). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { operationDescriptions, route, type OperationTable } from '../../shared/n8n/router';
import * as contactGet from './contact/get.operation';
import * as contactUpdateAttributes from './contact/updateAttributes.operation';
import * as contactUpsert from './contact/upsert.operation';
import * as emailSend from './email/send.operation';
import * as eventTrack from './event/track.operation';
import * as listAdd from './list/add.operation';
import * as listRemove from './list/remove.operation';
import * as findSlackUser from './userSync/findSlackUser.operation';
import * as getBrevoContact from './userSync/getBrevoContact.operation';
import * as sync from './userSync/sync.operation';
import * as upsertUser from './userSync/upsertUser.operation';

export const operations: OperationTable = {
	userSync: { sync, upsertUser, findSlackUser, getBrevoContact },
	contact: { upsert: contactUpsert, updateAttributes: contactUpdateAttributes, get: contactGet },
	list: { add: listAdd, remove: listRemove },
	email: { send: emailSend },
	event: { track: eventTrack },
};

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	default: 'userSync',
	options: [
		{ name: 'Contact', value: 'contact' },
		{ name: 'Email', value: 'email' },
		{ name: 'Event', value: 'event' },
		{ name: 'List', value: 'list' },
		{ name: 'User Sync', value: 'userSync' },
	],
};

const operationProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['userSync'] } },
		default: 'sync',
		options: [
			{ name: 'Find Slack User by Email', value: 'findSlackUser', action: 'Find a slack user by email', description: 'Users.lookupByEmail' },
			{ name: 'Get Brevo Contact for Slack User', value: 'getBrevoContact', action: 'Get the brevo contact of a slack user' },
			{ name: 'Sync Workspace', value: 'sync', action: 'Sync all slack users to brevo', description: 'Bulk, incremental sync of every Slack member to Brevo contacts' },
			{ name: 'Upsert One User', value: 'upsertUser', action: 'Upsert one slack user as a brevo contact', description: 'For team_join / user_change events' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		default: 'upsert',
		options: [
			{ name: 'Create or Update', value: 'upsert', action: 'Create or update a contact' },
			{ name: 'Get', value: 'get', action: 'Get a contact' },
			{ name: 'Update Attributes', value: 'updateAttributes', action: 'Update contact attributes' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['list'] } },
		default: 'add',
		options: [
			{ name: 'Add Contacts', value: 'add', action: 'Add contacts to a list' },
			{ name: 'Remove Contacts', value: 'remove', action: 'Remove contacts from a list' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['email'] } },
		default: 'send',
		options: [{ name: 'Send Transactional', value: 'send', action: 'Send a transactional email' }],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		default: 'track',
		options: [{ name: 'Track', value: 'track', action: 'Track an event to start an automation' }],
	},
];

export const properties: INodeProperties[] = [
	resourceProperty,
	...operationProperties,
	...operationDescriptions(operations),
];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, operations);
}
