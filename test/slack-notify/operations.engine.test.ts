/**
 * The non-send operations through n8n-core's engine against the emulators: update, delete, ephemeral, reaction,
 * response_url replies, updating the clicked message, modals, Brevo link unfurling, connection check.
 */
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import type { SlackEmulator } from '../emulators/slack';
import { byId, runNotify, slackCreds, startSlack } from './helpers';

let emu: SlackEmulator;
let brevo: BrevoEmulator;
let ch: Record<string, string>;

beforeAll(async () => {
	({ emu, channels: ch } = await startSlack({}, 1));
	brevo = await startBrevoEmulator();
});
afterAll(async () => {
	await emu.close();
	await brevo.close();
});

async function postOne(text = 'hello'): Promise<string> {
	const r = await runNotify(emu, { operation: 'send', defaultChannel: byId(ch.sales), content: 'text', text }, [{}]);
	return String(r.outputOf('Slack Notify')[0].ts);
}

describe('message operations', () => {
	it('update replaces text and blocks; delete removes; both report Slack errors with the fix', async () => {
		const ts = await postOne();
		const u = await runNotify(emu, { operation: 'update', channel: byId(ch.sales), ts: '={{ $json.ts }}', content: 'template', template: 'order_alert' }, [{ ts, email: 'a@b.c', amount: 10 }]);
		expect(u.error).toBeUndefined();
		const m = emu.messages(ch.sales).find((x) => x.ts === ts)!;
		expect(m.text).toBe('New order from a@b.c: 10');
		expect((m.blocks as any[])[0].type).toBe('header');
		const d = await runNotify(emu, { operation: 'delete', channel: byId(ch.sales), ts }, [{}]);
		expect(d.outputOf('Slack Notify')[0]).toMatchObject({ ok: true, deleted: true });
		expect(emu.messages(ch.sales).find((x) => x.ts === ts)).toBeUndefined();
		const again = await runNotify(emu, { operation: 'delete', channel: byId(ch.sales), ts }, [{}], { continueOnFail: true });
		expect(again.outputOf('Slack Notify')[0]).toMatchObject({ ok: false });
		expect(String(again.outputOf('Slack Notify')[0].error)).toMatch(/message_not_found/);
	});

	it('ephemeral message to one user', async () => {
		const user = emu.addUser({ name: 'jane' });
		const team = emu.addChannel({ name: 'team-jane', members: [(emu as any).botUserId, user.id] }).id;
		const r = await runNotify(emu, { operation: 'ephemeral', channel: byId(team), user: '={{ $json.user.id }}', content: 'text', text: 'only you' }, [{ user: { id: user.id } }]);
		expect(r.error).toBeUndefined();
		expect(emu.ephemerals(team).find((e) => e.text === 'only you')).toMatchObject({ user: user.id });
		const outsider = await runNotify(emu, { operation: 'ephemeral', channel: byId(ch.sales), user: user.id, content: 'text', text: 'x' }, [{}]);
		expect(outsider.error?.message).toMatch(/user_not_in_channel/);
	});

	it('reaction: added, and already_reacted counts as success', async () => {
		const ts = await postOne('react to me');
		const p = { operation: 'react', channel: byId(ch.sales), ts, emoji: ':white_check_mark:' };
		const first = await runNotify(emu, p, [{}]);
		expect(first.outputOf('Slack Notify')[0]).toMatchObject({ ok: true, alreadyReacted: false, emoji: 'white_check_mark' });
		const second = await runNotify(emu, p, [{}]);
		expect(second.error).toBeUndefined();
		expect(second.outputOf('Slack Notify')[0]).toMatchObject({ ok: true, alreadyReacted: true });
		expect((emu.messages(ch.sales).find((m) => m.ts === ts) as any).reactions).toEqual([expect.objectContaining({ name: 'white_check_mark' })]);
	});

	it('empty required fields are named', async () => {
		const r = await runNotify(emu, { operation: 'react', channel: byId(ch.sales), ts: '={{ $json.ts }}', emoji: 'x' }, [{}]);
		expect(r.error?.message).toBe('Message Timestamp is empty');
		expect(String((r.error as any).description)).toContain('{{ $json.ts }}');
	});
});

describe('interaction companions', () => {
	const click = () => {
		const blocks = [
			{ type: 'section', text: { type: 'mrkdwn', text: 'Order O-1' } },
			{ type: 'actions', block_id: 'act', elements: [{ type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve' }, value: 'O-1' }] },
		];
		const r = emu as any;
		const msg = r.state.createMessage(ch.sales, r.state.tokens.get(emu.botToken), { text: 'Order O-1', blocks });
		const payload = emu.buildBlockActions({ channel: ch.sales, messageTs: msg.ts, actionId: 'approve', value: 'O-1' }) as any;
		// What the Slack Interaction Trigger outputs (the fields these operations read).
		return {
			msgTs: msg.ts as string,
			item: { type: 'block_actions', channel: { id: ch.sales }, message: { ts: msg.ts }, user: payload.user, action: { action_id: 'approve', label: 'Approve' }, response_url: payload.response_url, trigger_id: payload.trigger_id, raw: payload },
		};
	};

	it('reply through response_url: ephemeral, in channel, replace original, delete original', async () => {
		const { item, msgTs } = click();
		const reply = await runNotify(emu, { operation: 'respond', responseAction: 'reply', responseType: 'ephemeral', content: 'text', text: 'Got it' }, [item]);
		expect(reply.error).toBeUndefined();
		const inChannel = await runNotify(emu, { operation: 'respond', responseAction: 'reply', responseType: 'in_channel', content: 'text', text: 'Approved!' }, [item]);
		expect(inChannel.error).toBeUndefined();
		const replace = await runNotify(emu, { operation: 'respond', responseAction: 'replace', content: 'text', text: 'Replaced' }, [item]);
		expect(replace.error).toBeUndefined();
		expect(emu.messages(ch.sales).find((m) => m.ts === msgTs)?.text).toBe('Replaced');
		const del = await runNotify(emu, { operation: 'respond', responseAction: 'delete' }, [item]);
		expect(del.error).toBeUndefined();
		expect(emu.responseEffects().map((e) => e.kind)).toEqual(['ephemeral', 'in_channel', 'replaced', 'deleted']);
	});

	it('response_url: refuses non-Slack hosts and reports Slack refusals', async () => {
		const { item } = click();
		const evil = await runNotify(emu, { operation: 'respond', responseUrl: 'https://attacker.example/collect', responseAction: 'reply', content: 'text', text: 'x' }, [item]);
		expect(evil.error?.message).toBe('Response URL host attacker.example is not a Slack response_url host');
		for (let k = 0; k < 5; k++) await runNotify(emu, { operation: 'respond', responseAction: 'reply', content: 'text', text: `n${k}` }, [item]);
		const sixth = await runNotify(emu, { operation: 'respond', responseAction: 'reply', content: 'text', text: 'sixth' }, [item]);
		expect(sixth.error?.message).toBe('Slack refused the response_url call: used_url');
	});

	it('update the clicked message so the buttons show what was done (response_url and chat.update)', async () => {
		const a = click();
		const viaUrl = await runNotify(emu, { operation: 'markDone', via: 'responseUrl', doneText: '=:white_check_mark: Approved by <@{{ $json.user.id }}>' }, [a.item]);
		expect(viaUrl.error).toBeUndefined();
		const m = emu.messages(ch.sales).find((x) => x.ts === a.msgTs) as any;
		expect(m.blocks.map((b: any) => b.type)).toEqual(['section', 'context']);
		expect(m.blocks[1].elements[0].text).toBe(`:white_check_mark: Approved by <@${a.item.user.id}>`);
		const b = click();
		const viaUpdate = await runNotify(emu, { operation: 'markDone', via: 'chatUpdate', doneText: 'Done' }, [b.item]);
		expect(viaUpdate.error).toBeUndefined();
		const m2 = emu.messages(ch.sales).find((x) => x.ts === b.msgTs) as any;
		expect(m2.blocks.map((x: any) => x.type)).toEqual(['section', 'context']);
		expect(m2.text).toBe('Order O-1\nDone');
	});

	it('modal: open with the trigger_id, push, update by view id; bad views refused before the call', async () => {
		const { item } = click();
		const view = { type: 'modal', callback_id: 'c1', title: { type: 'plain_text', text: 'Contact' }, submit: { type: 'plain_text', text: 'Save' }, blocks: [{ type: 'input', block_id: 'email', label: { type: 'plain_text', text: 'Email' }, element: { type: 'plain_text_input', action_id: 'value' } }] };
		const open = await runNotify(emu, { operation: 'modal', modalAction: 'open', view: JSON.stringify(view) }, [item]);
		expect(open.error).toBeUndefined();
		const opened = open.outputOf('Slack Notify')[0].view as any;
		expect(opened.id).toMatch(/^V/);
		const reused = await runNotify(emu, { operation: 'modal', modalAction: 'open', view: JSON.stringify(view) }, [item]);
		expect(reused.error?.message).toMatch(/trigger_id/);
		const upd = await runNotify(emu, { operation: 'modal', modalAction: 'update', viewId: opened.id, view: JSON.stringify({ ...view, title: { type: 'plain_text', text: 'Updated' } }) }, [{}]);
		expect(upd.error).toBeUndefined();
		expect((emu.views().find((v) => v.id === opened.id)!.title as any).text).toBe('Updated');
		// A click inside the open modal gives a trigger_id for pushing a second view on top of it.
		const inModal = emu.buildBlockActions({ viewId: opened.id, actionId: 'more' }) as any;
		const push = await runNotify(emu, { operation: 'modal', modalAction: 'push', view: JSON.stringify({ ...view, title: { type: 'plain_text', text: 'Step 2' } }) }, [{ trigger_id: inModal.trigger_id }]);
		expect(push.error).toBeUndefined();
		expect(push.outputOf('Slack Notify')[0]).toMatchObject({ action: 'push', view: { root_view_id: opened.id } });
		const calls = emu.counters().calls['views.open'];
		const bad = await runNotify(emu, { operation: 'modal', modalAction: 'open', view: JSON.stringify({ ...view, title: { type: 'plain_text', text: 'x'.repeat(30) } }) }, [click().item]);
		expect(bad.error?.message).toBe('Invalid modal view: View title is 30 characters; Slack allows at most 24');
		expect(emu.counters().calls['views.open']).toBe(calls);
	});

	it('modal over Slack\'s 250 kB (view_too_large): refused before the call, naming the blocks to shrink; the emulator refuses it too', async () => {
		const options = (n: number) => Array.from({ length: 100 }, (_, i) => ({ text: { type: 'plain_text', text: `${n}-${i}`.padEnd(75, 'o') }, value: `${n}-${i}`.padEnd(150, 'v') }));
		const blocks = Array.from({ length: 12 }, (_, n) => ({ type: 'input', block_id: `b${n}`, label: { type: 'plain_text', text: `Pick ${n}` }, element: { type: 'static_select', action_id: `s${n}`, options: options(n) } }));
		const big = { type: 'modal', title: { type: 'plain_text', text: 'Big' }, submit: { type: 'plain_text', text: 'Save' }, blocks };
		const calls = emu.counters().calls['views.open'] ?? 0;
		const r = await runNotify(emu, { operation: 'modal', modalAction: 'open', view: JSON.stringify(big) }, [click().item]);
		expect(r.error?.message).toMatch(/^Invalid modal view: View is [\d,]+ bytes; Slack refuses a view over 250,000 bytes \(view_too_large\)\. Shrink the largest blocks: block \d+ \(input, [\d,]+ bytes\)/);
		expect(emu.counters().calls['views.open'] ?? 0).toBe(calls);
		// what Slack itself answers when the check is bypassed
		const { WebClient } = await import('@slack/web-api');
		const direct = await new WebClient(emu.botToken, { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } }).views.open({ trigger_id: click().item.trigger_id as string, view: big as never }).catch((e) => e.data);
		expect(direct).toMatchObject({ ok: false, error: 'view_too_large' });
	});
});

describe('unfurl Brevo links', () => {
	it('previews a contact and a campaign from Brevo and answers chat.unfurl; other links are skipped', async () => {
		const contact = brevo.addContact({ email: 'jane@acme.io', attributes: { FIRSTNAME: 'Jane', LASTNAME: 'Doe' }, listIds: [] });
		const campaign = brevo.addCampaign({ name: 'Black Friday', subject: 'Deals', status: 'sent', sentDate: '2026-11-27T10:00:00Z', stats: { sent: 100, delivered: 100, uniqueViews: 40 } });
		const links = [`https://app.brevo.com/contact/index/${contact.id}`, `https://app.brevo.com/camp/report/${campaign.id}`, 'https://example.com/x', 'https://app.brevo.com/contact/index/999999'];
		const event = emu.buildLinkSharedEvent({ channel: ch.sales, links });
		const r = await runNotify(emu, { operation: 'unfurl' }, [{ type: 'event', event }], {
			credentials: { ...slackCreds(emu), slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl } },
		});
		expect(r.error).toBeUndefined();
		const out = r.outputOf('Slack Notify')[0] as any;
		expect(out.unfurled).toBe(2);
		expect(out.links.map((l: any) => l.unfurled)).toEqual([true, true, false, false]);
		expect(out.links[3].reason).toMatch(/Brevo/);
		const u = emu.unfurls().pop() as any;
		const text = JSON.stringify(u);
		expect(text).toContain('Jane Doe');
		expect(text).toContain('Black Friday');
		expect(text).toContain('40.0%');
	});
});

describe('check connection', () => {
	it('one line per check; a narrow token fails the scopes it lacks and the membership check says how to fix', async () => {
		const lonely = emu.addChannel({ name: 'quiet', members: ['U0ADMIN001'] });
		const ok = await runNotify(emu, { operation: 'checkConnection', checkChannels: `#sales, #quiet, #missing` }, [{}]);
		const lines = ok.outputOf('Slack Notify');
		const by = (check: string) => lines.find((l) => l.check === check)!;
		expect(by('Slack API reachable').status).toBe('pass');
		expect(by('Bot token valid').status).toBe('pass');
		expect(by('Channels readable').status).toBe('pass');
		expect(by('Can post in #sales').status).toBe('pass');
		expect(by('Can post in #quiet')).toMatchObject({ status: 'fail', fix: expect.stringContaining('/invite') });
		expect(by('Can post in #missing').status).toBe('fail');
		expect(by('Scope chat:write').status).toBe('pass');
		expect(lines.every((l) => typeof l.line === 'string')).toBe(true);
		void lonely;

		emu.addToken({ token: 'xoxb-narrow-1', scopes: ['chat:write'] });
		const narrow = await runNotify(emu, { operation: 'checkConnection', checkChannels: '' }, [{}], { credentials: slackCreds(emu, 'xoxb-narrow-1') });
		const nl = narrow.outputOf('Slack Notify');
		expect(nl.find((l) => l.check === 'Channels readable')).toMatchObject({ status: 'fail' });
		expect(nl.find((l) => l.check === 'Scope channels:read')).toMatchObject({ status: 'fail', fix: expect.stringContaining('reinstall') });

		const bad = await runNotify(emu, { operation: 'checkConnection' }, [{}], { credentials: slackCreds(emu, 'xoxb-not-a-token') });
		const bl = bad.outputOf('Slack Notify');
		expect(bl.find((l) => l.check === 'Bot token valid')).toMatchObject({ status: 'fail' });
		expect(JSON.stringify(bl)).not.toContain('xoxb-not-a-token');

		const down = await runNotify(emu, { operation: 'checkConnection' }, [{}], { credentials: { slackBrevoBotApi: { accessToken: emu.botToken, baseUrl: 'http://127.0.0.1:9/api/' } } });
		expect(down.outputOf('Slack Notify').find((l) => l.check === 'Slack API reachable')).toMatchObject({ status: 'fail' });
	});
});

describe('output items carry no credential value', () => {
	it("the node's own token is removed from every output item, wherever it comes from (here: the item's own text)", async () => {
		const ts = await postOne();
		const text = `pasted by mistake: ${emu.botToken} (end)`;
		const r = await runNotify(emu, { operation: 'update', channel: byId(ch.sales), ts: '={{ $json.ts }}', content: 'text', text: '={{ $json.text }}' }, [{ ts, text }]);
		expect(r.error).toBeUndefined();
		const out = r.outputOf('Slack Notify')[0];
		expect(out.text).toBe('pasted by mistake: [redacted] (end)');
		expect(JSON.stringify(r.itemsOf('Slack Notify'))).not.toContain(emu.botToken);
		// what went to Slack is what the workflow author asked for: the redaction is of the output only
		expect(emu.messages(ch.sales).find((x) => x.ts === ts)!.text).toBe(text);
	});
});

describe('credential reads', () => {
	it('reads the bot token credential a bounded number of times per execution, not once per Slack call', async () => {
		const items = Array.from({ length: 4 }, (_, k) => ({ n: k }));
		const r = await runNotify(emu, { operation: 'send', defaultChannel: byId(ch.sales), content: 'text', text: '={{ "message " + $json.n }}', options: { burst: 4 } }, items);
		expect(r.error).toBeUndefined();
		expect(r.outputOf('Slack Notify')).toHaveLength(4);
		// 4 posts, each a call through n8n's request helper: the credential is read per client (and once by the router
		// for output redaction), never per request.
		const reads = r.credentialsAccessed.filter((t) => t === 'slackBrevoBotApi').length;
		expect(reads).toBeGreaterThan(0);
		expect(reads).toBeLessThanOrEqual(3);
	});
});
