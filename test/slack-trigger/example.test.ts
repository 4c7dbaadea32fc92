/**
 * examples/slack-button-to-brevo-contact.json as shipped, run through n8n-core behind the trigger harness: the
 * Slack emulator sends a signed click on a real message, the workflow updates the Brevo contact in the Brevo
 * emulator and replaces the clicked buttons through the click's response_url.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { WebClient } from '@slack/web-api';

import { SlackInteractionTrigger } from '../../nodes/SlackInteractionTrigger/SlackInteractionTrigger.node';
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { startTriggerServer, type TriggerServer, type WorkflowJson } from '../harness';

const SECRET = '7c1e5a9b3d2f48e6a0b1c2d3e4f5a6b7';
const TRIGGER = 'Slack Interaction Trigger';

let slack: SlackEmulator;
let brevo: BrevoEmulator;
let server: TriggerServer;

const example = (): WorkflowJson =>
	JSON.parse(fs.readFileSync(path.join(__dirname, '../../examples/slack-button-to-brevo-contact.json'), 'utf8')) as WorkflowJson;

beforeAll(async () => {
	slack = await startSlackEmulator();
	brevo = await startBrevoEmulator();
	brevo.addAttribute({ name: 'LEAD_STATUS', category: 'normal', type: 'text' });
	brevo.addContact({ email: 'ada@example.com', attributes: { FIRSTNAME: 'Ada' } });
	server = await startTriggerServer(SlackInteractionTrigger, {
		workflow: example(),
		nodeName: TRIGGER,
		credentials: {
			slackBrevoSigningSecretApi: { signingSecret: SECRET },
			slackBrevoBotApi: { accessToken: slack.botToken, baseUrl: slack.apiUrl },
			slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl },
		},
	});
	await server.hooks.activate();
});

afterAll(async () => {
	await server.close();
	await slack.close();
	await brevo.close();
});

async function postLeadMessage(email: string) {
	const web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
	const posted = await web.chat.postMessage({
		channel: 'general',
		text: `High-value order from ${email}`,
		blocks: [
			{ type: 'section', block_id: 'order', text: { type: 'mrkdwn', text: `*High-value order* from ${email}: €1,250` } },
			{
				type: 'actions',
				block_id: 'lead_actions',
				elements: [
					{ type: 'button', action_id: 'lead_vip', text: { type: 'plain_text', text: 'VIP' }, value: email, style: 'primary' },
					{ type: 'button', action_id: 'lead_lost', text: { type: 'plain_text', text: 'Not interested' }, value: email },
				],
			},
		],
	});
	return { channel: posted.channel as string, ts: posted.ts as string };
}

it('a click on "VIP" sets LEAD_STATUS on the Brevo contact and replaces the buttons in Slack', async () => {
	const { channel, ts } = await postLeadMessage('ada@example.com');
	// `actions` (not `actionId`): the emulator then takes value and label from the clicked element, as Slack does.
	const click = slack.buildBlockActions({ channel, messageTs: ts, actions: [{ action_id: 'lead_vip' }], user: 'U0ADMIN001' });
	const before = server.deliveries.length;
	const answer = await slack.sendInteraction(server.url, click, { signingSecret: SECRET });
	expect(answer.status).toBe(200);
	expect(answer.body).toBe('');

	const [delivery] = (await server.waitForDeliveries(before + 1)).slice(before);
	const run = await delivery.execution!;
	expect(run.error).toBeUndefined();
	expect(run.outputOf('Set lead status in Brevo')).toEqual([{ email: 'ada@example.com', updated: true, attributes: { LEAD_STATUS: 'VIP' } }]);
	expect(brevo.contact('ada@example.com')?.attributes).toMatchObject({ FIRSTNAME: 'Ada', LEAD_STATUS: 'VIP' });

	const effects = slack.responseEffects().filter((e) => e.ts === ts);
	expect(effects.map((e) => e.kind)).toEqual(['replaced']);
	const updated = slack.messages(channel).find((m) => m.ts === ts)!;
	const text = JSON.stringify(updated.blocks);
	expect(text).toContain('ada@example.com set to *VIP* in Brevo by <@U0ADMIN001>');
	expect(text).not.toContain('lead_vip');
});

it('a click on another action id starts nothing', async () => {
	const { channel, ts } = await postLeadMessage('ada@example.com');
	const before = server.deliveries.length;
	const click = slack.buildBlockActions({ channel, messageTs: ts, actions: [{ action_id: 'approve', value: 'x' }] });
	const answer = await slack.sendInteraction(server.url, click, { signingSecret: SECRET });
	expect(answer.status).toBe(200);
	const [delivery] = (await server.waitForDeliveries(before + 1)).slice(before);
	expect(delivery.workflowData).toBeUndefined();
	expect(delivery.execution).toBeUndefined();
});
