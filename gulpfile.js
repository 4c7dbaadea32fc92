/**
 * Build pipeline, as the classic n8n-nodes-starter does it: TypeScript compiles nodes/ and credentials/ to plain
 * CommonJS in dist/ (one .js per source file, no bundling; whitespace then compacted), then the icons and the codex
 * files (<Node>.node.json) are copied next to the compiled nodes, then index.js.
 *
 * Nothing of @slack/web-api or @getbrevo/brevo ships: the package imports them for their types only (`import type`),
 * which TypeScript erases; `checkDist` fails the build if any require of them (or of anything n8n does not provide)
 * survives. At run time every call goes through n8n's request helpers. n8n-workflow is provided by n8n (peer
 * dependency); luxon is provided by n8n too (n8n puts its own node_modules on NODE_PATH for community packages).
 */
const { src, dest, series } = require('gulp');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = __dirname;
const pkg = require('./package.json');

/** What compiled code may require besides its own files: what n8n provides, and Node's crypto. */
const PROVIDED = new Set(['n8n-workflow', 'luxon', 'crypto', 'node:crypto']);

function clean(done) {
	fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
	done();
}

function compile(done) {
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
	done();
}

/**
 * tsc re-indents its output with four spaces per level; whitespace-only minification (esbuild, per file, no
 * bundling: names, statements and every require stay as tsc wrote them) halves what n8n installs and loads.
 */
async function compact() {
	const esbuild = require('esbuild');
	const files = listFiles(path.join(root, 'dist')).filter((f) => f.endsWith('.js'));
	await Promise.all(
		files.map(async (file) => {
			const code = fs.readFileSync(file, 'utf8');
			const out = await esbuild.transform(code, { loader: 'js', format: 'cjs', target: 'node20', minifyWhitespace: true, legalComments: 'inline' });
			fs.writeFileSync(file, out.code);
		}),
	);
}

/** dist/nodes/X/X.node.js -> nodes/X/X.node.ts */
function sourceOf(distPath) {
	return distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts');
}

function listFiles(dir, out = []) {
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) listFiles(full, out);
		else out.push(full);
	}
	return out;
}

/** Every entry package.json lists exists, and no compiled file requires a module n8n does not provide. */
function checkDist(done) {
	const entries = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
	const missing = entries.filter((e) => !fs.existsSync(path.join(root, e)));
	if (missing.length) {
		throw new Error(`package.json lists entries the build did not produce: ${missing.join(', ')} (sources: ${missing.map(sourceOf).join(', ')})`);
	}
	const offenders = [];
	for (const file of listFiles(path.join(root, 'dist')).filter((f) => f.endsWith('.js'))) {
		const code = fs.readFileSync(file, 'utf8');
		for (const match of code.matchAll(/require\("([^"]+)"\)/g)) {
			const spec = match[1];
			if (spec.startsWith('.') || PROVIDED.has(spec)) continue;
			offenders.push(`${path.relative(root, file)} requires ${spec}`);
		}
	}
	if (offenders.length) throw new Error(`dist would need runtime dependencies:\n${offenders.join('\n')}`);
	done();
}

/** The top-level index.js (package "main") travels in dist: n8n loads the "n8n" section's files, not main. */
function index() {
	return src('index.js').pipe(dest('dist'));
}

function icons() {
	return src(['nodes/**/*.{svg,png}', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false }).pipe(dest('dist'));
}

/** Codex files (categories, aliases, documentation links) next to each compiled node, where n8n reads them. */
function codex() {
	return src(['nodes/**/*.node.json'], { base: '.', allowEmpty: true }).pipe(dest('dist'));
}

exports.clean = clean;
exports.compile = compile;
exports.icons = icons;
exports.codex = codex;
exports.index = index;
exports.checkDist = checkDist;
exports.compact = compact;
exports.build = series(clean, compile, compact, icons, codex, index, checkDist);
exports.default = exports.build;
