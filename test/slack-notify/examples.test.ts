/**
 * The Slack Notify example workflows run by n8n-core's engine with real HTTP: Brevo (emulator) or Slack (emulator)
 * calls a trigger, the workflow runs, Slack Notify posts to the Slack emulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { startTriggerServer, type TriggerServer, type WorkflowJson } from '../harness';
import { BrevoEventTrigger } from '../../nodes/BrevoEventTrigger/BrevoEventTrigger.node';
import { SlackInteractionTrigger } from '../../nodes/SlackInteractionTrigger/SlackInteractionTrigger.node';
import { urlWithCredentials } from '../../nodes/shared/brevo/auth';

const SECRET = '0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d';
const SIGNING = '8f742231b10e8888abcd99ccc9dd85a5';
let brevo: BrevoEmulator;
let slack: SlackEmulator;
let server: TriggerServer | undefined;

beforeAll(async () => {
	[brevo, slack] = await Promise.all([startBrevoEmulator(), startSlackEmulator()]);
	for (const name of ['sales', 'marketing', 'support', 'alerts']) slack.addChannel({ name });
});
afterAll(async () => {
	await Promise.all([brevo.close(), slack.close()]);
});
afterEach(async () => {
	await server?.close();
	server = undefined;
});

function example(name: string, secret = true): WorkflowJson {
	const json = JSON.parse(readFileSync(join(__dirname, '../../examples', name), 'utf8')) as WorkflowJson;
	const trigger = json.nodes.find((n) => n.name === 'Brevo Event Trigger');
	const params = (trigger?.parameters ?? {}) as Record<string, unknown>;
	if (trigger && secret && typeof params.sharedSecret === 'string') trigger.parameters = { ...params, sharedSecret: SECRET };
	return json;
}

const credentials = () => ({
	slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl },
	slackBrevoBotApi: { accessToken: slack.botToken, baseUrl: slack.apiUrl },
	slackBrevoSigningSecretApi: { signingSecret: SIGNING },
});

it('cart abandoned -> #sales: one thread per customer across executions', async () => {
	server = await startTriggerServer(BrevoEventTrigger, { nodeName: 'Brevo Event Trigger', credentials: credentials(), workflow: example('cart-abandoned-to-sales.json') });
	await server.hooks.activate();
	const url = urlWithCredentials(server.url, 'brevo', SECRET);
	await brevo.post(url, brevo.buildEvent('cart', { email: 'shopper@x.io', cartId: 'cart-1', total: 120 }));
	const [first] = await server.waitForDeliveries(1);
	expect((await first.execution!).error).toBeUndefined();
	await brevo.post(url, brevo.buildEvent('cart', { email: 'shopper@x.io', cartId: 'cart-2', total: 40 }));
	const [, second] = await server.waitForDeliveries(2);
	expect((await second.execution!).error).toBeUndefined();
	const messages = slack.messages('sales');
	expect(messages).toHaveLength(2);
	expect(messages[0].text).toMatch(/^Cart abandoned by shopper@x\.io: €120\.00/);
	expect(messages[1].thread_ts).toBe(messages[0].ts);
	expect(JSON.stringify(messages[0].blocks)).toContain('View in Brevo');
});

it('support ticket -> #support from a Conversations webhook', async () => {
	server = await startTriggerServer(BrevoEventTrigger, { nodeName: 'Brevo Event Trigger', credentials: credentials(), workflow: example('ticket-to-support.json') });
	await server.hooks.activate();
	await brevo.post(urlWithCredentials(server.url, 'brevo', SECRET), brevo.buildEvent('conversationStarted', { conversationId: 'conv-42', text: 'My parcel is late', email: 'v@x.io' }));
	const [d] = await server.waitForDeliveries(1);
	expect((await d.execution!).error).toBeUndefined();
	const [m] = slack.messages('support');
	expect(m.text).toContain('conv-42');
	expect(JSON.stringify(m.blocks)).toContain('My parcel is late');
	expect(JSON.stringify(m.blocks)).toContain('New chat waiting');
});

it('unsubscribe alert -> #marketing: a batched delivery becomes one digest message', async () => {
	const json = example('unsubscribe-alert.json');
	const trigger = json.nodes.find((n) => n.name === 'Brevo Event Trigger')!;
	trigger.parameters = { ...(trigger.parameters ?? {}), options: { batched: true } };
	server = await startTriggerServer(BrevoEventTrigger, { nodeName: 'Brevo Event Trigger', credentials: credentials(), workflow: json });
	await server.hooks.activate();
	const hook = brevo.webhooks().find((w) => w.url === server!.url && w.type === 'marketing')!;
	await brevo.deliverWebhook(hook.id, [1, 2, 3].map((i) => brevo.buildEvent('marketing.unsubscribed', { email: `gone${i}@x.io`, campaignName: 'Autumn' })), { retry: false } as never);
	const [d] = await server.waitForDeliveries(1);
	expect((await d.execution!).error).toBeUndefined();
	const messages = slack.messages('marketing');
	expect(messages).toHaveLength(1);
	expect(messages[0].text).toBe('3 Brevo notifications: 3 unsubscribes');
	for (const i of [1, 2, 3]) expect(JSON.stringify(messages[0].blocks)).toContain(`gone${i}@x.io`);
	await server.hooks.deactivate();
});

it('Brevo events routed: hard bounce -> #alerts, unsubscribe -> #marketing', async () => {
	server = await startTriggerServer(BrevoEventTrigger, { nodeName: 'Brevo Event Trigger', credentials: credentials(), workflow: example('brevo-events-routed.json') });
	await server.hooks.activate();
	const hook = brevo.webhooks().find((w) => w.url === server!.url && w.type === 'marketing')!;
	const before = { alerts: slack.messages('alerts').length, marketing: slack.messages('marketing').length };
	await brevo.deliverWebhook(hook.id, brevo.buildEvent('marketing.hard_bounce', { email: 'bad@x.io' }), { retry: false } as never);
	await brevo.deliverWebhook(hook.id, brevo.buildEvent('marketing.unsubscribed', { email: 'bye@x.io' }), { retry: false } as never);
	const ds = await server.waitForDeliveries(2);
	for (const d of ds) expect((await d.execution!).error).toBeUndefined();
	expect(slack.messages('alerts').slice(before.alerts).map((m) => m.text)).toEqual(['Brevo hardBounce: bad@x.io']);
	expect(slack.messages('marketing').slice(before.marketing).map((m) => m.text)).toEqual(['Unsubscribed: bye@x.io (campaign Spring newsletter)']);
	await server.hooks.deactivate();
});

it('link unfurl: a link_shared event from Slack gets a Brevo contact preview', async () => {
	const contact = brevo.addContact({ email: 'vip@acme.io', attributes: { FIRSTNAME: 'Vera' } });
	server = await startTriggerServer(SlackInteractionTrigger, { nodeName: 'Slack Interaction Trigger', credentials: credentials(), workflow: example('link-unfurl.json') });
	await server.hooks.activate();
	const event = slack.buildLinkSharedEvent({ channel: 'sales', links: [`https://app.brevo.com/contact/index/${contact.id}`] });
	const res = await slack.sendEvent(server.url, event, { signingSecret: SIGNING });
	expect(res.status).toBe(200);
	const [d] = await server.waitForDeliveries(1);
	expect((await d.execution!).error).toBeUndefined();
	const unfurl = slack.unfurls().pop() as any;
	expect(JSON.stringify(unfurl)).toContain('Vera');
});
