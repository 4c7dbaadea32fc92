/**
 * The daily and weekly marketing-summary examples in the real n8n: each example is imported as a copy whose
 * Schedule Trigger fires every 10 seconds (the only change), published, and the summary must land in the Slack
 * emulator's #marketing with the Brevo emulator's numbers; then a scheduled message is delivered at its time.
 */
import { DateTime } from 'luxon';

import { brevo, channel, executionIds, importCopy, n8n, nodeOutput, removeWorkflow, slack, waitFor, waitForExecution } from './support';

function everyTenSeconds(workflow: Record<string, any>): void {
	const trigger = workflow.nodes.find((n: { type: string }) => n.type === 'n8n-nodes-base.scheduleTrigger');
	trigger.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: 10 }] };
}

async function newMessages(channelId: string, before: number): Promise<Array<Record<string, any>>> {
	const all = await slack<Array<Record<string, any>>>('messages', channelId);
	return all.slice(before);
}

describe('marketing summaries in real n8n', () => {
	it.each([
		['daily-marketing-summary.json', 'yesterday', 'Daily marketing summary'],
		['weekly-marketing-summary.json', 'last7days', 'Weekly marketing summary'],
	])('%s posts the summary to #marketing', async (file, period, title) => {
		const zone = 'Europe/Paris';
		const sentDate = DateTime.now().setZone(zone).startOf('day').minus({ days: 1 }).plus({ hours: 10 }).toUTC().toISO();
		const name = `E2E ${period} ${Date.now()}`;
		await brevo('addCampaign', { name, status: 'sent', sentDate, stats: { sent: 400, delivered: 392, uniqueViews: 196, uniqueClicks: 39, unsubscriptions: 2 } });
		const marketing = channel('marketing');
		const before = (await slack<unknown[]>('messages', marketing)).length;
		const wf = await importCopy(file, { name: title, mutate: everyTenSeconds });
		const seen = await executionIds(wf.id);
		try {
			const execution = await waitForExecution(wf.id, seen, 90_000);
			expect(execution.status).toBe('success');
			const [summary] = nodeOutput(execution, 'Marketing Summary');
			expect(summary.posted).toBe(true);
			expect((summary.campaigns as Array<{ name: string }>).map((c) => c.name)).toContain(name);
			const posted = await waitFor('the summary in #marketing', async () => {
				const fresh = await newMessages(marketing, before);
				return fresh.find((m) => String(m.text).startsWith(title)) ?? false;
			});
			expect(JSON.stringify(posted.blocks)).toContain(name);
			expect(JSON.stringify(posted.blocks)).toContain('View in Brevo');
		} finally {
			await removeWorkflow(wf.id);
		}
	});
});

describe('scheduled messages in real n8n', () => {
	it('a message scheduled 2 minutes ahead lands in #alerts at its time (time-scaled emulator), then list and delete work', async () => {
		const alerts = channel('alerts');
		const c = await n8n();
		const credentials = { slackBrevoBotApi: { id: 'slack-bot', name: 'Slack bot (emulator)' } };
		const node = (name: string, parameters: Record<string, unknown>, x: number) => ({
			name,
			type: 'n8n-nodes-slack-brevo.slackSchedule',
			typeVersion: 1,
			position: [x, 0],
			parameters,
			credentials,
		});
		const text = `E2E scheduled ${Date.now()}`;
		const wf = await c.createWorkflow({
			name: `E2E scheduling ${Date.now().toString(36)}`,
			nodes: [
				{ name: 'Every 10 s', type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, position: [0, 0], parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: 10 }] } } },
				node('Schedule', { resource: 'scheduledMessage', operation: 'schedule', defaultChannel: { __rl: true, mode: 'id', value: alerts }, content: 'text', text, when: 'in', amount: 2, unit: 'minutes' }, 220),
				node('Also later', { resource: 'scheduledMessage', operation: 'schedule', defaultChannel: { __rl: true, mode: 'id', value: alerts }, content: 'text', text: `${text} (to delete)`, when: 'in', amount: 90, unit: 'days' }, 440),
				node('List', { resource: 'scheduledMessage', operation: 'list', channel: { __rl: true, mode: 'id', value: alerts } }, 660),
			],
			connections: {
				'Every 10 s': { main: [[{ node: 'Schedule', type: 'main', index: 0 }]] },
				Schedule: { main: [[{ node: 'Also later', type: 'main', index: 0 }]] },
				'Also later': { main: [[{ node: 'List', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		});
		const seen = await executionIds(wf.id);
		await c.activateWorkflow(wf.id);
		try {
			const execution = await waitForExecution(wf.id, seen, 90_000);
			await c.deactivateWorkflow(wf.id);
			expect(execution.status).toBe('success');
			const [scheduled] = nodeOutput(execution, 'Schedule');
			expect(scheduled.channel).toBe(alerts);
			const listed = nodeOutput(execution, 'List');
			const later = nodeOutput(execution, 'Also later')[0];
			expect(listed.map((m) => m.id)).toEqual(expect.arrayContaining([scheduled.scheduled_message_id, later.scheduled_message_id]));
			expect((await slack<Array<{ text: string }>>('messages', alerts)).some((m) => m.text === text)).toBe(false);

			await slack('setTimeScale', 120); // the 2 minutes pass in about a second
			await waitFor('the scheduled message in #alerts', async () =>
				(await slack<Array<{ text: string }>>('messages', alerts)).some((m) => m.text === text),
			);
		} finally {
			await slack('setTimeScale', 1);
			await removeWorkflow(wf.id);
		}
	});
});

describe('a channel Slack does not know (issue 12: invalid_channel on chat.scheduledMessages.list)', () => {
	it('scheduling fails naming the channel and the fix, and nothing is scheduled', async () => {
		const { post, webhookTrigger, webhookUrl } = await import('./support');
		const c = await n8n();
		const run = Date.now().toString(36);
		const wf = await c.createWorkflow({
			name: `E2E schedule unknown channel ${run}`,
			nodes: [
				webhookTrigger(`schedule-unknown-${run}`),
				{
					name: 'Schedule', type: 'n8n-nodes-slack-brevo.slackSchedule', typeVersion: 1, position: [220, 0],
					parameters: { resource: 'scheduledMessage', operation: 'schedule', defaultChannel: { __rl: true, mode: 'id', value: 'C0GONE0001' }, content: 'text', text: `never ${run}`, when: 'in', amount: 5, unit: 'minutes' },
					credentials: { slackBrevoBotApi: { id: 'slack-bot', name: 'Slack bot (emulator)' } },
				},
			],
			connections: { Webhook: { main: [[{ node: 'Schedule', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		try {
			await c.activateWorkflow(wf.id);
			const seen = await executionIds(wf.id);
			expect((await post(await webhookUrl(wf.id, 'Webhook'), '{}', { 'content-type': 'application/json' })).status).toBe(200);
			const execution = await waitForExecution(wf.id, seen, 90_000);
			expect(execution.status).toBe('error');
			const error = execution.data.resultData.error as { message?: string; description?: string } | undefined;
			// the emulator answers chat.scheduledMessages.list as Slack does (invalid_channel); the old one said channel_not_found
			expect(error?.message).toBe('Slack error invalid_channel while scheduling a message: channel C0GONE0001 does not exist or the bot cannot see it');
			expect(error?.description).toMatch(/invite the bot/);
			expect((await slack<Array<{ text: string }>>('scheduled')).some((s) => s.text === `never ${run}`)).toBe(false);
		} finally {
			await removeWorkflow(wf.id);
		}
	});
});
