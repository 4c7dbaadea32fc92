import {
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { forgetRecordedKeys } from '../shared/dedup';
import { getBrevoClient } from '../shared/n8n/brevoClient';
import { brevoLoadOptions } from '../shared/n8n/loaders';
import { sharedSecretProblem } from '../shared/brevo/auth';
import type { TriggerEvent } from '../shared/brevo/events';
import { DEFAULT_BASIC_USER, DEFAULT_SECRET_HEADER, properties } from './description';
import { manualSource, momentaryFailure, processBrevoDelivery, RETRY_LATER } from './pipeline';
import { adoptExisting, registerMissing, storedRegistrations, unregisterAll, wantedRegistrations } from './registration';

export { DEDUP_MAX_KEYS, DEDUP_TTL_MS } from './pipeline';

const OUTPUTS_EXPRESSION = `={{ [{ type: "main", displayName: "Events" }, { type: "main", displayName: "Rejected" }].concat($parameter.event === "order_placed" && $parameter.belowThreshold === "route" ? [{ type: "main", displayName: "Below Threshold" }] : []) }}`;

function csv(value: unknown): string[] {
	return String(value ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

function checkSharedSecret(ctx: IHookFunctions): void {
	const problem = sharedSecretProblem(ctx.getNodeParameter('sharedSecret', '') as string);
	if (problem)
		throw new NodeOperationError(ctx.getNode(), `Cannot activate: ${problem}`, {
			description:
				'Set "Shared Secret" (at least 16 characters, e.g. `openssl rand -hex 24`): calls from Brevo automations and Conversations are only accepted with it.',
		});
}

export class BrevoEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Brevo Event Trigger',
		name: 'brevoEventTrigger',
		icon: { light: 'file:brevoEventTrigger.svg', dark: 'file:brevoEventTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts the workflow on Brevo events (new subscriber, unsubscribed, order placed, cart abandoned, ticket created, raw webhook events), authenticated, normalised and deduplicated',
		defaults: { name: 'Brevo Event Trigger' },
		inputs: [],
		outputs: OUTPUTS_EXPRESSION,
		credentials: [
			{
				name: 'slackBrevoBrevoApi',
				required: true,
				displayOptions: { show: { event: ['new_subscriber', 'unsubscribed', 'raw'] } },
			},
		],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'brevo' }],
		properties,
	};

	methods = {
		loadOptions: {
			...brevoLoadOptions,
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const event = this.getNodeParameter('event') as TriggerEvent;
				if (manualSource(event)) {
					checkSharedSecret(this);
					const user = (this.getNodeParameter('basicAuthUser', DEFAULT_BASIC_USER) as string) || DEFAULT_BASIC_USER;
					const url = new URL(this.getNodeWebhookUrl('default') as string);
					this.logger.info(
						`Brevo Event Trigger "${this.getNode().name}" (${event}): paste ${url.protocol}//${user}:<shared secret>@${url.host}${url.pathname} into Brevo`,
					);
					return true; // nothing to register: the user pastes the URL into Brevo's UI
				}
				const wanted = wantedRegistrations(this.getNode(), event, this.getNodeParameter('rawEvents', []) as string[]);
				const url = this.getNodeWebhookUrl('default') as string;
				const brevo = await getBrevoClient(this);
				const { complete } = await adoptExisting(this, brevo, url, wanted);
				return complete;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const event = this.getNodeParameter('event') as TriggerEvent;
				if (manualSource(event)) {
					checkSharedSecret(this);
					return true;
				}
				const wanted = wantedRegistrations(this.getNode(), event, this.getNodeParameter('rawEvents', []) as string[]);
				const url = this.getNodeWebhookUrl('default') as string;
				const options = this.getNodeParameter('options', {}) as IDataObject;
				const brevo = await getBrevoClient(this);
				await registerMissing(this, brevo, url, wanted, {
					batched: options.batched === true,
					domain: (this.getNodeParameter('inboundDomain', '') as string).trim() || undefined,
					description: `n8n: ${this.getWorkflow().name ?? this.getWorkflow().id} / ${this.getNode().name}`,
				});
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				if (storedRegistrations(this.getWorkflowStaticData('node')).length === 0) return true;
				const brevo = await getBrevoClient(this);
				await unregisterAll(this, brevo);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const staticData = this.getWorkflowStaticData('node');
		const before = JSON.stringify(staticData);
		try {
			return await deliver.call(this);
		} catch (error) {
			// Not answered yet: 429, the one error answer Brevo retries (a 5xx would discard the event for good).
			if (res.headersSent) throw new NodeOperationError(this.getNode(), error as Error);
			// Forget what this call wrote (delivery keys): otherwise Brevo's retry would be taken for a duplicate.
			forgetRecordedKeys(staticData, dedupScope(this));
			for (const key of Object.keys(staticData)) delete staticData[key];
			Object.assign(staticData, JSON.parse(before) as IDataObject);
			const outcome = momentaryFailure(error);
			this.logger.warn(outcome.log ?? outcome.message, { node: this.getNode().name });
			res.set('Retry-After', String(RETRY_LATER.retryAfterSeconds));
			res.status(outcome.status).json({ message: outcome.message });
			return { noWebhookResponse: true };
		}
	}
}

/** Where this node's delivery keys live: its static data ("node:<name>") of this workflow (see shared/dedup.ts). */
function dedupScope(ctx: IWebhookFunctions): string {
	return `${ctx.getWorkflow().id ?? ''}/${ctx.getNode().name}`;
}

/** One call: the pipeline's outcome, answered by the node itself (see below why). */
async function deliver(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	const res = this.getResponseObject();
	const event = this.getNodeParameter('event') as TriggerEvent;
	const staticData = this.getWorkflowStaticData('node');
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const outcome = processBrevoDelivery(
		{ headers: req.headers, body: this.getBodyData(), rawBody: (req as unknown as { rawBody?: Buffer }).rawBody },
		{
			event,
			registrations: storedRegistrations(staticData),
			sharedSecret: manualSource(event) ? (this.getNodeParameter('sharedSecret', '') as string) : '',
			basicAuthUser: manualSource(event) ? (this.getNodeParameter('basicAuthUser', DEFAULT_BASIC_USER) as string) || undefined : undefined,
			authHeaderName: manualSource(event) ? (this.getNodeParameter('authHeaderName', DEFAULT_SECRET_HEADER) as string) || DEFAULT_SECRET_HEADER : DEFAULT_SECRET_HEADER,
			dedupe: options.dedupe !== false,
			dedupScope: dedupScope(this),
			ignoredKeys: csv(options.ignoreChangesBy),
			listIds: ((this.getNodeParameter('listIds', []) as Array<string | number>) ?? []).map(Number).filter(Number.isFinite),
			threshold: {
				minimum: Number(this.getNodeParameter('threshold', 0)),
				currency: (this.getNodeParameter('thresholdCurrency', '') as string) || undefined,
			},
			routeBelow: event === 'order_placed' && this.getNodeParameter('belowThreshold', 'drop') === 'route',
		},
		staticData,
		new Date(),
	);
	if (outcome.log) this.logger.warn(outcome.log, { node: this.getNode().name });
	if (outcome.kind === 'refuse') {
		res.status(outcome.status).json({ message: outcome.message });
		return { noWebhookResponse: true };
	}
	// The node answers itself (200 + what happened). Besides a consistent body, this makes n8n save the static
	// data changed here (delivery keys) as soon as it hands the request over, i.e. before the execution it starts
	// loads static data: letting n8n answer "on received" saves it only after that load, and an execution that
	// changes static data too (e.g. a Slack thread cache) would then write back a copy without the keys.
	res.status(200).json(outcome.counts);
	if (!outcome.outputs) return { noWebhookResponse: true };
	const { events, rejected, below } = outcome.outputs;
	const items = (list: unknown[]): INodeExecutionData[] => list.map((json) => ({ json: json as IDataObject }));
	const workflowData = [items(events), items(rejected)];
	if (below) workflowData.push(items(below));
	return { noWebhookResponse: true, workflowData };
}
