/**
 * Slack Notify delivery under Slack's rate limits, against the Slack emulator time-scaled (its per-channel
 * 1 message/s with a burst of 4 and its 600/min workspace cap, divided by the time scale):
 *   - 1,000 notifications from one execution to one channel, and 1,000 spread over 10 channels;
 *   - the node (Send Notification through n8n-core's engine, rate set to the scaled Slack rate);
 *   - the node beside the naive path (one @slack/web-api chat.postMessage per item, default client settings, awaited
 *     in turn as n8n's Slack node does) at REAL timing (time scale 1) on a smaller sample: the SDK reads Retry-After as
 *     whole real seconds (parseInt), so on a time-scaled emulator every naive 429 would cost it the scale factor too
 *     much; at time scale 1 both paths meet the same limits and the same Retry-After;
 *   - delivered, lost, duplicates, 429s received, total time and its ratio to the rate-limit floor (the time an ideal
 *     sender needs under the emulator's exact rules, simulated below);
 *   - digest on: messages posted per 1,000 events.
 * Run: `npm run bench notify` (add `--quick` for 200 notifications).
 */
import { WebClient } from '@slack/web-api';

import { startSlackEmulator, type SlackEmulator } from '../test/emulators/slack';
import { messageBlocksSize } from '../test/emulators/slack/blocks';
import { DEFAULT_RATE_LIMITS } from '../test/emulators/slack/ratelimit';
import { runWorkflow } from '../test/harness/engine';

interface BenchResult {
	name: string;
	rows: Array<Record<string, string | number | boolean | null>>;
	notes?: string[];
}

/** The emulator's chat.postMessage rules (test/emulators/slack/ratelimit.ts): per channel bucket + workspace window. */
interface Rules {
	perSecond: number;
	burst: number;
	workspacePerMinute: number;
}
const RULES_AT_1X: Rules = {
	perSecond: DEFAULT_RATE_LIMITS.postMessagePerSecond,
	burst: DEFAULT_RATE_LIMITS.postMessageBurst,
	workspacePerMinute: DEFAULT_RATE_LIMITS.postMessageWorkspacePerMinute,
};

/**
 * Fastest schedule any sender could achieve under the rules (greedy: always send the next message whose channel and
 * the workspace allow it earliest; channels are independent so greedy is optimal). Returns ms from the first send.
 */
export function rateLimitFloorMs(perChannel: number[], rules: Rules, timeScale: number): number {
	const msPerToken = 1000 / rules.perSecond / timeScale;
	const windowMs = 60_000 / timeScale;
	const channels = perChannel.map((n) => ({ left: n, tokens: rules.burst, at: 0 }));
	const window: number[] = [];
	let now = 0;
	let last = 0;
	let remaining = perChannel.reduce((a, b) => a + b, 0);
	while (remaining > 0) {
		let best = Infinity;
		let pick = -1;
		for (let c = 0; c < channels.length; c++) {
			const ch = channels[c];
			if (ch.left === 0) continue;
			const tokens = Math.min(rules.burst, ch.tokens + (now - ch.at) / msPerToken);
			const ready = tokens >= 1 ? now : now + (1 - tokens) * msPerToken;
			if (ready < best) {
				best = ready;
				pick = c;
			}
		}
		while (window.length && window[0] <= best - windowMs) window.shift();
		if (window.length >= rules.workspacePerMinute) best = Math.max(best, window[0] + windowMs);
		const ch = channels[pick];
		ch.tokens = Math.min(rules.burst, ch.tokens + (best - ch.at) / msPerToken) - 1;
		ch.at = best;
		ch.left--;
		window.push(best);
		now = best;
		last = best;
		remaining--;
	}
	return last;
}

function count(emu: SlackEmulator, channels: string[], n: number) {
	const texts = channels.flatMap((c) => emu.messages(c).map((m) => String(m.text)));
	const unique = new Set(texts);
	let delivered = 0;
	for (let i = 0; i < n; i++) if (unique.has(`notification ${i}`)) delivered++;
	return { delivered, lost: n - delivered, duplicates: texts.length - unique.size, posted: texts.length };
}

function channelFor(i: number, channels: string[]): string {
	return channels[i % channels.length];
}

async function runNode(emu: SlackEmulator, channels: string[], n: number, timeScale: number, digest: 'off' | 'single' = 'off') {
	const items = Array.from({ length: n }, (_, i) => ({ n: i, channel: channelFor(i, channels), event: 'list_addition', email: `user${i}@example.com` }));
	const workflow = {
		nodes: [
			{ name: 'Start', type: 'harness.manualTrigger', parameters: {} },
			{ name: 'Items', type: 'harness.items', parameters: { items: JSON.stringify(items) } },
			{
				name: 'Notify',
				type: 'n8n-nodes-slack-brevo.slackNotify',
				parameters: {
					operation: 'send',
					defaultChannel: { __rl: true, mode: 'id', value: '={{ $json.channel }}' },
					content: digest === 'off' ? 'text' : 'template',
					template: 'auto',
					text: digest === 'off' ? '=notification {{ $json.n }}' : '',
					digest,
					options: {
						// Slack's 1 message/s per channel, on the emulator's clock. No workspace gate: the node's gate spaces
						// posts evenly, stricter than Slack's per-minute window; a 429 from that window is waited out instead.
						ratePerSecond: timeScale,
						// The emulator absorbs 4 back to back (like Slack's undocumented short burst); keep one in reserve.
						burst: 3,
					},
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main' as const, index: 0 }]] },
			Items: { main: [[{ node: 'Notify', type: 'main' as const, index: 0 }]] },
		},
	};
	const started = Date.now();
	const r = await runWorkflow(workflow, { credentials: { slackBrevoBotApi: { accessToken: emu.botToken, baseUrl: emu.apiUrl } }, mode: 'trigger' });
	const ms = Date.now() - started;
	if (r.error) throw new Error(`node run failed: ${r.error.message}`);
	return { ms, outputs: r.outputOf('Notify').length };
}

/** One chat.postMessage per item with a default WebClient, awaited in turn; stopped after `capMs`. */
async function runNaive(emu: SlackEmulator, channels: string[], n: number, capMs: number) {
	const client = new WebClient(emu.botToken, { slackApiUrl: emu.apiUrl, logLevel: undefined });
	const started = Date.now();
	let sent = 0;
	let stopped = false;
	const loop = (async () => {
		for (let i = 0; i < n && !stopped; i++) {
			await client.chat.postMessage({ channel: channelFor(i, channels), text: `notification ${i}` });
			sent++;
		}
	})();
	const timer = new Promise<'cap'>((resolve) => setTimeout(() => resolve('cap'), capMs));
	const how = await Promise.race([loop.then(() => 'done' as const), timer]);
	stopped = true;
	const ms = Date.now() - started;
	// Let the call in flight finish before the caller closes the emulator: otherwise the SDK's default policy keeps
	// retrying it against a closed server for half an hour.
	await loop.catch(() => undefined);
	return { ms, finished: how === 'done', sent };
}

/** Our node at a time scale; with `naiveCapMs`, then the naive path on the same emulator at the same scale (run() gives it only at scale 1). */
async function scenario(label: string, channelCount: number, n: number, timeScale: number, naiveCapMs?: number) {
	const rows: BenchResult['rows'] = [];
	const emu = await startSlackEmulator({ timeScale });
	const rules: Rules = { perSecond: emu.rateLimits.postMessagePerSecond, burst: emu.rateLimits.postMessageBurst, workspacePerMinute: emu.rateLimits.postMessageWorkspacePerMinute };
	const setup = () => {
		emu.reset();
		emu.setTimeScale(timeScale);
		return Array.from({ length: channelCount }, (_, c) => emu.addChannel({ name: `bench-${c}` }).id);
	};
	const perChannel = Array.from({ length: channelCount }, (_, c) => Math.floor(n / channelCount) + (c < n % channelCount ? 1 : 0));
	const floorMs = rateLimitFloorMs(perChannel, rules, timeScale);
	try {
		let channels = setup();
		const node = await runNode(emu, channels, n, timeScale);
		const nc = count(emu, channels, n);
		rows.push({
			scenario: label, path: 'Slack Notify (paced)', time_scale: timeScale, notifications: n, delivered: nc.delivered, lost: nc.lost, duplicates: nc.duplicates,
			'429s': emu.counters().ratelimited['chat.postMessage'] ?? 0, total_s: node.ms / 1000, floor_s: floorMs / 1000, x_floor: node.ms / floorMs, finished: true,
			x_floor_is: 'measured',
		});

		if (naiveCapMs === undefined) return rows;
		channels = setup();
		const naive = await runNaive(emu, channels, n, naiveCapMs);
		const vc = count(emu, channels, n);
		rows.push({
			scenario: label, path: naive.finished ? 'naive SDK loop' : `naive SDK loop (stopped at ${Math.round(naiveCapMs / 1000)} s)`, time_scale: timeScale, notifications: n,
			delivered: vc.delivered, lost: naive.finished ? vc.lost : null, duplicates: vc.duplicates, '429s': emu.counters().ratelimited['chat.postMessage'] ?? 0,
			total_s: naive.finished ? naive.ms / 1000 : null, floor_s: floorMs / 1000,
			x_floor: naive.finished ? naive.ms / floorMs : vc.delivered > 0 ? (naive.ms * (n / vc.delivered)) / floorMs : null, finished: naive.finished,
			x_floor_is: naive.finished ? 'measured' : 'projected from its delivery rate',
		});
	} finally {
		await emu.close();
	}
	return rows;
}

async function digestRow(n: number): Promise<BenchResult['rows'][number]> {
	const emu = await startSlackEmulator({ timeScale: 100 });
	try {
		const channel = emu.addChannel({ name: 'bench-digest' }).id;
		const node = await runNode(emu, [channel], n, 100, 'single');
		const posted = emu.messages(channel).length;
		const blocks = emu.messages(channel).reduce((a, m) => a + ((m.blocks as unknown[]) ?? []).length, 0);
		// every event must be in a delivered message, and no message may pass Slack's total block text (msg_blocks_too_long)
		const found = new Set(emu.messages(channel).flatMap((m) => [...JSON.stringify(m.blocks ?? []).matchAll(/user(\d+)@example\.com/g)].map((x) => Number(x[1]))));
		const delivered = Array.from({ length: n }, (_, i) => i).filter((i) => found.has(i)).length;
		const maxSize = Math.max(0, ...emu.messages(channel).map((m) => messageBlocksSize(m.blocks)));
		return { scenario: `digest, ${n} events, 1 channel`, events: n, events_delivered: delivered, messages_posted: posted, messages_per_1000_events: (posted * 1000) / n, blocks_posted: blocks, max_block_size: maxSize, total_s: node.ms / 1000 };
	} finally {
		await emu.close();
	}
}

/** Loads and compiles the node and n8n-core once, so module loading is not timed as delivery. */
async function warmUp(): Promise<void> {
	const emu = await startSlackEmulator({ timeScale: 100 });
	try {
		const channel = emu.addChannel({ name: 'warm-up' }).id;
		await runNode(emu, [channel], 2, 100);
		await new WebClient(emu.botToken, { slackApiUrl: emu.apiUrl }).auth.test();
	} finally {
		await emu.close();
	}
}

export async function run(options: { quick: boolean } = { quick: false }): Promise<BenchResult[]> {
	const n = options.quick ? 200 : 1000;
	await warmUp();
	// Time scales keep Slack's 1 s interval (scaled) well above a local post's round trip (~10 ms on a shared machine),
	// so the measurement is of pacing, not of this machine's latency.
	const single = await scenario('1 channel', 1, n, 20);
	const ten = await scenario('10 channels', 10, n, 5);
	// Like with like: both paths at real timing (time scale 1) on samples small enough to run in about a minute each.
	// The naive loop is capped at 4x the floor + 30 s; if it hits the cap, its x_floor is projected (and says so).
	const realOne = options.quick ? 12 : 40;
	const realTen = options.quick ? 50 : 100;
	const real1 = await scenario(`1 channel, ${realOne} at real timing`, 1, realOne, 1, 4 * rateLimitFloorMs([realOne], RULES_AT_1X, 1) + 30_000);
	const real10 = await scenario(`10 channels, ${realTen} at real timing`, 10, realTen, 1, 4 * rateLimitFloorMs(Array(10).fill(realTen / 10), RULES_AT_1X, 1) + 30_000);
	const digest = await digestRow(n);
	return [
		{
			name: `Slack Notify delivery: ${n} notifications time-scaled, and the naive SDK loop beside the node at real timing`,
			rows: [...single, ...ten, ...real1, ...real10],
			notes: [
				'floor_s: time an ideal sender needs under the emulator\'s exact limits (1 msg/s per channel, burst 4, 600/min per workspace), divided by the time scale; x_floor = total_s / floor_s (target <= 1.1).',
				'The node runs through n8n-core\'s engine (engine start-up included in total_s, module loading warmed up before) with Messages per Second = the time scale, Burst per Channel 3 (the emulator tolerates 4) and no workspace gate (429s from the workspace window are waited out).',
				'time_scale 1 rows: the node and the naive path at real timing (the emulator\'s 1 msg/s per channel, burst 4, Retry-After in whole real seconds as Slack sends it), both measured. The naive path is not run time-scaled: the SDK reads Retry-After as whole real seconds, so a scaled emulator would charge each naive 429 the scale factor too much. A naive run stopped at its cap would show x_floor projected from its delivery rate (finished = false); everything it had not sent yet is not counted as lost (its SDK would still retry).',
				'lost = notifications never posted; duplicates = posts beyond one per notification (counted from the emulator\'s channel history).',
			],
		},
		{
			name: 'Slack Notify digest: messages posted per 1,000 events',
			rows: [digest],
			notes: ['max_block_size: the largest posted message, as block text plus 125 per block (how Slack counts for msg_blocks_too_long: bolt-js#2509, #2867); the emulator refuses above 12,000, the digest aims at 11,000.'],
		},
	];
}

if (require.main === module) {
	run({ quick: process.argv.includes('--quick') })
		.then((results) => {
			console.log(JSON.stringify(results, null, 2));
			process.exit(0);
		})
		.catch((error) => {
			console.error(error);
			process.exit(1);
		});
}
