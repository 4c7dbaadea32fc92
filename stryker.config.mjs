// StrykerJS over the domain code: the pure modules under nodes/shared/** (the n8n layer nodes/shared/n8n/** excluded).
// Run it with `npm run mutate` (scripts/mutate.js picks a Node >= 22.18 binary); scope a run with
// `npm run mutate -- --mutate nodes/shared/slack/signature.ts`. Tests: jest.mutate.config.js (pure unit tests only).
// Reports: reports/mutation/mutation.html and mutation.json (gitignored). Incremental: reruns test only mutants whose
// code or covering tests changed since the last run (state in reports/mutation/stryker-incremental.json).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	packageManager: 'npm',
	testRunner: 'jest',
	jest: { projectType: 'custom', configFile: 'jest.mutate.config.js', enableFindRelatedTests: true },
	checkers: ['typescript'],
	// scripts/mutate.js sets STRYKER_TSCONFIG=.stryker-tsconfig.json: a program of the mutated files only (much faster).
	tsconfigFile: process.env.STRYKER_TSCONFIG ?? 'tsconfig.json',
	typescriptChecker: { prioritizePerformanceOverAccuracy: true },
	coverageAnalysis: 'perTest',
	mutate: ['nodes/shared/**/*.ts', '!nodes/shared/n8n/**'],
	// The machine has 2 cores shared with others: one test runner (plus the checker).
	concurrency: 1,
	incremental: true,
	incrementalFile: 'reports/mutation/stryker-incremental.json',
	reporters: ['html', 'json', 'clear-text', 'progress'],
	htmlReporter: { fileName: 'reports/mutation/mutation.html' },
	jsonReporter: { fileName: 'reports/mutation/mutation.json' },
	// Nothing the unit tests read lives in these; copying them into the sandbox only costs time and disk.
	ignorePatterns: ['.cache', 'dist', 'coverage', 'bench/results', 'test/e2e', '*.tgz'],
	timeoutMS: 10000,
	// The score counts no-coverage mutants as survived (Stryker's "mutation score", not "of covered code").
	thresholds: { high: 90, low: 85, break: null },
};
