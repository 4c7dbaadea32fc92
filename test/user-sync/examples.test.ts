/**
 * The three example workflows of the user-sync area, as shipped (examples/*.json), run through n8n-core against the
 * emulators: the Slack trigger examples receive signed requests from the Slack emulator over HTTP.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { SlackInteractionTrigger } from '../../nodes/SlackInteractionTrigger/SlackInteractionTrigger.node';
import { runWorkflow, startTriggerServer, type WorkflowJson } from '../harness';
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';

const SIGNING_SECRET = '3f9a1c0e7b5d42a8961e0c7d4b2a8f61';

let slack: SlackEmulator;
let brevo: BrevoEmulator;

function example(name: string): WorkflowJson {
	return JSON.parse(fs.readFileSync(path.join(__dirname, '../../examples', name), 'utf8')) as WorkflowJson;
}

function credentials() {
	return {
		slackBrevoBotApi: { accessToken: slack.botToken, baseUrl: slack.apiUrl },
		slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl },
		slackBrevoSigningSecretApi: { signingSecret: SIGNING_SECRET },
	};
}

function nodeOf(wf: WorkflowJson, name: string) {
	const node = wf.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`example has no node ${name}`);
	return node;
}

beforeAll(async () => {
	slack = await startSlackEmulator({ timeScale: 60 });
	brevo = await startBrevoEmulator({ timeScale: 50 });
});

afterAll(async () => {
	await slack?.close();
	await brevo?.close();
});

beforeEach(() => {
	slack.reset();
	brevo.reset();
	// the demo account's lists (npm start): 1 Newsletter, 2 Slack workspace users
	brevo.addList({ id: 1, name: 'Newsletter' });
	brevo.addList({ id: 2, name: 'Slack workspace users' });
	slack.addUser({
		id: 'UMARIA001',
		name: 'maria',
		real_name: 'María de la Cruz',
		tz: 'Europe/Madrid',
		profile: { real_name: 'María de la Cruz', display_name: 'maria', email: 'maria@example.com', phone: '(415) 555-2671', title: 'Growth' },
	});
});

describe('examples', () => {
	it('nightly-user-sync.json: Schedule Trigger -> Sync Workspace', async () => {
		const wf = example('nightly-user-sync.json');
		expect(nodeOf(wf, 'Every night at 02:00').type).toBe('n8n-nodes-base.scheduleTrigger');
		const first = await runWorkflow(wf, { startNode: 'Sync Slack users', credentials: credentials(), mode: 'trigger' });
		expect(first.error).toBeUndefined();
		const [summary] = first.outputOf('Sync Slack users');
		expect(summary).toMatchObject({ type: 'summary', complete: true, counts: { created: 2, failed: 0 } }); // María + the seeded admin
		expect(brevo.contact('maria@example.com')).toMatchObject({
			listIds: [2],
			attributes: { FIRSTNAME: 'María', LASTNAME: 'de la Cruz', SMS: expect.stringMatching(/14155552671$/), JOB_TITLE: 'Growth' },
		});
		const second = await runWorkflow(wf, { startNode: 'Sync Slack users', credentials: credentials(), mode: 'trigger', staticData: first.staticData });
		expect(second.outputOf('Sync Slack users')[0]).toMatchObject({ counts: { unchanged: 2, created: 0, updated: 0 } });
	});

	it('new-slack-member-to-brevo.json: signed team_join event -> single upsert', async () => {
		const wf = example('new-slack-member-to-brevo.json');
		const trigger = nodeOf(wf, 'Slack Interaction Trigger');
		const hook = await startTriggerServer(SlackInteractionTrigger, {
			parameters: trigger.parameters as Record<string, unknown>,
			credentials: credentials(),
			workflow: wf,
			nodeName: trigger.name,
			webhookId: (trigger as { webhookId?: string }).webhookId,
		});
		try {
			const joined = slack.addUser({
				id: 'UNEW00042',
				name: 'kofi',
				real_name: 'Kofi Annan',
				profile: { real_name: 'Kofi Annan', display_name: 'kofi', email: 'kofi@example.com', title: 'Diplomat' },
			});
			const sent = await slack.sendEvent(hook.url, { type: 'team_join', user: joined }, { signingSecret: SIGNING_SECRET });
			expect(sent.status).toBe(200);
			const [delivery] = await hook.waitForDeliveries(1);
			const run = await delivery.execution!;
			expect(run.error).toBeUndefined();
			expect(run.outputOf('Upsert into Brevo')[0]).toMatchObject({ outcome: 'created', email: 'kofi@example.com' });
			expect(brevo.contact('kofi@example.com')).toMatchObject({ listIds: [2], attributes: { FIRSTNAME: 'Kofi', LASTNAME: 'Annan', JOB_TITLE: 'Diplomat' } });
		} finally {
			await hook.close();
		}
	});

	it('button-click-add-to-list.json: signed button click -> list + automation event', async () => {
		const wf = example('button-click-add-to-list.json');
		const trigger = nodeOf(wf, 'Slack Interaction Trigger');
		const hook = await startTriggerServer(SlackInteractionTrigger, {
			parameters: trigger.parameters as Record<string, unknown>,
			credentials: credentials(),
			workflow: wf,
			nodeName: trigger.name,
			webhookId: (trigger as { webhookId?: string }).webhookId,
		});
		try {
			const payload = slack.buildBlockActions({ user: 'UMARIA001', actionId: 'subscribe_newsletter', value: 'weekly' });
			const sent = await slack.sendInteraction(hook.url, payload, { signingSecret: SIGNING_SECRET });
			expect(sent.status).toBe(200);
			const [delivery] = await hook.waitForDeliveries(1);
			const run = await delivery.execution!;
			expect(run.error).toBeUndefined();
			expect(run.outputOf('Add to Newsletter')[0]).toMatchObject({ listId: 1, email: 'maria@example.com', added: true, contactCreated: true });
			expect(brevo.contact('maria@example.com')!.listIds).toEqual([1]);
			expect(brevo.events()).toEqual([
				expect.objectContaining({
					event_name: 'slack_newsletter_signup',
					identifiers: { email_id: 'maria@example.com' },
					event_properties: expect.objectContaining({ source: 'slack', action_id: 'subscribe_newsletter', value: 'weekly' }),
				}),
			]);
		} finally {
			await hook.close();
		}
	});
});
