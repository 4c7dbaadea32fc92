/**
 * Secrets in execution data, in a real n8n: Slack and Brevo answer with error bodies that echo the request's
 * credentials (as a debug body or a proxy's error page would), the nodes fail (with and without Continue On Fail),
 * n8n stores the executions, and neither the bot token nor the API key is anywhere in what n8n's REST API hands out
 * for them: run data, items, the whole stored error objects.
 */
import { randomUUID } from 'node:crypto';

import { brevo, channel, e2e, executionIds, n8n, nodeOutput, post, removeWorkflow, slack, waitForExecution, webhookUrl, webhookTrigger } from './support';

const state = e2e();
const BREVO = { slackBrevoBrevoApi: { id: 'brevo-key', name: 'Brevo key (emulator)' } };
const SLACK = { slackBrevoBotApi: { id: 'slack-bot', name: 'Slack bot (emulator)' } };

describe('no secret in stored executions', () => {
	it('Slack and Brevo answers that echo the token and the key leave no trace of either in the execution', async () => {
		const token = state.slack.botToken;
		const key = state.brevo.apiKey;
		const node = (name: string, type: string, parameters: Record<string, unknown>, credentials: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
			id: randomUUID(),
			name,
			type: `${state.pkg.name}.${type}`,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials,
			...extra,
		});
		const marketing = { __rl: true, mode: 'id', value: channel('marketing') };
		const steps = [
			node('Notify (Slack echoes)', 'slackNotify', { operation: 'send', defaultChannel: marketing, content: 'text', text: 'secret test', options: {} }, SLACK, { onError: 'continueRegularOutput' }),
			node('Get contact (Brevo echoes)', 'brevoForSlack', { resource: 'contact', operation: 'get', email: 'echo.e2e@example.com' }, BREVO, { onError: 'continueRegularOutput' }),
			node('Upsert (proxy page)', 'brevoForSlack', { resource: 'contact', operation: 'upsert', email: 'echo.e2e@example.com' }, BREVO, { onError: 'continueRegularOutput' }),
			node('Notify (stops the run)', 'slackNotify', { operation: 'send', defaultChannel: marketing, content: 'text', text: 'secret test 2', options: {} }, SLACK),
		];
		const trigger = webhookTrigger(`secrets-${randomUUID()}`);
		const names = [trigger.name, ...steps.map((s) => s.name)];
		const connections = Object.fromEntries(names.slice(0, -1).map((n, k) => [n, { main: [[{ node: names[k + 1], type: 'main', index: 0 }]] }]));
		const c = await n8n();
		const wf = await c.createWorkflow({ name: `E2E secrets ${Date.now().toString(36)}`, nodes: [trigger, ...steps], connections, settings: { executionOrder: 'v1' } });
		try {
			await c.activateWorkflow(wf.id);
			const echoSlack = (n: number) => ({
				ok: false,
				error: 'invalid_auth',
				errors: [`token ${token} is not valid (${n})`],
				response_metadata: { messages: [`[ERROR] Authorization: Bearer ${token}`, `raw token: ${token}`] },
			});
			await slack('injectFault', { method: 'chat.postMessage', times: 1, body: echoSlack(1) });
			await brevo('injectFault', { path: '/v3/contacts/echo.e2e', method: 'GET', times: 1, status: 401, body: { code: 'unauthorized', message: `Key not found: ${key}`, headers: { 'api-key': key } } });
			await brevo('injectFault', { path: '/v3/contacts', method: 'POST', times: 1, status: 502, body: `<html><body><h1>502 Bad Gateway</h1><pre>api-key: ${key}\nauthorization: Bearer ${token}</pre></body></html>` });
			const before = await executionIds(wf.id);
			const url = await webhookUrl(wf.id, 'Webhook');
			// Faults are queued: the first post meets the first, the last node's post the second.
			await slack('injectFault', { method: 'chat.postMessage', times: 1, body: echoSlack(2) });
			expect((await post(url, JSON.stringify({ hello: 'world' }), { 'content-type': 'application/json' })).status).toBe(200);
			const execution = await waitForExecution(wf.id, before, 90_000);

			// The nodes really failed on the echoing answers (so the test would see a leak if there were one).
			expect(execution.status).toBe('error');
			expect(JSON.stringify(nodeOutput(execution, 'Notify (Slack echoes)'))).toMatch(/invalid_auth/);
			expect(JSON.stringify(nodeOutput(execution, 'Get contact (Brevo echoes)'))).toMatch(/unauthorized/);
			expect(JSON.stringify(nodeOutput(execution, 'Upsert (proxy page)'))).toMatch(/502|http_502/);
			expect(execution.data.resultData.error?.message).toMatch(/invalid_auth/);

			// What n8n stores and hands out for the execution, as raw text: no token, no key.
			const raw = JSON.stringify(await c.request('GET', `/rest/executions/${encodeURIComponent(execution.id)}`));
			expect(raw).toContain('[redacted]');
			expect(raw).not.toContain(token);
			expect(raw).not.toContain(key);
			const list = JSON.stringify(await c.executions({ workflowId: wf.id }, 10));
			expect(list).not.toContain(token);
			expect(list).not.toContain(key);
		} finally {
			await removeWorkflow(wf.id);
		}
	});
});
