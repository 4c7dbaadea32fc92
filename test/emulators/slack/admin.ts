/**
 * Admin HTTP endpoints for other processes (npm start, e2e, benchmarks): state, seeding, recorded requests, messages,
 * faults, time scale, reset, and sending signed Slack deliveries to a URL.
 */
import type { IncomingMessage } from 'node:http';
import type { SlackEmulator } from './index';
import { seedSlackDemo } from './demo';
import { jsonReply, Reply } from './server';
import type { FaultSpec, SlackSeed } from './types';

function parse(raw: Buffer): Record<string, unknown> {
	const text = raw.toString('utf8');
	if (!text) return {};
	const v = JSON.parse(text);
	if (typeof v !== 'object' || v === null) throw new Error('body must be a JSON object or array');
	return v as Record<string, unknown>;
}

export async function handleAdmin(emu: SlackEmulator, req: IncomingMessage, raw: Buffer, route: string): Promise<Reply> {
	const url = new URL(req.url ?? '/', 'http://x');
	const q = (k: string) => url.searchParams.get(k) ?? undefined;
	let body: Record<string, unknown>;
	try {
		body = parse(raw);
	} catch (e) {
		return jsonReply(400, { ok: false, error: 'invalid_json', detail: String(e) });
	}
	const method = req.method ?? 'GET';
	try {
		switch (`${method} ${route}`) {
			case 'GET state': {
				const s = emu.state;
				return jsonReply(200, {
					ok: true, url: emu.url, apiUrl: emu.apiUrl, teamId: s.teamId, teamName: s.teamName, botUserId: s.botUserId, botId: s.botId,
					appId: s.appId, botToken: s.botToken, clientId: s.app.clientId, timeScale: s.timeScale, users: s.users.size,
					channels: [...s.channels.values()].map((c) => ({ id: c.id, name: c.name, is_private: c.is_private, is_archived: c.is_archived, members: [...c.members], messages: s.history.get(c.id)?.length ?? 0 })),
					scheduled: emu.scheduled().length, counters: emu.counters(), faults: s.faults,
				});
			}
			case 'POST seed': {
				const seed = body as SlackSeed & { generateUsers?: { n: number; mix?: object } };
				const created: Record<string, unknown> = { channels: [], users: [] };
				if ((body as { demo?: boolean }).demo) created.demo = seedSlackDemo(emu.state);
				for (const t of seed.tokens ?? []) emu.addToken(t);
				for (const u of seed.users ?? []) (created.users as unknown[]).push(emu.addUser(u).id);
				for (const c of seed.channels ?? []) (created.channels as unknown[]).push(emu.addChannel(c));
				if (seed.generateUsers) emu.generateUsers(seed.generateUsers.n, seed.generateUsers.mix);
				return jsonReply(200, { ok: true, ...created });
			}
			case 'GET requests':
				return jsonReply(200, { ok: true, requests: emu.requests({ method: q('method') }) });
			case 'GET messages': {
				const channel = q('channel');
				if (!channel) return jsonReply(400, { ok: false, error: 'channel query parameter required' });
				return jsonReply(200, { ok: true, messages: emu.messages(channel) });
			}
			case 'GET scheduled':
				return jsonReply(200, { ok: true, scheduled: emu.scheduled(q('channel')) });
			case 'GET ephemerals':
				return jsonReply(200, { ok: true, ephemerals: emu.ephemerals(q('channel')) });
			case 'GET effects':
				return jsonReply(200, { ok: true, effects: emu.responseEffects(), unfurls: emu.unfurls() });
			case 'GET views':
				return jsonReply(200, { ok: true, views: emu.views() });
			case 'GET counters':
				return jsonReply(200, { ok: true, ...emu.counters() });
			case 'POST faults': {
				const faults = (Array.isArray(body) ? body : [body]) as FaultSpec[];
				for (const f of faults) {
					if (typeof f.method !== 'string') return jsonReply(400, { ok: false, error: 'fault needs a method (or "*")' });
					emu.injectFault(f);
				}
				return jsonReply(200, { ok: true });
			}
			case 'DELETE faults':
				emu.clearFaults();
				return jsonReply(200, { ok: true });
			case 'POST time-scale':
				emu.setTimeScale(Number(body.scale ?? body.timeScale));
				return jsonReply(200, { ok: true, timeScale: emu.timeScale });
			case 'POST reset':
				emu.reset();
				return jsonReply(200, { ok: true });
			case 'POST trigger':
				return jsonReply(200, { ok: true, trigger_id: emu.issueTriggerId(body.user as string | undefined, body.viewId as string | undefined) });
			case 'POST oauth-code':
				return jsonReply(200, { ok: true, code: emu.createOAuthCode(body as { scopes?: string[]; rotation?: boolean; redirectUri?: string }) });
			case 'POST send/interaction':
			case 'POST send/command':
			case 'POST send/event': {
				const target = body.url;
				const secret = body.signingSecret;
				if (typeof target !== 'string' || typeof secret !== 'string') return jsonReply(400, { ok: false, error: 'url and signingSecret are required' });
				const o = { signingSecret: secret, timestamp: body.timestamp as number | undefined };
				let result;
				if (route === 'send/interaction') result = await emu.sendInteraction(target, body.payload as object, { ...o, headers: body.headers as Record<string, string> | undefined });
				else if (route === 'send/command') result = await emu.sendSlashCommand(target, body.fields as Record<string, string>, o);
				else if (body.withRetries === true) result = await emu.deliverEvent(target, body.event as object, { ...o, eventId: body.eventId as string | undefined, ackTimeoutMs: body.ackTimeoutMs as number | undefined });
				else result = await emu.sendEvent(target, body.event as object, { ...o, retryNum: body.retryNum as number | undefined, retryReason: body.retryReason as string | undefined, eventId: body.eventId as string | undefined });
				return jsonReply(200, { ok: true, result });
			}
			default:
				return jsonReply(404, { ok: false, error: `no admin route ${method} /_admin/${route}` });
		}
	} catch (e) {
		return jsonReply(400, { ok: false, error: String(e instanceof Error ? e.message : e) });
	}
}
