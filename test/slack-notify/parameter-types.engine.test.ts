/**
 * Hostile and careless parameter values through n8n-core's engine: expressions that give numbers, booleans, objects,
 * arrays or null where Slack Notify wants text, an option, a channel or a routing rule. Each case asserts the exact
 * outcome: the text Slack received, or the NodeOperationError naming the parameter (displayName) and the type.
 */
import type { IDataObject } from 'n8n-workflow';

import type { SlackEmulator } from '../emulators/slack';
import { byId, runNotify, startSlack } from './helpers';

let emu: SlackEmulator;
let ch: Record<string, string>;

beforeAll(async () => {
	({ emu, channels: ch } = await startSlack({}, 1));
});
afterAll(async () => {
	await emu.close();
});

const send = (p: IDataObject) => ({ operation: 'send', defaultChannel: byId(ch.marketing), content: 'text', text: 'hello', ...p });
const lastText = (channel: string) => emu.messages(channel).at(-1)?.text;

async function sent(p: IDataObject, item: IDataObject, channel = ch.marketing): Promise<string | undefined> {
	const before = emu.messages(channel).length;
	const r = await runNotify(emu, send(p), [item]);
	expect(r.error).toBeUndefined();
	expect(emu.messages(channel)).toHaveLength(before + 1);
	return lastText(channel);
}

async function refused(p: IDataObject, item: IDataObject, operation = 'send'): Promise<{ message: string; description: string }> {
	const total = () => Object.values(ch).reduce((n, c) => n + emu.messages(c).length, 0);
	const before = total();
	const r = await runNotify(emu, operation === 'send' ? send(p) : { operation, ...p }, [item]);
	expect(r.error).toBeDefined();
	expect(r.error!.name).toBe('NodeOperationError');
	expect(total()).toBe(before); // nothing reached Slack
	return { message: r.error!.message, description: String((r.error as { description?: string }).description ?? '') };
}

describe('Text: what expressions give', () => {
	it('a number is sent as its digits', async () => {
		expect(await sent({ text: '={{ $json.count }}' }, { count: 42 })).toBe('42');
	});

	it('zero is text too, not "empty"', async () => {
		expect(await sent({ text: '={{ $json.count }}' }, { count: 0 })).toBe('0');
	});

	it('a boolean is sent as true/false', async () => {
		expect(await sent({ text: '={{ $json.vip }}' }, { vip: false })).toBe('false');
	});

	it('a number inside a text expression is just text', async () => {
		expect(await sent({ text: '=Orders today: {{ $json.count }}' }, { count: 7 })).toBe('Orders today: 7');
	});

	it('an object is refused naming Text and the type, with the fix', async () => {
		const e = await refused({ text: '={{ $json.order }}' }, { order: { id: 1 } });
		expect(e.message).toBe('Text must be text, not an object');
		expect(e.description).toContain('JSON.stringify');
	});

	it('an array is refused naming Text', async () => {
		expect((await refused({ text: '={{ $json.tags }}' }, { tags: ['a', 'b'] })).message).toBe('Text must be text, not an array');
	});

	it('null is an empty text', async () => {
		expect((await refused({ text: '={{ $json.missing ?? null }}' }, {})).message).toBe('Text is empty');
	});

	it('the documented fix (JSON.stringify) sends the object as JSON text', async () => {
		expect(await sent({ text: '={{ JSON.stringify($json.order) }}' }, { order: { id: 1 } })).toBe('{"id":1}');
	});

	it('Continue On Fail: the bad item fails with the reason, the good one is sent', async () => {
		const r = await runNotify(emu, send({ text: '={{ $json.count }}' }), [{ count: 5 }, { count: { n: 5 } }], { continueOnFail: true });
		const out = r.outputOf('Slack Notify');
		expect(out[0]).toMatchObject({ ok: true });
		expect(out[1]).toMatchObject({ ok: false, error: 'Text must be text, not an object' });
		expect(lastText(ch.marketing)).toBe('5');
	});
});

describe('options, thread key and channels', () => {
	it('Message (content) from an expression that is not one of the choices is refused', async () => {
		const e = await refused({ content: '={{ "html" }}' }, {});
		expect(e.message).toBe('Message "html" is not one of template, blocks, text');
	});

	it('Digest as a number is refused naming the type', async () => {
		expect((await refused({ digest: '={{ 1 }}' }, {})).message).toBe('Digest must be one of off, single, thread, not a number (1)');
	});

	it('a template name that is a number is an unknown template', async () => {
		expect((await refused({ content: 'template', template: '={{ 5 }}' }, {})).message).toBe('Unknown template "5"');
	});

	it('a numeric Thread Key starts a thread under its text form', async () => {
		const r = await runNotify(emu, send({ text: 'order update', threadKey: '={{ $json.orderId }}' }), [{ orderId: 1001 }]);
		expect(r.error).toBeUndefined();
		expect(r.outputOf('Slack Notify')[0]).toMatchObject({ ok: true, threadKey: '1001', threadStarted: true });
	});

	it('Default Channel given an object is refused naming it', async () => {
		const e = await refused({ defaultChannel: { __rl: true, mode: 'id', value: '={{ $json.channel }}' } }, { channel: { id: ch.sales } });
		expect(e.message).toBe('Default Channel must be an ID or a name, not an object');
	});

	it('Default Channel given a boolean is refused', async () => {
		const e = await refused({ defaultChannel: { __rl: true, mode: 'id', value: '={{ $json.ok }}' } }, { ok: true });
		expect(e.message).toBe('Default Channel must be an ID or a name, not a boolean (true)');
	});

	it('a numeric channel reaches the resolver as a name and is reported as not found', async () => {
		const r = await runNotify(emu, { operation: 'update', channel: { __rl: true, mode: 'id', value: '={{ 42 }}' }, ts: '1.2', content: 'text', text: 'x' }, [{}]);
		expect(r.error?.message).toBe('Channel #42 not found');
	});
});

describe('routing rules', () => {
	const rule = (r: IDataObject) => ({ routing: { rules: [{ kind: 'attribute', attribute: 'amount', operator: 'equals', channel: ch.sales, template: '', ...r }] } });

	it('a rule Value of {{ 42 }} matches the number 42', async () => {
		expect(await sent({ ...rule({ value: '={{ 42 }}' }), text: 'big order' }, { amount: 42 }, ch.sales)).toBe('big order');
	});

	it('a rule Value of {{ true }} matches a boolean attribute', async () => {
		expect(await sent({ ...rule({ attribute: 'vip', value: '={{ true }}' }), text: 'vip' }, { vip: true }, ch.sales)).toBe('vip');
	});

	it('a list rule Value given as an array of numbers matches any of them', async () => {
		expect(await sent({ ...rule({ kind: 'listId', value: '={{ [3, 7] }}' }), text: 'list 7' }, { listIds: [7] }, ch.sales)).toBe('list 7');
	});

	it('a numeric rule Value that does not match falls back to the default channel', async () => {
		expect(await sent({ ...rule({ value: '={{ 41 }}' }), text: 'small order' }, { amount: 42 }, ch.marketing)).toBe('small order');
	});

	it('an object as rule Value is refused, naming the rule and field', async () => {
		const e = await refused(rule({ value: '={{ $json.order }}' }), { order: { amount: 1 } });
		expect(e.message).toBe('Routing Rules > Rule 1 > Value must be text, not an object');
	});

	it('an unknown When kind from an expression is refused', async () => {
		const e = await refused(rule({ kind: '={{ "segment" }}', value: 'x' }), {});
		expect(e.message).toBe('Routing Rules > Rule 1 > When "segment" is not one of eventType, listId, attribute');
	});

	it('a rule channel that is an object is refused, naming the rule', async () => {
		const e = await refused(rule({ value: '42', channel: '={{ $json.target }}' }), { amount: 42, target: { id: ch.sales } });
		expect(e.message).toBe('Routing Rules > Rule 1 > Channel Name or ID must be an ID or a name, not an object');
	});

	it('Send To as a boolean is refused', async () => {
		expect((await refused({ routeMode: '={{ true }}' }, {})).message).toBe('Send To must be one of first, all, not a boolean (true)');
	});
});

describe('other operations', () => {
	it('Emoji given a number is the emoji of that name (:100:)', async () => {
		const ts = String((await runNotify(emu, send({ text: 'react here' }), [{}])).outputOf('Slack Notify')[0].ts);
		const r = await runNotify(emu, { operation: 'react', channel: byId(ch.marketing), ts, emoji: '={{ $json.score }}' }, [{ score: 100 }]);
		expect(r.error).toBeUndefined();
		expect(r.outputOf('Slack Notify')[0]).toMatchObject({ ok: true, emoji: '100' });
	});

	it('Message Timestamp given an object is refused naming it', async () => {
		const e = await refused({ channel: byId(ch.marketing), ts: '={{ $json.message }}', emoji: 'eyes' }, { message: { ts: '1.2' } }, 'react');
		expect(e.message).toBe('Message Timestamp must be text, not an object');
		expect(e.description).toContain('{{ $json.ts }}');
	});

	it('User ID given the whole user object is refused naming it', async () => {
		const e = await refused({ channel: byId(ch.marketing), user: '={{ $json.user }}', content: 'text', text: 'psst' }, { user: { id: 'U0ADMIN001' } }, 'ephemeral');
		expect(e.message).toBe('User ID must be text, not an object');
	});

	it('Action (response_url) from a number is refused', async () => {
		const e = await refused({ responseUrl: 'https://hooks.slack.com/x', responseAction: '={{ 2 }}' }, {}, 'respond');
		expect(e.message).toBe('Action must be one of reply, replace, delete, not a number (2)');
	});

	it('Channels to Check as an array is read as a list', async () => {
		const r = await runNotify(emu, { operation: 'checkConnection', checkChannels: '={{ ["#sales", "#support"] }}' }, [{}]);
		const checks = r.outputOf('Slack Notify').map((l) => `${String(l.check)}:${String(l.status)}`);
		expect(checks).toEqual(expect.arrayContaining(['Can post in #sales:pass', 'Can post in #support:pass']));
	});
});

describe('Options: numbers within the description\'s range, switches and texts', () => {
	const opts = (options: IDataObject, p: IDataObject = {}) => ({ ...p, options });

	it('Thread Lookup Pages above its maxValue (20) is refused naming the option', async () => {
		const e = await refused(opts({ threadLookupPages: 25 }), {});
		expect(e.message).toBe('Options > Thread Lookup Pages must be a number from 1 to 20, not 25');
		expect(e.description).toBe('Give a number from 1 to 20 in "Options > Thread Lookup Pages", e.g. 1.');
	});

	it('Messages per Second per Channel of 0 (below minValue 0.01) is refused', async () => {
		expect((await refused(opts({ ratePerSecond: '={{ $json.rate }}' }), { rate: 0 })).message).toBe('Options > Messages per Second per Channel must be a number of at least 0.01, not 0');
	});

	it('Request Timeout given an object is refused naming the type', async () => {
		const e = await refused(opts({ timeoutSeconds: '={{ $json.timeout }}' }), { timeout: { seconds: 5 } });
		expect(e.message).toBe('Options > Request Timeout (Seconds) must be a number of at least 1, not an object');
	});

	it('Max Rate-Limit Wait of Infinity is refused (numbers must be finite)', async () => {
		expect((await refused(opts({ maxWaitSeconds: '={{ 1 / 0 }}' }), {})).message).toBe('Options > Max Rate-Limit Wait per Message (Seconds) must be a number of at least 1, not a number (Infinity)');
	});

	it('Burst per Channel given text that is not a number is refused quoting it', async () => {
		expect((await refused(opts({ burst: '={{ "lots" }}' }), {})).message).toBe('Options > Burst per Channel must be a number of at least 1, not "lots"');
	});

	it('Check Before Re-Sending given "yes" is refused as not true or false', async () => {
		expect((await refused(opts({ verifyAmbiguous: '={{ "yes" }}' }), {})).message).toBe('Options > Check Before Re-Sending must be true or false, not text');
	});

	it('Note Under Header given an object is refused naming the option', async () => {
		expect((await refused(opts({ note: '={{ $json.who }}' }), { who: { id: 'U1' } })).message).toBe('Options > Note Under Header must be text, not an object');
	});

	it('numbers given as text ("60", "2"), null and switches given "true" are used: the message is sent', async () => {
		const options = { maxWaitSeconds: '={{ "60" }}', threadLookupPages: '={{ "2" }}', timeoutSeconds: '={{ null }}', joinChannels: '={{ "true" }}', unfurlLinks: '={{ false }}' };
		expect(await sent(opts(options, { text: 'options as expressions' }), {})).toBe('options as expressions');
	});
});
