/**
 * The Brevo Event Trigger's request pipeline as a pure function (no n8n, no HTTP): authentication before anything
 * is read, parsing, normalisation, filters, duplicates and the threshold, with Brevo's own payload shapes
 * (test/emulators/brevo/payloads.ts).
 */
import { DEDUP_MAX_KEYS, processBrevoDelivery, type BrevoTriggerSettings, type StoredRegistration } from '../../nodes/BrevoEventTrigger/pipeline';
import { registrationTokenHash } from '../../nodes/shared/brevo/auth';
import { buildEvent } from '../emulators/brevo/payloads';

const TOKEN = 'b'.repeat(48);
const SECRET = 'shared-secret-0123456789abcdef';
const registration: StoredRegistration = {
	type: 'marketing',
	webhookId: 7,
	tokenHash: registrationTokenHash(TOKEN),
	events: ['listAddition', 'unsubscribed'],
	url: 'http://n8n/webhook/x',
};

function settings(over: Partial<BrevoTriggerSettings> = {}): BrevoTriggerSettings {
	return {
		event: 'new_subscriber',
		registrations: [registration],
		sharedSecret: '',
		authHeaderName: 'x-brevo-secret',
		dedupe: true,
		ignoredKeys: [],
		listIds: [],
		threshold: { minimum: 0 },
		routeBelow: false,
		...over,
	};
}
const json = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ ...json, authorization: `Bearer ${token}` });
const now = new Date('2026-12-03T10:00:00Z');

describe('processBrevoDelivery', () => {
	it('refuses a call without our bearer token before reading the body', () => {
		const body = { get event(): string { throw new Error('the body was read'); } };
		for (const headers of [json, bearer('not-the-token'), bearer('')]) {
			const out = processBrevoDelivery({ headers, body }, settings(), {}, now);
			expect(out).toMatchObject({ kind: 'refuse', status: 401 });
		}
	});

	it('accepts a registered webhook call and emits the canonical event, once', () => {
		const store = {};
		const event = buildEvent('list_addition', { email: 'new@x.io', listIds: [3] });
		const first = processBrevoDelivery({ headers: bearer(TOKEN), body: event }, settings(), store, now);
		expect(first.kind).toBe('accept');
		if (first.kind !== 'accept') return;
		expect(first.counts).toMatchObject({ received: 1, emitted: 1, duplicates: 0 });
		expect(first.outputs?.events[0]).toMatchObject({ event: 'new_subscriber', contact: { email: 'new@x.io' }, lists: [3] });
		const again = processBrevoDelivery({ headers: bearer(TOKEN), body: event }, settings(), store, now);
		expect(again).toMatchObject({ kind: 'accept', counts: { emitted: 0, duplicates: 1 } });
		expect(again.kind === 'accept' && again.outputs).toBeFalsy();
	});

	it('checks the bearer token against the stored hash; a legacy registration with the token in clear is still accepted', () => {
		const event = buildEvent('list_addition', { email: 'h@x.io', listIds: [3] });
		// The hash itself is not a token: presenting it is refused.
		expect(processBrevoDelivery({ headers: bearer(registration.tokenHash!), body: event }, settings(), {}, now)).toMatchObject({ kind: 'refuse', status: 401 });
		const legacy: StoredRegistration = { type: 'marketing', webhookId: 8, token: 'legacy-token-0123456789', events: ['listAddition'], url: 'http://n8n/webhook/x' };
		const s = settings({ registrations: [registration, legacy] });
		expect(processBrevoDelivery({ headers: bearer('legacy-token-0123456789'), body: event }, s, {}, now)).toMatchObject({ kind: 'accept', counts: { emitted: 1 } });
		expect(processBrevoDelivery({ headers: bearer(TOKEN), body: buildEvent('list_addition', { email: 'i@x.io' }) }, s, {}, now)).toMatchObject({ kind: 'accept', counts: { emitted: 1 } });
		expect(processBrevoDelivery({ headers: bearer('legacy-token-012345678'), body: event }, s, {}, now)).toMatchObject({ kind: 'refuse', status: 401 });
		// A stored hash that is not a SHA-256 hex digest matches nothing (not even a token equal to it).
		const broken = settings({ registrations: [{ ...registration, tokenHash: 'abc' }] });
		expect(processBrevoDelivery({ headers: bearer('abc'), body: event }, broken, {}, now)).toMatchObject({ kind: 'refuse', status: 401 });
	});

	it('filters new subscribers by list', () => {
		const out = processBrevoDelivery({ headers: bearer(TOKEN), body: buildEvent('list_addition', { email: 'a@x.io', listIds: [3] }) }, settings({ listIds: [9] }), {}, now);
		expect(out).toMatchObject({ kind: 'accept', counts: { filtered: 1, emitted: 0 } });
	});

	it('takes a shared secret for automation calls, parses a body sent without a JSON content type, and routes small orders', () => {
		const order = buildEvent('order', { orderId: 'o-1', amount: 20 });
		const raw = Buffer.from(JSON.stringify(order));
		const s = settings({ event: 'order_placed', registrations: [], sharedSecret: SECRET, threshold: { minimum: 500 }, routeBelow: true });
		const out = processBrevoDelivery({ headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'text/plain' }, body: {}, rawBody: raw }, s, {}, now);
		expect(out.kind).toBe('accept');
		if (out.kind !== 'accept') return;
		expect(out.counts).toMatchObject({ belowThreshold: 1, emitted: 0 });
		expect(out.outputs?.below?.[0]).toMatchObject({ belowThreshold: { minimum: 500 } });
	});

	it('refuses unparseable bodies with 400 and names why', () => {
		const s = settings({ event: 'order_placed', registrations: [], sharedSecret: SECRET });
		const out = processBrevoDelivery({ headers: { authorization: `Bearer ${SECRET}` }, body: {}, rawBody: Buffer.from('not json') }, s, {}, now);
		expect(out).toMatchObject({ kind: 'refuse', status: 400, message: expect.stringMatching(/Not a Brevo event/) });
	});

	it('remembers a batch as one key and drops its retry whole', () => {
		const store: Record<string, unknown> = {};
		const batch = [buildEvent('list_addition', { email: 'b1@x.io' }), buildEvent('list_addition', { email: 'b2@x.io' })];
		const first = processBrevoDelivery({ headers: bearer(TOKEN), body: batch }, settings(), store, now);
		expect(first).toMatchObject({ kind: 'accept', counts: { emitted: 2 } });
		const retry = processBrevoDelivery({ headers: bearer(TOKEN), body: batch }, settings(), store, now);
		expect(retry).toMatchObject({ kind: 'accept', counts: { duplicates: 2, emitted: 0 } });
		expect(JSON.stringify(store).length).toBeLessThan(DEDUP_MAX_KEYS * 60);
	});
});
