import type { INodeProperties } from 'n8n-workflow';

/** The trigger's UI. Names here are read by SlackInteractionTrigger.node.ts and by the webhook description. */
export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Paste this node\'s Production URL into your Slack app (api.slack.com/apps) as the Request URL of <b>Interactivity & Shortcuts</b>, of each <b>Slash Command</b> and of <b>Event Subscriptions</b>. Every request is checked against the signing secret; unsigned or altered requests get 401 and start nothing.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Receive',
		name: 'payloadTypes',
		type: 'multiOptions',
		default: [],
		description: 'Which kinds of Slack requests start the workflow. Leave empty for all.',
		options: [
			{ name: 'Button or Menu Click (Block_actions)', value: 'block_actions' },
			{ name: 'Events API Event', value: 'event' },
			{ name: 'Global Shortcut (Shortcut)', value: 'shortcut' },
			{ name: 'Message Shortcut (Message_action)', value: 'message_action' },
			{ name: 'Modal Closed (View_closed)', value: 'view_closed' },
			{ name: 'Modal Submitted (View_submission)', value: 'view_submission' },
			{ name: 'Slash Command', value: 'slash_command' },
		],
	},
	{
		displayName: 'Modal Submission Answer',
		name: 'modalAnswer',
		type: 'options',
		default: 'onReceived',
		description:
			'How to answer view_submission requests. Slack waits at most 3 seconds for the answer: with "last node" the whole workflow must finish within that time, or Slack shows an error in the modal.',
		options: [
			{
				name: 'Close the Modal at Once',
				value: 'onReceived',
				description: 'Answer 200 immediately; the workflow runs after',
			},
			{
				name: 'Answer With the Last Node\'s Output',
				value: 'lastNode',
				description:
					'The first item of the last node is sent back, e.g. {"response_action": "errors", "errors": {"email_block": "Not a valid email"}}, or "update" / "push" / "clear" with a view',
			},
		],
	},
	{
		displayName: 'Look Up User Details',
		name: 'lookUpUser',
		type: 'boolean',
		default: false,
		description:
			'Whether to call users.info with a bot token to add the user\'s real name and email (email needs the users:read.email scope). Runs after Slack has been answered, except for modal submissions answered by the last node.',
	},
	{
		displayName: 'Ignore Bot Messages',
		name: 'ignoreBotMessages',
		type: 'boolean',
		default: true,
		description: 'Whether to drop message and app_mention events written by bots or integrations (prevents loops)',
	},
	{
		displayName: 'Ignore This App\'s Own Events',
		name: 'ignoreSelf',
		type: 'boolean',
		default: true,
		description: 'Whether to drop events caused by this Slack app itself (its app ID or its bot user)',
	},
	{
		displayName: 'Ignore Duplicate Deliveries',
		name: 'ignoreDuplicates',
		type: 'boolean',
		default: true,
		description:
			'Whether a delivery already received (a Slack retry with X-Slack-Retry-Num and the same event ID, or a replayed interaction) starts nothing. Remembered in the workflow\'s static data, so it holds across restarts and n8n processes.',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Each list is comma-separated; an entry is an exact value or a regular expression written /like this/',
		options: [
			{
				displayName: 'Action IDs',
				name: 'actionIds',
				type: 'string',
				default: '',
				placeholder: 'approve_contact, /^vip_/',
				description: 'Button and menu clicks (block_actions) whose action_id matches',
			},
			{
				displayName: 'Block IDs',
				name: 'blockIds',
				type: 'string',
				default: '',
				placeholder: 'contact_actions',
				description: 'Button and menu clicks whose block_id matches',
			},
			{
				displayName: 'Callback IDs',
				name: 'callbackIds',
				type: 'string',
				default: '',
				placeholder: 'new_contact, add_to_list',
				description: 'Modals (view_submission, view_closed, and clicks inside a modal) and shortcuts whose callback_id matches',
			},
			{
				displayName: 'Channels',
				name: 'channels',
				type: 'string',
				default: '',
				placeholder: 'C0123456789, #marketing',
				description: 'Channel IDs, or #names for clicks, message shortcuts and slash commands (Events API deliveries carry only IDs). Requests without a channel (global shortcuts, modals, team_join) are not filtered by channel.',
			},
			{
				displayName: 'Event Types',
				name: 'eventTypes',
				type: 'string',
				default: '',
				placeholder: 'app_mention, message, link_shared, team_join, user_change',
				description: 'Events API event types to accept (exact names)',
			},
			{
				displayName: 'Slash Commands',
				name: 'commands',
				type: 'string',
				default: '',
				placeholder: '/brevo, /subscribe',
				description: 'Slash command names to accept',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Duplicate Memory (Deliveries)',
				name: 'dedupMax',
				type: 'number',
				typeOptions: { minValue: 10, maxValue: 5000 },
				default: 500,
				description:
					'How many recent deliveries are remembered for duplicate detection (for one hour). Kept in the workflow\'s static data, which n8n saves after each request.',
			},
			{
				displayName: 'Include Raw Payload',
				name: 'includeRaw',
				type: 'boolean',
				default: true,
				description: 'Whether the item carries Slack\'s whole payload under "raw" (the verification token is always removed)',
			},
			{
				displayName: 'Maximum Body Size (KB)',
				name: 'maxBodyKb',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10240 },
				default: 1024,
				description: 'Larger requests are refused with 413 before anything else is done',
			},
			{
				displayName: 'Slash Command Reply',
				name: 'commandAck',
				type: 'string',
				default: '',
				placeholder: 'Working on it…',
				description: 'Text only the user sees right away after a slash command (ephemeral). Leave empty to answer nothing.',
			},
		],
	},
];
