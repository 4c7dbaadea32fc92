/** Playing Slack toward an app: signatures, interaction / command / event deliveries, payload builders, blocks rules. */
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateBlocks } from './blocks';
import { SlackEmulator, startSlackEmulator } from './index';
import { signSlackRequest, verifySlackSignature } from './signing';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

describe('signing', () => {
	it('matches the golden vector from bolt-js', () => {
		const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
		expect(signSlackRequest(SECRET, 1531420618, body)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
		expect(verifySlackSignature(SECRET, { signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503', timestamp: 1531420618 }, body, 1531420618 + 299)).toBe(true);
		expect(verifySlackSignature(SECRET, { signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503', timestamp: 1531420618 }, body, 1531420618 + 301)).toBe(false);
		expect(verifySlackSignature(SECRET, { signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503', timestamp: 1531420618 }, `${body}x`, 1531420618)).toBe(false);
	});
});

describe('deliveries to an app', () => {
	let slack: SlackEmulator;
	let app: Server;
	let appUrl: string;
	const received: Array<{ headers: IncomingHttpHeaders; raw: string }> = [];

	beforeAll(async () => {
		slack = await startSlackEmulator();
		app = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				received.push({ headers: req.headers, raw });
				const ok = verifySlackSignature(SECRET, { signature: req.headers['x-slack-signature'] as string, timestamp: req.headers['x-slack-request-timestamp'] as string }, raw);
				if (!ok) {
					res.writeHead(401).end('bad signature');
					return;
				}
				if (req.headers['content-type'] === 'application/json') {
					const body = JSON.parse(raw);
					if (body.type === 'url_verification') {
						res.writeHead(200, { 'content-type': 'text/plain' }).end(body.challenge);
						return;
					}
				}
				res.writeHead(200, { 'content-type': 'application/json' }).end('{"response_action":"clear"}');
			});
		});
		await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
		appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/slack`;
	});
	afterAll(async () => {
		await slack.close();
		await new Promise((r) => app.close(r));
	});
	beforeEach(() => {
		received.length = 0;
		slack.reset();
	});

	it('sends interactivity as a signed form field payload=<json>', async () => {
		const payload = slack.buildBlockActions({ channel: 'general', actionId: 'approve', value: 'order-42' });
		const r = await slack.sendInteraction(appUrl, payload, { signingSecret: SECRET });
		expect(r.status).toBe(200);
		expect(r.body).toBe('{"response_action":"clear"}');
		const [{ headers, raw }] = received;
		expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(raw.startsWith('payload=')).toBe(true);
		const decoded = JSON.parse(new URLSearchParams(raw).get('payload') as string);
		expect(decoded).toMatchObject({
			type: 'block_actions', team: { id: slack.teamId }, user: { id: 'U0ADMIN001' }, container: { type: 'message', channel_id: slack.channel('general')?.id },
			actions: [{ action_id: 'approve', value: 'order-42', type: 'button', block_id: 'a1' }], trigger_id: expect.stringMatching(/^\d+\.\d+\.[0-9a-f]{32}$/),
		});
	});

	it('a stale timestamp is signed as given, so the app can reject it', async () => {
		const r = await slack.sendInteraction(appUrl, slack.buildShortcut({}), { signingSecret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 600 });
		expect(r.status).toBe(401);
		const wrong = await slack.sendInteraction(appUrl, slack.buildShortcut({}), { signingSecret: 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5' });
		expect(wrong.status).toBe(401);
	});

	it('sends slash commands as form fields with a live trigger_id and a response_url of the emulator', async () => {
		const fields = slack.buildSlashCommand({ command: '/brevo', text: 'subscribe a@b.c' });
		expect(fields.response_url.startsWith(`${slack.url}/_response/`)).toBe(true);
		await slack.sendSlashCommand(appUrl, fields, { signingSecret: SECRET });
		expect(Object.fromEntries(new URLSearchParams(received[0].raw))).toMatchObject({ command: '/brevo', text: 'subscribe a@b.c', team_id: slack.teamId });
		const opened = await fetch(`${slack.apiUrl}views.open`, {
			method: 'POST', headers: { authorization: `Bearer ${slack.botToken}`, 'content-type': 'application/json; charset=utf-8' },
			body: JSON.stringify({ trigger_id: fields.trigger_id, view: { type: 'modal', title: { type: 'plain_text', text: 'Subscribe' }, blocks: [] } }),
		});
		expect((await opened.json()).ok).toBe(true);
	});

	it('sends events wrapped in an event_callback envelope, url_verification as is, and retries with headers', async () => {
		const first = await slack.sendEvent(appUrl, { type: 'url_verification', token: 't', challenge: 'abc123' }, { signingSecret: SECRET });
		expect(first).toMatchObject({ status: 200, body: 'abc123' });
		const event = { type: 'app_mention', user: 'U0ADMIN001', text: '<@U0BOTEMU01> hi', ts: '1700000000.000100', channel: 'C1' };
		await slack.sendEvent(appUrl, event, { signingSecret: SECRET, eventId: 'Ev0001' });
		await slack.sendEvent(appUrl, event, { signingSecret: SECRET, eventId: 'Ev0001', retryNum: 1, retryReason: 'http_timeout' });
		const envelope = JSON.parse(received[1].raw);
		expect(envelope).toMatchObject({
			type: 'event_callback', event_id: 'Ev0001', team_id: slack.teamId, api_app_id: slack.appId, event: { type: 'app_mention', event_ts: expect.any(String) },
			authorizations: [{ team_id: slack.teamId, user_id: slack.botUserId, is_bot: true }],
		});
		expect(Number.isInteger(envelope.event_time)).toBe(true);
		expect(received[1].headers['x-slack-retry-num']).toBeUndefined();
		expect(received[2].headers).toMatchObject({ 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
		expect(JSON.parse(received[2].raw).event_id).toBe('Ev0001');
	});

	it('builds view_submission payloads whose trigger_id can push onto the submitted modal', async () => {
		const payload = slack.buildViewSubmission({ callbackId: 'create_contact', values: { email_block: { email: { type: 'email_text_input', value: 'x@y.z' } } } });
		expect(payload).toMatchObject({ type: 'view_submission', view: { callback_id: 'create_contact', state: { values: { email_block: { email: { value: 'x@y.z' } } } } } });
		const r = await fetch(`${slack.apiUrl}views.push`, {
			method: 'POST', headers: { authorization: `Bearer ${slack.botToken}`, 'content-type': 'application/json; charset=utf-8' },
			body: JSON.stringify({ trigger_id: payload.trigger_id, view: { type: 'modal', title: { type: 'plain_text', text: 'Thanks' }, blocks: [] } }),
		});
		expect(await r.json()).toMatchObject({ ok: true, view: { root_view_id: (payload.view as { id: string }).id } });
	});

	it('sends through the admin endpoint too', async () => {
		const r = await fetch(`${slack.url}/_admin/send/command`, { method: 'POST', body: JSON.stringify({ url: appUrl, signingSecret: SECRET, fields: { command: '/x', text: '' } }) });
		expect((await r.json()).result.status).toBe(200);
		expect(received).toHaveLength(1);
	});
});

describe('block validation', () => {
	it('reports Slack-worded errors with json-pointers', () => {
		expect(validateBlocks(Array.from({ length: 51 }, () => ({ type: 'divider' })))).toEqual(['no more than 50 items allowed [json-pointer:/blocks]']);
		expect(validateBlocks([{ type: 'sections', text: { type: 'mrkdwn', text: 'x' } }])).toEqual(['unsupported type: sections [json-pointer:/blocks/0/type]']);
		expect(validateBlocks([{ type: 'section' }])).toEqual(['must define either `text` or `fields` [json-pointer:/blocks/0/type]']);
		expect(validateBlocks([{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }])).toEqual(['no more than 10 items allowed [json-pointer:/blocks/0/fields]']);
		expect(validateBlocks([{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }])).toContain('must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]');
		const button = (id: string, text = 'Go') => ({ type: 'button', action_id: id, text: { type: 'plain_text', text } });
		expect(validateBlocks([{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`b${i}`)) }])).toEqual(['no more than 25 items allowed [json-pointer:/blocks/0/elements]']);
		expect(validateBlocks([{ type: 'actions', elements: [button('same'), button('same')] }])).toEqual(['duplicate action_id: same [json-pointer:/blocks/0/elements/1/action_id]']);
		expect(validateBlocks([{ type: 'actions', elements: [button('a', 'x'.repeat(76))] }])).toContain('must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]');
		expect(validateBlocks([{ type: 'actions', elements: [{ ...button('a'), url: `https://x.io/${'p'.repeat(3000)}` }] }])).toEqual(['must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]']);
		expect(validateBlocks([{ type: 'actions', elements: [button('a'.repeat(256))] }])).toEqual(['must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]']);
		expect(validateBlocks([{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }])).toContain('must be a valid enum value [json-pointer:/blocks/0/text/type]');
		expect(validateBlocks([{ type: 'image', image_url: 'https://x.io/a.png' }])).toEqual(['missing required field: alt_text [json-pointer:/blocks/0]']);
		expect(validateBlocks([{ type: 'divider', block_id: 'a' }, { type: 'divider', block_id: 'a' }])).toEqual(['duplicate block_id: a [json-pointer:/blocks/1/block_id]']);
	});

	it('accepts the block types the package sends', () => {
		expect(validateBlocks([
			{ type: 'header', text: { type: 'plain_text', text: 'New High-Value Order' } },
			{ type: 'section', fields: [{ type: 'mrkdwn', text: '*Customer*\na@b.c' }, { type: 'mrkdwn', text: '*Amount*\n€1,200' }], accessory: { type: 'image', image_url: 'https://x.io/a.png', alt_text: 'logo' } },
			{ type: 'divider' },
			{ type: 'context', elements: [{ type: 'mrkdwn', text: 'via Brevo' }, { type: 'image', image_url: 'https://x.io/i.png', alt_text: 'i' }] },
			{ type: 'actions', elements: [{ type: 'button', action_id: 'view', text: { type: 'plain_text', text: 'View in Brevo' }, url: 'https://app.brevo.com/contact/1', style: 'primary' }] },
			{ type: 'image', image_url: 'https://x.io/chart.png', alt_text: 'chart', title: { type: 'plain_text', text: 'Opens' } },
			{ type: 'input', label: { type: 'plain_text', text: 'Email' }, element: { type: 'email_text_input', action_id: 'email' } },
			{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'hi' }] }] },
			{ type: 'markdown', text: '**bold**' },
		])).toEqual([]);
	});
});

describe('Events API retries', () => {
	let slack: SlackEmulator;
	let app: Server;
	let appUrl: string;
	let script: Array<'slow' | 'error' | 'no-retry' | 'ok'> = [];
	const seen: IncomingHttpHeaders[] = [];

	beforeAll(async () => {
		slack = await startSlackEmulator({ timeScale: 60_000 }); // retry waits of 1 and 5 minutes become 1 and 5 ms
		app = createServer((req, res) => {
			req.resume();
			req.on('end', () => {
				seen.push(req.headers);
				const step = script.shift() ?? 'ok';
				if (step === 'slow') setTimeout(() => res.writeHead(200).end(), 300);
				else if (step === 'error') res.writeHead(500).end('boom');
				else if (step === 'no-retry') res.writeHead(503, { 'x-slack-no-retry': '1' }).end();
				else res.writeHead(200).end('');
			});
		});
		await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
		appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/events`;
	});
	afterAll(async () => {
		await slack.close();
		app.closeAllConnections();
		await new Promise((r) => app.close(r));
	});
	beforeEach(() => {
		seen.length = 0;
	});

	it('retries a timeout and an error with X-Slack-Retry-Num / Reason and the same event_id', async () => {
		script = ['slow', 'error', 'ok'];
		const d = await slack.deliverEvent(appUrl, { type: 'app_mention', text: 'hi' }, { signingSecret: SECRET, eventId: 'Ev0RETRY', ackTimeoutMs: 100 });
		expect(d.delivered).toBe(true);
		expect(d.attempts.map((a) => [a.retryNum, a.retryReason, a.status ?? a.error])).toEqual([[0, undefined, 'http_timeout'], [1, 'http_timeout', 500], [2, 'http_error', 200]]);
		expect(seen.map((h) => h['x-slack-retry-num'])).toEqual([undefined, '1', '2']);
		expect(seen[2]['x-slack-retry-reason']).toBe('http_error');
	});

	it('stops at X-Slack-No-Retry: 1, and gives up after 3 retries', async () => {
		script = ['no-retry'];
		expect((await slack.deliverEvent(appUrl, { type: 'app_mention' }, { signingSecret: SECRET })).attempts).toHaveLength(1);
		script = ['error', 'error', 'error', 'error'];
		const d = await slack.deliverEvent(appUrl, { type: 'app_mention' }, { signingSecret: SECRET });
		expect(d).toMatchObject({ delivered: false });
		expect(d.attempts.map((a) => a.retryNum)).toEqual([0, 1, 2, 3]);
	});
});

describe('more builders', () => {
	let slack: SlackEmulator;
	beforeAll(async () => {
		slack = await startSlackEmulator();
	});
	afterAll(async () => {
		await slack.close();
	});

	it('block_actions on an ephemeral message has no message and a response_url that replaces the ephemeral', async () => {
		const p = slack.buildBlockActions({ ephemeral: true, actionId: 'undo' });
		expect(p).toMatchObject({ container: { is_ephemeral: true }, actions: [{ action_id: 'undo' }] });
		expect(p).not.toHaveProperty('message');
		await fetch(p.response_url as string, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ replace_original: true, text: 'Undone' }) });
		expect(slack.responseEffects().at(-1)).toMatchObject({ kind: 'replaced' });
		expect(slack.ephemerals().at(-1)).toMatchObject({ text: 'Undone', source: 'response_url' });
	});

	it('view_closed closes the view; link_shared events lead to chat.unfurl', async () => {
		const submission = slack.buildViewSubmission({});
		const closed = slack.buildViewClosed({ viewId: (submission.view as { id: string }).id, isCleared: true });
		expect(closed).toMatchObject({ type: 'view_closed', is_cleared: true, view: { id: (submission.view as { id: string }).id } });

		const event = slack.buildLinkSharedEvent({ links: ['https://app.brevo.com/contact/index/7'] });
		expect(event).toMatchObject({ type: 'link_shared', source: 'conversations_history', links: [{ domain: 'app.brevo.com', url: 'https://app.brevo.com/contact/index/7' }] });
		const message = slack.messages(event.channel as string).at(-1);
		expect(message).toMatchObject({ ts: event.message_ts, user: 'U0ADMIN001' });
		expect(message).not.toHaveProperty('bot_id');
		const composer = slack.buildLinkSharedEvent({ source: 'composer' });
		expect(composer).toMatchObject({ channel: 'COMPOSER', source: 'composer' });
		expect(String(composer.message_ts)).not.toMatch(/^\d+\.\d{6}$/);
	});
});

describe('view_submission answers', () => {
	let slack: SlackEmulator;
	let app: Server;
	let appUrl: string;
	let answer: { status?: number; body: string; delayMs?: number } = { body: '' };

	beforeAll(async () => {
		slack = await startSlackEmulator();
		app = createServer((req, res) => {
			req.resume();
			req.on('end', () => setTimeout(() => res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(answer.body), answer.delayMs ?? 0));
		});
		await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
		appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/interactivity`;
	});
	afterAll(async () => {
		await slack.close();
		await new Promise((r) => app.close(r));
	});

	const submit = async (body: object | string) => {
		answer = { body: typeof body === 'string' ? body : JSON.stringify(body) };
		const payload = slack.buildViewSubmission({});
		const r = await slack.sendInteraction(appUrl, payload, { signingSecret: SECRET });
		return { r, viewId: (payload.view as { id: string }).id };
	};
	const modal = (title: string) => ({ type: 'modal', title: { type: 'plain_text', text: title }, blocks: [{ type: 'divider' }] });

	it('empty ack closes the view; errors must name input blocks', async () => {
		const closed = await submit('');
		expect(closed.r.viewResponse).toMatchObject({ action: 'close', ok: true });
		expect(slack.views().find((v) => v.id === closed.viewId)?.closed).toBe(true);
		expect((await submit({ response_action: 'errors', errors: { email_block: 'Enter a company email' } })).r.viewResponse).toMatchObject({ action: 'errors', ok: true });
		expect((await submit({ response_action: 'errors', errors: { nope: 'x' } })).r.viewResponse).toMatchObject({ ok: false, error: 'not input block_ids: nope' });
	});

	it('update replaces, push stacks up to 3, clear closes all; bad views and slow answers are errors', async () => {
		const updated = await submit({ response_action: 'update', view: modal('Step 2') });
		expect(updated.r.viewResponse?.view).toMatchObject({ id: updated.viewId, title: { text: 'Step 2' } });
		const pushed = await submit({ response_action: 'push', view: modal('Thanks') });
		expect(pushed.r.viewResponse).toMatchObject({ action: 'push', ok: true, view: { root_view_id: pushed.viewId, previous_view_id: pushed.viewId } });
		expect((await submit({ response_action: 'update', view: modal('x'.repeat(30)) })).r.viewResponse).toMatchObject({ ok: false, error: expect.stringContaining('must be less than 25 characters') });
		expect((await submit({ response_action: 'clear' })).r.viewResponse).toMatchObject({ action: 'clear', ok: true });
		answer = { body: '', delayMs: 3200 };
		const slow = await slack.sendInteraction(appUrl, slack.buildViewSubmission({}), { signingSecret: SECRET });
		expect(slow.viewResponse).toMatchObject({ ok: false, error: 'ack_timeout' });
		expect(slack.viewResponses().map((v) => v.action)).toEqual(['close', 'errors', 'errors', 'update', 'push', 'update', 'clear', 'none']);
	});

	it('a push onto a full stack is push_limit_reached', async () => {
		const payload = slack.buildViewSubmission({});
		const root = (payload.view as { id: string }).id;
		answer = { body: JSON.stringify({ response_action: 'push', view: modal('2') }) };
		await slack.sendInteraction(appUrl, payload, { signingSecret: SECRET });
		await slack.sendInteraction(appUrl, slack.buildViewSubmission({ viewId: root }), { signingSecret: SECRET });
		const third = await slack.sendInteraction(appUrl, slack.buildViewSubmission({ viewId: root }), { signingSecret: SECRET });
		expect(third.viewResponse).toMatchObject({ action: 'push', ok: false, error: 'push_limit_reached' });
	});
});

describe('view_submission builder', () => {
	it('builds the input blocks that match the submitted values', async () => {
		const slack = await startSlackEmulator();
		try {
			const p = slack.buildViewSubmission({
				values: {
					email_block: { email: { type: 'email_text_input', value: 'a@b.c' } },
					plan_block: { plan: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'Pro' }, value: 'pro' } } },
				},
			});
			const view = p.view as { blocks: Array<Record<string, any>>; state: { values: object } };
			expect(view.blocks.map((b) => [b.type, b.block_id, b.element.type, b.element.action_id])).toEqual([
				['input', 'email_block', 'email_text_input', 'email'], ['input', 'plan_block', 'static_select', 'plan'],
			]);
			expect(validateBlocks(view.blocks, 'modal')).toEqual([]);
		} finally {
			await slack.close();
		}
	});
});
