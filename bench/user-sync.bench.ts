/**
 * Slack -> Brevo user sync at 1,000 / 10,000 / 100,000 emulated users (5% bots, deleted or without email), beside
 * the naive path (one Brevo upsert per user, what a workflow of n8n's stock Slack "get many users" + Brevo
 * "create or update contact" nodes does).
 *
 * Both emulators run in a child process (so their 100k-user state does not count in this process's memory) at
 * one time scale S: Slack's users.list window (Tier 2, 20 per minute) lasts 60/S s, Brevo's windows likewise.
 * The sync runs with the package's client factories and transport (the node's code minus n8n parameter reading).
 *
 * Columns: Slack calls (users.list, incl. 429 answers), Brevo calls (all HTTP requests), wall time, the users.list
 * floor (the least time Slack's sliding window allows for that many pages: floor((pages-1)/20) windows) and the
 * ratio, peak heap growth during the run, the state's size, and the unchanged second run's Brevo writes.
 * The naive path is timed on a sample of upserts and extrapolated to every eligible user (marked "extrapolated").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

import { getBrevoClient, type BrevoClientOptions, type BrevoRequest } from '../nodes/shared/n8n/brevoClient';
import { getSlackClient, type SlackClientOptions } from '../nodes/shared/n8n/slackClient';
import { nodeContext } from '../test/harness';
import { realSleep } from '../test/support/sleep';
import { brevoSyncPort, newCounters, slackUsersPort } from '../nodes/BrevoForSlack/actions/transport';
import { DEFAULT_FILTERS } from '../nodes/shared/sync/filters';
import { DEFAULT_MAPPING, mapUser, type SlackUser } from '../nodes/shared/sync/mapping';
import { classifyUser } from '../nodes/shared/sync/filters';
import { runUserSync, type SyncResult } from '../nodes/shared/sync/userSync';
import type { BenchResult } from './run';

const ROOT = path.resolve(__dirname, '..');

/** Clients exactly as the node makes them: n8n-core's request helper with the package's credentials. */
async function slackClientFor(emu: Emulators, options: SlackClientOptions) {
	const ctx = nodeContext({ nodeName: 'brevoForSlack', credentials: { slackBrevoBotApi: { accessToken: emu.slack.botToken, baseUrl: emu.slack.apiUrl } } });
	return await getSlackClient(ctx, { sleep: realSleep, ...options });
}
async function brevoClientFor(emu: Emulators, options: BrevoClientOptions) {
	const ctx = nodeContext({ nodeName: 'brevoForSlack', credentials: { slackBrevoBrevoApi: { apiKey: emu.brevo.apiKey, baseUrl: emu.brevo.apiUrl } } });
	return await getBrevoClient(ctx, { sleep: realSleep, ...options });
}
/** Emulated time runs S times faster; USER_SYNC_BENCH_SCALE=4 checks the projection at a slower clock. */
const TIME_SCALE = Number(process.env.USER_SYNC_BENCH_SCALE) || 12; // 12: users.list window 5 s
const WINDOW_MS = 60_000 / TIME_SCALE;
const NAIVE_SAMPLE = 500;

interface Emulators {
	child: ChildProcess;
	slack: { url: string; apiUrl: string; botToken: string };
	brevo: { url: string; apiUrl: string; apiKey: string };
}

async function startEmulators(): Promise<Emulators> {
	const script = `
		const { startSlackEmulator } = require(${JSON.stringify(path.join(ROOT, 'test/emulators/slack'))});
		const { startBrevoEmulator } = require(${JSON.stringify(path.join(ROOT, 'test/emulators/brevo'))});
		(async () => {
			const slack = await startSlackEmulator({ timeScale: ${TIME_SCALE} });
			const brevo = await startBrevoEmulator({ timeScale: ${TIME_SCALE}, validate: false });
			process.stdout.write(JSON.stringify({ slack: { url: slack.url, apiUrl: slack.apiUrl, botToken: slack.botToken },
				brevo: { url: brevo.url, apiUrl: brevo.apiUrl, apiKey: brevo.apiKey } }) + '\\n');
		})().catch((e) => { console.error(e); process.exit(1); });
	`;
	const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const line = await new Promise<string>((resolve, reject) => {
		let buf = '';
		child.stdout!.on('data', (d: Buffer) => {
			buf += d.toString();
			const i = buf.indexOf('\n');
			if (i >= 0) resolve(buf.slice(0, i));
		});
		child.on('exit', (code) => reject(new Error(`emulators exited (${code})`)));
	});
	return { child, ...JSON.parse(line) };
}

async function admin(base: string, route: string, body: unknown = {}): Promise<any> {
	const r = await fetch(`${base}/_admin/${route}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (!r.ok) throw new Error(`${base}/_admin/${route}: HTTP ${r.status} ${await r.text()}`);
	return await r.json().catch(() => ({}));
}

function gcNow(): void {
	v8.setFlagsFromString('--expose-gc');
	(vm.runInNewContext('gc') as () => void)();
}

async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peakHeapMb: number; retainedMb: number }> {
	gcNow();
	const base = process.memoryUsage().heapUsed;
	let peak = base;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().heapUsed);
	}, 20);
	const started = performance.now();
	try {
		const value = await fn();
		const ms = performance.now() - started;
		peak = Math.max(peak, process.memoryUsage().heapUsed);
		gcNow();
		const retained = process.memoryUsage().heapUsed - base;
		return { value, ms, peakHeapMb: (peak - base) / 1e6, retainedMb: retained / 1e6 };
	} finally {
		clearInterval(timer);
	}
}

async function syncOnce(emu: Emulators, listId: number, state: unknown) {
	const counters = newCounters();
	const slack = await slackClientFor(emu, { onRateLimited: () => counters.slackRateLimited++, maxRateLimitWaitMs: 10 * 60_000 });
	const brevo = await brevoClientFor(emu, {
		onRequest: () => counters.brevo++,
		onRateLimited: () => counters.brevoRateLimited++,
		maxRateLimitWaitMs: 10 * 60_000,
	});
	const call = async <T>(request: BrevoRequest) => await brevo.request<T>(request);
	const writes: string[] = [];
	const polls = { n: 0 };
	const countingCall = async <T>(request: BrevoRequest): Promise<T> => {
		if (request.method !== 'GET') writes.push(`${request.method} ${request.path}`);
		if (request.method === 'GET' && request.path.startsWith('/processes/')) polls.n++;
		return await call<T>(request);
	};
	const run = runUserSync(slackUsersPort(slack, counters), brevoSyncPort(countingCall, async (url) => await (await fetch(url)).text()), state, {
		sleep: realSleep,
		mapping: [...DEFAULT_MAPPING],
		filters: { ...DEFAULT_FILTERS },
		listIds: [listId],
		defaultCountryCode: '1',
		createMissingAttributes: true,
		clearEmptyValues: false,
		dryRun: false,
		fullResync: false,
		perUserItems: false,
		// the emulator compresses time by S: poll on the same compressed clock the real API would be polled on
		pollDelaysMs: [1000, 2000, 4000, 8000].map((ms) => ms / TIME_SCALE),
	});
	return { run, counters, writes, polls };
}

/** One Brevo `POST /contacts` per user, sequentially (n8n runs a node's items one after another). */
async function naiveSample(emu: Emulators, listId: number, sample: number) {
	const slack = await slackClientFor(emu, { maxRateLimitWaitMs: 10 * 60_000 });
	let brevoCalls = 0;
	const brevo = await brevoClientFor(emu, { onRequest: () => brevoCalls++, maxRateLimitWaitMs: 10 * 60_000 });
	const contacts: Array<{ email: string; attributes: Record<string, unknown> }> = [];
	let cursor: string | undefined;
	let slackCalls = 0;
	while (contacts.length < sample) {
		slackCalls++;
		const r = (await slack.users.list({ limit: 200, ...(cursor ? { cursor } : {}) })) as unknown as {
			members: SlackUser[];
			response_metadata?: { next_cursor?: string };
		};
		for (const u of r.members) {
			if (classifyUser(u).action !== 'sync') continue;
			const m = mapUser(u, DEFAULT_MAPPING, { defaultCountryCode: '1' });
			contacts.push({ email: `naive-${m.email}`, attributes: m.attributes });
			if (contacts.length >= sample) break;
		}
		cursor = r.response_metadata?.next_cursor || undefined;
		if (!cursor) break;
	}
	const started = performance.now();
	for (const c of contacts) {
		await brevo.request({ method: 'POST', path: '/contacts', body: { ...c, listIds: [listId], updateEnabled: true } });
	}
	const ms = performance.now() - started;
	return { upserts: contacts.length, brevoCalls, ms, slackCalls };
}

export async function run(options: { quick: boolean }): Promise<BenchResult[]> {
	const only = Number(process.env.USER_SYNC_BENCH_SIZE) || 0;
	const sizes = only ? [only] : options.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
	const emu = await startEmulators();
	const rows: BenchResult['rows'] = [];
	const naiveRows: BenchResult['rows'] = [];
	try {
		for (const n of sizes) {
			await admin(emu.slack.url, 'reset');
			await admin(emu.brevo.url, 'reset');
			// 5% bots, deleted or without email
			const mix = { bots: Math.round(n * 0.02), deleted: Math.round(n * 0.02), noEmail: Math.round(n * 0.01) };
			await admin(emu.slack.url, 'seed', { generateUsers: { n, mix } });
			const seeded = await admin(emu.brevo.url, 'seed', { lists: [{ name: 'Slack workspace' }] });
			const listId = Number((seeded.lists ?? [])[0]?.id ?? (seeded.lists ?? [])[0] ?? 1);
			// let the rate windows of the previous size expire
			await new Promise((r) => setTimeout(r, WINDOW_MS + 200));

			const first = await syncOnce(emu, listId, undefined);
			const m1 = await measure(() => first.run);
			const r1 = m1.value as SyncResult;
			const pages = r1.summary.pages;
			const floorMs = Math.floor((pages - 1) / 20) * WINDOW_MS;
			const imports = r1.summary.imports.length;
			const polls = first.polls.n;
			await new Promise((r) => setTimeout(r, WINDOW_MS + 200));

			const second = await syncOnce(emu, listId, JSON.parse(JSON.stringify(r1.state)));
			const m2 = await measure(() => second.run);
			const r2 = m2.value as SyncResult;

			rows.push({
				users: n,
				eligible: r1.summary.counts.created + r1.summary.counts.updated + r1.summary.counts.failed,
				created: r1.summary.counts.created,
				failed: r1.summary.counts.failed,
				skipped: r1.summary.counts.skipped,
				slack_calls: first.counters.slack,
				slack_429: first.counters.slackRateLimited,
				pages,
				brevo_calls: first.counters.brevo,
				imports,
				process_polls: polls,
				brevo_other_calls: first.counters.brevo - imports - polls,
				wall_s: m1.ms / 1000,
				floor_s: floorMs / 1000,
				ratio_to_floor: floorMs > 0 ? m1.ms / floorMs : 'n/a (within burst)',
				overhead_s: (m1.ms - floorMs) / 1000,
				ratio_projected_real_time: floorMs > 0 ? (floorMs * TIME_SCALE + (m1.ms - floorMs)) / (floorMs * TIME_SCALE) : 'n/a',
				peak_heap_growth_mb: Math.round(m1.peakHeapMb * 10) / 10,
				retained_after_gc_mb: Math.round(m1.retainedMb * 10) / 10,
				state_kb: Math.round(r1.summary.state.bytes / 1024),
				rerun_unchanged: r2.summary.counts.unchanged,
				rerun_brevo_writes: second.writes.length,
				rerun_brevo_calls: second.counters.brevo,
				rerun_wall_s: m2.ms / 1000,
			});

			const sample = Math.min(NAIVE_SAMPLE, r1.summary.counts.created);
			await new Promise((r) => setTimeout(r, WINDOW_MS + 200));
			const naive = await naiveSample(emu, listId, sample);
			const eligible = r1.summary.counts.created;
			const perUpsertMs = naive.ms / Math.max(1, naive.upserts);
			const extrapolated = naive.upserts < eligible;
			const naiveMs = perUpsertMs * eligible + m1.ms; // + reading Slack, which the naive path needs as well
			naiveRows.push({
				users: n,
				// Computed, not counted: the naive path makes one POST /contacts per eligible user (its sample counts them).
				naive_brevo_calls_computed: eligible,
				naive_sample_brevo_calls_counted: naive.brevoCalls,
				sync_brevo_calls: first.counters.brevo,
				// computed: the computed naive call count over the sync's counted calls
				calls_ratio_computed: eligible / first.counters.brevo,
				naive_sample: naive.upserts,
				naive_ms_per_upsert: Math.round(perUpsertMs * 100) / 100,
				naive_wall_s: naiveMs / 1000,
				sync_wall_s: m1.ms / 1000,
				time_ratio: naiveMs / m1.ms,
				naive_timing: extrapolated ? `extrapolated from ${naive.upserts} upserts` : 'measured',
			});
		}
	} finally {
		emu.child.kill();
	}
	return [
		{
			name: `user sync: Slack users.list -> Brevo import (time scale ${TIME_SCALE}: a 60 s rate window lasts ${WINDOW_MS / 1000} s)`,
			rows,
			notes: [
				`floor = floor((pages - 1) / 20) x ${WINDOW_MS / 1000} s: the least time Slack\'s Tier 2 sliding window (20 users.list per minute) allows; ratio target <= 1.1`,
				'brevo_calls = 1 GET /contacts/attributes + attribute creations (first run) + 1 import per chunk of <= 5,000 contacts (under 8 MB) + GET /processes polls',
				'overhead_s = wall - floor: Retry-After is whole seconds (rounded up) and each window costs about one extra rounded wait, plus page processing and the last import; these do not shrink with the time scale, so ratio_projected_real_time = (floor x S + overhead) / (floor x S) is the ratio against real Slack minutes',
				'peak_heap_growth_mb: heapUsed peak (sampled every 20 ms, garbage included) minus the level after GC before the run; retained_after_gc_mb: what is still held after the run and a GC (the result and saved state); emulators run in a child process',
				'rerun: the same workspace again with the saved state: Brevo writes must be 0',
			],
		},
		{
			name: 'user sync vs the naive path (one POST /contacts per user, sequential)',
			rows: naiveRows,
			notes: [
				`naive timing: ${NAIVE_SAMPLE} upserts measured against the same emulator (Brevo /contacts: 10 requests/s, time-scaled), then per-upsert time x eligible users + the Slack reading time; naive_brevo_calls_computed is computed (one POST /contacts per eligible user), naive_sample_brevo_calls_counted is counted on the sample (429 retries included)`,
			],
		},
	];
}
