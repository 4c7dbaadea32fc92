/**
 * Realistic Slack payloads, shaped after the examples on api.slack.com (reference/interaction-payloads) and
 * the fields real apps receive. Used by the unit tests and the benchmark.
 */
export const blockActionsPayload = () => ({
	type: 'block_actions',
	user: { id: 'U0CA5', username: 'amy.mcdee', name: 'amy.mcdee', team_id: 'T3MDE' },
	api_app_id: 'A0CA5',
	token: 'Shh_its_a_seekrit',
	container: { type: 'message', message_ts: '1548261231.000200', channel_id: 'C0CA5', is_ephemeral: false },
	trigger_id: '12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3',
	team: { id: 'T3MDE', domain: 'amymcdee' },
	enterprise: null,
	is_enterprise_install: false,
	channel: { id: 'C0CA5', name: 'marketing' },
	message: {
		type: 'message',
		subtype: undefined,
		text: 'New subscriber: ada@example.com',
		ts: '1548261231.000200',
		thread_ts: '1548261200.000100',
		bot_id: 'B0CA5',
		user: 'U0BOT',
		blocks: [
			{ type: 'section', block_id: 'intro', text: { type: 'mrkdwn', text: 'New subscriber: ada@example.com' } },
			{
				type: 'actions',
				block_id: 'contact_actions',
				elements: [
					{ type: 'button', action_id: 'mark_vip', text: { type: 'plain_text', text: 'Mark VIP' }, value: 'ada@example.com' },
				],
			},
		],
	},
	state: { values: {} },
	response_url: 'https://hooks.slack.com/actions/T3MDE/548279734390/LZMvMFjmK6Ao3R1nXKcQ2gUo',
	actions: [
		{
			action_id: 'mark_vip',
			block_id: 'contact_actions',
			text: { type: 'plain_text', text: 'Mark VIP', emoji: true },
			value: 'ada@example.com',
			type: 'button',
			action_ts: '1548426417.840180',
		},
	],
});

export const viewSubmissionPayload = () => ({
	type: 'view_submission',
	team: { id: 'T3MDE', domain: 'amymcdee' },
	user: { id: 'U0CA5', username: 'amy.mcdee', name: 'amy.mcdee', team_id: 'T3MDE' },
	api_app_id: 'A0CA5',
	token: 'Shh_its_a_seekrit',
	trigger_id: '12466734323.1395872398.e6ec4a1d6d4b5d2d0fd7f7d3e0c3f2a1',
	view: {
		id: 'VNHU13V36',
		type: 'modal',
		title: { type: 'plain_text', text: 'New contact' },
		callback_id: 'new_contact',
		external_id: '',
		private_metadata: '{"list":7}',
		hash: '156663117.cd33ad1f',
		root_view_id: 'VNHU13V36',
		previous_view_id: null,
		state: {
			values: {
				email_block: { email: { type: 'email_text_input', value: 'ada@example.com' } },
				name_block: { first_name: { type: 'plain_text_input', value: 'Ada' } },
				plan_block: { plan: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'Pro' }, value: 'pro' } } },
				topics_block: {
					topics: {
						type: 'checkboxes',
						selected_options: [
							{ text: { type: 'plain_text', text: 'News' }, value: 'news' },
							{ text: { type: 'plain_text', text: 'Offers' }, value: 'offers' },
						],
					},
				},
				date_block: { start: { type: 'datepicker', selected_date: '2026-12-01' } },
				time_block: { call_at: { type: 'timepicker', selected_time: '09:30' } },
				when_block: { remind: { type: 'datetimepicker', selected_date_time: 1764579600 } },
				seats_block: { seats: { type: 'number_input', value: '12' } },
				owner_block: { owner: { type: 'users_select', selected_user: 'U0OWNER' } },
				notes_block: {
					notes: {
						type: 'rich_text_input',
						rich_text_value: {
							type: 'rich_text',
							elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'Met at ' }, { type: 'text', text: 'the fair', style: { bold: true } }] }],
						},
					},
				},
				dup_a: { note: { type: 'plain_text_input', value: 'first' } },
				dup_b: { note: { type: 'plain_text_input', value: null } },
			},
		},
	},
	response_urls: [],
	is_enterprise_install: false,
	enterprise: null,
});

export const shortcutPayload = () => ({
	type: 'shortcut',
	token: 'Shh_its_a_seekrit',
	action_ts: '1581106241.371594',
	team: { id: 'T3MDE', domain: 'amymcdee' },
	user: { id: 'U0CA5', username: 'amy.mcdee', team_id: 'T3MDE' },
	callback_id: 'add_contact',
	trigger_id: '944799105734.773906753841.38b5894552bdd4a780554ee59d1f3638',
});

export const messageActionPayload = () => ({
	type: 'message_action',
	token: 'Shh_its_a_seekrit',
	action_ts: '1581106241.371594',
	team: { id: 'T3MDE', domain: 'amymcdee' },
	user: { id: 'U0CA5', username: 'amy.mcdee', team_id: 'T3MDE', name: 'amy.mcdee' },
	channel: { id: 'C0SALES', name: 'sales' },
	callback_id: 'add_to_list',
	trigger_id: '13345224609.738474920.8088930838d88f008e0',
	message_ts: '1581106220.000200',
	message: { type: 'message', user: 'U0CUST', ts: '1581106220.000200', text: 'Please add bob@example.com to the newsletter' },
	response_url: 'https://hooks.slack.com/app/T3MDE/1234/abcd',
});

export const viewClosedPayload = () => ({
	type: 'view_closed',
	team: { id: 'T3MDE', domain: 'amymcdee' },
	user: { id: 'U0CA5', username: 'amy.mcdee', name: 'amy.mcdee', team_id: 'T3MDE' },
	api_app_id: 'A0CA5',
	view: { id: 'VNHU13V36', type: 'modal', callback_id: 'new_contact', private_metadata: '', state: { values: {} }, title: { type: 'plain_text', text: 'New contact' } },
	is_cleared: false,
});

export const slashCommandFields = () => ({
	token: 'gIkuvaNzQIHg97ATvDxqgjtO',
	team_id: 'T3MDE',
	team_domain: 'amymcdee',
	channel_id: 'C0MKT',
	channel_name: 'marketing',
	user_id: 'U0CA5',
	user_name: 'amy.mcdee',
	command: '/brevo',
	text: 'subscribe ada@example.com',
	api_app_id: 'A0CA5',
	response_url: 'https://hooks.slack.com/commands/1234/5678',
	trigger_id: '13345224609.738474920.8088930838d88f008e0',
});

export const eventEnvelope = (event: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
	token: 'XXYYZZ',
	team_id: 'T3MDE',
	api_app_id: 'A0CA5',
	event,
	type: 'event_callback',
	event_id: 'Ev08MFMKH6',
	event_time: 1234567890,
	authorizations: [{ enterprise_id: null, team_id: 'T3MDE', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
	is_ext_shared_channel: false,
	...over,
});

export const appMentionEvent = () => ({
	type: 'app_mention',
	user: 'U0CA5',
	text: '<@U0BOT> sync ada@example.com',
	ts: '1515449522.000016',
	thread_ts: '1515449500.000010',
	channel: 'C0MKT',
	event_ts: '1515449522000016',
});

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
export const interactionBody = (payload: object) => form({ payload: JSON.stringify(payload) });
