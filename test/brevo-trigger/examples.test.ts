/**
 * The example workflows "high-value order -> #sales" and "new subscriber -> #marketing", run by n8n-core's engine
 * with real HTTP from the Brevo emulator and Slack Notify posting to the Slack emulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { startTriggerServer, type TriggerServer, type WorkflowJson } from '../harness';
import { BrevoEventTrigger } from '../../nodes/BrevoEventTrigger/BrevoEventTrigger.node';
import { urlWithCredentials } from '../../nodes/shared/brevo/auth';

const SECRET = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
let brevo: BrevoEmulator;
let slack: SlackEmulator;
let server: TriggerServer | undefined;

beforeAll(async () => {
	[brevo, slack] = await Promise.all([startBrevoEmulator(), startSlackEmulator()]);
	slack.addChannel({ name: 'sales' });
	slack.addChannel({ name: 'marketing' });
});
afterAll(async () => {
	await Promise.all([brevo.close(), slack.close()]);
});
afterEach(async () => {
	await server?.close();
	server = undefined;
});

function example(name: string): WorkflowJson {
	return JSON.parse(readFileSync(join(__dirname, '../../examples', name), 'utf8')) as WorkflowJson;
}

const credentials = () => ({
	slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl },
	slackBrevoBotApi: { accessToken: slack.botToken, baseUrl: slack.apiUrl },
});

it('high-value order -> #sales: the placeholder secret is refused; with a real one, only high-value orders are posted', async () => {
	const json = example('high-value-order-to-sales.json');
	server = await startTriggerServer(BrevoEventTrigger, { nodeName: 'Brevo Event Trigger', credentials: credentials(), workflow: json });
	await expect(server.hooks.activate()).rejects.toMatchObject({ message: expect.stringMatching(/placeholder/) });
	await server.close();

	const trigger = json.nodes.find((n) => n.name === 'Brevo Event Trigger')!;
	trigger.parameters = { ...trigger.parameters, sharedSecret: SECRET };
	server = await startTriggerServer(BrevoEventTrigger, { nodeName: 'Brevo Event Trigger', credentials: credentials(), workflow: json });
	await server.hooks.activate();
	const url = urlWithCredentials(server.url, 'brevo', SECRET);
	await brevo.post(url, brevo.buildEvent('order', { orderId: 'A-1001', amount: '€1,250.00', email: 'ceo@bigcorp.example', firstOrder: true }));
	await brevo.post(url, brevo.buildEvent('order', { orderId: 'A-1002', amount: '49,90 €', email: 'small@x.io' }));
	const refused = await brevo.post(server.url, brevo.buildEvent('order', { orderId: 'A-1003', amount: 99999 }));
	expect(refused.status).toBe(401);
	const [first, second] = await server.waitForDeliveries(3);
	const run = await first.execution!;
	expect(run.error).toBeUndefined();
	expect(second.execution).toBeUndefined();
	const messages = slack.messages('sales');
	expect(messages).toHaveLength(1);
	expect(JSON.stringify(messages[0])).toContain('A-1001');
	expect(JSON.stringify(messages[0])).toContain('ceo@bigcorp.example');
	expect(messages[0].text).toBe('New order A-1001 from ceo@bigcorp.example: €1,250.00 (first order): Annual plan');
	expect(JSON.stringify(slack.messages('sales'))).not.toContain('A-1002');
});

it('new subscriber -> #marketing: registration in Brevo, one post per subscriber even when Brevo delivers twice', async () => {
	const json = example('new-subscriber-to-marketing.json');
	server = await startTriggerServer(BrevoEventTrigger, { nodeName: 'Brevo Event Trigger', credentials: credentials(), workflow: json });
	await server.hooks.activate();
	const hook = brevo.webhooks().find((w) => w.url === server!.url)!;
	expect(hook).toMatchObject({ type: 'marketing', events: ['listAddition'] });
	const event = brevo.buildEvent('list_addition', { email: 'newbie@x.io', listIds: [2] });
	await brevo.deliverWebhook(hook.id, event, { retry: false });
	await brevo.deliverWebhook(hook.id, event, { retry: false });
	const [d1, d2] = await server.waitForDeliveries(2);
	expect((await d1.execution!).error).toBeUndefined();
	expect(d2.execution).toBeUndefined();
	const messages = slack.messages('marketing');
	expect(messages).toHaveLength(1);
	expect(JSON.stringify(messages[0])).toContain('newbie@x.io');
	await server.hooks.deactivate();
	expect(brevo.webhooks().filter((w) => w.url === server!.url)).toEqual([]);
});
