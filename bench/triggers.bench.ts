/**
 * Triggers under load (issue 17), in a real n8n 2.40.7 (regular mode, SQLite) with the packed package, started by
 * the machinery the e2e suite uses (scripts/lib/stack.ts). Three published workflows, each trigger -> No-Op:
 *   - n8n's own Webhook node (POST, answers on receipt): the anchor every figure is compared with;
 *   - the Slack Interaction Trigger, driven by signed Events API requests (event_callback, app_mention);
 *   - the Brevo Event Trigger (order_placed, automation "call a webhook" authenticated by the shared secret).
 * Per target: a burst of distinct deliveries with 50 in flight; then a share of the accepted ones delivered again
 * as the services retry them (Slack: same body, re-signed, `X-Slack-Retry-Num: 1` and `X-Slack-Retry-Reason`
 * http_timeout, plus a part with http_error, which only the duplicate memory can catch; Brevo: the same event
 * again). Reported: p50/p95/p99 time to the answer, answers over 3 s (Slack's window), non-2xx answers, n8n's CPU
 * per request (from /proc, executions included), executions per delivery counted with n8n's REST executions API,
 * lost (accepted but never run) and duplicated (runs beyond one per delivery). Ratios are to the Webhook node
 * measured in the same run.
 * Run: `npm run bench triggers` (add `--quick` for bursts of 100; BENCH_SKIP_BUILD=1 reuses dist/).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CACHE_DIR, Phases, type N8nClient } from '../scripts/lib/n8n-runtime';
import { startStack, CREDENTIAL_IDS, type Stack } from '../scripts/lib/stack';
import { buildEvent } from '../test/emulators/brevo/payloads';

interface BenchResult {
	name: string;
	rows: Array<Record<string, string | number | boolean | null>>;
	notes?: string[];
}

const IN_FLIGHT = 50;
/** Deliveries per target per round (targets take turns). */
const ROUND = 100;
const RETRY_SHARE = 0.2;
const SLACK_WINDOW_MS = 3000;
const TIMEOUT_MS = 120_000;

interface Delivery {
	body: string;
	headers: () => Record<string, string>;
}

interface Target {
	label: string;
	workflowId: string;
	url: string;
	/** delivery i of the burst (distinct) */
	make(i: number): Delivery;
	/** the same delivery as the service retries it (none for the anchor, which has no duplicate memory) */
	retry?(d: Delivery, i: number): Delivery;
	retryNote?: string;
}

interface Answer {
	ms: number;
	status: number;
}

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** utime + stime of a process in ms (Linux /proc; clock ticks are 100 Hz on Linux). */
function cpuMs(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function send(url: string, d: Delivery): Promise<Answer> {
	const started = performance.now();
	try {
		const response = await fetch(url, { method: 'POST', body: d.body, headers: d.headers(), signal: AbortSignal.timeout(TIMEOUT_MS) });
		await response.arrayBuffer();
		return { ms: performance.now() - started, status: response.status };
	} catch {
		return { ms: performance.now() - started, status: 0 };
	}
}

/** Sends every delivery with at most `inFlight` outstanding. */
async function burst(url: string, deliveries: Delivery[], inFlight: number): Promise<Answer[]> {
	const answers: Answer[] = new Array(deliveries.length);
	let next = 0;
	const worker = async () => {
		for (;;) {
			const i = next++;
			if (i >= deliveries.length) return;
			answers[i] = await send(url, deliveries[i]);
		}
	};
	await Promise.all(Array.from({ length: Math.min(inFlight, deliveries.length) }, worker));
	return answers;
}

/** n8n's REST API, again while it answers 503 (its database ping timed out on a starved machine). */
async function rest<T>(client: N8nClient, path: string): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await client.request<T>('GET', path);
		} catch (error) {
			if ((error as { status?: number }).status !== 503 || attempt >= 120) throw error;
			await new Promise((r) => setTimeout(r, 1000));
		}
	}
}

async function executionCount(client: N8nClient, workflowId: string): Promise<{ total: number; running: number }> {
	const query = (filter: object) => `/rest/executions?${new URLSearchParams({ filter: JSON.stringify(filter), limit: '1' })}`;
	const all = await rest<{ count: number }>(client, query({ workflowId }));
	const running = await rest<{ count: number }>(client, query({ workflowId, status: ['running', 'new'] }));
	return { total: all.count, running: running.count };
}

/** Waits until the workflow has at least `expected` executions and none running, or nothing changed for 15 s. */
async function settle(client: N8nClient, workflowId: string, expected: number): Promise<number> {
	let last = -1;
	let stableSince = Date.now();
	for (;;) {
		const { total, running } = await executionCount(client, workflowId);
		if (total >= expected && running === 0) {
			// give late starters (a duplicate would start after its answer) a moment to show up
			await new Promise((r) => setTimeout(r, 3000));
			const again = await executionCount(client, workflowId);
			if (again.total === total && again.running === 0) return total;
		}
		if (total !== last) {
			last = total;
			stableSince = Date.now();
		} else if (running === 0 && Date.now() - stableSince > 15_000) {
			return total;
		}
		await new Promise((r) => setTimeout(r, 1000));
	}
}

/**
 * BENCH_CPU_PROF=1: a V8 CPU profile of the real n8n process during one target's burst, through the inspector that
 * SIGUSR1 opens (127.0.0.1:9229), recorded by a small client run on the runtime's Node 24 (global WebSocket).
 * Returns a stop function that writes `<file>` (open it in Chrome DevTools or speedscope).
 */
async function startCpuProfile(stack: Stack, file: string): Promise<() => Promise<void>> {
	process.kill(stack.n8n.pid!, 'SIGUSR1');
	let wsUrl: string | undefined;
	for (let i = 0; i < 50 && !wsUrl; i++) {
		await new Promise((r) => setTimeout(r, 200));
		wsUrl = await fetch('http://127.0.0.1:9229/json/list')
			.then((r) => r.json() as Promise<Array<{ webSocketDebuggerUrl: string }>>)
			.then((list) => list[0]?.webSocketDebuggerUrl)
			.catch(() => undefined);
	}
	if (!wsUrl) throw new Error('the n8n inspector did not open on 127.0.0.1:9229');
	const client = `
		const ws = new WebSocket(process.argv[1]); let id = 0; const waiting = new Map();
		const call = (method, params) => new Promise((resolve) => { const n = ++id; waiting.set(n, resolve); ws.send(JSON.stringify({ id: n, method, params })); });
		ws.onmessage = (m) => { const msg = JSON.parse(m.data); if (msg.id && waiting.has(msg.id)) { waiting.get(msg.id)(msg.result); waiting.delete(msg.id); } };
		ws.onopen = async () => {
			await call('Profiler.enable'); await call('Profiler.setSamplingInterval', { interval: 500 }); await call('Profiler.start');
			process.stdout.write('started\\n');
			process.stdin.once('data', async () => { const { profile } = await call('Profiler.stop'); require('node:fs').writeFileSync(process.argv[2], JSON.stringify(profile)); ws.close(); process.exit(0); });
		};`;
	const { spawn } = await import('node:child_process');
	const child = spawn(stack.runtime.node, ['-e', client, wsUrl, file], { stdio: ['pipe', 'pipe', 'inherit'] });
	await new Promise<void>((resolve, reject) => {
		child.stdout.once('data', () => resolve());
		child.once('exit', (code) => reject(new Error(`profiler client exited with ${code}`)));
	});
	return async () => {
		const exited = new Promise((r) => child.once('exit', r));
		child.stdin.write('stop\n');
		await exited;
	};
}

function noOp(): Record<string, unknown> {
	return { id: randomUUID(), name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} };
}

async function publish(stack: Stack, name: string, trigger: Record<string, unknown>): Promise<{ id: string; url: string }> {
	const created = await stack.client.createWorkflow({
		name,
		nodes: [trigger, noOp()],
		connections: { [trigger.name as string]: { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
	});
	await stack.client.activateWorkflow(created.id);
	const path = (trigger.parameters as { path?: string }).path;
	const url = path ? `${stack.n8n.baseUrl}/webhook/${path}` : `${stack.n8n.baseUrl}/webhook/${trigger.webhookId as string}/${trigger.name === 'Slack' ? 'slack' : 'brevo'}`;
	return { id: created.id, url };
}

function slackHeaders(secret: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
	const ts = Math.floor(Date.now() / 1000);
	const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
	return { 'content-type': 'application/json', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature, ...extra };
}

async function targets(stack: Stack): Promise<Target[]> {
	const run = randomBytes(4).toString('hex');
	const anchor = await publish(stack, 'bench: Webhook node', {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: `bench-${run}`, responseMode: 'onReceived', options: {} },
	});
	// The same node at typeVersion 1: n8n 2.40 acquires an expression isolate for the webhook phase of every node
	// except the Webhook node v2+ with static parameters (LiveWebhooks.webhookPhaseNeedsIsolate), and with the default
	// engine (vm, pool of 1) each acquisition consumes a fresh isolate. v1 shows that cost alone, which every
	// community trigger pays too.
	const anchorV1 = await publish(stack, 'bench: Webhook node v1', {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: `bench-v1-${run}`, responseMode: 'onReceived', options: {} },
	});
	const slackId = randomUUID();
	const slack = await publish(stack, 'bench: Slack Interaction Trigger', {
		id: randomUUID(),
		name: 'Slack',
		type: `${stack.pkg.name}.slackInteractionTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: slackId,
		parameters: { options: {} },
		credentials: { slackBrevoSigningSecretApi: { id: CREDENTIAL_IDS.slackSigning, name: 'Slack signing secret (emulator)' } },
	});
	const brevoSecret = randomBytes(24).toString('hex');
	const brevo = await publish(stack, 'bench: Brevo Event Trigger', {
		id: randomUUID(),
		name: 'Brevo',
		type: `${stack.pkg.name}.brevoEventTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { event: 'order_placed', sharedSecret: brevoSecret, threshold: 0, belowThreshold: 'drop', options: {} },
	});
	const teamId = 'T0BENCH';
	const slackBody = (i: number) =>
		JSON.stringify({
			token: 'unused',
			type: 'event_callback',
			team_id: teamId,
			api_app_id: 'A0BENCH',
			event_id: `Ev${run.toUpperCase()}${i}`,
			event_time: Math.floor(Date.now() / 1000),
			event: { type: 'app_mention', user: 'U0BENCH01', text: `<@U0BOT> order ${i} needs a look`, ts: `1700000000.${String(i).padStart(6, '0')}`, channel: 'C0BENCH', event_ts: `1700000000.${String(i).padStart(6, '0')}` },
			authorizations: [{ team_id: teamId, user_id: 'U0BOT', is_bot: true }],
		});
	return [
		{
			label: 'n8n Webhook node (anchor)',
			workflowId: anchor.id,
			url: anchor.url,
			make: (i) => {
				const body = JSON.stringify({ order: i, run, note: 'anchor' });
				return { body, headers: () => ({ 'content-type': 'application/json' }) };
			},
		},
		{
			label: 'n8n Webhook node v1 (+ n8n\'s webhook-phase isolate)',
			workflowId: anchorV1.id,
			url: anchorV1.url,
			make: (i) => {
				const body = JSON.stringify({ order: i, run, note: 'anchor v1' });
				return { body, headers: () => ({ 'content-type': 'application/json' }) };
			},
		},
		{
			label: 'Slack Interaction Trigger',
			workflowId: slack.id,
			url: slack.url,
			make: (i) => {
				const body = slackBody(i);
				return { body, headers: () => slackHeaders(stack.signingSecret, body) };
			},
			// First half of the replays as http_timeout retries, the rest as http_error (checked against the memory).
			retry: (d, i) => ({
				body: d.body,
				headers: () => slackHeaders(stack.signingSecret, d.body, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': i % 2 === 0 ? 'http_timeout' : 'http_error' }),
			}),
			retryNote: 'Slack replays: every other one with X-Slack-Retry-Reason http_timeout, the others http_error',
		},
		{
			label: 'Brevo Event Trigger',
			workflowId: brevo.id,
			url: brevo.url,
			make: (i) => {
				const body = JSON.stringify(buildEvent('automation.order', { orderId: `bench-${run}-${i}`, email: `buyer${i}@bench.example`, amount: 100 + i }));
				return { body, headers: () => ({ 'content-type': 'application/json', 'x-brevo-secret': brevoSecret }) };
			},
			retry: (d) => d,
		},
	];
}

interface Measured {
	target: Target;
	answers: Answer[];
	cpuMs: number;
	executions: number;
	accepted: number;
	replayed: number;
	replayAnswers: Answer[];
	executionsAfterReplay: number;
}

/**
 * One round of one target: `count` new deliveries (indices from `offset`) with IN_FLIGHT outstanding, then wait for
 * their executions. Adds answers, CPU and executions to `m`.
 */
async function round(stack: Stack, m: Measured, deliveries: Delivery[], offset: number, count: number): Promise<void> {
	const pid = stack.n8n.pid!;
	const before = (await executionCount(stack.client, m.target.workflowId)).total;
	const profile = process.env.BENCH_CPU_PROF === '1' ? join(CACHE_DIR, 'bench', `triggers-${m.target.workflowId}-${offset}.cpuprofile`) : undefined;
	const stopProfile = profile ? await startCpuProfile(stack, profile) : undefined;
	const cpu0 = cpuMs(pid);
	const answers = await burst(m.target.url, deliveries.slice(offset, offset + count), IN_FLIGHT);
	const accepted = answers.filter((a) => a.status >= 200 && a.status < 300).length;
	const executions = (await settle(stack.client, m.target.workflowId, before + accepted)) - before;
	m.cpuMs += cpuMs(pid) - cpu0;
	if (stopProfile) {
		await stopProfile();
		console.log(`[bench triggers] CPU profile of ${m.target.label}: ${profile}`);
	}
	m.answers.push(...answers);
	m.accepted += accepted;
	m.executions += executions;
}

/** The replays: a share of the accepted deliveries sent again as the service retries them. */
async function replay(stack: Stack, m: Measured, deliveries: Delivery[]): Promise<void> {
	m.executionsAfterReplay = m.executions;
	if (!m.target.retry) return;
	const before = (await executionCount(stack.client, m.target.workflowId)).total;
	const acceptedIdx = m.answers.map((a, i) => (a.status >= 200 && a.status < 300 ? i : -1)).filter((i) => i >= 0);
	const step = Math.max(1, Math.round(1 / RETRY_SHARE));
	const picked = acceptedIdx.filter((_, k) => k % step === 0);
	m.replayed = picked.length;
	m.replayAnswers = await burst(m.target.url, picked.map((i, k) => m.target.retry!(deliveries[i], k)), IN_FLIGHT);
	// Nothing should start: wait until the count has been still for a while, then count what did.
	m.executionsAfterReplay = m.executions + ((await settle(stack.client, m.target.workflowId, before)) - before);
}

function row(m: Measured, anchor: Measured | undefined): Record<string, string | number | null> {
	const ms = m.answers.map((a) => a.ms).sort((a, b) => a - b);
	const anchorMs = anchor ? anchor.answers.map((a) => a.ms).sort((a, b) => a - b) : undefined;
	const ratio = (p: number) => (anchorMs ? Number((percentile(ms, p) / percentile(anchorMs, p)).toFixed(2)) : null);
	const duplicated = Math.max(0, m.executionsAfterReplay - m.accepted);
	return {
		target: m.target.label,
		requests: m.answers.length,
		'p50 ms': Math.round(percentile(ms, 50)),
		'p95 ms': Math.round(percentile(ms, 95)),
		'p99 ms': Math.round(percentile(ms, 99)),
		'p50 x anchor': ratio(50),
		'p99 x anchor': ratio(99),
		'over 3 s': m.answers.filter((a) => a.ms > SLACK_WINDOW_MS).length,
		'non-2xx': m.answers.length - m.accepted,
		'CPU ms/req': Number((m.cpuMs / m.answers.length).toFixed(1)),
		'CPU x anchor': anchor ? Number((m.cpuMs / m.answers.length / (anchor.cpuMs / anchor.answers.length)).toFixed(2)) : null,
		'executions/delivery': m.accepted ? Number((m.executions / m.accepted).toFixed(3)) : null,
		lost: Math.max(0, m.accepted - m.executions),
		replayed: m.target.retry ? m.replayed : 'n/a',
		duplicated: m.target.retry ? duplicated : 'n/a',
	};
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult> {
	const n = quick ? 100 : 500;
	const phases = new Phases('[bench triggers]');
	const stack = await startStack({
		workDir: join(CACHE_DIR, 'bench', `triggers-${process.pid}`),
		build: process.env.BENCH_SKIP_BUILD !== '1',
		examples: [],
		seedDemo: false,
		// n8n answers every request 503 "Database is not ready!" once a DB ping takes over 5 s, which a starved shared
		// machine causes under a burst; 60 s keeps that gate from deciding the measurement. BENCH_N8N_ENV=K=V,K=V adds more.
		extraEnv: {
			DB_PING_TIMEOUT_MS: '60000',
			...Object.fromEntries((process.env.BENCH_N8N_ENV ?? '').split(',').filter((kv) => kv.includes('=')).map((kv) => kv.split('=', 2) as [string, string])),
		},
		phases,
	});
	try {
		const list = await targets(stack);
		// Warm-up (not measured): the first requests compile code paths and fill n8n's caches.
		for (const t of list) await burst(t.url, Array.from({ length: 20 }, (_, i) => t.make(100_000 + i)), 10);
		for (const t of list) await settle(stack.client, t.workflowId, 20);
		// Rounds of ROUND deliveries per target, the targets taking turns (order rotated each round), so that a
		// change in the machine's background load falls on every target alike.
		const measured: Measured[] = list.map((target) => ({ target, answers: [], cpuMs: 0, executions: 0, accepted: 0, replayed: 0, replayAnswers: [], executionsAfterReplay: 0 }));
		const deliveries = list.map((t) => Array.from({ length: n }, (_, i) => t.make(i)));
		for (let offset = 0, r = 0; offset < n; offset += ROUND, r++) {
			for (let k = 0; k < list.length; k++) {
				const t = (k + r) % list.length;
				await round(stack, measured[t], deliveries[t], offset, Math.min(ROUND, n - offset));
			}
		}
		for (let t = 0; t < list.length; t++) await replay(stack, measured[t], deliveries[t]);
		const anchor = measured[0];
		const rows = measured.map((m) => row(m, m === anchor ? undefined : anchor));
		return {
			name: `Triggers under load: ${n} deliveries per target, ${IN_FLIGHT} in flight, then ${Math.round(RETRY_SHARE * 100)}% replayed as retries (real n8n ${stack.runtime.n8nVersion}, SQLite, regular mode)`,
			rows,
			notes: [
				'ack = time from sending to the end of n8n\'s answer, measured by the sender; CPU ms/req = n8n process CPU (user + system) from the start of the burst until its executions finished, divided by the requests',
				'executions counted with n8n\'s REST executions API; lost = accepted (2xx) deliveries without an execution; duplicated = executions beyond one per accepted delivery after the replays',
				...list.filter((t) => t.retryNote).map((t) => t.retryNote!),
				'the Webhook node has no duplicate memory, so it is not replayed; ratios are to the Webhook node v2 (the first row)',
				"n8n's DB ping timeout is 60 s here (DB_PING_TIMEOUT_MS): with the default 5 s a starved machine trips n8n's 503 'Database is not ready!' gate for every request",
			],
		};
	} finally {
		await stack.stop();
	}
}
