/**
 * What `npm start` promises a newcomer: for every published example driven by Slack or Brevo, the printed command
 * (an emulator sending a signed click or event, or a Brevo delivery / automation call) makes the workflow run to
 * success in n8n. Schedule-driven examples have no command (they run on their schedule).
 */
import { readFileSync } from 'node:fs';
import { brevo, e2e, executionIds, readExample, slack, waitForExecution } from './support';

const driven = e2e().tryIt.filter((t) => t.requests.length > 0);

const SLACK_WRITES = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'chat.unfurl', 'chat.scheduleMessage', 'reactions.add', 'views.open', 'views.update', 'views.push']);

/** What users would see change: accepted Slack writes (messages, updates, unfurls, response_url effects) and accepted Brevo writes. */
async function outcomes(): Promise<{ slack: number; brevo: number }> {
	const slackCalls = await slack<Array<{ apiMethod: string; response: { ok?: boolean } }>>('requests');
	const effects = await slack<unknown[]>('responseEffects');
	const brevoCalls = await brevo<Array<{ method: string; status: number; path: string }>>('requests');
	return {
		slack: slackCalls.filter((r) => SLACK_WRITES.has(r.apiMethod) && r.response?.ok === true).length + effects.length,
		brevo: brevoCalls.filter((r) => r.method !== 'GET' && r.status < 300 && !r.path.startsWith('/v3/webhooks')).length,
	};
}

describe('npm start commands', () => {
	test('every published example with a Slack or Brevo trigger gets a command', () => {
		const webhookTriggered = e2e()
			.examples.filter((e) => e.active)
			.filter((e) => readExample(e.file).nodes.some((n: { type: string }) => /\.(slackInteractionTrigger|brevoEventTrigger)$/.test(n.type)))
			.map((e) => e.file);
		expect(webhookTriggered.length).toBeGreaterThan(0);
		expect(driven.map((t) => t.example).sort()).toEqual([...webhookTriggered].sort());
	});

	test.each(driven.map((t) => [t.example, t] as const))('the command of examples/%s runs the workflow to success and it acts', async (file, t) => {
		const before = await executionIds(t.workflowId);
		const seen = await outcomes();
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
		// the example's effect is where users look: Slack for the notify nodes, Brevo for the Brevo actions
		const types: string[] = readExample(file).nodes.map((n: { type: string }) => n.type);
		const after = await outcomes();
		if (types.some((x) => x.endsWith('.slackNotify'))) expect(after.slack).toBeGreaterThan(seen.slack);
		if (types.some((x) => x.endsWith('.brevoForSlack'))) expect(after.brevo).toBeGreaterThan(seen.brevo);
	});
});
