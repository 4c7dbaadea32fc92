/**
 * What the package costs n8n at startup, BEFORE and AFTER a build change, side by side in one run:
 *   - load time: in a fresh child Node process per sample, n8n-core's own `PackageDirectoryLoader` (the class n8n
 *     uses for installed community packages) reads package.json and loads every file of `n8n.credentials` and
 *     `n8n.nodes` (require + `new X()` through n8n-core's vm isolation, codex, icon paths, description checks);
 *     timed from `new PackageDirectoryLoader()` to the end of `loadAll()` (n8n-core is already loaded, as in n8n);
 *   - heap: `heapUsed` after a forced gc (--expose-gc) with the loader (and so every node instance) still alive,
 *     minus the same measure in a reference child that loads n8n-core + n8n-workflow and runs the loader on an
 *     empty package; RSS likewise (after load, minus the reference);
 *   - size: `npm pack --dry-run --json` (unpacked size, tarball size, file count) and the bytes under dist/.
 * Each variant is loaded the way n8n installs it: the files `npm pack` would ship are copied to
 * <tmpdir>/n8n-nodes-slack-brevo-bench-package-load-<uid>/<variant>/node_modules/<name>/ (outside the repo, whose
 * node_modules would otherwise be found by walking up), beside a node_modules holding only n8n-workflow (the peer
 * dependency n8n provides; a symlink to this repo's copy, so it is the instance n8n-core uses), luxon (n8n provides it
 * too, through NODE_PATH) and the package's own
 * `dependencies`, if any. No NODE_PATH: a node that requires an SDK which is not shipped fails here instead of
 * quietly resolving this repo's devDependencies (checked before measuring).
 *
 * BEFORE = BENCH_LOAD_BASELINE (default f677f6b, the esbuild build with the SDKs bundled), built in a git worktree
 * at .cache/bench/baseline-<sha> (node_modules symlinked to this repo's; built once per sha, reused afterwards).
 * AFTER = the working tree: `npm run build` when dist/ is missing (BENCH_LOAD_BUILD=1 or --build: always;
 * BENCH_LOAD_SKIP_BUILD=1 or --skip-build: never); a dist older than the sources is used but flagged in the table.
 * Or BENCH_LOAD_CURRENT=<ref>: build that commit in its own worktree instead (e.g. the baseline against itself).
 * Samples: BENCH_LOAD_SAMPLES, else 15 (5 with --quick), interleaved reference / baseline / current.
 * Run: `npm run bench -- package-load` (add `--quick` for fewer samples).
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { BenchResult } from './run';

const ROOT = path.resolve(__dirname, '..');
const NODE_MODULES = path.join(ROOT, 'node_modules');
const CACHE = path.join(ROOT, '.cache', 'bench');
/** Outside the repo: under it, Node's lookup would walk up to this repo's node_modules (every devDependency). */
const STAGE = path.join(os.tmpdir(), `n8n-nodes-slack-brevo-bench-package-load-${process.getuid?.() ?? 'user'}`);
const DEFAULT_BASELINE = 'f677f6b09a9d5b670395c8de282908126426fa6d';
const RESULT_MARK = '@@package-load@@';

interface PackFile {
	path: string;
	size: number;
}
interface PackInfo {
	name: string;
	size: number;
	unpackedSize: number;
	entryCount: number;
	files: PackFile[];
}
interface Variant {
	label: string;
	ref: string;
	dir: string; // package source directory (repo or worktree) holding package.json + dist
	build: string; // what happened to its build
	error?: string;
	pack?: PackInfo;
	distBytes?: number;
	stagedDir?: string;
}
interface ChildSample {
	loadMs: number;
	heapUsed: number;
	rss: number;
	nodes: number;
	credentials: number;
	descriptions: number;
}

function git(args: string[], cwd = ROOT): string {
	return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function npmBuild(dir: string): void {
	try {
		execFileSync('npm', ['run', 'build'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	} catch (error) {
		const e = error as { stdout?: string; stderr?: string; message: string };
		const lines = `${e.stdout ?? ''}\n${e.stderr ?? ''}`.split('\n').map((l) => l.trim());
		const first = lines.find((l) => /error/i.test(l)) ?? e.message.split('\n')[0];
		throw new Error(`npm run build failed in ${dir}: ${first}`);
	}
}

function readPackageJson(dir: string): {
	name: string;
	version: string;
	dependencies?: Record<string, string>;
	n8n?: { nodes?: string[]; credentials?: string[] };
} {
	return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

function n8nEntries(dir: string): string[] {
	const { n8n } = readPackageJson(dir);
	return [...(n8n?.credentials ?? []), ...(n8n?.nodes ?? [])];
}

function hasBuild(dir: string): boolean {
	const entries = n8nEntries(dir);
	return entries.length > 0 && entries.every((e) => fs.existsSync(path.join(dir, e)));
}

function newestMtime(paths: string[]): number {
	let newest = 0;
	const visit = (p: string) => {
		let st: fs.Stats;
		try {
			st = fs.statSync(p);
		} catch {
			return;
		}
		if (st.isDirectory()) for (const f of fs.readdirSync(p)) visit(path.join(p, f));
		else newest = Math.max(newest, st.mtimeMs);
	};
	paths.forEach(visit);
	return newest;
}

/** dist is stale when any source of the build is newer than the oldest n8n entry file in dist. */
function isStale(dir: string): boolean {
	const oldestBuilt = Math.min(...n8nEntries(dir).map((e) => fs.statSync(path.join(dir, e)).mtimeMs));
	const sources = ['nodes', 'credentials', 'index.js', 'package.json', 'gulpfile.js', 'tsconfig.json'];
	return newestMtime(sources.map((s) => path.join(dir, s))) > oldestBuilt;
}

function dirBytes(dir: string): number {
	let total = 0;
	const visit = (p: string) => {
		const st = fs.statSync(p);
		if (st.isDirectory()) for (const f of fs.readdirSync(p)) visit(path.join(p, f));
		else total += st.size;
	};
	if (fs.existsSync(dir)) visit(dir);
	return total;
}

/** A commit checked out in .cache/bench/baseline-<sha> with this repo's node_modules, built once per sha. */
function worktreeBuild(label: string, ref: string): Variant {
	let sha: string;
	try {
		sha = git(['rev-parse', '--verify', `${ref}^{commit}`]);
	} catch {
		return { label, ref, dir: '', build: 'n/a', error: `unknown git ref ${ref}` };
	}
	const dir = path.join(CACHE, `baseline-${sha}`);
	const v: Variant = { label, ref: sha.slice(0, 7), dir, build: 'reused (cached by sha)' };
	try {
		if (!fs.existsSync(path.join(dir, 'package.json'))) {
			fs.mkdirSync(CACHE, { recursive: true });
			try {
				git(['worktree', 'prune']);
			} catch {
				/* nothing to prune */
			}
			git(['worktree', 'add', '--detach', dir, sha]);
		}
		const nm = path.join(dir, 'node_modules');
		if (!fs.existsSync(nm)) fs.symlinkSync(NODE_MODULES, nm, 'dir');
		if (!hasBuild(dir)) {
			v.build = 'built (npm run build in worktree)';
			npmBuild(dir);
		}
		if (!hasBuild(dir)) throw new Error(`npm run build in ${dir} did not produce every n8n entry`);
	} catch (error) {
		v.error = (error as Error).message;
	}
	return v;
}

/** The working tree's dist: built when missing (or on request), never rebuilt behind the caller's back. */
function workingTreeBuild(skipBuild: boolean, forceBuild: boolean): Variant {
	const v: Variant = { label: 'current', ref: 'working tree', dir: ROOT, build: 'reused dist' };
	try {
		const built = hasBuild(ROOT);
		if (skipBuild && !built) throw new Error('dist/ is missing or incomplete and the build was skipped');
		if (!skipBuild && (forceBuild || !built)) {
			v.build = forceBuild ? 'built (requested)' : 'built (dist missing)';
			npmBuild(ROOT);
			if (!hasBuild(ROOT)) throw new Error('npm run build did not produce every n8n entry');
		} else {
			if (skipBuild) v.build = 'reused dist (build skipped)';
			if (isStale(ROOT)) v.build += ', OLDER than sources (BENCH_LOAD_BUILD=1 rebuilds)';
		}
	} catch (error) {
		v.error = (error as Error).message;
	}
	return v;
}

function npmPack(dir: string): PackInfo {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: dir,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		maxBuffer: 64 * 1024 * 1024,
	});
	const [info] = JSON.parse(out.slice(out.indexOf('['))) as PackInfo[];
	return info;
}

/** Copy what `npm pack` ships into <stage>/node_modules/<name>, beside n8n-workflow and declared dependencies. */
function stage(v: Variant, slot: string): string {
	const pack = v.pack!;
	const root = path.join(STAGE, slot);
	fs.rmSync(root, { recursive: true, force: true });
	const pkgDir = path.join(root, 'node_modules', pack.name);
	for (const f of pack.files) {
		const to = path.join(pkgDir, f.path);
		fs.mkdirSync(path.dirname(to), { recursive: true });
		fs.copyFileSync(path.join(v.dir, f.path), to);
	}
	// What n8n provides to community packages: n8n-workflow (the peer dependency) and luxon (n8n puts its own
	// node_modules on NODE_PATH, see n8n's load-nodes-and-credentials.ts), plus the package's declared dependencies.
	const provided = ['n8n-workflow', 'luxon', ...Object.keys(readPackageJson(v.dir).dependencies ?? {})];
	for (const dep of provided) {
		const from = path.join(NODE_MODULES, dep);
		if (!fs.existsSync(from)) throw new Error(`dependency ${dep} is not installed in ${NODE_MODULES}`);
		const to = path.join(root, 'node_modules', dep);
		fs.mkdirSync(path.dirname(to), { recursive: true });
		fs.symlinkSync(from, to, 'dir');
	}
	// Guard: from the staged copy, this repo's devDependencies must not resolve (they would hide a missing SDK).
	for (const dev of ['@slack/web-api', '@getbrevo/brevo', 'typescript']) {
		let resolved: string | null = null;
		try {
			resolved = require.resolve(dev, { paths: [pkgDir] });
		} catch {
			/* expected */
		}
		if (resolved) throw new Error(`staging is not isolated: ${dev} resolves from ${pkgDir} to ${resolved}`);
	}
	return pkgDir;
}

/** The child: n8n-core's PackageDirectoryLoader on one directory (or on an empty package, for the reference). */
const CHILD = `
const core = require(${JSON.stringify(path.join(NODE_MODULES, 'n8n-core'))});
require(${JSON.stringify(path.join(NODE_MODULES, 'n8n-workflow'))});
(async () => {
	const dir = process.argv[1];
	const t0 = process.hrtime.bigint();
	const loader = new core.PackageDirectoryLoader(dir);
	await loader.loadAll();
	const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
	const descriptions = Object.values(loader.nodeTypes).filter((n) => n.type.description && n.type.description.name).length;
	for (let i = 0; i < 4; i++) global.gc();
	const mem = process.memoryUsage();
	console.log(${JSON.stringify(RESULT_MARK)} + JSON.stringify({
		loadMs, heapUsed: mem.heapUsed, rss: mem.rss, descriptions,
		nodes: Object.keys(loader.nodeTypes).length, credentials: Object.keys(loader.credentialTypes).length,
	}));
	global.keep = loader;
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
`;

function childEnv(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	delete env.NODE_PATH;
	delete env.NODE_OPTIONS;
	delete env.NODE_ENV; // NODE_ENV=test makes n8n-core skip its vm isolation
	return env;
}

function runChild(dir: string): Promise<ChildSample> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--expose-gc', '-e', CHILD, dir], {
			cwd: path.dirname(dir),
			env: childEnv(),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		child.on('error', reject);
		child.on('close', (code) => {
			const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK));
			if (code !== 0 || !line) {
				reject(new Error(`loader child exited ${code} on ${dir}: ${(err || out).trim().split('\n').slice(0, 8).join(' | ')}`));
				return;
			}
			resolve(JSON.parse(line.slice(RESULT_MARK.length)) as ChildSample);
		});
	});
}

function quantile(values: number[], q: number): number {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
const median = (v: number[]) => {
	const s = [...v].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mb = (b: number) => Math.round((b / 1024 / 1024) * 100) / 100;
const kb = (b: number) => Math.round((b / 1024) * 10) / 10;
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const ratio = (a?: number, b?: number) => (a !== undefined && b ? round(a / b, 3) : null);

export async function run(options: { quick: boolean } = { quick: false }): Promise<BenchResult> {
	const samples = Number(process.env.BENCH_LOAD_SAMPLES) || (options.quick ? 5 : 15);
	const skipBuild = process.env.BENCH_LOAD_SKIP_BUILD === '1' || process.argv.includes('--skip-build');
	const forceBuild = process.env.BENCH_LOAD_BUILD === '1' || process.argv.includes('--build');
	const baselineRef = process.env.BENCH_LOAD_BASELINE || DEFAULT_BASELINE;
	const currentRef = process.env.BENCH_LOAD_CURRENT;

	const baseline = worktreeBuild('baseline', baselineRef);
	const current = currentRef ? worktreeBuild('current', currentRef) : workingTreeBuild(skipBuild, forceBuild);
	const variants = [baseline, current];

	for (const [i, v] of variants.entries()) {
		if (v.error) continue;
		try {
			v.pack = npmPack(v.dir);
			v.distBytes = dirBytes(path.join(v.dir, 'dist'));
			v.stagedDir = stage(v, `${i}-${v.label}`);
		} catch (error) {
			v.error = (error as Error).message;
		}
	}

	// Reference: an empty package (no "n8n" section), so loader and n8n-core costs cancel out.
	const emptyPkg = path.join(STAGE, 'empty', 'node_modules', 'empty-package');
	fs.mkdirSync(emptyPkg, { recursive: true });
	fs.writeFileSync(path.join(emptyPkg, 'package.json'), JSON.stringify({ name: 'empty-package', version: '0.0.0' }));

	const reference: ChildSample[] = [];
	const measured = new Map<Variant, ChildSample[]>(variants.map((v) => [v, []]));
	const loadable = () => variants.filter((v) => !v.error && v.stagedDir);
	const wantNodes = (v: Variant) => readPackageJson(v.dir).n8n?.nodes?.length ?? 0;
	const wantCreds = (v: Variant) => readPackageJson(v.dir).n8n?.credentials?.length ?? 0;
	await runChild(emptyPkg); // warm the file system cache once; not counted
	for (let s = 0; s < samples; s++) {
		// rotate the order so drift (thermal, page cache) does not favour one variant
		const order: Array<Variant | null> = [null, ...loadable()];
		for (let k = 0; k < s % order.length; k++) order.push(order.shift()!);
		for (const v of order) {
			if (!v) {
				reference.push(await runChild(emptyPkg));
				continue;
			}
			if (v.error) continue;
			try {
				const r = await runChild(v.stagedDir!);
				if (r.nodes !== wantNodes(v) || r.credentials !== wantCreds(v) || r.descriptions !== r.nodes) {
					throw new Error(
						`loaded ${r.nodes} nodes (${r.descriptions} with a description) / ${r.credentials} credentials, package.json lists ${wantNodes(v)} / ${wantCreds(v)}`,
					);
				}
				measured.get(v)!.push(r);
			} catch (error) {
				v.error = (error as Error).message;
			}
		}
	}

	const refHeap = median(reference.map((r) => r.heapUsed));
	const refRss = median(reference.map((r) => r.rss));
	type Stats = { loadMed: number; loadP90: number; heap: number; heapP90: number; rss: number };
	const stats = new Map<Variant, Stats>();
	for (const v of variants) {
		const m = measured.get(v)!;
		if (v.error || !m.length) continue;
		const heaps = m.map((r) => r.heapUsed - refHeap);
		stats.set(v, {
			loadMed: median(m.map((r) => r.loadMs)),
			loadP90: quantile(m.map((r) => r.loadMs), 0.9),
			heap: median(heaps),
			heapP90: quantile(heaps, 0.9),
			rss: median(m.map((r) => r.rss - refRss)),
		});
	}

	const rows: BenchResult['rows'] = variants.map((v) => {
		const st = stats.get(v);
		return {
			variant: v.label,
			ref: v.ref,
			'load ms (median)': st ? round(st.loadMed) : null,
			'load ms (p90)': st ? round(st.loadP90) : null,
			'heap MB (median)': st ? mb(st.heap) : null,
			'heap MB (p90)': st ? mb(st.heapP90) : null,
			'RSS MB (median)': st ? mb(st.rss) : null,
			'unpacked KB': v.pack ? kb(v.pack.unpackedSize) : null,
			'tarball KB': v.pack ? kb(v.pack.size) : null,
			files: v.pack ? v.pack.entryCount : null,
			'dist KB': v.distBytes !== undefined ? kb(v.distBytes) : null,
			build: v.build,
			error: v.error ? v.error.split('\n')[0].slice(0, 200) : '',
		};
	});
	const b = stats.get(baseline);
	const c = stats.get(current);
	if (!baseline.error && !current.error) {
		rows.push({
			variant: 'ratio current/baseline',
			ref: '',
			'load ms (median)': ratio(c?.loadMed, b?.loadMed),
			'load ms (p90)': ratio(c?.loadP90, b?.loadP90),
			'heap MB (median)': ratio(c?.heap, b?.heap),
			'heap MB (p90)': ratio(c?.heapP90, b?.heapP90),
			'RSS MB (median)': ratio(c?.rss, b?.rss),
			'unpacked KB': ratio(current.pack?.unpackedSize, baseline.pack?.unpackedSize),
			'tarball KB': ratio(current.pack?.size, baseline.pack?.size),
			files: ratio(current.pack?.entryCount, baseline.pack?.entryCount),
			'dist KB': ratio(current.distBytes, baseline.distBytes),
			build: '',
			error: '',
		});
	}

	const notes = [
		`${samples} samples per variant (fresh \`node --expose-gc\` child each, ${process.version}), interleaved with ${reference.length} reference samples; median and p90 (nearest rank).`,
		"load ms: n8n-core's PackageDirectoryLoader on the package copied as `npm pack` ships it, from `new PackageDirectoryLoader(dir)` to the end of `loadAll()` (require + `new X()` of every n8n.credentials / n8n.nodes file through n8n-core's vm isolation, codex, icons, description validation); n8n-core is loaded before the clock starts.",
		`heap MB / RSS MB: heapUsed after 4 forced gcs with the loaded nodes alive / RSS, minus the reference child (n8n-core + n8n-workflow + the loader on an empty package: heap ${mb(refHeap)} MB, RSS ${mb(refRss)} MB, medians).`,
		'unpacked / tarball KB, files: `npm pack --dry-run --json --ignore-scripts` (includes README.md and LICENSE); dist KB: bytes of every file under dist/.',
		`baseline = ${baselineRef === DEFAULT_BASELINE ? `${DEFAULT_BASELINE.slice(0, 7)} (default; BENCH_LOAD_BASELINE to change)` : baselineRef}, built in .cache/bench/baseline-<sha>; current = ${currentRef ? `${currentRef} (BENCH_LOAD_CURRENT), in its worktree` : 'the working tree'}.`,
	];
	for (const v of variants) if (v.error) notes.push(`${v.label} failed: ${v.error}`);
	return { name: 'Package load in n8n (baseline vs current build)', rows, notes };
}
