#!/usr/bin/env node
/**
 * `npm run test:e2e`: the real-n8n suite (jest -c jest.e2e.config.js). Extra arguments go to jest, e.g.
 * `npm run test:e2e -- -t restart`. E2E_SKIP_BUILD=1 reuses dist/; E2E_VERBOSE=1 echoes provisioning and build output.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const root = path.join(__dirname, '..');
const result = spawnSync(process.execPath, [require.resolve('jest/bin/jest', { paths: [root] }), '-c', 'jest.e2e.config.js', ...process.argv.slice(2)], {
	cwd: root,
	stdio: 'inherit',
});
process.exit(result.status ?? 1);
