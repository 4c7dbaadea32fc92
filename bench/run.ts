/**
 * `npm run bench`: runs every bench/*.bench.ts (or the ones named on the command line), prints each result as a
 * table and writes all of them as JSON to bench/results/<timestamp>.json and bench/results/latest.json.
 * Each bench module exports `run(options)` (or a default function) returning `{ name, rows, notes? }`; baselines
 * are measured side by side in the same process and reported as ratios by the bench itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface BenchResult {
	name: string;
	rows: Array<Record<string, string | number | boolean | null>>;
	notes?: string[];
}

type BenchFn = (options: { quick: boolean }) => Promise<BenchResult | BenchResult[]>;

function printTable(result: BenchResult): void {
	console.log(`\n## ${result.name}`);
	if (!result.rows.length) return;
	const cols = [...new Set(result.rows.flatMap((r) => Object.keys(r)))];
	const cell = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v ?? ''));
	const widths = cols.map((c) => Math.max(c.length, ...result.rows.map((r) => cell(r[c]).length)));
	const line = (vals: string[]) => `| ${vals.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
	console.log(line(cols));
	console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
	for (const r of result.rows) console.log(line(cols.map((c) => cell(r[c]))));
	for (const n of result.notes ?? []) console.log(`- ${n}`);
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const quick = args.includes('--quick');
	const only = args.filter((a) => !a.startsWith('--'));
	const dir = __dirname;
	const files = fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.bench.ts'))
		.filter((f) => !only.length || only.some((o) => f.includes(o)))
		.sort();
	const all: BenchResult[] = [];
	for (const file of files) {
		const mod = await import(path.join(dir, file));
		const fn: BenchFn | undefined =
			mod.run ?? mod.default ?? (Object.values(mod).find((v) => typeof v === 'function') as BenchFn | undefined);
		if (!fn) throw new Error(`${file} exports no bench function`);
		const started = Date.now();
		const out = await fn({ quick });
		for (const r of Array.isArray(out) ? out : [out]) {
			printTable(r);
			all.push(r);
		}
		console.log(`(${file}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
	}
	const resultsDir = path.join(dir, 'results');
	fs.mkdirSync(resultsDir, { recursive: true });
	const payload = JSON.stringify({ at: new Date().toISOString(), node: process.version, quick, results: all }, null, 2);
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	fs.writeFileSync(path.join(resultsDir, `${stamp}.json`), payload);
	fs.writeFileSync(path.join(resultsDir, 'latest.json'), payload);
	console.log(`\nwrote bench/results/${stamp}.json`);
	// Benchmarks start emulators with timers; make sure nothing keeps the process alive.
	process.exit(0);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
