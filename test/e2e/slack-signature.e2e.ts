/**
 * Slack's request signing, enforced by the real server: unsigned, wrongly signed, tampered and stale requests to a
 * published Slack Interaction Trigger get 401 and start no execution; the genuine click from the Slack emulator is
 * answered 200 and runs the workflow.
 */
import { brevo, channel, e2e, example, executionIds, nodeOutput, post, slack, slackSignature, waitForExecution, webhookUrl } from './support';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('Slack Interaction Trigger in n8n: signed requests only', () => {
	const ex = example('slack-button-to-brevo-contact.json');
	let url: string;
	let payload: Record<string, unknown>;
	let body: string;

	beforeAll(async () => {
		url = await webhookUrl(ex.id, 'Slack Interaction Trigger');
		await brevo('addAttribute', { name: 'LEAD_STATUS', category: 'normal', type: 'text' });
		payload = await slack('buildBlockActions', {
			user: 'U0DEMO0ADA',
			channel: channel('sales'),
			actions: [{ action_id: 'lead_vip', type: 'button', value: 'grace@example.com', text: 'VIP' }],
		});
		body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
	});

	test('rejected requests get 401 and start nothing; the genuine click runs the workflow', async () => {
		const { signingSecret } = e2e();
		const before = await executionIds(ex.id);
		const now = Math.floor(Date.now() / 1000);

		const unsigned = await post(url, body, FORM);
		expect(unsigned.status).toBe(401);

		const wrongSecret = await post(url, body, { ...FORM, ...slackSignature(body, 'not-the-signing-secret') });
		expect(wrongSecret.status).toBe(401);

		const tamperedBody = body.replace(encodeURIComponent('grace@example.com'), encodeURIComponent('mallory@example.com'));
		expect(tamperedBody).not.toBe(body);
		const tampered = await post(url, tamperedBody, { ...FORM, ...slackSignature(body, signingSecret) });
		expect(tampered.status).toBe(401);

		const stale = await slack('sendInteraction', url, payload, { signingSecret, timestamp: now - 6 * 60 });
		expect(stale.status).toBe(401);
		const future = await slack('sendInteraction', url, payload, { signingSecret, timestamp: now + 6 * 60 });
		expect(future.status).toBe(401);

		const genuine = await slack('sendInteraction', url, payload, { signingSecret });
		expect(genuine.status).toBe(200);

		// The genuine request came last: once its execution has finished, any execution a rejected request had
		// started would be recorded already. Exactly one new execution means none of them started one.
		const execution = await waitForExecution(ex.id, before);
		const after = await executionIds(ex.id);
		expect([...after].filter((id) => !before.has(id))).toEqual([execution.id]);

		expect(execution.status).toBe('success');
		const [click] = nodeOutput(execution, 'Slack Interaction Trigger');
		expect(click).toEqual(expect.objectContaining({ action: expect.objectContaining({ value: 'grace@example.com' }) }));
		// where users see it: the contact in Brevo, the clicked message in Slack
		const contact = await brevo('contact', 'grace@example.com');
		expect(contact.attributes.LEAD_STATUS).toBe('VIP');
		const effects: Array<{ body: { text?: string; replace_original?: boolean } }> = await slack('responseEffects');
		expect(effects.some((e) => e.body.replace_original === true && /VIP/.test(e.body.text ?? ''))).toBe(true);
	});
});
