/** Event > Track: `POST /events` (204). A tracked event starts Brevo automations that listen for it. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getBrevoClient } from '../../../shared/n8n/brevoClient';
import { forOperation, jsonObjectParam, perItem, requireEmail } from '../common';
import { textParam } from '../../../shared/n8n/params';

export const description: INodeProperties[] = forOperation('event', 'track', [
	{
		displayName: 'Event Name',
		name: 'eventName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'slack_demo_requested',
		description: 'Letters, digits, - and _ (at most 255); the automation\'s "custom event" trigger uses the same name',
	},
	{
		displayName: 'Contact Email',
		name: 'email',
		type: 'string',
		default: '={{ $json.user?.email }}',
		required: true,
		placeholder: 'name@example.com',
		description: 'Who the event is about. Default: the Slack user who clicked or submitted.',
	},
	{
		displayName: 'Event Properties (JSON)',
		name: 'eventProperties',
		type: 'json',
		default: '={{ { source: "slack", callback_id: $json.callback_id ?? null, action_id: $json.action?.action_id ?? null, value: $json.action?.value ?? null, ...($json.values ?? {}) } }}',
		description: 'Data the automation can use (at most 50 KB; keys of letters, digits, - and _)',
	},
	{
		displayName: 'Contact Properties (JSON)',
		name: 'contactProperties',
		type: 'json',
		default: '{}',
		description: 'Contact attributes to update with the event, e.g. {"COMPANY": "Acme"}',
	},
]);

const EVENT_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** Brevo refuses property keys outside [A-Za-z0-9_-]: turn "block.action id" into "block_action_id", and drop nulls. */
export function cleanProperties(value: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, v] of Object.entries(value)) {
		if (v === null || v === undefined) continue;
		const k = key.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 255);
		out[k] = v && typeof v === 'object' && !Array.isArray(v) ? cleanProperties(v as IDataObject) : v;
	}
	return out;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const brevo = await getBrevoClient(this);
	return await perItem(this, () => 'tracking an event', async (i) => {
		const eventName = textParam(this, 'eventName', 'Event Name', i);
		if (!EVENT_NAME.test(eventName)) {
			throw new NodeOperationError(this.getNode(), `Event Name "${eventName}" is not valid`, {
				itemIndex: i,
				description: 'Use at most 255 letters, digits, - and _, e.g. slack_demo_requested.',
			});
		}
		const email = requireEmail(this, 'email', 'Contact Email', i);
		const eventProperties = cleanProperties(jsonObjectParam(this, 'eventProperties', 'Event Properties (JSON)', i));
		const contactProperties = jsonObjectParam(this, 'contactProperties', 'Contact Properties (JSON)', i);
		const size = Buffer.byteLength(JSON.stringify(eventProperties));
		if (size > 50 * 1024) {
			throw new NodeOperationError(this.getNode(), `Event Properties are ${size} bytes; Brevo accepts at most 50 KB`, { itemIndex: i });
		}
		const body: IDataObject = { event_name: eventName, identifiers: { email_id: email } };
		if (Object.keys(eventProperties).length) body.event_properties = eventProperties;
		if (Object.keys(contactProperties).length) {
			body.contact_properties = Object.fromEntries(Object.entries(contactProperties).map(([k, v]) => [k.toUpperCase(), v]));
		}
		await brevo.request({ method: 'POST', path: '/events', body });
		return { tracked: true, eventName, email, eventProperties };
	});
}
