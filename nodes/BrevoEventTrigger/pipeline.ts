/**
 * What the Brevo Event Trigger does with one HTTP request, as a pure function, like the Slack trigger's pipeline:
 * authentication (before anything is read), parsing, normalisation, the node's filters, duplicate detection and the
 * high-value threshold, and the answer Brevo gets. No n8n imports: the node file reads its parameters and static
 * data, calls `processBrevoDelivery`, and does the I/O.
 */
import { seenBefore } from '../shared/dedup';
import { authenticateRequest, sharedSecretProblem, type AcceptedSecret } from '../shared/brevo/auth';
import { SPEC_EVENTS, type TriggerEvent, type WebhookType } from '../shared/brevo/events';
import { deliveryKey, normalizeDelivery, parseJsonBody, type CanonicalEvent, type SourceKind } from '../shared/brevo/normalize';
import { applyThreshold } from '../shared/brevo/order';

/** Brevo's last retry comes 8 h after the previous one (11 h 10 min after the first try): remember keys 12 h. */
export const DEDUP_TTL_MS = 12 * 3600_000;
/**
 * At most this many delivery keys in static data (about 40 bytes each, so under 100 KB). A batched delivery
 * (an array) counts as one key: Brevo retries a batch as the same array.
 */
export const DEDUP_MAX_KEYS = 2000;

/**
 * One webhook we registered, as kept in the node's static data (readable by anyone who can read the workflow):
 * never the bearer token itself, only what is needed to check it.
 */
export interface StoredRegistration {
	type: WebhookType;
	webhookId: number;
	/** SHA-256 (hex) of the bearer token Brevo sends with every call of this webhook (`registrationTokenHash`). */
	tokenHash?: string;
	/**
	 * Legacy: the bearer token in clear, as versions before token hashing stored it. Still accepted, so running
	 * workflows keep working after an upgrade, until the next activation (checkExists) rotates the token in Brevo
	 * and keeps only `tokenHash`. Never written any more.
	 */
	token?: string;
	events: string[];
	url: string;
}

export interface BrevoTriggerSettings {
	event: TriggerEvent;
	/** Webhooks this node registered (registered sources): each one's bearer token is accepted. */
	registrations: StoredRegistration[];
	/** Manual sources (automation "call a webhook", Conversations): the shared secret and how it may be presented. */
	sharedSecret: string;
	basicAuthUser?: string;
	authHeaderName: string;
	dedupe: boolean;
	/** Workflow + node of the delivery keys: turns on shared/dedup.ts's process-wide journal (concurrent saves). */
	dedupScope?: string;
	/** API key names whose changes are ignored (contact updates made by our own sync, say). */
	ignoredKeys: string[];
	/** new_subscriber: only these lists (empty: any). */
	listIds: number[];
	threshold: { minimum: number; currency?: string };
	/** order_placed: route orders below the threshold to a third output instead of dropping them. */
	routeBelow: boolean;
}

export interface BrevoRequest {
	headers: Record<string, string | string[] | undefined>;
	/** The body as n8n parsed it (JSON requests). */
	body: unknown;
	/** The raw body, parsed here when the request did not say it was JSON. */
	rawBody?: Buffer;
}

export interface DeliveryCounts {
	received: number;
	emitted: number;
	duplicates: number;
	filtered: number;
	belowThreshold: number;
	rejected: number;
}

export interface RejectedEvent {
	reason: string;
	index: number;
	source: SourceKind;
	receivedAt: string;
	raw: unknown;
}

export type BrevoOutcome =
	/** Refused: nothing starts. `log` says why (never a secret). */
	| { kind: 'refuse'; status: number; message: string; log?: string }
	/** Answered 200 with the counts; the workflow starts when there is anything to emit. */
	| {
			kind: 'accept';
			counts: DeliveryCounts;
			outputs?: { events: CanonicalEvent[]; rejected: RejectedEvent[]; below?: CanonicalEvent[] };
			log?: string;
	  };

export function manualSource(event: TriggerEvent): boolean {
	return event !== 'raw' && SPEC_EVENTS[event].manualSource;
}

function sourceKindOf(event: TriggerEvent): SourceKind {
	return event === 'ticket_created' ? 'conversations' : 'automation';
}

/**
 * The secrets a request may present: the shared secret (manual sources) or our registrations' bearer tokens,
 * checked against their hash (or, for static data of an earlier version not yet migrated, the token in clear).
 */
function acceptedSecrets(s: BrevoTriggerSettings): AcceptedSecret[] {
	if (manualSource(s.event)) {
		if (sharedSecretProblem(s.sharedSecret)) return [];
		return [
			{
				secret: s.sharedSecret,
				label: 'shared',
				methods: ['basic', 'header', 'bearer'],
				basicUser: s.basicAuthUser || undefined,
				headerName: s.authHeaderName,
			},
		];
	}
	return s.registrations.map((r): AcceptedSecret => {
		const label = `registration:${r.webhookId}`;
		if (typeof r.tokenHash === 'string' && r.tokenHash !== '') return { secret: '', secretHash: r.tokenHash, label, methods: ['bearer'] };
		return { secret: typeof r.token === 'string' ? r.token : '', label, methods: ['bearer'] };
	});
}

/**
 * One delivery: authenticate, parse, normalise, filter, deduplicate (delivery keys in `staticData`, changed in
 * place), apply the threshold. `now` is the time of receipt.
 */
export function processBrevoDelivery(request: BrevoRequest, s: BrevoTriggerSettings, staticData: Record<string, unknown>, now: Date): BrevoOutcome {
	// 1. Authenticate before reading anything else.
	const auth = authenticateRequest(request.headers, acceptedSecrets(s));
	if (!auth.ok) return { kind: 'refuse', status: 401, message: 'Unauthorized', log: `Brevo Event Trigger refused a call: ${auth.reason}` };

	// 2. Parse.
	let body = request.body;
	const contentType = String(request.headers['content-type'] ?? '');
	if (!/json/i.test(contentType)) {
		const parsed = parseJsonBody(request.rawBody);
		if (!parsed.ok) return { kind: 'refuse', status: 400, message: `Not a Brevo event: ${parsed.reason}` };
		body = parsed.body;
	}

	// 3. Normalise.
	const registration = auth.label.startsWith('registration:') ? s.registrations.find((r) => `registration:${r.webhookId}` === auth.label) : undefined;
	const kind: SourceKind = registration ? registration.type : sourceKindOf(s.event);
	const result = normalizeDelivery(body, {
		kind,
		automationEvent: s.event === 'cart_abandoned' ? 'cart_abandoned' : 'order_placed',
		receivedAt: now,
	});
	if (!result.ok) return { kind: 'refuse', status: result.status, message: `Not accepted: ${result.reason}` };

	// 4. Filter, deduplicate, apply the threshold.
	const counts: DeliveryCounts = {
		received: result.accepted.length + result.rejected.length + (result.skipped ?? 0),
		emitted: 0,
		duplicates: 0,
		filtered: result.skipped ?? 0,
		belowThreshold: 0,
		rejected: result.rejected.length,
	};
	const dedup = { ttlMs: DEDUP_TTL_MS, max: DEDUP_MAX_KEYS, scope: s.dedupScope };
	// A batch is retried whole by Brevo: one key for the array keeps static data small at high volume.
	const batchKey = Array.isArray(body) && body.length > 1 ? `batch:${deliveryKey(body)}` : undefined;
	if (s.dedupe && batchKey && seenBefore(staticData, batchKey, now.getTime(), dedup)) {
		return { kind: 'accept', counts: { ...counts, duplicates: counts.received, filtered: 0, rejected: 0 } };
	}
	const events: CanonicalEvent[] = [];
	const below: CanonicalEvent[] = [];
	for (const { subscription, item } of result.accepted) {
		let out: CanonicalEvent = item;
		if (registration) {
			if (!subscription || !registration.events.includes(subscription)) {
				counts.filtered++;
				continue;
			}
			if (s.event === 'new_subscriber' || s.event === 'unsubscribed') out = { ...item, event: s.event };
		}
		if (s.event === 'new_subscriber' && s.listIds.length > 0 && !item.lists.some((l) => s.listIds.includes(l))) {
			counts.filtered++;
			continue;
		}
		if (item.apiKeyName && s.ignoredKeys.includes(item.apiKeyName)) {
			counts.filtered++;
			continue;
		}
		let target = events;
		if (s.event === 'order_placed' && out.order) {
			const verdict = applyThreshold(out.order, s.threshold);
			if (!verdict.passes) {
				counts.belowThreshold++;
				if (!s.routeBelow) continue;
				out = { ...out, belowThreshold: { reason: verdict.reason, minimum: s.threshold.minimum, currency: s.threshold.currency ?? null } } as CanonicalEvent;
				target = below;
			}
		}
		if (s.dedupe && !batchKey && seenBefore(staticData, deliveryKey(item.raw), now.getTime(), dedup)) {
			counts.duplicates++;
			if (target === below) counts.belowThreshold--;
			continue;
		}
		target.push(out);
	}
	counts.emitted = events.length;
	const rejected: RejectedEvent[] = result.rejected.map((r) => ({ reason: r.reason, index: r.index, source: kind, receivedAt: now.toISOString(), raw: r.raw }));
	const log = rejected.length > 0 ? `Brevo Event Trigger rejected ${rejected.length} malformed event(s)` : undefined;
	if (events.length + rejected.length + below.length === 0) return { kind: 'accept', counts, log };
	return { kind: 'accept', counts, outputs: { events, rejected, ...(s.routeBelow ? { below } : {}) }, log };
}

/**
 * The answer to a call the trigger failed to handle for a passing reason (an exception while reading the request,
 * its parameters or static data). Brevo retries only calls that got no answer or a 429: every other 4xx and every
 * 5xx discards the event for good (developers.brevo.com/docs/retry-mechanism). So an internal failure answers 429,
 * never 5xx, and Brevo tries again at +10 min, +1 h, +2 h and +8 h; the retry is then deduplicated as usual.
 */
export const RETRY_LATER = { status: 429, retryAfterSeconds: 600, message: 'Temporary failure: try again later' } as const;

/** Outcome of a call that failed inside the trigger: answered 429 so that Brevo retries it. */
export function momentaryFailure(error: unknown): Extract<BrevoOutcome, { kind: 'refuse' }> {
	const reason = error instanceof Error ? error.message : String(error);
	return { kind: 'refuse', status: RETRY_LATER.status, message: RETRY_LATER.message, log: `Brevo Event Trigger could not handle a call, answered 429 so that Brevo retries it: ${reason}` };
}
