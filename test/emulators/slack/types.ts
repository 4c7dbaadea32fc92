/** Shapes shared by the Slack emulator's modules and by the tests that read its state. */

export interface SlackUserProfile {
	real_name: string;
	real_name_normalized?: string;
	display_name: string;
	display_name_normalized?: string;
	email?: string;
	phone?: string;
	title?: string;
	status_text?: string;
	status_emoji?: string;
	first_name?: string;
	last_name?: string;
	image_72?: string;
	bot_id?: string;
	team?: string;
	[key: string]: unknown;
}

export interface SlackUser {
	id: string;
	team_id: string;
	name: string;
	deleted: boolean;
	real_name?: string;
	tz?: string;
	tz_label?: string;
	tz_offset?: number;
	is_admin?: boolean;
	is_owner?: boolean;
	is_primary_owner?: boolean;
	is_restricted?: boolean;
	is_ultra_restricted?: boolean;
	is_bot: boolean;
	is_app_user: boolean;
	updated: number;
	color?: string;
	profile: SlackUserProfile;
	[key: string]: unknown;
}

export interface SlackChannel {
	id: string;
	name: string;
	is_private: boolean;
	is_archived: boolean;
	created: number;
	creator: string;
	members: Set<string>;
	topic: string;
	purpose: string;
	is_general: boolean;
	/**
	 * Shared with another organisation (Slack Connect). conversations.* then return `is_shared` and `is_ext_shared` true
	 * and the other team in `shared_team_ids` (the conversation object: https://docs.slack.dev/reference/objects/conversation-object,
	 * where is_ext_shared marks a conversation shared with an external organisation), and the Events API envelope of an
	 * event in it carries `is_ext_shared_channel: true` (https://docs.slack.dev/apis/events-api/#callback-field; bolt's
	 * EnvelopedEvent type has it). The link_shared event itself has no such field (https://docs.slack.dev/reference/events/link_shared).
	 */
	is_ext_shared?: boolean;
}

export interface SlackReaction {
	name: string;
	users: string[];
	count: number;
}

export interface SlackMessage {
	type: 'message';
	subtype?: string;
	ts: string;
	channel: string;
	text: string;
	user?: string;
	bot_id?: string;
	app_id?: string;
	team?: string;
	bot_profile?: Record<string, unknown>;
	blocks?: unknown[];
	attachments?: unknown[];
	metadata?: { event_type: string; event_payload: unknown };
	thread_ts?: string;
	reply_count?: number;
	reply_users?: string[];
	reply_users_count?: number;
	latest_reply?: string;
	reply_broadcast?: boolean;
	parent_user_id?: string;
	edited?: { user: string; ts: string };
	reactions?: SlackReaction[];
	/** chat.unfurl results attached to this message: url -> unfurl. */
	unfurls?: Record<string, unknown>;
	/** set when thread_ts named no existing message: Slack accepts it but the reply is visible nowhere. */
	orphan?: boolean;
	[key: string]: unknown;
}

export interface EphemeralMessage {
	channel: string;
	user: string;
	ts: string;
	text: string;
	blocks?: unknown[];
	attachments?: unknown[];
	thread_ts?: string;
	/** 'api' (chat.postEphemeral) or 'response_url'. */
	source: 'api' | 'response_url';
}

export interface ScheduledMessage {
	id: string;
	channel: string;
	post_at: number;
	date_created: number;
	text: string;
	blocks?: unknown[];
	attachments?: unknown[];
	metadata?: { event_type: string; event_payload: unknown };
	thread_ts?: string;
	reply_broadcast?: boolean;
	/** pending: waiting; posted: delivered (postedTs set); dropped: never posts (carries metadata, Slack's documented bug); deleted. */
	status: 'pending' | 'posted' | 'dropped' | 'deleted';
	postedTs?: string;
	/** real (wall clock, ms) time at which the emulator delivers it: post_at brought closer by the time scale. */
	deliverAtMs: number;
	tokenOwner: string;
}

export interface TokenRecord {
	token: string;
	scopes: string[];
	userId: string;
	botId?: string;
	appId: string;
	type: 'bot' | 'user';
	revoked: boolean;
	/** rotated tokens: issued at (wall clock ms) and life (unscaled ms); past issued + life / time scale -> token_expired. */
	issuedAtMs?: number;
	lifeMs?: number;
}

export interface RecordedRequest {
	apiMethod: string;
	httpMethod: string;
	path: string;
	headers: Record<string, string>;
	body: Record<string, unknown>;
	status: number;
	response: unknown;
	at: number;
}

export interface FaultSpec {
	/** API method name (`chat.postMessage`), `*` for every method. */
	method: string;
	times?: number;
	status?: number;
	error?: string;
	retryAfter?: number;
	delayMs?: number;
	body?: object;
	/**
	 * The call is carried out, then its answer is lost: the client gets the fault (status / error) although Slack did
	 * the work, as after a timeout or a 5xx from a proxy once Slack had processed the request.
	 */
	lostAnswer?: boolean;
}

export interface ViewRecord {
	id: string;
	team_id: string;
	type: 'modal' | 'home';
	title?: unknown;
	submit?: unknown;
	close?: unknown;
	blocks: unknown[];
	private_metadata: string;
	callback_id: string;
	external_id: string;
	state: { values: Record<string, unknown> };
	hash: string;
	clear_on_close: boolean;
	notify_on_close: boolean;
	previous_view_id: string | null;
	root_view_id: string;
	app_id: string;
	app_installed_team_id: string;
	bot_id: string;
	/** user whose modal stack holds this view. */
	user: string;
	closed?: boolean;
}

export interface TriggerRecord {
	id: string;
	createdAtMs: number;
	/** unscaled life; it ends at createdAtMs + lifeMs / (time scale when checked). */
	lifeMs: number;
	used: boolean;
	user: string;
	/** the view the interaction came from (views.push stacks onto its modal). */
	viewId?: string;
}

export interface ResponseUrlRecord {
	id: string;
	channel: string;
	user: string;
	messageTs?: string;
	threadTs?: string;
	createdAtMs: number;
	lifeMs: number;
	uses: number;
}

export interface ResponseUrlEffect {
	responseUrlId: string;
	kind: 'replaced' | 'deleted' | 'ephemeral' | 'in_channel' | 'rejected';
	channel: string;
	ts?: string;
	body: Record<string, unknown>;
	error?: string;
	at: number;
}

export interface UnfurlRecord {
	channel?: string;
	ts?: string;
	unfurl_id?: string;
	source?: string;
	unfurls: Record<string, unknown>;
	at: number;
}

export interface OAuthApp {
	clientId: string;
	clientSecret: string;
	appId: string;
}

export interface SlackSeed {
	teamId?: string;
	teamName?: string;
	teamDomain?: string;
	botToken?: string;
	botScopes?: string[];
	botUserId?: string;
	botId?: string;
	appId?: string;
	botName?: string;
	clientId?: string;
	clientSecret?: string;
	channels?: Array<{ id?: string; name: string; is_private?: boolean; is_archived?: boolean; members?: string[] }>;
	users?: Array<Partial<SlackUser>>;
	tokens?: Array<{ token: string; scopes: string[]; userId?: string; revoked?: boolean }>;
	generateUsers?: { n: number; mix?: UserMix };
	/** set false to disable the occasional short pages of cursor pagination. */
	shortPages?: boolean;
	/**
	 * Since 2025 apps outside the Slack Marketplace get conversations.history (and .replies) at 1 request per minute
	 * and at most 15 messages per page. Off by default (Marketplace limits: Tier 3, pages up to 999).
	 */
	restrictedHistory?: boolean;
}

export interface UserMix {
	bots?: number;
	deleted?: number;
	noEmail?: number;
}

export interface HttpResult {
	status: number;
	body: string;
	headers: Record<string, string>;
	/** time from sending to the complete answer (Slack gives an interaction 3 s). */
	durationMs?: number;
	/** view_submission only: what Slack did with the answer (see viewResponse.ts). */
	viewResponse?: import('./viewResponse').ViewResponseOutcome;
}
