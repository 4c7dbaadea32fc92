/**
 * The Slack -> Brevo examples of the spec's table that the other example tests do not cover, run as shipped through
 * n8n-core with signed requests from the Slack emulator: modal submission -> contact created + welcome email, and
 * message shortcut -> list + automation event.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { WebClient } from '@slack/web-api';

import { SlackInteractionTrigger } from '../../nodes/SlackInteractionTrigger/SlackInteractionTrigger.node';
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { startTriggerServer, type WorkflowJson } from '../harness';

const SIGNING_SECRET = '0b7e3c5a9d1f42e6b8a0c2d4e6f80a1b';
let slack: SlackEmulator;
let brevo: BrevoEmulator;

const example = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '../../examples', name), 'utf8')) as WorkflowJson;
const credentials = () => ({
	slackBrevoBotApi: { accessToken: slack.botToken, baseUrl: slack.apiUrl },
	slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl },
	slackBrevoSigningSecretApi: { signingSecret: SIGNING_SECRET },
});

async function serve(wf: WorkflowJson) {
	const trigger = wf.nodes.find((n) => n.type.endsWith('slackInteractionTrigger'))!;
	return await startTriggerServer(SlackInteractionTrigger, {
		parameters: trigger.parameters as Record<string, unknown>,
		credentials: credentials(),
		workflow: wf,
		nodeName: trigger.name,
		webhookId: (trigger as { webhookId?: string }).webhookId,
	});
}

beforeAll(async () => {
	[slack, brevo] = await Promise.all([startSlackEmulator(), startBrevoEmulator()]);
	brevo.addList({ id: 1, name: 'Newsletter' });
	brevo.addList({ id: 2, name: 'Slack workspace users' });
	brevo.addList({ id: 3, name: 'Customers' });
	brevo.addAttribute({ name: 'COMPANY', category: 'normal', type: 'text' });
});
afterAll(async () => {
	await Promise.all([slack.close(), brevo.close()]);
});

it('modal-submission-to-brevo-contact.json: a submitted new_lead modal creates the contact and sends the welcome email', async () => {
	const hook = await serve(example('modal-submission-to-brevo-contact.json'));
	try {
		const payload = slack.buildViewSubmission({
			callbackId: 'new_lead',
			values: {
				b_email: { email: { type: 'plain_text_input', value: 'grace@hopper.example' } },
				b_first: { first_name: { type: 'plain_text_input', value: 'Grace' } },
				b_company: { company: { type: 'plain_text_input', value: 'Navy' } },
			},
		});
		const sent = await slack.sendInteraction(hook.url, payload, { signingSecret: SIGNING_SECRET });
		expect(sent.status).toBe(200);
		const [delivery] = await hook.waitForDeliveries(1);
		const run = await delivery.execution!;
		expect(run.error).toBeUndefined();
		expect(brevo.contact('grace@hopper.example')).toMatchObject({ listIds: [3], attributes: { FIRSTNAME: 'Grace', COMPANY: 'Navy' } });
		const [email] = brevo.emails();
		expect(email.request).toMatchObject({ to: [{ email: 'grace@hopper.example', name: 'Grace' }], subject: 'Welcome aboard, Grace' });
		expect(email.request.htmlContent).toBe('<p>Hi Grace, thanks for talking to us!</p>');
		// a modal for another callback_id starts nothing
		await slack.sendInteraction(hook.url, slack.buildViewSubmission({ callbackId: 'feedback' }), { signingSecret: SIGNING_SECRET });
		const [, other] = await hook.waitForDeliveries(2);
		expect(other.execution).toBeUndefined();
	} finally {
		await hook.close();
	}
});

it('message-shortcut-to-brevo-list.json: the shortcut on a message with an email adds it to the list and starts the automation', async () => {
	const hook = await serve(example('message-shortcut-to-brevo-list.json'));
	try {
		const leads = slack.addChannel({ name: 'leads' });
		const posted = await new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl }).chat.postMessage({
			channel: leads.id,
			text: 'Met Ada at the conference, she wants the newsletter: ada@lovelace.example',
		});
		const payload = slack.buildMessageAction({ callbackId: 'add_lead_to_brevo', channel: leads.id, messageTs: posted.ts });
		expect((await slack.sendInteraction(hook.url, payload, { signingSecret: SIGNING_SECRET })).status).toBe(200);
		const [delivery] = await hook.waitForDeliveries(1);
		const run = await delivery.execution!;
		expect(run.error).toBeUndefined();
		expect(brevo.contact('ada@lovelace.example')!.listIds).toEqual([1]);
		expect(brevo.events()).toEqual([
			expect.objectContaining({ event_name: 'slack_lead_added', identifiers: expect.objectContaining({ email_id: 'ada@lovelace.example' }) }),
		]);
	} finally {
		await hook.close();
	}
});
