/** The emulator's request handling at the HTTP level: body formats, tokens, headers, faults, rate limits, admin. */
import { SlackEmulator, startSlackEmulator } from './index';

let slack: SlackEmulator;

beforeAll(async () => {
	slack = await startSlackEmulator();
});
afterAll(async () => {
	await slack.close();
});
beforeEach(() => {
	slack.reset();
	slack.setTimeScale(1);
});

async function call(method: string, init: { query?: Record<string, string>; form?: Record<string, string>; json?: unknown; rawJson?: string; bearer?: string; contentType?: string } = {}) {
	const url = new URL(`${slack.apiUrl}${method}`);
	for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
	const headers: Record<string, string> = {};
	if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
	let body: string | undefined;
	if (init.form) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		body = new URLSearchParams(init.form).toString();
	} else if (init.json !== undefined || init.rawJson !== undefined) {
		headers['content-type'] = init.contentType ?? 'application/json; charset=utf-8';
		body = init.rawJson ?? JSON.stringify(init.json);
	}
	const res = await fetch(url, { method: body === undefined ? 'GET' : 'POST', headers, body });
	return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

describe('request formats', () => {
	it('accepts GET query, form body with the token in it, and JSON with a Bearer header', async () => {
		const get = await call('auth.test', { query: { token: slack.botToken } });
		expect(get.body).toMatchObject({ ok: true, user_id: slack.botUserId });
		const form = await call('chat.postMessage', { form: { token: slack.botToken, channel: 'general', text: 'form', blocks: JSON.stringify([{ type: 'divider' }]) } });
		expect(form.body.ok).toBe(true);
		expect(form.body.message.blocks[0]).toMatchObject({ type: 'divider', block_id: expect.any(String) });
		const json = await call('chat.postMessage', { bearer: slack.botToken, json: { channel: 'general', text: 'json', blocks: [{ type: 'divider' }] } });
		expect(json.body.ok).toBe(true);
		expect(slack.messages('general').map((m) => m.text)).toEqual(['form', 'json']);
	});

	it('JSON with the token in the body is not_authed; malformed JSON is invalid_json; no charset warns', async () => {
		expect((await call('chat.postMessage', { json: { token: slack.botToken, channel: 'general', text: 'x' } })).body).toMatchObject({ ok: false, error: 'not_authed' });
		expect((await call('chat.postMessage', { bearer: slack.botToken, rawJson: '{"channel":' })).body).toMatchObject({ ok: false, error: 'invalid_json' });
		const noCharset = await call('chat.postMessage', { bearer: slack.botToken, json: { channel: 'general', text: 'x' }, contentType: 'application/json' });
		expect(noCharset.body).toMatchObject({ ok: true, warning: 'missing_charset', response_metadata: { warnings: ['missing_charset'] } });
	});

	it('sends X-OAuth-Scopes on every answer and X-Accepted-OAuth-Scopes for scoped methods', async () => {
		const r = await call('users.info', { bearer: slack.botToken, query: { user: slack.botUserId } });
		expect(r.headers.get('x-oauth-scopes')).toContain('users:read');
		expect(r.headers.get('x-accepted-oauth-scopes')).toBe('users:read');
		const failed = await call('users.info', { bearer: 'xoxb-unknown' });
		expect(failed.body.error).toBe('invalid_auth');
		expect(failed.headers.has('x-oauth-scopes')).toBe(true);
	});

	it('unknown methods answer unknown_method', async () => {
		expect((await call('chat.postMessages', { bearer: slack.botToken })).body).toMatchObject({ ok: false, error: 'unknown_method', req_method: 'chat.postMessages' });
	});

	it('records requests with the token redacted and nested values decoded', async () => {
		await call('chat.postMessage', { form: { token: slack.botToken, channel: 'general', text: 'x', metadata: JSON.stringify({ event_type: 'e', event_payload: { a: 1 } }) } });
		await call('auth.test', { bearer: slack.botToken });
		const [post] = slack.requests({ method: 'chat.postMessage' });
		expect(post.body).toMatchObject({ token: '[redacted]', channel: 'general', metadata: { event_type: 'e', event_payload: { a: 1 } } });
		const [auth] = slack.requests({ method: 'auth.test' });
		expect(auth.headers.authorization).toBe('Bearer [redacted]');
		expect(JSON.stringify(slack.requests())).not.toContain(slack.botToken);
	});
});

describe('faults', () => {
	it('injects 429 with Retry-After, 5xx, an error code, a custom body, N times', async () => {
		slack.injectFault({ method: 'auth.test', status: 429, retryAfter: 7 });
		slack.injectFault({ method: 'users.info', status: 503, times: 2 });
		slack.injectFault({ method: 'chat.postMessage', error: 'fatal_error' });
		const limited = await fetch(`${slack.apiUrl}auth.test`, { headers: { authorization: `Bearer ${slack.botToken}` } });
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('7');
		expect(await limited.json()).toEqual({ ok: false, error: 'ratelimited' });
		expect((await call('auth.test', { bearer: slack.botToken })).status).toBe(200);
		for (let i = 0; i < 2; i++) expect((await fetch(`${slack.apiUrl}users.info`)).status).toBe(503);
		expect((await call('users.info', { bearer: slack.botToken, query: { user: slack.botUserId } })).body.ok).toBe(true);
		expect((await call('chat.postMessage', { bearer: slack.botToken, json: { channel: 'general', text: 'x' } })).body).toEqual({ ok: false, error: 'fatal_error' });
		expect(slack.messages('general')).toHaveLength(0);
	});

	it('a delay-only fault slows the call, which then succeeds; "*" matches every method', async () => {
		slack.injectFault({ method: '*', delayMs: 30, times: 2 });
		const before = Date.now();
		expect((await call('auth.test', { bearer: slack.botToken })).body.ok).toBe(true);
		expect((await call('users.info', { bearer: slack.botToken, query: { user: slack.botUserId } })).body.ok).toBe(true);
		expect(slack.requests().every((r) => r.at >= before + 30)).toBe(true); // served as of the end of the delay
		expect(slack.state.faults).toHaveLength(0);
	});
});

describe('rate limits', () => {
	it('chat.postMessage: a burst per channel, then 429 with an integer Retry-After; other channels unaffected', async () => {
		const post = (channel: string) => call('chat.postMessage', { bearer: slack.botToken, json: { channel, text: 'x' } });
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) statuses.push((await post('general')).status);
		expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
		const limited = await post('general');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
		expect((await post('random')).status).toBe(200);
		expect(slack.counters().ratelimited['chat.postMessage']).toBeGreaterThanOrEqual(2);
	});

	it('Tier 3 allows 50 per minute per app, and the window shrinks with the time scale', async () => {
		slack.setTimeScale(20); // a minute lasts 3 s
		for (let i = 0; i < 50; i++) expect((await call('users.lookupByEmail', { bearer: slack.botToken, query: { email: 'alex.admin@example.com' } })).status).toBe(200);
		const limited = await call('users.lookupByEmail', { bearer: slack.botToken, query: { email: 'alex.admin@example.com' } });
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toMatch(/^[1-3]$/);
		await new Promise((r) => setTimeout(r, 3100));
		expect((await call('users.lookupByEmail', { bearer: slack.botToken, query: { email: 'alex.admin@example.com' } })).status).toBe(200);
	});
});

describe('admin endpoints', () => {
	it('seeds, reads state and messages, injects faults, sets the time scale and resets over HTTP', async () => {
		const seeded = await (await fetch(`${slack.url}/_admin/seed`, { method: 'POST', body: JSON.stringify({ channels: [{ name: 'alerts' }], users: [{ name: 'kim', profile: { email: 'kim@example.com' } }] }) })).json();
		expect(seeded.channels[0]).toMatchObject({ name: 'alerts', id: expect.stringMatching(/^C/) });
		await call('chat.postMessage', { bearer: slack.botToken, json: { channel: 'alerts', text: 'hello' } });
		const messages = await (await fetch(`${slack.url}/_admin/messages?channel=alerts`)).json();
		expect(messages.messages.map((m: { text: string }) => m.text)).toEqual(['hello']);
		await fetch(`${slack.url}/_admin/faults`, { method: 'POST', body: JSON.stringify({ method: 'auth.test', error: 'account_inactive' }) });
		expect((await call('auth.test', { bearer: slack.botToken })).body.error).toBe('account_inactive');
		await fetch(`${slack.url}/_admin/time-scale`, { method: 'POST', body: JSON.stringify({ scale: 10 }) });
		expect(slack.timeScale).toBe(10);
		const state = await (await fetch(`${slack.url}/_admin/state`)).json();
		expect(state).toMatchObject({ teamId: slack.teamId, timeScale: 10, counters: { calls: { 'chat.postMessage': 1 } } });
		expect((await (await fetch(`${slack.url}/_admin/requests`)).json()).requests.length).toBeGreaterThan(0);
		await fetch(`${slack.url}/_admin/reset`, { method: 'POST' });
		expect(slack.channel('alerts')).toBeUndefined();
		expect(slack.requests()).toHaveLength(0);
	});
});

describe('demo workspace', () => {
	it('seeds the channels and members the CLI shows, idempotently, also over HTTP', async () => {
		const ids = slack.seedDemo();
		expect(Object.keys(ids.channels)).toEqual(['marketing', 'sales', 'support', 'alerts', 'leadership', 'oldCampaigns']);
		const again = await (await fetch(`${slack.url}/_admin/seed`, { method: 'POST', body: JSON.stringify({ demo: true }) })).json();
		expect(again.demo).toEqual(ids);
		const post = await call('chat.postMessage', { bearer: slack.botToken, json: { channel: 'marketing', text: 'New subscriber' } });
		expect(post.body.ok).toBe(true);
		expect((await call('chat.postMessage', { bearer: slack.botToken, json: { channel: ids.channels.leadership, text: 'x' } })).body.error).toBe('channel_not_found');
		expect((await call('users.lookupByEmail', { bearer: slack.botToken, query: { email: 'ada@example.com' } })).body.user).toMatchObject({ id: 'U0DEMO0ADA', profile: { title: 'Head of Growth' } });
	});
});

describe('content types and authorship', () => {
	const raw = (body: string, headers: Record<string, string>) =>
		fetch(`${slack.apiUrl}auth.test`, { method: 'POST', body, headers: { authorization: `Bearer ${slack.botToken}`, ...headers } }).then((r) => r.json());

	it('refuses bodies without or with a wrong Content-Type or charset, and reads multipart fields', async () => {
		const noType = await fetch(`${slack.apiUrl}auth.test`, { method: 'POST', body: new Uint8Array(Buffer.from('a=b')), headers: { authorization: `Bearer ${slack.botToken}` } });
		expect(await noType.json()).toMatchObject({ ok: false, error: 'missing_post_type' });
		expect(await raw('<x/>', { 'content-type': 'application/xml' })).toMatchObject({ error: 'invalid_post_type' });
		expect(await raw('a=b', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-16' })).toMatchObject({ error: 'invalid_charset' });
		const form = new FormData();
		form.append('channel', 'general');
		form.append('text', 'from multipart');
		const r = await fetch(`${slack.apiUrl}chat.postMessage`, { method: 'POST', body: form, headers: { authorization: `Bearer ${slack.botToken}` } });
		expect(await r.json()).toMatchObject({ ok: true, message: { text: 'from multipart' } });
	});

	it('username and icon are honoured only with chat:write.customize; more than 100 attachments fail', async () => {
		await call('chat.postMessage', { bearer: slack.botToken, json: { channel: 'general', text: 'a', username: 'Brevo', icon_emoji: ':email:' } });
		slack.addToken({ token: 'xoxb-custom', scopes: ['chat:write', 'chat:write.customize'] });
		await call('chat.postMessage', { bearer: 'xoxb-custom', json: { channel: 'general', text: 'b', username: 'Brevo', icon_emoji: ':email:' } });
		const [plain, custom] = slack.messages('general');
		expect(plain).not.toHaveProperty('username');
		expect(custom).toMatchObject({ username: 'Brevo', icons: { emoji: ':email:' } });
		const many = Array.from({ length: 101 }, (_, i) => ({ text: `a${i}` }));
		expect((await call('chat.postMessage', { bearer: slack.botToken, json: { channel: 'general', attachments: many } })).body.error).toBe('too_many_attachments');
	});
});
