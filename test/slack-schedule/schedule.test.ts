/**
 * Slack Schedule through n8n-core's engine against both emulators: scheduling (every way of saying when, Slack's
 * rules checked first, delivery at post_at in the time-scaled emulator, no metadata), listing, deleting, and the
 * daily/weekly marketing summaries (quiet day, stats older than 6 months, revenue, scheduling the digest).
 */
import { DateTime } from 'luxon';

import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { runWorkflow } from '../harness';

let slack: SlackEmulator;
let brevo: BrevoEmulator;
let marketing: { id: string; name: string };

beforeAll(async () => {
	[slack, brevo] = await Promise.all([startSlackEmulator(), startBrevoEmulator()]);
});
afterAll(async () => {
	await Promise.all([slack.close(), brevo.close()]);
});
beforeEach(() => {
	slack.reset();
	brevo.reset();
	slack.setTimeScale(1);
	marketing = slack.addChannel({ name: 'marketing' });
});

function creds() {
	return {
		slackBrevoBotApi: { accessToken: slack.botToken, baseUrl: slack.apiUrl },
		slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl },
	};
}

async function run(parameters: Record<string, unknown>, items: unknown[] = [{}], node: Record<string, unknown> = {}) {
	return await runWorkflow(
		{
			nodes: [
				{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} },
				{ name: 'Items', type: 'harness.items', parameters: { items: JSON.stringify(items) } },
				{ name: 'Schedule', type: 'n8n-nodes-slack-brevo.slackSchedule', parameters, ...node },
			],
			connections: {
				Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
				Items: { main: [[{ node: 'Schedule', type: 'main', index: 0 }]] },
			},
		},
		{ credentials: creds() },
	);
}

const schedule = (p: Record<string, unknown>) => ({
	resource: 'scheduledMessage',
	operation: 'schedule',
	defaultChannel: { mode: 'name', value: '#marketing' },
	content: 'text',
	text: 'Weekly reminder',
	...p,
});

describe('schedule a message', () => {
	it('in N minutes: Slack gets post_at and no metadata, and the message posts at that time (time-scaled)', async () => {
		slack.setTimeScale(60); // 1 minute passes in 1 s
		const before = Math.floor(Date.now() / 1000);
		const result = await run(schedule({ when: 'in', amount: 1, unit: 'minutes' }));
		const after = Math.ceil(Date.now() / 1000);
		expect(result.error).toBeUndefined();
		const [out] = result.outputOf('Schedule');
		expect(out.ok).toBe(true);
		expect(out.post_at).toBeGreaterThanOrEqual(before + 60);
		expect(out.post_at).toBeLessThanOrEqual(after + 60);
		const req = slack.requests({ method: 'chat.scheduleMessage' })[0];
		expect(req.body.metadata).toBeUndefined();
		expect(slack.scheduled(marketing.id)).toHaveLength(1);
		expect(slack.messages(marketing.id)).toHaveLength(0);
		// delivered at post_at (60 s ahead, 1 s at this scale); poll instead of guessing a sleep
		for (let i = 0; i < 100 && slack.messages(marketing.id).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
		expect(slack.messages(marketing.id).map((m) => m.text)).toEqual(['Weekly reminder']);
	});

	it('next weekday at a time in a user\'s time zone', async () => {
		const user = slack.addUser({ name: 'paris.lead', tz: 'Europe/Paris' } as never);
		const result = await run(
			schedule({ when: 'nextWeekday', weekday: 'monday', timeOfDay: '09:00', timeZoneSource: 'user', timeZoneUser: user.id }),
		);
		const [out] = result.outputOf('Schedule');
		const local = DateTime.fromSeconds(out.post_at as number, { zone: 'Europe/Paris' });
		expect(local.weekday).toBe(1);
		expect(local.toFormat('HH:mm')).toBe('09:00');
		expect(out.timeZone).toBe('Europe/Paris');
	});

	it('routes like Slack Notify: orders to #sales with the order template, the rest to the default channel', async () => {
		const sales = slack.addChannel({ name: 'sales' });
		const result = await run(
			schedule({
				when: 'in',
				amount: 1,
				unit: 'hours',
				content: 'template',
				template: 'auto',
				text: '',
				routing: { rules: [{ kind: 'eventType', value: 'order_placed', channel: '#sales', template: 'order_alert' }] },
			}),
			[
				{ event: 'order_placed', contact: { email: 'big@example.com' }, order: { id: 'O-1', value: 1200, currency: 'EUR' } },
				{ event: 'new_subscriber', contact: { email: 'new@example.com', id: 3 } },
			],
		);
		expect(result.error).toBeUndefined();
		const [order, subscriber] = result.outputOf('Schedule');
		expect(order).toMatchObject({ channel: sales.id, template: 'order_alert' });
		expect(subscriber).toMatchObject({ channel: marketing.id, template: 'subscriber_alert' });
		expect(slack.scheduled(sales.id)).toHaveLength(1);
		expect(JSON.stringify(slack.scheduled(sales.id)[0].blocks)).toContain('O-1');
	});

	it('a template renders Block Kit for the scheduled message', async () => {
		const result = await run(schedule({ when: 'in', amount: 2, unit: 'hours', content: 'template', template: 'subscriber_alert', text: '' }), [
			{ event: 'new_subscriber', contact: { email: 'ada@example.com', id: 7 } },
		]);
		expect(result.error).toBeUndefined();
		const req = slack.requests({ method: 'chat.scheduleMessage' })[0];
		expect(JSON.stringify(req.body.blocks)).toContain('ada@example.com');
	});

	it.each([
		[{ when: 'at', dateTime: '2020-01-01T09:00', timeZone: 'UTC' }, /in the past/],
		[{ when: 'in', amount: 121, unit: 'days' }, /120 days/],
		[{ when: 'at', dateTime: 'next tuesday', timeZone: 'UTC' }, /not a date/],
		[{ when: 'at', dateTime: '2030-01-01T09:00', timeZone: 'Moon/Base' }, /not a time zone/],
	])('refuses %p before calling Slack', async (p, why) => {
		const result = await run(schedule(p));
		expect(result.error?.message).toMatch(why);
		expect(slack.requests({ method: 'chat.scheduleMessage' })).toHaveLength(0);
	});

	it('refuses the 31st message within 5 minutes for a channel, and Continue On Fail keeps the others', async () => {
		const items = Array.from({ length: 31 }, (_, i) => ({ n: i }));
		const result = await run(schedule({ when: 'in', amount: 10, unit: 'minutes', text: '={{ "msg " + $json.n }}' }), items, {
			onError: 'continueRegularOutput',
		});
		const out = result.outputOf('Schedule');
		expect(out).toHaveLength(31);
		expect(out.slice(0, 30).every((o) => o.ok === true)).toBe(true);
		expect(out[30].ok).toBe(false);
		expect(String(out[30].error)).toMatch(/30 messages scheduled within 5 minutes/);
		expect(slack.requests({ method: 'chat.scheduleMessage' })).toHaveLength(30);
	});

	it('reports a deleted channel clearly', async () => {
		const result = await run(schedule({ when: 'in', amount: 5, unit: 'minutes', defaultChannel: { mode: 'id', value: 'C0DELETED1' } }));
		// The 30-per-5-minutes check lists the channel's scheduled messages first: Slack answers invalid_channel there
		// (chat.scheduledMessages.list, OpenAPI 2020), and the remedy reads as for channel_not_found.
		expect(result.error?.message).toMatch(/^Slack error invalid_channel while scheduling a message: channel C0DELETED1 does not exist or the bot cannot see it$/);
		expect(slack.scheduled()).toHaveLength(0);
	});

	it('after an unconfirmed attempt it finds the message Slack did schedule and does not send it again', async () => {
		const dateTime = DateTime.now().plus({ days: 2 }).startOf('hour').toISO({ includeOffset: false })!;
		// Slack schedules it, then the answer is lost (the client sees fatal_error).
		slack.injectFault({ method: 'chat.scheduleMessage', error: 'fatal_error', lostAnswer: true });
		const result = await run(schedule({ when: 'at', dateTime, timeZone: 'UTC' }));
		expect(result.error).toBeUndefined();
		expect(result.outputOf('Schedule')[0].note).toMatch(/found, not sent again/);
		expect(slack.scheduled(marketing.id)).toHaveLength(1);
		expect(result.outputOf('Schedule')[0].scheduled_message_id).toBe(slack.scheduled(marketing.id)[0].id);
	});

	it('an identical message another run scheduled earlier is not taken for this one: it is sent again', async () => {
		const dateTime = DateTime.now().plus({ days: 2 }).startOf('hour').toISO({ includeOffset: false })!;
		const postAt = Math.floor(DateTime.fromISO(dateTime, { zone: 'UTC' }).toSeconds());
		const { WebClient } = await import('@slack/web-api');
		const earlier = await new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl }).chat.scheduleMessage({ channel: marketing.id, text: 'Weekly reminder', post_at: postAt });
		slack.injectFault({ method: 'chat.scheduleMessage', error: 'fatal_error' });
		const result = await run(schedule({ when: 'at', dateTime, timeZone: 'UTC' }));
		expect(result.error).toBeUndefined();
		const out = result.outputOf('Schedule')[0];
		expect(out.note).toBeUndefined();
		expect(out.scheduled_message_id).not.toBe(earlier.scheduled_message_id);
		expect(slack.scheduled(marketing.id)).toHaveLength(2);
	});

	it('after an unconfirmed attempt that Slack did not apply, it sends exactly once more', async () => {
		slack.injectFault({ method: 'chat.scheduleMessage', status: 503 });
		const result = await run(schedule({ when: 'in', amount: 3, unit: 'hours' }));
		expect(result.error).toBeUndefined();
		expect(slack.requests({ method: 'chat.scheduleMessage' })).toHaveLength(2);
		expect(slack.scheduled(marketing.id)).toHaveLength(1);
	});

	it('a summary whose post Slack does not confirm is not re-sent and says where to look', async () => {
		slack.injectFault({ method: 'chat.postMessage', status: 503 });
		const result = await run({ resource: 'summary', operation: 'build', period: 'yesterday', timeZoneSource: 'zone', timeZone: 'UTC', channel: { mode: 'name', value: '#marketing' } });
		expect(result.error?.message).toMatch(/did not confirm the summary in #marketing/);
		expect(slack.requests({ method: 'chat.postMessage' })).toHaveLength(1);
	});

	it('custom Block Kit is checked and sent as blocks', async () => {
		const blocks = JSON.stringify({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Launch* tomorrow' } }] });
		const ok = await run(schedule({ when: 'in', amount: 1, unit: 'hours', content: 'blocks', blocks, text: '' }));
		expect(ok.error).toBeUndefined();
		expect(JSON.stringify(slack.requests({ method: 'chat.scheduleMessage' })[0].body.blocks)).toContain('*Launch* tomorrow');
		const tooMany = JSON.stringify(Array.from({ length: 51 }, () => ({ type: 'divider' })));
		const bad = await run(schedule({ when: 'in', amount: 1, unit: 'hours', content: 'blocks', blocks: tooMany, text: '' }));
		expect(bad.error?.message).toMatch(/Invalid Block Kit.*50/);
		expect(slack.requests({ method: 'chat.scheduleMessage' })).toHaveLength(1);
	});

	it("shows Slack's own scheduling errors with the fix", async () => {
		slack.injectFault({ method: 'chat.scheduleMessage', error: 'restricted_too_many' });
		const result = await run(schedule({ when: 'in', amount: 5, unit: 'minutes' }));
		expect(result.error?.message).toMatch(/restricted_too_many/);
		expect(result.error?.description).toMatch(/Spread scheduled messages/);
	});
});

describe('list and delete', () => {
	it('lists every page with channel and time filters, and deletes one', async () => {
		const other = slack.addChannel({ name: 'sales' });
		slack.setTimeScale(30); // Tier 3 (50 scheduleMessage calls a minute) passes in 2 s; the messages are hours ahead
		const items = Array.from({ length: 105 }, (_, i) => ({ m: i })); // more than one page of 100
		await run(schedule({ when: 'in', amount: '={{ 10 + $json.m * 6 }}', unit: 'minutes', text: '={{ "m" + $json.m }}' }), items);
		await run(schedule({ when: 'in', amount: 30, unit: 'minutes', defaultChannel: { mode: 'id', value: other.id } }));
		const all = await run({ resource: 'scheduledMessage', operation: 'list', channel: { mode: 'list', value: '' } });
		expect(all.outputOf('Schedule')).toHaveLength(106);
		expect(slack.requests({ method: 'chat.scheduledMessages.list' }).filter((r) => r.body.cursor).length).toBeGreaterThan(0);
		const onlyMarketing = await run({
			resource: 'scheduledMessage',
			operation: 'list',
			channel: { mode: 'name', value: '#marketing' },
			latest: DateTime.now().plus({ minutes: 60 }).toISO(),
		});
		const listed = onlyMarketing.outputOf('Schedule');
		expect(listed.every((m) => m.channel === marketing.id)).toBe(true);
		expect(listed.length).toBe(9); // minutes 10, 16, ..., 58
		const del = await run(
			{ resource: 'scheduledMessage', operation: 'delete', channel: { mode: 'id', value: marketing.id }, scheduledMessageId: listed[0].id },
		);
		expect(del.outputOf('Schedule')[0]).toMatchObject({ ok: true, deleted: true });
		expect(slack.scheduled(marketing.id).filter((s) => s.status === 'pending')).toHaveLength(104);
	});

	it('explains why Slack refuses to delete within 60 seconds of posting', async () => {
		await run(schedule({ when: 'in', amount: 50, unit: 'minutes' }));
		const id = slack.scheduled(marketing.id)[0].id;
		slack.injectFault({ method: 'chat.deleteScheduledMessage', error: 'invalid_scheduled_message_id' });
		const del = await run({ resource: 'scheduledMessage', operation: 'delete', channel: { mode: 'id', value: marketing.id }, scheduledMessageId: id });
		expect(del.error?.message).toMatch(/invalid_scheduled_message_id/);
		expect(del.error?.message).toMatch(/within 60 s/);
	});
});

describe('marketing summary', () => {
	const summary = (p: Record<string, unknown>) => ({
		resource: 'summary',
		operation: 'build',
		period: 'yesterday',
		timeZoneSource: 'zone',
		timeZone: 'Europe/Paris',
		channel: { mode: 'name', value: '#marketing' },
		...p,
	});
	const yesterdayAt = (hour: number) => DateTime.now().setZone('Europe/Paris').startOf('day').minus({ days: 1 }).plus({ hours: hour }).toUTC().toISO()!;

	it('daily: campaigns sent yesterday with their stats, new contacts, posted to #marketing with View in Brevo buttons', async () => {
		brevo.addCampaign({ name: 'Black Friday', status: 'sent', sentDate: yesterdayAt(9), stats: { sent: 1000, delivered: 980, uniqueViews: 490, uniqueClicks: 98, unsubscriptions: 3 } });
		brevo.addCampaign({ name: 'Newsletter', status: 'sent', sentDate: yesterdayAt(15), stats: { sent: 200, delivered: 196, uniqueViews: 49, uniqueClicks: 9 } });
		brevo.addCampaign({ name: 'Last week', status: 'sent', sentDate: DateTime.now().minus({ days: 6 }).toUTC().toISO()!, stats: { sent: 50, delivered: 50 } });
		brevo.addCampaign({ name: 'Draft', status: 'draft' });
		brevo.addContact({ email: 'new1@example.com', createdAt: yesterdayAt(10) });
		brevo.addContact({ email: 'new2@example.com', createdAt: yesterdayAt(11) });
		brevo.addContact({ email: 'old@example.com', createdAt: DateTime.now().minus({ days: 30 }).toUTC().toISO()! });
		const result = await run(summary({}));
		expect(result.error).toBeUndefined();
		const [out] = result.outputOf('Schedule');
		expect((out.campaigns as unknown[]).length).toBe(2);
		expect(out.totals).toMatchObject({ sent: 1200, delivered: 1176 });
		expect(out.newContacts).toBe(2);
		expect(out.posted).toBe(true);
		const [msg] = slack.messages(marketing.id);
		expect(msg.text).toMatch(/2 campaigns/);
		expect(JSON.stringify(msg.blocks)).toContain('View in Brevo');
		const campaignCalls = brevo.requests().filter((r) => r.path.startsWith('/v3/emailCampaigns'));
		expect(campaignCalls).toHaveLength(1); // one listing, no call per campaign
	});

	it('weekly: last 7 days', async () => {
		brevo.addCampaign({ name: 'Mon', status: 'sent', sentDate: DateTime.now().minus({ days: 6 }).toUTC().toISO()!, stats: { sent: 10, delivered: 10, uniqueViews: 5 } });
		brevo.addCampaign({ name: 'Today', status: 'sent', sentDate: DateTime.now().toUTC().toISO()!, stats: { sent: 10, delivered: 10 } });
		const result = await run(summary({ period: 'last7days', deliver: 'output' }));
		const [out] = result.outputOf('Schedule');
		expect((out.campaigns as Array<{ name: string }>).map((c) => c.name)).toEqual(['Mon']);
		expect(slack.messages(marketing.id)).toHaveLength(0);
		expect((out.message as { blocks: unknown[] }).blocks.length).toBeGreaterThan(2);
	});

	it('a quiet day is a friendly digest, not an error', async () => {
		const result = await run(summary({}));
		expect(result.error).toBeUndefined();
		expect(result.outputOf('Schedule')[0].quiet).toBe(true);
		expect(JSON.stringify(slack.messages(marketing.id)[0].blocks)).toMatch(/Quiet day/);
	});

	it('flags campaigns whose statistics Brevo no longer has (older than 6 months)', async () => {
		brevo.addCampaign({ name: 'Ancient', status: 'sent', sentDate: '2025-01-10T09:00:00Z', stats: { sent: 500, delivered: 490 } });
		const result = await run(summary({ period: 'custom', periodStart: '2025-01-01', periodEnd: '2025-01-31', deliver: 'output' }));
		const [out] = result.outputOf('Schedule');
		expect(out.campaignsWithoutStats).toBe(1);
		expect(JSON.stringify(out.message)).toMatch(/no statistics any more/);
	});

	it('revenue from order items given as input', async () => {
		const items = [
			{ event: 'order_placed', occurredAt: yesterdayAt(10), order: { id: 'A1', value: 120.5, currency: 'EUR' } },
			{ event: 'order_placed', occurredAt: yesterdayAt(12), order: { id: 'A2', value: '€79.50' } },
			{ event: 'order_placed', occurredAt: DateTime.now().minus({ days: 3 }).toISO(), order: { id: 'A0', value: 999 } },
		];
		const result = await run(summary({ revenueSource: 'inputItems', deliver: 'output' }), items);
		expect(result.outputOf('Schedule')[0].revenue).toMatchObject({ amount: 200, orders: 2, currency: 'EUR' });
	});

	it("revenue from Brevo's ecommerce orders created in the period", async () => {
		const post = async (id: string, amount: number, createdAt: string) => {
			const res = await fetch(`${brevo.apiUrl}/orders/status`, {
				method: 'POST',
				headers: { 'api-key': brevo.apiKey, 'content-type': 'application/json' },
				body: JSON.stringify({ id, amount, status: 'completed', createdAt, updatedAt: createdAt, products: [{ productId: 'P1', quantity: 1, price: amount }], email: 'buyer@example.com' }),
			});
			expect(res.status).toBe(204);
		};
		await post('o1', 300, yesterdayAt(9));
		await post('o2', 150.25, yesterdayAt(20));
		await post('o3', 999, DateTime.now().toUTC().toISO()!); // today: not in yesterday's summary
		const result = await run(summary({ revenueSource: 'brevoOrders', currency: 'EUR', deliver: 'output' }));
		expect(result.error).toBeUndefined();
		expect(result.outputOf('Schedule')[0].revenue).toMatchObject({ amount: 450.25, orders: 2, currency: 'EUR' });
		expect(JSON.stringify(result.outputOf('Schedule')[0].message)).toContain('€450.25');
	});

	it('schedules the digest instead of posting it', async () => {
		const result = await run(summary({ deliver: 'schedule', when: 'nextWeekday', weekday: 'monday', timeOfDay: '08:30' }));
		const [out] = result.outputOf('Schedule');
		expect(out.scheduled).toBe(true);
		expect(slack.scheduled(marketing.id)).toHaveLength(1);
	});

	it('refuses an invalid time zone naming the field', async () => {
		const result = await run(summary({ timeZone: 'Europe/Nowhere' }));
		expect(result.error?.message).toMatch(/not a time zone/);
		expect(result.error?.description).toMatch(/timeZone/);
	});
});
