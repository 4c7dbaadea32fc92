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

import { seenBefore } from '../shared/dedup';
import { getBrevoClient } from '../shared/n8n/brevoClient';
import { brevoLoadOptions } from '../shared/n8n/loaders';
import { authenticateRequest, sharedSecretProblem, type AcceptedSecret } from '../shared/brevo/auth';
import { SPEC_EVENTS, type TriggerEvent } from '../shared/brevo/events';
import { deliveryKey, normalizeDelivery, parseJsonBody, type CanonicalEvent, type SourceKind } from '../shared/brevo/normalize';
import { applyThreshold } from '../shared/brevo/order';
import { DEFAULT_BASIC_USER, DEFAULT_SECRET_HEADER, properties } from './description';
import { adoptExisting, registerMissing, storedRegistrations, unregisterAll, wantedRegistrations } from './registration';

/** Brevo's last retry comes 8 h after the previous one (11 h 10 min after the first try): remember keys 12 h. */
export const DEDUP_TTL_MS = 12 * 3600_000;
/**
 * At most this many delivery keys in static data (about 40 bytes each, so under 100 KB). A batched delivery
 * (an array) counts as one key: Brevo retries a batch as the same array.
 */
export const DEDUP_MAX_KEYS = 2000;

const OUTPUTS_EXPRESSION = `={{ [{ type: "main", displayName: "Events" }, { type: "main", displayName: "Rejected" }].concat($parameter.event === "order_placed" && $parameter.belowThreshold === "route" ? [{ type: "main", displayName: "Below Threshold" }] : []) }}`;

function manualSource(event: TriggerEvent): boolean {
	return event !== 'raw' && SPEC_EVENTS[event].manualSource;
}

function sourceKindOf(event: TriggerEvent): SourceKind {
	return event === 'ticket_created' ? 'conversations' : 'automation';
}

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
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const event = this.getNodeParameter('event') as TriggerEvent;
		const staticData = this.getWorkflowStaticData('node');
		const registrations = storedRegistrations(staticData);

		const refuse = (status: number, message: string): IWebhookResponseData => {
			res.status(status).json({ message });
			return { noWebhookResponse: true };
		};
		// The node answers itself (200 + what happened). Besides a consistent body, this makes n8n save the static
		// data changed here (delivery keys) as soon as it hands the request over, i.e. before the execution it starts
		// loads static data: letting n8n answer "on received" saves it only after that load, and an execution that
		// changes static data too (e.g. a Slack thread cache) would then write back a copy without the keys.
		const answer = (counts: IDataObject, workflowData?: INodeExecutionData[][]): IWebhookResponseData => {
			res.status(200).json(counts);
			return workflowData ? { noWebhookResponse: true, workflowData } : { noWebhookResponse: true };
		};

		// 1. Authenticate before reading anything else.
		const accepted: AcceptedSecret[] = [];
		if (manualSource(event)) {
			const secret = this.getNodeParameter('sharedSecret', '') as string;
			if (!sharedSecretProblem(secret)) {
				accepted.push({
					secret,
					label: 'shared',
					methods: ['basic', 'header', 'bearer'],
					basicUser: (this.getNodeParameter('basicAuthUser', DEFAULT_BASIC_USER) as string) || undefined,
					headerName: (this.getNodeParameter('authHeaderName', DEFAULT_SECRET_HEADER) as string) || DEFAULT_SECRET_HEADER,
				});
			}
		} else {
			for (const r of registrations) accepted.push({ secret: r.token, label: `registration:${r.webhookId}`, methods: ['bearer'] });
		}
		const auth = authenticateRequest(req.headers, accepted);
		if (!auth.ok) {
			this.logger.warn(`Brevo Event Trigger refused a call: ${auth.reason}`, { node: this.getNode().name });
			return refuse(401, 'Unauthorized');
		}

		// 2. Parse.
		let body: unknown = this.getBodyData();
		const contentType = String(req.headers['content-type'] ?? '');
		if (!/json/i.test(contentType)) {
			const parsed = parseJsonBody((req as unknown as { rawBody?: Buffer }).rawBody);
			if (!parsed.ok) return refuse(400, `Not a Brevo event: ${parsed.reason}`);
			body = parsed.body;
		}

		// 3. Normalise.
		const registration = auth.label.startsWith('registration:')
			? registrations.find((r) => `registration:${r.webhookId}` === auth.label)
			: undefined;
		const kind: SourceKind = registration ? registration.type : sourceKindOf(event);
		const now = new Date();
		const result = normalizeDelivery(body, {
			kind,
			automationEvent: event === 'cart_abandoned' ? 'cart_abandoned' : 'order_placed',
			receivedAt: now,
		});
		if (!result.ok) return refuse(result.status, `Not accepted: ${result.reason}`);

		// 4. Filter, deduplicate, apply the threshold.
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const dedupe = options.dedupe !== false;
		const ignoredKeys = csv(options.ignoreChangesBy);
		const listIds = ((this.getNodeParameter('listIds', []) as Array<string | number>) ?? []).map(Number).filter(Number.isFinite);
		const threshold = {
			minimum: Number(this.getNodeParameter('threshold', 0)),
			currency: (this.getNodeParameter('thresholdCurrency', '') as string) || undefined,
		};
		const routeBelow = event === 'order_placed' && this.getNodeParameter('belowThreshold', 'drop') === 'route';

		const events: INodeExecutionData[] = [];
		const below: INodeExecutionData[] = [];
		const counts = { received: result.accepted.length + result.rejected.length + (result.skipped ?? 0), emitted: 0, duplicates: 0, filtered: result.skipped ?? 0, belowThreshold: 0, rejected: result.rejected.length };
		// A batch is retried whole by Brevo: one key for the array keeps static data small at high volume.
		const batchKey = Array.isArray(body) && body.length > 1 ? `batch:${deliveryKey(body)}` : undefined;
		if (dedupe && batchKey && seenBefore(staticData, batchKey, now.getTime(), { ttlMs: DEDUP_TTL_MS, max: DEDUP_MAX_KEYS })) {
			return answer({ ...counts, duplicates: counts.received, filtered: 0, rejected: 0 });
		}
		for (const { subscription, item } of result.accepted) {
			let out: CanonicalEvent = item;
			if (registration) {
				if (!subscription || !registration.events.includes(subscription)) {
					counts.filtered++;
					continue;
				}
				if (event === 'new_subscriber' || event === 'unsubscribed') out = { ...item, event };
			}
			if (event === 'new_subscriber' && listIds.length > 0 && !item.lists.some((l) => listIds.includes(l))) {
				counts.filtered++;
				continue;
			}
			if (item.apiKeyName && ignoredKeys.includes(item.apiKeyName)) {
				counts.filtered++;
				continue;
			}
			let target = events;
			if (event === 'order_placed' && out.order) {
				const verdict = applyThreshold(out.order, threshold);
				if (!verdict.passes) {
					counts.belowThreshold++;
					if (!routeBelow) continue;
					out = { ...out, belowThreshold: { reason: verdict.reason, minimum: threshold.minimum, currency: threshold.currency ?? null } } as CanonicalEvent;
					target = below;
				}
			}
			if (dedupe && !batchKey && seenBefore(staticData, deliveryKey(item.raw), now.getTime(), { ttlMs: DEDUP_TTL_MS, max: DEDUP_MAX_KEYS })) {
				counts.duplicates++;
				if (target === below) counts.belowThreshold--;
				continue;
			}
			target.push({ json: out as unknown as IDataObject });
		}
		counts.emitted = events.length;
		const rejected: INodeExecutionData[] = result.rejected.map((r) => ({
			json: { reason: r.reason, index: r.index, source: kind, receivedAt: now.toISOString(), raw: r.raw as IDataObject },
		}));
		if (rejected.length > 0)
			this.logger.warn(`Brevo Event Trigger rejected ${rejected.length} malformed event(s)`, { node: this.getNode().name });

		if (events.length + rejected.length + below.length === 0) return answer(counts);
		const workflowData = [events, rejected];
		if (routeBelow) workflowData.push(below);
		return answer(counts, workflowData);
	}
}
