/**
 * A stateful Slack Web API emulator on node:http (see ../CONTRACT.md, Slack part). Start it in-process:
 *   const slack = await startSlackEmulator(); new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin } from './admin';
import { seedSlackDemo, SlackDemoIds } from './demo';
import {
	buildBlockActions, buildEventCallback, buildLinkSharedEvent, buildMessageAction, buildShortcut, buildSlashCommand, buildViewClosed,
	buildViewSubmission, BlockActionsOptions, BuilderEnv, LinkSharedOptions, MessageActionOptions, ShortcutOptions, SlashCommandOptions,
	ViewClosedOptions, ViewSubmissionOptions,
} from './builders';
import type { MethodDef } from './context';
import { allMethods } from './methods';
import { Paginator } from './pagination';
import { DEFAULT_RATE_LIMITS, RateLimiter, RateLimitConfig } from './ratelimit';
import { handleResponseUrl } from './responseUrl';
import { Scheduler } from './scheduler';
import {
	deliverEvent, DeliverEventOptions, EventDelivery, sendEvent, sendInteraction, sendSlashCommand, SendEventOptions, SendOptions,
} from './sender';
import { handleApi, jsonReply, readBody, sendReply, Services } from './server';
import { applyViewResponse, ViewResponseOutcome } from './viewResponse';
import { SlackState } from './state';
import type {
	EphemeralMessage, FaultSpec, HttpResult, RecordedRequest, ResponseUrlEffect, ScheduledMessage, SlackMessage, SlackSeed, SlackUser,
	UnfurlRecord, UserMix, ViewRecord,
} from './types';

export * from './types';
export type { SlackDemoIds } from './demo';
export type { ViewResponseOutcome } from './viewResponse';
export { signSlackRequest, verifySlackSignature } from './signing';

/** Cursors stay valid this long (divided by the time scale). */
const CURSOR_LIFE_MS = 60 * 60_000;

export class SlackEmulator {
	url = '';
	apiUrl = '';
	readonly state: SlackState;
	private readonly scheduler: Scheduler;
	private readonly paginator: Paginator;
	private readonly limiter: RateLimiter;
	private readonly methods: Record<string, MethodDef> = allMethods;
	private server: Server | undefined;
	private readonly initialTimeScale: number;
	private readonly initialShortPages: boolean;

	constructor(opts: { timeScale?: number; seed?: SlackSeed } = {}) {
		this.state = new SlackState(opts.seed);
		this.initialTimeScale = opts.timeScale ?? 1;
		this.state.timeScale = this.initialTimeScale;
		this.scheduler = new Scheduler(this.state);
		this.paginator = new Paginator(() => CURSOR_LIFE_MS / this.state.timeScale);
		this.initialShortPages = opts.seed?.shortPages ?? true;
		this.paginator.shortPages = this.initialShortPages;
		this.limiter = new RateLimiter(() => this.state.timeScale);
		this.limiter.config = this.defaultRateLimits();
	}

	private defaultRateLimits(): RateLimitConfig {
		const config = structuredClone(DEFAULT_RATE_LIMITS);
		if (this.state.restrictedHistory) {
			config.tierOverrides['conversations.history'] = 1;
			config.tierOverrides['conversations.replies'] = 1;
		}
		return config;
	}

	get botToken(): string {
		return this.state.botToken;
	}

	get teamId(): string {
		return this.state.teamId;
	}

	get botUserId(): string {
		return this.state.botUserId;
	}

	get botId(): string {
		return this.state.botId;
	}

	get appId(): string {
		return this.state.appId;
	}

	/** OAuth app credentials for oauth.v2.access. */
	get clientId(): string {
		return this.state.app.clientId;
	}

	get clientSecret(): string {
		return this.state.app.clientSecret;
	}

	/** Every third page of a multi-page listing is short (not the end), as Slack does now and then; false turns that off. */
	get shortPages(): boolean {
		return this.paginator.shortPages;
	}

	set shortPages(on: boolean) {
		this.paginator.shortPages = on;
	}

	/** Current rate limits (mutable: a test may lower or raise them; reset() restores Slack's). */
	get rateLimits(): RateLimitConfig {
		return this.limiter.config;
	}

	async listen(port = 0): Promise<void> {
		const server = createServer((req, res) => void this.handle(req, res));
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => resolve());
		});
		this.server = server;
		const { port: bound } = server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${bound}`;
		this.apiUrl = `${this.url}/api/`;
	}

	private services(): Services {
		return {
			state: this.state, scheduler: this.scheduler, paginator: this.paginator, limiter: this.limiter, methods: this.methods,
			baseUrl: () => this.url,
		};
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		try {
			const raw = await readBody(req);
			const path = new URL(req.url ?? '/', 'http://x').pathname;
			let reply;
			if (path.startsWith('/api/')) reply = await handleApi(this.services(), req, raw, decodeURIComponent(path.slice(5)));
			else if (path.startsWith('/_response/')) {
				this.scheduler.deliverDue();
				reply = handleResponseUrl(this.state, req, raw, decodeURIComponent(path.slice('/_response/'.length)));
			} else if (path.startsWith('/_admin/')) reply = await handleAdmin(this, req, raw, path.slice('/_admin/'.length));
			else if (path === '/oauth/v2/authorize') reply = this.authorize(new URL(req.url ?? '/', 'http://x'));
			else reply = jsonReply(404, { ok: false, error: 'not_found' });
			sendReply(res, reply);
		} catch (e) {
			if (!res.headersSent) sendReply(res, jsonReply(500, { ok: false, error: 'fatal_error', detail: String(e) }));
			else res.destroy();
		}
	}

	/** Slack's authorize screen, approved at once: redirects to redirect_uri with a fresh code and the state. */
	private authorize(url: URL) {
		const clientId = url.searchParams.get('client_id');
		if (clientId !== this.state.app.clientId) return jsonReply(400, { ok: false, error: 'invalid_client_id' });
		const redirect = url.searchParams.get('redirect_uri') ?? 'http://localhost/oauth/callback';
		const code = this.createOAuthCode({
			scopes: (url.searchParams.get('scope') ?? '').split(',').filter(Boolean), redirectUri: url.searchParams.get('redirect_uri') ?? undefined,
		});
		const target = new URL(redirect);
		target.searchParams.set('code', code);
		const st = url.searchParams.get('state');
		if (st !== null) target.searchParams.set('state', st);
		return { status: 302, headers: { location: target.toString() }, body: '' };
	}

	// ---- seeding / state ------------------------------------------------------------------------------------------
	addToken(t: { token: string; scopes: string[]; userId?: string; revoked?: boolean }): void {
		this.state.addToken(t);
	}

	revokeToken(token: string): void {
		const t = this.state.tokens.get(token);
		if (t) t.revoked = true;
	}

	addChannel(c: { id?: string; name: string; is_private?: boolean; is_archived?: boolean; members?: string[]; is_ext_shared?: boolean }): { id: string; name: string } {
		return this.state.addChannel(c);
	}

	/** Archives / unarchives, renames or changes the members of a channel. */
	updateChannel(idOrName: string, patch: { is_archived?: boolean; members?: string[]; name?: string }): void {
		const c = this.state.findChannel(idOrName);
		if (!c) throw new Error(`updateChannel: no channel ${idOrName}`);
		if (patch.is_archived !== undefined) c.is_archived = patch.is_archived;
		if (patch.members) c.members = new Set(patch.members);
		if (patch.name) c.name = patch.name;
	}

	channel(idOrName: string): { id: string; name: string; is_private: boolean; is_archived: boolean; members: string[] } | undefined {
		const c = this.state.findChannel(idOrName);
		return c && { id: c.id, name: c.name, is_private: c.is_private, is_archived: c.is_archived, members: [...c.members] };
	}

	addUser(u: Partial<SlackUser>): SlackUser {
		return this.state.addUser(u);
	}

	/** The demo workspace of `npm run emulators`: #marketing #sales #support #alerts and a few members (see demo.ts). */
	seedDemo(): SlackDemoIds {
		return seedSlackDemo(this.state);
	}

	generateUsers(n: number, mix?: UserMix): void {
		this.state.users.generate(n, mix);
	}

	user(id: string): SlackUser | undefined {
		return this.state.users.get(id);
	}

	/** Messages of a channel (id or name): top-level and replies in order, incl. blocks, metadata, reactions. */
	messages(channel: string): SlackMessage[] {
		this.scheduler.deliverDue();
		const id = this.state.findChannel(channel)?.id ?? channel;
		return (this.state.history.get(id) ?? []).map((m) => structuredClone(m));
	}

	ephemerals(channel?: string): EphemeralMessage[] {
		const id = channel ? this.state.findChannel(channel)?.id ?? channel : undefined;
		return this.state.ephemerals.filter((e) => !id || e.channel === id).map((e) => structuredClone(e));
	}

	scheduled(channel?: string): ScheduledMessage[] {
		this.scheduler.deliverDue();
		const id = channel ? this.state.findChannel(channel)?.id ?? channel : undefined;
		return [...this.state.scheduled.values()].filter((s) => !id || s.channel === id).map((s) => ({ ...s }));
	}

	views(): ViewRecord[] {
		return [...this.state.views.values()].map((v) => structuredClone(v));
	}

	responseEffects(): ResponseUrlEffect[] {
		return this.state.responseEffects.map((e) => structuredClone(e));
	}

	unfurls(): UnfurlRecord[] {
		return this.state.unfurls.map((u) => structuredClone(u));
	}

	requests(filter: { method?: string } = {}): RecordedRequest[] {
		return this.state.requests.filter((r) => !filter.method || r.apiMethod === filter.method);
	}

	counters(): { calls: Record<string, number>; ratelimited: Record<string, number> } {
		return { calls: { ...this.state.calls }, ratelimited: { ...this.state.ratelimited } };
	}

	injectFault(f: FaultSpec): void {
		this.state.faults.push({ ...f, remaining: f.times ?? 1 });
	}

	clearFaults(): void {
		this.state.faults = [];
	}

	setTimeScale(scale: number): void {
		if (!(scale > 0) || !Number.isFinite(scale)) throw new Error('setTimeScale: scale must be a positive number');
		// Pending scheduled messages keep the emulated time they still have to wait, at the new pace.
		const now = Date.now();
		const previous = this.state.timeScale;
		for (const m of this.state.scheduled.values()) {
			if (m.status === 'pending') m.deliverAtMs = now + (Math.max(0, m.deliverAtMs - now) * previous) / scale;
		}
		this.state.timeScale = scale;
		this.limiter.rescale();
		this.scheduler.arm(now);
	}

	get timeScale(): number {
		return this.state.timeScale;
	}

	/** Back to the seeded workspace, the rate limits and the time scale the emulator started with. */
	reset(): void {
		this.state.reset();
		this.state.timeScale = this.initialTimeScale;
		this.limiter.reset();
		this.limiter.config = this.defaultRateLimits();
		this.paginator.epoch += 1;
		this.paginator.shortPages = this.initialShortPages;
		this.scheduler.arm();
	}

	/** A live single-use trigger_id (3 s life, scaled), as an interaction would carry. */
	issueTriggerId(user = 'U0ADMIN001', viewId?: string): string {
		return this.state.issueTrigger(user, viewId);
	}

	/** A response_url served by this emulator (5 uses in 30 minutes, scaled). */
	issueResponseUrl(o: { channel: string; user?: string; messageTs?: string; threadTs?: string }): string {
		const channel = this.state.findChannel(o.channel)?.id ?? o.channel;
		return this.state.issueResponseUrl(this.url, { channel, user: o.user ?? 'U0ADMIN001', messageTs: o.messageTs, threadTs: o.threadTs });
	}

	/** An authorization code for oauth.v2.access (what /oauth/v2/authorize redirects with). */
	createOAuthCode(o: { scopes?: string[]; rotation?: boolean; redirectUri?: string; userId?: string } = {}): string {
		const code = `${this.state.teamId}.${Date.now()}.${Math.random().toString(16).slice(2, 18)}`;
		this.state.oauthCodes.set(code, {
			code, scopes: o.scopes?.length ? o.scopes : this.state.tokens.get(this.state.botToken)?.scopes ?? [], rotation: o.rotation ?? false,
			redirectUri: o.redirectUri, userId: o.userId ?? 'U0ADMIN001', createdAtMs: Date.now(), used: false,
		});
		return code;
	}

	// ---- playing Slack toward the package -------------------------------------------------------------------------
	/** Sends an interaction; for a view_submission, applies the app's answer to the modal as Slack would (result.viewResponse). */
	async sendInteraction(url: string, payload: object, o: SendOptions & { headers?: Record<string, string> }): Promise<HttpResult> {
		const result = await sendInteraction(url, payload, o);
		const p = payload as Record<string, unknown>;
		if (p.type === 'view_submission') result.viewResponse = applyViewResponse(this.state, p, result);
		return result;
	}

	/** What Slack did with each view_submission answer (close, errors, update, push, clear, or the error shown). */
	viewResponses(): ViewResponseOutcome[] {
		return this.state.viewResponses.map((v) => structuredClone(v));
	}

	sendSlashCommand(url: string, fields: Record<string, string>, o: SendOptions): Promise<HttpResult> {
		return sendSlashCommand(url, fields, o);
	}

	sendEvent(url: string, event: object, o: SendEventOptions): Promise<HttpResult> {
		const e = event as Record<string, unknown>;
		const envelope = e.type === 'url_verification' || e.type === 'event_callback' ? event : this.buildEventCallback(event, { eventId: o.eventId });
		return sendEvent(url, envelope, o);
	}

	/**
	 * An Events API delivery with Slack's retries: up to 3 more attempts (X-Slack-Retry-Num 1-3, X-Slack-Retry-Reason)
	 * after a timeout, a non-2xx answer or a connection failure, unless the app answers `X-Slack-No-Retry: 1`.
	 * Retry waits (about 0 s, 1 min, 5 min) are divided by the time scale.
	 */
	deliverEvent(url: string, event: object, o: DeliverEventOptions): Promise<EventDelivery> {
		const e = event as Record<string, unknown>;
		const envelope = e.type === 'url_verification' || e.type === 'event_callback' ? event : this.buildEventCallback(event, { eventId: o.eventId });
		return deliverEvent(url, envelope, { ...o, timeScale: this.state.timeScale });
	}

	private env(): BuilderEnv {
		return { state: this.state, baseUrl: this.url };
	}

	buildBlockActions(o: BlockActionsOptions = {}): Record<string, unknown> {
		return buildBlockActions(this.env(), o);
	}

	buildViewSubmission(o: ViewSubmissionOptions = {}): Record<string, unknown> {
		return buildViewSubmission(this.env(), o);
	}

	buildViewClosed(o: ViewClosedOptions = {}): Record<string, unknown> {
		return buildViewClosed(this.env(), o);
	}

	/** A link_shared event (send it with sendEvent); the app answers with chat.unfurl. */
	buildLinkSharedEvent(o: LinkSharedOptions = {}): Record<string, unknown> {
		return buildLinkSharedEvent(this.env(), o);
	}

	buildMessageAction(o: MessageActionOptions = {}): Record<string, unknown> {
		return buildMessageAction(this.env(), o);
	}

	buildShortcut(o: ShortcutOptions = {}): Record<string, unknown> {
		return buildShortcut(this.env(), o);
	}

	buildSlashCommand(o: SlashCommandOptions = {}): Record<string, string> {
		return buildSlashCommand(this.env(), o);
	}

	buildEventCallback(event: object, o: { eventId?: string; eventTime?: number } = {}): Record<string, unknown> {
		return buildEventCallback(this.env(), event, o);
	}

	async close(): Promise<void> {
		this.scheduler.close();
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}
}

export async function startSlackEmulator(opts: { port?: number; timeScale?: number; seed?: SlackSeed } = {}): Promise<SlackEmulator> {
	const emulator = new SlackEmulator(opts);
	await emulator.listen(opts.port ?? 0);
	return emulator;
}
