/**
 * Webhook bearer tokens of the Brevo Event Trigger (issue 13, weak webhook tokens), through the trigger harness
 * (n8n-core HookContext / WebhookContext over real HTTP) against the Brevo emulator: a fresh random token on
 * create and on adoption (never the one Brevo lists), only the token's SHA-256 in static data, a constant-time
 * check, and the migration of static data that an earlier version wrote with the token in clear.
 */
// The module object itself (not an ES namespace copy), so that jest can spy on what auth.ts calls.
import crypto = require('crypto');

import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import { startTriggerServer, triggerHooks, type TriggerServer, type TriggerServerOptions } from '../harness';
import { BrevoEventTrigger } from '../../nodes/BrevoEventTrigger/BrevoEventTrigger.node';
import {
	authenticateRequest,
	matchesHash,
	newRegistrationToken,
	registrationTokenHash,
	REGISTRATION_TOKEN_BYTES,
} from '../../nodes/shared/brevo/auth';

const NODE = 'node:Brevo Event Trigger';

let brevo: BrevoEmulator;
const servers: TriggerServer[] = [];

beforeAll(async () => {
	brevo = await startBrevoEmulator();
});
afterAll(async () => {
	await brevo.close();
});
beforeEach(() => brevo.reset());
afterEach(async () => {
	jest.restoreAllMocks();
	while (servers.length) await servers.pop()!.close();
});

const creds = () => ({ slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl } });

async function trigger(parameters: Record<string, unknown>, o: Partial<TriggerServerOptions> = {}): Promise<TriggerServer> {
	const server = await startTriggerServer(BrevoEventTrigger, { parameters: parameters as never, credentials: creds(), ...o });
	servers.push(server);
	return server;
}

const ourHooks = (url: string) => brevo.webhooks().filter((w) => w.url === url);
const tokenOf = (id: number) => brevo.webhooks().find((w) => w.id === id)!.auth!.token!;
const registrations = (hook: { staticData: Record<string, unknown> }) =>
	((hook.staticData[NODE] ?? {}) as { registrations?: Array<Record<string, unknown>> }).registrations;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** The trigger node's webhookId in the migration tests (its URL must be known before its server starts). */
const WEBHOOK_ID = 'tokens-test-webhook';

describe('a webhook found at our URL with a weak token', () => {
	it("adoption replaces 'abc' by a fresh random token in Brevo; 'abc' gets 401, the new token is accepted; static data holds no token", async () => {
		const hook = await trigger({ event: 'new_subscriber' });
		const { id } = brevo.addWebhook({ url: hook.url, events: ['listAddition'], type: 'marketing', auth: { type: 'bearer', token: 'abc' } });

		const calls = await hook.hooks.activate();
		expect(calls.map((c) => [c.method, c.result])).toEqual([['checkExists', true]]);
		expect(ourHooks(hook.url).map((w) => w.id)).toEqual([id]); // adopted, not duplicated

		// Brevo now has a new token: 32 random bytes, base64url (43 characters), set through PUT /webhooks/{id}.
		const token = tokenOf(id);
		expect(token).not.toBe('abc');
		expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
		const puts = brevo.requests({ method: 'PUT' });
		expect(puts.map((r) => [r.path, r.status])).toEqual([[`/v3/webhooks/${id}`, 204]]);
		expect(puts[0].body).toEqual({ auth: { type: 'bearer', token } });

		// Static data: the token's SHA-256, nothing else secret.
		expect(registrations(hook)).toEqual([
			{ type: 'marketing', webhookId: id, tokenHash: registrationTokenHash(token), events: ['listAddition'], url: hook.url },
		]);
		const stored = JSON.stringify(hook.staticData);
		expect(stored).not.toContain(token);
		expect(stored).not.toContain('"token"');
		expect(stored).not.toContain(Buffer.from(token, 'base64url').toString('hex'));

		// A forged call with the old token is refused before anything runs.
		const forged = await hook.send(brevo.buildEvent('list_addition', { email: 'forged@x.io' }), { headers: bearer('abc') });
		expect([forged.status, forged.workflowData]).toEqual([401, undefined]);
		expect(JSON.parse(forged.body)).toEqual({ message: 'Unauthorized' });
		// Presenting the stored hash instead of the token is refused too.
		const hashAsToken = await hook.send(brevo.buildEvent('list_addition', { email: 'hash@x.io' }), { headers: bearer(registrationTokenHash(token)) });
		expect(hashAsToken.status).toBe(401);

		// Brevo delivers with the new token (the emulator sends the auth set by PUT), and the call is accepted.
		const r = await brevo.deliverWebhook(id, brevo.buildEvent('list_addition', { email: 'real@x.io', listIds: [3] }), { retry: false });
		expect(r.status).toBe(200);
		const accepted = hook.deliveries[hook.deliveries.length - 1];
		expect(accepted.emitted).toEqual([expect.objectContaining({ event: 'new_subscriber', contact: { email: 'real@x.io' } })]);
		expect(hook.deliveries.map((d) => d.status)).toEqual([401, 401, 200]);
	});

	it('a webhook at our URL without any auth, or with a long token someone else set, gets our own token too', async () => {
		const hook = await trigger({ event: 'unsubscribed' });
		const foreign = 'x'.repeat(64);
		const m = brevo.addWebhook({ url: hook.url, events: ['unsubscribed'], type: 'marketing', auth: { type: 'bearer', token: foreign } });
		const t = brevo.addWebhook({ url: hook.url, events: ['unsubscribed'], type: 'transactional' });
		await hook.hooks.activate();
		const [mt, tt] = [tokenOf(m.id), tokenOf(t.id)];
		expect(mt).not.toBe(foreign);
		expect(new Set([mt, tt]).size).toBe(2);
		expect((await hook.send(brevo.buildEvent('marketing.unsubscribed', { email: 'f@x.io' }), { headers: bearer(foreign) })).status).toBe(401);
		expect((await brevo.deliverWebhook(m.id, brevo.buildEvent('marketing.unsubscribed', { email: 'm@x.io' }), { retry: false })).status).toBe(200);
		expect((await brevo.deliverWebhook(t.id, brevo.buildEvent('transactional.unsubscribed', { email: 't@x.io' }), { retry: false })).status).toBe(200);
		expect(JSON.stringify(hook.staticData)).not.toMatch(new RegExp(`${foreign}|${mt}|${tt}`));
	});

	it('a failed PUT fails the activation with the action named and no token in the error', async () => {
		const hook = await trigger({ event: 'new_subscriber' });
		brevo.addWebhook({ url: hook.url, events: ['listAddition'], type: 'marketing', auth: { type: 'bearer', token: 'abc' } });
		brevo.injectFault({ path: '/webhooks/', method: 'PUT', status: 500, code: 'internal_error', message: 'boom', times: 3 });
		const error = await hook.hooks.activate().then(
			() => undefined,
			(e: Error) => e,
		);
		expect(error?.message).toMatch(/setting a new token on webhook/);
		const sent = brevo.requests({ method: 'PUT' }).map((r) => (r.body as { auth: { token: string } }).auth.token);
		expect(sent.length).toBeGreaterThan(0);
		const text = JSON.stringify({ message: error?.message, description: (error as { description?: string })?.description, logs: hook.hooks.calls.map((c) => c.logs) });
		for (const token of sent) expect(text).not.toContain(token);
	});
});

describe('create', () => {
	it('registers with a fresh 32-byte token per webhook and stores only hashes; re-activation changes nothing', async () => {
		const hook = await trigger({ event: 'unsubscribed' });
		await hook.hooks.activate();
		const hooks = ourHooks(hook.url);
		expect(hooks).toHaveLength(2);
		const tokens = hooks.map((w) => w.auth!.token!);
		for (const t of tokens) expect(Buffer.from(t, 'base64url')).toHaveLength(REGISTRATION_TOKEN_BYTES);
		expect(new Set(tokens).size).toBe(2);
		const stored = JSON.stringify(hook.staticData);
		for (const t of tokens) expect(stored).not.toContain(t);
		expect(registrations(hook)!.map((r) => r.tokenHash).sort()).toEqual(tokens.map(registrationTokenHash).sort());

		const before = JSON.stringify(hook.staticData);
		await hook.hooks.activate();
		expect(brevo.requests({ method: 'PUT' })).toEqual([]);
		expect(JSON.stringify(hook.staticData)).toBe(before);
		expect(ourHooks(hook.url).map((w) => w.auth!.token)).toEqual(tokens);
	});

	it("a token changed in Brevo behind n8n's back (it no longer matches the stored hash) is replaced on the next activation", async () => {
		const hook = await trigger({ event: 'new_subscriber' });
		await hook.hooks.activate();
		const [w] = ourHooks(hook.url);
		await fetch(`${brevo.apiUrl}/webhooks/${w.id}`, {
			method: 'PUT',
			headers: { 'api-key': brevo.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ auth: { type: 'bearer', token: 'guessable' } }),
		});
		await hook.hooks.activate();
		const token = tokenOf(w.id);
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(registrations(hook)![0].tokenHash).toBe(registrationTokenHash(token));
		expect((await hook.send(brevo.buildEvent('list_addition'), { headers: bearer('guessable') })).status).toBe(401);
		expect((await brevo.deliverWebhook(w.id, brevo.buildEvent('list_addition', { email: 'ok@x.io' }), { retry: false })).status).toBe(200);
	});
});

describe('constant-time verification', () => {
	it('a delivery is checked by hashing the presented token and comparing 32-byte digests with timingSafeEqual', async () => {
		const hook = await trigger({ event: 'new_subscriber' });
		await hook.hooks.activate();
		const [w] = ourHooks(hook.url);
		const token = w.auth!.token!;
		const spy = jest.spyOn(crypto, 'timingSafeEqual');
		const ok = await hook.send(brevo.buildEvent('list_addition', { email: 'ct@x.io' }), { headers: bearer(token) });
		expect(ok.status).toBe(200);
		const digest = crypto.createHash('sha256').update(token).digest();
		const compared = spy.mock.calls.map(([a, b]) => [Buffer.from(a as Uint8Array), Buffer.from(b as Uint8Array)]);
		expect(compared).toContainEqual([digest, Buffer.from(registrationTokenHash(token), 'hex')]);
		for (const [a, b] of compared) expect([a.length, b.length]).toEqual([32, 32]);

		spy.mockClear();
		const bad = await hook.send(brevo.buildEvent('list_addition'), { headers: bearer(`${token.slice(0, -1)}A`) });
		expect(bad.status).toBe(401);
		expect(spy).toHaveBeenCalled(); // a wrong token is compared the same way (no early exit on a prefix)
	});

	it('registrationTokenHash / matchesHash / newRegistrationToken', () => {
		expect(registrationTokenHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		expect(matchesHash('abc', registrationTokenHash('abc'))).toBe(true);
		expect(matchesHash('abc', registrationTokenHash('abc').toUpperCase())).toBe(true);
		expect(matchesHash('abd', registrationTokenHash('abc'))).toBe(false);
		for (const bad of ['', 'abc', 'zz'.repeat(32), registrationTokenHash('abc').slice(2)]) expect(matchesHash(bad, bad)).toBe(false);
		const token = newRegistrationToken(crypto.randomBytes);
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const asked: number[] = [];
		newRegistrationToken((n) => (asked.push(n), crypto.randomBytes(n)));
		expect(asked).toEqual([32]);
		expect(() => newRegistrationToken(() => Buffer.alloc(16))).toThrow(/not enough random bytes/);
	});

	it('authenticateRequest: secretHash next to the shared-secret path, which stays as it is', () => {
		const hashed = { secret: '', secretHash: registrationTokenHash('tok-0123456789'), label: 'registration:1', methods: ['bearer' as const] };
		const shared = { secret: 'shared-secret-0123456789', label: 'shared', methods: ['bearer' as const, 'basic' as const, 'header' as const], headerName: 'x-brevo-secret' };
		expect(authenticateRequest(bearer('tok-0123456789'), [shared, hashed])).toEqual({ ok: true, method: 'bearer', label: 'registration:1' });
		expect(authenticateRequest(bearer('shared-secret-0123456789'), [shared, hashed])).toEqual({ ok: true, method: 'bearer', label: 'shared' });
		expect(authenticateRequest({ 'x-brevo-secret': 'shared-secret-0123456789' }, [shared, hashed])).toMatchObject({ ok: true, method: 'header' });
		expect(authenticateRequest(bearer(hashed.secretHash), [hashed])).toEqual({ ok: false, reason: 'wrong_credentials' });
		// An unusable hash is like no secret at all (and never matches an empty secret).
		expect(authenticateRequest(bearer(''), [{ ...hashed, secretHash: 'nope' }])).toEqual({ ok: false, reason: 'no_secret_configured' });
	});
});

describe('migration from static data with the token in clear (an earlier version)', () => {
	const LEGACY = 'legacy-token-in-clear-0123456789abcdef';

	async function legacySetup() {
		// What the previous version left: Brevo holds the webhook with its token, static data the token in clear.
		// The harness seeds static data only at start: find a free port, then start the trigger on it with that data.
		const base = await trigger({ event: 'new_subscriber' }, { webhookId: WEBHOOK_ID });
		const { url, origin } = base;
		await base.close();
		servers.splice(servers.indexOf(base), 1);
		const { id } = brevo.addWebhook({ url, events: ['listAddition'], type: 'marketing', auth: { type: 'bearer', token: LEGACY } });
		const staticData = { [NODE]: { registrations: [{ type: 'marketing', webhookId: id, token: LEGACY, events: ['listAddition'], url }] } };
		const hook = await trigger({ event: 'new_subscriber' }, { webhookId: WEBHOOK_ID, staticData, port: Number(new URL(origin).port) });
		expect(hook.url).toBe(url);
		return { hook, id };
	}

	it('until the next activation the clear token is still accepted (running workflows do not break)', async () => {
		const { hook, id } = await legacySetup();
		const r = await brevo.deliverWebhook(id, brevo.buildEvent('list_addition', { email: 'still@x.io' }), { retry: false });
		expect(r.status).toBe(200);
		expect(hook.deliveries[0].emitted).toEqual([expect.objectContaining({ contact: { email: 'still@x.io' } })]);
		expect((await hook.send(brevo.buildEvent('list_addition'), { headers: bearer('wrong') })).status).toBe(401);
	});

	it('the next activation (checkExists) rotates the token in Brevo and stores only its hash; the old token is refused', async () => {
		const { hook, id } = await legacySetup();
		const calls = await hook.hooks.activate();
		expect(calls.map((c) => [c.method, c.result])).toEqual([['checkExists', true]]);
		expect(ourHooks(hook.url).map((w) => w.id)).toEqual([id]);
		const token = tokenOf(id);
		expect(token).not.toBe(LEGACY);
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(brevo.requests({ method: 'PUT' }).map((r) => r.path)).toEqual([`/v3/webhooks/${id}`]);
		expect(registrations(hook)).toEqual([{ type: 'marketing', webhookId: id, tokenHash: registrationTokenHash(token), events: ['listAddition'], url: hook.url }]);
		const stored = JSON.stringify(hook.staticData);
		expect(stored).not.toContain(LEGACY);
		expect(stored).not.toContain(token);
		expect(hook.hooks.calls[0].logs.join('\n')).not.toContain(token);

		expect((await hook.send(brevo.buildEvent('list_addition', { email: 'old@x.io' }), { headers: bearer(LEGACY) })).status).toBe(401);
		const r = await brevo.deliverWebhook(id, brevo.buildEvent('list_addition', { email: 'new@x.io' }), { retry: false });
		expect(r.status).toBe(200);
		expect(hook.deliveries[hook.deliveries.length - 1].emitted).toEqual([expect.objectContaining({ contact: { email: 'new@x.io' } })]);

		// Migrated once: the activation after that changes nothing.
		const before = JSON.stringify(hook.staticData);
		await hook.hooks.activate();
		expect(brevo.requests({ method: 'PUT' })).toHaveLength(1);
		expect(JSON.stringify(hook.staticData)).toBe(before);
	});

	it('deactivation of a not yet migrated trigger still removes its webhook', async () => {
		const { hook, id } = await legacySetup();
		const fresh = triggerHooks(BrevoEventTrigger, {
			parameters: { event: 'new_subscriber' },
			credentials: creds(),
			webhookBaseUrl: `${hook.origin}/webhook`,
			webhookId: WEBHOOK_ID,
			staticData: hook.staticData,
		});
		await fresh.deactivate();
		expect(brevo.webhooks().find((w) => w.id === id)).toBeUndefined();
		expect(registrations(fresh)).toBeUndefined();
	});
});
