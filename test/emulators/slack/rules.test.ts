/** The emulator's Slack rules: messages, threads, channels, users, scheduling, views, reactions, response_url. */
import { WebClient } from '@slack/web-api';
import { SlackEmulator, startSlackEmulator } from './index';
import { quietLogger, refusal } from './testing';

const logger = quietLogger;
let slack: SlackEmulator;
let web: WebClient;

const client = (token: string) => new WebClient(token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger });
const error = refusal;
const nowS = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
	slack = await startSlackEmulator();
});
afterAll(async () => {
	await slack.close();
});
beforeEach(() => {
	slack.reset();
	slack.setTimeScale(1);
	slack.rateLimits.postMessageBurst = 50; // these tests are about rules, not pacing
	web = client(slack.botToken);
});

describe('chat.update / chat.delete', () => {
	it('updates the bot\'s own message (blocks kept unless replaced) and refuses others\' messages', async () => {
		const posted = await web.chat.postMessage({ channel: 'general', text: 'v1', blocks: [{ type: 'divider' }] });
		const updated = await web.chat.update({ channel: posted.channel as string, ts: posted.ts as string, text: 'v2' });
		expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: 'v2' });
		const [m] = slack.messages('general');
		expect(m).toMatchObject({ text: 'v2', blocks: [{ type: 'divider' }], edited: { user: slack.botUserId } });

		slack.addToken({ token: 'xoxp-user-1', scopes: ['chat:write'], userId: 'U0ADMIN001' });
		const human = await client('xoxp-user-1').chat.postMessage({ channel: 'general', text: 'from a person' });
		expect((await error(web.chat.update({ channel: human.channel as string, ts: human.ts as string, text: 'hijack' }))).error).toBe('cant_update_message');
		expect((await error(web.chat.delete({ channel: human.channel as string, ts: human.ts as string }))).error).toBe('cant_delete_message');
		expect((await error(web.chat.update({ channel: human.channel as string, ts: '1700000000.000001', text: 'x' }))).error).toBe('message_not_found');
	});

	it('deleting a thread parent leaves a tombstone; deleting a reply updates the parent', async () => {
		const parent = await web.chat.postMessage({ channel: 'general', text: 'parent' });
		const r1 = await web.chat.postMessage({ channel: 'general', text: 'r1', thread_ts: parent.ts });
		await web.chat.postMessage({ channel: 'general', text: 'r2', thread_ts: parent.ts });
		await web.chat.delete({ channel: parent.channel as string, ts: r1.ts as string });
		expect(slack.messages('general')[0]).toMatchObject({ reply_count: 1 });
		await web.chat.delete({ channel: parent.channel as string, ts: parent.ts as string });
		expect(slack.messages('general')[0]).toMatchObject({ subtype: 'tombstone', text: 'This message was deleted.' });
		expect((await error(web.chat.delete({ channel: parent.channel as string, ts: parent.ts as string }))).error).toBe('message_not_found');
	});
});

describe('threads', () => {
	it('reply_broadcast shows the reply in the channel; a malformed thread_ts is invalid_thread_ts; an unknown one vanishes', async () => {
		const parent = await web.chat.postMessage({ channel: 'general', text: 'parent' });
		await web.chat.postMessage({ channel: 'general', text: 'also in channel', thread_ts: parent.ts as string, reply_broadcast: true });
		await web.chat.postMessage({ channel: 'general', text: 'only in thread', thread_ts: parent.ts });
		const history = await web.conversations.history({ channel: parent.channel as string });
		expect(history.messages?.map((m) => [m.text, m.subtype])).toEqual([['also in channel', 'thread_broadcast'], ['parent', undefined]]);
		expect(history.messages?.[1]).toMatchObject({ reply_count: 2, reply_users: [slack.botUserId], latest_reply: expect.any(String) });

		const bad = await error(web.chat.postMessage({ channel: 'general', text: 'x', thread_ts: '0' }));
		expect(bad).toMatchObject({ error: 'invalid_thread_ts', response_metadata: { messages: ['[ERROR] 0 is not a valid thread_ts'] } });
		const thread = await web.conversations.replies({ channel: parent.channel as string, ts: parent.ts as string });
		expect(thread.messages?.map((m) => m.text)).toEqual(['parent', 'also in channel', 'only in thread']);
		expect((await error(web.conversations.replies({ channel: parent.channel as string, ts: '1700000000.000009' }))).error).toBe('thread_not_found');
		const orphan = await web.chat.postMessage({ channel: 'general', text: 'lost', thread_ts: '1602251441.0017' });
		expect(orphan.ok).toBe(true);
		expect((await web.conversations.history({ channel: parent.channel as string })).messages?.map((m) => m.text)).not.toContain('lost');
	});
});

describe('channels', () => {
	it('conversations.join joins public channels, warns when already in, refuses private and archived ones', async () => {
		const pub = slack.addChannel({ name: 'marketing', members: [] });
		const priv = slack.addChannel({ name: 'secret', is_private: true, members: ['U0ADMIN001'] });
		const archived = slack.addChannel({ name: 'old', is_archived: true, members: [] });
		expect((await error(web.conversations.history({ channel: pub.id }))).error).toBe('not_in_channel');
		const joined = await web.conversations.join({ channel: pub.id });
		expect(joined.channel).toMatchObject({ id: pub.id, is_member: true });
		expect((await web.conversations.join({ channel: pub.id })).warning).toBe('already_in_channel');
		expect((await error(web.conversations.join({ channel: priv.id }))).error).toBe('method_not_supported_for_channel_type');
		expect((await error(web.conversations.join({ channel: archived.id }))).error).toBe('is_archived');
		// a private channel the bot is not in does not exist for it
		expect((await error(web.conversations.info({ channel: priv.id }))).error).toBe('channel_not_found');
		expect((await error(web.chat.postMessage({ channel: priv.id, text: 'x' }))).error).toBe('channel_not_found');
	});

	it('conversations.list pages channels and needs the scope of each requested type', async () => {
		for (let i = 0; i < 12; i++) slack.addChannel({ name: `c${i}` });
		slack.addChannel({ name: 'priv', is_private: true });
		const names: string[] = [];
		let cursor: string | undefined;
		do {
			const page = await web.conversations.list({ limit: 5, cursor, types: 'public_channel,private_channel' });
			names.push(...(page.channels ?? []).map((c) => c.name as string));
			cursor = page.response_metadata?.next_cursor || undefined;
		} while (cursor);
		expect(names).toHaveLength(15);
		expect(names).toContain('priv');
		slack.addToken({ token: 'xoxb-pub-only', scopes: ['channels:read'] });
		expect(await error(client('xoxb-pub-only').conversations.list({ types: 'private_channel' }))).toMatchObject({ error: 'missing_scope', needed: 'groups:read' });
		const info = await web.conversations.info({ channel: slack.channel('c0')?.id as string, include_num_members: true });
		expect(info.channel).toMatchObject({ name: 'c0', is_channel: true, is_private: false, num_members: 2 });
		const members = await web.conversations.members({ channel: slack.channel('c0')?.id as string });
		expect(members.members).toEqual([slack.botUserId, 'U0ADMIN001']);
	});
});

describe('users', () => {
	it('hides profile.email without users:read.email and lookupByEmail needs that scope', async () => {
		const u = slack.addUser({ name: 'kim', real_name: 'Kim Lee', profile: { real_name: 'Kim Lee', display_name: 'kim', email: 'Kim@Example.com' } });
		expect((await web.users.info({ user: u.id })).user?.profile?.email).toBe('Kim@Example.com');
		expect((await web.users.lookupByEmail({ email: 'kim@example.com' })).user?.id).toBe(u.id);
		expect((await error(web.users.lookupByEmail({ email: 'nobody@example.com' }))).error).toBe('users_not_found');
		expect((await error(web.users.info({ user: 'U000NOPE' }))).error).toBe('user_not_found');
		slack.addToken({ token: 'xoxb-noemail', scopes: ['users:read'] });
		const noEmail = client('xoxb-noemail');
		expect((await noEmail.users.info({ user: u.id })).user?.profile).not.toHaveProperty('email');
		const listed = await noEmail.users.list({ limit: 100 });
		expect(listed.members?.every((m) => m.profile?.email === undefined)).toBe(true);
		expect(await error(noEmail.users.lookupByEmail({ email: 'kim@example.com' }))).toMatchObject({ error: 'missing_scope', needed: 'users:read.email' });
	});

	it('generates 100,000 members lazily: pages, lookups and the mix are consistent', async () => {
		slack.generateUsers(100_000, { bots: 1000, deleted: 2000, noEmail: 500 });
		const page = await web.users.list({ limit: 1000 });
		expect(page.members).toHaveLength(1000);
		const sample = page.members?.find((m) => m.profile?.email);
		expect((await web.users.lookupByEmail({ email: sample?.profile?.email as string })).user?.id).toBe(sample?.id);
		expect((await web.users.info({ user: sample?.id as string })).user).toEqual(sample);
		let bots = 0;
		let deleted = 0;
		let noEmail = 0;
		for (let i = 0; i < 100_003; i++) {
			const m = slack.state.users.at(i);
			if (!m || i < 3) continue;
			if (m.is_bot) bots++;
			else if (m.deleted) {
				deleted++;
				expect(m).not.toHaveProperty('tz');
			} else if (!m.profile.email) noEmail++;
		}
		expect({ bots, deleted, noEmail }).toEqual({ bots: 1000, deleted: 2000, noEmail: 500 });
		expect((await error(web.users.list({}))).error).toBe('limit_required');
	});

	it('users.conversations lists the channels a member is in', async () => {
		slack.addChannel({ name: 'sales', members: ['U0ADMIN001'] });
		const r = await web.users.conversations({ user: 'U0ADMIN001', types: 'public_channel' });
		expect(r.channels?.map((c) => c.name).sort()).toEqual(['general', 'random', 'sales']);
	});
});

describe('scheduling rules', () => {
	it('restricted_too_many after 30 messages in a 5-minute window of one channel', async () => {
		const at = nowS() + 3600;
		// Tier 3 allows 50 calls a minute, so the 31st call reaches the scheduling rule
		for (let i = 0; i < 30; i++) await web.chat.scheduleMessage({ channel: 'general', text: `m${i}`, post_at: at + i });
		expect(slack.scheduled('general').filter((s) => s.status === 'pending')).toHaveLength(30);
		expect((await error(web.chat.scheduleMessage({ channel: 'general', text: 'one more', post_at: at + 100 }))).error).toBe('restricted_too_many');
		await expect(web.chat.scheduleMessage({ channel: 'general', text: 'later', post_at: at + 900 })).resolves.toMatchObject({ ok: true });
	});

	it('a message with metadata never posts; deleteScheduledMessage fails within 60 s of post_at and once posted', async () => {
		slack.setTimeScale(100); // 120 s ahead -> due in 1.2 s; the 60 s guard becomes 0.6 s
		const withMeta = await web.chat.scheduleMessage({ channel: 'general', text: 'bugged', post_at: nowS() + 1, metadata: { event_type: 'x', event_payload: {} } });
		const soon = await web.chat.scheduleMessage({ channel: 'general', text: 'soon', post_at: nowS() + 30 });
		expect((await error(web.chat.deleteScheduledMessage({ channel: soon.channel as string, scheduled_message_id: soon.scheduled_message_id as string }))).error).toBe('invalid_scheduled_message_id');
		await new Promise((r) => setTimeout(r, 400));
		expect(slack.messages('general').map((m) => m.text)).toEqual(['soon']);
		expect(slack.scheduled().find((s) => s.id === withMeta.scheduled_message_id)?.status).toBe('dropped');
		expect((await error(web.chat.deleteScheduledMessage({ channel: soon.channel as string, scheduled_message_id: soon.scheduled_message_id as string }))).error).toBe('invalid_scheduled_message_id');
	});

	it('delivers on a timer even when nobody calls', async () => {
		slack.setTimeScale(200);
		await web.chat.scheduleMessage({ channel: 'general', text: 'timer', post_at: nowS() + 20 });
		await new Promise((r) => setTimeout(r, 250));
		expect(slack.state.history.get(slack.channel('general')?.id as string)?.map((m) => m.text)).toEqual(['timer']);
	});
});

describe('views', () => {
	const modal = (title = 'Form') => ({ type: 'modal' as const, title: { type: 'plain_text' as const, text: title }, blocks: [{ type: 'divider' as const }] });

	it('pushes at most 3 views on a stack', async () => {
		const opened = await web.views.open({ trigger_id: slack.issueTriggerId(), view: modal() });
		const root = opened.view?.id as string;
		const second = await web.views.push({ trigger_id: slack.issueTriggerId('U0ADMIN001', root), view: modal('Two') });
		expect(second.view).toMatchObject({ root_view_id: root, previous_view_id: root });
		await web.views.push({ trigger_id: slack.issueTriggerId('U0ADMIN001', second.view?.id), view: modal('Three') });
		expect((await error(web.views.push({ trigger_id: slack.issueTriggerId('U0ADMIN001', root), view: modal('Four') }))).error).toBe('push_limit_reached');
	});

	it('validates views: title length, block count, submit with inputs', async () => {
		const long = await error(web.views.open({ trigger_id: slack.issueTriggerId(), view: modal('x'.repeat(25)) }));
		expect(long).toMatchObject({ error: 'invalid_arguments', response_metadata: { messages: expect.arrayContaining(['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]']) } });
		const many = await error(web.views.open({ trigger_id: slack.issueTriggerId(), view: { ...modal(), blocks: Array.from({ length: 101 }, () => ({ type: 'divider' as const })) } }));
		expect(many.response_metadata.messages).toContain('[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]');
		const noSubmit = await error(web.views.open({
			trigger_id: slack.issueTriggerId(),
			view: { ...modal(), blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Email' }, element: { type: 'plain_text_input', action_id: 'email' } }] },
		}));
		expect(noSubmit.error).toBe('invalid_arguments');
	});
});

describe('reactions.add', () => {
	it('adds once, then already_reacted; bad names and unknown messages fail', async () => {
		const posted = await web.chat.postMessage({ channel: 'general', text: 'react to me' });
		await web.reactions.add({ channel: posted.channel as string, timestamp: posted.ts as string, name: 'white_check_mark' });
		expect(slack.messages('general')[0].reactions).toEqual([{ name: 'white_check_mark', users: [slack.botUserId], count: 1 }]);
		expect((await error(web.reactions.add({ channel: posted.channel as string, timestamp: posted.ts as string, name: 'white_check_mark' }))).error).toBe('already_reacted');
		expect((await error(web.reactions.add({ channel: posted.channel as string, timestamp: posted.ts as string, name: 'Not An Emoji!' }))).error).toBe('invalid_name');
		expect((await error(web.reactions.add({ channel: posted.channel as string, timestamp: '1700000000.000001', name: 'tada' }))).error).toBe('message_not_found');
	});
});

describe('postEphemeral and unfurl', () => {
	it('stores ephemeral messages out of history; the user must be in the channel', async () => {
		const r = await web.chat.postEphemeral({ channel: 'general', user: 'U0ADMIN001', text: 'only you' });
		expect(r.message_ts).toMatch(/^\d+\.\d{6}$/);
		expect(slack.ephemerals('general')).toEqual([expect.objectContaining({ user: 'U0ADMIN001', text: 'only you', source: 'api' })]);
		expect(slack.messages('general')).toHaveLength(0);
		const outsider = slack.addUser({ name: 'outsider' });
		expect((await error(web.chat.postEphemeral({ channel: 'general', user: outsider.id, text: 'x' }))).error).toBe('user_not_in_channel');
	});

	it('chat.unfurl attaches unfurls to the message, or to the link_shared event\'s unfurl_id', async () => {
		const posted = await web.chat.postMessage({ channel: 'general', text: 'see <https://app.brevo.com/campaign/1>' });
		const unfurls = { 'https://app.brevo.com/campaign/1': { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Campaign 1*' } }] } };
		await web.chat.unfurl({ channel: posted.channel as string, ts: posted.ts as string, unfurls });
		expect(slack.messages('general')[0].unfurls).toEqual(unfurls);
		const other = { 'https://app.brevo.com/campaign/2': { blocks: [{ type: 'divider' }] } };
		expect((await error(web.chat.unfurl({ channel: posted.channel as string, ts: posted.ts as string, unfurls: other }))).error).toBe('cannot_unfurl_message');
		expect((await error(web.chat.unfurl({ channel: posted.channel as string, ts: '1700000000.000001', unfurls }))).error).toBe('cannot_find_message');
		expect((await error(web.chat.unfurl({ channel: 'C0NOPE', ts: posted.ts as string, unfurls }))).error).toBe('cannot_find_channel');
		const bad = { 'https://app.brevo.com/campaign/1': { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] } };
		expect((await error(web.chat.unfurl({ channel: posted.channel as string, ts: posted.ts as string, unfurls: bad }))).errors).toContain('must be less than 151 characters [json-pointer:/unfurls/https:~1~1app.brevo.com~1campaign~11/blocks/0/text/text]');

		const composer = slack.buildLinkSharedEvent({ source: 'composer', links: ['https://app.brevo.com/campaign/9'] });
		await web.chat.unfurl({ unfurl_id: composer.unfurl_id, source: 'composer', unfurls: { 'https://app.brevo.com/campaign/9': { blocks: [{ type: 'divider' }] } } } as never);
		expect(slack.unfurls().map((u) => u.unfurl_id ?? u.ts)).toEqual([posted.ts, composer.unfurl_id]);
		expect((await error(web.chat.unfurl({ unfurl_id: 'Unever-announced', source: 'composer', unfurls } as never))).error).toBe('cannot_unfurl_url');
	});
});

describe('response_url', () => {
	const respond = (url: string, body: object) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

	it('replaces, posts in channel, answers ephemerally, deletes; 5 uses at most', async () => {
		const payload = slack.buildBlockActions({ channel: 'general' });
		const url = payload.response_url as string;
		expect(url.startsWith(`${slack.url}/_response/`)).toBe(true);
		const ts = (payload.message as { ts: string }).ts;
		expect((await respond(url, { replace_original: true, text: 'Approved by <@U0ADMIN001>' })).status).toBe(200);
		expect(slack.messages('general')[0]).toMatchObject({ ts, text: 'Approved by <@U0ADMIN001>' });
		await respond(url, { response_type: 'in_channel', text: 'FYI' });
		await respond(url, { text: 'just for you' });
		expect(slack.ephemerals('general')).toEqual([expect.objectContaining({ text: 'just for you', user: 'U0ADMIN001', source: 'response_url' })]);
		await respond(url, { delete_original: true });
		expect(slack.messages('general').map((m) => m.text)).toEqual(['FYI']);
		expect((await respond(url, { text: 'fifth' })).status).toBe(200);
		const sixth = await respond(url, { text: 'sixth' });
		expect(sixth.status).toBe(404);
		expect(await sixth.json()).toEqual({ ok: false, error: 'used_url' });
		expect(slack.responseEffects().map((e) => e.kind)).toEqual(['replaced', 'in_channel', 'ephemeral', 'deleted', 'ephemeral', 'rejected']);
	});

	it('a click on a thread reply carries the thread, and in_channel answers go to that thread', async () => {
		const parent = await web.chat.postMessage({ channel: 'general', text: 'order #42' });
		const reply = await web.chat.postMessage({ channel: 'general', text: 'approve?', thread_ts: parent.ts as string });
		const payload = slack.buildBlockActions({ channel: 'general', messageTs: reply.ts as string });
		expect(payload.container).toMatchObject({ message_ts: reply.ts, thread_ts: parent.ts });
		await respond(payload.response_url as string, { response_type: 'in_channel', text: 'approved' });
		expect(slack.messages('general').at(-1)).toMatchObject({ text: 'approved', thread_ts: parent.ts });
		const top = slack.buildBlockActions({ channel: 'general', messageTs: parent.ts as string });
		expect(top.container).not.toHaveProperty('thread_ts');
	});

	it('expires after 30 minutes (scaled)', async () => {
		slack.setTimeScale(60_000); // 30 minutes -> 30 ms
		const url = slack.buildBlockActions({}).response_url as string;
		await new Promise((r) => setTimeout(r, 60));
		expect(await (await respond(url, { text: 'late' })).json()).toEqual({ ok: false, error: 'expired_url' });
	});
});

describe('cursors and history limits', () => {
	it('a cursor expires (scaled) and does not survive a reset', async () => {
		for (let i = 0; i < 5; i++) slack.addChannel({ name: `p${i}` });
		const first = await web.conversations.list({ limit: 2 });
		const cursor = first.response_metadata?.next_cursor as string;
		expect(Buffer.from(cursor, 'base64').toString('utf8')).toMatch(/^conversations:/);
		await expect(web.conversations.list({ limit: 2, cursor })).resolves.toMatchObject({ ok: true });
		expect((await error(web.users.list({ limit: 2, cursor }))).error).toBe('invalid_cursor'); // another listing's cursor
		slack.reset();
		expect((await error(web.conversations.list({ limit: 2, cursor }))).error).toBe('invalid_cursor');
		for (let i = 0; i < 5; i++) slack.addChannel({ name: `p${i}` });
		const fresh = (await web.conversations.list({ limit: 2 })).response_metadata?.next_cursor as string;
		slack.setTimeScale(3_600_000); // an hour of cursor life -> 1 ms
		await new Promise((r) => setTimeout(r, 20));
		expect((await error(web.conversations.list({ limit: 2, cursor: fresh }))).error).toBe('invalid_cursor');
	});

	it('limit above 1000 is served as 1000', async () => {
		slack.generateUsers(1500);
		const page = await web.users.list({ limit: 5000 });
		expect(page.members).toHaveLength(1000);
		expect(page.response_metadata?.next_cursor).not.toBe('');
	});

	it('restrictedHistory: 15 messages per page and 1 request per minute (non-Marketplace apps since 2025)', async () => {
		const restricted = await startSlackEmulator({ seed: { restrictedHistory: true } });
		try {
			restricted.rateLimits.postMessageBurst = 50;
			const c = new WebClient(restricted.botToken, { slackApiUrl: restricted.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger });
			for (let i = 0; i < 20; i++) await c.chat.postMessage({ channel: 'general', text: `m${i}` });
			const page = await c.conversations.history({ channel: restricted.channel('general')?.id as string, limit: 100 });
			expect(page.messages).toHaveLength(15);
			expect(page.has_more).toBe(true);
			await expect(c.conversations.history({ channel: restricted.channel('general')?.id as string })).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error' });
		} finally {
			await restricted.close();
		}
	});
});

describe('direct messages', () => {
	it('posting to a user id opens the DM with that user; reading by user id is channel_not_found', async () => {
		const posted = await web.chat.postMessage({ channel: 'U0ADMIN001', text: 'Your weekly summary' });
		expect(posted.channel).toMatch(/^D/);
		expect(slack.messages(posted.channel as string).map((m) => m.text)).toEqual(['Your weekly summary']);
		const again = await web.chat.postMessage({ channel: 'U0ADMIN001', text: 'again' });
		expect(again.channel).toBe(posted.channel);
		expect((await error(web.conversations.info({ channel: 'U0ADMIN001' }))).error).toBe('channel_not_found');
	});
});

describe('token rotation', () => {
	it('a rotated access token expires after 43,200 s (scaled) with token_expired', async () => {
		const code = slack.createOAuthCode({ rotation: true });
		const anon = new WebClient(undefined, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger });
		const granted = await anon.oauth.v2.access({ client_id: slack.clientId, client_secret: slack.clientSecret, code });
		await expect(client(granted.access_token as string).auth.test()).resolves.toMatchObject({ ok: true });
		slack.setTimeScale(43_200_000); // 12 hours -> 1 ms
		await new Promise((r) => setTimeout(r, 20));
		expect((await error(client(granted.access_token as string).auth.test())).error).toBe('token_expired');
	});

	it('the per-channel postMessage limit is the same whether the channel is named or given by id', async () => {
		slack.rateLimits.postMessageBurst = 2;
		slack.rateLimits.postMessagePerSecond = 0.001;
		await web.chat.postMessage({ channel: 'general', text: '1' });
		await web.chat.postMessage({ channel: slack.channel('general')?.id as string, text: '2' });
		await expect(web.chat.postMessage({ channel: '#general', text: '3' })).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error' });
	});
});
