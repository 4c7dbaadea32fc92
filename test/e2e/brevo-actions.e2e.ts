/**
 * Every Brevo action of "Brevo for Slack" in a real n8n, in one workflow started by a signed modal submission from
 * the Slack emulator: create or update the contact from the modal's values, update an attribute, add to and remove
 * from a list, send a transactional email, track the event that starts an automation, a dry-run workspace sync
 * (nothing written), and a failing step under "Continue On Fail" that carries Brevo's reason while the run goes on.
 * Then examples/button-click-add-to-list.json clicked by a brand-new Slack member: Brevo answers the list call with
 * its real 400 ("Contact already in list and/or does not exist"), the contact is created in the list, and a second
 * click is "already in list", a success.
 */
import { randomUUID } from 'node:crypto';

import { brevo, e2e, example, executionIds, n8n, nodeOutput, removeWorkflow, slack, waitForExecution, webhookUrl } from './support';

const state = e2e();
const BREVO = { slackBrevoBrevoApi: { id: 'brevo-key', name: 'Brevo key (emulator)' } };
const SLACK = { slackBrevoBotApi: { id: 'slack-bot', name: 'Slack bot (emulator)' } };
const SIGNING = { slackBrevoSigningSecretApi: { id: 'slack-signing', name: 'Slack signing secret (emulator)' } };

describe('Brevo actions in real n8n', () => {
	it('a submitted modal drives every Brevo action; a failing step carries its reason with Continue On Fail', async () => {
		const lists = state.demo.brevo!.lists as Record<string, number>;
		const email = `e2e.${Date.now()}@example.com`;
		const v = "$('Slack Interaction Trigger').item.json.values";
		const step = (name: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
			id: randomUUID(),
			name,
			type: `${state.pkg.name}.brevoForSlack`,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: name === 'Dry-run sync' ? { ...BREVO, ...SLACK } : BREVO,
			...extra,
		});
		const steps = [
			step('Create contact', { resource: 'contact', operation: 'upsert', email: `={{ ${v}.email }}`, attributes: { attribute: [{ name: 'FIRSTNAME', value: `={{ ${v}.first_name }}` }] }, listIds: [lists.customers] }),
			step('Set job title', { resource: 'contact', operation: 'updateAttributes', email: `={{ ${v}.email }}`, attributes: { attribute: [{ name: 'JOB_TITLE', value: 'CTO' }] } }),
			step('Add to newsletter', { resource: 'list', operation: 'add', listId: lists.newsletter, email: `={{ ${v}.email }}` }),
			step('Remove from newsletter', { resource: 'list', operation: 'remove', listId: lists.newsletter, email: `={{ ${v}.email }}` }),
			step('Welcome email', {
				resource: 'email',
				operation: 'send',
				toEmail: `={{ ${v}.email }}`,
				toName: `={{ ${v}.first_name }}`,
				content: 'content',
				senderEmail: 'hello@example.com',
				subject: `=Welcome {{ ${v}.first_name }}`,
				htmlContent: '<p>Welcome!</p>',
				options: {},
			}),
			step('Start automation', { resource: 'event', operation: 'track', eventName: 'e2e_lead_created', email: `={{ ${v}.email }}` }),
			step('Update a stranger', { resource: 'contact', operation: 'updateAttributes', email: 'nobody.e2e@example.com', attributes: { attribute: [{ name: 'JOB_TITLE', value: 'x' }] } }, { onError: 'continueRegularOutput' }),
			step('Dry-run sync', { resource: 'userSync', operation: 'sync', listIds: [lists.slackUsers], dryRun: true }),
		];
		const trigger = {
			id: randomUUID(),
			name: 'Slack Interaction Trigger',
			type: `${state.pkg.name}.slackInteractionTrigger`,
			typeVersion: 1,
			position: [0, 0],
			parameters: { payloadTypes: ['view_submission'], filters: { callbackIds: 'e2e_lead' }, options: {} },
			credentials: SIGNING,
			webhookId: randomUUID(),
		};
		const names = [trigger.name, ...steps.map((s) => s.name)];
		const connections = Object.fromEntries(names.slice(0, -1).map((n, k) => [n, { main: [[{ node: names[k + 1], type: 'main', index: 0 }]] }]));
		const c = await n8n();
		const wf = await c.createWorkflow({ name: `E2E Brevo actions ${Date.now().toString(36)}`, nodes: [trigger, ...steps], connections, settings: { executionOrder: 'v1' } });
		try {
			await c.activateWorkflow(wf.id);
			const url = await webhookUrl(wf.id, 'Slack Interaction Trigger');
			const processesBefore = (await brevo<unknown[]>('processes')).length;
			const emailsBefore = (await brevo<unknown[]>('emails')).length;
			const before = await executionIds(wf.id);
			const modal = await slack('buildViewSubmission', {
				callbackId: 'e2e_lead',
				values: { b1: { email: { type: 'plain_text_input', value: email } }, b2: { first_name: { type: 'plain_text_input', value: 'Edith' } } },
			});
			expect((await slack<{ status: number }>('sendInteraction', url, modal, { signingSecret: state.signingSecret })).status).toBe(200);
			const execution = await waitForExecution(wf.id, before, 90_000);
			expect(execution.status).toBe('success');

			expect(nodeOutput(execution, 'Create contact')[0]).toMatchObject({ email, outcome: 'created' });
			const contact = await brevo<{ listIds: number[]; attributes: Record<string, unknown> }>('contact', email);
			expect(contact.attributes).toMatchObject({ FIRSTNAME: 'Edith', JOB_TITLE: 'CTO' });
			expect(contact.listIds).toContain(lists.customers);
			expect(contact.listIds).not.toContain(lists.newsletter); // added, then removed
			const emails = await brevo<Array<{ request: { to: Array<{ email: string }>; subject: string } }>>('emails');
			expect(emails.slice(emailsBefore)).toEqual([expect.objectContaining({ request: expect.objectContaining({ to: [expect.objectContaining({ email })], subject: 'Welcome Edith' }) })]);
			const events = await brevo<Array<{ event_name: string; identifiers: Record<string, string> }>>('events');
			expect(events.filter((e) => e.event_name === 'e2e_lead_created')).toEqual([expect.objectContaining({ identifiers: expect.objectContaining({ email_id: email }) })]);

			const failed = nodeOutput(execution, 'Update a stranger')[0];
			expect(JSON.stringify(failed)).toMatch(/document_not_found|does not exist|not found/i);

			const [summary] = nodeOutput(execution, 'Dry-run sync');
			expect(summary).toMatchObject({ type: 'summary', dryRun: true });
			expect((await brevo<unknown[]>('processes')).length).toBe(processesBefore); // a dry run imports nothing
		} finally {
			await removeWorkflow(wf.id);
		}
	});

	it('a brand-new email clicking the newsletter button ends created and in the list; a second click is "already in list", a success', async () => {
		const ex = example('button-click-add-to-list.json');
		expect(ex.active).toBe(true);
		const url = await webhookUrl(ex.id, 'Slack Interaction Trigger');
		const listId = 1; // the example's "Add to Newsletter" list
		const stamp = Date.now().toString(36);
		const email = `first.click.${stamp}@example.com`;
		const user = await slack<{ id: string }>('addUser', {
			id: `UCLK${stamp.toUpperCase()}`.slice(0, 11),
			name: `clicker${stamp}`,
			real_name: 'Nova Subscriber',
			profile: { real_name: 'Nova Subscriber', display_name: 'nova', email },
		});
		expect((await brevo('contact', email)) ?? null).toBeNull(); // undefined travels as null
		const click = async () => {
			const before = await executionIds(ex.id);
			const payload = await slack('buildBlockActions', { user: user.id, actionId: 'subscribe_newsletter', value: 'weekly' });
			expect((await slack<{ status: number }>('sendInteraction', url, payload, { signingSecret: state.signingSecret })).status).toBe(200);
			return await waitForExecution(ex.id, before, 90_000);
		};
		const listCalls = async () =>
			(await brevo<Array<{ path: string; status: number; response: unknown; body: { emails?: string[] } }>>('requests', { method: 'POST' })).filter(
				(r) => r.path === `/v3/contacts/lists/${listId}/contacts/add` && r.body?.emails?.includes(email),
			);

		const first = await click();
		expect(first.status).toBe('success');
		expect(nodeOutput(first, 'Add to Newsletter')).toEqual([
			expect.objectContaining({ email, listId, added: true, inList: true, contactCreated: true }),
		]);
		// what Brevo answered the list call: nothing could be added (the contact did not exist)
		expect(await listCalls()).toEqual([
			expect.objectContaining({ status: 400, response: { code: 'invalid_parameter', message: 'Contact already in list and/or does not exist' } }),
		]);
		const contact = await brevo<{ listIds: number[] }>('contact', email);
		expect(contact.listIds).toContain(listId);

		const second = await click();
		expect(second.status).toBe('success');
		expect(nodeOutput(second, 'Add to Newsletter')).toEqual([expect.objectContaining({ email, listId, added: false, inList: true, alreadyInList: true })]);
		expect(JSON.stringify(nodeOutput(second, 'Add to Newsletter'))).not.toMatch(/"error"/);
		expect((await listCalls()).map((r) => r.status)).toEqual([400, 400]);
		expect((await brevo<Array<{ email: string }>>('contacts')).filter((c) => c.email === email)).toHaveLength(1);
	});
});
