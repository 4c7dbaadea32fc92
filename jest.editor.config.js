/**
 * Editor suite: n8n's editor in Debian's Chromium (playwright-core), against the same real n8n, emulators and packed
 * package as the e2e suite (its globalSetup / globalTeardown). See test/editor/README.md.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/editor'],
	testMatch: ['**/*.editor.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	globalSetup: '<rootDir>/test/editor/globalSetup.ts',
	globalTeardown: '<rootDir>/test/editor/globalTeardown.ts',
	testTimeout: 600000,
	maxWorkers: 1,
};
