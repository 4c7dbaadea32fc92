import { processSlackRequest, type PipelineSettings } from '../../nodes/SlackInteractionTrigger/pipeline';
import { compileFilters } from '../../nodes/shared/slack/filters';
import { computeSlackSignature } from '../../nodes/shared/slack/signature';
import { appMentionEvent, blockActionsPayload, eventEnvelope, form, interactionBody, slashCommandFields, viewSubmissionPayload } from './payloads';

const SECRET = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);

function settings(over: Partial<PipelineSettings> = {}): PipelineSettings {
	const compiled = compileFilters({});
	if (!compiled.ok) throw new Error(compiled.message);
	return { signingSecret: SECRET, maxBodyBytes: 64 * 1024, filters: compiled.filters, dedup: { enabled: true, ttlMs: 3_600_000, max: 100 }, modalAnswer: 'onReceived', includeRaw: true, ...over };
}

function request(body: string, contentType = 'application/x-www-form-urlencoded', extra: Record<string, string> = {}) {
	const ts = Math.floor(NOW / 1000);
	return {
		rawBody: Buffer.from(body),
		headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': computeSlackSignature(SECRET, ts, body), ...extra },
	};
}

describe('processSlackRequest', () => {
	it('starts with an immediate empty 200 answer for a click', () => {
		const out = processSlackRequest(request(interactionBody(blockActionsPayload())), settings(), {}, NOW);
		expect(out).toMatchObject({ kind: 'start', answer: { status: 200, headers: {} }, dedupKey: expect.stringMatching(/^h:/) });
	});

	it('leaves a view_submission answer to the workflow in lastNode mode, but not a click', () => {
		const s = settings({ modalAnswer: 'lastNode' });
		expect(processSlackRequest(request(interactionBody(viewSubmissionPayload())), s, {}, NOW)).toMatchObject({ kind: 'start', answer: null });
		expect(processSlackRequest(request(interactionBody(blockActionsPayload())), s, {}, NOW)).toMatchObject({ kind: 'start', answer: { status: 200 } });
	});

	it('answers a slash command with the configured ephemeral text', () => {
		const out = processSlackRequest(request(form(slashCommandFields())), settings({ commandAck: 'On it' }), {}, NOW);
		expect(out.kind === 'start' && out.answer?.body && JSON.parse(out.answer.body)).toEqual({ response_type: 'ephemeral', text: 'On it' });
	});

	it('refuses an oversized body before checking its signature (also by declared Content-Length)', () => {
		const body = interactionBody(blockActionsPayload());
		const small = settings({ maxBodyBytes: 100 });
		expect(processSlackRequest(request(body), small, {}, NOW)).toMatchObject({ kind: 'answer', reason: 'body_too_large', answer: { status: 413 } });
		const declared = request('payload=%7B%7D', undefined, { 'content-length': '999999' });
		expect(processSlackRequest(declared, settings(), {}, NOW)).toMatchObject({ kind: 'answer', reason: 'body_too_large' });
	});

	it('acknowledges app_rate_limited notices without starting, and logs a warning', () => {
		const out = processSlackRequest(request('{"token":"x","type":"app_rate_limited","team_id":"T1","minute_rate_limited":1518467820,"api_app_id":"A1"}', 'application/json'), settings(), {}, NOW);
		expect(out).toMatchObject({ kind: 'answer', reason: 'app_rate_limited', answer: { status: 200 }, log: { level: 'warn' } });
	});

	it('answers a signed ssl_check with an empty 200 and starts nothing', () => {
		expect(processSlackRequest(request('ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO'), settings(), {}, NOW)).toMatchObject({ kind: 'answer', reason: 'ssl_check', answer: { status: 200 } });
	});

	it('drops the raw payload when asked', () => {
		const out = processSlackRequest(request(interactionBody(blockActionsPayload())), settings({ includeRaw: false }), {}, NOW);
		expect(out.kind === 'start' && out.item.raw).toEqual({});
	});

	it('records deliveries in the given store and reports the second one as a duplicate', () => {
		const store = {};
		const req = request(interactionBody(blockActionsPayload()));
		expect(processSlackRequest(req, settings(), store, NOW).kind).toBe('start');
		expect(processSlackRequest(req, settings(), store, NOW + 1000)).toMatchObject({ kind: 'answer', reason: 'duplicate', answer: { status: 200 } });
		const saved = JSON.parse(JSON.stringify(store)) as { deliveryKeys: Record<string, number> };
		expect(Object.values(saved.deliveryKeys)).toEqual([NOW]);
		expect(Object.keys(saved.deliveryKeys)[0]).toMatch(/^h:[A-Za-z0-9_-]{22}$/);
	});

	it('drops a Slack retry for http_timeout even when the store lost its key (the first attempt reached n8n)', () => {
		const body = JSON.stringify(eventEnvelope(appMentionEvent(), { event_id: 'EvTIMEOUT1' }));
		const retry = (reason: string) => request(body, 'application/json', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': reason });
		const out = processSlackRequest(retry('http_timeout'), settings(), {}, NOW);
		expect(out).toMatchObject({ kind: 'answer', reason: 'duplicate', answer: { status: 200 } });
		expect(out.log.message).toContain('EvTIMEOUT1 it had already received (Slack retry 1, http_timeout)');
		// Other reasons may mean the first attempt started nothing: only the remembered keys decide.
		const store = {};
		expect(processSlackRequest(retry('http_error'), settings(), store, NOW).kind).toBe('start');
		expect(processSlackRequest(retry('connection_failed'), settings(), store, NOW + 1)).toMatchObject({ kind: 'answer', reason: 'duplicate' });
		// With duplicate detection off, nothing is dropped.
		const off = settings({ dedup: { enabled: false, ttlMs: 3_600_000, max: 100 } });
		expect(processSlackRequest(retry('http_timeout'), off, {}, NOW).kind).toBe('start');
	});

	it('never starts on a refusal and never echoes the secret', () => {
		const req = request(interactionBody(blockActionsPayload()));
		req.headers['x-slack-signature'] = computeSlackSignature('another-secret-that-is-long', Math.floor(NOW / 1000), req.rawBody);
		const out = processSlackRequest(req, settings(), {}, NOW);
		expect(out).toMatchObject({ kind: 'answer', reason: 'signature_mismatch', answer: { status: 401, headers: { 'x-slack-no-retry': '1' } } });
		expect(JSON.stringify(out)).not.toContain(SECRET);
	});
});
