// n8n's community-node rules (self-hosted flavour: this package targets self-hosted n8n, where the cloud-only
// rules about process/timers/imports do not apply) plus eslint-plugin-n8n-nodes-base, composed the way
// @n8n/node-cli composes them. Every rule switched off is switched off here, once, with the reason.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const community = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test/**', 'bench/**', 'scripts/**', 'examples/**', '**/*.test.ts', '*.js', '*.mjs'] },
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended, community],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			// As in @n8n/node-cli: n8n's own patterns (fn.apply(this, args) in execute wrappers) trip it with no gain.
			'prefer-spread': 'off',
			'no-console': 'error',
		},
	},
	{
		// Pure domain modules and the client factories: they have no n8n imports by design (see CONTRIBUTING.md) and
		// throw plain, typed errors (BlockKitError, ScheduleInputError, SDK errors) that the node files translate into
		// NodeOperationError / NodeApiError with the item index. The rule stays on for every node and operation file.
		// The user-sync transport implements the pure sync's ports and throws the sync's own typed errors, which
		// sync.operation.ts turns into NodeApiError: the same contract as nodes/shared.
		files: ['nodes/shared/**/*.ts', 'nodes/BrevoForSlack/actions/transport.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	{
		files: ['package.json'],
		extends: [community],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...n8nNodesBase.configs.community.rules },
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Same exceptions as @n8n/node-cli: documentation URLs are full https URLs (the rule wants camelCase slugs),
			// and the password rule is enforced by @n8n/community-nodes/credential-password-field instead.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Same exceptions as @n8n/node-cli: these rules predate NodeConnectionTypes constants and multi-output
			// triggers (the Brevo trigger has a second "below threshold" output) and flag valid code.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
);
