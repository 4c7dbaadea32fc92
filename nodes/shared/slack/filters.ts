/**
 * Which accepted Slack requests start the workflow. Each filter applies to the request kinds it means something
 * for (action ids to block_actions, callback ids to modals and shortcuts, ...); an empty filter lets everything
 * through. Patterns are exact strings or regular expressions written /like this/flags.
 * No n8n imports: tested directly.
 */
import type { NormalizedItem, RequestKind } from './interaction';

export interface FilterSettings {
	/** Request kinds to accept; empty = all. */
	payloadTypes?: RequestKind[];
	/** block_actions: at least one action's action_id matches. */
	actionIds?: string[];
	/** block_actions: at least one action's block_id matches. */
	blockIds?: string[];
	/** view_submission, view_closed, message_action, shortcut, and block_actions inside a modal. */
	callbackIds?: string[];
	/** Slash command names, with or without the leading "/". */
	commands?: string[];
	/** Events API event types (message, app_mention, link_shared, team_join, user_change...). */
	eventTypes?: string[];
	/** Channel ids or names (#name); items that carry no channel (shortcuts, modals, team_join) pass. */
	channels?: string[];
	/** Drop messages written by any bot or integration (bot_id, bot_message). */
	ignoreBotMessages?: boolean;
	/** Drop events caused by this app itself (its app id or its bot user). */
	ignoreSelf?: boolean;
}

export type FilterField = keyof FilterSettings;

type Matcher = (value: string | null | undefined) => boolean;

export interface CompiledFilters {
	payloadTypes: Set<string> | null;
	actionIds: Matcher | null;
	blockIds: Matcher | null;
	callbackIds: Matcher | null;
	commands: Set<string> | null;
	eventTypes: Set<string> | null;
	channels: Matcher | null;
	ignoreBotMessages: boolean;
	ignoreSelf: boolean;
}

const REGEX_LITERAL = /^\/(.+)\/([dgimsuy]*)$/s;

export type PatternResult = { ok: true; match: Matcher } | { ok: false; message: string };

/** One pattern: "/regex/flags" or an exact string. */
export function compilePattern(pattern: string): PatternResult {
	const literal = REGEX_LITERAL.exec(pattern);
	if (!literal) return { ok: true, match: (value) => value === pattern };
	try {
		// g and y would make test() stateful between requests.
		const re = new RegExp(literal[1], literal[2].replace(/[gy]/g, ''));
		return { ok: true, match: (value) => typeof value === 'string' && re.test(value) };
	} catch (error) {
		return { ok: false, message: `"${pattern}" is not a valid regular expression (${(error as Error).message})` };
	}
}

/** Splits "a, b\nc" or ["a", "b"] into trimmed non-empty entries. */
export function splitList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/[\n,]/) : [];
	return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export interface FilterProblem {
	field: FilterField;
	message: string;
}

function anyOf(patterns: string[] | undefined, field: FilterField, problems: FilterProblem[]): Matcher | null {
	const list = (patterns ?? []).map((p) => p.trim()).filter(Boolean);
	if (!list.length) return null;
	const matchers: Matcher[] = [];
	for (const p of list) {
		const compiled = compilePattern(p);
		if (compiled.ok) matchers.push(compiled.match);
		else problems.push({ field, message: compiled.message });
	}
	return (value) => matchers.some((m) => m(value));
}

const setOf = (values: string[] | undefined, map: (v: string) => string = (v) => v) => {
	const list = (values ?? []).map((v) => v.trim()).filter(Boolean).map(map);
	return list.length ? new Set(list) : null;
};

export type CompileResult = { ok: true; filters: CompiledFilters } | ({ ok: false } & FilterProblem);

/** Validates and compiles the settings; the first bad pattern is reported with its field. */
export function compileFilters(settings: FilterSettings): CompileResult {
	const problems: FilterProblem[] = [];
	const filters: CompiledFilters = {
		payloadTypes: setOf(settings.payloadTypes),
		actionIds: anyOf(settings.actionIds, 'actionIds', problems),
		blockIds: anyOf(settings.blockIds, 'blockIds', problems),
		callbackIds: anyOf(settings.callbackIds, 'callbackIds', problems),
		commands: setOf(settings.commands, (c) => (c.startsWith('/') ? c : `/${c}`).toLowerCase()),
		eventTypes: setOf(settings.eventTypes),
		channels: anyOf(
			(settings.channels ?? []).map((c) => c.trim().replace(/^#/, '')),
			'channels',
			problems,
		),
		ignoreBotMessages: settings.ignoreBotMessages ?? true,
		ignoreSelf: settings.ignoreSelf ?? true,
	};
	return problems.length ? { ok: false, ...problems[0] } : { ok: true, filters };
}

export type FilterDecision = { pass: true } | { pass: false; reason: string };

const drop = (reason: string): FilterDecision => ({ pass: false, reason });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when an Events API message was written by a bot or an integration (the usual cause of loops). */
export function isBotMessage(event: Record<string, unknown>): boolean {
	if (typeof event.bot_id === 'string' || event.subtype === 'bot_message' || isObject(event.bot_profile)) return true;
	// Edits and deletions carry the original message inside.
	for (const inner of [event.message, event.previous_message]) {
		if (isObject(inner) && (typeof inner.bot_id === 'string' || inner.subtype === 'bot_message')) return true;
	}
	return false;
}

/** True when the event was caused by this app: its own app id, or the bot user the delivery is authorised for. */
export function isSelfEvent(envelope: Record<string, unknown>, event: Record<string, unknown>): boolean {
	const appId = typeof envelope.api_app_id === 'string' ? envelope.api_app_id : null;
	const botProfile = isObject(event.bot_profile) ? event.bot_profile : {};
	if (appId && (event.app_id === appId || botProfile.app_id === appId)) return true;
	const botUsers = (Array.isArray(envelope.authorizations) ? envelope.authorizations : [])
		.filter(isObject)
		.filter((a) => a.is_bot === true && typeof a.user_id === 'string')
		.map((a) => a.user_id as string);
	const author = typeof event.user === 'string' ? event.user : isObject(event.message) ? event.message.user : undefined;
	return typeof author === 'string' && botUsers.includes(author);
}

const CALLBACK_KINDS = new Set(['view_submission', 'view_closed', 'message_action', 'shortcut']);
const MESSAGE_EVENTS = new Set(['message', 'app_mention']);

export function applyFilters(filters: CompiledFilters, item: NormalizedItem): FilterDecision {
	if (filters.payloadTypes && !filters.payloadTypes.has(item.type)) return drop(`type ${item.type} is not selected`);

	if (item.type === 'block_actions') {
		if (filters.actionIds && !item.actions.some((a) => filters.actionIds!(a.action_id))) return drop('no action_id matches');
		if (filters.blockIds && !item.actions.some((a) => filters.blockIds!(a.block_id))) return drop('no block_id matches');
		if (filters.callbackIds && item.view && !filters.callbackIds(item.callback_id)) return drop('the modal callback_id does not match');
	}
	if (CALLBACK_KINDS.has(item.type) && filters.callbackIds && !filters.callbackIds(item.callback_id)) {
		return drop(`callback_id ${item.callback_id ?? '(none)'} does not match`);
	}
	if (item.type === 'slash_command' && filters.commands && !filters.commands.has((item.command?.name ?? '').toLowerCase())) {
		return drop(`command ${item.command?.name ?? ''} is not selected`);
	}
	if (item.type === 'event') {
		if (filters.eventTypes && !filters.eventTypes.has(item.event_type ?? '')) return drop(`event type ${item.event_type} is not selected`);
		const event = item.event ?? {};
		if (filters.ignoreSelf && isSelfEvent(item.raw, event)) return drop('the event comes from this app');
		if (filters.ignoreBotMessages && MESSAGE_EVENTS.has(item.event_type ?? '') && isBotMessage(event)) {
			return drop('the message comes from a bot');
		}
	}
	if (filters.channels && item.channel && !filters.channels(item.channel.id) && !filters.channels(item.channel.name)) {
		return drop(`channel ${item.channel.id ?? ''} is not selected`);
	}
	return { pass: true };
}
