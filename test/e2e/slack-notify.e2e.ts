/**
 * Slack Notify in a real n8n (2.40.x) with the packed package: the shipped notification examples published and driven
 * over HTTP by the emulators (Brevo calling the Brevo Event Trigger, Slack calling the Slack Interaction Trigger), the
 * thread key -> thread mapping kept across executions AND across an n8n restart (workflow static data saved by n8n,
 * Slack message metadata), the digest, routing, and Brevo link unfurling.
 */
import { randomUUID } from 'node:crypto';

import { brevo, channel, e2e, example, executionIds, restartN8n, slack, waitFor, waitForExecution, webhookUrl } from './support';

const state = e2e();

interface SlackMessage {
	ts: string;
	thread_ts?: string;
	text?: string;
	blocks?: unknown[];
	metadata?: { event_type?: string };
}

async function messages(name: 'marketing' | 'sales' | 'support' | 'alerts'): Promise<SlackMessage[]> {
	return await slack<SlackMessage[]>('messages', channel(name));
}

/** Calls an automation-style Brevo trigger (shared secret in its header) and waits for the workflow's execution. */
async function callBrevoTrigger(file: string, body: object) {
	const ex = example(file);
	expect(ex.active).toBe(true);
	const secret = ex.secrets['Brevo Event Trigger.sharedSecret'];
	expect(secret).toBeTruthy();
	const url = await webhookUrl(ex.id, 'Brevo Event Trigger');
	const before = await executionIds(ex.id);
	const res = await brevo<{ status: number }>('post', url, body, { headers: { 'x-brevo-secret': secret } });
	expect(res.status).toBe(200);
	const execution = await waitForExecution(ex.id, before);
	expect(execution.status).toBe('success');
	return execution;
}

/** The Brevo webhook n8n registered for an example (marketing type), delivered to by the Brevo emulator. */
async function registeredHook(file: string): Promise<number> {
	const ex = example(file);
	const url = await webhookUrl(ex.id, 'Brevo Event Trigger');
	const hooks = await brevo<Array<{ id: number; url: string; type: string }>>('webhooks');
	const hook = hooks.find((h) => h.url === url && h.type === 'marketing');
	if (!hook) throw new Error(`no marketing webhook registered for ${url}`);
	return hook.id;
}

describe('examples/cart-abandoned-to-sales.json: one thread per customer', () => {
	it('starts a thread, replies in it in a later execution, and still after n8n restarts', async () => {
		const email = `cart-${Date.now()}@example.com`;
		const before = (await messages('sales')).length;
		await callBrevoTrigger('cart-abandoned-to-sales.json', await brevo('buildEvent', 'cart', { email, cartId: 'c-1', total: 120 }));
		await callBrevoTrigger('cart-abandoned-to-sales.json', await brevo('buildEvent', 'cart', { email, cartId: 'c-2', total: 35 }));
		let mine = (await messages('sales')).slice(before).filter((m) => String(m.text).includes(email));
		expect(mine).toHaveLength(2);
		const parent = mine[0];
		expect(parent.metadata?.event_type).toBe('slack_brevo_thread');
		expect(mine[1].thread_ts).toBe(parent.ts);

		await restartN8n();
		await waitFor('the example to be active again', async () => (await webhookUrl(example('cart-abandoned-to-sales.json').id, 'Brevo Event Trigger')) || undefined);
		await callBrevoTrigger('cart-abandoned-to-sales.json', await brevo('buildEvent', 'cart', { email, cartId: 'c-3', total: 60 }));
		mine = (await messages('sales')).slice(before).filter((m) => String(m.text).includes(email));
		expect(mine).toHaveLength(3);
		expect(mine[2].thread_ts).toBe(parent.ts);
	});
});

describe('examples/ticket-to-support.json', () => {
	it('a Conversations chat becomes a ticket alert in #support', async () => {
		const id = `conv-${Date.now()}`;
		await callBrevoTrigger('ticket-to-support.json', await brevo('buildEvent', 'conversationStarted', { conversationId: id, text: 'Where is my parcel?' }));
		const m = (await messages('support')).find((x) => String(x.text).includes(id));
		expect(m).toBeDefined();
		expect(JSON.stringify(m!.blocks)).toContain('Where is my parcel?');
		expect(JSON.stringify(m!.blocks)).toContain('View in Brevo');
	});
});

describe('examples/unsubscribe-alert.json and examples/brevo-events-routed.json (webhooks registered by n8n)', () => {
	it('unsubscribes reach #marketing', async () => {
		const ex = example('unsubscribe-alert.json');
		const hookId = await registeredHook('unsubscribe-alert.json');
		const before = await executionIds(ex.id);
		const email = `bye-${Date.now()}@example.com`;
		await brevo('deliverWebhook', hookId, await brevo('buildEvent', 'marketing.unsubscribed', { email, campaignName: 'Autumn' }), { retry: false });
		expect((await waitForExecution(ex.id, before)).status).toBe('success');
		const m = (await messages('marketing')).find((x) => JSON.stringify(x.blocks ?? []).includes(email));
		expect(m?.text).toBe('1 Brevo notification: 1 unsubscribe');
	});

	it('the routing table sends a hard bounce to #alerts', async () => {
		const ex = example('brevo-events-routed.json');
		const hookId = await registeredHook('brevo-events-routed.json');
		const before = await executionIds(ex.id);
		const email = `bounce-${Date.now()}@example.com`;
		await brevo('deliverWebhook', hookId, await brevo('buildEvent', 'marketing.hard_bounce', { email }), { retry: false });
		expect((await waitForExecution(ex.id, before)).status).toBe('success');
		expect((await messages('alerts')).map((m) => m.text)).toContain(`Brevo hardBounce: ${email}`);
	});
});

describe('examples/link-unfurl.json', () => {
	it('a Brevo contact link shared in Slack gets a preview', async () => {
		const ex = example('link-unfurl.json');
		expect(ex.active).toBe(true);
		const contact = await brevo<{ id: number }>('addContact', { email: `unfurl-${Date.now()}@example.com`, attributes: { FIRSTNAME: 'Unfurla' } });
		const url = await webhookUrl(ex.id, 'Slack Interaction Trigger');
		const before = await executionIds(ex.id);
		const event = await slack('buildLinkSharedEvent', { channel: channel('sales'), links: [`https://app.brevo.com/contact/index/${contact.id}`] });
		const res = await slack<{ status: number }>('sendEvent', url, event, { signingSecret: state.signingSecret });
		expect(res.status).toBe(200);
		expect((await waitForExecution(ex.id, before)).status).toBe('success');
		const unfurls = await slack<unknown[]>('unfurls');
		expect(JSON.stringify(unfurls)).toContain('Unfurla');
	});
});

describe('every other operation, in workflows started by real Slack requests', () => {
	const created: string[] = [];
	afterAll(async () => {
		const { removeWorkflow } = await import('./support');
		for (const id of created) await removeWorkflow(id).catch(() => undefined);
	});

	const SLACK = { slackBrevoBotApi: { id: 'slack-bot', name: 'Slack bot (emulator)' } };
	const SIGNING = { slackBrevoSigningSecretApi: { id: 'slack-signing', name: 'Slack signing secret (emulator)' } };
	const NOTIFY = `${state.pkg.name}.slackNotify`;

	async function publish(name: string, trigger: Record<string, unknown>, steps: Array<Record<string, unknown>>) {
		const unique = `${name}-${Date.now().toString(36)}`;
		const nodes = [
			{ id: randomUUID(), name: 'Slack Interaction Trigger', type: `${state.pkg.name}.slackInteractionTrigger`, typeVersion: 1, position: [0, 0], parameters: trigger, credentials: SIGNING, webhookId: randomUUID() },
			...steps.map((p, k) => ({ id: randomUUID(), name: `Step ${k + 1}`, type: NOTIFY, typeVersion: 1, position: [(k + 1) * 220, 0], parameters: p, credentials: SLACK })),
		];
		const names = nodes.map((n) => n.name);
		const connections = Object.fromEntries(names.slice(0, -1).map((n, k) => [n, { main: [[{ node: names[k + 1], type: 'main', index: 0 }]] }]));
		const c = await (await import('./support')).n8n();
		const wf = await c.createWorkflow({ name: unique, nodes, connections, settings: { executionOrder: 'v1' } });
		created.push(wf.id);
		await c.activateWorkflow(wf.id);
		return { id: wf.id, url: await webhookUrl(wf.id, 'Slack Interaction Trigger') };
	}

	it('button click: mark the clicked message done (response_url), react, reply ephemeral, then post, update and delete a message', async () => {
		const sales = channel('sales');
		const trig = "$('Slack Interaction Trigger').item.json";
		const wf = await publish('companions', { payloadTypes: ['block_actions'], filters: { actionIds: 'e2e_approve' }, options: {} }, [
			{ operation: 'markDone', via: 'responseUrl', responseUrl: '={{ $json.response_url }}', originalBlocks: '={{ JSON.stringify($json.raw.message.blocks) }}', actionId: '={{ $json.action.action_id }}', doneText: '=:white_check_mark: Approved by <@{{ $json.user.id }}>', mode: 'actionsBlock' },
			{ operation: 'react', channel: { __rl: true, mode: 'id', value: `={{ ${trig}.channel.id }}` }, ts: `={{ ${trig}.message.ts }}`, emoji: 'white_check_mark' },
			{ operation: 'respond', responseUrl: `={{ ${trig}.response_url }}`, responseAction: 'reply', responseType: 'ephemeral', content: 'text', text: 'Thanks, noted.' },
			{ operation: 'send', defaultChannel: { __rl: true, mode: 'name', value: '#sales' }, content: 'text', text: '=e2e temp {{ ' + trig + '.message.ts }}', options: {} },
			{ operation: 'update', channel: { __rl: true, mode: 'id', value: '={{ $json.channel }}' }, ts: '={{ $json.ts }}', content: 'text', text: 'e2e updated' },
			{ operation: 'delete', channel: { __rl: true, mode: 'id', value: '={{ $json.channel }}' }, ts: '={{ $json.ts }}' },
		]);
		const { WebClient } = await import('@slack/web-api');
		const web = new WebClient(state.slack.botToken, { slackApiUrl: state.slack.apiUrl });
		const msg = await web.chat.postMessage({
			channel: sales,
			text: 'Approve order E2E?',
			blocks: [
				{ type: 'section', text: { type: 'mrkdwn', text: 'Approve order E2E?' } },
				{ type: 'actions', elements: [{ type: 'button', action_id: 'e2e_approve', text: { type: 'plain_text', text: 'Approve' }, value: 'E2E' }] },
			],
		});
		const before = await executionIds(wf.id);
		const click = await slack('buildBlockActions', { channel: sales, messageTs: msg.ts, actions: [{ action_id: 'e2e_approve' }] });
		const answer = await slack<{ status: number }>('sendInteraction', wf.url, click, { signingSecret: state.signingSecret });
		expect(answer.status).toBe(200);
		const execution = await waitForExecution(wf.id, before);
		expect(execution.status).toBe('success');
		const all = await messages('sales');
		const clicked = all.find((m) => m.ts === msg.ts) as SlackMessage & { reactions?: Array<{ name: string }> };
		expect(JSON.stringify(clicked.blocks)).toContain(':white_check_mark: Approved by');
		expect(JSON.stringify(clicked.blocks)).not.toContain('e2e_approve');
		expect(clicked.reactions?.map((r) => r.name)).toContain('white_check_mark');
		const effects = await slack<Array<{ kind: string }>>('responseEffects');
		expect(effects.map((e) => e.kind)).toEqual(expect.arrayContaining(['replaced', 'ephemeral']));
		expect(all.some((m) => String(m.text).startsWith('e2e temp') || m.text === 'e2e updated')).toBe(false);
		expect((await slack<Array<{ apiMethod: string }>>('requests', { method: 'chat.delete' })).length).toBeGreaterThan(0);
	});

	it('global shortcut: open a modal with the trigger_id; slash command: connection check lines', async () => {
		const modal = await publish('modal', { payloadTypes: ['shortcut'], filters: { callbackIds: 'e2e_form' }, options: {} }, [
			{ operation: 'modal', modalAction: 'open', triggerId: '={{ $json.trigger_id }}', view: JSON.stringify({ type: 'modal', callback_id: 'e2e_form_view', title: { type: 'plain_text', text: 'E2E form' }, submit: { type: 'plain_text', text: 'Save' }, blocks: [{ type: 'input', block_id: 'email', label: { type: 'plain_text', text: 'Email' }, element: { type: 'plain_text_input', action_id: 'value' } }] }) },
		]);
		const before = await executionIds(modal.id);
		const shortcut = await slack('buildShortcut', { callbackId: 'e2e_form' });
		expect((await slack<{ status: number }>('sendInteraction', modal.url, shortcut, { signingSecret: state.signingSecret })).status).toBe(200);
		expect((await waitForExecution(modal.id, before)).status).toBe('success');
		const views = await slack<Array<{ callback_id: string }>>('views');
		expect(views.map((v) => v.callback_id)).toContain('e2e_form_view');

		const check = await publish('check', { payloadTypes: ['slash_command'], filters: { commands: '/e2echeck' }, options: {} }, [
			{ operation: 'checkConnection', checkChannels: '#sales, #support' },
		]);
		const before2 = await executionIds(check.id);
		const fields = await slack<Record<string, string>>('buildSlashCommand', { command: '/e2echeck' });
		expect((await slack<{ status: number }>('sendSlashCommand', check.url, fields, { signingSecret: state.signingSecret })).status).toBe(200);
		const run = await waitForExecution(check.id, before2);
		expect(run.status).toBe('success');
		const { nodeOutput } = await import('./support');
		const lines = nodeOutput(run, 'Step 1');
		expect(lines.find((l) => l.check === 'Bot token valid')?.status).toBe('pass');
		expect(lines.find((l) => l.check === 'Can post in #sales')?.status).toBe('pass');
	});
});

describe('digest of 1,000 events for one channel, in n8n (issue 12: msg_blocks_too_long)', () => {
	let workflowId = '';
	afterAll(async () => {
		const { removeWorkflow } = await import('./support');
		if (workflowId) await removeWorkflow(workflowId).catch(() => undefined);
	});

	it('every event is delivered, in messages that each stay under Slack\'s total block text', async () => {
		const { WebClient } = await import('@slack/web-api');
		const { messageBlocksSize, MAX_MESSAGE_BLOCKS_TEXT } = await import('../emulators/slack/blocks');
		const { n8n, post, webhookTrigger, waitForExecution: waitExecution } = await import('./support');
		const run = Date.now().toString(36);
		const bot = await new WebClient(state.slack.botToken, { slackApiUrl: state.slack.apiUrl }).auth.test();
		const digestChannel = (await slack<{ id: string }>('addChannel', { name: `digest-e2e-${run}`, members: [bot.user_id] })).id;
		const path = `digest-e2e-${run}`;
		const c = await n8n();
		const wf = await c.createWorkflow({
			name: `Digest e2e ${run}`,
			nodes: [
				webhookTrigger(path),
				{
					id: randomUUID(), name: 'Events', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0],
					parameters: { jsCode: "return Array.from({ length: 1000 }, (_, i) => ({ json: { event: 'list_addition', email: `digest-e2e-${i}@example.com`, contact_id: 500000 + i } }));" },
				},
				{
					id: randomUUID(), name: 'Slack Notify', type: `${state.pkg.name}.slackNotify`, typeVersion: 1, position: [440, 0],
					parameters: { operation: 'send', defaultChannel: { __rl: true, mode: 'id', value: digestChannel }, content: 'template', template: 'auto', digest: 'single' },
					credentials: { slackBrevoBotApi: { id: 'slack-bot', name: 'Slack bot (emulator)' } },
				},
			],
			connections: { Webhook: { main: [[{ node: 'Events', type: 'main', index: 0 }]] }, Events: { main: [[{ node: 'Slack Notify', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		workflowId = wf.id;
		await c.activateWorkflow(wf.id);
		const before = await executionIds(wf.id);
		const url = await webhookUrl(wf.id, 'Webhook');
		expect((await post(url, '{}', { 'content-type': 'application/json' })).status).toBe(200);
		const execution = await waitExecution(wf.id, before, 180_000);
		expect(execution.status).toBe('success');
		const posted = await slack<SlackMessage[]>('messages', digestChannel);
		expect(posted.length).toBeGreaterThan(1);
		for (const m of posted) expect(messageBlocksSize(m.blocks)).toBeLessThanOrEqual(MAX_MESSAGE_BLOCKS_TEXT);
		const found = posted.flatMap((m) => [...JSON.stringify(m.blocks ?? []).matchAll(/digest-e2e-(\d+)@example\.com/g)].map((x) => Number(x[1])));
		expect(found).toEqual(Array.from({ length: 1000 }, (_, i) => i));
	});
});
