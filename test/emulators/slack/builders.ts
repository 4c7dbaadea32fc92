/**
 * Realistic payloads Slack sends to an app (shapes as in Slack's docs and SDK samples). A payload carrying a trigger_id
 * registers it as live in the emulator (single use, 3 s scaled); a response_url points at this emulator.
 */
import { hex, slackId } from './ids';
import type { SlackState } from './state';
import type { SlackMessage, ViewRecord } from './types';

export interface BuilderEnv {
	state: SlackState;
	baseUrl: string;
}

export interface ActionSpec {
	action_id: string;
	block_id?: string;
	type?: string;
	value?: string;
	text?: string;
	selected_option?: { text: { type: 'plain_text'; text: string }; value: string };
	[key: string]: unknown;
}

export interface BlockActionsOptions {
	user?: string;
	channel?: string;
	/** ts of a stored message the click happened on (default: the channel's latest message, or a fresh bot message). */
	messageTs?: string;
	actions?: ActionSpec[];
	actionId?: string;
	value?: string;
	blockId?: string;
	/** a view id (from views.open) when the click happened inside a modal: container `view`, no response_url. */
	viewId?: string;
	stateValues?: Record<string, Record<string, unknown>>;
	/** the click happened on an ephemeral message: the payload carries no `message`, only the container. */
	ephemeral?: boolean;
}

export interface ViewClosedOptions {
	user?: string;
	viewId?: string;
	isCleared?: boolean;
}

export interface LinkSharedOptions {
	channel?: string;
	/** ts of the stored message holding the links (default: a new message posted by the admin user containing them). */
	messageTs?: string;
	links?: string[];
	/** `composer`: links typed in the message composer (channel COMPOSER, message_ts not a timestamp). */
	source?: 'composer' | 'conversations_history';
	user?: string;
}

export interface ViewSubmissionOptions {
	user?: string;
	/** id of an opened view; without it a modal is registered as if views.open had shown it. */
	viewId?: string;
	callbackId?: string;
	privateMetadata?: string;
	title?: string;
	blocks?: unknown[];
	/** view.state.values: block_id -> action_id -> value object (`{type:'plain_text_input', value:'x'}`). */
	values?: Record<string, Record<string, unknown>>;
	/** response_url_enabled inputs: the channel the response_urls post to. */
	responseUrlChannel?: string;
}

export interface MessageActionOptions {
	user?: string;
	channel?: string;
	messageTs?: string;
	callbackId?: string;
}

export interface ShortcutOptions {
	user?: string;
	callbackId?: string;
}

export interface SlashCommandOptions {
	command?: string;
	text?: string;
	user?: string;
	channel?: string;
}

function userOf(env: BuilderEnv, id = 'U0ADMIN001') {
	const u = env.state.users.get(id);
	return { id, username: u?.name ?? 'user', name: u?.name ?? 'user', team_id: env.state.teamId };
}

function team(env: BuilderEnv) {
	return { id: env.state.teamId, domain: env.state.teamDomain };
}

function actionTs(): string {
	return `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
}

/** The channel a builder uses: the given one, or #general, or the first channel. */
function channelOf(env: BuilderEnv, ref?: string) {
	const c = (ref && env.state.findChannel(ref)) || env.state.findChannel('general') || [...env.state.channels.values()][0];
	if (!c) throw new Error('builder: the emulator has no channel; add one first');
	return c;
}

function messageFor(env: BuilderEnv, channelId: string, ts?: string): SlackMessage {
	if (ts) {
		const m = env.state.findMessage(channelId, ts);
		if (!m) throw new Error(`builder: no message ${ts} in ${channelId}`);
		return m;
	}
	const list = env.state.channelMessages(channelId).filter((m) => !m.orphan);
	if (list.length) return list[list.length - 1];
	const token = env.state.tokens.get(env.state.botToken);
	if (!token) throw new Error('builder: bot token missing');
	return env.state.createMessage(channelId, token, {
		text: 'Approve this request?',
		blocks: [
			{ type: 'section', block_id: 'q1', text: { type: 'mrkdwn', text: 'Approve this request?' } },
			{ type: 'actions', block_id: 'a1', elements: [{ type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve', emoji: true }, value: 'yes' }] },
		],
	});
}

function wireMessage(m: SlackMessage): Record<string, unknown> {
	const { channel, orphan, unfurls, ...rest } = m;
	void channel;
	void orphan;
	void unfurls;
	return { ...rest };
}

function publicViewOf(v: ViewRecord): Record<string, unknown> {
	const { user, closed, ...rest } = v;
	void user;
	void closed;
	return { ...rest, title: v.title ?? null, submit: v.submit ?? null, close: v.close ?? null };
}

/** Finds the element an action_id belongs to in message blocks, so the action carries its real type and text. */
function findElement(blocks: unknown[] | undefined, actionId: string): { element?: Record<string, unknown>; blockId?: string } {
	for (const b of (blocks ?? []) as Array<Record<string, unknown>>) {
		const els = [...((b.elements as unknown[]) ?? []), ...(b.accessory ? [b.accessory] : []), ...(b.element ? [b.element] : [])] as Array<Record<string, unknown>>;
		for (const e of els) if (e.action_id === actionId) return { element: e, blockId: b.block_id as string };
	}
	return {};
}

function fullAction(spec: ActionSpec, blocks: unknown[] | undefined, ts: string): Record<string, unknown> {
	const { element, blockId } = findElement(blocks, spec.action_id);
	const type = spec.type ?? (element?.type as string) ?? 'button';
	const out: Record<string, unknown> = { action_id: spec.action_id, block_id: spec.block_id ?? blockId ?? slackId('', 4).toLowerCase() };
	if (type === 'button') {
		out.text = spec.text ? { type: 'plain_text', text: spec.text, emoji: true } : (element?.text ?? { type: 'plain_text', text: 'Button', emoji: true });
		out.value = spec.value ?? element?.value;
		if (element?.style) out.style = element.style;
		if (element?.url) out.url = element.url;
	}
	out.type = type;
	for (const [k, v] of Object.entries(spec)) if (!['action_id', 'block_id', 'type', 'text', 'value'].includes(k)) out[k] = v;
	if (type !== 'button' && spec.value !== undefined) out.value = spec.value;
	out.action_ts = ts;
	if (out.value === undefined) delete out.value;
	return out;
}

export function buildBlockActions(env: BuilderEnv, o: BlockActionsOptions): Record<string, unknown> {
	const user = userOf(env, o.user);
	const ts = actionTs();
	const specs = o.actions ?? [{ action_id: o.actionId ?? 'approve', value: o.value, block_id: o.blockId }];
	const base: Record<string, unknown> = { type: 'block_actions', user, api_app_id: env.state.appId, token: 'Shh_its_a_seekrit' };
	if (o.viewId) {
		const view = env.state.views.get(o.viewId);
		if (!view) throw new Error(`buildBlockActions: no view ${o.viewId}`);
		return {
			...base, container: { type: 'view', view_id: view.id }, trigger_id: env.state.issueTrigger(user.id, view.id), team: team(env),
			enterprise: null, is_enterprise_install: false, view: { ...publicViewOf(view), state: { values: o.stateValues ?? view.state.values } },
			actions: specs.map((s) => fullAction(s, view.blocks, ts)),
		};
	}
	const channel = channelOf(env, o.channel);
	if (o.ephemeral) {
		const ephemeralTs = o.messageTs ?? env.state.tsClock.next();
		return {
			...base, container: { type: 'message', message_ts: ephemeralTs, channel_id: channel.id, is_ephemeral: true },
			trigger_id: env.state.issueTrigger(user.id), team: team(env), enterprise: null, is_enterprise_install: false,
			channel: { id: channel.id, name: channel.name }, state: { values: o.stateValues ?? {} },
			response_url: env.state.issueResponseUrl(env.baseUrl, { channel: channel.id, user: user.id }),
			actions: specs.map((s) => fullAction(s, undefined, ts)),
		};
	}
	const message = messageFor(env, channel.id, o.messageTs);
	const replyOf = message.thread_ts && message.thread_ts !== message.ts ? message.thread_ts : undefined;
	return {
		...base,
		container: { type: 'message', message_ts: message.ts, channel_id: channel.id, is_ephemeral: false, ...(replyOf ? { thread_ts: replyOf } : {}) },
		trigger_id: env.state.issueTrigger(user.id), team: team(env), enterprise: null, is_enterprise_install: false,
		channel: { id: channel.id, name: channel.name }, message: wireMessage(message), state: { values: o.stateValues ?? {} },
		response_url: env.state.issueResponseUrl(env.baseUrl, { channel: channel.id, user: user.id, messageTs: message.ts, threadTs: replyOf }),
		actions: specs.map((s) => fullAction(s, message.blocks, ts)),
	};
}

/** Input blocks matching given state values, so a built modal holds the inputs its submission reports. */
function inputsFor(values: Record<string, Record<string, unknown>>): unknown[] {
	return Object.entries(values).map(([blockId, actions]) => {
		const [actionId, value] = Object.entries(actions)[0] ?? ['input', { type: 'plain_text_input' }];
		const v = (value ?? {}) as Record<string, unknown>;
		const element: Record<string, unknown> = { type: v.type ?? 'plain_text_input', action_id: actionId };
		const chosen = [v.selected_option, ...((v.selected_options as unknown[]) ?? [])].filter(Boolean);
		if (chosen.length) element.options = chosen;
		const label = blockId.replace(/_block$/, '').replace(/[_-]+/g, ' ');
		return { type: 'input', block_id: blockId, label: { type: 'plain_text', text: label.charAt(0).toUpperCase() + label.slice(1), emoji: true }, optional: false, dispatch_action: false, element };
	});
}

export function buildViewSubmission(env: BuilderEnv, o: ViewSubmissionOptions): Record<string, unknown> {
	const user = userOf(env, o.user);
	let view = o.viewId ? env.state.views.get(o.viewId) : undefined;
	if (o.viewId && !view) throw new Error(`buildViewSubmission: no view ${o.viewId}`);
	if (!view) {
		const id = slackId('V');
		view = {
			id, team_id: env.state.teamId, type: 'modal', title: { type: 'plain_text', text: o.title ?? 'New contact', emoji: true },
			submit: { type: 'plain_text', text: 'Submit', emoji: true }, close: { type: 'plain_text', text: 'Cancel', emoji: true },
			blocks: o.blocks ?? (o.values ? inputsFor(o.values) : [
				{ type: 'input', block_id: 'email_block', label: { type: 'plain_text', text: 'Email', emoji: true }, optional: false, dispatch_action: false, element: { type: 'email_text_input', action_id: 'email', dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] } } },
			]),
			private_metadata: o.privateMetadata ?? '', callback_id: o.callbackId ?? 'create_contact', external_id: '', state: { values: {} },
			hash: `${Math.floor(Date.now() / 1000)}.${hex(4)}`, clear_on_close: false, notify_on_close: false, previous_view_id: null, root_view_id: id,
			app_id: env.state.appId, app_installed_team_id: env.state.teamId, bot_id: env.state.botId, user: user.id,
		};
		env.state.views.set(id, view);
		env.state.stacks.set(id, [id]);
	}
	if (o.callbackId !== undefined) view.callback_id = o.callbackId;
	if (o.privateMetadata !== undefined) view.private_metadata = o.privateMetadata;
	const values = o.values ?? { email_block: { email: { type: 'email_text_input', value: 'new.subscriber@example.com' } } };
	view.state = { values };
	const responseUrls = o.responseUrlChannel
		? [{ block_id: Object.keys(values)[0] ?? 'b', action_id: Object.keys(Object.values(values)[0] ?? {})[0] ?? 'a', channel_id: channelOf(env, o.responseUrlChannel).id,
			response_url: env.state.issueResponseUrl(env.baseUrl, { channel: channelOf(env, o.responseUrlChannel).id, user: user.id }) }]
		: [];
	return {
		type: 'view_submission', team: team(env), user, api_app_id: env.state.appId, token: 'Shh_its_a_seekrit',
		trigger_id: env.state.issueTrigger(user.id, view.id), view: publicViewOf(view), response_urls: responseUrls,
		is_enterprise_install: false, enterprise: null,
	};
}

export function buildViewClosed(env: BuilderEnv, o: ViewClosedOptions): Record<string, unknown> {
	const user = userOf(env, o.user);
	const view = o.viewId ? env.state.views.get(o.viewId) : [...env.state.views.values()].reverse().find((v) => !v.closed);
	if (!view) throw new Error('buildViewClosed: no open view (open one with views.open or pass viewId)');
	view.closed = true;
	return {
		type: 'view_closed', team: team(env), user, api_app_id: env.state.appId, token: 'Shh_its_a_seekrit', view: publicViewOf(view),
		is_cleared: o.isCleared ?? false, is_enterprise_install: false, enterprise: null,
	};
}

/** A `link_shared` event (wrap it with buildEventCallback / sendEvent); answer it with chat.unfurl. */
export function buildLinkSharedEvent(env: BuilderEnv, o: LinkSharedOptions): Record<string, unknown> {
	const links = o.links ?? ['https://app.brevo.com/campaigns/42'];
	const user = o.user ?? 'U0ADMIN001';
	const unfurlId = `C${hex(4).toUpperCase()}.${hex(16)}`;
	const eventTs = `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
	const asLinks = links.map((url) => ({ domain: new URL(url).hostname, url }));
	if (o.source === 'composer') {
		env.state.linkShares.set(unfurlId, { urls: links });
		// composer previews: no channel message yet, and message_ts is not a timestamp
		return { type: 'link_shared', user, channel: 'COMPOSER', message_ts: `${unfurlId}`, unfurl_id: unfurlId, source: 'composer', links: asLinks, event_ts: eventTs, is_bot_user_member: true };
	}
	const channel = channelOf(env, o.channel);
	let ts = o.messageTs;
	if (!ts) {
		const author = env.state.tokens.get(env.state.botToken);
		if (!author) throw new Error('builder: bot token missing');
		const m = env.state.createMessage(channel.id, { ...author, type: 'user', userId: user, botId: undefined }, { text: links.map((l) => `<${l}>`).join(' ') });
		delete m.bot_id;
		delete m.bot_profile;
		delete m.app_id;
		ts = m.ts;
	}
	env.state.linkShares.set(unfurlId, { channel: channel.id, ts, urls: links });
	return { type: 'link_shared', user, channel: channel.id, message_ts: ts, unfurl_id: unfurlId, source: 'conversations_history', links: asLinks, event_ts: eventTs, is_bot_user_member: true };
}

export function buildMessageAction(env: BuilderEnv, o: MessageActionOptions): Record<string, unknown> {
	const user = userOf(env, o.user);
	const channel = channelOf(env, o.channel);
	const message = messageFor(env, channel.id, o.messageTs);
	return {
		type: 'message_action', token: 'Shh_its_a_seekrit', action_ts: actionTs(), team: team(env), user: { id: user.id, name: user.name },
		channel: { id: channel.id, name: channel.name }, is_enterprise_install: false, enterprise: null, callback_id: o.callbackId ?? 'add_to_brevo_list',
		trigger_id: env.state.issueTrigger(user.id), response_url: env.state.issueResponseUrl(env.baseUrl, { channel: channel.id, user: user.id, messageTs: message.ts }),
		message_ts: message.ts, message: wireMessage(message),
	};
}

export function buildShortcut(env: BuilderEnv, o: ShortcutOptions): Record<string, unknown> {
	const user = userOf(env, o.user);
	return {
		type: 'shortcut', token: 'Shh_its_a_seekrit', action_ts: actionTs(), team: team(env), user: { id: user.id, username: user.username, team_id: user.team_id },
		is_enterprise_install: false, enterprise: null, callback_id: o.callbackId ?? 'open_brevo_form', trigger_id: env.state.issueTrigger(user.id),
	};
}

export function buildSlashCommand(env: BuilderEnv, o: SlashCommandOptions): Record<string, string> {
	const user = userOf(env, o.user);
	const channel = channelOf(env, o.channel);
	return {
		token: 'Shh_its_a_seekrit', team_id: env.state.teamId, team_domain: env.state.teamDomain, channel_id: channel.id, channel_name: channel.name,
		user_id: user.id, user_name: user.name, command: o.command ?? '/brevo', text: o.text ?? '', api_app_id: env.state.appId, is_enterprise_install: 'false',
		response_url: env.state.issueResponseUrl(env.baseUrl, { channel: channel.id, user: user.id }), trigger_id: env.state.issueTrigger(user.id),
	};
}

export function buildEventCallback(env: BuilderEnv, event: object, o: { eventId?: string; eventTime?: number }): Record<string, unknown> {
	const eventTime = o.eventTime ?? Math.floor(Date.now() / 1000);
	const e = { ...(event as Record<string, unknown>) };
	if (e.event_ts === undefined) e.event_ts = `${eventTime}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
	return {
		token: 'Shh_its_a_seekrit', team_id: env.state.teamId, context_team_id: env.state.teamId, context_enterprise_id: null, api_app_id: env.state.appId,
		event: e, type: 'event_callback', event_id: o.eventId ?? slackId('Ev', 10), event_time: eventTime,
		authorizations: [{ enterprise_id: null, team_id: env.state.teamId, user_id: env.state.botUserId, is_bot: true, is_enterprise_install: false }],
		is_ext_shared_channel: Boolean(env.state.channels.get(String(e.channel ?? ''))?.is_ext_shared), event_context: `4-${Buffer.from(JSON.stringify({ et: e.type, tid: env.state.teamId, aid: env.state.appId })).toString('base64')}`,
	};
}
