/**
 * examples/campaign-sent-to-marketing.json through n8n-core: a poll that finds a newly sent campaign runs Slack
 * Notify, which posts the campaign summary (statistics, "View in Brevo") to #marketing in the Slack emulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { runPoll, type WorkflowJson } from '../harness';
import { BrevoCampaignTrigger } from '../../nodes/BrevoCampaignTrigger/BrevoCampaignTrigger.node';

let brevo: BrevoEmulator;
let slack: SlackEmulator;
beforeAll(async () => {
	[brevo, slack] = await Promise.all([startBrevoEmulator(), startSlackEmulator()]);
});
afterAll(async () => {
	await Promise.all([brevo.close(), slack.close()]);
});

it('campaign sent -> #marketing: one summary per newly sent campaign, nothing for history', async () => {
	const marketing = slack.addChannel({ name: 'marketing' });
	const workflow = JSON.parse(readFileSync(join(__dirname, '../../examples/campaign-sent-to-marketing.json'), 'utf8')) as WorkflowJson;
	const credentials = {
		slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl },
		slackBrevoBotApi: { accessToken: slack.botToken, baseUrl: slack.apiUrl },
	};
	const poll = (staticData: object) =>
		runPoll(BrevoCampaignTrigger, { nodeName: 'Brevo Campaign Trigger', workflow, credentials, staticData: staticData as never, parameters: workflow.nodes[1].parameters as never });

	brevo.addCampaign({ name: 'Last month', status: 'sent', sentDate: new Date(Date.now() - 30 * 86400_000).toISOString() });
	const first = await poll({});
	expect(first.data).toBeNull();

	brevo.addCampaign({
		name: 'Winter sale',
		status: 'sent',
		sentDate: new Date(Date.now() + 1000).toISOString(),
		stats: { sent: 2000, delivered: 1960, uniqueViews: 980, uniqueClicks: 196, unsubscriptions: 4, hardBounces: 10, softBounces: 30 },
	});
	await new Promise((r) => setTimeout(r, 1100)); // the campaign's send time must have passed
	const second = await poll(first.staticData);
	expect(second.emitted).toHaveLength(1);
	const run = await second.execution!;
	expect(run.error).toBeUndefined();
	const [message] = slack.messages(marketing.id);
	expect(message.text).toMatch(/Campaign sent: Winter sale.*2000 sent.*open rate 50\.0%/);
	expect(JSON.stringify(message.blocks)).toContain('View in Brevo');
	expect((await poll(second.staticData)).data).toBeNull();
	expect(slack.messages(marketing.id)).toHaveLength(1);
});
