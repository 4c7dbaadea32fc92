/**
 * The tests `npm run mutate` (StrykerJS) runs against each mutant: the fast, pure unit tests of the domain modules
 * (`nodes/shared/**` less the n8n layer), i.e. `test/unit/**` and the few pure-module tests kept beside their node's
 * suite. No emulator, engine or e2e test: those take seconds each and would make a mutation run take hours.
 */
const base = require('./jest.config.js');

module.exports = {
	...base,
	roots: ['<rootDir>/test/unit', '<rootDir>/test/brevo-trigger', '<rootDir>/test/slack-trigger', '<rootDir>/test/user-sync', '<rootDir>/test/support', '<rootDir>/nodes/shared'],
	testMatch: [
		'<rootDir>/test/unit/**/*.test.ts',
		'<rootDir>/test/brevo-trigger/auth.test.ts',
		'<rootDir>/test/brevo-trigger/order.test.ts',
		'<rootDir>/test/brevo-trigger/normalize.test.ts',
		'<rootDir>/test/slack-trigger/dedup.test.ts',
		'<rootDir>/test/user-sync/userSync.test.ts',
	],
	maxWorkers: 1,
};
