/**
 * Build pipeline: type-check with tsc, bundle every node and credential listed in package.json's "n8n" section
 * with esbuild (so @slack/web-api and @getbrevo/brevo travel inside dist and the published package.json keeps
 * no runtime dependencies), and copy the SVG icons next to the bundles. n8n-workflow stays external: n8n
 * provides it (peer dependency).
 */
const { src, dest, series } = require('gulp');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = __dirname;
const pkg = require('./package.json');

function clean(done) {
	fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
	done();
}

function typecheck(done) {
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'], {
		cwd: root,
		stdio: 'inherit',
	});
	done();
}

/** dist/nodes/X/X.node.js -> nodes/X/X.node.ts */
function sourceOf(distPath) {
	return distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts');
}

async function bundle() {
	const entries = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
	const missing = entries.filter((e) => !fs.existsSync(path.join(root, sourceOf(e))));
	if (missing.length) {
		throw new Error(`package.json lists entries whose source does not exist: ${missing.map(sourceOf).join(', ')}`);
	}
	await Promise.all(
		entries.map((entry) =>
			esbuild.build({
				entryPoints: [path.join(root, sourceOf(entry))],
				outfile: path.join(root, entry),
				bundle: true,
				platform: 'node',
				target: 'node20',
				format: 'cjs',
				external: ['n8n-workflow'],
				legalComments: 'inline',
				logLevel: 'warning',
			}),
		),
	);
}

/** The top-level index.js (package "main") travels in dist: n8n loads the "n8n" section's files, not main. */
function index() {
	return src('index.js').pipe(dest('dist'));
}

function icons() {
	return src(['nodes/**/*.{svg,png}', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false }).pipe(dest('dist'));
}

exports.clean = clean;
exports.typecheck = typecheck;
exports.bundle = bundle;
exports.icons = icons;
exports.index = index;
exports.build = series(clean, typecheck, bundle, icons, index);
exports.default = exports.build;
