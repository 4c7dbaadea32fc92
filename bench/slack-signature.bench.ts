/**
 * Per-request cost of the Slack Interaction Trigger's request handling, in-process, for a typical block_actions
 * delivery (form body `payload=<json>` of a click on a message with a dozen blocks):
 *   - signature verification alone,
 *   - verification + parsing + normalisation (+ filters) = the trigger's whole pure pipeline,
 *   - the same with duplicate detection on a full memory (500 remembered deliveries),
 * beside bolt-js's `verifySlackRequest` when @slack/bolt is installed (the baseline the issue asks for).
 * Run: `npm run bench slack-signature` or `node -r ts-node/register/transpile-only bench/slack-signature.bench.ts`.
 */
import { blockActionsPayload } from '../test/slack-trigger/payloads';
import { processSlackRequest, type PipelineSettings } from '../nodes/SlackInteractionTrigger/pipeline';
import { compileFilters } from '../nodes/shared/slack/filters';
import { computeSlackSignature, verifySlackSignature } from '../nodes/shared/slack/signature';
import { forget, rememberedCount } from '../nodes/shared/dedup';
import { normalizeSlackRequest, parseSlackRequest } from '../nodes/shared/slack/interaction';

interface BenchResult {
	name: string;
	rows: Array<Record<string, string | number | boolean | null>>;
	notes?: string[];
}

const SECRET = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** A click on a notification with a realistic amount of Block Kit (about 5 KB of JSON once form-encoded). */
function typicalBody(): string {
	const payload = blockActionsPayload();
	const blocks = payload.message.blocks as unknown[];
	for (let i = 0; i < 10; i++) {
		blocks.push({
			type: 'section',
			block_id: `field_${i}`,
			fields: [
				{ type: 'mrkdwn', text: `*Customer*\nada.lovelace+${i}@example.com` },
				{ type: 'mrkdwn', text: `*Order value*\n€${(120 + i * 17.5).toFixed(2)}` },
			],
		});
	}
	return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

type BoltVerifier = (o: {
	signingSecret: string;
	body: string;
	headers: { 'x-slack-signature': string; 'x-slack-request-timestamp': number };
	nowMilliseconds?: number;
}) => void;

function loadBoltVerifier(): BoltVerifier | null {
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const bolt = require('@slack/bolt') as { verifySlackRequest?: BoltVerifier };
		return typeof bolt.verifySlackRequest === 'function' ? bolt.verifySlackRequest : null;
	} catch {
		return null;
	}
}

/** Median per-operation time over several batches, after a warm-up. */
function measure(fn: () => void, iterations: number, batches = 7): { usPerOp: number; opsPerSec: number } {
	for (let i = 0; i < Math.min(2000, iterations); i++) fn();
	const perOp: number[] = [];
	for (let b = 0; b < batches; b++) {
		const start = process.hrtime.bigint();
		for (let i = 0; i < iterations; i++) fn();
		perOp.push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
	}
	perOp.sort((x, y) => x - y);
	const usPerOp = perOp[Math.floor(perOp.length / 2)];
	return { usPerOp, opsPerSec: 1e6 / usPerOp };
}

export async function run(options: { quick: boolean } = { quick: false }): Promise<BenchResult[]> {
	const iterations = options.quick ? 2000 : 20000;
	const body = typicalBody();
	const raw = Buffer.from(body);
	const nowMs = Date.now();
	const ts = Math.floor(nowMs / 1000);
	const signature = computeSlackSignature(SECRET, ts, raw);
	const headers = {
		'content-type': 'application/x-www-form-urlencoded',
		'content-length': String(raw.length),
		'x-slack-request-timestamp': String(ts),
		'x-slack-signature': signature,
	};
	const compiled = compileFilters({ payloadTypes: ['block_actions'], actionIds: ['/^mark_/'] });
	if (!compiled.ok) throw new Error(compiled.message);
	const settings = (dedup: boolean): PipelineSettings => ({
		signingSecret: SECRET,
		maxBodyBytes: 1024 * 1024,
		filters: compiled.filters,
		dedup: { enabled: dedup, ttlMs: 3_600_000, max: 500 },
		modalAnswer: 'onReceived',
		includeRaw: true,
	});

	// Sanity: every measured path must accept the request, or the numbers mean nothing.
	const check = processSlackRequest({ rawBody: raw, headers }, settings(false), {}, nowMs);
	if (check.kind !== 'start' || check.item.action?.action_id !== 'mark_vip') throw new Error('bench: the pipeline refused the typical request');

	const rows: BenchResult['rows'] = [];
	const add = (step: string, implementation: string, m: { usPerOp: number; opsPerSec: number }) =>
		rows.push({ step, implementation, 'µs/request': Number(m.usPerOp.toFixed(2)), 'requests/s': Math.round(m.opsPerSec) });

	add('verify signature', 'this package (verifySlackSignature)', measure(() => {
		const r = verifySlackSignature({ signingSecret: SECRET, rawBody: raw, timestamp: headers['x-slack-request-timestamp'], signature, nowMs });
		if (!r.ok) throw new Error(r.reason);
	}, iterations));

	const bolt = loadBoltVerifier();
	if (bolt) {
		add('verify signature', '@slack/bolt verifySlackRequest (baseline)', measure(() => {
			bolt({ signingSecret: SECRET, body, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts }, nowMilliseconds: nowMs });
		}, iterations));
	}

	add('parse + normalise', 'this package', measure(() => {
		const parsed = parseSlackRequest(raw, headers['content-type']);
		if (!normalizeSlackRequest(parsed, { receivedAtMs: nowMs })) throw new Error('bench: not normalised');
	}, iterations));

	add('verify + parse + normalise + filters', 'this package (processSlackRequest)', measure(() => {
		const r = processSlackRequest({ rawBody: raw, headers }, settings(false), {}, nowMs);
		if (r.kind !== 'start') throw new Error('bench: refused');
	}, iterations));

	// A full duplicate memory: 500 remembered deliveries, as a busy workflow's static data holds them. Each measured
	// request is a new delivery (recorded, the oldest evicted); its key is then forgotten so the next round of the
	// same body is new again.
	const store: Record<string, unknown> = {};
	const keys: Record<string, number> = {};
	for (let i = 0; i < 500; i++) keys[`h:seed${String(i).padStart(18, '0')}`] = nowMs - 1000 - i;
	store.deliveryKeys = keys;
	let t = nowMs;
	add('verify + parse + normalise + filters + duplicate check (500 remembered)', 'this package', measure(() => {
		const r = processSlackRequest({ rawBody: raw, headers }, settings(true), store, ++t);
		if (r.kind !== 'start' || !r.dedupKey) throw new Error('bench: not recorded as a new delivery');
		forget(store, r.dedupKey);
	}, iterations));
	if (rememberedCount(store) > 500) throw new Error('bench: the duplicate memory grew past its bound');

	const notes = [
		`Body: a block_actions click, ${raw.length} bytes form-encoded; Node ${process.version}; median of 7 batches of ${iterations} requests, one core.`,
		'Single-threaded, in-process, no HTTP: the cost n8n adds (Express, body reading, execution start) is not included.',
		bolt
			? 'Baseline: @slack/bolt verifySlackRequest over the same body string.'
			: 'Baseline missing: @slack/bolt is not installed (ask for it as a devDependency); this bench picks up its verifySlackRequest export when present.',
	];
	return [{ name: 'Slack Interaction Trigger: request verification and normalisation', rows, notes }];
}

if (require.main === module) {
	void run({ quick: process.argv.includes('--quick') }).then((results) => {
		for (const r of results) {
			console.log(`\n## ${r.name}`);
			console.table(r.rows);
			for (const n of r.notes ?? []) console.log(`- ${n}`);
		}
	});
}
