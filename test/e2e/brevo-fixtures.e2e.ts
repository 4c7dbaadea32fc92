/**
 * Every documented Brevo payload of test/fixtures/brevo (sources in its README) delivered to an active Brevo Event
 * Trigger in a real n8n with the packed package: registered webhooks (transactional, marketing, inbound) through the
 * emulator with the registered bearer token, Conversations and automation calls with the shared secret. Each one
 * must start an execution whose trigger output carries the event's key fields; the Conversations start page (an
 * object {link, title}) must reach the #support ticket alert.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { SUBSCRIPTION_EVENTS, type WebhookType } from '../../nodes/shared/brevo/events';
import { brevo, channel, importCopy, nodeOutput, removeWorkflow, slack, executionIds, waitForExecution, webhookUrl } from './support';

const TRIGGER = 'Brevo Event Trigger';
const SECRET = 'e2e-fixture-secret-8a4f2c19d7b3e605';
const DIR = join(__dirname, '..', 'fixtures', 'brevo');

type Item = Record<string, any>;
type Hook = { id: number; url: string; type: string };

const fixture = (name: string): Item => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8'));
const names = readdirSync(DIR)
	.filter((f) => f.endsWith('.json'))
	.map((f) => f.slice(0, -'.json'.length))
	.sort();
const created: string[] = [];

afterAll(async () => {
	for (const id of created) await removeWorkflow(id).catch(() => undefined);
});

function withCredentials(url: string, secret: string): string {
	const u = new URL(url);
	u.username = 'brevo';
	u.password = secret;
	return u.toString();
}

/** What each fixture must give on the trigger's output, besides the recipient's email. */
function expectedOf(name: string): Item {
	const [source, brevoEvent] = name.split('.');
	if (source === 'transactional')
		return { source: 'transactional_webhook', brevoEvent, contact: expect.objectContaining({ email: 'jane.doe@example.com', id: 8 }), mirrorLink: expect.stringContaining('https://app-smtp.brevo.com/log/preview/') };
	if (source === 'inbound') return { source: 'inbound_webhook', event: 'inboundEmailProcessed', contact: { email: 'jane.doe@example.com' } };
	const base: Item = { source: 'marketing_webhook', brevoEvent, contact: expect.objectContaining({ email: 'jane.doe@example.com' }) };
	if (brevoEvent === 'list_addition') return { ...base, event: 'listAddition', lists: [7, 12], apiKeyName: '' };
	if (brevoEvent === 'contact_updated') return { ...base, event: 'contactUpdated', contact: expect.objectContaining({ email: 'jane.doe@example.com', attributes: expect.objectContaining({ JOB_TITLE: 'Buyer' }) }), apiKeyName: 'n8n-sync' };
	if (brevoEvent === 'contact_deleted') return { ...base, event: 'contactDeleted' };
	return { ...base, campaign: { id: 12, name: 'My First Campaign' } };
}

describe('registered webhooks: each documented payload starts the workflow with its normalised item', () => {
	let workflowId: string;
	let hooks: Hook[];

	beforeAll(async () => {
		const rawEvents = (Object.keys(SUBSCRIPTION_EVENTS) as WebhookType[]).flatMap((t) => SUBSCRIPTION_EVENTS[t].map((e) => `${t}:${e.name}`));
		const wf = await importCopy('new-subscriber-to-marketing.json', {
			name: 'e2e fixtures: raw Brevo events',
			mutate: (w) => {
				w.nodes = w.nodes.filter((n: Item) => n.name === TRIGGER);
				w.nodes[0].parameters = { event: 'raw', rawEvents, inboundDomain: 'reply.example.com', options: {} };
				w.connections = {};
			},
		});
		workflowId = wf.id;
		created.push(wf.id);
		const url = await webhookUrl(wf.id, TRIGGER);
		hooks = ((await brevo('webhooks')) as Hook[]).filter((w) => w.url === url);
		expect(hooks.map((h) => h.type).sort()).toEqual(['inbound', 'marketing', 'transactional']);
	});

	const registered = names.filter((n) => /^(transactional|marketing|inbound)\./.test(n));
	test.each(registered)('%s', async (name) => {
		const hook = hooks.find((h) => h.type === name.split('.')[0])!;
		const before = await executionIds(workflowId);
		const answer = await brevo('deliverWebhook', hook.id, fixture(name), { retry: false });
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.body)).toMatchObject({ received: 1, emitted: 1, rejected: 0 });
		const execution = await waitForExecution(workflowId, before);
		expect(execution.status).toBe('success');
		const [item] = nodeOutput(execution, TRIGGER);
		expect(item).toMatchObject(expectedOf(name));
		expect(item.raw).toEqual(name.startsWith('inbound.') ? fixture(name).items[0] : fixture(name));
	});
});

describe('Conversations: the documented conversationStarted reaches #support with its start page', () => {
	let workflowId: string;
	let url: string;

	beforeAll(async () => {
		const wf = await importCopy('ticket-to-support.json', {
			name: 'e2e fixtures: ticket',
			mutate: (w) => {
				w.nodes.find((n: Item) => n.name === TRIGGER).parameters.sharedSecret = SECRET;
			},
		});
		workflowId = wf.id;
		created.push(wf.id);
		url = withCredentials(await webhookUrl(wf.id, TRIGGER), SECRET);
	});

	test('conversations.conversationStarted: ticket with link and title; the Slack alert shows the page', async () => {
		const before = await executionIds(workflowId);
		const answer = await brevo('post', url, fixture('conversations.conversationStarted'));
		expect(answer.status).toBe(200);
		const execution = await waitForExecution(workflowId, before);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, TRIGGER)[0]).toMatchObject({
			event: 'ticket_created',
			source: 'conversations',
			contact: expect.objectContaining({ email: 'jane.doe@example.com' }),
			ticket: expect.objectContaining({ id: 'MxhGJAEugdLtS2BBq', startPage: 'https://getwear.com/women/151254/', startPageTitle: 'Washed skinny jeans for women' }),
			link: 'https://getwear.com/women/151254/',
		});
		const messages: Array<{ text: string; blocks?: unknown }> = await slack('messages', channel('support'));
		const alert = messages.find((m) => m.text.includes('MxhGJAEugdLtS2BBq'));
		expect(alert).toBeDefined();
		expect(JSON.stringify(alert!.blocks)).toContain('getwear.com/women/151254');
	});

	test('conversations.conversationFragment: answered 200 and counted as filtered, nothing starts', async () => {
		const answer = await brevo('post', url, fixture('conversations.conversationFragment'));
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.body)).toMatchObject({ received: 1, emitted: 0, filtered: 1 });
	});
});

describe('automation "Call a webhook" payloads', () => {
	test.each([
		['automation.order_placed', 'high-value-order-to-sales.json', { event: 'order_placed', order: expect.objectContaining({ id: 'order-4711', value: 1250, currency: 'EUR', firstOrder: true }) }],
		['automation.cart_abandoned', 'cart-abandoned-to-sales.json', { event: 'cart_abandoned', order: expect.objectContaining({ id: 'cart-8812', value: 89.9, url: 'https://shop.example.com/cart/8812' }) }],
	])('%s', async (name, example, expected) => {
		const wf = await importCopy(example, {
			name: `e2e fixtures: ${name}`,
			mutate: (w) => {
				w.nodes.find((n: Item) => n.name === TRIGGER).parameters.sharedSecret = SECRET;
			},
		});
		created.push(wf.id);
		const url = withCredentials(await webhookUrl(wf.id, TRIGGER), SECRET);
		const before = await executionIds(wf.id);
		const answer = await brevo('post', url, fixture(name));
		expect(answer.status).toBe(200);
		const execution = await waitForExecution(wf.id, before);
		expect(nodeOutput(execution, TRIGGER)[0]).toMatchObject({ ...expected, source: 'automation', contact: expect.objectContaining({ email: 'jane.doe@example.com', id: 42 }) });
	});
});
