/**
 * Brevo for Slack in a real n8n (2.40.x) with the packed package, driven over HTTP by the emulators:
 * - examples/nightly-user-sync.json: a copy whose Schedule Trigger fires every few seconds, so n8n runs it as
 *   production executions: the first run creates the demo workspace's people in Brevo, the next one finds them
 *   unchanged in the state n8n saved (workflow static data) and writes nothing;
 * - examples/new-slack-member-to-brevo.json: a signed team_join event -> the new member is a Brevo contact;
 * - examples/button-click-add-to-list.json: a signed button click -> the clicker (already a member) is reported in
 *   the Newsletter list, not as an error, and the automation event is tracked.
 */
import {
	brevo,
	e2e,
	example,
	executionIds,
	importCopy,
	n8n,
	nodeOutput,
	removeWorkflow,
	slack,
	waitFor,
	webhookUrl,
	waitForExecution,
} from './support';

const state = e2e();

interface Summary {
	type: string;
	complete: boolean;
	counts: Record<'created' | 'updated' | 'unchanged' | 'skipped' | 'failed', number>;
	imports: unknown[];
	apiCalls: { slack: number; brevo: number };
	skippedByReason: Record<string, number>;
}

describe('examples/nightly-user-sync.json (Schedule Trigger -> Sync Workspace)', () => {
	it('first production run writes the workspace, the next one writes nothing (state saved by n8n)', async () => {
		const slackUsersList = state.demo.brevo?.lists.slackUsers;
		expect(slackUsersList).toBeDefined();
		const wf = await importCopy('nightly-user-sync.json', {
			name: 'Nightly user sync (every 10 s)',
			mutate: (w) => {
				const trigger = w.nodes.find((n: { type: string }) => n.type === 'n8n-nodes-base.scheduleTrigger');
				trigger.parameters = { rule: { interval: [{ field: 'seconds', secondsInterval: 10 }] } };
				const sync = w.nodes.find((n: { name: string }) => n.name === 'Sync Slack users');
				sync.parameters.listIds = [slackUsersList];
			},
		});
		try {
			const c = await n8n();
			const runs = await waitFor(
				'two finished runs of the sync',
				async () => {
					const list = (await c.executions({ workflowId: wf.id }, 50)).filter((e) => ['success', 'error', 'crashed'].includes(e.status));
					return list.length >= 2 ? list : undefined;
				},
				120_000,
			);
			const ordered = [...runs].sort((a, b) => Number(a.id) - Number(b.id));
			const first = await c.execution(ordered[0].id);
			const second = await c.execution(ordered[1].id);
			expect(first.status).toBe('success');
			expect(second.status).toBe('success');
			const s1 = nodeOutput(first, 'Sync Slack users')[0] as unknown as Summary;
			const s2 = nodeOutput(second, 'Sync Slack users')[0] as unknown as Summary;
			expect(s1.type).toBe('summary');
			expect(s1.complete).toBe(true);
			expect(s1.counts.failed).toBe(0);
			const written = s1.counts.created + s1.counts.updated;
			expect(written).toBeGreaterThanOrEqual(4); // the demo workspace's people with an email
			expect(s1.skippedByReason).toMatchObject({ bot: expect.any(Number), slackbot: 1 });
			// the second production run: everything unchanged, no import, one Brevo read (attributes)
			expect(s2.counts).toMatchObject({ created: 0, updated: 0, failed: 0, unchanged: written + s1.counts.unchanged });
			expect(s2.imports).toEqual([]);
			expect(s2.apiCalls.brevo).toBe(1);

			const ada = await brevo<{ listIds: number[]; attributes: Record<string, unknown> }>('contact', 'ada@example.com');
			expect(ada.listIds).toContain(slackUsersList);
			expect(ada.attributes).toMatchObject({ FIRSTNAME: 'Ada', LASTNAME: 'Lovelace', JOB_TITLE: 'Head of Growth', TIMEZONE: 'Europe/London' });
		} finally {
			await removeWorkflow(wf.id);
		}
	});
});

describe('examples/new-slack-member-to-brevo.json', () => {
	it('a signed team_join event makes the new member a Brevo contact', async () => {
		const ex = example('new-slack-member-to-brevo.json');
		expect(ex.active).toBe(true);
		const url = await webhookUrl(ex.id, 'Slack Interaction Trigger');
		const id = `UE2E${Date.now().toString(36).toUpperCase()}`.slice(0, 11);
		const email = `new-member-${Date.now()}@example.com`;
		const user = await slack('addUser', {
			id,
			name: 'newbie',
			real_name: 'Jan van der Berg',
			tz: 'Europe/Amsterdam',
			profile: { real_name: 'Jan van der Berg', display_name: 'jan', email, title: 'Designer', phone: '+31 6 12345678' },
		});
		const before = await executionIds(ex.id);
		const res = await slack<{ status: number }>('sendEvent', url, { type: 'team_join', user }, { signingSecret: state.signingSecret });
		expect(res.status).toBe(200);
		const execution = await waitForExecution(ex.id, before);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Upsert into Brevo')[0]).toMatchObject({ outcome: 'created', email });
		const contact = await brevo<{ attributes: Record<string, unknown> }>('contact', email);
		expect(contact.attributes).toMatchObject({ FIRSTNAME: 'Jan', LASTNAME: 'van der Berg', JOB_TITLE: 'Designer' });
		expect(String(contact.attributes.SMS)).toMatch(/31612345678$/);
	});
});

describe('examples/button-click-add-to-list.json', () => {
	it('a signed button click adds the clicker to the Newsletter list and starts the automation', async () => {
		const ex = example('button-click-add-to-list.json');
		expect(ex.active).toBe(true);
		const url = await webhookUrl(ex.id, 'Slack Interaction Trigger');
		const newsletter = state.demo.brevo?.lists.newsletter;
		const eventsBefore = (await brevo<unknown[]>('events')).length;
		const payload = await slack('buildBlockActions', { user: 'U0DEMO0GRC', actionId: 'subscribe_newsletter', value: 'weekly' });
		const before = await executionIds(ex.id);
		const res = await slack<{ status: number }>('sendInteraction', url, payload, { signingSecret: state.signingSecret });
		expect(res.status).toBe(200);
		const execution = await waitForExecution(ex.id, before);
		expect(execution.status).toBe('success');
		// the demo account seeds grace in the Newsletter list: Brevo answers 400 "already in list and/or does not
		// exist", which is a success here (a brand-new clicker: brevo-actions.e2e.ts)
		expect(nodeOutput(execution, 'Add to Newsletter')).toEqual([
			expect.objectContaining({ email: 'grace@example.com', added: false, inList: true, alreadyInList: true }),
		]);
		const grace = await brevo<{ listIds: number[] }>('contact', 'grace@example.com');
		expect(grace.listIds).toContain(newsletter);
		const events = (await brevo<Array<{ event_name: string; identifiers: Record<string, string>; event_properties: Record<string, unknown> }>>('events')).slice(eventsBefore);
		expect(events).toEqual([
			expect.objectContaining({
				event_name: 'slack_newsletter_signup',
				identifiers: { email_id: 'grace@example.com' },
				event_properties: expect.objectContaining({ action_id: 'subscribe_newsletter', value: 'weekly' }),
			}),
		]);
	});
});
