/**
 * Each of the spec's six events and the raw events reaching a workflow run by n8n-core's engine, from the Brevo
 * emulator, as the canonical item (trigger -> NoOp "Next"; below-threshold and rejected outputs wired too).
 */
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import { runPoll, runWorkflow, startTriggerServer, type TriggerServer, type WorkflowJson } from '../harness';
import { BrevoEventTrigger } from '../../nodes/BrevoEventTrigger/BrevoEventTrigger.node';
import { BrevoCampaignTrigger } from '../../nodes/BrevoCampaignTrigger/BrevoCampaignTrigger.node';
import { urlWithCredentials } from '../../nodes/shared/brevo/auth';

const SECRET = '0e1a2b3c4d5e6f708192a3b4c5d6e7f8';
let brevo: BrevoEmulator;
let server: TriggerServer | undefined;

beforeAll(async () => {
	brevo = await startBrevoEmulator();
});
afterAll(async () => {
	await brevo.close();
});
afterEach(async () => {
	await server?.close();
	server = undefined;
	brevo.reset();
});

const creds = () => ({ slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl } });

function workflowFor(type: string, parameters: Record<string, unknown>): WorkflowJson {
	return {
		nodes: [
			{ name: 'Trigger', type, parameters },
			{ name: 'Next', type: 'n8n-nodes-base.noOp', parameters: {} },
			{ name: 'Rejected', type: 'n8n-nodes-base.noOp', parameters: {} },
			{ name: 'Below', type: 'n8n-nodes-base.noOp', parameters: {} },
		],
		connections: {
			Trigger: {
				main: [
					[{ node: 'Next', type: 'main', index: 0 }],
					[{ node: 'Rejected', type: 'main', index: 0 }],
					[{ node: 'Below', type: 'main', index: 0 }],
				],
			},
		},
	};
}

async function start(parameters: Record<string, unknown>) {
	server = await startTriggerServer(BrevoEventTrigger, { nodeName: 'Trigger', credentials: creds(), workflow: workflowFor('brevoEventTrigger', parameters) });
	await server.hooks.activate();
	return server;
}
const hookOf = (url: string, type: string) => brevo.webhooks().find((w) => w.url === url && w.type === type)!;

type Case = { name: string; parameters: Record<string, unknown>; send: (s: TriggerServer) => Promise<unknown>; expected: Record<string, unknown> };

const cases: Case[] = [
	{
		name: 'new_subscriber',
		parameters: { event: 'new_subscriber' },
		send: async (s) => await brevo.deliverWebhook(hookOf(s.url, 'marketing').id, brevo.buildEvent('list_addition', { email: 'n@x.io', listIds: [4] }), { retry: false }),
		expected: { event: 'new_subscriber', source: 'marketing_webhook', contact: { email: 'n@x.io' }, lists: [4] },
	},
	{
		name: 'unsubscribed',
		parameters: { event: 'unsubscribed' },
		send: async (s) => await brevo.deliverWebhook(hookOf(s.url, 'transactional').id, brevo.buildEvent('unsubscribed', { email: 'u@x.io' }), { retry: false }),
		expected: { event: 'unsubscribed', source: 'transactional_webhook', contact: { email: 'u@x.io' } },
	},
	{
		name: 'order_placed',
		parameters: { event: 'order_placed', sharedSecret: SECRET, threshold: 1000 },
		send: async (s) => await brevo.post(urlWithCredentials(s.url, 'brevo', SECRET), brevo.buildEvent('order', { orderId: 'o-1', amount: '€2,500.00', email: 'o@x.io' })),
		expected: { event: 'order_placed', source: 'automation', contact: expect.objectContaining({ email: 'o@x.io' }), order: expect.objectContaining({ id: 'o-1', value: 2500, currency: 'EUR' }) },
	},
	{
		name: 'cart_abandoned',
		parameters: { event: 'cart_abandoned', sharedSecret: SECRET },
		send: async (s) => await brevo.post(s.url, brevo.buildEvent('cart', { cartId: 'c-1', email: 'c@x.io' }), { headers: { 'x-brevo-secret': SECRET } }),
		expected: { event: 'cart_abandoned', source: 'automation', order: expect.objectContaining({ id: 'c-1', value: 89.9 }) },
	},
	{
		name: 'ticket_created',
		parameters: { event: 'ticket_created', sharedSecret: SECRET },
		send: async (s) => await brevo.post(urlWithCredentials(s.url, 'brevo', SECRET), brevo.buildEvent('conversationStarted', { conversationId: 't-1', email: 't@x.io' })),
		expected: { event: 'ticket_created', source: 'conversations', ticket: expect.objectContaining({ id: 't-1' }), contact: expect.objectContaining({ email: 't@x.io' }) },
	},
	{
		name: 'raw (marketing click)',
		parameters: { event: 'raw', rawEvents: ['marketing:click'] },
		send: async (s) => await brevo.deliverWebhook(hookOf(s.url, 'marketing').id, brevo.buildEvent('marketing.click', { email: 'r@x.io', url: 'https://x.io/a', campaignId: 9 }), { retry: false }),
		expected: { event: 'click', brevoEvent: 'click', source: 'marketing_webhook', link: 'https://x.io/a', campaign: expect.objectContaining({ id: 9 }) },
	},
];

describe.each(cases)('$name reaches the workflow', ({ parameters, send, expected }) => {
	it('as the canonical item', async () => {
		const s = await start(parameters);
		await send(s);
		const [d] = await s.waitForDeliveries(1);
		expect(d.status).toBe(200);
		const result = await d.execution!;
		expect(result.error).toBeUndefined();
		const [item] = result.outputOf('Next');
		expect(item).toMatchObject({ ...expected, occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/), receivedAt: expect.any(String), raw: expect.any(Object) });
		expect(Object.keys(item).sort()).toEqual(expect.arrayContaining(['event', 'source', 'occurredAt', 'contact', 'campaign', 'order', 'lists', 'link', 'tags', 'raw']));
	});
});

it('rejected elements and below-threshold orders reach their own outputs', async () => {
	const s = await start({ event: 'order_placed', sharedSecret: SECRET, threshold: 1000, belowThreshold: 'route' });
	await brevo.post(urlWithCredentials(s.url, 'brevo', SECRET), [
		brevo.buildEvent('order', { orderId: 'small', amount: 10 }),
		{ email: 'x@y.z' },
	]);
	const [d] = await s.waitForDeliveries(1);
	const result = await d.execution!;
	expect(result.executedNodes).not.toContain('Next'); // an empty output runs nothing downstream
	expect(result.outputOf('Below')).toEqual([expect.objectContaining({ order: expect.objectContaining({ id: 'small' }), belowThreshold: expect.objectContaining({ reason: 'below_threshold' }) })]);
	expect(result.outputOf('Rejected')).toEqual([expect.objectContaining({ index: 1, reason: expect.stringMatching(/no order or cart data/) })]);
});

it('campaign_sent reaches the workflow from a poll', async () => {
	brevo.addCampaign({ name: 'Weekly digest', status: 'sent', sentDate: new Date(Date.now() - 600_000).toISOString(), stats: { sent: 10, delivered: 9 } });
	const since = new Date(Date.now() - 3600_000).toISOString();
	const poll = await runPoll(BrevoCampaignTrigger, {
		nodeName: 'Trigger',
		credentials: creds(),
		staticData: { 'node:Trigger': { campaignPoll: { floor: since, highWater: since, seen: {} } } },
	});
	const json = workflowFor('brevoCampaignTrigger', {});
	const result = await runWorkflow(json, { credentials: creds(), mode: 'trigger', startNode: 'Trigger', startData: poll.data! });
	expect(result.outputOf('Next')).toEqual([
		expect.objectContaining({ event: 'campaign_sent', source: 'campaign_poll', campaign: expect.objectContaining({ name: 'Weekly digest' }), statistics: expect.objectContaining({ sent: 10, delivered: 9 }) }),
	]);
});
