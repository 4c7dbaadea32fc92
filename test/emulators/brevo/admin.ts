/**
 * Control plane (`/_admin/*`), for `npm start`, e2e and other processes. No api-key; never recorded.
 *   GET  /_admin/state                 account data (keys not included)
 *   POST /_admin/seed                  {demo?, apiKeys?, folders?, lists?, attributes?, contacts?, campaigns?, templates?, webhooks?}
 *   GET  /_admin/requests?method=&path=&route=
 *   GET  /_admin/counters
 *   POST /_admin/faults                a fault or an array of faults (see `Fault`)
 *   POST /_admin/fail-next-import      {reason?}
 *   POST /_admin/time-scale            {scale}
 *   POST /_admin/auto-webhooks         {enabled}: webhook events for API activity
 *   POST /_admin/reset
 *   POST /_admin/deliver               {webhookId | url, events, headers?, withAuth?}
 *   POST /_admin/post                  {url, body, headers?}
 *   POST /_admin/build-event           {kind, options?}
 *   GET  /_admin/deliveries            attempts and pending retries
 */
import type { Reply } from './router';
import { seedDemo } from './demo';
import { buildEvent } from './payloads';
import type { BrevoEmulatorServer, Fault } from './server';
import { processView } from './routes/imports';
import { webhookView } from './routes/webhooks';

export function snapshot(s: BrevoEmulatorServer): Record<string, unknown> {
	const st = s.state;
	return {
		timeScale: s.timeScale(),
		validate: s.validate,
		contacts: [...st.contacts.values()].map((c) => st.contactView(c)),
		folders: [...st.folders.values()],
		lists: [...st.lists.values()].map((l) => ({ ...l, ...st.listStats(l.id) })),
		attributes: st.attributes,
		webhooks: [...st.webhooks.values()].map(webhookView),
		events: st.events,
		emails: st.emails,
		processes: [...st.processes.values()].map(processView),
		campaigns: [...st.campaigns.values()],
		templates: [...st.templates.values()],
	};
}

export function seed(s: BrevoEmulatorServer, body: Record<string, any>): Record<string, unknown> {
	const st = s.state;
	const out: Record<string, unknown> = {};
	if (body.demo) out.demo = seedDemo(st);
	for (const k of body.apiKeys ?? []) {
		const key = typeof k === 'string' ? k : k.key;
		st.apiKeys.set(key, { name: typeof k === 'string' ? 'seeded' : (k.name ?? 'seeded') });
	}
	out.folders = (body.folders ?? []).map((f: any) => st.addFolder(f).id);
	out.lists = (body.lists ?? []).map((l: any) => st.addList(l).id);
	for (const a of body.attributes ?? []) st.addAttribute(a);
	out.contacts = (body.contacts ?? []).map((c: any) => st.seedContact(c).id);
	out.campaigns = (body.campaigns ?? []).map((c: any) => st.addCampaign(c).id);
	out.templates = (body.templates ?? []).map((t: any) => st.addTemplate(t).id);
	out.webhooks = (body.webhooks ?? []).map((w: any) => {
		const now = st.iso();
		const id = st.nextWebhookId();
		st.webhooks.set(id, {
			id,
			url: w.url,
			description: w.description,
			events: w.events ?? [],
			type: w.type ?? 'transactional',
			batched: !!w.batched,
			channel: w.channel ?? 'email',
			domain: w.domain,
			auth: w.auth,
			headers: w.headers,
			createdAt: now,
			modifiedAt: now,
		});
		return id;
	});
	return out;
}

export async function handleAdmin(
	s: BrevoEmulatorServer,
	method: string,
	path: string,
	query: URLSearchParams,
	raw: Buffer,
): Promise<Reply> {
	let body: any = {};
	if (raw.length) {
		try {
			body = JSON.parse(raw.toString('utf8'));
		} catch (err) {
			return { status: 400, body: { error: `invalid JSON: ${(err as Error).message}` } };
		}
	}
	const route = `${method} ${path.replace(/\/$/, '')}`;
	try {
		switch (route) {
			case 'GET /_admin/state':
				return { status: 200, body: snapshot(s) };
			case 'POST /_admin/seed':
				return { status: 200, body: seed(s, body) };
			case 'GET /_admin/requests':
				return {
					status: 200,
					body: s.requests({
						method: query.get('method') ?? undefined,
						path: query.get('path') ?? undefined,
						route: query.get('route') ?? undefined,
					}),
				};
			case 'GET /_admin/counters':
				return { status: 200, body: s.counters() };
			case 'POST /_admin/faults':
				for (const f of (Array.isArray(body) ? body : [body]) as Fault[]) {
					if (!f.path) return { status: 400, body: { error: 'a fault needs a path' } };
					s.injectFault({ ...f, times: f.times === -1 ? Infinity : f.times });
				}
				return { status: 200, body: { ok: true } };
			case 'POST /_admin/fail-next-import':
				s.failNextImport(body.reason);
				return { status: 200, body: { ok: true } };
			case 'POST /_admin/auto-webhooks':
				s.autoWebhooks = body.enabled !== false;
				return { status: 200, body: { autoWebhooks: s.autoWebhooks } };
			case 'POST /_admin/time-scale':
				s.setTimeScale(Number(body.scale));
				return { status: 200, body: { timeScale: s.timeScale() } };
			case 'POST /_admin/reset':
				s.reset();
				return { status: 200, body: { ok: true } };
			case 'POST /_admin/deliver': {
				const r =
					body.webhookId !== undefined
						? await s.sender.deliver(Number(body.webhookId), body.events, { withAuth: body.withAuth })
						: await s.sender.deliverToUrl(body.url, body.events, body.headers);
				return { status: 200, body: r };
			}
			case 'POST /_admin/post':
				return { status: 200, body: await s.sender.post(body.url, body.body, { headers: body.headers }) };
			case 'POST /_admin/build-event':
				return { status: 200, body: buildEvent(String(body.kind), body.options ?? {}) };
			case 'GET /_admin/deliveries':
				return { status: 200, body: { attempts: s.sender.deliveries(), pending: s.sender.pendingRetries() } };
			default:
				return { status: 404, body: { error: `unknown admin route ${route}` } };
		}
	} catch (err) {
		return { status: 400, body: { error: (err as Error).message } };
	}
}
