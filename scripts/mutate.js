#!/usr/bin/env node
/**
 * `npm run mutate`: StrykerJS over the domain code (stryker.config.mjs). Stryker 10 needs Node >= 22.18 (or >= 24.11 on
 * the 24 line); the project itself supports Node 20, so this picks, in order: $STRYKER_NODE, this node when new enough,
 * the Node 24 that `scripts/provision-n8n.sh` installs under .cache/runtime/node24. Extra arguments go to Stryker, e.g.
 * `npm run mutate -- --mutate nodes/shared/slack/signature.ts`; `npm run mutate -- --since <git ref>` mutates only the
 * domain files changed since that ref (committed or not). Prints the time the run took.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const provisioned = path.join(root, '.cache', 'runtime', 'node24', 'node_modules', 'node', 'bin', 'node');

function versionOf(bin) {
	const out = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' });
	return out.status === 0 ? out.stdout.trim() : undefined;
}

function newEnough(version) {
	const [major, minor] = version.split('.').map(Number);
	return (major === 22 && minor >= 18) || (major === 24 && minor >= 11) || major === 23 || major >= 25;
}

function pickNode() {
	const candidates = [process.env.STRYKER_NODE, process.execPath, provisioned].filter(Boolean);
	for (const bin of candidates) {
		if (bin !== process.execPath && !fs.existsSync(bin)) continue;
		const version = bin === process.execPath ? process.versions.node : versionOf(bin);
		if (version && newEnough(version)) return { bin, version };
	}
	return undefined;
}

const node = pickNode();
if (!node) {
	console.error(
		`[mutate] StrykerJS 10 needs Node >= 22.18 (or >= 24.11); this is Node ${process.versions.node} and no Node 24 is provisioned.\n` +
			'[mutate] Run `bash scripts/provision-n8n.sh` (installs Node 24 under .cache/runtime/node24 from the npm registry),\n' +
			'[mutate] or point STRYKER_NODE at a Node >= 22.18 binary.',
	);
	process.exit(1);
}
/** `--since <ref>` -> `--mutate <domain files changed since ref>` (the scope of stryker.config.mjs). */
function expandSince(args) {
	const at = args.indexOf('--since');
	if (at < 0) return args;
	const ref = args[at + 1];
	if (!ref) {
		console.error('[mutate] --since needs a git ref, e.g. --since origin/main');
		process.exit(1);
	}
	const diff = spawnSync('git', ['diff', '--name-only', ref, '--', 'nodes/shared'], { cwd: root, encoding: 'utf8' });
	if (diff.status !== 0) {
		console.error(`[mutate] git diff ${ref} failed: ${diff.stderr.trim()}`);
		process.exit(1);
	}
	const files = diff.stdout
		.split('\n')
		.filter((f) => f.endsWith('.ts') && !f.startsWith('nodes/shared/n8n/') && fs.existsSync(path.join(root, f)));
	if (files.length === 0) {
		console.log(`[mutate] no domain file changed since ${ref}: nothing to mutate`);
		process.exit(0);
	}
	console.log(`[mutate] ${files.length} domain file(s) changed since ${ref}: ${files.join(', ')}`);
	return [...args.slice(0, at), '--mutate', files.join(','), ...args.slice(at + 2)];
}

/** Domain files under a folder (the default scope: nodes/shared/** less nodes/shared/n8n/**). */
function domainFiles(dir = path.join(root, 'nodes', 'shared')) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const full = path.join(dir, e.name);
		if (e.isDirectory()) return full.endsWith(path.join('shared', 'n8n')) ? [] : domainFiles(full);
		return e.name.endsWith('.ts') ? [path.relative(root, full).split(path.sep).join('/')] : [];
	});
}

/**
 * The TypeScript checker type-checks every mutant in a program: a program of only the mutated files (and what they
 * import; no DOM lib, only Node's types) is several times smaller than tsconfig.json's, which holds every node and
 * n8n-workflow's types. Written to .stryker-tsconfig.json (gitignored) for this run.
 */
function checkerTsconfig(args) {
	const at = args.indexOf('--mutate');
	const files = at >= 0 ? args[at + 1].split(',').filter((f) => !f.startsWith('!') && !f.includes('*')) : [];
	const list = files.length ? files : domainFiles();
	const file = '.stryker-tsconfig.json';
	const config = { extends: './tsconfig.json', compilerOptions: { noEmit: true, lib: ['es2022'], types: ['node'] }, files: list.map((f) => `./${f}`), include: [] };
	fs.writeFileSync(path.join(root, file), JSON.stringify(config, null, 2) + '\n');
	return file;
}

const stryker = path.join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
console.log(`[mutate] StrykerJS on Node ${node.version} (${path.relative(root, node.bin) || node.bin})`);
const args = expandSince(process.argv.slice(2));
const started = Date.now();
const result = spawnSync(node.bin, [stryker, 'run', 'stryker.config.mjs', ...args], {
	cwd: root,
	stdio: 'inherit',
	// Stryker starts its test runner and checker as child processes of `process.execPath`: the same Node.
	env: { ...process.env, STRYKER_TSCONFIG: checkerTsconfig(args), PATH: `${path.dirname(node.bin)}${path.delimiter}${process.env.PATH ?? ''}` },
});
console.log(`[mutate] ${((Date.now() - started) / 1000).toFixed(0)} s; report: reports/mutation/mutation.html (and mutation.json)`);
process.exit(result.status ?? 1);
