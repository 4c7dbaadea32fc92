/**
 * The package as n8n loads it: every dist entry listed in package.json's "n8n" section loads, dist requires nothing
 * but its own files and what n8n provides (n8n-workflow, luxon, crypto: no SDK code ships), the tarball holds only
 * dist + README + LICENSE + package.json, and nothing is a runtime dependency. Needs `npm run build` first (the README
 * test command builds before testing).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('package.json', () => {
	it('is a community node package with no runtime dependencies and no install scripts', () => {
		expect(pkg.name).toBe('n8n-nodes-slack-brevo');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.license).toBe('MIT');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(Object.keys(pkg.peerDependencies)).toEqual(['n8n-workflow']);
		for (const s of ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish']) {
			expect(pkg.scripts[s]).toBeUndefined();
		}
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
	});
});

describe('dist', () => {
	const entries: string[] = [...pkg.n8n.credentials, ...pkg.n8n.nodes];

	it.each(entries)('%s loads without any dependency but n8n-workflow', (entry) => {
		const file = path.join(root, entry);
		expect(fs.existsSync(file)).toBe(true);
		const source = fs.readFileSync(file, 'utf8');
		const required = [...source.matchAll(/require\(["']([^"'.][^"']*)["']\)/g)].map((m) => m[1]);
		const external = required.filter((r) => !r.startsWith('node:') && r !== 'n8n-workflow' && !isBuiltin(r));
		expect(external).toEqual([]);
		const mod = require(file);
		const className = path.basename(entry).split('.')[0];
		const Cls = mod[className];
		expect(typeof Cls).toBe('function');
		const instance = new Cls();
		if (entry.includes('/credentials/')) {
			expect(instance.name).toMatch(/^slackBrevo/);
			expect(instance.properties.length).toBeGreaterThan(0);
		} else {
			expect(instance.description.name).toBeTruthy();
			expect(instance.description.displayName).toBeTruthy();
		}
		// themed icons ({ light, dark }), both copied next to the bundle
		const icon = entry.includes('/credentials/') ? instance.icon : instance.description.icon;
		expect(icon).toEqual({ light: expect.stringMatching(/^file:.+\.svg$/), dark: expect.stringMatching(/^file:.+\.dark\.svg$/) });
		for (const variant of [icon.light, icon.dark]) {
			expect(fs.existsSync(path.join(path.dirname(file), variant.replace(/^file:/, '')))).toBe(true);
		}
	});

	it.each(pkg.n8n.nodes as string[])('%s has its codex (.node.json) beside it, as n8n reads it', (entry) => {
		// n8n's DirectoryLoader.getCodex requires `${file}on`: dist/nodes/X/X.node.js -> dist/nodes/X/X.node.json
		const codexFile = path.join(root, `${entry}on`);
		expect(fs.existsSync(codexFile)).toBe(true);
		const codex = JSON.parse(fs.readFileSync(codexFile, 'utf8'));
		const Cls = require(path.join(root, entry))[path.basename(entry).split('.')[0]];
		expect(codex.node).toBe(`${pkg.name}.${new Cls().description.name}`);
		expect(codex.resources.primaryDocumentation.length).toBeGreaterThan(0);
	});

	it('no compiled file requires anything but its own files and what n8n provides (no SDK code in dist)', () => {
		const provided = new Set(['n8n-workflow', 'luxon', 'crypto', 'node:crypto']);
		const walk = (dir: string): string[] =>
			fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
		const offenders: string[] = [];
		for (const file of walk(path.join(root, 'dist')).filter((f) => f.endsWith('.js'))) {
			const code = fs.readFileSync(file, 'utf8');
			for (const m of code.matchAll(/require\(["']([^"']+)["']\)/g)) {
				if (!m[1].startsWith('.') && !provided.has(m[1])) offenders.push(`${path.relative(root, file)}: ${m[1]}`);
			}
			expect(code).not.toMatch(/@slack\/web-api|@getbrevo\/brevo|axios|p-queue/);
		}
		expect(offenders).toEqual([]);
	});

	it('unpacks to at most a tenth of the bundled build it replaced (5.2 MB)', () => {
		const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
		expect(JSON.parse(out)[0].unpackedSize).toBeLessThan(520_000);
	});

	it('npm pack holds only dist, README, LICENSE and package.json', () => {
		const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
		const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
		const unexpected = files.filter((f) => !/^(dist\/|README\.md$|LICENSE$|package\.json$)/.test(f));
		expect(unexpected).toEqual([]);
		expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
	});
});

function isBuiltin(name: string): boolean {
	return require('node:module').builtinModules.includes(name.split('/')[0]);
}
