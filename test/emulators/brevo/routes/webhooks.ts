/**
 * Outbound webhooks registered through the API: `type` defaults to transactional, `GET /webhooks` lists one type
 * (transactional unless `?type=`), at most 40 per account (marketing + transactional), and the event names
 * subscribed must belong to the webhook's type (developers.brevo.com marketing/transactional webhook pages).
 * How Brevo then calls them (auth, batches, retries) is sender.ts; sources of every rule: CONTRACT.md, "Brevo
 * webhook rules and sources".
 */
import { fail, MESSAGES } from '../errors';
import type { Route, RouteContext } from '../router';
import type { Webhook, WebhookType } from '../state';

/** "limited to a maximum of 40" (marketing + transactional): developers.brevo.com/docs/how-to-use-webhooks */
export const MAX_WEBHOOKS = 40;

/**
 * Per type, the names of the OpenAPI `POST /webhooks` `events` description (email channel); the enum lists them all
 * together, the per-type split is the description's (and the marketing/transactional webhook pages').
 */
export const WEBHOOK_EVENTS: Record<WebhookType, string[]> = {
	transactional: [
		'sent',
		'request',
		'delivered',
		'hardBounce',
		'softBounce',
		'blocked',
		'spam',
		'invalid',
		'deferred',
		'click',
		'opened',
		'uniqueOpened',
		'unsubscribed',
	],
	marketing: [
		'spam',
		'opened',
		'click',
		'hardBounce',
		'softBounce',
		'unsubscribed',
		'listAddition',
		'delivered',
		'contactUpdated',
		'contactDeleted',
	],
	inbound: ['inboundEmailProcessed'],
};

function checkEvents(type: WebhookType, events: string[]): void {
	if (!events.length) throw fail.missing('events is missing');
	const bad = events.filter((e) => !WEBHOOK_EVENTS[type].includes(e));
	if (bad.length) {
		throw fail.invalid(`Invalid events for a ${type} webhook: ${bad.join(', ')}. Allowed: ${WEBHOOK_EVENTS[type].join(', ')}`);
	}
}

/** OpenAPI `POST /webhooks` `auth`: `{type: "bearer", token}` is the one documented form. */
function checkAuth(auth: unknown): void {
	if (auth === undefined) return;
	const a = auth as { type?: string; token?: string };
	if (a.type !== 'bearer') throw fail.invalid('auth.type must be bearer');
	if (!a.token) throw fail.missing('auth.token is missing');
}

function webhookFromPath(ctx: RouteContext): Webhook {
	const w = ctx.state.webhooks.get(ctx.params.webhookId as number);
	if (!w) throw fail.notFound('Webhook not found');
	return w;
}

export function webhookView(w: Webhook): Record<string, unknown> {
	const view: Record<string, unknown> = {
		id: w.id,
		url: w.url,
		description: w.description ?? '',
		events: [...w.events],
		type: w.type,
		createdAt: w.createdAt,
		modifiedAt: w.modifiedAt,
		batched: w.batched,
	};
	if (w.type !== 'inbound') view.channel = w.channel;
	if (w.domain) view.domain = w.domain;
	if (w.auth) view.auth = { ...w.auth };
	if (w.headers) view.headers = w.headers.map((h) => ({ ...h }));
	return view;
}

export const webhookRoutes: Route[] = [
	{
		method: 'POST',
		specPath: '/webhooks',
		handler: (ctx) => {
			const b = ctx.body as Record<string, any>;
			const type = (b.type ?? 'transactional') as WebhookType;
			checkEvents(type, b.events);
			checkAuth(b.auth);
			// OpenAPI: `domain` is "required in case of event type `inbound`"
			if (type === 'inbound' && !b.domain) throw fail.missing('domain is missing');
			if (ctx.state.webhooks.size >= MAX_WEBHOOKS) throw fail.invalid(MESSAGES.webhookLimit);
			const now = ctx.state.iso();
			const w: Webhook = {
				id: ctx.state.nextWebhookId(),
				url: b.url,
				description: b.description,
				events: [...new Set<string>(b.events)],
				type,
				batched: b.batched === true,
				channel: b.channel ?? 'email',
				domain: b.domain,
				auth: b.auth,
				headers: b.headers,
				createdAt: now,
				modifiedAt: now,
			};
			ctx.state.webhooks.set(w.id, w);
			return { status: 201, body: { id: w.id } };
		},
	},
	{
		method: 'GET',
		specPath: '/webhooks',
		handler: (ctx) => {
			const type = (ctx.params.type as WebhookType | undefined) ?? 'transactional';
			const sort = (ctx.params.sort as string | undefined) ?? 'desc';
			const webhooks = [...ctx.state.webhooks.values()]
				.filter((w) => w.type === type)
				.sort((a, b) => (sort === 'asc' ? a.id - b.id : b.id - a.id))
				.map(webhookView);
			return { status: 200, body: { webhooks } };
		},
	},
	{
		method: 'GET',
		specPath: '/webhooks/{webhookId}',
		handler: (ctx) => ({ status: 200, body: webhookView(webhookFromPath(ctx)) }),
	},
	{
		method: 'PUT',
		specPath: '/webhooks/{webhookId}',
		handler: (ctx) => {
			const w = webhookFromPath(ctx);
			const b = (ctx.body ?? {}) as Record<string, any>;
			if (b.events !== undefined) checkEvents(w.type, b.events);
			checkAuth(b.auth);
			if (b.url !== undefined) w.url = b.url;
			if (b.description !== undefined) w.description = b.description;
			if (b.events !== undefined) w.events = [...new Set<string>(b.events)];
			if (b.batched !== undefined) w.batched = b.batched;
			if (b.domain !== undefined) w.domain = b.domain;
			if (b.auth !== undefined) w.auth = b.auth;
			if (b.headers !== undefined) w.headers = b.headers;
			w.modifiedAt = ctx.state.iso();
			return { status: 204 };
		},
	},
	{
		method: 'DELETE',
		specPath: '/webhooks/{webhookId}',
		handler: (ctx) => {
			ctx.state.webhooks.delete(webhookFromPath(ctx).id);
			return { status: 204 };
		},
	},
];
