/**
 * Brevo Event Trigger through the trigger harness (n8n-core HookContext / WebhookContext over real HTTP) against
 * the Brevo emulator: registration lifecycle, authentication, each event reaching the workflow as the canonical
 * item, and the bad input of issue 5.
 */
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import { startTriggerServer, triggerHooks, type TriggerServer, type TriggerServerOptions } from '../harness';
import { BrevoEventTrigger } from '../../nodes/BrevoEventTrigger/BrevoEventTrigger.node';
import { registrationTokenHash, urlWithCredentials } from '../../nodes/shared/brevo/auth';

const SECRET = 'shared-secret-for-tests-0123456789';

let brevo: BrevoEmulator;
const servers: TriggerServer[] = [];

beforeAll(async () => {
	brevo = await startBrevoEmulator();
});
afterAll(async () => {
	await brevo.close();
});
beforeEach(() => brevo.reset());
afterEach(async () => {
	while (servers.length) await servers.pop()!.close();
});

const creds = () => ({ slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl } });

async function trigger(parameters: Record<string, unknown>, o: Partial<TriggerServerOptions> = {}): Promise<TriggerServer> {
	const server = await startTriggerServer(BrevoEventTrigger, { parameters: parameters as never, credentials: creds(), ...o });
	servers.push(server);
	return server;
}

function ourHooks(url: string) {
	return brevo.webhooks().filter((w) => w.url === url);
}

describe('registration lifecycle', () => {
	it('new_subscriber: activation registers a marketing listAddition webhook with a bearer token; deactivation removes it', async () => {
		const hook = await trigger({ event: 'new_subscriber' });
		const calls = await hook.hooks.activate();
		expect(calls.map((c) => [c.method, c.result])).toEqual([
			['checkExists', false],
			['create', true],
		]);
		const [registered] = ourHooks(hook.url);
		expect(registered).toMatchObject({ type: 'marketing', events: ['listAddition'], auth: { type: 'bearer' } });
		const stored = hook.staticData['node:Brevo Event Trigger'] as { registrations: Array<{ webhookId: number; tokenHash: string }> };
		// Static data keeps the token's SHA-256 only, never the token.
		expect(stored.registrations).toEqual([{ type: 'marketing', webhookId: registered.id, tokenHash: registrationTokenHash(registered.auth!.token!), events: ['listAddition'], url: hook.url }]);
		expect(JSON.stringify(hook.staticData)).not.toContain(registered.auth!.token!);
		expect(registered.auth!.token!.length).toBeGreaterThanOrEqual(43);
		// Brevo's list call hides marketing webhooks unless asked: checkExists asked for type=marketing.
		expect(brevo.requests({ method: 'GET', path: '/v3/webhooks' }).map((r) => r.query.type)).toContain('marketing');

		await hook.hooks.deactivate();
		expect(ourHooks(hook.url)).toEqual([]);
		expect((hook.staticData['node:Brevo Event Trigger'] as Record<string, unknown>).registrations).toBeUndefined();
	});

	it('re-activation after a restart neither duplicates nor loses the registration', async () => {
		const hook = await trigger({ event: 'unsubscribed' });
		await hook.hooks.activate();
		expect(ourHooks(hook.url).map((w) => w.type).sort()).toEqual(['marketing', 'transactional']);
		const before = JSON.stringify(hook.staticData);
		const again = await hook.hooks.activate();
		expect(again.map((c) => [c.method, c.result])).toEqual([['checkExists', true]]);
		expect(ourHooks(hook.url)).toHaveLength(2);
		expect(JSON.stringify(hook.staticData)).toBe(before);
	});

	it('static data lost: checkExists re-adopts our webhook with a new token (not the one Brevo lists), without creating another', async () => {
		const hook = await trigger({ event: 'new_subscriber' });
		await hook.hooks.activate();
		const [registered] = ourHooks(hook.url);
		const oldToken = registered.auth!.token!;
		const fresh = triggerHooks(BrevoEventTrigger, {
			parameters: { event: 'new_subscriber' },
			credentials: creds(),
			webhookBaseUrl: `${hook.origin}/webhook`,
			webhookId: new URL(hook.url).pathname.split('/')[2],
			staticData: {},
		});
		expect(fresh.webhookUrl()).toBe(hook.url);
		const calls = await fresh.activate();
		expect(calls.map((c) => [c.method, c.result])).toEqual([['checkExists', true]]);
		expect(ourHooks(hook.url)).toHaveLength(1);
		const [adopted] = ourHooks(hook.url);
		expect(adopted.id).toBe(registered.id);
		expect(adopted.auth!.token).not.toBe(oldToken);
		const stored = fresh.staticData['node:Brevo Event Trigger'] as { registrations: Array<{ webhookId: number; tokenHash: string }> };
		expect(stored.registrations[0]).toEqual({ type: 'marketing', webhookId: registered.id, tokenHash: registrationTokenHash(adopted.auth!.token!), events: ['listAddition'], url: hook.url });
	});

	it('a webhook with our URL but no known token gets a new token through PUT, and calls with it are accepted', async () => {
		const hook = await trigger({ event: 'new_subscriber' });
		const { id } = brevo.addWebhook({ url: hook.url, events: ['listAddition'], type: 'marketing' });
		const calls = await hook.hooks.activate();
		expect(calls.map((c) => [c.method, c.result])).toEqual([['checkExists', true]]);
		expect(brevo.requests({ method: 'PUT' }).map((r) => r.path)).toEqual([`/v3/webhooks/${id}`]);
		const token = brevo.webhooks().find((w) => w.id === id)!.auth!.token;
		expect(token).toBeTruthy();
		const r = await brevo.deliverWebhook(id, brevo.buildEvent('list_addition', { email: 'adopted@x.io', listIds: [3] }), { retry: false });
		expect(r.status).toBe(200);
		expect(hook.deliveries[0].emitted).toEqual([expect.objectContaining({ event: 'new_subscriber', contact: { email: 'adopted@x.io' } })]);
	});

	it('duplicates and left-overs at our URL are cleaned up, keeping exactly one webhook', async () => {
		const hook = await trigger({ event: 'new_subscriber' });
		brevo.addWebhook({ url: hook.url, events: ['listAddition'], type: 'marketing', auth: { type: 'bearer', token: 'old-token-1-0123456789' } });
		brevo.addWebhook({ url: hook.url, events: ['listAddition'], type: 'marketing', auth: { type: 'bearer', token: 'old-token-2-0123456789' } });
		brevo.addWebhook({ url: hook.url, events: ['contactUpdated'], type: 'marketing' });
		brevo.addWebhook({ url: 'https://someone-else.example.com/hook', events: ['listAddition'], type: 'marketing' });
		await hook.hooks.activate();
		expect(ourHooks(hook.url)).toHaveLength(1);
		expect(brevo.webhooks()).toHaveLength(2);
	});

	it('a reconfigured trigger deletes the webhooks of its old configuration', async () => {
		const hook = await trigger({ event: 'raw', rawEvents: ['marketing:contactUpdated', 'transactional:delivered'] });
		await hook.hooks.activate();
		expect(ourHooks(hook.url)).toHaveLength(2);
		const reconfigured = triggerHooks(BrevoEventTrigger, {
			parameters: { event: 'raw', rawEvents: ['marketing:contactUpdated', 'marketing:contactDeleted'] },
			credentials: creds(),
			webhookBaseUrl: `${hook.origin}/webhook`,
			webhookId: new URL(hook.url).pathname.split('/')[2],
			staticData: hook.staticData,
		});
		await reconfigured.activate();
		expect(ourHooks(hook.url).map((w) => [w.type, [...w.events].sort()])).toEqual([['marketing', ['contactDeleted', 'contactUpdated']]]);
	});

	it('the 40-webhook cap gives a clear error naming the fix, and nothing is left half-created', async () => {
		for (let i = 0; i < 39; i++) brevo.addWebhook({ url: `https://other.example.com/${i}`, events: ['delivered'] });
		const hook = await trigger({ event: 'unsubscribed' }); // needs 2: marketing (the 40th) + transactional (the 41st)
		await expect(hook.hooks.activate()).rejects.toMatchObject({
			message: expect.stringMatching(/already has 40 webhooks/),
			description: expect.stringMatching(/Delete unused webhooks in Brevo/),
		});
		expect(ourHooks(hook.url)).toEqual([]);
		expect(brevo.webhooks()).toHaveLength(39);
	});

	it('errors are reported, never swallowed: listing fails on activation, deletion fails on deactivation', async () => {
		const hook = await trigger({ event: 'new_subscriber' });
		brevo.injectFault({ path: '/webhooks', method: 'GET', status: 500, code: 'internal_error', message: 'boom', times: 1 });
		await expect(hook.hooks.activate()).rejects.toMatchObject({ message: expect.stringMatching(/listing marketing webhooks/) });
		await hook.hooks.activate();
		brevo.injectFault({ path: '/webhooks/', method: 'DELETE', status: 400, code: 'invalid_parameter', message: 'nope' });
		await expect(hook.hooks.deactivate()).rejects.toMatchObject({ message: expect.stringMatching(/deleting webhook/) });
		expect(ourHooks(hook.url)).toHaveLength(1);
		await hook.hooks.deactivate();
		expect(ourHooks(hook.url)).toHaveLength(0);
	});

	it('a webhook already deleted in Brevo does not block deactivation', async () => {
		const hook = await trigger({ event: 'new_subscriber' });
		await hook.hooks.activate();
		const [w] = ourHooks(hook.url);
		await fetch(`${brevo.apiUrl}/webhooks/${w.id}`, { method: 'DELETE', headers: { 'api-key': brevo.apiKey } });
		await expect(hook.hooks.deactivate()).resolves.toBeDefined();
	});
});

describe('registered events reach the workflow as canonical items', () => {
	it('new_subscriber through a real workflow run, restricted to chosen lists', async () => {
		const hook = await trigger(
			{},
			{
				workflow: {
					nodes: [
						{ name: 'Brevo Event Trigger', type: 'brevoEventTrigger', parameters: { event: 'new_subscriber', listIds: [7] } },
						{ name: 'Next', type: 'n8n-nodes-base.noOp', parameters: {} },
					],
					connections: { 'Brevo Event Trigger': { main: [[{ node: 'Next', type: 'main', index: 0 }]] } },
				},
			},
		);
		await hook.hooks.activate();
		const [w] = ourHooks(hook.url);
		const at = Date.parse('2026-07-01T10:00:00Z');
		const other = await brevo.deliverWebhook(w.id, brevo.buildEvent('list_addition', { email: 'other@x.io', listIds: [8], at }), { retry: false });
		expect(other.status).toBe(200);
		expect(hook.deliveries[0].workflowData).toBeUndefined();
		await brevo.deliverWebhook(w.id, brevo.buildEvent('list_addition', { email: 'sub@x.io', listIds: [7, 8], at, apiKeyName: '' }), { retry: false });
		const d = hook.deliveries[1];
		expect(d.status).toBe(200);
		const result = await d.execution!;
		expect(result.outputOf('Next')).toEqual([
			expect.objectContaining({
				event: 'new_subscriber',
				brevoEvent: 'list_addition',
				source: 'marketing_webhook',
				occurredAt: '2026-07-01T10:00:00.000Z',
				contact: { email: 'sub@x.io' },
				lists: [7, 8],
				tags: [],
				raw: expect.objectContaining({ event: 'list_addition' }),
			}),
		]);
	});

	it('unsubscribed from marketing and transactional webhooks', async () => {
		const hook = await trigger({ event: 'unsubscribed' });
		await hook.hooks.activate();
		const m = ourHooks(hook.url).find((w) => w.type === 'marketing')!;
		const t = ourHooks(hook.url).find((w) => w.type === 'transactional')!;
		await brevo.deliverWebhook(m.id, brevo.buildEvent('marketing.unsubscribed', { email: 'm@x.io', campaignId: 12, campaignName: 'Autumn', listIds: [3, 42] }), { retry: false });
		await brevo.deliverWebhook(t.id, brevo.buildEvent('transactional.unsubscribed', { email: 't@x.io' }), { retry: false });
		expect(hook.deliveries.map((d) => d.emitted[0])).toEqual([
			expect.objectContaining({ event: 'unsubscribed', source: 'marketing_webhook', contact: { email: 'm@x.io' }, campaign: { id: 12, name: 'Autumn' }, lists: [3, 42] }),
			expect.objectContaining({ event: 'unsubscribed', source: 'transactional_webhook', contact: { email: 't@x.io' }, tags: ['welcome'] }),
		]);
	});

	it('raw events, batched: one item per event, contactUpdated and contactDeleted included, transactional time from ts_epoch', async () => {
		const hook = await trigger({
			event: 'raw',
			rawEvents: ['marketing:contactUpdated', 'marketing:contactDeleted', 'transactional:delivered', 'transactional:click'],
			options: { batched: true },
		});
		await hook.hooks.activate();
		const m = ourHooks(hook.url).find((w) => w.type === 'marketing')!;
		const t = ourHooks(hook.url).find((w) => w.type === 'transactional')!;
		expect(m.batched && t.batched).toBe(true);
		await brevo.deliverWebhook(m.id, [
			brevo.buildEvent('contact_updated', { email: 'u@x.io', attributes: { FIRSTNAME: 'Uma' } }),
			brevo.buildEvent('contact_deleted', { email: 'd@x.io' }),
		], { retry: false });
		const at = 1767225600123; // 2026-01-01T00:00:00.123Z
		await brevo.deliverWebhook(t.id, [brevo.buildEvent('delivered', { email: 'a@x.io', at }), brevo.buildEvent('click', { email: 'b@x.io', link: 'https://x.io/p' })], { retry: false });
		expect(hook.deliveries[0].emitted.map((e) => [e.event, (e.contact as { email: string }).email])).toEqual([
			['contactUpdated', 'u@x.io'],
			['contactDeleted', 'd@x.io'],
		]);
		expect(hook.deliveries[0].emitted[0]).toMatchObject({ contact: { attributes: { FIRSTNAME: 'Uma' } }, apiKeyName: 'emulator' });
		expect(hook.deliveries[1].emitted).toEqual([
			expect.objectContaining({ event: 'delivered', occurredAt: '2026-01-01T00:00:00.123Z', occurredAtField: 'ts_epoch', tags: ['welcome'] }),
			expect.objectContaining({ event: 'click', link: 'https://x.io/p' }),
		]);
	});

	it('contact changes made by our own API key are ignored (sync-loop guard)', async () => {
		const hook = await trigger({ event: 'raw', rawEvents: ['marketing:contactUpdated'], options: { ignoreChangesBy: 'n8n-sync, other' } });
		await hook.hooks.activate();
		const [w] = ourHooks(hook.url);
		const mine = await brevo.deliverWebhook(w.id, brevo.buildEvent('contact_updated', { email: 'loop@x.io', apiKeyName: 'n8n-sync' }), { retry: false });
		expect(mine.status).toBe(200);
		await brevo.deliverWebhook(w.id, brevo.buildEvent('contact_updated', { email: 'human@x.io', apiKeyName: '' }), { retry: false });
		expect(hook.deliveries.map((d) => d.emitted.length)).toEqual([0, 1]);
		expect(JSON.parse(hook.deliveries[0].body)).toMatchObject({ filtered: 1, emitted: 0 });
	});

	it('duplicate deliveries (Brevo retries) start one execution only; with the option off, both run', async () => {
		const hook = await trigger({ event: 'new_subscriber' });
		await hook.hooks.activate();
		const [w] = ourHooks(hook.url);
		const event = brevo.buildEvent('list_addition', { email: 'dup@x.io' });
		await brevo.deliverWebhook(w.id, event, { retry: false });
		await brevo.deliverWebhook(w.id, event, { retry: false });
		expect(hook.deliveries.map((d) => [d.status, d.emitted.length, d.workflowData === undefined])).toEqual([
			[200, 1, false],
			[200, 0, true],
		]);
		expect(JSON.parse(hook.deliveries[1].body)).toMatchObject({ duplicates: 1 });

		const batchedHook = await trigger({ event: 'new_subscriber', options: { batched: true } });
		await batchedHook.hooks.activate();
		const [wb] = ourHooks(batchedHook.url);
		const batch = [brevo.buildEvent('list_addition', { email: 'b1@x.io' }), brevo.buildEvent('list_addition', { email: 'b2@x.io' })];
		await brevo.deliverWebhook(wb.id, batch, { retry: false });
		await brevo.deliverWebhook(wb.id, batch, { retry: false });
		expect(batchedHook.deliveries.map((d) => d.emitted.length)).toEqual([2, 0]);
		expect(JSON.parse(batchedHook.deliveries[1].body)).toMatchObject({ duplicates: 2, emitted: 0 });

		const noDedupe = await trigger({ event: 'new_subscriber', options: { dedupe: false } });
		await noDedupe.hooks.activate();
		const [w2] = ourHooks(noDedupe.url);
		await brevo.deliverWebhook(w2.id, event, { retry: false });
		await brevo.deliverWebhook(w2.id, event, { retry: false });
		expect(noDedupe.deliveries.map((d) => d.emitted.length)).toEqual([1, 1]);
	});
});

describe('authentication', () => {
	it('registered hooks: calls without or with a wrong bearer token get 401 and start nothing', async () => {
		const hook = await trigger({ event: 'new_subscriber' });
		await hook.hooks.activate();
		const [w] = ourHooks(hook.url);
		const noAuth = await brevo.deliverWebhook(w.id, brevo.buildEvent('list_addition'), { withAuth: false, retry: false });
		expect(noAuth.status).toBe(401);
		const wrong = await hook.send(brevo.buildEvent('list_addition'), { headers: { authorization: 'Bearer not-the-token' } });
		expect(wrong.status).toBe(401);
		const basic = await hook.send(brevo.buildEvent('list_addition'), { headers: { authorization: `Basic ${Buffer.from(`x:${w.auth!.token}`).toString('base64')}` } });
		expect(basic.status).toBe(401);
		expect(hook.deliveries.every((d) => d.workflowData === undefined && d.status === 401)).toBe(true);
		expect(hook.deliveries.map((d) => d.body).join('')).not.toContain(w.auth!.token);
	});

	it('a trigger that never registered (no token) refuses everything', async () => {
		const hook = await trigger({ event: 'new_subscriber' });
		const d = await hook.send(brevo.buildEvent('list_addition'), { headers: { authorization: 'Bearer ' } });
		expect(d.status).toBe(401);
	});

	it('automation and Conversations sources: activation is refused without a usable shared secret (fail-closed)', async () => {
		for (const sharedSecret of ['', 'short', 'has a space in it 0123456789']) {
			const hook = await trigger({ event: 'order_placed', sharedSecret });
			await expect(hook.hooks.activate()).rejects.toMatchObject({ message: expect.stringMatching(/Cannot activate: .*shared secret/) });
			const d = await hook.send(brevo.buildEvent('order'), { headers: { authorization: `Bearer ${sharedSecret}` } });
			expect(d.status).toBe(401);
		}
		expect(brevo.webhooks()).toEqual([]);
	});

	it('the shared secret is accepted as URL credentials, custom header or bearer; anything else gets 401', async () => {
		const hook = await trigger({ event: 'order_placed', sharedSecret: SECRET, threshold: 0 });
		await expect(hook.hooks.activate()).resolves.toEqual([expect.objectContaining({ method: 'checkExists', result: true })]);
		expect(brevo.webhooks()).toEqual([]); // nothing to register: the user pastes the URL in Brevo
		const ok1 = await brevo.post(urlWithCredentials(hook.url, 'brevo', SECRET), brevo.buildEvent('order', { orderId: 'o1' }));
		const ok2 = await brevo.post(hook.url, brevo.buildEvent('order', { orderId: 'o2' }), { headers: { 'X-Brevo-Secret': SECRET } });
		const ok3 = await brevo.post(hook.url, brevo.buildEvent('order', { orderId: 'o3' }), { headers: { Authorization: `Bearer ${SECRET}` } });
		const none = await brevo.post(hook.url, brevo.buildEvent('order', { orderId: 'o4' }));
		const wrongUser = await brevo.post(urlWithCredentials(hook.url, 'admin', SECRET), brevo.buildEvent('order', { orderId: 'o5' }));
		const wrongSecret = await brevo.post(urlWithCredentials(hook.url, 'brevo', `${SECRET}x`), brevo.buildEvent('order', { orderId: 'o6' }));
		expect([ok1, ok2, ok3, none, wrongUser, wrongSecret].map((r) => r.status)).toEqual([200, 200, 200, 401, 401, 401]);
		expect(hook.deliveries.flatMap((d) => d.emitted.map((e) => (e.order as { id: string }).id))).toEqual(['o1', 'o2', 'o3']);
	});
});

describe('automation and Conversations events', () => {
	it('order_placed: value from a money string, currency, products, first-order flag; below threshold dropped', async () => {
		const hook = await trigger({ event: 'order_placed', sharedSecret: SECRET, threshold: 1000, thresholdCurrency: 'EUR' });
		await hook.hooks.activate();
		const url = urlWithCredentials(hook.url, 'brevo', SECRET);
		await brevo.post(url, brevo.buildEvent('order', { orderId: 'big', amount: '€1,234.50', currency: undefined, firstOrder: true, email: 'vip@x.io', attributes: { FIRSTNAME: 'Vi' } }));
		const small = await brevo.post(url, brevo.buildEvent('order', { orderId: 'small', amount: '99,90 €' }));
		await brevo.post(url, brevo.buildEvent('order', { orderId: 'usd', amount: 5000, currency: 'USD' }));
		expect(hook.deliveries[0].emitted).toEqual([
			expect.objectContaining({
				event: 'order_placed',
				source: 'automation',
				contact: { email: 'vip@x.io', id: 42, attributes: { FIRSTNAME: 'Vi' } },
				order: expect.objectContaining({ id: 'big', value: 1234.5, currency: 'EUR', firstOrder: true, products: [expect.objectContaining({ id: 'sku-1', quantity: 1 })] }),
			}),
		]);
		expect(small.status).toBe(200);
		expect(JSON.parse(small.body)).toMatchObject({ belowThreshold: 1, emitted: 0 });
		expect(hook.deliveries[1].workflowData).toBeUndefined();
		expect(hook.deliveries[2].workflowData).toBeUndefined(); // USD cannot be compared with a EUR threshold
	});

	it('order_placed: below-threshold orders routed to the third output when chosen', async () => {
		const hook = await trigger({ event: 'order_placed', sharedSecret: SECRET, threshold: 500, belowThreshold: 'route' });
		await hook.hooks.activate();
		const url = urlWithCredentials(hook.url, 'brevo', SECRET);
		await brevo.post(url, brevo.buildEvent('order', { orderId: 'small', amount: 20 }));
		const [d] = hook.deliveries;
		expect(d.workflowData).toHaveLength(3);
		expect(d.workflowData![0]).toEqual([]);
		expect(d.workflowData![2].map((i) => i.json)).toEqual([
			expect.objectContaining({ order: expect.objectContaining({ id: 'small', value: 20 }), belowThreshold: { reason: 'below_threshold', minimum: 500, currency: null } }),
		]);
	});

	it('cart_abandoned from an automation call', async () => {
		const hook = await trigger({ event: 'cart_abandoned', sharedSecret: SECRET });
		await hook.hooks.activate();
		const at = Date.parse('2026-03-01T12:00:00Z');
		await brevo.post(urlWithCredentials(hook.url, 'brevo', SECRET), brevo.buildEvent('cart', { cartId: 'c-9', total: '89,90', currency: 'EUR', email: 'cart@x.io', at }));
		expect(hook.deliveries[0].emitted).toEqual([
			expect.objectContaining({
				event: 'cart_abandoned',
				occurredAt: '2026-03-01T12:00:00.000Z',
				contact: expect.objectContaining({ email: 'cart@x.io' }),
				order: expect.objectContaining({ id: 'c-9', value: 89.9, currency: 'EUR', url: 'https://shop.example.com/cart' }),
				link: 'https://shop.example.com/cart',
			}),
		]);
	});

	it('ticket_created from a Conversations conversationStarted webhook', async () => {
		const hook = await trigger({ event: 'ticket_created', sharedSecret: SECRET });
		await hook.hooks.activate();
		const at = Date.parse('2026-02-02T08:30:00.250Z');
		await brevo.post(urlWithCredentials(hook.url, 'brevo', SECRET), brevo.buildEvent('conversationStarted', { conversationId: 'conv-1', text: 'Where is my parcel?', email: 'help@x.io', at }));
		expect(hook.deliveries[0].emitted).toEqual([
			expect.objectContaining({
				event: 'ticket_created',
				brevoEvent: 'conversationStarted',
				source: 'conversations',
				occurredAt: '2026-02-02T08:30:00.250Z',
				contact: expect.objectContaining({ email: 'help@x.io', name: 'Jane Doe' }),
				ticket: expect.objectContaining({ id: 'conv-1', message: 'Where is my parcel?', noAgentAvailable: false }),
			}),
		]);
	});
});

describe('bad input', () => {
	async function rawHook(batched = true) {
		const hook = await trigger({ event: 'raw', rawEvents: ['marketing:listAddition', 'marketing:unsubscribed'], options: { batched } });
		await hook.hooks.activate();
		const [w] = ourHooks(hook.url);
		return { hook, w, auth: { authorization: `Bearer ${w.auth!.token}` } };
	}

	it('malformed JSON: refused by the webhook server (422) or, sent as text, by the node (400); nothing starts', async () => {
		const { hook, auth } = await rawHook();
		const asJson = await hook.send('{"event":"list_addition",', { headers: { ...auth, 'content-type': 'application/json' } });
		const asText = await hook.send('{"event":"list_addition",', { headers: { ...auth, 'content-type': 'text/plain' } });
		expect([asJson.status, asText.status]).toEqual([422, 400]);
		expect(asText.body).toMatch(/malformed JSON/);
		expect(hook.deliveries.every((d) => d.workflowData === undefined)).toBe(true);
	});

	it('an array with bad elements: the good ones run, the bad ones go to the Rejected output with their reason', async () => {
		const { hook, w } = await rawHook();
		const good = brevo.buildEvent('list_addition', { email: 'good@x.io' });
		await brevo.deliverWebhook(w.id, [
			good,
			{ ...brevo.buildEvent('list_addition'), event: 'made_up_event' },
			{ ...brevo.buildEvent('list_addition'), email: undefined },
			brevo.buildEvent('marketing.unsubscribed', { email: 'u@x.io' }),
			42 as unknown as object,
		], { retry: false });
		const [d] = hook.deliveries;
		expect(d.status).toBe(200);
		expect(d.emitted.map((e) => [e.event, (e.contact as { email: string }).email])).toEqual([
			['listAddition', 'good@x.io'],
			['unsubscribed', 'u@x.io'],
		]);
		expect(d.workflowData![1].map((i) => [i.json.index, i.json.reason])).toEqual([
			[1, 'unknown event name "made_up_event" for a marketing webhook'],
			[2, 'missing email in a "list_addition" event'],
			[4, 'not a JSON object'],
		]);
		expect(JSON.parse(d.body)).toMatchObject({ received: 5, emitted: 2, rejected: 3 });
	});

	it('events of the webhook type but not subscribed are filtered, not emitted', async () => {
		const { hook, auth } = await rawHook();
		const d = await hook.send(brevo.buildEvent('contact_deleted'), { headers: auth });
		expect([d.status, d.workflowData]).toEqual([200, undefined]);
		expect(JSON.parse(d.body)).toMatchObject({ filtered: 1 });
	});

	it('a batch over 500 events is refused whole (413); exactly 500 is fine', async () => {
		const { hook, auth } = await rawHook();
		const events = (n: number) => Array.from({ length: n }, (_, i) => brevo.buildEvent('list_addition', { email: `u${i}@x.io` }));
		const over = await hook.send(events(501) as never, { headers: auth });
		expect(over.status).toBe(413);
		expect(over.workflowData).toBeUndefined();
		const full = await hook.send(events(500) as never, { headers: auth });
		expect(full.status).toBe(200);
		expect(full.emitted).toHaveLength(500);
	});

	it('order value as a string with a currency symbol, and a value that is not an amount', async () => {
		const hook = await trigger({ event: 'order_placed', sharedSecret: SECRET, threshold: 100 });
		await hook.hooks.activate();
		const url = urlWithCredentials(hook.url, 'brevo', SECRET);
		await brevo.post(url, brevo.buildEvent('order', { orderId: 'fr', amount: '1.234,50 €', currency: 'EUR' }));
		await brevo.post(url, brevo.buildEvent('order', { orderId: 'junk', amount: 'a lot' }));
		expect(hook.deliveries[0].emitted[0]).toMatchObject({ order: { id: 'fr', value: 1234.5, currency: 'EUR' } });
		expect(hook.deliveries[1].emitted).toEqual([]);
		expect(hook.deliveries[1].workflowData![1][0].json.reason).toMatch(/order value "a lot" is not an amount/);
	});

	it('timestamps in every format Brevo sends become ISO 8601 UTC', async () => {
		const { hook, w } = await rawHook();
		const base = { event: 'list_addition', list_id: [1] };
		const cases: Array<[Record<string, unknown>, string | null, string | undefined]> = [
			[{ ts_epoch: 1767225600123 }, '2026-01-01T00:00:00.123Z', 'ts_epoch'], // milliseconds
			[{ ts_epoch: 1767225600 }, '2026-01-01T00:00:00.000Z', 'ts_epoch'], // seconds, as some docs show
			[{ ts_event: 1767225600 }, '2026-01-01T00:00:00.000Z', 'ts_event'],
			[{ ts: '1767225600' }, '2026-01-01T00:00:00.000Z', 'ts'],
			[{ date: '2026-01-15 10:00:00' }, '2026-01-15T09:00:00.000Z', 'date'], // CET
			[{ date: '2026-07-15 10:00:00' }, '2026-07-15T08:00:00.000Z', 'date'], // CEST
			[{ date_event: '2026-03-29 03:30:00' }, '2026-03-29T01:30:00.000Z', 'date_event'], // the morning CEST starts
			[{ date: '2026-08-25T11:04:17.82511Z' }, '2026-08-25T11:04:17.825Z', 'date'], // contact_deleted: ISO
			[{ date: 'yesterday' }, null, undefined],
		];
		await brevo.deliverWebhook(w.id, cases.map(([fields], i) => ({ ...base, email: `t${i}@x.io`, ...fields })), { retry: false });
		expect(hook.deliveries[0].emitted.map((e) => [e.occurredAt, e.occurredAtField])).toEqual(cases.map(([, iso, field]) => [iso, field]));
	});

	it('a body that is not an event (a string, an empty array) is refused with 400', async () => {
		const { hook, auth } = await rawHook();
		const str = await hook.send(JSON.stringify('hello'), { headers: { ...auth, 'content-type': 'application/json' } });
		const empty = await hook.send([] as never, { headers: auth });
		expect([str.status, empty.status]).toEqual([400, 400]);
	});
});
