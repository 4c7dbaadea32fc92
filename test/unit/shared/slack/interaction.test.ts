import {
	appMentionEvent,
	blockActionsPayload,
	eventEnvelope,
	form,
	interactionBody,
	messageActionPayload,
	shortcutPayload,
	slashCommandFields,
	viewClosedPayload,
	viewSubmissionPayload,
} from '../../../../test/slack-trigger/payloads';
import { deliveryKey, flattenViewState, normalizeSlackRequest, parseSlackRequest, simpleValue } from '../../../../nodes/shared/slack/interaction';

const FORM = 'application/x-www-form-urlencoded';
const JSON_CT = 'application/json; charset=utf-8';
const NOW = Date.UTC(2026, 10, 28, 1, 0, 0);

const normalize = (body: string, ct: string, extra = {}) => {
	const parsed = parseSlackRequest(Buffer.from(body), ct);
	if (!parsed.ok) throw new Error(`refused: ${parsed.reason}`);
	return normalizeSlackRequest(parsed, { receivedAtMs: NOW, ...extra })!;
};

describe('parseSlackRequest refusals', () => {
	it.each([
		['empty_body', '', FORM, 400],
		['empty_body', '   ', JSON_CT, 400],
		['wrong_content_type', 'payload=%7B%7D', 'text/plain', 415],
		['wrong_content_type', 'payload=%7B%7D', undefined, 415],
		['missing_payload', 'foo=bar', FORM, 400],
		['payload_not_json', 'payload=%7Bnot-json', FORM, 400],
		['not_an_object', `payload=${encodeURIComponent('[1,2]')}`, FORM, 400],
		['unknown_type', interactionBody({ type: 'interactive_message' }), FORM, 400],
		['unknown_type', interactionBody({ type: 'block_suggestion' }), FORM, 400],
		['unknown_type', interactionBody({ no: 'type' }), FORM, 400],
		['body_not_json', '{"type":', JSON_CT, 400],
		['not_an_object', '"a string"', JSON_CT, 400],
		['unknown_type', '{"type":"something_else"}', JSON_CT, 400],
		['missing_fields', '{"type":"url_verification"}', JSON_CT, 400],
		['missing_fields', '{"type":"event_callback","event":"x"}', JSON_CT, 400],
		['missing_fields', form({ command: '/x', team_id: 'T1' }), FORM, 400],
		['missing_fields', form({ command: 'x', team_id: 'T1', user_id: 'U1' }), FORM, 400],
	])('%s for %j (%s)', (reason, body, ct, status) => {
		const parsed = parseSlackRequest(Buffer.from(body), ct);
		expect(parsed).toMatchObject({ ok: false, reason, status });
	});
});

describe('parseSlackRequest classification', () => {
	it('answers url_verification with its challenge', () => {
		const parsed = parseSlackRequest(Buffer.from(JSON.stringify({ token: 't', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' })), 'application/json');
		expect(parsed).toEqual({ ok: true, kind: 'url_verification', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
	});

	it('recognises app_rate_limited notices', () => {
		const parsed = parseSlackRequest('{"token":"x","type":"app_rate_limited","team_id":"T1","minute_rate_limited":1518467820,"api_app_id":"A1"}', 'application/json');
		expect(parsed).toMatchObject({ ok: true, kind: 'app_rate_limited' });
	});

	it('recognises Slack\'s ssl_check for slash command URLs', () => {
		expect(parseSlackRequest('ssl_check=1&token=xyz', FORM)).toEqual({ ok: true, kind: 'ssl_check' });
	});

	it('decodes "+" as a space in form bodies (Slack encodes spaces that way)', () => {
		const parsed = parseSlackRequest('command=%2Fbrevo&team_id=T1&user_id=U1&text=add+ada%40example.com', FORM);
		expect(parsed).toMatchObject({ ok: true, kind: 'slash_command', fields: { text: 'add ada@example.com' } });
	});
});

describe('normalizeSlackRequest', () => {
	it('block_actions: user, channel, action, message, trigger expiry, response_url, no verification token', () => {
		const item = normalize(interactionBody(blockActionsPayload()), FORM);
		expect(item).toMatchObject({
			type: 'block_actions',
			team: { id: 'T3MDE', domain: 'amymcdee', enterprise_id: null },
			user: { id: 'U0CA5', username: 'amy.mcdee', name: 'amy.mcdee', team_id: 'T3MDE' },
			channel: { id: 'C0CA5', name: 'marketing' },
			action: { action_id: 'mark_vip', block_id: 'contact_actions', type: 'button', value: 'ada@example.com', label: 'Mark VIP', action_ts: '1548426417.840180' },
			trigger_id: '12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3',
			trigger_id_expires_at: new Date(NOW + 3000).toISOString(),
			received_at: new Date(NOW).toISOString(),
			response_url: 'https://hooks.slack.com/actions/T3MDE/548279734390/LZMvMFjmK6Ao3R1nXKcQ2gUo',
			message: { ts: '1548261231.000200', thread_ts: '1548261200.000100', text: 'New subscriber: ada@example.com', bot_id: 'B0CA5' },
		});
		expect(item.actions).toHaveLength(1);
		expect(item.raw).not.toHaveProperty('token');
		expect(JSON.stringify(item)).not.toContain('Shh_its_a_seekrit');
	});

	it('block_actions: select, multi-select and pickers', () => {
		const p = blockActionsPayload();
		p.actions = [
			{ type: 'static_select', action_id: 'plan', block_id: 'b', selected_option: { text: { type: 'plain_text', text: 'Pro' }, value: 'pro' }, action_ts: '1.2' },
			{ type: 'multi_static_select', action_id: 'tags', block_id: 'b', selected_options: [{ text: { type: 'plain_text', text: 'A' }, value: 'a' }, { text: { type: 'plain_text', text: 'B' }, value: 'b' }], action_ts: '1.3' },
			{ type: 'datepicker', action_id: 'd', block_id: 'b', selected_date: '2026-12-24', action_ts: '1.4' },
			{ type: 'timepicker', action_id: 't', block_id: 'b', selected_time: '13:05', action_ts: '1.5' },
			{ type: 'datetimepicker', action_id: 'dt', block_id: 'b', selected_date_time: 1764579600, action_ts: '1.6' },
		] as never;
		const item = normalize(interactionBody(p), FORM);
		expect(item.actions.map((a) => a.value)).toEqual(['pro', ['a', 'b'], '2026-12-24', '13:05', '2025-12-01T09:00:00.000Z']);
		expect(item.actions[0].selected_option).toEqual({ value: 'pro', text: 'Pro' });
		expect(item.actions[1].selected_options).toEqual([{ value: 'a', text: 'A' }, { value: 'b', text: 'B' }]);
		expect(item.actions[2].selected_date).toBe('2026-12-24');
		expect(item.actions[3].selected_time).toBe('13:05');
		expect(item.actions[4].selected_date_time).toBe('2025-12-01T09:00:00.000Z');
	});

	it('block_actions in a modal: callback_id, private_metadata and state come from the view; message container gives a ts', () => {
		const p = blockActionsPayload() as Record<string, unknown>;
		delete p.message;
		delete p.channel;
		p.container = { type: 'view', view_id: 'V1' };
		p.view = viewSubmissionPayload().view;
		const item = normalize(interactionBody(p), FORM);
		expect(item.callback_id).toBe('new_contact');
		expect(item.private_metadata).toBe('{"list":7}');
		expect(item.values.email).toBe('ada@example.com');
		expect(item.channel).toBeNull();
		expect(item.message).toBeNull();
	});

	it('view_submission: state flattened both ways, all element kinds simplified', () => {
		const item = normalize(interactionBody(viewSubmissionPayload()), FORM);
		expect(item.callback_id).toBe('new_contact');
		expect(item.private_metadata).toBe('{"list":7}');
		expect(item.view).toMatchObject({ id: 'VNHU13V36', hash: '156663117.cd33ad1f', title: 'New contact' });
		expect(item.state.email_block).toEqual({ email: 'ada@example.com' });
		expect(item.values).toEqual({
			email: 'ada@example.com',
			first_name: 'Ada',
			plan: 'pro',
			topics: ['news', 'offers'],
			start: '2026-12-01',
			call_at: '09:30',
			remind: '2025-12-01T09:00:00.000Z',
			seats: 12,
			owner: 'U0OWNER',
			notes: 'Met at the fair',
			'dup_a.note': 'first',
			'dup_b.note': null,
		});
		expect(item.trigger_id_expires_at).toBe(new Date(NOW + 3000).toISOString());
		expect(item.channel).toBeNull();
	});

	it('view_closed, shortcut and message_action', () => {
		expect(normalize(interactionBody(viewClosedPayload()), FORM)).toMatchObject({ type: 'view_closed', callback_id: 'new_contact', trigger_id: null });
		expect(normalize(interactionBody(shortcutPayload()), FORM)).toMatchObject({
			type: 'shortcut',
			callback_id: 'add_contact',
			user: { id: 'U0CA5', username: 'amy.mcdee' },
			channel: null,
			response_url: null,
		});
		expect(normalize(interactionBody(messageActionPayload()), FORM)).toMatchObject({
			type: 'message_action',
			callback_id: 'add_to_list',
			channel: { id: 'C0SALES', name: 'sales' },
			message: { ts: '1581106220.000200', text: 'Please add bob@example.com to the newsletter', user: 'U0CUST' },
			response_url: 'https://hooks.slack.com/app/T3MDE/1234/abcd',
		});
	});

	it('slash command: command name and text, channel, no verification token in the output', () => {
		const item = normalize(form(slashCommandFields()), FORM);
		expect(item).toMatchObject({
			type: 'slash_command',
			command: { name: '/brevo', text: 'subscribe ada@example.com' },
			user: { id: 'U0CA5', username: 'amy.mcdee' },
			channel: { id: 'C0MKT', name: 'marketing' },
			team: { id: 'T3MDE', domain: 'amymcdee' },
			response_url: 'https://hooks.slack.com/commands/1234/5678',
		});
		expect(item.raw).not.toHaveProperty('token');
	});

	it('events: app_mention, message_changed, link_shared, team_join, user_change', () => {
		const mention = normalize(JSON.stringify(eventEnvelope(appMentionEvent())), JSON_CT, { retryNum: 1, retryReason: 'http_timeout' });
		expect(mention).toMatchObject({
			type: 'event',
			event_type: 'app_mention',
			event_id: 'Ev08MFMKH6',
			event_time: 1234567890,
			team: { id: 'T3MDE' },
			user: { id: 'U0CA5' },
			channel: { id: 'C0MKT' },
			message: { ts: '1515449522.000016', thread_ts: '1515449500.000010', text: '<@U0BOT> sync ada@example.com' },
			retry: { num: 1, reason: 'http_timeout' },
		});
		expect(mention.raw).not.toHaveProperty('token');

		const edited = normalize(JSON.stringify(eventEnvelope({ type: 'message', subtype: 'message_changed', channel: 'C1', message: { user: 'U2', text: 'new', ts: '1.000001' }, ts: '2.000002' })), JSON_CT);
		expect(edited.message).toMatchObject({ ts: '1.000001', text: 'new', user: 'U2' });
		expect(edited.user.id).toBe('U2');

		const link = normalize(JSON.stringify(eventEnvelope({ type: 'link_shared', channel: 'COMPOSER', user: 'U1', message_ts: 'Uxxxx-909b5454-75f8-4ac4-b325-1b40e230bbd8-gryl3kb80b3wm49ihzoo35fyqoq08n2y', unfurl_id: 'Uxxxx', source: 'composer', links: [{ domain: 'app.brevo.com', url: 'https://app.brevo.com/contact/index/42' }] })), JSON_CT);
		expect(link).toMatchObject({ event_type: 'link_shared', channel: { id: 'COMPOSER' }, message: { ts: expect.stringMatching(/^Uxxxx-/) } });

		const join = normalize(JSON.stringify(eventEnvelope({ type: 'team_join', user: { id: 'U9', name: 'ada', real_name: 'Ada Lovelace', team_id: 'T3MDE', is_bot: false, profile: { email: 'ada@example.com', real_name: 'Ada Lovelace' } } })), JSON_CT);
		expect(join.user).toEqual({ id: 'U9', username: 'ada', name: 'ada', team_id: 'T3MDE', real_name: 'Ada Lovelace', email: 'ada@example.com', is_bot: false });
		expect(join.channel).toBeNull();

		const change = normalize(JSON.stringify(eventEnvelope({ type: 'user_change', user: { id: 'U9', name: 'ada', profile: {} } })), JSON_CT);
		expect(change).toMatchObject({ event_type: 'user_change', user: { id: 'U9' } });
	});
});

describe('deliveryKey', () => {
	it('uses event_id for events, a body hash for interactivity, nothing for url_verification', () => {
		const ev = JSON.stringify(eventEnvelope(appMentionEvent()));
		expect(deliveryKey(parseSlackRequest(ev, JSON_CT), ev)).toBe('ev:Ev08MFMKH6');
		const body = interactionBody(blockActionsPayload());
		const key = deliveryKey(parseSlackRequest(body, FORM), body);
		expect(key).toMatch(/^h:[A-Za-z0-9_-]{22}$/);
		const other = interactionBody({ ...blockActionsPayload(), trigger_id: 'other' });
		expect(deliveryKey(parseSlackRequest(other, FORM), other)).not.toBe(key);
		const uv = '{"type":"url_verification","challenge":"c"}';
		expect(deliveryKey(parseSlackRequest(uv, JSON_CT), uv)).toBeNull();
	});
});

describe('simpleValue / flattenViewState edge cases', () => {
	it('handles empty selections and unknown element kinds', () => {
		expect(simpleValue({ type: 'static_select', selected_option: null })).toBeNull();
		expect(simpleValue({ type: 'checkboxes', selected_options: [] })).toEqual([]);
		expect(simpleValue({ type: 'number_input', value: '' })).toBeNull();
		expect(simpleValue({ type: 'number_input', value: '1.5' })).toBe(1.5);
		expect(simpleValue({ type: 'future_widget', selected_thing: 'x' })).toBe('x');
		expect(simpleValue({ type: 'future_widget', other: 1 })).toEqual({ other: 1 });
		expect(simpleValue({ type: 'multi_users_select', selected_users: ['U1', 'U2'] })).toEqual(['U1', 'U2']);
		expect(simpleValue({ type: 'radio_buttons', selected_option: { value: 'r', text: { type: 'plain_text', text: 'R' } } })).toBe('r');
	});

	it('survives a view without state', () => {
		expect(flattenViewState({ id: 'V1' })).toEqual({ state: {}, values: {} });
		expect(flattenViewState(null)).toEqual({ state: {}, values: {} });
	});
});
