/**
 * The Brevo Event Trigger's webhook lifecycle in a real n8n: publishing registers exactly one authenticated Brevo
 * webhook, deliveries without that auth get 401 and start nothing, restarting n8n neither duplicates nor loses the
 * registration, unpublishing removes it. Runs on a private copy of the "new subscriber" example.
 */
import { brevo, channel, executionIds, importCopy, n8n, removeWorkflow, restartN8n, slack, waitForExecution, webhookUrl, webhooksOf } from './support';

interface BrevoWebhook {
	id: number;
	url: string;
	type: string;
	events: string[];
	auth?: { type: string; token?: string };
}

describe('Brevo Event Trigger in n8n: webhook lifecycle', () => {
	let workflowId: string;
	let url: string;

	const ours = async (): Promise<BrevoWebhook[]> => ((await brevo('webhooks')) as BrevoWebhook[]).filter((w) => w.url.split('?')[0] === url);

	const deliverAndWait = async (hookId: number, email: string) => {
		const before = await executionIds(workflowId);
		const event = await brevo('buildEvent', 'list_addition', { email, listIds: [1] });
		const withoutAuth = await brevo('deliverWebhook', hookId, [event], { withAuth: false });
		expect(withoutAuth.status).toBe(401);
		const delivered = await brevo('deliverWebhook', hookId, [event], { withAuth: true });
		expect(delivered.status).toBeGreaterThanOrEqual(200);
		expect(delivered.status).toBeLessThan(300);
		const execution = await waitForExecution(workflowId, before);
		const after = await executionIds(workflowId);
		expect([...after].filter((id) => !before.has(id))).toEqual([execution.id]);
		return execution;
	};

	beforeAll(async () => {
		const wf = await importCopy('new-subscriber-to-marketing.json', { name: 'Brevo lifecycle e2e' });
		workflowId = wf.id;
		url = await webhookUrl(workflowId, 'Brevo Event Trigger');
	});

	afterAll(async () => {
		if (workflowId) await removeWorkflow(workflowId);
	});

	test('publishing registers one marketing webhook for listAddition with a bearer token', async () => {
		const hooks = await ours();
		expect(hooks).toHaveLength(1);
		expect(hooks[0].type).toBe('marketing');
		expect(hooks[0].events).toContain('listAddition');
		expect(hooks[0].auth?.type).toBe('bearer');
		expect(hooks[0].auth?.token).toEqual(expect.any(String));
		expect(hooks[0].auth!.token!.length).toBeGreaterThanOrEqual(16);
	});

	test('an authenticated delivery runs the workflow and posts to #marketing; one without the token gets 401', async () => {
		const [hook] = await ours();
		const email = `lifecycle-${Date.now()}@example.com`;
		const execution = await deliverAndWait(hook.id, email);
		expect(execution.status).toBe('success');
		const messages: Array<{ text: string }> = await slack('messages', channel('marketing'));
		expect(messages.some((m) => m.text.includes(email))).toBe(true);
	});

	test('restarting n8n neither duplicates nor loses the registration', async () => {
		const [before] = await ours();
		await restartN8n();
		await expect((await n8n()).workflow(workflowId)).resolves.toEqual(expect.objectContaining({ active: true }));
		expect(await webhookUrl(workflowId, 'Brevo Event Trigger')).toBe(url);
		const after = await ours();
		expect(after).toHaveLength(1);
		expect(after[0].id).toBe(before.id);
		const execution = await deliverAndWait(after[0].id, `after-restart-${Date.now()}@example.com`);
		expect(execution.status).toBe('success');
	});

	test('unpublishing removes the webhook from Brevo; publishing again registers exactly one', async () => {
		const c = await n8n();
		await c.deactivateWorkflow(workflowId);
		expect(await ours()).toHaveLength(0);
		expect(await webhooksOf(workflowId)).toHaveLength(0);
		await c.activateWorkflow(workflowId);
		const hooks = await ours();
		expect(hooks).toHaveLength(1);
		expect(hooks[0].auth?.type).toBe('bearer');
	});
});
