/**
 * Send Notification: route each item to channel(s), render it (template / blocks / text), optionally thread it by a
 * key or fold the execution's items into a digest, then post paced per channel (order kept, 429 honoured, no
 * duplicates).
 */
import type { ChatPostMessageArguments } from '@slack/web-api';
import type { SlackClient } from '../../shared/slack/gateway';
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeParameterResourceLocator,
	type INodeProperties,
} from 'n8n-workflow';

import { getSlackClient, slackErrorCode } from '../../shared/n8n/slackClient';
import { executionSleep } from '../../shared/n8n/http';
import { deliverPaced, type JobOutcome, type VerifyResult } from '../../shared/slack/pacing';
import { digestMessages, digestParent, viewUrlOf, type DigestEntry } from '../../shared/slack/templates';
import {
	ThreadCache,
	deliveryIdFor,
	deliveryMetadata,
	findDelivery,
	hashThreadKey,
	indexThreadsInHistory,
	threadParentMetadata,
} from '../../shared/slack/threads';
import { ChannelResolver, type ChannelInfo } from '../../shared/n8n/channels';
import { classifySlackError } from '../../shared/slack/errors';
import { contentProperties, routeItem, routingProperties, readContent, type MessageContent } from '../../shared/n8n/message';
import { failedItem, slackError } from '../../shared/n8n/items';
import { collectionParam, itemParameters, optionParam, toBoolean, toNumber, toText } from '../../shared/n8n/params';

const show = { operation: ['send'] };

export const description: INodeProperties[] = [
	...routingProperties(show),
	...contentProperties(show, true),
	{
		displayName: 'Thread Key',
		name: 'threadKey',
		type: 'string',
		default: '',
		displayOptions: { show },
		placeholder: '={{ $json.email }}',
		description:
			'Group notifications about the same thing (contact email, order ID, ticket ID) in one thread: the first starts it, later ones reply. Survives restarts and works across executions and workers (see the node docs).',
	},
	{
		displayName: 'Digest',
		name: 'digest',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'Off', value: 'off', description: 'One message per item' },
			{ name: 'One Message per Channel', value: 'single', description: 'All items of this run for a channel in one message (continued past 50 blocks)' },
			{ name: 'Summary + Thread Replies', value: 'thread', description: 'A summary message per channel, each item as a reply in its thread' },
		],
		default: 'off',
		description: 'Fold this execution\'s items into fewer messages. The thread key is not used with a digest.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{ displayName: 'Also Send Thread Replies to Channel', name: 'replyBroadcast', type: 'boolean', default: false },
			{ displayName: 'Brevo App URL', name: 'brevoAppUrl', type: 'string', default: 'https://app.brevo.com', description: 'Base of the "View in Brevo" links' },
			{ displayName: 'Burst per Channel', name: 'burst', type: 'number', typeOptions: { minValue: 1 }, default: 1, description: 'Messages a channel may get back to back before the per-second pace applies. Slack tolerates short bursts without documenting their size; a 429 is waited out either way.' },
			{ displayName: 'Check Before Re-Sending', name: 'verifyAmbiguous', type: 'boolean', default: true, description: 'Whether, after a timeout or Slack server error, to look for the message in the channel (by its delivery ID) and re-send only if it is not there. Off: such items fail as "delivery unknown" and are never re-sent.' },
			{ displayName: 'Check Delay (Seconds)', name: 'verifyDelaySeconds', type: 'number', typeOptions: { minValue: 0 }, default: 5, description: 'How long to wait before that check, so a request Slack is still processing has landed' },
			{ displayName: 'Digest Title', name: 'digestTitle', type: 'string', default: ':bell: Brevo digest' },
			{ displayName: 'Join Public Channels', name: 'joinChannels', type: 'boolean', default: false, description: 'Whether to join a public channel the bot is not in (not_in_channel) and retry once. Needs the channels:join scope.' },
			{ displayName: 'Look Up Threads in Slack', name: 'threadLookup', type: 'boolean', default: true, description: 'Whether to search the channel\'s recent history for a thread key this workflow has not cached (another worker or a lost cache). Costs one conversations.history call per page (non-Marketplace apps: 1 per minute).' },
			{ displayName: 'Max Rate-Limit Wait per Message (Seconds)', name: 'maxWaitSeconds', type: 'number', typeOptions: { minValue: 1 }, default: 120 },
			{ displayName: 'Messages per Minute (Workspace)', name: 'workspacePerMinute', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'Optional cap over all channels. 0 = none (Slack\'s 429 answers are still honoured).' },
			{ displayName: 'Messages per Second per Channel', name: 'ratePerSecond', type: 'number', typeOptions: { minValue: 0.01, numberPrecision: 2 }, default: 1, description: 'Slack allows about 1 per second per channel' },
			{ displayName: 'Note Under Header', name: 'note', type: 'string', default: '', description: 'Template messages: a line of mrkdwn under the header, e.g. an @-mention' },
			{ displayName: 'Request Timeout (Seconds)', name: 'timeoutSeconds', type: 'number', typeOptions: { minValue: 1 }, default: 30 },
			{ displayName: 'Thread Lifetime (Days)', name: 'threadLifetimeDays', type: 'number', typeOptions: { minValue: 0 }, default: 30, description: 'After this, a key starts a new thread. 0 = never.' },
			{ displayName: 'Thread Lookup Pages', name: 'threadLookupPages', type: 'number', typeOptions: { minValue: 1, maxValue: 20 }, default: 2, description: 'History pages read per missing key' },
			{ displayName: 'Unfurl Links', name: 'unfurlLinks', type: 'boolean', default: false },
			{ displayName: 'Unfurl Media', name: 'unfurlMedia', type: 'boolean', default: false },
		],
	},
];

interface Options {
	replyBroadcast?: boolean;
	brevoAppUrl?: string;
	digestTitle?: string;
	joinChannels?: boolean;
	threadLookup?: boolean;
	threadLookupPages?: number;
	threadLifetimeDays?: number;
	ratePerSecond?: number;
	workspacePerMinute?: number;
	burst?: number;
	maxWaitSeconds?: number;
	verifyAmbiguous?: boolean;
	verifyDelaySeconds?: number;
	timeoutSeconds?: number;
	note?: string;
	unfurlLinks?: boolean;
	unfurlMedia?: boolean;
}

type NumberOption = 'threadLookupPages' | 'threadLifetimeDays' | 'ratePerSecond' | 'workspacePerMinute' | 'burst' | 'maxWaitSeconds' | 'verifyDelaySeconds' | 'timeoutSeconds';
type BooleanOption = 'replyBroadcast' | 'joinChannels' | 'threadLookup' | 'verifyAmbiguous' | 'unfurlLinks' | 'unfurlMedia';
type TextOption = 'brevoAppUrl' | 'digestTitle' | 'note';

/**
 * The Options collection, each field coerced by its description: numbers finite and within its typeOptions
 * minValue / maxValue (unset, empty or null: its default), switches true/false, texts as text; anything else is
 * refused naming "Options > <displayName>" and the type given.
 */
function readOptions(ctx: IExecuteFunctions): Options {
	const raw = collectionParam(ctx, 'options', 'Options', 0);
	const fields = (description.find((p) => p.name === 'options')?.options ?? []) as INodeProperties[];
	const field = (name: string) => fields.find((f) => f.name === name)!;
	const label = (name: string) => `Options > ${field(name).displayName}`;
	const o: Options = {};
	const numbers: NumberOption[] = ['threadLookupPages', 'threadLifetimeDays', 'ratePerSecond', 'workspacePerMinute', 'burst', 'maxWaitSeconds', 'verifyDelaySeconds', 'timeoutSeconds'];
	for (const name of numbers) {
		const f = field(name);
		o[name] = toNumber(ctx, raw[name], 0, label(name), { min: f.typeOptions?.minValue, max: f.typeOptions?.maxValue, fallback: f.default as number });
	}
	const switches: BooleanOption[] = ['replyBroadcast', 'joinChannels', 'threadLookup', 'verifyAmbiguous', 'unfurlLinks', 'unfurlMedia'];
	for (const name of switches) o[name] = toBoolean(ctx, raw[name], 0, label(name), field(name).default as boolean);
	const texts: TextOption[] = ['brevoAppUrl', 'digestTitle', 'note'];
	for (const name of texts) {
		// absent (or null) keeps the operation's own default
		if (raw[name] !== undefined && raw[name] !== null) o[name] = toText(ctx, raw[name], 0, label(name));
	}
	return o;
}

interface Prepared {
	itemIndex: number;
	channels: Array<{ ref: string | INodeParameterResourceLocator; rule: number; content: MessageContent }>;
	threadKey?: string;
}

interface Job {
	/** source items (one, or many for a digest message) */
	items: number[];
	channel: ChannelInfo;
	content: MessageContent;
	threadKey?: string;
	deliveryId: string;
	/** digest replies: the key of the parent job in `digestParents` */
	replyTo?: string;
	/** digest parents: the key replies look up */
	parentKey?: string;
	firstAttemptAt?: number;
	rule?: number;
}

interface Posted {
	ts: string;
	channel: string;
	threadTs?: string;
	threadStarted?: boolean;
	joined?: boolean;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const o = readOptions(this);
	const digest = optionParam(this, 'digest', 'Digest', 0, ['off', 'single', 'thread'], 'off');
	const executionId = String(this.getExecutionId?.() ?? 'manual');
	const maxWaitMs = (o.maxWaitSeconds ?? 120) * 1000;
	const timeoutMs = (o.timeoutSeconds ?? 30) * 1000;
	// Lookups and joins wait out 429s inside the client; posts get no client-side retries at all: the pacer decides.
	const client = await getSlackClient(this, { maxRateLimitWaitMs: maxWaitMs, timeoutMs });
	const postClient = await getSlackClient(this, { retries: 0, maxRateLimitWaitMs: 0, timeoutMs });
	const resolver = new ChannelResolver(client);
	const sleep = executionSleep(this);
	const failures = new Map<number, INodeExecutionData>();
	const fail = (i: number, error: Error & { description?: string | null }, extra: IDataObject = {}) => {
		if (!continueOnFail) throw error;
		if (!failures.has(i)) failures.set(i, failedItem(i, error, extra));
	};

	// 1. Per item: route and render. Bad input fails here, before any message is posted.
	const prepared: Prepared[] = [];
	const param = itemParameters(this);
	for (let i = 0; i < items.length; i++) {
		try {
			const routed = routeItem(this, i, param);
			const threadKey = digest === 'off' ? toText(this, param<unknown>('threadKey', i, ''), i, 'Thread Key').trim() || undefined : undefined;
			// Each channel gets the template its rule names (rendered once per distinct template).
			const rendered = new Map<string, MessageContent>();
			const contentFor = (template?: string) => {
				const key = template ?? '';
				if (!rendered.has(key)) rendered.set(key, readContent(this, i, 'message', template, o.brevoAppUrl, { note: o.note || undefined }, param));
				return rendered.get(key)!;
			};
			prepared.push({
				itemIndex: i,
				channels: routed.map((r) => ({ ref: r.ref, rule: r.rule, content: contentFor(r.template) })),
				threadKey,
			});
		} catch (error) {
			fail(i, error as Error);
		}
	}

	// 2. Resolve channels once per execution.
	const targets: Array<{ p: Prepared; channel: ChannelInfo; rule: number; content: MessageContent }> = [];
	for (const p of prepared) {
		const seen = new Set<string>();
		for (const c of p.channels) {
			try {
				const channel = await resolver.resolve(c.ref);
				// "#sales" in one rule and its id in another are the same channel: one message.
				if (seen.has(channel.id)) continue;
				seen.add(channel.id);
				targets.push({ p, channel, rule: c.rule, content: c.content });
			} catch (error) {
				const name = typeof c.ref === 'object' ? String(c.ref.value) : c.ref;
				fail(p.itemIndex, slackError(this, error, { itemIndex: p.itemIndex, channel: name, action: `resolving channel ${name}` }), { channel: name });
			}
		}
	}

	// 3. Jobs: one per (item, channel), or digest messages per channel.
	const jobs: Array<{ lane: string; job: Job }> = [];
	if (digest === 'off') {
		for (const t of targets) {
			jobs.push({
				lane: t.channel.id,
				job: { items: [t.p.itemIndex], channel: t.channel, content: t.content, threadKey: t.p.threadKey, deliveryId: deliveryIdFor(executionId, t.p.itemIndex, t.channel.id), rule: t.rule },
			});
		}
	} else {
		const byChannel = new Map<string, typeof targets>();
		for (const t of targets) byChannel.set(t.channel.id, [...(byChannel.get(t.channel.id) ?? []), t]);
		for (const [channelId, list] of byChannel) {
			const entries: DigestEntry[] = list.map((t) => ({ text: t.content.text, url: viewUrlOf(t.content.blocks), kind: t.content.template }));
			if (digest === 'single') {
				digestMessages(entries, { title: o.digestTitle }).forEach((m, part) => {
					jobs.push({
						lane: channelId,
						job: { items: m.entries.map((e) => list[e].p.itemIndex), channel: list[0].channel, content: { text: m.text, blocks: m.blocks }, deliveryId: deliveryIdFor(executionId, -1, channelId, part) },
					});
				});
			} else {
				const parentKey = `digest:${channelId}`;
				const parent = digestParent(entries, { title: o.digestTitle });
				jobs.push({ lane: channelId, job: { items: [], channel: list[0].channel, content: parent, deliveryId: deliveryIdFor(executionId, -1, channelId, 0), parentKey } });
				list.forEach((t, k) => {
					jobs.push({ lane: channelId, job: { items: [t.p.itemIndex], channel: t.channel, content: t.content, deliveryId: deliveryIdFor(executionId, t.p.itemIndex, channelId, k + 1), replyTo: parentKey } });
				});
			}
		}
	}

	// 4. Post, paced per channel.
	const threads = new ThreadCache(this.getWorkflowStaticData('node'), 'slackThreads', { maxAgeDays: o.threadLifetimeDays ?? 30 });
	const historyIndex = new Map<string, Promise<Map<string, string>>>();
	const digestParents = new Map<string, string>();
	const lookupPages = o.threadLookupPages ?? 2;

	const historyPager = (channel: string, oldest: number) => async (cursor?: string) => {
		const res = await client.conversations.history({ channel, oldest: String(oldest), include_all_metadata: true, limit: 100, cursor });
		return { messages: (res.messages ?? []) as never[], next_cursor: res.response_metadata?.next_cursor };
	};

	const threadTsFor = async (job: Job): Promise<string | undefined> => {
		if (!job.threadKey) return undefined;
		const cached = threads.get(job.channel.id, job.threadKey);
		if (cached) return cached;
		if (o.threadLookup === false) return undefined;
		// One history read per channel per execution answers every key of the run.
		let index = historyIndex.get(job.channel.id);
		if (!index) {
			index = indexThreadsInHistory(historyPager(job.channel.id, threads.oldestUsable()), lookupPages);
			historyIndex.set(job.channel.id, index);
		}
		const found = (await index).get(hashThreadKey(job.threadKey));
		if (found) threads.set(job.channel.id, job.threadKey, found);
		return found;
	};

	const post = async (job: Job): Promise<Posted> => {
		let threadTs: string | undefined;
		if (job.replyTo) {
			threadTs = digestParents.get(job.replyTo);
			if (!threadTs) throw new NodeOperationError(this.getNode(), 'The digest summary message was not posted, so its replies were not sent');
		} else {
			threadTs = await threadTsFor(job);
		}
		const startsThread = Boolean(job.threadKey && !threadTs);
		const args = {
			channel: job.channel.id,
			text: job.content.text,
			...(job.content.blocks ? { blocks: job.content.blocks as never } : {}),
			metadata: (startsThread ? threadParentMetadata(job.threadKey!, job.deliveryId) : deliveryMetadata(job.deliveryId)) as never,
			...(threadTs ? { thread_ts: threadTs, ...(o.replyBroadcast && !job.replyTo ? { reply_broadcast: true } : {}) } : {}),
			unfurl_links: o.unfurlLinks ?? false,
			unfurl_media: o.unfurlMedia ?? false,
		} as unknown as ChatPostMessageArguments;
		let joined = false;
		let res;
		try {
			res = await postClient.chat.postMessage(args);
		} catch (error) {
			// not_in_channel means nothing was posted: joining and posting again cannot duplicate.
			if (slackErrorCode(error) !== 'not_in_channel' || !o.joinChannels || job.channel.isPrivate) return await Promise.reject(error);
			await client.conversations.join({ channel: job.channel.id });
			joined = true;
			res = await postClient.chat.postMessage(args);
		}
		const ts = String(res.ts);
		if (job.threadKey) {
			if (startsThread) threads.set(job.channel.id, job.threadKey, ts);
			else threads.touch(job.channel.id, job.threadKey);
		}
		if (job.parentKey) digestParents.set(job.parentKey, ts);
		return { ts, channel: String(res.channel ?? job.channel.id), threadTs, threadStarted: startsThread, joined };
	};

	const verify = async (job: Job): Promise<VerifyResult<Posted>> => {
		if (o.verifyAmbiguous === false) return { delivered: 'unknown' };
		// A timed-out request may still be processed by Slack: give it time to land before looking for it.
		await sleep((o.verifyDelaySeconds ?? 5) * 1000);
		const oldest = Math.floor((job.firstAttemptAt ?? Date.now()) / 1000) - 60;
		const threadTs = job.replyTo ? digestParents.get(job.replyTo) : job.threadKey ? threads.get(job.channel.id, job.threadKey) : undefined;
		const pager = threadTs
			? async (cursor?: string) => {
					const res = await client.conversations.replies({ channel: job.channel.id, ts: threadTs, oldest: String(oldest), include_all_metadata: true, limit: 100, cursor });
					return { messages: (res.messages ?? []) as never[], next_cursor: res.response_metadata?.next_cursor };
				}
			: historyPager(job.channel.id, oldest);
		const ts = await findDelivery(pager, job.deliveryId, 3);
		if (!ts) return { delivered: false };
		if (job.parentKey) digestParents.set(job.parentKey, ts);
		if (job.threadKey && !threadTs) threads.set(job.channel.id, job.threadKey, ts);
		return { delivered: true, value: { ts, channel: job.channel.id, threadTs } };
	};

	const rate = Math.max(0.01, o.ratePerSecond ?? 1);
	const outcomes = await deliverPaced<Job, Posted>(
		jobs,
		async (job, attempt) => {
			if (attempt === 1) job.firstAttemptAt = Date.now();
			return await post(job);
		},
		{
			intervalMs: 1000 / rate,
			burst: o.burst ?? 1,
			globalIntervalMs: o.workspacePerMinute ? 60_000 / o.workspacePerMinute : 0,
			classify: classifySlackError,
			verify,
			maxWaitMs,
			maxRetries: 10,
			stopOnError: !continueOnFail,
			signal: this.getExecutionCancelSignal?.(),
			sleep,
		},
	);

	// 5. Items out: one per (item, channel) delivered, failures with their reason.
	const out: INodeExecutionData[] = [];
	const firstFailure = outcomes.findIndex((r) => !r.ok && !(r as { skipped?: boolean }).skipped);
	if (!continueOnFail && firstFailure !== -1) {
		const job = jobs[firstFailure].job;
		const r = outcomes[firstFailure] as Extract<JobOutcome<Posted>, { ok: false }>;
		const err = slackError(this, r.error, { itemIndex: job.items[0], channel: job.channel.name ?? job.channel.id, action: `posting to ${job.channel.name ? `#${job.channel.name}` : job.channel.id}`, blocks: job.content.blocks });
		err.message = `${err.message} (${r.reason})`;
		throw err;
	}
	outcomes.forEach((r, k) => {
		const { job } = jobs[k];
		const base: IDataObject = {
			channel: job.channel.id,
			...(job.channel.name ? { channelName: job.channel.name } : {}),
			deliveryId: job.deliveryId,
			...(job.threadKey ? { threadKey: job.threadKey } : {}),
			...(job.content.template ? { template: job.content.template } : {}),
			...(digest !== 'off' ? { digest: job.replyTo ? 'reply' : job.parentKey ? 'summary' : 'message', digestSize: job.items.length } : {}),
		};
		if (r.ok) {
			const v = r.value;
			const json: IDataObject = {
				ok: true,
				...base,
				channel: v.channel,
				ts: v.ts,
				...(v.threadTs ? { thread_ts: v.threadTs } : {}),
				...(job.threadKey ? { threadStarted: Boolean(v.threadStarted) } : {}),
				...(v.joined ? { joinedChannel: true } : {}),
				attempts: r.attempts,
				rateLimited: r.rateLimited,
				...(r.verified ? { verifiedAfterError: true } : {}),
			};
			for (const i of job.items) out.push({ json: { ...json }, pairedItem: { item: i } });
		} else {
			const err = slackError(this, r.error, { channel: job.channel.name ?? job.channel.id, blocks: job.content.blocks });
			for (const i of job.items) {
				out.push(failedItem(i, Object.assign(new Error(`${err.message} (${r.reason})`), { description: err.description }), { ...base, attempts: r.attempts, rateLimited: r.rateLimited }));
			}
		}
	});
	for (const [, f] of failures) out.push(f);
	out.sort((a, b) => ((a.pairedItem as { item: number }).item ?? 0) - ((b.pairedItem as { item: number }).item ?? 0));
	return out;
}

export type { SlackClient };
