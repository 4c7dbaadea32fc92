import {
	appMentionEvent,
	blockActionsPayload,
	eventEnvelope,
	form,
	interactionBody,
	shortcutPayload,
	slashCommandFields,
	viewSubmissionPayload,
} from '../../../../test/slack-trigger/payloads';
import { applyFilters, compileFilters, compilePattern, isBotMessage, isSelfEvent, splitList, type CompiledFilters, type FilterSettings } from '../../../../nodes/shared/slack/filters';
import { normalizeSlackRequest, parseSlackRequest, type NormalizedItem } from '../../../../nodes/shared/slack/interaction';

const FORM = 'application/x-www-form-urlencoded';
const item = (body: string, ct = FORM): NormalizedItem => normalizeSlackRequest(parseSlackRequest(body, ct), { receivedAtMs: 0 })!;
const compiled = (settings: FilterSettings): CompiledFilters => {
	const result = compileFilters(settings);
	if (!result.ok) throw new Error(result.message);
	return result.filters;
};
const passes = (settings: FilterSettings, it: NormalizedItem) => applyFilters(compiled(settings), it).pass;
const matches = (pattern: string, value: string | null) => {
	const c = compilePattern(pattern);
	if (!c.ok) throw new Error(c.message);
	return c.match(value);
};

const click = item(interactionBody(blockActionsPayload()));
const submit = item(interactionBody(viewSubmissionPayload()));
const shortcut = item(interactionBody(shortcutPayload()));
const command = item(form(slashCommandFields()));
const mention = item(JSON.stringify(eventEnvelope(appMentionEvent())), 'application/json');

describe('compilePattern', () => {
	it('matches exact strings and /regex/flags', () => {
		expect(matches('mark_vip', 'mark_vip')).toBe(true);
		expect(matches('mark_vip', 'mark_vip_2')).toBe(false);
		expect(matches('/^mark_/', 'mark_vip_2')).toBe(true);
		expect(matches('/^MARK_/i', 'mark_vip')).toBe(true);
		const global = compilePattern('/^mark_/g'); // g would make test() stateful between requests: dropped
		expect(global.ok && global.match('mark_vip') && global.match('mark_vip')).toBe(true);
		expect(matches('/x/', null)).toBe(false);
	});

	it('reports invalid expressions with the pattern and the field', () => {
		expect(compilePattern('/(unclosed/')).toMatchObject({ ok: false, message: expect.stringContaining('"/(unclosed/" is not a valid regular expression') });
		expect(compileFilters({ actionIds: ['ok', '/[/'] })).toMatchObject({ ok: false, field: 'actionIds' });
		expect(compileFilters({ channels: ['#ok', '/(/'] })).toMatchObject({ ok: false, field: 'channels' });
	});

	it('splitList accepts comma or newline separated text and arrays', () => {
		expect(splitList(' a, b\nc ,, ')).toEqual(['a', 'b', 'c']);
		expect(splitList(['x ', ''])).toEqual(['x']);
		expect(splitList(undefined)).toEqual([]);
	});
});

describe('applyFilters', () => {
	it('lets everything through with no settings', () => {
		for (const i of [click, submit, shortcut, command, mention]) expect(passes({}, i)).toBe(true);
	});

	it('payload types', () => {
		expect(passes({ payloadTypes: ['block_actions'] }, click)).toBe(true);
		expect(passes({ payloadTypes: ['block_actions'] }, submit)).toBe(false);
		expect(passes({ payloadTypes: ['event', 'slash_command'] }, command)).toBe(true);
	});

	it('action and block ids apply to block_actions only', () => {
		expect(passes({ actionIds: ['mark_vip'] }, click)).toBe(true);
		expect(passes({ actionIds: ['/^approve_/'] }, click)).toBe(false);
		expect(passes({ actionIds: ['/^approve_/'] }, submit)).toBe(true);
		expect(passes({ blockIds: ['contact_actions'] }, click)).toBe(true);
		expect(passes({ blockIds: ['other'] }, click)).toBe(false);
	});

	it('callback ids apply to modals and shortcuts (and clicks inside a modal)', () => {
		expect(passes({ callbackIds: ['new_contact'] }, submit)).toBe(true);
		expect(passes({ callbackIds: ['/^add_/'] }, shortcut)).toBe(true);
		expect(passes({ callbackIds: ['other'] }, submit)).toBe(false);
		expect(passes({ callbackIds: ['other'] }, click)).toBe(true); // a click in a message has no callback id
		const inModal = { ...click, view: { id: 'V' }, callback_id: 'new_contact' } as NormalizedItem;
		expect(passes({ callbackIds: ['other'] }, inModal)).toBe(false);
	});

	it('slash commands by name, with or without slash, case-insensitive', () => {
		expect(passes({ commands: ['brevo'] }, command)).toBe(true);
		expect(passes({ commands: ['/BREVO'] }, command)).toBe(true);
		expect(passes({ commands: ['/other'] }, command)).toBe(false);
	});

	it('event types and channels (id or #name); items without a channel pass the channel filter', () => {
		expect(passes({ eventTypes: ['app_mention'] }, mention)).toBe(true);
		expect(passes({ eventTypes: ['message'] }, mention)).toBe(false);
		expect(passes({ channels: ['C0MKT'] }, mention)).toBe(true);
		expect(passes({ channels: ['#marketing'] }, click)).toBe(true);
		expect(passes({ channels: ['C0OTHER'] }, click)).toBe(false);
		expect(passes({ channels: ['C0OTHER'] }, shortcut)).toBe(true);
	});

	it('ignores bot messages (bot_id without subtype, bot_message, edits of bot messages) and self events', () => {
		const botPost = item(JSON.stringify(eventEnvelope({ type: 'message', channel: 'C1', text: 'hi', ts: '1.1', bot_id: 'B999', user: 'U0OTHERBOT' })), 'application/json');
		expect(passes({}, botPost)).toBe(false);
		expect(passes({ ignoreBotMessages: false, ignoreSelf: false }, botPost)).toBe(true);
		const selfPost = item(JSON.stringify(eventEnvelope({ type: 'message', channel: 'C1', text: 'hi', ts: '1.1', user: 'U0BOT', app_id: 'A0CA5' })), 'application/json');
		expect(applyFilters(compiled({ ignoreBotMessages: false }), selfPost)).toEqual({ pass: false, reason: 'the event comes from this app' });
		expect(passes({ ignoreBotMessages: false, ignoreSelf: false }, selfPost)).toBe(true);
		expect(passes({}, mention)).toBe(true);
		expect(isBotMessage({ type: 'message', subtype: 'bot_message', text: 'x' })).toBe(true);
		expect(isBotMessage({ type: 'message', subtype: 'message_changed', message: { bot_id: 'B1' } })).toBe(true);
		expect(isBotMessage({ type: 'message', user: 'USLACKBOT', text: 'reminder' })).toBe(false);
		expect(isSelfEvent({ api_app_id: 'A1', authorizations: [{ user_id: 'UB', is_bot: true }] }, { user: 'UB' })).toBe(true);
		expect(isSelfEvent({ api_app_id: 'A1', authorizations: [{ user_id: 'UB', is_bot: true }] }, { user: 'UX' })).toBe(false);
		expect(isSelfEvent({ api_app_id: 'A1' }, { bot_profile: { app_id: 'A1' } })).toBe(true);
	});
});
