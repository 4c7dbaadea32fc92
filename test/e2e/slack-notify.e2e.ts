/**
 * Slack Notify in a real n8n (2.40.x) with the packed package: the shipped notification examples published and driven
 * over HTTP by the emulators (Brevo calling the Brevo Event Trigger, Slack calling the Slack Interaction Trigger), the
 * thread key -> thread mapping kept across executions AND across an n8n restart (workflow static data saved by n8n,
 * Slack message metadata), the digest, routing, and Brevo link unfurling.
 */
import { brevo, channel, e2e, example, executionIds, restartN8n, slack, waitFor, waitForExecution, webhookUrl } from './support';

const state = e2e();

interface SlackMessage {
	ts: string;
	thread_ts?: string;
	text?: string;
	blocks?: unknown[];
	metadata?: { event_type?: string };
}

async function messages(name: 'marketing' | 'sales' | 'support' | 'alerts'): Promise<SlackMessage[]> {
	return await slack<SlackMessage[]>('messages', channel(name));
}

/** Calls an automation-style Brevo trigger (shared secret in its header) and waits for the workflow's execution. */
async function callBrevoTrigger(file: string, body: object) {
	const ex = example(file);
	expect(ex.active).toBe(true);
	const secret = ex.secrets['Brevo Event Trigger.sharedSecret'];
	expect(secret).toBeTruthy();
	const url = await webhookUrl(ex.id, 'Brevo Event Trigger');
	const before = await executionIds(ex.id);
	const res = await brevo<{ status: number }>('post', url, body, { headers: { 'x-brevo-secret': secret } });
	expect(res.status).toBe(200);
	const execution = await waitForExecution(ex.id, before);
	expect(execution.status).toBe('success');
	return execution;
}

/** The Brevo webhook n8n registered for an example (marketing type), delivered to by the Brevo emulator. */
async function registeredHook(file: string): Promise<number> {
	const ex = example(file);
	const url = await webhookUrl(ex.id, 'Brevo Event Trigger');
	const hooks = await brevo<Array<{ id: number; url: string; type: string }>>('webhooks');
	const hook = hooks.find((h) => h.url === url && h.type === 'marketing');
	if (!hook) throw new Error(`no marketing webhook registered for ${url}`);
	return hook.id;
}

describe('examples/cart-abandoned-to-sales.json: one thread per customer', () => {
	it('starts a thread, replies in it in a later execution, and still after n8n restarts', async () => {
		const email = `cart-${Date.now()}@example.com`;
		const before = (await messages('sales')).length;
		await callBrevoTrigger('cart-abandoned-to-sales.json', await brevo('buildEvent', 'cart', { email, cartId: 'c-1', total: 120 }));
		await callBrevoTrigger('cart-abandoned-to-sales.json', await brevo('buildEvent', 'cart', { email, cartId: 'c-2', total: 35 }));
		let mine = (await messages('sales')).slice(before).filter((m) => String(m.text).includes(email));
		expect(mine).toHaveLength(2);
		const parent = mine[0];
		expect(parent.metadata?.event_type).toBe('slack_brevo_thread');
		expect(mine[1].thread_ts).toBe(parent.ts);

		await restartN8n();
		await waitFor('the example to be active again', async () => (await webhookUrl(example('cart-abandoned-to-sales.json').id, 'Brevo Event Trigger')) || undefined);
		await callBrevoTrigger('cart-abandoned-to-sales.json', await brevo('buildEvent', 'cart', { email, cartId: 'c-3', total: 60 }));
		mine = (await messages('sales')).slice(before).filter((m) => String(m.text).includes(email));
		expect(mine).toHaveLength(3);
		expect(mine[2].thread_ts).toBe(parent.ts);
	});
});

describe('examples/ticket-to-support.json', () => {
	it('a Conversations chat becomes a ticket alert in #support', async () => {
		const id = `conv-${Date.now()}`;
		await callBrevoTrigger('ticket-to-support.json', await brevo('buildEvent', 'conversationStarted', { conversationId: id, text: 'Where is my parcel?' }));
		const m = (await messages('support')).find((x) => String(x.text).includes(id));
		expect(m).toBeDefined();
		expect(JSON.stringify(m!.blocks)).toContain('Where is my parcel?');
		expect(JSON.stringify(m!.blocks)).toContain('View in Brevo');
	});
});

describe('examples/unsubscribe-alert.json and examples/brevo-events-routed.json (webhooks registered by n8n)', () => {
	it('unsubscribes reach #marketing', async () => {
		const ex = example('unsubscribe-alert.json');
		const hookId = await registeredHook('unsubscribe-alert.json');
		const before = await executionIds(ex.id);
		const email = `bye-${Date.now()}@example.com`;
		await brevo('deliverWebhook', hookId, await brevo('buildEvent', 'marketing.unsubscribed', { email, campaignName: 'Autumn' }), { retry: false });
		expect((await waitForExecution(ex.id, before)).status).toBe('success');
		const m = (await messages('marketing')).find((x) => JSON.stringify(x.blocks ?? []).includes(email));
		expect(m?.text).toBe('1 Brevo notification: 1 unsubscribe');
	});

	it('the routing table sends a hard bounce to #alerts', async () => {
		const ex = example('brevo-events-routed.json');
		const hookId = await registeredHook('brevo-events-routed.json');
		const before = await executionIds(ex.id);
		const email = `bounce-${Date.now()}@example.com`;
		await brevo('deliverWebhook', hookId, await brevo('buildEvent', 'marketing.hard_bounce', { email }), { retry: false });
		expect((await waitForExecution(ex.id, before)).status).toBe('success');
		expect((await messages('alerts')).map((m) => m.text)).toContain(`Brevo hardBounce: ${email}`);
	});
});

describe('examples/link-unfurl.json', () => {
	it('a Brevo contact link shared in Slack gets a preview', async () => {
		const ex = example('link-unfurl.json');
		expect(ex.active).toBe(true);
		const contact = await brevo<{ id: number }>('addContact', { email: `unfurl-${Date.now()}@example.com`, attributes: { FIRSTNAME: 'Unfurla' } });
		const url = await webhookUrl(ex.id, 'Slack Interaction Trigger');
		const before = await executionIds(ex.id);
		const event = await slack('buildLinkSharedEvent', { channel: channel('sales'), links: [`https://app.brevo.com/contact/index/${contact.id}`] });
		const res = await slack<{ status: number }>('sendEvent', url, event, { signingSecret: state.signingSecret });
		expect(res.status).toBe(200);
		expect((await waitForExecution(ex.id, before)).status).toBe('success');
		const unfurls = await slack<unknown[]>('unfurls');
		expect(JSON.stringify(unfurls)).toContain('Unfurla');
	});
});
