/**
 * One command per example that makes the emulators act toward n8n as Slack or Brevo would (a signed button click,
 * a signed Events API delivery, a Brevo webhook delivery with its registered auth, an automation call), so a
 * newcomer sees the workflow run and a message land in the Slack emulator. Payloads are built by the emulators'
 * own builders and written to files; the commands are plain curl calls to the emulators' `/_admin/*` endpoints.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { registeredWebhooks, type WorkflowSummary } from './n8n-runtime';
import type { Stack } from './stack';

export interface TryIt {
	example: string;
	workflowId: string;
	lines: string[];
	/** the same actions, machine-readable: POST each body file to its URL (what the printed curl commands do) */
	requests: Array<{ url: string; bodyFile: string }>;
}

type Node = WorkflowSummary['nodes'][number];

function shellQuote(text: string): string {
	return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function firstActionId(filter: unknown): string {
	const text = typeof filter === 'string' ? filter.trim() : '';
	if (!text) return 'demo_button';
	const regex = /^\/\^?([\w-]*)/.exec(text);
	if (regex) return `${regex[1]}vip`;
	return text.split(',')[0].trim();
}

/** `#sales` of the first Slack node's channel parameter (resource locator or plain), without the `#`. */
export function notifyChannel(nodes: Node[]): string | undefined {
	for (const node of nodes) {
		for (const key of ['defaultChannel', 'channel', 'channelId']) {
			const value = (node.parameters as Record<string, any>)[key];
			const text = typeof value === 'object' && value ? value.value : value;
			if (typeof text === 'string' && /^#[\w-]+$/.test(text)) return text.slice(1);
		}
	}
	return undefined;
}

/** The Brevo emulator's event kind for what a registered trigger listens to. */
export function deliveryKind(p: Record<string, any>, hookType: string): string {
	const marketing = hookType === 'marketing';
	const named = (name: string) => {
		const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
		if (snake === 'list_addition' || snake === 'contact_updated' || snake === 'contact_deleted') return snake;
		return marketing ? `marketing.${snake}` : snake;
	};
	if (p.event === 'raw' && Array.isArray(p.rawEvents) && p.rawEvents.length > 0) return named(String(p.rawEvents[0]).split(':').pop()!);
	if (p.event === 'new_subscriber') return 'list_addition';
	return named(String(p.event ?? 'list_addition'));
}

/** chat.postMessage through the emulator's Web API with the bot token (the message a click or shortcut happens on). */
async function postMessage(stack: Stack, channelId: string, message: { text: string; blocks?: unknown[] }): Promise<{ ts: string }> {
	const response = await fetch(`${stack.slack.apiUrl}chat.postMessage`, {
		method: 'POST',
		headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${stack.slack.botToken}` },
		body: JSON.stringify({ channel: channelId, ...message }),
	});
	const json = (await response.json()) as { ok: boolean; ts?: string; error?: string };
	if (!json.ok || !json.ts) throw new Error(`the Slack emulator refused chat.postMessage for a demo message: ${json.error}`);
	return { ts: json.ts };
}

/** First entry of a comma-separated filter (a `/regex/` filter gives its literal prefix plus "demo"). */
export function firstOf(filter: unknown, fallback: string): string {
	const text = typeof filter === 'string' ? filter.split(',')[0].trim() : '';
	if (!text) return fallback;
	const regex = /^\/\^?([\w/-]*)/.exec(text);
	return regex ? `${regex[1]}demo` : text;
}

/** Modal input action ids the workflow reads (`$json.values.<id>` in any parameter). */
export function modalFields(nodes: Node[]): string[] {
	const fields = new Set<string>();
	for (const match of JSON.stringify(nodes.map((n) => n.parameters)).matchAll(/values\.(\w+)/g)) fields.add(match[1]);
	return fields.size > 0 ? [...fields] : ['email'];
}

export function demoValue(field: string): string {
	if (/mail/i.test(field)) return 'lena@example.com';
	if (/first/i.test(field)) return 'Lena';
	if (/last/i.test(field)) return 'Larsen';
	if (/company|org/i.test(field)) return 'Acme GmbH';
	return `demo ${field}`;
}

function curlCommand(url: string, bodyFile: string): string {
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
		const requests: TryIt['requests'] = [];
		const curl = (url: string, bodyFile: string) => {
			requests.push({ url, bodyFile });
			return curlCommand(url, bodyFile);
		};
		const base = example.file.replace(/\.json$/, '');
		if (!example.active) {
			out.push({ example: example.file, workflowId: example.id, lines: [`# not published: ${example.error ?? 'unknown reason'}`], requests: [] });
			continue;
		}
		const workflow = await stack.client.workflow(example.id);
		const urlOf = (node: Node) => {
			const hook = hooks.find((h) => h.workflowId === example.id && h.node === node.name);
			return hook ? `${stack.n8n.baseUrl}/webhook/${hook.webhookPath}` : undefined;
		};
		// the channel the example posts to (a Slack Notify / Schedule node's channel), to show where the message lands
		const target = notifyChannel(workflow.nodes) ?? 'marketing';
		for (const node of workflow.nodes.filter((n) => n.type.startsWith(prefix) && /Trigger$/.test(n.type))) {
			const type = node.type.slice(prefix.length);
			const p = node.parameters as Record<string, any>;
			const url = urlOf(node);
			if (type === 'slackInteractionTrigger' && url) {
				const payloadTypes: string[] = p.payloadTypes ?? ['block_actions'];
				const eventType = String(p.filters?.eventTypes ?? '').split(',')[0].trim();
				if (payloadTypes.includes('block_actions')) {
					// the message carrying the button, posted by the bot as a notification would be; the click happens on it
					const actionId = firstActionId(p.filters?.actionIds);
					const channelId = channels[target] ?? channels.sales;
					const posted = await postMessage(stack, channelId, {
						text: 'New lead: grace@example.com',
						blocks: [
							{ type: 'section', block_id: 'try_it_text', text: { type: 'mrkdwn', text: '*New lead*: grace@example.com' } },
							{ type: 'actions', block_id: 'try_it_actions', elements: [{ type: 'button', action_id: actionId, text: { type: 'plain_text', text: 'VIP' }, value: 'grace@example.com' }] },
						],
					});
					const payload = stack.slack.buildBlockActions({
						user: 'U0DEMO0ADA',
						channel: channelId,
						messageTs: posted.ts,
						actions: [{ action_id: actionId, block_id: 'try_it_actions', type: 'button', value: 'grace@example.com', text: 'VIP' }],
					});
					const file = join(dir, `${base}.interaction.json`);
					writeFileSync(file, JSON.stringify({ url, payload, signingSecret: stack.signingSecret }, null, 2));
					lines.push(`# a signed button click (block_actions) sent by the Slack emulator to ${url}`);
					lines.push(curl(`${stack.slack.url}/_admin/send/interaction`, file));
					lines.push(`curl -s '${stack.slack.url}/_admin/effects'   # what the workflow did through the click's response_url`);
				} else if (payloadTypes.includes('message_action')) {
					const channelId = channels[target] ?? channels.sales;
					const posted = await postMessage(stack, channelId, { text: 'Met a great lead at the webinar: lena@example.com' });
					const payload = stack.slack.buildMessageAction({ user: 'U0DEMO0ADA', channel: channelId, messageTs: posted.ts, callbackId: firstOf(p.filters?.callbackIds, 'demo_shortcut') });
					const file = join(dir, `${base}.interaction.json`);
					writeFileSync(file, JSON.stringify({ url, payload, signingSecret: stack.signingSecret }, null, 2));
					lines.push(`# a signed message shortcut (message_action) on a message holding an email, sent by the Slack emulator to ${url}`);
					lines.push(curl(`${stack.slack.url}/_admin/send/interaction`, file));
					lines.push(`curl -s ${stack.brevo.url}/_admin/state | grep -o '"email":"lena@example.com"'   # the contact in Brevo`);
				} else if (payloadTypes.includes('view_submission')) {
					const values: Record<string, Record<string, unknown>> = {};
					for (const field of modalFields(workflow.nodes)) {
						values[`${field}_block`] = { [field]: { type: 'plain_text_input', value: demoValue(field) } };
					}
					const payload = stack.slack.buildViewSubmission({ user: 'U0DEMO0ADA', callbackId: firstOf(p.filters?.callbackIds, 'demo_modal'), values });
					const file = join(dir, `${base}.interaction.json`);
					writeFileSync(file, JSON.stringify({ url, payload, signingSecret: stack.signingSecret }, null, 2));
					lines.push(`# a signed modal submission (view_submission) sent by the Slack emulator to ${url}`);
					lines.push(curl(`${stack.slack.url}/_admin/send/interaction`, file));
					lines.push(`curl -s ${stack.brevo.url}/_admin/state | grep -o '"email":"${demoValue('email')}"'   # the contact in Brevo`);
				} else if (payloadTypes.includes('shortcut')) {
					const payload = stack.slack.buildShortcut({ user: 'U0DEMO0ADA', callbackId: firstOf(p.filters?.callbackIds, 'demo_shortcut') });
					const file = join(dir, `${base}.interaction.json`);
					writeFileSync(file, JSON.stringify({ url, payload, signingSecret: stack.signingSecret }, null, 2));
					lines.push(`# a signed global shortcut sent by the Slack emulator to ${url}`);
					lines.push(curl(`${stack.slack.url}/_admin/send/interaction`, file));
				} else if (payloadTypes.includes('slash_command')) {
					const command = firstOf(p.filters?.commands, '/brevo');
					const fields = stack.slack.buildSlashCommand({ command, text: 'grace@example.com', user: 'U0DEMO0ADA', channel: channels[target] ?? channels.marketing });
					const file = join(dir, `${base}.command.json`);
					writeFileSync(file, JSON.stringify({ url, fields, signingSecret: stack.signingSecret }, null, 2));
					lines.push(`# a signed slash command (${command} grace@example.com) sent by the Slack emulator to ${url}`);
					lines.push(curl(`${stack.slack.url}/_admin/send/command`, file));
				} else if (payloadTypes.includes('event') && eventType === 'link_shared') {
					const event = stack.slack.buildLinkSharedEvent({ channel: channels[target] ?? channels.marketing, links: ['https://app.brevo.com/contact/index/1'] });
					const file = join(dir, `${base}.event.json`);
					writeFileSync(file, JSON.stringify({ url, event: (event as { event?: unknown }).event ?? event, signingSecret: stack.signingSecret }, null, 2));
					lines.push(`# a signed link_shared event (a Brevo contact link posted in Slack) sent by the Slack emulator to ${url}`);
					lines.push(curl(`${stack.slack.url}/_admin/send/event`, file));
					lines.push(`curl -s '${stack.slack.url}/_admin/effects'   # the unfurl attached to the message`);
				} else if (payloadTypes.includes('event')) {
					// the member as Slack's team_join event carries it (not added to the emulator's workspace: the demo
					// command must not change what other tests see in users.list)
					const user = {
						id: 'U0DEMO0NEW',
						team_id: stack.slack.teamId,
						name: 'nora.newcomer',
						deleted: false,
						real_name: 'Nora Newcomer',
						tz: 'Europe/Berlin',
						tz_label: 'Central European Time',
						tz_offset: 3600,
						is_admin: false,
						is_owner: false,
						is_bot: false,
						is_app_user: false,
						updated: Math.floor(Date.now() / 1000),
						profile: { real_name: 'Nora Newcomer', display_name: 'nora', email: 'nora@example.com', title: 'Growth Marketer', phone: '+49 30 901820', status_text: '' },
					};
					const file = join(dir, `${base}.event.json`);
					writeFileSync(file, JSON.stringify({ url, event: { type: eventType || 'team_join', user }, signingSecret: stack.signingSecret }, null, 2));
					lines.push(`# a signed Events API delivery (${eventType || 'team_join'}) sent by the Slack emulator to ${url}`);
					lines.push(curl(`${stack.slack.url}/_admin/send/event`, file));
					lines.push(`curl -s ${stack.brevo.url}/_admin/state | grep -o '"email":"nora@example.com"'   # the new Brevo contact`);
				}
			} else if (type === 'brevoEventTrigger' && url) {
				const registered = stack.brevo.webhooks().find((w) => String(w.url).startsWith(url));
				if (registered) {
					const kind = deliveryKind(p, registered.type);
					const event = stack.brevo.buildEvent(kind, { email: 'grace@example.com', listIds: [lists.newsletter ?? 1] });
					const file = join(dir, `${base}.deliver.json`);
					writeFileSync(file, JSON.stringify({ webhookId: registered.id, events: [event] }, null, 2));
					lines.push(`# the Brevo emulator delivers a ${kind} event to the webhook the trigger registered (id ${registered.id}, with its bearer token)`);
					lines.push(curl(`${stack.brevo.url}/_admin/deliver`, file));
				} else {
					const secret = Object.entries(example.secrets).find(([key]) => key.startsWith(`${node.name}.`))?.[1];
					const kind = ({ order_placed: 'order', cart_abandoned: 'cart', ticket_created: 'conversationStarted' } as Record<string, string>)[p.event] ?? 'automation';
					const body = stack.brevo.buildEvent(kind, { email: 'ada@example.com', amount: 1299, currency: 'EUR', firstOrder: true });
					const file = join(dir, `${base}.post.json`);
					writeFileSync(file, JSON.stringify({ url, body, headers: secret ? { 'x-brevo-secret': secret } : {} }, null, 2));
					const who = kind === 'conversationStarted' ? 'a Brevo Conversations webhook' : 'a Brevo automation "Call a webhook" step';
					lines.push(`# ${who} posts a ${kind} payload (with the shared secret) to ${url}`);
					lines.push(curl(`${stack.brevo.url}/_admin/post`, file));
				}
			}
			if (type === 'brevoCampaignTrigger') {
				const file = join(dir, `${base}.seed.json`);
				writeFileSync(file, JSON.stringify({ campaigns: [{ name: 'Demo flash sale', subject: 'Flash sale: 24 hours only', status: 'sent', stats: { sent: 1200, delivered: 1180, uniqueViews: 530, uniqueClicks: 95, unsubscriptions: 3 } }] }, null, 2));
				lines.push('# a campaign is sent in the Brevo emulator; the trigger polls on its schedule (15 minutes) and posts it then,');
				lines.push(`# or open ${stack.n8n.baseUrl}/workflow/${example.id} and click "Fetch Test Event" to see it now`);
				// printed only: its effect waits for the poll, so the suite does not run it as a request
				lines.push(curlCommand(`${stack.brevo.url}/_admin/seed`, file));
			}
			if (lines.length > 0 && !lines.some((l) => l.includes('_admin/messages'))) lines.push(watch(target));
		}
		if (lines.length === 0) {
			lines.push(`# runs on its schedule; to run it now open ${stack.n8n.baseUrl}/workflow/${example.id} and click "Execute workflow"`);
			lines.push(watch(target));
		}
		out.push({ example: example.file, workflowId: example.id, lines, requests });
	}
	return out;
}
