/**
 * Brevo Event Trigger and Brevo Campaign Trigger in a real n8n (2.40.x) with the packed package, driven over HTTP
 * by the Brevo emulator: the examples "high-value order -> #sales" and "new subscriber -> #marketing", each other
 * event of the spec and raw events reaching a workflow as the canonical item, bad input refused, campaign_sent
 * polled. (The registration lifecycle across restarts is covered by brevo-lifecycle.e2e.ts.)
 */
import {
	brevo,
	channel,
	e2e,
	example,
	executionIds,
	importCopy,
	n8n,
	nodeOutput,
	post,
	removeWorkflow,
	slack,
	waitFor,
	waitForExecution,
	webhookUrl,
} from './support';

const state = e2e();
const TRIGGER = 'Brevo Event Trigger';
const SECRET = 'e2e-shared-secret-5f1c2a9d7e3b4c60';

type Item = Record<string, any>;
type Hook = { id: number; url: string; type: string; events: string[]; auth?: { token?: string } };

function withCredentials(url: string, user: string, secret: string): string {
	const u = new URL(url);
	u.username = user;
	u.password = secret;
	return u.toString();
}

async function hooksAt(url: string): Promise<Hook[]> {
	return ((await brevo('webhooks')) as Hook[]).filter((w) => w.url === url);
}

/** Executions of the workflow that finished after `before`, once there are `n`. */
async function newExecutions(workflowId: string, before: Set<string>, n: number, timeoutMs = 60_000) {
	const c = await n8n();
	return await waitFor(
		`${n} new execution(s) of ${workflowId}`,
		async () => {
			const list = (await c.executions({ workflowId }, 250)).filter((e) => !before.has(e.id) && ['success', 'error', 'crashed', 'canceled'].includes(e.status));
			return list.length >= n ? list : undefined;
		},
		timeoutMs,
	);
}

/** A private copy of the "new subscriber" example with other trigger parameters and no Slack node. */
async function triggerOnly(name: string, parameters: Record<string, unknown>, withBrevoCredential: boolean) {
	return await importCopy('new-subscriber-to-marketing.json', {
		name,
		mutate: (wf) => {
			wf.nodes = wf.nodes.filter((n: Item) => n.name !== 'Slack Notify' && n.type !== 'n8n-nodes-base.stickyNote');
			const trigger = wf.nodes.find((n: Item) => n.name === TRIGGER);
			trigger.parameters = parameters;
			if (!withBrevoCredential) delete trigger.credentials;
			wf.connections = {};
		},
	});
}

describe('example: high-value order -> #sales', () => {
	const ex = example('high-value-order-to-sales.json');
	const secret = ex.secrets[`${TRIGGER}.sharedSecret`];
	let url: string;

	beforeAll(async () => {
		expect(ex.active).toBe(true);
		expect(secret).toMatch(/^[0-9a-f]{48}$/);
		url = await webhookUrl(ex.id, TRIGGER);
	});

	test('a high-value order from a Brevo automation is posted to #sales; a small one starts nothing', async () => {
		const before = await executionIds(ex.id);
		const small = await brevo('post', withCredentials(url, 'brevo', secret), await brevo('buildEvent', 'order', { orderId: 'E2E-SMALL', amount: '19,90 €' }));
		expect(small.status).toBe(200);
		expect(JSON.parse(small.body)).toMatchObject({ belowThreshold: 1, emitted: 0 });
		const big = await brevo('post', withCredentials(url, 'brevo', secret), await brevo('buildEvent', 'order', { orderId: 'E2E-BIG', amount: '€1,234.50', email: 'buyer@e2e.example', firstOrder: true }));
		expect(big.status).toBe(200);
		const execution = await waitForExecution(ex.id, before);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, TRIGGER)).toEqual([
			expect.objectContaining({
				event: 'order_placed',
				source: 'automation',
				contact: expect.objectContaining({ email: 'buyer@e2e.example' }),
				order: expect.objectContaining({ id: 'E2E-BIG', value: 1234.5, currency: 'EUR', firstOrder: true }),
			}),
		]);
		const after = await executionIds(ex.id);
		expect(after.size - before.size).toBe(1);
		const messages: Array<{ text: string }> = await slack('messages', channel('sales'));
		expect(messages.some((m) => m.text.includes('E2E-BIG') && m.text.includes('€1,234.50'))).toBe(true);
		expect(messages.some((m) => m.text.includes('E2E-SMALL'))).toBe(false);
	});

	test('calls without the shared secret, or with a wrong one, get 401 and start nothing', async () => {
		const before = await executionIds(ex.id);
		const order = await brevo('buildEvent', 'order', { orderId: 'E2E-NOAUTH', amount: 99999 });
		const none = await brevo('post', url, order);
		const wrong = await brevo('post', withCredentials(url, 'brevo', `${secret}0`), order);
		const header = await post(url, JSON.stringify(order), { 'content-type': 'application/json', 'x-brevo-secret': 'guess-guess-guess-guess' });
		expect([none.status, wrong.status, header.status]).toEqual([401, 401, 401]);
		// A following authenticated call is the next execution: the refused ones started none.
		await brevo('post', url, await brevo('buildEvent', 'order', { orderId: 'E2E-HEADER', amount: 5000 }), { headers: { 'x-brevo-secret': secret } });
		const [execution] = await newExecutions(ex.id, before, 1);
		expect((await executionIds(ex.id)).size - before.size).toBe(1);
		const full = await (await n8n()).execution(execution.id);
		expect(nodeOutput(full, TRIGGER)[0]).toMatchObject({ order: expect.objectContaining({ id: 'E2E-HEADER' }) });
	});
});

describe('example: new subscriber -> #marketing', () => {
	const ex = example('new-subscriber-to-marketing.json');
	let hook: Hook;

	beforeAll(async () => {
		expect(ex.active).toBe(true);
		const url = await webhookUrl(ex.id, TRIGGER);
		[hook] = await hooksAt(url);
		expect(hook).toMatchObject({ type: 'marketing', events: ['listAddition'] });
	});

	test('a list addition is posted to #marketing once, even when Brevo delivers it again (a retry)', async () => {
		const before = await executionIds(ex.id);
		const email = `subscriber-${Date.now()}@e2e.example`;
		const event = await brevo('buildEvent', 'list_addition', { email, listIds: [2] });
		const first = await brevo('deliverWebhook', hook.id, event, { retry: false });
		expect(first.status).toBe(200);
		const execution = await waitForExecution(ex.id, before);
		expect(execution.status).toBe('success');
		// Brevo retries 10 minutes or more later; by then the execution has ended and n8n has saved the static data
		// (with the delivery key) that webhook() changed.
		const again = await brevo('deliverWebhook', hook.id, event, { retry: false });
		expect(again.status).toBe(200);
		expect(JSON.parse(again.body)).toMatchObject({ duplicates: 1, emitted: 0 });
		expect(nodeOutput(execution, TRIGGER)).toEqual([
			expect.objectContaining({ event: 'new_subscriber', brevoEvent: 'list_addition', source: 'marketing_webhook', contact: { email }, lists: [2] }),
		]);
		const messages: Array<{ text: string }> = await slack('messages', channel('marketing'));
		expect(messages.filter((m) => m.text.includes(email))).toHaveLength(1);
	});
});

describe('the other events reach a workflow as the canonical item', () => {
	const created: string[] = [];
	afterAll(async () => {
		for (const id of created) await removeWorkflow(id);
	});

	test('unsubscribed: two registrations (marketing + transactional), both delivering', async () => {
		const wf = await triggerOnly('Brevo unsubscribed e2e', { event: 'unsubscribed', options: {} }, true);
		created.push(wf.id);
		const hooks = await hooksAt(await webhookUrl(wf.id, TRIGGER));
		expect(hooks.map((h) => h.type).sort()).toEqual(['marketing', 'transactional']);
		const before = await executionIds(wf.id);
		const m = hooks.find((h) => h.type === 'marketing')!;
		const t = hooks.find((h) => h.type === 'transactional')!;
		await brevo('deliverWebhook', m.id, await brevo('buildEvent', 'marketing.unsubscribed', { email: 'm@e2e.example', campaignId: 3 }), { retry: false });
		await brevo('deliverWebhook', t.id, await brevo('buildEvent', 'unsubscribed', { email: 't@e2e.example' }), { retry: false });
		const runs = await newExecutions(wf.id, before, 2);
		const items = await Promise.all(runs.map(async (r) => nodeOutput(await (await n8n()).execution(r.id), TRIGGER)[0]));
		expect(items.map((i) => [i.event, i.source, (i.contact as Item).email]).sort()).toEqual([
			['unsubscribed', 'marketing_webhook', 'm@e2e.example'],
			['unsubscribed', 'transactional_webhook', 't@e2e.example'],
		]);
	});

	test('cart_abandoned and ticket_created from automation / Conversations calls', async () => {
		for (const [event, kind, check] of [
			['cart_abandoned', 'cart', (i: Item) => expect(i).toMatchObject({ event: 'cart_abandoned', source: 'automation', order: expect.objectContaining({ id: 'cart-e2e', value: 89.9 }) })],
			['ticket_created', 'conversationStarted', (i: Item) => expect(i).toMatchObject({ event: 'ticket_created', source: 'conversations', ticket: expect.objectContaining({ id: 'conv-e2e' }) })],
		] as const) {
			const wf = await triggerOnly(`Brevo ${event} e2e`, { event, sharedSecret: SECRET, options: {} }, false);
			created.push(wf.id);
			const url = await webhookUrl(wf.id, TRIGGER);
			expect(await hooksAt(url)).toEqual([]); // nothing registered: the user pastes the URL in Brevo
			const before = await executionIds(wf.id);
			const body = await brevo('buildEvent', kind, { cartId: 'cart-e2e', conversationId: 'conv-e2e', email: 'who@e2e.example' });
			expect((await brevo('post', withCredentials(url, 'brevo', SECRET), body)).status).toBe(200);
			check(nodeOutput(await waitForExecution(wf.id, before), TRIGGER)[0]);
		}
	});

	test('raw events: contactUpdated and contactDeleted, batched', async () => {
		const wf = await triggerOnly('Brevo raw e2e', { event: 'raw', rawEvents: ['marketing:contactUpdated', 'marketing:contactDeleted'], options: { batched: true } }, true);
		created.push(wf.id);
		const [hook] = await hooksAt(await webhookUrl(wf.id, TRIGGER));
		expect(hook).toMatchObject({ type: 'marketing', batched: true });
		expect([...hook.events].sort()).toEqual(['contactDeleted', 'contactUpdated']);
		const before = await executionIds(wf.id);
		const events = [
			await brevo('buildEvent', 'contact_updated', { email: 'up@e2e.example', attributes: { FIRSTNAME: 'Up' } }),
			await brevo('buildEvent', 'contact_deleted', { email: 'gone@e2e.example' }),
		];
		expect((await brevo('deliverWebhook', hook.id, events, { retry: false })).status).toBe(200);
		const items = nodeOutput(await waitForExecution(wf.id, before), TRIGGER);
		expect(items.map((i) => [i.event, (i.contact as Item).email])).toEqual([
			['contactUpdated', 'up@e2e.example'],
			['contactDeleted', 'gone@e2e.example'],
		]);
	});
});

describe('bad input in real n8n', () => {
	let wf: { id: string };
	let url: string;
	let auth: Record<string, string>;

	beforeAll(async () => {
		wf = await triggerOnly('Brevo bad input e2e', { event: 'raw', rawEvents: ['marketing:listAddition'], options: { batched: true } }, true);
		url = await webhookUrl(wf.id, TRIGGER);
		const [hook] = await hooksAt(url);
		auth = { authorization: `Bearer ${hook.auth!.token}`, 'content-type': 'application/json' };
	});
	afterAll(async () => {
		if (wf) await removeWorkflow(wf.id);
	});

	test('malformed JSON, a non-event body and a batch over 500 are refused and start nothing', async () => {
		const before = await executionIds(wf.id);
		const malformed = await post(url, '{"event":"list_addition",', auth);
		const notEvent = await post(url, '"hello"', auth);
		const event = await brevo('buildEvent', 'list_addition', { email: 'x@e2e.example' });
		const huge = await post(url, JSON.stringify(Array.from({ length: 501 }, () => event)), auth);
		expect(malformed.status).toBeGreaterThanOrEqual(400);
		expect(malformed.status).toBeLessThan(500);
		expect([notEvent.status, huge.status]).toEqual([400, 413]);
		// The next good call is the next execution: none of the above started one.
		await post(url, JSON.stringify(event), auth);
		await newExecutions(wf.id, before, 1);
		expect((await executionIds(wf.id)).size - before.size).toBe(1);
	});

	test('an array with bad elements: the good ones run on output 1, the bad ones are reported on output 2', async () => {
		const before = await executionIds(wf.id);
		const good = await brevo('buildEvent', 'list_addition', { email: 'good@e2e.example' });
		const response = await post(url, JSON.stringify([good, { ...good, event: 'made_up', key: 'k2' }, { ...good, email: undefined, key: 'k3' }]), auth);
		expect(response.status).toBe(200);
		const execution = await waitForExecution(wf.id, before);
		expect(nodeOutput(execution, TRIGGER, 0).map((i) => (i.contact as Item).email)).toEqual(['good@e2e.example']);
		expect(nodeOutput(execution, TRIGGER, 1).map((i) => i.reason)).toEqual([
			'unknown event name "made_up" for a marketing webhook',
			'missing email in a "list_addition" event',
		]);
	});
});

describe('Brevo Campaign Trigger in real n8n', () => {
	let workflowId: string | undefined;
	afterAll(async () => {
		if (workflowId) await removeWorkflow(workflowId);
	});

	test('a campaign sent after activation starts one execution with its statistics; history does not', async () => {
		await brevo('addCampaign', { name: 'E2E history', status: 'sent', sentDate: new Date(Date.now() - 3600_000).toISOString() });
		const c = await n8n();
		const wf = await c.createWorkflow({
			name: `Brevo campaign sent e2e (${Date.now().toString(36)})`,
			nodes: [
				{
					name: 'Brevo Campaign Trigger',
					type: `${state.pkg.name}.brevoCampaignTrigger`,
					typeVersion: 1,
					position: [0, 0],
					parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, options: {} },
					credentials: { slackBrevoBrevoApi: { id: 'brevo-key', name: 'Brevo key (emulator)' } },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
		workflowId = wf.id;
		await c.activateWorkflow(wf.id);
		const before = await executionIds(wf.id);
		// Sent a few seconds from now, so it is after the first poll's floor whenever that poll ran.
		const sentDate = new Date(Date.now() + 5_000).toISOString();
		const { id } = await brevo('addCampaign', { name: 'E2E launch', status: 'sent', sentDate, stats: { sent: 120, delivered: 118, uniqueViews: 40 } });
		const [run] = await newExecutions(wf.id, before, 1, 180_000); // n8n polls every minute
		const items = nodeOutput(await c.execution(run.id), 'Brevo Campaign Trigger');
		expect(items).toEqual([
			expect.objectContaining({
				event: 'campaign_sent',
				source: 'campaign_poll',
				campaign: expect.objectContaining({ id, name: 'E2E launch' }),
				statistics: expect.objectContaining({ sent: 120, delivered: 118, uniqueViews: 40 }),
			}),
		]);
	}, 200_000);
});
