#!/usr/bin/env node
/**
 * n8n's own gates, run the way n8n runs them, on what we ship:
 *
 *   node scripts/n8n-checks.mjs lint   `n8n-node lint` (@n8n/node-cli) with n8n's default (cloud) config, in strict
 *                                      mode, on the shipped source: package.json, eslint.config.mjs, tsconfig.json,
 *                                      nodes/ and credentials/ staged in .cache/n8n-checks/source (the repository's
 *                                      tests, scripts and emulators are not part of the package and `n8n-node lint`
 *                                      would lint every .ts below its working directory).
 *   node scripts/n8n-checks.mjs scan   @n8n/scan-community-package's `analyzePackage` on both legs of its gate:
 *                                      the source (its SOURCE_FILE_PATTERNS: package.json and nodes/ + credentials/)
 *                                      and the packed tarball (`npm pack`, unpacked: compiled .js and package.json).
 *   node scripts/n8n-checks.mjs        both.
 *
 * Exits non-zero on any error, printing n8n's own report.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, '.cache', 'n8n-checks');

function stageSource() {
	const dir = path.join(work, 'source');
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	for (const entry of ['package.json', 'eslint.config.mjs', 'tsconfig.json', 'nodes', 'credentials']) {
		fs.cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
	}
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	return dir;
}

function lint() {
	const dir = stageSource();
	const cli = path.join(root, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs');
	console.log(`n8n-node lint (default config, strict) in ${path.relative(root, dir)}`);
	const run = spawnSync(process.execPath, [cli, 'lint'], {
		cwd: dir,
		stdio: 'inherit',
		env: { ...process.env, PATH: `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`, CI: 'true' },
	});
	if (run.status !== 0) throw new Error(`n8n-node lint failed (exit ${run.status ?? run.signal})`);
}

function packTarball() {
	const dir = path.join(work, 'tarball');
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	if (!fs.existsSync(path.join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8' });
	const [{ filename }] = JSON.parse(out);
	execFileSync('tar', ['-xzf', path.join(dir, filename), '-C', dir]);
	return path.join(dir, 'package');
}

async function scan() {
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');
	const legs = [
		{ name: 'source', dir: stageSource(), patterns: SOURCE_FILE_PATTERNS },
		{ name: 'tarball', dir: packTarball(), patterns: ['**/*.js', 'package.json'] },
	];
	let failed = false;
	for (const leg of legs) {
		const result = await analyzePackage(leg.dir, leg.patterns);
		console.log(`n8n scanner, ${leg.name}: ${result.passed ? 'passed' : `FAILED (${result.message})`}`);
		if (result.details) console.log(result.details);
		failed ||= !result.passed;
	}
	if (failed) throw new Error('n8n community-package scanner found errors');
}

const what = process.argv[2] ?? 'all';
try {
	if (what === 'lint' || what === 'all') lint();
	if (what === 'scan' || what === 'all') await scan();
} catch (error) {
	console.error(error.message);
	process.exit(1);
}
