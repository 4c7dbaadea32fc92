/**
 * Issue 12: rules where the emulator was kinder than Slack. Each test fails against the earlier emulator.
 * Sources beside each rule in the emulator and in CONTRACT.md ("Slack rules and sources").
 */
import { WebClient } from '@slack/web-api';
import { SlackEmulator, startSlackEmulator } from './index';
import { quietLogger, refusal } from './testing';

const logger = quietLogger;
let slack: SlackEmulator;
let web: WebClient;

const error = refusal;
const nowS = () => Math.floor(Date.now() / 1000);
const section = (n: number, ch = 'a') => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text: ch.repeat(n) } });
/** 11,500 characters of text in 4 blocks (4 x 125): a size of 12,000, the most the emulator accepts. */
const atLimit = () => [section(2875), section(2875), section(2875), section(2875)];
const overLimit = () => [...atLimit(), { type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: 'x' }] }];

beforeAll(async () => {
	slack = await startSlackEmulator();
});
afterAll(async () => await slack.close());
beforeEach(() => {
	slack.reset();
	slack.setTimeScale(1);
	slack.rateLimits.postMessageBurst = 50;
	web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger });
});

describe('msg_blocks_too_long: total block text (bolt-js#2509)', () => {
	it('chat.postMessage accepts a size of 12,000 (text + 125 per block) and refuses more, each section within 3,000', async () => {
		await expect(web.chat.postMessage({ channel: 'general', text: 'ok', blocks: atLimit() })).resolves.toMatchObject({ ok: true });
		expect(await error(web.chat.postMessage({ channel: 'general', text: 'too much', blocks: overLimit() }))).toMatchObject({ ok: false, error: 'msg_blocks_too_long' });
		expect(slack.messages('general').map((m) => m.text)).toEqual(['ok']);
	});

	it('counts every text (fields, context, header, buttons, rich_text) and 125 per block and rich_text container', async () => {
		const blocks = (r: number) => [
			{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } },
			{ type: 'section', fields: Array.from({ length: 5 }, () => ({ type: 'mrkdwn', text: 'f'.repeat(2000) })) },
			{ type: 'context', elements: [{ type: 'mrkdwn', text: 'c'.repeat(1000) }] },
			{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'b'.repeat(50) }, action_id: 'a' }] },
			{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'r'.repeat(r) }] }] },
		];
		// 150 + 10,000 + 1,000 + 50 + r characters, 6 containers (5 blocks, 1 rich_text_section) x 125 = 750
		await expect(web.chat.postMessage({ channel: 'general', text: 't', blocks: blocks(50) as never })).resolves.toMatchObject({ ok: true });
		expect((await error(web.chat.postMessage({ channel: 'general', text: 't', blocks: blocks(51) as never }))).error).toBe('msg_blocks_too_long');
	});

	it('bolt-js#2867: 11,341 characters of text in header, divider, section and rich_text blocks are refused, as Slack did', async () => {
		const blocks = [
			{ type: 'header', text: { type: 'plain_text', text: 'h' } },
			{ type: 'divider' },
			...Array.from({ length: 5 }, () => section(2000)),
			{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'r'.repeat(1340) }] }] },
		];
		expect((await error(web.chat.postMessage({ channel: 'general', text: 't', blocks: blocks as never }))).error).toBe('msg_blocks_too_long');
	});

	it('also on chat.update, chat.scheduleMessage, chat.postEphemeral and response_url', async () => {
		const posted = await web.chat.postMessage({ channel: 'general', text: 'first', blocks: [section(10)] });
		expect((await error(web.chat.update({ channel: posted.channel as string, ts: posted.ts as string, text: 'x', blocks: overLimit() }))).error).toBe('msg_blocks_too_long');
		expect(slack.messages('general')[0].text).toBe('first');
		expect((await error(web.chat.scheduleMessage({ channel: 'general', text: 'x', post_at: nowS() + 3600, blocks: overLimit() }))).error).toBe('msg_blocks_too_long');
		expect(slack.scheduled('general')).toHaveLength(0);
		expect((await error(web.chat.postEphemeral({ channel: 'general', user: 'U0ADMIN001', text: 'x', blocks: overLimit() }))).error).toBe('msg_blocks_too_long');
		const url = slack.buildBlockActions({ channel: 'general' }).response_url as string;
		const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ replace_original: true, text: 'x', blocks: overLimit() }) });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ ok: false, error: 'msg_blocks_too_long' });
	});

	it('top-level text alone is still only truncated at 40,000 characters (message_truncated)', async () => {
		const res = await web.chat.postMessage({ channel: 'general', text: 'y'.repeat(40_001) });
		expect(res).toMatchObject({ ok: true, warning: 'message_truncated' });
		expect(slack.messages('general')[0].text).toHaveLength(40_000);
	});
});

describe('view_too_large (views.open / views.push / views.update: "greater than 250kb")', () => {
	const options = (n: number) => Array.from({ length: 100 }, (_, i) => ({ text: { type: 'plain_text' as const, text: `${n}-${i}`.padEnd(75, 'o') }, value: `${n}-${i}`.padEnd(150, 'v') }));
	const select = (n: number) => ({ type: 'input' as const, label: { type: 'plain_text' as const, text: `Pick ${n}` }, element: { type: 'static_select' as const, action_id: `s${n}`, options: options(n) } });
	const view = (selects: number) => ({
		type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Big' }, submit: { type: 'plain_text' as const, text: 'Save' },
		blocks: Array.from({ length: selects }, (_, i) => select(i)),
	});

	it('refuses a view over 250,000 bytes on open, push and update; accepts a large one under it', async () => {
		expect(JSON.stringify(view(12)).length).toBeGreaterThan(250_000);
		expect(JSON.stringify(view(8)).length).toBeLessThan(250_000);
		expect((await error(web.views.open({ trigger_id: slack.issueTriggerId(), view: view(12) as never }))).error).toBe('view_too_large');
		const opened = await web.views.open({ trigger_id: slack.issueTriggerId(), view: view(8) as never });
		const id = opened.view?.id as string;
		expect((await error(web.views.push({ trigger_id: slack.issueTriggerId('U0ADMIN001', id), view: view(12) as never }))).error).toBe('view_too_large');
		expect((await error(web.views.update({ view_id: id, view: view(12) as never }))).error).toBe('view_too_large');
	});
});

describe('chat.scheduledMessages.list and chat.scheduleMessage errors', () => {
	it('an unknown channel is invalid_channel (not channel_not_found) on chat.scheduledMessages.list', async () => {
		expect(await error(web.chat.scheduledMessages.list({ channel: 'C0NOSUCH01' }))).toMatchObject({ ok: false, error: 'invalid_channel' });
		const secret = slack.addChannel({ name: 'hidden-room', is_private: true, members: [] });
		expect((await error(web.chat.scheduledMessages.list({ channel: secret.id }))).error).toBe('invalid_channel');
		await expect(web.chat.scheduledMessages.list({ channel: 'general' })).resolves.toMatchObject({ ok: true, scheduled_messages: [] });
	});

	it('time_in_past, time_too_far (120 days), invalid_time', async () => {
		expect((await error(web.chat.scheduleMessage({ channel: 'general', text: 'x', post_at: nowS() - 60 }))).error).toBe('time_in_past');
		expect((await error(web.chat.scheduleMessage({ channel: 'general', text: 'x', post_at: nowS() + 120 * 86_400 + 60 }))).error).toBe('time_too_far');
		await expect(web.chat.scheduleMessage({ channel: 'general', text: 'x', post_at: nowS() + 119 * 86_400 })).resolves.toMatchObject({ ok: true });
		expect((await error(web.chat.scheduleMessage({ channel: 'general', text: 'x', post_at: 'tomorrow' as never }))).error).toBe('invalid_time');
	});
});

describe('rate limits are per method per workspace per app (docs.slack.dev/apis/web-api/rate-limits)', () => {
	it('a second token of the same app shares the first one\'s quota', async () => {
		slack.addToken({ token: 'xoxb-second-token-of-app', scopes: ['channels:read'] });
		const second = new WebClient('xoxb-second-token-of-app', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger });
		// conversations.list is Tier 2: 20 a minute
		for (let i = 0; i < 20; i++) await web.conversations.list({ limit: 5 });
		const refused = await second.conversations.list({ limit: 5 }).then(() => 'allowed', (e: { code?: string }) => e.code);
		expect(refused).toBe('slack_webapi_rate_limited_error');
		expect(slack.counters().ratelimited['conversations.list']).toBe(1);
	});
});
