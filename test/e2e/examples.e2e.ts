/**
 * What `npm start` promises a newcomer: for every published example driven by Slack or Brevo, the printed command
 * (an emulator sending a signed click or event, or a Brevo delivery / automation call) makes the workflow run to
 * success in n8n. Schedule-driven examples have no command (they run on their schedule).
 */
import { readFileSync } from 'node:fs';
import { e2e, executionIds, readExample, waitForExecution } from './support';

const driven = e2e().tryIt.filter((t) => t.requests.length > 0);

describe('npm start commands', () => {
	test('every published example with a Slack or Brevo trigger gets a command', () => {
		const webhookTriggered = e2e()
			.examples.filter((e) => e.active)
			.filter((e) => readExample(e.file).nodes.some((n: { type: string }) => /\.(slackInteractionTrigger|brevoEventTrigger)$/.test(n.type)))
			.map((e) => e.file);
		expect(webhookTriggered.length).toBeGreaterThan(0);
		expect(driven.map((t) => t.example).sort()).toEqual([...webhookTriggered].sort());
	});

	test.each(driven.map((t) => [t.example, t] as const))('the command of examples/%s runs the workflow to success', async (_file, t) => {
		const before = await executionIds(t.workflowId);
		for (const request of t.requests) {
			const response = await fetch(request.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: readFileSync(request.bodyFile) });
			expect(response.status).toBe(200);
			const body = await response.json();
			// the emulators report the status n8n answered them with
			const status = body?.result?.status ?? body?.status;
			expect(status).toBeGreaterThanOrEqual(200);
			expect(status).toBeLessThan(300);
		}
		const execution = await waitForExecution(t.workflowId, before);
		expect(execution.data.resultData.error?.message).toBeUndefined();
		expect(execution.status).toBe('success');
	});
});
