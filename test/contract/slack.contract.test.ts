/**
 * Contract: the real @slack/web-api WebClient against the Slack emulator, for success and error shapes.
 * (What the package's Slack client factory and nodes rely on.)
 */
import { ErrorCode, WebClient, WebClientEvent } from '@slack/web-api';
import { SlackEmulator, startSlackEmulator } from '../emulators/slack';
import { quietLogger } from '../emulators/slack/testing';

const quiet = { logLevel: undefined, logger: quietLogger };

let slack: SlackEmulator;
let web: WebClient;

beforeAll(async () => {
	slack = await startSlackEmulator();
});
afterAll(async () => {
	await slack.close();
});
beforeEach(() => {
	slack.reset();
	slack.setTimeScale(1);
	web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, ...quiet });
});

async function slackError(p: Promise<unknown>): Promise<{ code: string; data: Record<string, unknown> & { error: string } }> {
	try {
		await p;
	} catch (e) {
		return e as never;
	}
	throw new Error('expected the call to fail');
}

describe('auth', () => {
	it('auth.test answers the bot identity and the token scopes (X-OAuth-Scopes)', async () => {
		const r = await web.auth.test();
		expect(r).toMatchObject({ ok: true, team_id: slack.teamId, user_id: slack.botUserId, bot_id: slack.botId });
		expect(r.response_metadata?.scopes).toEqual(expect.arrayContaining(['chat:write', 'users:read.email']));
	});

	it('invalid, revoked and missing tokens fail with Slack codes', async () => {
		const bad = new WebClient('xoxb-1-2-nope', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, ...quiet });
		expect((await slackError(bad.auth.test())).data.error).toBe('invalid_auth');
		slack.addToken({ token: 'xoxb-revoked-1', scopes: ['chat:write'], revoked: true });
		const revoked = new WebClient('xoxb-revoked-1', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, ...quiet });
		expect((await slackError(revoked.auth.test())).data.error).toBe('token_revoked');
		const none = new WebClient(undefined, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, ...quiet });
		const e = await slackError(none.auth.test());
		expect(e.code).toBe(ErrorCode.PlatformError);
		expect(e.data.error).toBe('not_authed');
	});

	it('missing_scope carries needed and provided', async () => {
		slack.addToken({ token: 'xoxb-narrow-1', scopes: ['users:read'] });
		const narrow = new WebClient('xoxb-narrow-1', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, ...quiet });
		const e = await slackError(narrow.chat.postMessage({ channel: 'general', text: 'hi' }));
		expect(e.data).toMatchObject({ ok: false, error: 'missing_scope', needed: 'chat:write', provided: 'users:read' });
	});
});

describe('messages', () => {
	it('postMessage then conversations.history returns it, with metadata only when asked', async () => {
		const posted = await web.chat.postMessage({
			channel: 'general', text: 'New subscriber', metadata: { event_type: 'new_subscriber', event_payload: { email: 'a@b.c' } },
			blocks: [{ type: 'header', text: { type: 'plain_text', text: 'New subscriber' } }],
		});
		expect(posted.ok).toBe(true);
		expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
		expect(posted.message).toMatchObject({ text: 'New subscriber', bot_id: slack.botId, user: slack.botUserId });
		expect(posted.message).not.toHaveProperty('subtype');
		const reply = await web.chat.postMessage({ channel: posted.channel as string, thread_ts: posted.ts, text: 'details' });
		expect(reply.message?.thread_ts).toBe(posted.ts);

		const plain = await web.conversations.history({ channel: posted.channel as string });
		expect(plain.messages).toHaveLength(1); // replies stay in the thread
		expect(plain.messages?.[0]).toMatchObject({ ts: posted.ts, reply_count: 1, thread_ts: posted.ts });
		expect(plain.messages?.[0]).not.toHaveProperty('metadata');
		const withMeta = await web.conversations.history({ channel: posted.channel as string, include_all_metadata: true });
		expect(withMeta.messages?.[0].metadata).toEqual({ event_type: 'new_subscriber', event_payload: { email: 'a@b.c' } });
		expect(slack.messages('general').map((m) => m.text)).toEqual(['New subscriber', 'details']);
	});

	it('invalid_blocks: errors[] and response_metadata.messages with json-pointers', async () => {
		const e = await slackError(web.chat.postMessage({
			channel: 'general', text: 'x',
			blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(3001) } }, { type: 'header', text: { type: 'plain_text', text: 'z'.repeat(151) } }],
		}));
		expect(e.data.error).toBe('invalid_blocks');
		expect(e.data.errors).toEqual(expect.arrayContaining([
			'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
			'must be less than 151 characters [json-pointer:/blocks/1/text/text]',
		]));
		expect((e.data.response_metadata as { messages: string[] }).messages).toContain('[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]');
	});

	it('no_text, not_in_channel, channel_not_found, is_archived', async () => {
		slack.addChannel({ name: 'outside', members: [] });
		slack.addChannel({ name: 'old', is_archived: true });
		expect((await slackError(web.chat.postMessage({ channel: 'general' } as never))).data.error).toBe('no_text');
		expect((await slackError(web.chat.postMessage({ channel: 'outside', text: 'x' }))).data.error).toBe('not_in_channel');
		expect((await slackError(web.chat.postMessage({ channel: 'C0NOPE0000', text: 'x' }))).data.error).toBe('channel_not_found');
		expect((await slackError(web.chat.postMessage({ channel: 'old', text: 'x' }))).data.error).toBe('is_archived');
		await web.conversations.join({ channel: slack.channel('outside')?.id as string });
		await expect(web.chat.postMessage({ channel: 'outside', text: 'x' })).resolves.toMatchObject({ ok: true });
	});

	it('text over 40,000 characters is truncated with the message_truncated warning', async () => {
		const r = await web.chat.postMessage({ channel: 'general', text: 'a'.repeat(40_010) });
		expect(r.warning).toBe('message_truncated');
		expect(r.response_metadata?.warnings).toContain('message_truncated');
		expect(slack.messages('general')[0].text).toHaveLength(40_000);
	});
});

describe('rate limits', () => {
	it('the SDK waits Retry-After and retries when rejectRateLimitedCalls is false', async () => {
		slack.injectFault({ method: 'users.info', status: 429, retryAfter: 1 });
		const events: number[] = [];
		const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: false, retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 10 }, ...quiet });
		client.on(WebClientEvent.RATE_LIMITED, (sec: number) => events.push(sec));
		const r = await client.users.info({ user: slack.botUserId });
		expect(r.ok).toBe(true);
		expect(events).toEqual([1]);
		expect(slack.counters()).toMatchObject({ calls: { 'users.info': 2 }, ratelimited: { 'users.info': 1 } });
	});

	it('the real tier limit answers 429 + Retry-After, and rejectRateLimitedCalls throws a rate-limited error', async () => {
		const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true, ...quiet });
		for (let i = 0; i < 20; i++) await client.conversations.list({ limit: 10 }); // Tier 2: 20 per minute
		const e = (await slackError(client.conversations.list({ limit: 10 }))) as unknown as { code: string; retryAfter: number };
		expect(e.code).toBe(ErrorCode.RateLimitedError);
		expect(e.retryAfter).toBeGreaterThanOrEqual(1);
		expect(e.retryAfter).toBeLessThanOrEqual(60);
		const last = slack.requests({ method: 'conversations.list' }).at(-1);
		expect(last?.status).toBe(429);
		expect(last?.response).toEqual({ ok: false, error: 'ratelimited' });
	});

	it('with a time scale the SDK rides out the per-channel postMessage limit', async () => {
		slack.setTimeScale(2); // 1 message/s per channel becomes 2/s after the burst of 4; Retry-After stays a whole second
		const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: false, ...quiet });
		let limited = 0;
		client.on(WebClientEvent.RATE_LIMITED, () => limited++);
		for (let i = 0; i < 6; i++) await client.chat.postMessage({ channel: 'general', text: `m${i}` });
		expect(slack.messages('general')).toHaveLength(6);
		expect(limited).toBeGreaterThanOrEqual(1);
	});
});

describe('pagination', () => {
	it('paginate() follows next_cursor through short pages to every member', async () => {
		slack.generateUsers(1000, { bots: 10, deleted: 20, noEmail: 5 });
		const pageSizes: number[] = [];
		const cursors: string[] = [];
		for await (const page of web.paginate('users.list', { limit: 200 })) {
			pageSizes.push(((page as { members?: unknown[] }).members ?? []).length);
			cursors.push(String((page.response_metadata as { next_cursor?: string }).next_cursor ?? ''));
		}
		const total = pageSizes.reduce((a, b) => a + b, 0);
		expect(total).toBe(1003); // Slackbot, the bot user, the seeded admin + 1000
		expect(pageSizes.some((n, i) => n < 200 && cursors[i] !== '')).toBe(true); // a short page that is not the end
		expect(cursors.at(-1)).toBe('');
	});

	it('a bad cursor is invalid_cursor', async () => {
		expect((await slackError(web.users.list({ limit: 10, cursor: 'bm9wZQ==' }))).data.error).toBe('invalid_cursor');
	});
});

describe('scheduling', () => {
	const now = () => Math.floor(Date.now() / 1000);

	it('scheduleMessage errors: time_in_past, time_too_far, invalid_time', async () => {
		expect((await slackError(web.chat.scheduleMessage({ channel: 'general', text: 'x', post_at: now() - 10 }))).data.error).toBe('time_in_past');
		expect((await slackError(web.chat.scheduleMessage({ channel: 'general', text: 'x', post_at: now() + 121 * 86_400 }))).data.error).toBe('time_too_far');
		expect((await slackError(web.chat.scheduleMessage({ channel: 'general', text: 'x', post_at: 'tomorrow' as never }))).data.error).toBe('invalid_time');
	});

	it('schedules, lists, deletes, and delivers at post_at', async () => {
		const far = await web.chat.scheduleMessage({ channel: 'general', text: 'weekly summary', post_at: now() + 3600 });
		expect(far.scheduled_message_id).toMatch(/^Q/);
		const listed = await web.chat.scheduledMessages.list({ channel: slack.channel('general')?.id });
		expect(listed.scheduled_messages).toEqual([expect.objectContaining({ id: far.scheduled_message_id, post_at: far.post_at, text: 'weekly summary' })]);
		await web.chat.deleteScheduledMessage({ channel: slack.channel('general')?.id as string, scheduled_message_id: far.scheduled_message_id as string });
		expect((await web.chat.scheduledMessages.list({})).scheduled_messages).toEqual([]);

		await web.chat.scheduleMessage({ channel: 'general', text: 'soon', post_at: now() });
		expect(slack.messages('general').map((m) => m.text)).toEqual(['soon']);
	});
});

describe('views', () => {
	const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Add contact' }, blocks: [{ type: 'divider' as const }] };

	it('a trigger_id opens one modal; reuse and expiry fail like Slack', async () => {
		const trigger = slack.issueTriggerId();
		const opened = await web.views.open({ trigger_id: trigger, view });
		expect(opened.view).toMatchObject({ type: 'modal', root_view_id: opened.view?.id, hash: expect.any(String) });
		expect((await slackError(web.views.open({ trigger_id: trigger, view }))).data.error).toBe('exchanged_trigger_id');
		expect((await slackError(web.views.open({ trigger_id: '1.2.3', view }))).data.error).toBe('invalid_trigger_id');

		slack.setTimeScale(1000); // a trigger issued now lives 3 ms
		const late = slack.issueTriggerId();
		await new Promise((r) => setTimeout(r, 30));
		expect((await slackError(web.views.open({ trigger_id: late, view }))).data.error).toBe('expired_trigger_id');
	});

	it('views.update with a stale hash is hash_conflict', async () => {
		const opened = await web.views.open({ trigger_id: slack.issueTriggerId(), view });
		const id = opened.view?.id as string;
		const hash = opened.view?.hash as string;
		const updated = await web.views.update({ view_id: id, hash, view: { ...view, title: { type: 'plain_text', text: 'Step 2' } } });
		expect(updated.view?.id).toBe(id);
		expect(updated.view?.hash).not.toBe(hash);
		expect((await slackError(web.views.update({ view_id: id, hash, view }))).data.error).toBe('hash_conflict');
	});
});

describe('oauth.v2.access', () => {
	it('exchanges a code, then rotates with the refresh token', async () => {
		const anon = new WebClient(undefined, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, ...quiet });
		const code = slack.createOAuthCode({ scopes: ['chat:write', 'users:read'], rotation: true });
		const first = await anon.oauth.v2.access({ client_id: slack.clientId, client_secret: slack.clientSecret, code });
		expect(first).toMatchObject({ ok: true, token_type: 'bot', scope: 'chat:write,users:read', bot_user_id: slack.botUserId, expires_in: 43_200, team: { id: slack.teamId } });
		expect(first.access_token).toMatch(/^xoxe\.xoxb-/);
		expect(first.refresh_token).toMatch(/^xoxe-1-/);
		expect((await slackError(anon.oauth.v2.access({ client_id: slack.clientId, client_secret: slack.clientSecret, code }))).data.error).toBe('invalid_code');

		const rotated = await anon.oauth.v2.access({ client_id: slack.clientId, client_secret: slack.clientSecret, grant_type: 'refresh_token', refresh_token: first.refresh_token });
		expect(rotated.access_token).not.toBe(first.access_token);
		const client = new WebClient(rotated.access_token, { slackApiUrl: slack.apiUrl, ...quiet });
		await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
		expect((await slackError(anon.oauth.v2.access({ client_id: slack.clientId, client_secret: 'wrong', code: 'x' }))).data.error).toBe('bad_client_secret');
	});
});
