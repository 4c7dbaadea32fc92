/**
 * Duplicate suppression under concurrency, in a real n8n 2.40.7 (issue 17). n8n loads a workflow's static data when
 * a webhook request arrives and writes the whole object back after the trigger's webhook method ran
 * (`LiveWebhooks.executeWebhook` -> `WorkflowStaticDataService.saveStaticData`): requests that overlap each save
 * the copy they loaded plus their own key, so the last writer drops the others' keys. These tests send a burst of
 * distinct deliveries all at once, then deliver every one of them again, and count what n8n ran: each delivery
 * must run exactly once. Against the code before the fix, most replays of the burst ran a second time.
 */
import { randomUUID } from 'node:crypto';

import { buildEvent } from '../emulators/brevo/payloads';
import { e2e, n8n, removeWorkflow, slackSignature, waitFor, webhookUrl, type WorkflowSummary } from './support';

const state = e2e();
const PKG = state.pkg.name;
const BURST = 40;
const BREVO_SECRET = `e2e-concurrency-${randomUUID()}`;
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

function noOp(): Record<string, unknown> {
	return { id: randomUUID(), name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} };
}

/**
 * POSTs, again while n8n answers 503: n8n refuses every request with 503 while its database ping fails ("Database is
 * not ready!", which a burst on a loaded SQLite can cause) before any webhook code runs, as Slack and Brevo would retry.
 */
async function deliver(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
	for (let attempt = 1; ; attempt++) {
		// A long deadline: on a starved machine n8n may take tens of seconds per request during the burst. A
		// connection closed before any answer (a reused keep-alive socket) is sent again, as Slack and Brevo would.
		const answer = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(300_000) })
			.then(async (response) => ({ status: response.status, body: await response.text() }))
			.catch((error: Error) => {
				if (attempt >= 5 || !/fetch failed/.test(error.message)) throw error;
				return { status: 503, body: '' };
			});
		if (answer.status !== 503 || attempt >= 120) return answer;
		await new Promise((r) => setTimeout(r, 1000));
	}
}

/** n8n's REST API, again while it answers 503 (same database gate as above) or closes a reused connection. */
async function rest<T>(call: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await call();
		} catch (error) {
			const retriable = (error as { status?: number }).status === 503 || /fetch failed/.test((error as Error).message);
			if (!retriable || attempt >= 120) throw error;
			await new Promise((r) => setTimeout(r, 1000));
		}
	}
}

async function publish(name: string, trigger: Record<string, unknown>): Promise<WorkflowSummary> {
	const c = await n8n();
	const created = await rest(() =>
		c.createWorkflow({
			name: `${name} (${Date.now().toString(36)})`,
			nodes: [trigger, noOp()],
			connections: { [trigger.name as string]: { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
		}),
	);
	await rest(() => c.activateWorkflow(created.id));
	return created;
}

/** Finished executions of a workflow, once there are at least `n` of them and none is still running. */
async function settledExecutions(workflowId: string, n: number) {
	const c = await n8n();
	return await waitFor(
		`${n} finished executions of ${workflowId}`,
		async () => {
			const list = await c.executions({ workflowId }, 250);
			return list.length >= n && list.every((e) => FINISHED.includes(e.status)) ? list : undefined;
		},
		600_000,
	);
}

describe('duplicate suppression under concurrent requests (real n8n)', () => {
	const created: string[] = [];
	afterAll(async () => {
		for (const id of created) await removeWorkflow(id).catch(() => undefined);
	});

	it(`Slack: ${BURST} events arriving together run once each; delivering them all again starts nothing`, async () => {
		const workflow = await publish('Slack concurrency', {
			id: randomUUID(),
			name: 'Slack',
			type: `${PKG}.slackInteractionTrigger`,
			typeVersion: 1,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: { payloadTypes: ['event'], options: {} },
			credentials: { slackBrevoSigningSecretApi: { id: 'slack-signing', name: 'Slack signing secret (emulator)' } },
		});
		created.push(workflow.id);
		const url = await webhookUrl(workflow.id, 'Slack');
		const run = Date.now().toString(36).toUpperCase();
		const bodies = Array.from({ length: BURST }, (_, i) =>
			JSON.stringify({
				type: 'event_callback',
				team_id: state.slack.teamId,
				api_app_id: 'A0E2E',
				event_id: `Ev${run}C${i}`,
				event_time: Math.floor(Date.now() / 1000),
				event: { type: 'app_mention', user: 'U0ADMIN001', text: `burst ${i}`, ts: `1700000000.${String(i).padStart(6, '0')}`, channel: 'C0E2E' },
			}),
		);
		const send = (body: string, extra: Record<string, string> = {}) =>
			deliver(url, body, { 'content-type': 'application/json', ...slackSignature(body, state.signingSecret), ...extra });

		const first = await Promise.all(bodies.map((body) => send(body)));
		expect(first.map((r) => r.status)).toEqual(bodies.map(() => 200));
		await settledExecutions(workflow.id, BURST);

		// Every delivery again, all at once, as retries whose reason does not say the first attempt reached n8n
		// (http_error): only the duplicate memory in static data can keep them out.
		const again = await Promise.all(bodies.map((body) => send(body, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' })));
		expect(again.map((r) => r.status)).toEqual(bodies.map(() => 200));
		// A fresh event after the replays: once it has run, anything the replays started has been recorded too.
		const sentinel = bodies[0].replace(`Ev${run}C0"`, `Ev${run}SENTINEL"`);
		expect((await send(sentinel)).status).toBe(200);
		const executions = await settledExecutions(workflow.id, BURST + 1);
		expect(executions).toHaveLength(BURST + 1);
	}, 900_000);

	it(`Brevo: ${BURST} orders arriving together run once each; delivering them all again starts nothing`, async () => {
		const workflow = await publish('Brevo concurrency', {
			id: randomUUID(),
			name: 'Brevo',
			type: `${PKG}.brevoEventTrigger`,
			typeVersion: 1,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: { event: 'order_placed', sharedSecret: BREVO_SECRET, threshold: 0, belowThreshold: 'drop', options: {} },
		});
		created.push(workflow.id);
		const url = await webhookUrl(workflow.id, 'Brevo');
		const run = Date.now();
		const bodies = Array.from({ length: BURST }, (_, i) =>
			JSON.stringify(buildEvent('automation.order', { orderId: `order-${run}-${i}`, email: `buyer${i}@e2e.example`, amount: 100 + i })),
		);
		const send = (body: string) => deliver(url, body, { 'content-type': 'application/json', 'x-brevo-secret': BREVO_SECRET });

		const first = await Promise.all(bodies.map(send));
		expect(first.map((r) => [r.status, JSON.parse(r.body).emitted])).toEqual(bodies.map(() => [200, 1]));
		await settledExecutions(workflow.id, BURST);

		// Brevo retries a delivery as the same event (after a timeout, say): each one is answered as a duplicate.
		const again = await Promise.all(bodies.map(send));
		expect(again.map((r) => [r.status, JSON.parse(r.body).duplicates, JSON.parse(r.body).emitted])).toEqual(bodies.map(() => [200, 1, 0]));
		const executions = await rest(async () => (await n8n()).executions({ workflowId: workflow.id }, 250));
		expect(executions).toHaveLength(BURST);
	}, 900_000);
});
