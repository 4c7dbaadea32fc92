/**
 * Parsing and normalising what Slack sends to an app's request URLs:
 * - interactivity: form body with one `payload` field holding JSON (block_actions, view_submission, view_closed,
 *   message_action, shortcut),
 * - slash commands: plain form fields,
 * - Events API: JSON (url_verification, event_callback, app_rate_limited).
 * Parsing works on the raw body bytes (the same bytes the signature covered). Every refusal has a named reason.
 * No n8n imports: tested directly.
 */
import { createHash } from 'node:crypto';

/** How long Slack lets an app use a trigger_id (https://api.slack.com/interactivity/handling#modal_responses). */
export const TRIGGER_ID_LIFETIME_MS = 3000;

export const INTERACTION_TYPES = ['block_actions', 'view_submission', 'view_closed', 'message_action', 'shortcut'] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

/** The `type` of an output item: an interactivity type, a slash command, or an Events API event. */
export type RequestKind = InteractionType | 'slash_command' | 'event';
export const REQUEST_KINDS: RequestKind[] = [...INTERACTION_TYPES, 'slash_command', 'event'];

export type ParseFailureReason =
	| 'empty_body'
	| 'wrong_content_type'
	| 'missing_payload'
	| 'payload_not_json'
	| 'body_not_json'
	| 'not_an_object'
	| 'unknown_type'
	| 'missing_fields';

type Json = Record<string, unknown>;

export type ParsedRequest =
	| { ok: true; kind: 'url_verification'; challenge: string }
	| { ok: true; kind: 'app_rate_limited'; body: Json }
	/** Slack checking the certificate of a slash command URL (`ssl_check=1`): answer 200, nothing else. */
	| { ok: true; kind: 'ssl_check' }
	| { ok: true; kind: 'interaction'; type: InteractionType; payload: Json }
	| { ok: true; kind: 'slash_command'; fields: Record<string, string> }
	| { ok: true; kind: 'event'; envelope: Json; event: Json }
	| { ok: false; reason: ParseFailureReason; message: string; status: number };

function refuse(reason: ParseFailureReason, message: string, status = 400): ParsedRequest {
	return { ok: false, reason, message, status };
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `application/json; charset=utf-8` -> `application/json`. */
export function mediaType(contentType: string | string[] | undefined): string {
	const value = Array.isArray(contentType) ? contentType[0] : contentType;
	return (value ?? '').split(';')[0].trim().toLowerCase();
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}

/**
 * Interactivity bodies are exactly `payload=<percent-encoded JSON>`: decoding that one value directly is several
 * times cheaper than a general form parser. Anything else (more fields, bad escapes) takes the general path.
 */
function interactivityPayload(text: string): string | null {
	if (!text.startsWith('payload=') || text.includes('&')) return null;
	try {
		return decodeURIComponent(text.slice(8).replace(/\+/g, ' '));
	} catch {
		return null;
	}
}

/** Classifies and parses one request body (after its signature was verified). */
export function parseSlackRequest(rawBody: Buffer | string, contentType: string | string[] | undefined): ParsedRequest {
	const text = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
	if (text.trim() === '') return refuse('empty_body', 'The request body is empty');
	const media = mediaType(contentType);

	if (media === 'application/json') {
		const parsed = parseJson(text);
		if (!parsed.ok) return refuse('body_not_json', 'The JSON body cannot be parsed');
		if (!isObject(parsed.value)) return refuse('not_an_object', 'The JSON body is not an object');
		return classifyEventsApiBody(parsed.value);
	}

	if (media === 'application/x-www-form-urlencoded') {
		const fast = interactivityPayload(text);
		const form = fast === null ? new URLSearchParams(text) : null;
		const payload = fast ?? form!.get('payload');
		if (payload !== null) {
			const parsed = parseJson(payload);
			if (!parsed.ok) return refuse('payload_not_json', 'The "payload" form field is not JSON');
			if (!isObject(parsed.value)) return refuse('not_an_object', 'The "payload" form field is not a JSON object');
			const type = str(parsed.value.type);
			if (!type || !(INTERACTION_TYPES as readonly string[]).includes(type)) {
				return refuse('unknown_type', `Unsupported interaction payload type "${String(type ?? '')}"`);
			}
			return { ok: true, kind: 'interaction', type: type as InteractionType, payload: parsed.value };
		}
		if (!form) return refuse('missing_payload', 'The form body has no "payload" field');
		if (form.get('ssl_check') === '1') return { ok: true, kind: 'ssl_check' };
		if (form.has('command')) {
			const fields: Record<string, string> = {};
			for (const [key, value] of form) if (!(key in fields)) fields[key] = value;
			const missing = ['command', 'team_id', 'user_id'].filter((f) => !fields[f]);
			if (missing.length) return refuse('missing_fields', `The slash command lacks ${missing.join(', ')}`);
			if (!fields.command.startsWith('/')) return refuse('missing_fields', 'The slash command name does not start with "/"');
			return { ok: true, kind: 'slash_command', fields };
		}
		return refuse('missing_payload', 'The form body has neither a "payload" field (interactivity) nor a "command" field (slash command)');
	}

	return refuse(
		'wrong_content_type',
		`Content type "${media || 'none'}" is not one Slack sends (application/json or application/x-www-form-urlencoded)`,
		415,
	);
}

function classifyEventsApiBody(body: Json): ParsedRequest {
	const type = str(body.type);
	if (type === 'url_verification') {
		const challenge = str(body.challenge);
		if (!challenge) return refuse('missing_fields', 'The url_verification request has no challenge');
		return { ok: true, kind: 'url_verification', challenge };
	}
	if (type === 'event_callback') {
		if (!isObject(body.event) || typeof body.event.type !== 'string') {
			return refuse('missing_fields', 'The event_callback has no event with a type');
		}
		return { ok: true, kind: 'event', envelope: body, event: body.event };
	}
	if (type === 'app_rate_limited') return { ok: true, kind: 'app_rate_limited', body };
	return refuse('unknown_type', `Unsupported Events API body type "${String(type ?? '')}"`);
}

/** Key under which a delivery is remembered for retry/duplicate detection. */
export function deliveryKey(parsed: ParsedRequest, rawBody: Buffer | string): string | null {
	if (!parsed.ok) return null;
	if (parsed.kind === 'event') {
		const eventId = str(parsed.envelope.event_id);
		if (eventId) return `ev:${eventId}`;
	}
	if (parsed.kind === 'url_verification' || parsed.kind === 'app_rate_limited' || parsed.kind === 'ssl_check') return null;
	// Interactivity and slash commands are not retried by Slack; an identical body is a replay (each genuine
	// click or command carries its own trigger_id and action_ts).
	return `h:${createHash('sha256').update(rawBody).digest('base64url').slice(0, 22)}`;
}

// ---------------------------------------------------------------- normalisation

export interface NormalizedUser {
	id: string | null;
	username: string | null;
	name: string | null;
	team_id: string | null;
	email?: string | null;
	real_name?: string | null;
	is_bot?: boolean;
}

export interface NormalizedAction {
	action_id: string | null;
	block_id: string | null;
	type: string | null;
	/** The value in its simplest form: button value, selected option value(s), date, time, ISO date-time, user id... */
	value: unknown;
	label: string | null;
	selected_option: { value: unknown; text: string | null } | null;
	selected_options: Array<{ value: unknown; text: string | null }>;
	selected_date: string | null;
	selected_time: string | null;
	selected_date_time: string | null;
	action_ts: string | null;
}

export interface NormalizedItem {
	type: RequestKind;
	event_type: string | null;
	team: { id: string | null; domain: string | null; enterprise_id: string | null };
	user: NormalizedUser;
	channel: { id: string | null; name: string | null } | null;
	actions: NormalizedAction[];
	action: NormalizedAction | null;
	callback_id: string | null;
	private_metadata: string | null;
	view: Json | null;
	state: Record<string, Record<string, unknown>>;
	values: Record<string, unknown>;
	trigger_id: string | null;
	trigger_id_expires_at: string | null;
	response_url: string | null;
	response_urls: Array<{ block_id: string | null; action_id: string | null; channel_id: string | null; response_url: string }>;
	message: { ts: string | null; thread_ts: string | null; text: string | null; user: string | null; bot_id: string | null } | null;
	command: { name: string; text: string } | null;
	event: Json | null;
	event_id: string | null;
	event_time: number | null;
	received_at: string;
	retry: { num: number; reason: string | null } | null;
	warnings: string[];
	raw: Json;
}

const text = (v: unknown): string | null => (isObject(v) ? (str(v.text) ?? null) : (str(v) ?? null));

function option(o: unknown): { value: unknown; text: string | null } | null {
	if (!isObject(o)) return null;
	return { value: o.value ?? null, text: text(o.text) };
}

function dateTimeIso(seconds: unknown): string | null {
	const n = typeof seconds === 'number' ? seconds : typeof seconds === 'string' && /^\d+$/.test(seconds) ? Number(seconds) : NaN;
	return Number.isFinite(n) ? new Date(n * 1000).toISOString() : null;
}

/** Plain text of a rich_text_input value (sections, lists, quotes, preformatted), enough for a CRM note. */
function richText(value: unknown): string {
	if (!isObject(value)) return '';
	const walk = (node: unknown): string => {
		if (Array.isArray(node)) return node.map(walk).join('');
		if (!isObject(node)) return '';
		switch (node.type) {
			case 'text':
				return str(node.text) ?? '';
			case 'link':
				return str(node.text) ?? str(node.url) ?? '';
			case 'emoji':
				return `:${str(node.name) ?? ''}:`;
			case 'user':
				return `<@${str(node.user_id) ?? ''}>`;
			case 'channel':
				return `<#${str(node.channel_id) ?? ''}>`;
			case 'rich_text_list':
				return (Array.isArray(node.elements) ? node.elements : []).map((e) => `${walk(e)}\n`).join('');
			case 'rich_text_section':
			case 'rich_text_preformatted':
			case 'rich_text_quote':
				return walk(node.elements) + (node.type === 'rich_text_section' ? '' : '\n');
			default:
				return walk(node.elements);
		}
	};
	return walk(value.elements).replace(/\n+$/, '');
}

/**
 * The simplest useful value of one interactive element's state (view.state.values[block][action] or an action):
 * strings for inputs, option values for selects, arrays for multi-selects and checkboxes, YYYY-MM-DD / HH:mm for
 * pickers, ISO for the date-time picker, numbers for number inputs.
 */
export function simpleValue(element: Json): unknown {
	const type = str(element.type);
	switch (type) {
		case 'button':
		case 'plain_text_input':
		case 'email_text_input':
		case 'url_text_input':
			return element.value ?? null;
		case 'number_input': {
			const raw = element.value;
			if (raw === null || raw === undefined || raw === '') return null;
			const n = Number(raw);
			return Number.isFinite(n) ? n : raw;
		}
		case 'static_select':
		case 'external_select':
		case 'radio_buttons':
		case 'overflow':
			return option(element.selected_option)?.value ?? null;
		case 'multi_static_select':
		case 'multi_external_select':
		case 'checkboxes':
			return (Array.isArray(element.selected_options) ? element.selected_options : []).map((o) => option(o)?.value ?? null);
		case 'datepicker':
			return element.selected_date ?? null;
		case 'timepicker':
			return element.selected_time ?? null;
		case 'datetimepicker':
			return dateTimeIso(element.selected_date_time);
		case 'users_select':
			return element.selected_user ?? null;
		case 'multi_users_select':
			return element.selected_users ?? [];
		case 'conversations_select':
			return element.selected_conversation ?? null;
		case 'multi_conversations_select':
			return element.selected_conversations ?? [];
		case 'channels_select':
			return element.selected_channel ?? null;
		case 'multi_channels_select':
			return element.selected_channels ?? [];
		case 'rich_text_input':
			return isObject(element.rich_text_value) ? richText(element.rich_text_value) : null;
		case 'file_input':
			return element.files ?? [];
		default: {
			// An element this version does not know: its value or first selected_* field, else the whole state.
			if ('value' in element) return element.value;
			const selected = Object.keys(element).find((k) => k.startsWith('selected_'));
			if (selected) return element[selected];
			const rest: Json = { ...element };
			delete rest.type;
			return rest;
		}
	}
}

function normalizeAction(a: unknown): NormalizedAction {
	const action = isObject(a) ? a : {};
	return {
		action_id: str(action.action_id) ?? null,
		block_id: str(action.block_id) ?? null,
		type: str(action.type) ?? null,
		value: simpleValue(action),
		label: text(action.text),
		selected_option: option(action.selected_option),
		selected_options: (Array.isArray(action.selected_options) ? action.selected_options : [])
			.map(option)
			.filter((o): o is { value: unknown; text: string | null } => o !== null),
		selected_date: str(action.selected_date) ?? null,
		selected_time: str(action.selected_time) ?? null,
		selected_date_time: dateTimeIso(action.selected_date_time),
		action_ts: str(action.action_ts) ?? null,
	};
}

/**
 * view.state.values flattened twice: `state` = {block_id: {action_id: value}}, `values` = {action_id: value}.
 * When one action_id appears in several blocks, `values` keys those entries "block_id.action_id" so none is lost.
 */
export function flattenViewState(view: unknown): { state: Record<string, Record<string, unknown>>; values: Record<string, unknown> } {
	const state: Record<string, Record<string, unknown>> = {};
	const raw = isObject(view) && isObject(view.state) && isObject(view.state.values) ? view.state.values : {};
	const seen = new Map<string, number>();
	for (const [blockId, block] of Object.entries(raw)) {
		if (!isObject(block)) continue;
		state[blockId] = {};
		for (const [actionId, element] of Object.entries(block)) {
			state[blockId][actionId] = isObject(element) ? simpleValue(element) : element;
			seen.set(actionId, (seen.get(actionId) ?? 0) + 1);
		}
	}
	const values: Record<string, unknown> = {};
	for (const [blockId, block] of Object.entries(state)) {
		for (const [actionId, value] of Object.entries(block)) {
			values[(seen.get(actionId) ?? 0) > 1 ? `${blockId}.${actionId}` : actionId] = value;
		}
	}
	return { state, values };
}

function viewSummary(view: unknown): Json | null {
	if (!isObject(view)) return null;
	return {
		id: view.id ?? null,
		type: view.type ?? null,
		callback_id: view.callback_id ?? null,
		external_id: view.external_id ?? null,
		hash: view.hash ?? null,
		private_metadata: view.private_metadata ?? null,
		root_view_id: view.root_view_id ?? null,
		previous_view_id: view.previous_view_id ?? null,
		title: text(view.title),
	};
}

function messageSummary(m: unknown, fallbackTs?: unknown) {
	if (!isObject(m)) {
		return typeof fallbackTs === 'string' ? { ts: fallbackTs, thread_ts: null, text: null, user: null, bot_id: null } : null;
	}
	return {
		ts: str(m.ts) ?? (typeof fallbackTs === 'string' ? fallbackTs : null),
		thread_ts: str(m.thread_ts) ?? null,
		text: str(m.text) ?? null,
		user: str(m.user) ?? null,
		bot_id: str(m.bot_id) ?? null,
	};
}

function userFromPayload(u: unknown, teamFallback: string | null): NormalizedUser {
	if (typeof u === 'string') return { id: u, username: null, name: null, team_id: teamFallback };
	const user = isObject(u) ? u : {};
	const profile = isObject(user.profile) ? user.profile : {};
	const out: NormalizedUser = {
		id: str(user.id) ?? null,
		username: str(user.username) ?? str(user.name) ?? null,
		name: str(user.name) ?? null,
		team_id: str(user.team_id) ?? teamFallback,
	};
	// team_join / user_change carry a full user object.
	if (typeof user.real_name === 'string' || typeof profile.real_name === 'string') {
		out.real_name = str(user.real_name) ?? str(profile.real_name) ?? null;
	}
	if (typeof profile.email === 'string') out.email = profile.email;
	if (typeof user.is_bot === 'boolean') out.is_bot = user.is_bot;
	return out;
}

function channelOf(c: unknown, idFallback?: unknown, nameFallback?: unknown) {
	if (isObject(c)) return { id: str(c.id) ?? null, name: str(c.name) ?? null };
	const id = str(c) ?? str(idFallback);
	return id ? { id, name: str(nameFallback) ?? null } : null;
}

export interface NormalizeContext {
	receivedAtMs: number;
	retryNum?: number;
	retryReason?: string | null;
}

/** The deprecated verification token is a credential of sorts: it is never copied into an item. */
function withoutToken(body: Json): Json {
	const copy: Json = { ...body };
	delete copy.token;
	return copy;
}

function emptyItem(type: RequestKind, raw: Json, ctx: NormalizeContext): NormalizedItem {
	return {
		type,
		event_type: null,
		team: { id: null, domain: null, enterprise_id: null },
		user: { id: null, username: null, name: null, team_id: null },
		channel: null,
		actions: [],
		action: null,
		callback_id: null,
		private_metadata: null,
		view: null,
		state: {},
		values: {},
		trigger_id: null,
		trigger_id_expires_at: null,
		response_url: null,
		response_urls: [],
		message: null,
		command: null,
		event: null,
		event_id: null,
		event_time: null,
		received_at: new Date(ctx.receivedAtMs).toISOString(),
		retry: ctx.retryNum !== undefined ? { num: ctx.retryNum, reason: ctx.retryReason ?? null } : null,
		warnings: [],
		raw,
	};
}

function setTrigger(item: NormalizedItem, triggerId: unknown, ctx: NormalizeContext): void {
	if (typeof triggerId !== 'string' || triggerId === '') return;
	item.trigger_id = triggerId;
	item.trigger_id_expires_at = new Date(ctx.receivedAtMs + TRIGGER_ID_LIFETIME_MS).toISOString();
}

function normalizeInteraction(type: InteractionType, p: Json, ctx: NormalizeContext): NormalizedItem {
	const item = emptyItem(type, withoutToken(p), ctx);
	const team = isObject(p.team) ? p.team : {};
	const enterprise = isObject(p.enterprise) ? p.enterprise : {};
	item.team = { id: str(team.id) ?? null, domain: str(team.domain) ?? null, enterprise_id: str(enterprise.id) ?? null };
	item.user = userFromPayload(p.user, item.team.id);
	setTrigger(item, p.trigger_id, ctx);
	item.response_url = str(p.response_url) ?? null;
	const container = isObject(p.container) ? p.container : {};
	item.channel = channelOf(p.channel, container.channel_id);

	if (isObject(p.view)) {
		const view = p.view;
		item.view = viewSummary(view);
		item.callback_id = str(view.callback_id) ?? null;
		item.private_metadata = str(view.private_metadata) ?? null;
		Object.assign(item, flattenViewState(view));
	}
	if (type === 'message_action' || type === 'shortcut') item.callback_id = str(p.callback_id) ?? null;
	if (type === 'block_actions') {
		item.actions = (Array.isArray(p.actions) ? p.actions : []).map(normalizeAction);
		item.action = item.actions[0] ?? null;
		item.message = messageSummary(p.message, container.message_ts);
		if (isObject(p.state) && isObject(p.state.values)) {
			// Input blocks in a message (not a modal) report their state here.
			const flat = flattenViewState({ state: p.state });
			if (!item.view) Object.assign(item, flat);
		}
	}
	if (type === 'message_action') item.message = messageSummary(p.message);
	if (type === 'view_submission' && Array.isArray(p.response_urls)) {
		item.response_urls = p.response_urls.filter(isObject).map((r) => ({
			block_id: str(r.block_id) ?? null,
			action_id: str(r.action_id) ?? null,
			channel_id: str(r.channel_id) ?? null,
			response_url: str(r.response_url) ?? '',
		}));
		item.response_url ??= item.response_urls[0]?.response_url ?? null;
	}
	return item;
}

function normalizeSlashCommand(f: Record<string, string>, ctx: NormalizeContext): NormalizedItem {
	const item = emptyItem('slash_command', withoutToken(f), ctx);
	item.team = { id: f.team_id ?? null, domain: f.team_domain ?? null, enterprise_id: f.enterprise_id || null };
	item.user = { id: f.user_id ?? null, username: f.user_name ?? null, name: f.user_name ?? null, team_id: f.team_id ?? null };
	item.channel = f.channel_id ? { id: f.channel_id, name: f.channel_name ?? null } : null;
	item.command = { name: f.command, text: f.text ?? '' };
	setTrigger(item, f.trigger_id, ctx);
	item.response_url = f.response_url || null;
	return item;
}

/** The channel an event happened in, wherever Slack puts it for that event type. */
export function eventChannelId(event: Json): string | null {
	if (typeof event.channel === 'string') return event.channel;
	if (isObject(event.channel) && typeof event.channel.id === 'string') return event.channel.id;
	if (isObject(event.item) && typeof event.item.channel === 'string') return event.item.channel;
	if (typeof event.channel_id === 'string') return event.channel_id;
	return null;
}

function normalizeEvent(envelope: Json, event: Json, ctx: NormalizeContext): NormalizedItem {
	const item = emptyItem('event', withoutToken(envelope), ctx);
	item.event_type = str(event.type) ?? null;
	item.event = event;
	item.event_id = str(envelope.event_id) ?? null;
	item.event_time = typeof envelope.event_time === 'number' ? envelope.event_time : null;
	const teamId = str(envelope.team_id) ?? str(event.team) ?? null;
	item.team = { id: teamId, domain: null, enterprise_id: str(envelope.enterprise_id) ?? null };
	item.user = userFromPayload(event.user ?? (isObject(event.message) ? event.message.user : undefined), teamId);
	const channelId = eventChannelId(event);
	item.channel = channelId ? { id: channelId, name: isObject(event.channel) ? (str(event.channel.name) ?? null) : null } : null;
	if (item.event_type === 'message' || item.event_type === 'app_mention') {
		const inner = event.subtype === 'message_changed' && isObject(event.message) ? event.message : event;
		item.message = {
			ts: str(inner.ts) ?? null,
			thread_ts: str(inner.thread_ts) ?? null,
			text: str(inner.text) ?? null,
			user: str(inner.user) ?? null,
			bot_id: str(inner.bot_id) ?? null,
		};
	}
	if (item.event_type === 'link_shared') {
		item.message = { ts: str(event.message_ts) ?? null, thread_ts: str(event.thread_ts) ?? null, text: null, user: str(event.user) ?? null, bot_id: null };
	}
	return item;
}

/** One output item per accepted request. */
export function normalizeSlackRequest(parsed: ParsedRequest, ctx: NormalizeContext): NormalizedItem | null {
	if (!parsed.ok) return null;
	switch (parsed.kind) {
		case 'interaction':
			return normalizeInteraction(parsed.type, parsed.payload, ctx);
		case 'slash_command':
			return normalizeSlashCommand(parsed.fields, ctx);
		case 'event':
			return normalizeEvent(parsed.envelope, parsed.event, ctx);
		default:
			return null;
	}
}
