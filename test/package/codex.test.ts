/**
 * Codex files (nodes/<Name>/<Name>.node.json): n8n reads one next to each compiled node (DirectoryLoader.getCodex,
 * `<file>.node.js` -> `<file>.node.json`) for the node panel's categories, search aliases and documentation links.
 * Checked on the sources, so this runs without a build.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const repoUrl = 'https://github.com/n8n-nodes-slack-brevo/n8n-nodes-slack-brevo';

// The app categories n8n's own nodes use (packages/nodes-base/nodes/**/*.node.json); an unknown one hides the node
// from the panel's category lists.
const KNOWN_CATEGORIES = [
	'AI',
	'Analytics',
	'Communication',
	'Data & Storage',
	'Development',
	'Finance & Accounting',
	'Marketing',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
];

/** dist/nodes/SlackNotify/SlackNotify.node.js -> SlackNotify */
const nodeDirs: string[] = pkg.n8n.nodes.map((entry: string) => path.basename(entry).replace(/\.node\.js$/, ''));

function description(dir: string): { name: string; version: number } {
	const source = fs.readFileSync(path.join(root, 'nodes', dir, `${dir}.node.ts`), 'utf8');
	const match = source.match(/displayName: '[^']+',\s*\n\s*name: '(\w+)',/);
	if (!match) throw new Error(`no description name found in ${dir}.node.ts`);
	const version = source.slice(match.index).match(/\n\s*version: (\d+),/);
	return { name: match[1], version: Number(version?.[1]) };
}

describe.each(nodeDirs)('nodes/%s codex', (dir) => {
	const file = path.join(root, 'nodes', dir, `${dir}.node.json`);

	it('exists next to the node and is JSON', () => {
		expect(fs.existsSync(file)).toBe(true);
		expect(() => JSON.parse(fs.readFileSync(file, 'utf8'))).not.toThrow();
	});

	it('names the node type and version as the description does', () => {
		const codex = JSON.parse(fs.readFileSync(file, 'utf8'));
		const { name, version } = description(dir);
		expect(codex.node).toBe(`${pkg.name}.${name}`);
		expect(codex.nodeVersion).toBe(`${version}.0`);
		expect(codex.codexVersion).toBe('1.0');
	});

	it('has known categories, search aliases and documentation links that resolve in this repository', () => {
		const codex = JSON.parse(fs.readFileSync(file, 'utf8'));
		expect(codex.categories.length).toBeGreaterThan(0);
		for (const c of codex.categories) expect(KNOWN_CATEGORIES).toContain(c);
		expect(codex.alias.length).toBeGreaterThan(0);
		expect(new Set(codex.alias.map((a: string) => a.toLowerCase())).size).toBe(codex.alias.length);
		// n8n destructures resources.primaryDocumentation: a codex without `resources` is dropped whole
		const [primary] = codex.resources.primaryDocumentation;
		expect(primary.url).toBe(`${repoUrl}/blob/main/nodes/${dir}/README.md`);
		expect(fs.existsSync(path.join(root, 'nodes', dir, 'README.md'))).toBe(true);
		for (const { url } of codex.resources.credentialDocumentation ?? []) expect(url).toBe(`${repoUrl}#credentials`);
		expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toMatch(/^## Credentials$/m);
	});
});

it('every node folder has a codex (no node left out of package.json either)', () => {
	const onDisk = fs
		.readdirSync(path.join(root, 'nodes'))
		.filter((d) => fs.existsSync(path.join(root, 'nodes', d, `${d}.node.ts`)))
		.sort();
	expect(onDisk).toEqual([...nodeDirs].sort());
	expect(nodeDirs).toHaveLength(6);
});
