/**
 * Brevo v3 API emulator (see test/emulators/CONTRACT.md). Start it in-process:
 *
 *   const brevo = await startBrevoEmulator({ timeScale: 100 });
 *   const client = new BrevoClient({ apiKey: brevo.apiKey, baseUrl: brevo.apiUrl });
 *   ...
 *   await brevo.close();
 *
 * Files: server.ts (pipeline), router.ts, state.ts (account + rules), spec.ts (OpenAPI validation),
 * rateLimit.ts, routes/*.ts (one per API family), sender.ts (webhook deliveries), payloads.ts (buildEvent),
 * admin.ts (`/_admin/*`).
 */
import { type DemoIds, seedDemo } from './demo';
import { buildEvent as buildPayload } from './payloads';
import type { DeliveryAttempt, PendingRetry } from './sender';
import { BrevoEmulatorServer, type BrevoEmulatorOptions, type Counters, type Fault, type RecordedRequest, type ReportDownload } from './server';
import type {
	AttributeCategory,
	AttributeType,
	Campaign,
	CampaignStatus,
	Contact,
	GlobalStats,
	List,
	Process,
	SentEmail,
	Template,
	TrackedEvent,
	Webhook,
} from './state';

export type {
	BrevoEmulatorOptions,
	DemoIds,
	Campaign,
	Contact,
	Counters,
	DeliveryAttempt,
	Fault,
	GlobalStats,
	List,
	PendingRetry,
	Process,
	RecordedRequest,
	ReportDownload,
	SentEmail,
	Template,
	TrackedEvent,
	Webhook,
};

export interface BrevoEmulator {
	url: string;
	/** `${url}/v3`: what the slackBrevoBrevoApi credential's baseUrl points at */
	apiUrl: string;
	/** a seeded valid key (`xkeysib-...`) */
	apiKey: string;
	addApiKey(key: string, name?: string): void;
	/** the demo account of `npm run emulators` (lists, attributes, contacts, campaigns) */
	seedDemo(): DemoIds;
	addFolder(f: { id?: number; name: string }): { id: number };
	addList(l: { id?: number; name: string; folderId?: number }): { id: number };
	addAttribute(a: {
		name: string;
		category?: AttributeCategory;
		type?: AttributeType;
		enumeration?: Array<{ value: number; label: string }>;
		multiCategoryOptions?: string[];
	}): void;
	addContact(c: {
		email?: string;
		ext_id?: string;
		attributes?: Record<string, unknown>;
		listIds?: number[];
		sms?: string;
		emailBlacklisted?: boolean;
		createdAt?: string;
	}): { id: number };
	addCampaign(c: {
		id?: number;
		name: string;
		subject?: string;
		status?: CampaignStatus;
		type?: 'classic' | 'trigger';
		sentDate?: string;
		createdAt?: string;
		listIds?: number[];
		tag?: string;
		stats?: Partial<GlobalStats>;
	}): { id: number };
	addTemplate(t: { id?: number; name: string; subject?: string; sender?: { name: string; email: string } }): { id: number };
	addWebhook(w: {
		url: string;
		events: string[];
		type?: 'transactional' | 'marketing' | 'inbound';
		batched?: boolean;
		auth?: { type: 'bearer'; token: string };
		headers?: Array<{ key: string; value: string }>;
		description?: string;
	}): { id: number };
	contacts(): Contact[];
	contact(emailOrId: string | number): Contact | undefined;
	lists(): List[];
	webhooks(): Webhook[];
	events(): TrackedEvent[];
	emails(): SentEmail[];
	processes(): Process[];
	/** requests made to import report URLs (`info.import` of a process), with `sentApiKey` */
	reportDownloads(): ReportDownload[];
	campaigns(): Campaign[];
	requests(filter?: { method?: string; path?: string | RegExp; route?: string }): RecordedRequest[];
	counters(): Counters;
	injectFault(f: Fault): void;
	/** the next import process ends `failed` with this reason */
	failNextImport(reason?: string): void;
	setTimeScale(scale: number): void;
	timeScale(): number;
	/** turn Brevo's rate limits on/off (headers are still sent) */
	setRateLimiting(enabled: boolean): void;
	/** send webhook events for API activity (contact updated/deleted, list addition, email request/delivered) */
	setAutoWebhooks(enabled: boolean): void;
	reset(): void;
	// playing Brevo toward the package
	deliverWebhook(
		webhookId: number,
		events: object | object[],
		o?: { withAuth?: boolean; retry?: boolean },
	): Promise<{ status: number; body: string }>;
	post(url: string, body: unknown, o?: { headers?: Record<string, string> }): Promise<{ status: number; body: string }>;
	buildEvent(kind: string, o?: Record<string, unknown>): Record<string, any>;
	/** every delivery attempt (first tries and retries) and `post` call, in order */
	deliveries(): DeliveryAttempt[];
	/** retries scheduled after a failed delivery and not yet run */
	pendingRetries(): PendingRetry[];
	close(): Promise<void>;
	/** the underlying server, for advanced tests */
	server: BrevoEmulatorServer;
}

export async function startBrevoEmulator(opts: BrevoEmulatorOptions = {}): Promise<BrevoEmulator> {
	const s = new BrevoEmulatorServer(opts);
	await s.listen(opts.port);
	const st = s.state;
	return {
		url: s.url,
		apiUrl: s.apiUrl,
		apiKey: s.apiKey,
		server: s,
		addApiKey: (key, name = 'seeded') => void st.apiKeys.set(key, { name }),
		seedDemo: () => seedDemo(st),
		addFolder: (f) => ({ id: st.addFolder(f).id }),
		addList: (l) => ({ id: st.addList(l).id }),
		addAttribute: (a) => void st.addAttribute(a),
		addContact: (c) => ({ id: st.seedContact(c).id }),
		addCampaign: (c) => ({ id: st.addCampaign(c).id }),
		addTemplate: (t) => ({ id: st.addTemplate(t).id }),
		addWebhook: (w) => {
			const now = st.iso();
			const id = st.nextWebhookId();
			st.webhooks.set(id, {
				id,
				url: w.url,
				events: w.events,
				type: w.type ?? 'transactional',
				batched: !!w.batched,
				channel: 'email',
				auth: w.auth,
				headers: w.headers,
				description: w.description,
				createdAt: now,
				modifiedAt: now,
			});
			return { id };
		},
		contacts: () => [...st.contacts.values()],
		contact: (emailOrId) =>
			typeof emailOrId === 'number' ? st.contacts.get(emailOrId) : st.findContact(String(emailOrId)),
		lists: () => [...st.lists.values()],
		webhooks: () => [...st.webhooks.values()],
		events: () => [...st.events],
		emails: () => [...st.emails],
		processes: () => [...st.processes.values()],
		reportDownloads: () => s.reportDownloads(),
		campaigns: () => [...st.campaigns.values()],
		requests: (filter) => s.requests(filter),
		counters: () => s.counters(),
		injectFault: (f) => s.injectFault(f),
		failNextImport: (reason) => s.failNextImport(reason),
		setTimeScale: (scale) => s.setTimeScale(scale),
		timeScale: () => s.timeScale(),
		setRateLimiting: (enabled) => {
			s.limiter.enabled = enabled;
		},
		setAutoWebhooks: (enabled) => {
			s.autoWebhooks = enabled;
		},
		reset: () => s.reset(),
		deliverWebhook: (id, events, o) => s.sender.deliver(id, events, o),
		post: (url, body, o) => s.sender.post(url, body, o),
		buildEvent: (kind, o) => buildPayload(kind, o ?? {}),
		deliveries: () => s.sender.deliveries(),
		pendingRetries: () => s.sender.pendingRetries(),
		close: () => s.close(),
	};
}
