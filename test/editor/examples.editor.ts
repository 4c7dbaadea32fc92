/**
 * Every workflow of examples/ opened in the editor (the copies globalSetup published): no node on the canvas shows
 * a warning, and no parameter of the package's nodes shows an issue in its panel. Then "Execute step" on a node fed
 * with pinned sample data, as a user tries a node, gives the output the node's README documents, for a
 * representative subset: Slack Notify's templated send (new-subscriber-to-marketing.json) and Slack Schedule's
 * marketing summary reading Brevo and posting to Slack (daily-marketing-summary.json).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from '../../scripts/lib/n8n-runtime';
import { channel, e2e, example, importCopy, n8n, nodeOutput, readExample, removeWorkflow, slack, waitFor } from '../e2e/support';
import { closeNdv, openEditor, openWorkflow, parameterIssues, screenshot, type Editor } from './browser';

let editor: Editor;
const created: string[] = [];

beforeAll(async () => {
	editor = await openEditor();
});

afterAll(async () => {
	await editor?.close();
	for (const id of created) await removeWorkflow(id).catch(() => undefined);
});

const files = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.json')).sort();

it('there are examples to open', () => {
	expect(files.length).toBeGreaterThan(0);
});

it.each(files.map((f) => [f]))('%s: no node shows a warning and every parameter of the package nodes resolves', async (file) => {
	const { page } = editor;
	const ex = example(file);
	await openWorkflow(page, ex.id);
	const canvas = page.locator('[data-test-id=canvas-node]');
	const json = readExample(file);
	const expectedNodes = (json.nodes as Array<{ type: string }>).filter((n) => n.type !== 'n8n-nodes-base.stickyNote').length;
	await waitFor('the canvas draws every node', async () => (await canvas.count()) >= expectedNodes || undefined);
	await screenshot(page, `example-${file.replace(/\.json$/, '')}.png`);
	const warned = await page.locator('[data-test-id=canvas-node]:has([data-test-id=canvas-node-status-warning]), [data-test-id=canvas-node]:has([data-test-id=node-issues])').evaluateAll((els) =>
		els.map((e) => e.getAttribute('data-node-name')),
	);
	expect(warned).toEqual([]);
	const problems: string[] = [];
	for (const node of (json.nodes as Array<{ name: string; type: string }>).filter((n) => n.type.startsWith(`${e2e().pkg.name}.`))) {
		await page.locator(`[data-test-id=canvas-node][data-node-name="${node.name}"]`).dblclick();
		await page.locator('[data-test-id=ndv] [data-test-id=node-parameters]').waitFor();
		for (const issue of await parameterIssues(page)) problems.push(`${node.name}: ${issue}`);
		await closeNdv(page);
	}
	expect(problems).toEqual([]);
});

/** Opens the workflow, the node's panel, clicks "Execute step" and returns the items of the manual execution. */
async function executeStep(workflowId: string, nodeName: string): Promise<Array<Record<string, unknown>>> {
	const { page } = editor;
	const client = await n8n();
	const before = new Set((await client.executions({ workflowId })).map((e) => e.id));
	await openWorkflow(page, workflowId);
	await page.locator(`[data-test-id=canvas-node][data-node-name="${nodeName}"]`).dblclick();
	await page.locator('[data-test-id=ndv]').waitFor();
	await page.locator('[data-test-id=ndv] [data-test-id=node-execute-button]').click();
	const run = await waitFor(`the manual execution of ${nodeName}`, async () => (await client.executions({ workflowId })).find((e) => !before.has(e.id) && e.status !== 'running' && e.status !== 'new'), 120_000);
	// the output panel shows the items, as the user sees them
	await page.locator('[data-test-id=output-panel]').getByText('1 item').first().waitFor({ timeout: 60_000 });
	await screenshot(page, `execute-step-${nodeName.replace(/\W+/g, '-')}.png`, page.locator('[data-test-id=ndv]'));
	expect(run.status).toBe('success');
	await closeNdv(page);
	return nodeOutput(await client.execution(run.id), nodeName);
}

it('new-subscriber-to-marketing.json: "Execute step" on Slack Notify with a pinned new_subscriber item posts the subscriber alert to #marketing', async () => {
	const email = `editor-step-${Date.now()}@example.com`;
	// the Brevo Event Trigger's documented output item (nodes/BrevoEventTrigger/README.md, Output)
	const item = {
		event: 'new_subscriber',
		brevoEvent: 'list_addition',
		source: 'marketing_webhook',
		occurredAt: '2026-07-01T10:00:00.000Z',
		contact: { email, id: 42, attributes: { FIRSTNAME: 'Ana' } },
		campaign: null,
		order: null,
		ticket: null,
		lists: [2],
		link: null,
		tags: [],
	};
	const wf = await importCopy('new-subscriber-to-marketing.json', {
		name: 'Editor execute step',
		activate: false,
		mutate: (w) => {
			w.pinData = { 'Brevo Event Trigger': [{ json: item }] };
		},
	});
	created.push(wf.id);
	const [out] = await executeStep(wf.id, 'Slack Notify');
	expect(out).toMatchObject({ ok: true, channel: channel('marketing'), channelName: 'marketing', template: 'subscriber_alert', ts: expect.any(String) });
	const posted = (await slack<Array<Record<string, unknown>>>('messages', channel('marketing'))).filter((m) => JSON.stringify(m).includes(email));
	expect(posted).toHaveLength(1);
	expect(posted[0].ts).toBe(out.ts);
});

it('daily-marketing-summary.json: "Execute step" on Marketing Summary with a pinned schedule item posts the digest to #marketing', async () => {
	const wf = await importCopy('daily-marketing-summary.json', {
		name: 'Editor execute step summary',
		activate: false,
		mutate: (w) => {
			w.pinData = { 'Schedule Trigger': [{ json: { timestamp: new Date().toISOString(), 'Day of week': 'Monday', Timezone: 'Europe/Paris (UTC+01:00)' } }] };
		},
	});
	created.push(wf.id);
	const [out] = await executeStep(wf.id, 'Marketing Summary');
	// README (Marketing Summary): the period, campaigns, totals, new contacts, the message, the delivery (`ts`), stats.brevoCalls
	expect(out).toEqual(
		expect.objectContaining({
			period: expect.objectContaining({ timeZone: 'Europe/Paris', label: expect.stringMatching(/^Yesterday/) }),
			campaigns: expect.any(Array),
			totals: expect.objectContaining({ sent: expect.any(Number), delivered: expect.any(Number) }),
			newContacts: expect.any(Number),
			message: expect.objectContaining({ blocks: expect.any(Array) }),
			posted: true,
			channel: channel('marketing'),
			ts: expect.any(String),
			stats: expect.objectContaining({ brevoCalls: expect.any(Number) }),
		}),
	);
	const ts = out.ts as string;
	const posted = (await slack<Array<Record<string, unknown>>>('messages', channel('marketing'))).filter((m) => m.ts === ts);
	expect(posted).toHaveLength(1);
	expect(JSON.stringify(posted[0])).toContain('Daily marketing summary');
});
