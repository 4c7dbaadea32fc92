/**
 * The package as users get it: packed, installed into n8n's community nodes folder, loaded by a real n8n 2.x,
 * every node in the editor's node panel, every example published.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { e2e, n8n } from './support';

/** `dist/nodes/SlackNotify/SlackNotify.node.js` -> `slackNotify` (n8n's naming convention for description.name). */
function typeNameOf(file: string): string {
	const base = basename(file).replace(/\.(node|credentials)\.js$/, '');
	return base.charAt(0).toLowerCase() + base.slice(1);
}

describe('the packed package inside n8n', () => {
	const { pkg } = e2e();

	test('the node panel lists every node package.json declares', async () => {
		const types = await (await n8n()).nodeTypes();
		const listed = new Map(types.filter((t) => t.name.startsWith(`${pkg.name}.`)).map((t) => [t.name, t]));
		const expected = pkg.nodes.map((file) => `${pkg.name}.${typeNameOf(file)}`);
		expect(expected.length).toBeGreaterThan(0);
		expect([...listed.keys()].sort()).toEqual(expect.arrayContaining(expected));
		for (const name of expected) {
			const description = listed.get(name)!;
			expect(description.displayName).toEqual(expect.any(String));
			// n8n turns `icon: { light: 'file:x.svg', dark: 'file:x.dark.svg' }` into a themed iconUrl it serves: the
			// panel shows the package's own icon in both themes
			const iconUrl = description.iconUrl as unknown as { light: string; dark: string };
			expect(iconUrl).toEqual({ light: expect.stringMatching(/\.svg$/), dark: expect.stringMatching(/\.dark\.svg$/) });
			for (const url of [iconUrl.light, iconUrl.dark]) {
				const icon = await fetch(`${e2e().n8n.baseUrl}/${url}`);
				expect(icon.status).toBe(200);
				expect(await icon.text()).toMatch(/<svg/);
			}
			// the codex (<Name>.node.json next to the bundle) reached the panel: categories and search aliases
			const codex = (description as unknown as { codex?: { categories?: string[]; alias?: string[] } }).codex;
			expect(codex?.categories?.length).toBeGreaterThan(0);
			expect(codex?.alias?.length).toBeGreaterThan(0);
		}
	});

	test('the action nodes are offered as AI Agent tools (usableAsTool -> "<Node> Tool" with an ai_tool output)', async () => {
		const types = await (await n8n()).nodeTypes();
		const byName = new Map(types.map((t) => [t.name, t]));
		for (const name of ['slackNotify', 'brevoForSlack', 'slackSchedule']) {
			const tool = byName.get(`${pkg.name}.${name}Tool`);
			expect(tool?.displayName).toBe(`${byName.get(`${pkg.name}.${name}`)?.displayName} Tool`);
			expect(tool?.outputs).toEqual(['ai_tool']);
		}
		for (const trigger of ['slackInteractionTrigger', 'brevoEventTrigger', 'brevoCampaignTrigger']) {
			expect(byName.has(`${pkg.name}.${trigger}Tool`)).toBe(false);
		}
	});

	test('the editor knows the three credential types', async () => {
		const credentialTypes = (await (await n8n()).credentialTypes()).map((c) => c.name);
		expect(credentialTypes).toEqual(expect.arrayContaining(['slackBrevoBotApi', 'slackBrevoSigningSecretApi', 'slackBrevoBrevoApi']));
	});

	test('the credentials the examples reference exist with their fixed ids', async () => {
		const credentials = await (await n8n()).credentials();
		const byId = new Map(credentials.map((c) => [c.id, c.type]));
		expect(byId.get('slack-bot')).toBe('slackBrevoBotApi');
		expect(byId.get('slack-signing')).toBe('slackBrevoSigningSecretApi');
		expect(byId.get('brevo-key')).toBe('slackBrevoBrevoApi');
	});

	test('installed the Community Nodes way: unpacked under .n8n/nodes/node_modules without dev or peer dependencies', () => {
		const nodesDir = join(e2e().n8n.userFolder, '.n8n', 'nodes');
		const ledger = JSON.parse(readFileSync(join(nodesDir, 'package.json'), 'utf8'));
		expect(ledger.dependencies[pkg.name]).toBe(pkg.version);
		const installed = JSON.parse(readFileSync(join(nodesDir, 'node_modules', pkg.name, 'package.json'), 'utf8'));
		expect(installed.version).toBe(pkg.version);
		expect(installed.devDependencies).toBeUndefined();
		expect(installed.peerDependencies).toBeUndefined();
		expect(installed.dependencies ?? {}).toEqual({});
		for (const file of [...pkg.nodes, ...pkg.credentials]) expect(existsSync(join(nodesDir, 'node_modules', pkg.name, file))).toBe(true);
	});

	test.each(e2e().examples.map((e) => [e.file, e] as const))('examples/%s imports and publishes', async (_file, example) => {
		expect(example.error).toBeUndefined();
		expect(example.active).toBe(true);
		const workflow = await (await n8n()).workflow(example.id);
		expect(workflow.active).toBe(true);
	});
});
