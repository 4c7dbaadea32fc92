/**
 * What the Brevo Event Trigger answers, against the emulator's model of Brevo's retries
 * (developers.brevo.com/docs/retry-mechanism: only 429 and unanswered calls are retried, at +10 min, +1 h, +2 h,
 * +8 h; any other 4xx and any 5xx discard the event). A recoverable failure must be retried and then accepted exactly
 * once; what can never succeed (bad credentials, a body that is no Brevo event) is answered so that Brevo drops it;
 * accepted, duplicate and filtered deliveries get 200 and are not retried.
 */
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import { startTriggerServer, type TriggerServer } from '../harness';
import { BrevoEventTrigger } from '../../nodes/BrevoEventTrigger/BrevoEventTrigger.node';
import * as pipeline from '../../nodes/BrevoEventTrigger/pipeline';

let brevo: BrevoEmulator;
const servers: TriggerServer[] = [];

beforeAll(async () => {
	brevo = await startBrevoEmulator();
});
afterAll(async () => {
	await brevo.close();
});
beforeEach(() => {
	brevo.reset();
	brevo.setTimeScale(600_000); // +10 min -> 1 ms, +1 h -> 6 ms (emulated time; nothing here is timed)
});
afterEach(async () => {
	jest.restoreAllMocks();
	while (servers.length) await servers.pop()!.close();
});

async function activeTrigger(parameters: Record<string, unknown>): Promise<{ server: TriggerServer; hookId: number }> {
	const server = await startTriggerServer(BrevoEventTrigger, {
		parameters: parameters as never,
		credentials: { slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl } },
	});
	servers.push(server);
	await server.hooks.activate();
	const [hook] = brevo.webhooks().filter((w) => w.url === server.url);
	return { server, hookId: hook.id };
}

function attemptsOf(hookId: number) {
	return brevo.deliveries().filter((d) => d.webhookId === hookId);
}

/** Resolves once the emulator has made `n` attempts for the webhook (each attempt is a request: no timer here). */
async function attempts(server: TriggerServer, hookId: number, n: number) {
	await server.waitForDeliveries(n);
	while (attemptsOf(hookId).length < n) await new Promise((r) => setImmediate(r));
	return attemptsOf(hookId);
}

describe('a momentary failure inside the trigger is answered 429 and Brevo delivers the event again, once', () => {
	it('an exception before anything is recorded: 429 (with Retry-After, no 5xx), the retry is accepted and emitted once', async () => {
		const { server, hookId } = await activeTrigger({ event: 'new_subscriber' });
		jest.spyOn(pipeline, 'processBrevoDelivery').mockImplementationOnce(() => {
			throw new Error('static data store unavailable');
		});
		const first = await brevo.deliverWebhook(hookId, brevo.buildEvent('list_addition', { email: 'retry@x.io', listIds: [3] }));
		expect(first.status).toBe(429);
		expect(server.deliveries[0].responseHeaders['retry-after']).toBe('600');
		expect(JSON.parse(server.deliveries[0].body)).toEqual({ message: 'Temporary failure: try again later' });
		expect(server.deliveries[0].logs.map((l) => l.message).join('\n')).toContain('answered 429 so that Brevo retries it');
		const tried = await attempts(server, hookId, 2);
		expect(tried.map((a) => [a.attempt, a.status, a.outcome])).toEqual([
			[0, 429, 'retry'],
			[1, 200, 'delivered'],
		]);
		expect(server.deliveries.map((d) => d.emitted.length)).toEqual([0, 1]);
		expect(server.deliveries[1].emitted[0]).toMatchObject({ event: 'new_subscriber', contact: { email: 'retry@x.io' }, lists: [3] });
		expect(brevo.pendingRetries()).toEqual([]);
	});

	it('an exception after the delivery key was written: the key is forgotten, so the retry is not taken for a duplicate', async () => {
		const { server, hookId } = await activeTrigger({ event: 'new_subscriber' });
		const real = pipeline.processBrevoDelivery;
		jest.spyOn(pipeline, 'processBrevoDelivery').mockImplementationOnce((...args) => {
			real(...args); // records the delivery key in static data ...
			throw new Error('lost the connection while handing the items over'); // ... then fails
		});
		await brevo.deliverWebhook(hookId, brevo.buildEvent('list_addition', { email: 'once@x.io' }));
		const tried = await attempts(server, hookId, 2);
		expect(tried.map((a) => a.status)).toEqual([429, 200]);
		expect(server.deliveries.map((d) => d.emitted.length)).toEqual([0, 1]);
		expect(JSON.parse(server.deliveries[1].body)).toMatchObject({ emitted: 1, duplicates: 0 });
		// and a later copy of the same event is a duplicate again: answered 200, not retried, not emitted
		await brevo.deliverWebhook(hookId, tried[0].payload as object);
		expect(server.deliveries[2].emitted).toEqual([]);
		expect(JSON.parse(server.deliveries[2].body)).toMatchObject({ duplicates: 1 });
		expect(attemptsOf(hookId).map((a) => a.outcome)).toEqual(['retry', 'delivered', 'delivered']);
	});
});

describe('answers Brevo does not retry', () => {
	it('accepted, duplicate and filtered deliveries: 200, one attempt each', async () => {
		const { server, hookId } = await activeTrigger({ event: 'new_subscriber', listIds: [7] });
		const event = brevo.buildEvent('list_addition', { email: 'a@x.io', listIds: [7] });
		await brevo.deliverWebhook(hookId, event);
		await brevo.deliverWebhook(hookId, event);
		await brevo.deliverWebhook(hookId, brevo.buildEvent('list_addition', { email: 'b@x.io', listIds: [8] }));
		expect(server.deliveries.map((d) => [d.status, JSON.parse(d.body).emitted, JSON.parse(d.body).duplicates, JSON.parse(d.body).filtered])).toEqual([
			[200, 1, 0, 0],
			[200, 0, 1, 0],
			[200, 0, 0, 1],
		]);
		expect(attemptsOf(hookId).map((a) => a.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
		expect(brevo.pendingRetries()).toEqual([]);
	});

	it('no or a wrong bearer token: 401, discarded by Brevo (it can never succeed), nothing starts', async () => {
		const { server, hookId } = await activeTrigger({ event: 'new_subscriber' });
		const r = await brevo.deliverWebhook(hookId, brevo.buildEvent('list_addition', { email: 'x@x.io' }), { withAuth: false });
		expect(r.status).toBe(401);
		expect(attemptsOf(hookId).map((a) => [a.status, a.outcome])).toEqual([[401, 'discarded']]);
		expect(brevo.pendingRetries()).toEqual([]);
		expect(server.deliveries[0].workflowData).toBeUndefined();
	});

	it('a body that is no Brevo event (400) or a batch over 500 (413): discarded, nothing starts', async () => {
		const { server, hookId } = await activeTrigger({ event: 'new_subscriber', options: { batched: true } });
		const hook = brevo.webhooks().find((w) => w.id === hookId)!;
		// the admin's delivery to a bare URL posts each given payload as it is, with the given headers
		const deliverRaw = async (payload: unknown) => {
			const res = await fetch(`${brevo.url}/_admin/deliver`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ url: server.url, events: [payload], headers: { Authorization: `Bearer ${hook.auth!.token}` } }),
			});
			return ((await res.json()) as { status: number }).status;
		};
		expect(await deliverRaw('"a JSON string, not an event"')).toBe(400);
		// 501 events in one POST (Brevo's own batches stop at 500)
		expect(await deliverRaw(Array.from({ length: 501 }, (_, i) => brevo.buildEvent('list_addition', { email: `u${i}@x.io` })))).toBe(413);
		expect(brevo.deliveries().map((d) => [d.status, d.outcome])).toEqual([
			[400, 'discarded'],
			[413, 'discarded'],
		]);
		expect(server.deliveries.every((d) => d.workflowData === undefined)).toBe(true);
		expect(brevo.pendingRetries()).toEqual([]);
	});
});
