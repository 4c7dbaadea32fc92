/**
 * The package behind an HTTPS egress proxy, with the DEFAULT base URLs. n8n runs with HTTPS_PROXY pointing at the
 * suite's TLS-terminating proxy (test/e2e/proxy.ts), NO_PROXY=127.0.0.1,localhost and NODE_EXTRA_CA_CERTS trusting
 * its throwaway CA. The credentials `slack-bot-proxy` (https://slack.com/api/) and `brevo-key-proxy`
 * (https://api.brevo.com/v3) reach the emulators only through that proxy: a call that ignores HTTPS_PROXY tries the
 * real hosts and fails (no route to them from here), and the proxy's log shows exactly which calls went through it.
 *
 * Covered: both credentials' connection tests (n8n's own REST `POST /rest/credentials/test`); one workflow with
 * Slack Notify (send to #marketing, react, update), Brevo for Slack (contact upsert, list add) and Slack Schedule
 * (schedule a message, the marketing summary that reads Brevo and posts to Slack); the Brevo Event Trigger's webhook
 * registration on publish and its removal on unpublish.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';

import { brevo, channel, e2e, egressProxy, executionIds, n8n, nodeOutput, post, removeWorkflow, slack, waitForExecution, webhookUrl, type ExecutionData, webhookTrigger } from './support';
import type { ForwardedCall, RefusedCall } from './proxy';

const state = e2e();
const SLACK = { slackBrevoBotApi: { id: 'slack-bot-proxy', name: 'Slack bot (default URL, via proxy)' } };
const BREVO = { slackBrevoBrevoApi: { id: 'brevo-key-proxy', name: 'Brevo key (default URL, via proxy)' } };

/** The proxy's log from a mark on: `host METHOD path status` per forwarded call. */
async function forwardedSince(mark: number): Promise<ForwardedCall[]> {
	return (await egressProxy<ForwardedCall[]>('forwarded')).slice(mark);
}

const line = (c: ForwardedCall) => `${c.host} ${c.method} ${c.path.split('?')[0]} ${c.status}`;

/** Refusals that concern the package's hosts (other egress of n8n itself is refused too, and is not our concern). */
async function refusedOurs(): Promise<RefusedCall[]> {
	return (await egressProxy<RefusedCall[]>('refused')).filter((r) => /(^|[/.])(slack\.com|brevo\.com)\b/.test(r.target));
}

/**
 * Status plus the reason, so a failure names it: the node errors and any network error code they carry (ENOTFOUND
 * slack.com when a call ignored HTTPS_PROXY and tried the real host; a certificate code when the CA was not trusted).
 */
function outcome(execution: { status: string; data: ExecutionData }) {
	const { resultData } = execution.data;
	const nodeErrors = Object.entries(resultData.runData)
		.filter(([, runs]) => runs.some((r) => r.error))
		.map(([name, runs]) => `${name}: ${runs.find((r) => r.error)!.error!.message}`);
	const codes = [...new Set(JSON.stringify(resultData.error ?? {}).match(/\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPROTO|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|ERR_TLS_CERT_ALTNAME_INVALID|CERT_HAS_EXPIRED)\b/g) ?? [])];
	return { status: execution.status, error: resultData.error ? `${resultData.lastNodeExecuted}: ${resultData.error.message}${resultData.error.description ? ` (${resultData.error.description})` : ''}` : undefined, nodeErrors, codes };
}

describe('behind an HTTPS egress proxy, with the default base URLs', () => {
	const created: string[] = [];
	afterAll(async () => {
		for (const id of created) await removeWorkflow(id).catch(() => undefined);
	});

	test('n8n runs behind the proxy and the package credentials exist with the default URLs', async () => {
		expect(state.proxy).toEqual(expect.objectContaining({ hosts: ['slack.com', 'api.brevo.com'] }));
		const ids = (await (await n8n()).credentials()).map((c) => c.id);
		expect(ids).toEqual(expect.arrayContaining(['slack-bot-proxy', 'brevo-key-proxy']));
	});

	test('the credentials connection tests (POST /rest/credentials/test) reach Slack and Brevo through the proxy', async () => {
		const c = await n8n();
		const mark = (await egressProxy<unknown[]>('forwarded')).length;
		for (const id of ['slack-bot-proxy', 'brevo-key-proxy']) {
			// what the editor sends: the stored credential with its (redacted) data, which n8n restores before testing
			const stored = await c.request<{ id: string; name: string; type: string; data: Record<string, unknown> }>('GET', `/rest/credentials/${id}?includeData=true`);
			expect(stored.data.baseUrl).toBe(id === 'slack-bot-proxy' ? 'https://slack.com/api/' : 'https://api.brevo.com/v3');
			const result = await c.request<{ status: string; message: string }>('POST', '/rest/credentials/test', {
				credentials: { id: stored.id, name: stored.name, type: stored.type, data: stored.data },
			});
			expect([id, result]).toEqual([id, expect.objectContaining({ status: 'OK' })]);
		}
		expect((await forwardedSince(mark)).map(line)).toEqual(['slack.com POST /api/auth.test 200', 'api.brevo.com GET /v3/account 200']);
	});

	test('one workflow: Slack Notify, Brevo for Slack and Slack Schedule make every call through the proxy', async () => {
		const lists = state.demo.brevo!.lists as Record<string, number>;
		const marketing = channel('marketing');
		const stamp = Date.now().toString(36);
		const email = `proxy.${stamp}@example.com`;
		const text = `Via the egress proxy ${stamp}`;
		const campaign = `E2E proxy campaign ${stamp}`;
		const zone = 'Europe/Paris';
		const sentDate = DateTime.now().setZone(zone).startOf('day').minus({ days: 1 }).plus({ hours: 10 }).toUTC().toISO();
		await brevo('addCampaign', { name: campaign, status: 'sent', sentDate, stats: { sent: 200, delivered: 196, uniqueViews: 98, uniqueClicks: 20, unsubscriptions: 1 } });

		const body = "$('Webhook').item.json.body";
		const sent = "$('Send to #marketing').item.json";
		let x = 0;
		const node = (name: string, type: string, parameters: Record<string, unknown>, credentials: Record<string, unknown>) => ({
			id: randomUUID(),
			name,
			type: `${state.pkg.name}.${type}`,
			typeVersion: 1,
			position: [(x += 220), 0],
			parameters,
			credentials,
		});
		const steps = [
			node('Send to #marketing', 'slackNotify', { operation: 'send', defaultChannel: { __rl: true, mode: 'name', value: '#marketing' }, content: 'text', text: `={{ ${body}.text }}`, options: {} }, SLACK),
			node('React', 'slackNotify', { operation: 'react', channel: { __rl: true, mode: 'id', value: `={{ ${sent}.channel }}` }, ts: `={{ ${sent}.ts }}`, emoji: 'white_check_mark' }, SLACK),
			node('Update', 'slackNotify', { operation: 'update', channel: { __rl: true, mode: 'id', value: `={{ ${sent}.channel }}` }, ts: `={{ ${sent}.ts }}`, content: 'text', text: `={{ ${body}.text }} (updated)` }, SLACK),
			node('Upsert contact', 'brevoForSlack', { resource: 'contact', operation: 'upsert', email: `={{ ${body}.email }}`, attributes: { attribute: [{ name: 'FIRSTNAME', value: 'Proxy' }] }, listIds: [lists.customers] }, BREVO),
			node('Add to newsletter', 'brevoForSlack', { resource: 'list', operation: 'add', listId: lists.newsletter, email: `={{ ${body}.email }}` }, BREVO),
			node('Schedule', 'slackSchedule', { resource: 'scheduledMessage', operation: 'schedule', defaultChannel: { __rl: true, mode: 'id', value: marketing }, content: 'text', text: `={{ ${body}.text }} (scheduled)`, when: 'in', amount: 90, unit: 'days' }, SLACK),
			node(
				'Marketing Summary',
				'slackSchedule',
				{
					resource: 'summary',
					operation: 'build',
					period: 'yesterday',
					timeZoneSource: 'zone',
					timeZone: zone,
					includeNewContacts: true,
					revenueSource: 'none',
					title: `Proxy summary ${stamp}`,
					maxCampaigns: 10,
					brevoAppUrl: 'https://app.brevo.com',
					deliver: 'post',
					channel: { __rl: true, mode: 'name', value: '#marketing' },
				},
				{ ...SLACK, ...BREVO },
			),
		];
		const trigger = webhookTrigger(`proxy-e2e-${stamp}`);
		const names = [trigger.name, ...steps.map((s) => s.name)];
		const connections = Object.fromEntries(names.slice(0, -1).map((n, k) => [n, { main: [[{ node: names[k + 1], type: 'main', index: 0 }]] }]));
		const c = await n8n();
		const wf = await c.createWorkflow({ name: `E2E egress proxy ${stamp}`, nodes: [trigger, ...steps], connections, settings: { executionOrder: 'v1' } });
		created.push(wf.id);
		await c.activateWorkflow(wf.id);

		const mark = (await egressProxy<unknown[]>('forwarded')).length;
		const before = await executionIds(wf.id);
		const answer = await post(await webhookUrl(wf.id, 'Webhook'), JSON.stringify({ email, text }), { 'content-type': 'application/json' });
		expect(answer.status).toBe(200);
		const execution = await waitForExecution(wf.id, before, 120_000);
		expect(outcome(execution)).toEqual({ status: 'success', error: undefined, nodeErrors: [], codes: [] });

		// what users see in Slack
		const posted = (await slack<Array<{ ts: string; text: string; reactions?: Array<{ name: string }> }>>('messages', marketing)).find(
			(m) => m.ts === nodeOutput(execution, 'Send to #marketing')[0].ts,
		);
		expect(posted).toEqual(expect.objectContaining({ text: `${text} (updated)` }));
		expect(posted!.reactions?.map((r) => r.name)).toContain('white_check_mark');
		const scheduled = await slack<Array<{ text: string }>>('scheduled', marketing);
		expect(scheduled.some((m) => m.text === `${text} (scheduled)`)).toBe(true);
		const [summary] = nodeOutput(execution, 'Marketing Summary');
		expect(summary.posted).toBe(true);
		expect((summary.campaigns as Array<{ name: string }>).map((k) => k.name)).toContain(campaign);
		const summaryMessage = (await slack<Array<{ text: string; blocks?: unknown[] }>>('messages', marketing)).find((m) => String(m.text).startsWith(`Proxy summary ${stamp}`));
		expect(JSON.stringify(summaryMessage?.blocks)).toContain(campaign);
		// and in Brevo
		const contact = await brevo<{ listIds: number[]; attributes: Record<string, unknown> } | undefined>('contact', email);
		expect(contact?.attributes).toMatchObject({ FIRSTNAME: 'Proxy' });
		expect(contact?.listIds).toEqual(expect.arrayContaining([lists.customers, lists.newsletter]));

		// every one of those calls went through the proxy, to both hosts
		const calls = (await forwardedSince(mark)).map(line);
		expect(calls).toEqual(
			expect.arrayContaining([
				'slack.com POST /api/chat.postMessage 200',
				'slack.com POST /api/reactions.add 200',
				'slack.com POST /api/chat.update 200',
				'slack.com POST /api/chat.scheduleMessage 200',
				'api.brevo.com POST /v3/contacts 201',
				`api.brevo.com POST /v3/contacts/lists/${lists.newsletter}/contacts/add 201`,
				'api.brevo.com GET /v3/emailCampaigns 200',
			]),
		);
		expect(calls.filter((l) => l.startsWith('slack.com ')).length).toBeGreaterThanOrEqual(5);
		expect(calls.filter((l) => l.startsWith('api.brevo.com ')).length).toBeGreaterThanOrEqual(3);
		expect(await refusedOurs()).toEqual([]);
	});

	test('the Brevo Event Trigger registers its webhook on publish and deletes it on unpublish, through the proxy', async () => {
		const c = await n8n();
		const wf = await c.createWorkflow({
			name: `E2E egress proxy trigger ${Date.now().toString(36)}`,
			nodes: [
				{
					id: randomUUID(),
					name: 'Brevo Event Trigger',
					type: `${state.pkg.name}.brevoEventTrigger`,
					typeVersion: 1,
					position: [0, 0],
					parameters: { event: 'new_subscriber', listIds: [], options: {} },
					credentials: BREVO,
					webhookId: randomUUID(),
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
		created.push(wf.id);
		const mark = (await egressProxy<unknown[]>('forwarded')).length;
		await c.activateWorkflow(wf.id); // throws with the trigger's error when registration failed
		const url = await webhookUrl(wf.id, 'Brevo Event Trigger');
		const hooks = (await brevo<Array<{ id: number; url: string; type: string; events: string[] }>>('webhooks')).filter((h) => h.url.split('?')[0] === url);
		expect(hooks).toEqual([expect.objectContaining({ type: 'marketing', events: expect.arrayContaining(['listAddition']) })]);
		expect((await forwardedSince(mark)).map(line)).toEqual(expect.arrayContaining(['api.brevo.com GET /v3/webhooks 200', 'api.brevo.com POST /v3/webhooks 201']));

		const mark2 = (await egressProxy<unknown[]>('forwarded')).length;
		await c.deactivateWorkflow(wf.id);
		expect((await brevo<Array<{ url: string }>>('webhooks')).filter((h) => h.url.split('?')[0] === url)).toEqual([]);
		expect((await forwardedSince(mark2)).map(line)).toEqual(expect.arrayContaining([expect.stringMatching(/^api\.brevo\.com DELETE \/v3\/webhooks\/\d+ 204$/)]));
		expect(await refusedOurs()).toEqual([]);
	});
});
