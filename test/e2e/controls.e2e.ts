/**
 * Slack control sequences in Brevo data, through every template, in a real n8n: Brevo payloads (the emulator's
 * shapes) whose every shown field carries `<!channel>`, `<!here>`, `<@U…>`, `<#C…>`, links and entities are
 * normalised as the Brevo triggers do, posted to a workflow, and rendered by Slack Notify with the template the event
 * type picks. What Slack received (the emulator's channel) holds no mention, broadcast or link of the data's making.
 */
import { randomUUID } from 'node:crypto';

import { campaignItem } from '../../nodes/BrevoCampaignTrigger/campaigns';
import { normalizeDelivery, type SourceKind } from '../../nodes/shared/brevo/normalize';
import { TEMPLATE_NAMES } from '../../nodes/shared/slack/templates';
import { buildEvent } from '../emulators/brevo/payloads';
import { channel, e2e, executionIds, n8n, nodeOutput, post, removeWorkflow, slack, waitForExecution, webhookUrl, webhookTrigger } from './support';

const state = e2e();
const SLACK = { slackBrevoBotApi: { id: 'slack-bot', name: 'Slack bot (emulator)' } };
const EVIL = '<!channel> <!here> <!everyone> <@U0ADMIN001> <#C0E2E|general> <!subteam^S1|@team> <https://evil.example/x|click me> &lt;!channel&gt;';
const EVIL_URL = 'https://shop.example.com/cart?id=1|<!channel>><@U0ADMIN001>';

function canonical(kind: SourceKind, raw: unknown, automationEvent: 'order_placed' | 'cart_abandoned' = 'order_placed', event?: string): Record<string, unknown> {
	const result = normalizeDelivery(raw, { kind, automationEvent, receivedAt: new Date() });
	if (!result.ok || result.accepted.length !== 1) throw new Error(`could not normalise a ${kind} payload: ${JSON.stringify(result)}`);
	const item = result.accepted[0].item as unknown as Record<string, unknown>;
	return event ? { ...item, event } : item;
}

/** Every mention, broadcast, channel link or link Slack would render in mrkdwn text: `<...>` sequences. */
function controlSequences(text: string): string[] {
	return [...text.matchAll(/<([^<>]*)>/g)].map((m) => m[1]);
}

function mrkdwnTexts(value: unknown, out: string[] = []): string[] {
	if (Array.isArray(value)) value.forEach((v) => mrkdwnTexts(v, out));
	else if (value && typeof value === 'object') {
		const o = value as Record<string, unknown>;
		if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
		for (const v of Object.values(o)) mrkdwnTexts(v, out);
	}
	return out;
}

describe('Slack control sequences in Brevo data', () => {
	it('reach Slack as text through every template: no mention, broadcast or foreign link', async () => {
		const person = { email: 'evil@example.com', firstName: EVIL, lastName: EVIL, name: EVIL };
		const items = [
			canonical('marketing', buildEvent('list_addition', { ...person, listIds: [3], listName: EVIL }), undefined, 'new_subscriber'),
			canonical('marketing', buildEvent('marketing.unsubscribed', { ...person, campaignName: EVIL, listIds: [3] }), undefined, 'unsubscribed'),
			canonical('automation', buildEvent('order', { ...person, orderId: EVIL, currency: EVIL, products: [{ name: EVIL, price: EVIL, quantity: 1 }], items: [{ name: EVIL, price: EVIL, quantity: 1 }] })),
			canonical('automation', buildEvent('cart', { ...person, cartId: EVIL, cartUrl: EVIL_URL, currency: EVIL, items: [{ id: EVIL, name: EVIL, price: EVIL, quantity: 1 }] }), 'cart_abandoned'),
			canonical('conversations', buildEvent('conversationStarted', { ...person, text: `${EVIL}\nsecond line ${EVIL}`, subject: EVIL })),
			campaignItem({ id: 42, name: EVIL, subject: EVIL, sentDate: new Date().toISOString(), statistics: { globalStats: { sent: 10, delivered: 9 } } } as never, new Date()),
			canonical('transactional', buildEvent('delivered', { ...person, subject: EVIL, tags: [EVIL] })),
		];
		// The fields the templates show, each carrying the control sequences too (canonical items keep their event).
		const overlay: Record<string, unknown> = {
			email: EVIL,
			name: EVIL,
			attributes: { FIRSTNAME: EVIL, LASTNAME: EVIL },
			list_id: [EVIL, 4],
			listNames: [EVIL],
			source: EVIL,
			order: { id: EVIL, amount: EVIL, currency: EVIL, products: [{ name: EVIL, quantity: EVIL, price: EVIL }] },
			cart: { id: EVIL, total: EVIL, url: EVIL_URL },
			abandoned_minutes: EVIL,
			ticket_id: EVIL,
			subject: EVIL,
			message: { text: `${EVIL}\n${EVIL}` },
			priority: EVIL,
			status: EVIL,
			reason: EVIL,
			'campaign name': EVIL,
		};
		const marker = `controls-${randomUUID()}`;
		const hostile = items.map((item) => ({ ...item, ...overlay, campaign: item.event === 'campaign_sent' ? item.campaign : { id: 7, name: EVIL }, e2eMarker: marker }));

		const trigger = webhookTrigger(marker);
		const split = { id: randomUUID(), name: 'Split', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [0, 0], parameters: { fieldToSplitOut: 'body.items', options: {} } };
		const notify = {
			id: randomUUID(),
			name: 'Notify',
			type: `${state.pkg.name}.slackNotify`,
			typeVersion: 1,
			position: [0, 0],
			parameters: { operation: 'send', defaultChannel: { __rl: true, mode: 'id', value: channel('alerts') }, content: 'template', template: 'auto', options: {} },
			credentials: SLACK,
		};
		const c = await n8n();
		const wf = await c.createWorkflow({
			name: `E2E control sequences ${Date.now().toString(36)}`,
			nodes: [trigger, split, notify],
			connections: { Webhook: { main: [[{ node: 'Split', type: 'main', index: 0 }]] }, Split: { main: [[{ node: 'Notify', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		try {
			await c.activateWorkflow(wf.id);
			const before = await executionIds(wf.id);
			const seenBefore = (await slack<unknown[]>('messages', channel('alerts'))).length;
			expect((await post(await webhookUrl(wf.id, 'Webhook'), JSON.stringify({ items: hostile }), { 'content-type': 'application/json' })).status).toBe(200);
			const execution = await waitForExecution(wf.id, before, 90_000);
			expect(execution.status).toBe('success');

			// Every template rendered once.
			const out = nodeOutput(execution, 'Notify');
			expect(out.map((o) => o.template).sort()).toEqual([...TEMPLATE_NAMES].sort());

			const received = (await slack<Array<{ text: string; blocks?: unknown[] }>>('messages', channel('alerts'))).slice(seenBefore);
			expect(received).toHaveLength(hostile.length);
			for (const message of received) {
				for (const text of [message.text, ...mrkdwnTexts(message.blocks ?? [])]) {
					for (const sequence of controlSequences(text)) {
						// The only links allowed are the ones the templates build: Brevo's app and the (encoded) cart URL.
						expect(sequence).toMatch(/^https:\/\/(app\.brevo\.com|shop\.example\.com)\/[^\s|<>]*(\|[^<>]*)?$/);
					}
					expect(text).not.toMatch(/<[!@#]/);
				}
				// The data is there, as text.
				expect(JSON.stringify(message)).toContain('&lt;!channel&gt;');
			}
		} finally {
			await removeWorkflow(wf.id);
		}
	});
});
