#!/usr/bin/env node
/**
 * `npm run test:editor`: the editor suite in a real browser (jest -c jest.editor.config.js). Extra arguments go to
 * jest. E2E_SKIP_BUILD=1 reuses dist/; EDITOR_REUSE_STATE=<state.json> runs against a stack kept up by
 * `node -r ts-node/register/transpile-only test/editor/hold.ts` (for writing tests); CHROMIUM_PATH overrides
 * /usr/bin/chromium.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const root = path.join(__dirname, '..');
const result = spawnSync(process.execPath, [require.resolve('jest/bin/jest', { paths: [root] }), '-c', 'jest.editor.config.js', ...process.argv.slice(2)], {
	cwd: root,
	stdio: 'inherit',
});
process.exit(result.status ?? 1);
