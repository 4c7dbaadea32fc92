/**
 * One command per example that makes the emulators act toward n8n as Slack or Brevo would (a signed button click,
 * a signed Events API delivery, a Brevo webhook delivery with its registered auth, an automation call), so a
 * newcomer sees the workflow run and a message land in the Slack emulator. Payloads are built by the emulators'
 * own builders and written to files; the commands are plain curl calls to the emulators' `/_admin/*` endpoints.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { registeredWebhooks, ROOT, type WorkflowSummary } from './n8n-runtime';
import type { Stack } from './stack';

export interface TryIt {
	example: string;
	workflowId: string;
	lines: string[];
}

type Node = WorkflowSummary['nodes'][number];

function shellQuote(text: string): string {
	return `'${text.replace(/'/g, `'\\''`)}'`;
}

function firstActionId(filter: unknown): string {
	const text = typeof filter === 'string' ? filter.trim() : '';
	if (!text) return 'demo_button';
	const regex = /^\/\^?([\w-]*)/.exec(text);
	if (regex) return `${regex[1]}vip`;
	return text.split(',')[0].trim();
}

function curl(url: string, bodyFile: string): string {
	return `curl -s -X POST ${url} -H 'content-type: application/json' -d @${shellQuote(relative(process.cwd(), bodyFile) || bodyFile)}`;
}

export async function tryItCommands(stack: Stack, dir: string): Promise<TryIt[]> {
	mkdirSync(dir, { recursive: true });
	const hooks = await registeredWebhooks({ node: stack.runtime.node, databaseFile: stack.n8n.databaseFile });
	const channels = (stack.demo.slack as { channels?: Record<string, string> } | undefined)?.channels ?? {};
	const lists = (stack.demo.brevo as { lists?: Record<string, number> } | undefined)?.lists ?? {};
	const prefix = `${stack.pkg.name}.`;
	const out: TryIt[] = [];
	const watch = (channel: string) => `curl -s '${stack.slack.url}/_admin/messages?channel=${channels[channel] ?? channel}'   # messages in #${channel}`;

	for (const example of stack.examples) {
		const lines: string[] = [];
		const base = example.file.replace(/\.json$/, '');
		if (!example.active) {
			out.push({ example: example.file, workflowId: example.id, lines: [`# not published: ${example.error ?? 'unknown reason'}`] });
			continue;
		}
		const workflow = await stack.client.workflow(example.id);
		const urlOf = (node: Node) => {
			const hook = hooks.find((h) => h.workflowId === example.id && h.node === node.name);
			return hook ? `${stack.n8n.baseUrl}/webhook/${hook.webhookPath}` : undefined;
		};
		for (const node of workflow.nodes.filter((n) => n.type.startsWith(prefix) && /Trigger$/.test(n.type))) {
			const type = node.type.slice(prefix.length);
			const p = node.parameters as Record<string, any>;
			const url = urlOf(node);
			if (type === 'slackInteractionTrigger' && url) {
				const payloadTypes: string[] = p.payloadTypes ?? ['block_actions'];
				if (payloadTypes.includes('block_actions')) {
					const payload = stack.slack.buildBlockActions({
						user: 'U0DEMO0ADA',
						channel: channels.sales,
						actions: [{ action_id: firstActionId(p.filters?.actionIds), type: 'button', value: 'grace@example.com', text: 'VIP' }],
					});
					const file = join(dir, `${base}.interaction.json`);
					writeFileSync(file, JSON.stringify({ url, payload, signingSecret: stack.signingSecret }, null, 2));
					lines.push(`# a signed button click (block_actions) sent by the Slack emulator to ${url}`);
					lines.push(curl(`${stack.slack.url}/_admin/send/interaction`, file));
					lines.push(`curl -s '${stack.slack.url}/_admin/effects'   # what the workflow did through the click's response_url`);
				} else if (payloadTypes.includes('event')) {
					const user = stack.slack.addUser({
						name: 'nora.newcomer',
						real_name: 'Nora Newcomer',
						tz: 'Europe/Berlin',
						profile: { real_name: 'Nora Newcomer', display_name: 'nora', email: 'nora@example.com', title: 'Growth Marketer', phone: '+49 30 901820' },
					} as never);
					const file = join(dir, `${base}.event.json`);
					writeFileSync(file, JSON.stringify({ url, event: { type: 'team_join', user, event_ts: `${Date.now() / 1000}` }, signingSecret: stack.signingSecret }, null, 2));
					lines.push(`# a signed Events API delivery (team_join) sent by the Slack emulator to ${url}`);
					lines.push(curl(`${stack.slack.url}/_admin/send/event`, file));
					lines.push(`curl -s ${stack.brevo.url}/_admin/state | grep -o '"email":"nora@example.com"'   # the new Brevo contact`);
				}
			} else if (type === 'brevoEventTrigger' && url) {
				const registered = stack.brevo.webhooks().find((w) => String(w.url).startsWith(url));
				if (registered) {
					const event = stack.brevo.buildEvent('list_addition', { email: 'grace@example.com', listIds: [lists.newsletter ?? 1] });
					const file = join(dir, `${base}.deliver.json`);
					writeFileSync(file, JSON.stringify({ webhookId: registered.id, events: [event] }, null, 2));
					lines.push(`# the Brevo emulator delivers a list_addition to the webhook the trigger registered (id ${registered.id}, with its bearer token)`);
					lines.push(curl(`${stack.brevo.url}/_admin/deliver`, file));
					lines.push(watch('marketing'));
				} else {
					const secret = Object.entries(example.secrets).find(([key]) => key.startsWith(`${node.name}.`))?.[1];
					const body = stack.brevo.buildEvent('order', { email: 'ada@example.com', amount: 1299, currency: 'EUR', firstOrder: true });
					const file = join(dir, `${base}.post.json`);
					writeFileSync(file, JSON.stringify({ url, body, headers: secret ? { 'x-brevo-secret': secret } : {} }, null, 2));
					lines.push(`# a Brevo automation "Call a webhook" step posts an order (with the shared secret) to ${url}`);
					lines.push(curl(`${stack.brevo.url}/_admin/post`, file));
					lines.push(watch('sales'));
				}
			}
		}
		if (lines.length === 0) {
			lines.push(`# runs on its schedule; to run it now open ${stack.n8n.baseUrl}/workflow/${example.id} and click "Execute workflow"`);
			lines.push(watch('marketing'));
		}
		out.push({ example: example.file, workflowId: example.id, lines });
	}
	return out;
}

export function relativeToRoot(file: string): string {
	return relative(ROOT, file);
}
