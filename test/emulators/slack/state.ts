/** The emulated workspace: tokens, channels, members, messages, scheduled messages, views, triggers, response_urls. */
import { createHash } from 'node:crypto';
import { hex, slackId, TsClock, triggerId as newTriggerId } from './ids';
import { UserDirectory } from './users';
import type { ViewResponseOutcome } from './viewResponse';
import type {
	EphemeralMessage, FaultSpec, OAuthApp, RecordedRequest, ResponseUrlEffect, ResponseUrlRecord, ScheduledMessage,
	SlackChannel, SlackMessage, SlackSeed, SlackUser, TokenRecord, TriggerRecord, UnfurlRecord, ViewRecord,
} from './types';

/** Scopes of the seeded bot token: everything the package uses (chat:write.public deliberately absent: not_in_channel stays observable). */
export const DEFAULT_BOT_SCOPES = [
	'chat:write', 'channels:read', 'channels:history', 'channels:join', 'groups:read', 'groups:history', 'im:read', 'mpim:read',
	'users:read', 'users:read.email', 'reactions:write', 'reactions:read', 'links:write', 'files:write', 'commands',
];

// docs.slack.dev/interactivity/handling-user-interaction: a trigger_id expires after 3 s; a response_url works up to
// 5 times within 30 minutes. Token rotation: access tokens expire after 12 hours (using-token-rotation page).
export const TRIGGER_LIFE_MS = 3_000;
export const RESPONSE_URL_LIFE_MS = 30 * 60_000;
export const RESPONSE_URL_MAX_USES = 5;
export const ROTATED_TOKEN_LIFE_S = 43_200;
/** the request log keeps the latest ones only (benchmarks make hundreds of thousands of calls). */
const MAX_RECORDED_REQUESTS = 10_000;

export interface OAuthCode {
	code: string;
	scopes: string[];
	rotation: boolean;
	redirectUri?: string;
	userId: string;
	createdAtMs: number;
	used: boolean;
}

export interface RefreshGrant {
	refreshToken: string;
	scopes: string[];
	botUserId: string;
	valid: boolean;
}

export class SlackState {
	teamId: string;
	teamName: string;
	teamDomain: string;
	botUserId: string;
	botId: string;
	appId: string;
	botName: string;
	botToken: string;
	app: OAuthApp;
	timeScale = 1;
	restrictedHistory: boolean;

	tokens = new Map<string, TokenRecord>();
	channels = new Map<string, SlackChannel>();
	users: UserDirectory;
	history = new Map<string, SlackMessage[]>();
	ephemerals: EphemeralMessage[] = [];
	scheduled = new Map<string, ScheduledMessage>();
	views = new Map<string, ViewRecord>();
	/** root view id -> view ids from bottom to top. */
	stacks = new Map<string, string[]>();
	triggers = new Map<string, TriggerRecord>();
	responseUrls = new Map<string, ResponseUrlRecord>();
	responseEffects: ResponseUrlEffect[] = [];
	viewResponses: ViewResponseOutcome[] = [];
	unfurls: UnfurlRecord[] = [];
	/** link_shared events handed out (builders): unfurl_id -> where the links are; chat.unfurl by unfurl_id needs one. */
	linkShares = new Map<string, { channel?: string; ts?: string; urls: string[] }>();
	oauthCodes = new Map<string, OAuthCode>();
	refreshGrants = new Map<string, RefreshGrant>();
	requests: RecordedRequest[] = [];
	calls: Record<string, number> = {};
	ratelimited: Record<string, number> = {};
	faults: Array<FaultSpec & { remaining: number }> = [];
	tsClock = new TsClock();

	constructor(private readonly seed: SlackSeed = {}) {
		this.teamId = seed.teamId ?? 'T0EMU1ATOR';
		this.teamName = seed.teamName ?? 'Emulated Workspace';
		this.teamDomain = seed.teamDomain ?? 'emulated-workspace';
		this.botUserId = seed.botUserId ?? 'U0BOTEMU01';
		this.botId = seed.botId ?? 'B0BOTEMU01';
		this.appId = seed.appId ?? 'A0APPEMU01';
		this.botName = seed.botName ?? 'brevo-bridge';
		this.botToken = seed.botToken ?? `xoxb-${digitsOf(12)}-${digitsOf(13)}-${hex(12)}`;
		this.app = { clientId: seed.clientId ?? `${digitsOf(12)}.${digitsOf(13)}`, clientSecret: seed.clientSecret ?? hex(16), appId: this.appId };
		this.users = new UserDirectory(this.teamId);
		this.restrictedHistory = seed.restrictedHistory ?? false;
		this.populate();
	}

	/** Back to the seeded workspace (same team, bot and token), with every message, request and counter dropped. */
	reset(): void {
		this.tokens.clear();
		this.channels.clear();
		this.users = new UserDirectory(this.teamId);
		this.history.clear();
		this.ephemerals = [];
		this.scheduled.clear();
		this.views.clear();
		this.stacks.clear();
		this.triggers.clear();
		this.responseUrls.clear();
		this.responseEffects = [];
		this.viewResponses = [];
		this.unfurls = [];
		this.linkShares.clear();
		this.oauthCodes.clear();
		this.refreshGrants.clear();
		this.requests = [];
		this.calls = {};
		this.ratelimited = {};
		this.faults = [];
		this.populate();
	}

	private populate(): void {
		const seed = this.seed;
		this.addToken({ token: this.botToken, scopes: seed.botScopes ?? DEFAULT_BOT_SCOPES, userId: this.botUserId });
		this.addUser({
			id: 'USLACKBOT', name: 'slackbot', is_bot: false, real_name: 'Slackbot', tz: 'America/Los_Angeles',
			profile: { real_name: 'Slackbot', display_name: 'Slackbot', first_name: 'slackbot', last_name: '' },
		});
		this.addUser({
			id: this.botUserId, name: this.botName, is_bot: true, is_app_user: false, real_name: this.botName,
			profile: { real_name: this.botName, display_name: '', bot_id: this.botId, api_app_id: this.appId, always_active: false },
		});
		this.addUser({
			id: 'U0ADMIN001', name: 'alex.admin', real_name: 'Alex Admin', is_admin: true, is_owner: true, is_primary_owner: true,
			profile: { real_name: 'Alex Admin', display_name: 'alex', email: 'alex.admin@example.com', title: 'Head of Marketing', phone: '+1 415 555 0100' },
		});
		for (const u of seed.users ?? []) this.addUser(u);
		for (const t of seed.tokens ?? []) this.addToken(t);
		const channels = seed.channels ?? [{ name: 'general' }, { name: 'random' }];
		for (const c of channels) this.addChannel(c);
		if (seed.generateUsers) this.users.generate(seed.generateUsers.n, seed.generateUsers.mix);
	}

	addToken(t: { token: string; scopes: string[]; userId?: string; revoked?: boolean; issuedAtMs?: number; lifeMs?: number }): TokenRecord {
		const isBot = /^(xoxe\.)?xoxb-/.test(t.token);
		const record: TokenRecord = {
			token: t.token, scopes: [...t.scopes], userId: t.userId ?? (isBot ? this.botUserId : 'U0ADMIN001'),
			botId: isBot ? this.botId : undefined, appId: this.appId, type: isBot ? 'bot' : 'user', revoked: t.revoked ?? false,
			issuedAtMs: t.issuedAtMs, lifeMs: t.lifeMs,
		};
		this.tokens.set(t.token, record);
		return record;
	}

	addChannel(c: { id?: string; name: string; is_private?: boolean; is_archived?: boolean; members?: string[]; is_ext_shared?: boolean }): { id: string; name: string } {
		// without an id, one derived from the name: the same channel keeps its id across runs and resets
		let id = c.id ?? stableId(c.is_private ? 'G' : 'C', `${this.teamId}#${c.name}`);
		if (!c.id && this.channels.has(id)) id = slackId(c.is_private ? 'G' : 'C');
		const existing = [...this.channels.values()].find((ch) => ch.name === c.name && ch.id !== id);
		if (existing) throw new Error(`addChannel: a channel named #${c.name} already exists (${existing.id})`);
		// without an explicit member list the bot is in the channel (it was invited); give `members` to leave it out
		const members = new Set(c.members ?? [this.botUserId, 'U0ADMIN001']);
		this.channels.set(id, {
			id, name: c.name, is_private: c.is_private ?? false, is_archived: c.is_archived ?? false, created: Math.floor(Date.now() / 1000) - 86_400 * 30,
			creator: 'U0ADMIN001', members, topic: '', purpose: '', is_general: c.name === 'general',
			...(c.is_ext_shared ? { is_ext_shared: true } : {}),
		});
		if (!this.history.has(id)) this.history.set(id, []);
		return { id, name: c.name };
	}

	addUser(u: Partial<SlackUser>): SlackUser {
		const id = u.id ?? slackId('U');
		const realName = u.real_name ?? u.profile?.real_name ?? u.name ?? id;
		const name = u.name ?? realName.toLowerCase().replace(/[^a-z0-9._-]+/g, '.');
		const user: SlackUser = {
			id, team_id: this.teamId, name, deleted: false, color: '9f69e7', real_name: realName, tz: 'Europe/Paris', tz_label: 'Central European Time',
			tz_offset: 3600, is_admin: false, is_owner: false, is_primary_owner: false, is_restricted: false, is_ultra_restricted: false,
			is_bot: false, is_app_user: false, updated: Math.floor(Date.now() / 1000), ...u,
			profile: { real_name: realName, real_name_normalized: realName, display_name: '', display_name_normalized: '', team: this.teamId, ...(u.profile ?? {}) },
		} as SlackUser;
		return this.users.add(user);
	}

	findChannel(idOrName: unknown): SlackChannel | undefined {
		if (typeof idOrName !== 'string' || !idOrName) return undefined;
		const byId = this.channels.get(idOrName);
		if (byId) return byId;
		const name = idOrName.replace(/^#/, '');
		for (const c of this.channels.values()) if (c.name === name) return c;
		return undefined;
	}

	channelMessages(channel: string): SlackMessage[] {
		let list = this.history.get(channel);
		if (!list) {
			list = [];
			this.history.set(channel, list);
		}
		return list;
	}

	findMessage(channel: string, ts: string): SlackMessage | undefined {
		return this.history.get(channel)?.find((m) => m.ts === ts);
	}

	/** Stores a message as the given token's app posts it (bot_id + bot_profile, no subtype) and maintains thread fields. */
	createMessage(channel: string, token: TokenRecord, fields: Partial<SlackMessage>, nowMs = Date.now()): SlackMessage {
		const ts = this.tsClock.next(nowMs);
		const message: SlackMessage = {
			user: token.userId, type: 'message', ts, channel, text: '', app_id: token.appId, team: this.teamId, ...fields,
		};
		if (token.type === 'bot') {
			message.bot_id = token.botId;
			message.bot_profile = this.botProfile(token);
		}
		for (const k of Object.keys(message)) if (message[k] === undefined) delete message[k];
		if (message.thread_ts) {
			const parent = this.findMessage(channel, message.thread_ts);
			if (parent && !parent.thread_ts) {
				parent.thread_ts = parent.ts;
				parent.reply_count = 0;
				parent.reply_users = [];
			}
			if (parent && parent.thread_ts === parent.ts) {
				parent.reply_count = (parent.reply_count ?? 0) + 1;
				if (message.user && !parent.reply_users?.includes(message.user)) parent.reply_users = [...(parent.reply_users ?? []), message.user];
				parent.reply_users_count = parent.reply_users?.length ?? 0;
				parent.latest_reply = ts;
				message.parent_user_id = parent.user;
			} else if (parent) {
				// thread_ts naming a reply: Slack threads it under that reply's parent
				message.thread_ts = parent.thread_ts;
			} else {
				message.orphan = true;
			}
			if (message.reply_broadcast) message.subtype = 'thread_broadcast';
		}
		this.channelMessages(channel).push(message);
		return message;
	}

	private botProfiles = new Map<string, Record<string, unknown>>();

	/** One shared (frozen) bot_profile per bot: thousands of stored messages need not each carry a copy. */
	private botProfile(token: TokenRecord): Record<string, unknown> {
		const key = `${token.botId}:${token.appId}`;
		let profile = this.botProfiles.get(key);
		if (!profile) {
			profile = Object.freeze({
				id: token.botId, app_id: token.appId, name: this.botName, icons: Object.freeze({ image_36: 'https://a.slack-edge.com/80588/img/plugins/app/bot_36.png' }),
				deleted: false, updated: 1_700_000_000, team_id: this.teamId,
			});
			this.botProfiles.set(key, profile);
		}
		return profile;
	}

	issueTrigger(user: string, viewId?: string, nowMs = Date.now()): string {
		const id = newTriggerId();
		this.triggers.set(id, { id, createdAtMs: nowMs, lifeMs: TRIGGER_LIFE_MS, used: false, user, viewId });
		return id;
	}

	issueResponseUrl(baseUrl: string, r: { channel: string; user: string; messageTs?: string; threadTs?: string }, nowMs = Date.now()): string {
		const id = `${this.teamId}/${digitsOf(13)}/${hex(12)}`;
		this.responseUrls.set(id, { id, ...r, createdAtMs: nowMs, lifeMs: RESPONSE_URL_LIFE_MS, uses: 0 });
		return `${baseUrl}/_response/${id}`;
	}

	record(r: RecordedRequest): void {
		this.requests.push(r);
		if (this.requests.length > MAX_RECORDED_REQUESTS + 1000) this.requests.splice(0, this.requests.length - MAX_RECORDED_REQUESTS);
	}

	/** Next injected fault for a method (consumes one use). */
	takeFault(method: string): (FaultSpec & { remaining: number }) | undefined {
		const i = this.faults.findIndex((f) => f.method === method || f.method === '*');
		if (i < 0) return undefined;
		const f = this.faults[i];
		f.remaining -= 1;
		if (f.remaining <= 0) this.faults.splice(i, 1);
		return f;
	}
}

function stableId(prefix: string, key: string): string {
	const digest = createHash('sha256').update(key).digest();
	const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
	let out = prefix;
	for (let i = 0; i < 10; i++) out += alphabet[digest[i] % alphabet.length];
	return out;
}

function digitsOf(n: number): string {
	let s = String(1 + Math.floor(Math.random() * 9));
	while (s.length < n) s += String(Math.floor(Math.random() * 10));
	return s;
}
