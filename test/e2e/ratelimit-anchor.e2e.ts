/**
 * The anchor for lost messages under Slack's rate limits (issue 18): n8n's own Slack node (n8n-nodes-base.slack, from
 * the real n8n of this suite, default settings) and Slack Notify each post 5 messages while the Slack emulator answers
 * the first three chat.postMessage calls with 429 + `Retry-After: 1`, as Slack does over its limit
 * (https://docs.slack.dev/apis/web-api/rate-limits). Counted: the messages that reached the channel.
 * The figures are printed for the README's benchmark section.
 */
import { randomUUID } from 'node:crypto';

import { channel, e2e, executionIds, n8n, post, removeWorkflow, slack, waitForExecution, webhookTrigger, webhookUrl } from './support';

const state = e2e();
const N = 5;

async function postFive(label: string, postNode: (marker: string) => Record<string, unknown>): Promise<{ status: string; posted: number; ratelimited: number }> {
	const marker = `anchor-${label}-${randomUUID()}`;
	const trigger = webhookTrigger(marker);
	const split = { id: randomUUID(), name: 'Split', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [220, 0], parameters: { fieldToSplitOut: 'body.items', options: {} } };
	const node = { id: randomUUID(), name: 'Post', position: [440, 0], ...postNode(marker) };
	const c = await n8n();
	const wf = await c.createWorkflow({
		name: `E2E rate-limit anchor ${label} ${Date.now().toString(36)}`,
		nodes: [trigger, split, node],
		connections: { Webhook: { main: [[{ node: 'Split', type: 'main', index: 0 }]] }, Split: { main: [[{ node: 'Post', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	});
	try {
		await c.activateWorkflow(wf.id);
		const before = await executionIds(wf.id);
		const limitedBefore = (await slack<{ ratelimited: Record<string, number> }>('counters')).ratelimited['chat.postMessage'] ?? 0;
		await slack('injectFault', { method: 'chat.postMessage', status: 429, retryAfter: 1, times: 3 });
		const items = Array.from({ length: N }, (_, i) => ({ text: `${marker} message ${i + 1}` }));
		expect((await post(await webhookUrl(wf.id, 'Webhook'), JSON.stringify({ items }), { 'content-type': 'application/json' })).status).toBe(200);
		const execution = await waitForExecution(wf.id, before, 90_000);
		const messages = await slack<Array<{ text?: string }>>('messages', channel('alerts'));
		const posted = messages.filter((m) => String(m.text ?? '').startsWith(marker)).length;
		const ratelimited = ((await slack<{ ratelimited: Record<string, number> }>('counters')).ratelimited['chat.postMessage'] ?? 0) - limitedBefore;
		return { status: execution.status, posted, ratelimited };
	} finally {
		await slack('clearFaults');
		await removeWorkflow(wf.id);
	}
}

describe('5 messages, the first three chat.postMessage calls answered 429 (Retry-After: 1)', () => {
	it("n8n's own Slack node posts none of them; Slack Notify posts all 5, each once", async () => {
		const c = await n8n();
		const credential = await c.request<{ id: string }>('POST', '/rest/credentials', {
			name: `Slack API (n8n's Slack node, emulator) ${Date.now().toString(36)}`,
			type: 'slackApi',
			data: { accessToken: state.slack.botToken },
		});
		const stock = await postFive('stock', (marker) => ({
			type: 'n8n-nodes-base.slack',
			typeVersion: 2.2,
			parameters: {
				resource: 'message',
				operation: 'post',
				select: 'channel',
				channelId: { __rl: true, mode: 'id', value: channel('alerts') },
				messageType: 'text',
				text: '={{ $json.text }}',
				otherOptions: { includeLinkToWorkflow: false },
			},
			credentials: { slackApi: { id: credential.id, name: `stock ${marker}` } },
		}));
		const ours = await postFive('ours', () => ({
			type: `${state.pkg.name}.slackNotify`,
			typeVersion: 1,
			parameters: { operation: 'send', defaultChannel: { __rl: true, mode: 'id', value: channel('alerts') }, content: 'text', text: '={{ $json.text }}', options: {} },
			credentials: { slackBrevoBotApi: { id: 'slack-bot', name: 'Slack bot (emulator)' } },
		}));
		console.log(`[anchor] n8n-nodes-base.slack: ${stock.posted} of ${N} posted, execution ${stock.status}, ${stock.ratelimited} 429s`);
		console.log(`[anchor] Slack Notify: ${ours.posted} of ${N} posted, execution ${ours.status}, ${ours.ratelimited} 429s`);
		expect(ours).toEqual({ status: 'success', posted: N, ratelimited: 3 });
		expect(stock.posted).toBe(0);
		expect(stock.status).toBe('error');
	});
});
