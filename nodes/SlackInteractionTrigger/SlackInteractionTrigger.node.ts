import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { redactSecrets } from '../shared/redact';
import { getSlackClient, type SlackClient } from '../shared/n8n/slackClient';
import { compileFilters, splitList, type FilterProblem, type FilterSettings } from '../shared/slack/filters';
import type { NormalizedItem, RequestKind } from '../shared/slack/interaction';
import { SIGNING_SECRET_FORM_OK, signingSecretProblem } from '../shared/slack/secretForm';
import { triggerProperties } from './description';
import { processSlackRequest, type HttpAnswer, type LogEntry, type ModalAnswer } from './pipeline';
import { lookUpUser } from './userLookup';

const SIGNING_CREDENTIAL = 'slackBrevoSigningSecretApi';
const BOT_CREDENTIAL = 'slackBrevoBotApi';
const DEDUP_TTL_MS = 60 * 60 * 1000;

const FILTER_LABELS: Record<string, string> = {
	actionIds: 'Action IDs',
	blockIds: 'Block IDs',
	callbackIds: 'Callback IDs',
	channels: 'Channels',
	commands: 'Slash Commands',
	eventTypes: 'Event Types',
};

type ParameterReader = (name: string, fallback: unknown) => unknown;

function filterSettings(read: ParameterReader): FilterSettings {
	const filters = (read('filters', {}) ?? {}) as IDataObject;
	return {
		payloadTypes: (read('payloadTypes', []) as RequestKind[]) ?? [],
		actionIds: splitList(filters.actionIds),
		blockIds: splitList(filters.blockIds),
		callbackIds: splitList(filters.callbackIds),
		commands: splitList(filters.commands),
		eventTypes: splitList(filters.eventTypes),
		channels: splitList(filters.channels),
		ignoreBotMessages: read('ignoreBotMessages', true) !== false,
		ignoreSelf: read('ignoreSelf', true) !== false,
	};
}

function filterProblemMessage(problem: FilterProblem): string {
	return `Filters > ${FILTER_LABELS[problem.field] ?? problem.field}: ${problem.message}. Write an exact value, or a regular expression between slashes such as /^approve_/.`;
}

export class SlackInteractionTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Slack Interaction Trigger',
		name: 'slackInteractionTrigger',
		icon: { light: 'file:slackInteractionTrigger.svg', dark: 'file:slackInteractionTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["payloadTypes"] || []).length ? $parameter["payloadTypes"].join(", ") : "all Slack requests"}}',
		description:
			'Starts the workflow on signed Slack requests: button clicks, modal submissions, shortcuts, slash commands and Events API events',
		defaults: { name: 'Slack Interaction Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'slackBrevoSigningSecretApi', required: true, testedBy: 'slackBrevoSigningSecretTest' },
			{ name: BOT_CREDENTIAL, required: false, displayOptions: { show: { lookUpUser: [true] } } },
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Only view_submission requests are left for n8n to answer in "lastNode" mode; the node answers all others.
				responseMode: '={{$parameter["modalAnswer"] === "lastNode" ? "lastNode" : "onReceived"}}',
				responseData: 'firstEntryJson',
				path: 'slack',
			},
		],
		properties: triggerProperties,
	};

	methods = {
		credentialTest: {
			async slackBrevoSigningSecretTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const problem = signingSecretProblem(credential.data?.signingSecret);
				return problem ? { status: 'Error', message: problem.message } : { status: 'OK', message: SIGNING_SECRET_FORM_OK };
			},
		},
	};

	webhookMethods = {
		default: {
			// Slack has no API to register request URLs (they are set in the app's settings), so "exists" is
			// always false: n8n then calls create() on every activation, which checks the configuration.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				let secret: unknown;
				try {
					secret = (await this.getCredentials<{ signingSecret: string }>(SIGNING_CREDENTIAL)).signingSecret;
				} catch {
					throw new NodeOperationError(this.getNode(), 'No Slack signing secret credential is selected', {
						description:
							'Select or create a "Slack Signing Secret (Slack + Brevo) API" credential: the trigger refuses to run without one, so unsigned requests can never start the workflow.',
					});
				}
				const problem = signingSecretProblem(secret);
				if (problem) {
					throw new NodeOperationError(this.getNode(), `The Slack signing secret cannot be used: ${problem.message}`, {
						description: 'The trigger stays inactive until the signing secret is fixed, so no unverified request is accepted.',
					});
				}
				const compiled = compileFilters(filterSettings((name, fallback) => this.getNodeParameter(name, fallback)));
				if (!compiled.ok) throw new NodeOperationError(this.getNode(), filterProblemMessage(compiled));
				if (this.getNodeParameter('lookUpUser', false) === true) {
					try {
						await this.getCredentials(BOT_CREDENTIAL);
					} catch {
						throw new NodeOperationError(this.getNode(), 'Look Up User Details is on but no Slack bot token credential is selected', {
							description: 'Select a "Slack Bot Token (Slack + Brevo) API" credential (scopes users:read and users:read.email), or turn Look Up User Details off.',
						});
					}
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				// Nothing was registered with Slack; the request URL stays in the Slack app's settings.
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const nowMs = Date.now();
		const logMeta = { workflowId: this.getWorkflow().id, node: this.getNode().name };
		const log = (entry: LogEntry) => this.logger[entry.level](entry.message, logMeta);
		const send = (answer: HttpAnswer) => {
			res.statusCode = answer.status;
			for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
			res.end(answer.body ?? '');
		};
		const stop = (answer: HttpAnswer, entry: LogEntry): IWebhookResponseData => {
			send(answer);
			log(entry);
			return { noWebhookResponse: true };
		};
		const refuse = (status: number, error: string, message: string) =>
			stop(
				{ status, body: JSON.stringify({ ok: false, error }), headers: { 'content-type': 'application/json; charset=utf-8', 'x-slack-no-retry': '1' } },
				{ level: 'warn', message: `Slack Interaction Trigger refused a request (${status} ${error}): ${message}` },
			);

		// Never throw from here: n8n would answer 500 and still record an execution.
		let signingSecret = '';
		try {
			signingSecret = String((await this.getCredentials<{ signingSecret: string }>(SIGNING_CREDENTIAL)).signingSecret ?? '');
		} catch {
			return refuse(401, 'missing_secret', 'the signing secret credential could not be loaded; no request can be verified');
		}
		if (signingSecretProblem(signingSecret)) {
			return refuse(401, 'missing_secret', 'the signing secret credential is empty or malformed; no request can be verified');
		}

		const read: ParameterReader = (name, fallback) => this.getNodeParameter(name, fallback);
		const compiled = compileFilters(filterSettings(read));
		if (!compiled.ok) return refuse(500, 'invalid_filter', filterProblemMessage(compiled));
		const filters = compiled.filters;
		const options = read('options', {}) as IDataObject;

		if (req.rawBody === undefined && typeof req.readRawBody === 'function') {
			try {
				await req.readRawBody();
			} catch {
				return refuse(400, 'unreadable_body', 'the request body could not be read');
			}
		}
		const rawBody = Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.alloc(0);

		const maxBodyKb = Number(options.maxBodyKb ?? 1024);
		let outcome: ReturnType<typeof processSlackRequest>;
		try {
			outcome = processSlackRequest(
				{ rawBody, headers: req.headers },
				{
					signingSecret,
					maxBodyBytes: Math.round((Number.isFinite(maxBodyKb) && maxBodyKb > 0 ? maxBodyKb : 1024) * 1024),
					filters,
					dedup: {
						enabled: read('ignoreDuplicates', true) !== false,
						ttlMs: DEDUP_TTL_MS,
						max: Math.max(10, Math.round(Number(options.dedupMax ?? 500)) || 500),
						// Same scope as the node's static data ("node:<name>" of this workflow): see nodes/shared/dedup.ts.
						scope: `${logMeta.workflowId ?? ''}/${logMeta.node}`,
					},
					modalAnswer: (read('modalAnswer', 'onReceived') as ModalAnswer) ?? 'onReceived',
					commandAck: typeof options.commandAck === 'string' ? options.commandAck : undefined,
					includeRaw: options.includeRaw !== false,
				},
				this.getWorkflowStaticData('node'),
				nowMs,
			);
		} catch (error) {
			return refuse(500, 'internal_error', redactSecrets((error as Error)?.message ?? String(error)));
		}
		if (outcome.kind === 'answer') return stop(outcome.answer, outcome.log);

		// Slack's 3-second budget: answer first, then do anything slow.
		if (outcome.answer) send(outcome.answer);
		log(outcome.log);
		const item = outcome.item;
		if (read('lookUpUser', false) === true) {
			try {
				await addUserDetails.call(this, item);
			} catch (error) {
				// Slack has its answer already; a failed lookup must not turn into a failed trigger.
				item.warnings.push(redactSecrets(`User details were not added: ${(error as Error)?.message ?? String(error)}`));
			}
		}

		return {
			workflowData: [[{ json: item as unknown as IDataObject }]],
			...(outcome.answer ? { noWebhookResponse: true } : {}),
		};
	}
}

async function addUserDetails(this: IWebhookFunctions, item: NormalizedItem): Promise<void> {
	const userId = item.user.id;
	if (!userId || item.user.email) return;
	let client: SlackClient;
	try {
		// Bounded: no retries or rate-limit waits, so a slow Slack cannot hold the trigger for long.
		client = await getSlackClient(this, { retries: 0, timeoutMs: 2500, maxRateLimitWaitMs: 0 });
	} catch {
		item.warnings.push('Look Up User Details is on but no Slack bot token credential is selected: user details were not added.');
		return;
	}
	const result = await lookUpUser(client, userId);
	item.warnings.push(...result.warnings);
	if (result.user) {
		const { name: handle, ...details } = result.user;
		Object.assign(item.user, details, { username: item.user.username ?? handle ?? null });
	}
}
