#!/usr/bin/env node
/**
 * `npm test`: every check, in order, each phase timed, stopping at the first failure:
 * build (tsc + icons + codex + dist check), n8n-node lint (n8n's default config, strict), n8n's community-package
 * scanner (source and tarball), unit + contract + engine tests (jest), the end-to-end suite in a real n8n, the editor
 * suite (n8n's editor in Chromium, test/editor/README.md).
 * Prints a table of phase times at the end (also when a phase fails).
 */
const { spawnSync } = require('node:child_process');

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const phases = [
	['build', ['run', 'build']],
	['lint (n8n-node lint, default config)', ['run', 'lint']],
	["scan (n8n's community-package scanner)", ['run', 'scan']],
	['unit + contract + engine tests', ['run', 'test:unit']],
	['end-to-end suite in a real n8n', ['run', 'test:e2e'], { E2E_SKIP_BUILD: '1' }],
	['editor suite in a real browser (Chromium)', ['run', 'test:editor'], { E2E_SKIP_BUILD: '1' }],
];

const times = [];
let failed;
for (const [name, args, env] of phases) {
	const started = Date.now();
	console.log(`\n[test] ${name} ...`);
	const result = spawnSync(npm, args, { stdio: 'inherit', env: { ...process.env, ...(env ?? {}) } });
	const seconds = (Date.now() - started) / 1000;
	times.push([name, seconds, result.status === 0 ? 'ok' : 'FAILED']);
	console.log(`[test] ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${seconds.toFixed(1)} s`);
	if (result.status !== 0) {
		failed = name;
		break;
	}
}
const width = Math.max(...times.map(([n]) => n.length));
console.log('\n[test] phase times:');
for (const [name, seconds, status] of times) console.log(`    ${name.padEnd(width)}  ${seconds.toFixed(1).padStart(7)} s  ${status}`);
console.log(`    ${'total'.padEnd(width)}  ${times.reduce((a, [, s]) => a + s, 0).toFixed(1).padStart(7)} s`);
if (failed) {
	console.error(`[test] stopped: ${failed} failed`);
	process.exit(1);
}
