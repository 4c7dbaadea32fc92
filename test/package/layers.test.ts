/**
 * The package's layers, read from the source: no node imports another node (what nodes share lives in
 * nodes/shared), the pure domain modules (nodes/shared outside nodes/shared/n8n) import neither n8n nor an SDK at
 * run time, and every option loader a node's description names is registered on that node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { INodeProperties, INodeType } from 'n8n-workflow';

import { loadAllPackageNodeTypes } from '../harness';

const root = path.resolve(__dirname, '../..');
const nodesDir = path.join(root, 'nodes');

function walk(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Every import of a file: module specifier and whether it is type-only. */
function imports(file: string): Array<{ spec: string; typeOnly: boolean }> {
	const code = fs.readFileSync(file, 'utf8');
	return [...code.matchAll(/^\s*import\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms)].map((m) => ({ spec: m[2], typeOnly: Boolean(m[1]) }));
}

const sources = walk(nodesDir).filter((f) => f.endsWith('.ts'));
const nodeOf = (file: string) => path.relative(nodesDir, file).split(path.sep)[0];

describe('layers', () => {
	it('no node imports another node', () => {
		const crossings: string[] = [];
		for (const file of sources) {
			const own = nodeOf(file);
			if (own === 'shared') continue;
			for (const { spec } of imports(file)) {
				if (!spec.startsWith('.')) continue;
				const target = nodeOf(path.resolve(path.dirname(file), spec));
				if (target !== own && target !== 'shared') crossings.push(`${path.relative(root, file)} -> ${spec}`);
			}
		}
		expect(crossings).toEqual([]);
	});

	it('the pure modules (nodes/shared outside n8n/) import no n8n package and nothing from an SDK at run time', () => {
		const offenders: string[] = [];
		for (const file of sources.filter((f) => nodeOf(f) === 'shared' && !f.includes(`${path.sep}n8n${path.sep}`))) {
			for (const { spec, typeOnly } of imports(file)) {
				if (spec.startsWith('.')) {
					if (path.resolve(path.dirname(file), spec).includes(`${path.sep}shared${path.sep}n8n`)) offenders.push(`${path.relative(root, file)} -> ${spec}`);
					continue;
				}
				if (/^n8n-(workflow|core)$/.test(spec)) offenders.push(`${path.relative(root, file)} -> ${spec}`);
				if (/^@slack\/|^@getbrevo\//.test(spec) && !typeOnly) offenders.push(`${path.relative(root, file)} -> ${spec} (not type-only)`);
			}
		}
		expect(offenders).toEqual([]);
	});

	it('SDK imports anywhere under nodes/ are type-only', () => {
		const offenders = sources.flatMap((file) =>
			imports(file)
				.filter(({ spec, typeOnly }) => /^@slack\/|^@getbrevo\//.test(spec) && !typeOnly)
				.map(({ spec }) => `${path.relative(root, file)} -> ${spec}`),
		);
		expect(offenders).toEqual([]);
	});
});

/** Every loader name a description refers to, with the kind of loader it must be. */
function namedLoaders(properties: INodeProperties[]): Array<{ kind: 'loadOptions' | 'listSearch'; name: string; where: string }> {
	const out: Array<{ kind: 'loadOptions' | 'listSearch'; name: string; where: string }> = [];
	const visit = (value: unknown, where: string): void => {
		if (Array.isArray(value)) return value.forEach((v) => visit(v, where));
		if (!value || typeof value !== 'object') return;
		const obj = value as Record<string, unknown>;
		const here = typeof obj.name === 'string' ? `${where}/${obj.name}` : where;
		const typeOptions = obj.typeOptions as Record<string, unknown> | undefined;
		if (typeof typeOptions?.loadOptionsMethod === 'string') out.push({ kind: 'loadOptions', name: typeOptions.loadOptionsMethod, where: here });
		if (typeof typeOptions?.searchListMethod === 'string') out.push({ kind: 'listSearch', name: typeOptions.searchListMethod, where: here });
		for (const v of Object.values(obj)) visit(v, here);
	};
	visit(properties, '');
	return out;
}

describe('option loaders', () => {
	const { types } = loadAllPackageNodeTypes();
	const nodes = types.map((t) => t as INodeType);

	it('every package node type loads', () => {
		expect(nodes.map((n) => n.description.name).sort()).toEqual(
			['brevoCampaignTrigger', 'brevoEventTrigger', 'brevoForSlack', 'slackInteractionTrigger', 'slackNotify', 'slackSchedule'].sort(),
		);
	});

	it.each(nodes.map((n) => [n.description.name, n] as const))('%s registers every loader its description names', (_name, node) => {
		const missing = namedLoaders(node.description.properties)
			.filter(({ kind, name }) => typeof (node.methods?.[kind] as Record<string, unknown> | undefined)?.[name] !== 'function')
			.map(({ kind, name, where }) => `${kind}.${name} (named by ${where})`);
		expect(missing).toEqual([]);
	});

	it.each(nodes.map((n) => [n.description.name, n] as const))('%s: every loadOptionsDependsOn names a parameter of its description', (_name, node) => {
		expect(dependsOnMissing(node.description.properties)).toEqual([]);
	});

	it('finds a loader the description names but the node does not register (the check can fail)', () => {
		const broken: INodeType = {
			description: { properties: [{ displayName: 'C', name: 'c', type: 'options', default: '', typeOptions: { loadOptionsMethod: 'getNothing' } }] } as never,
			methods: { loadOptions: {} },
		};
		const missing = namedLoaders(broken.description.properties).filter(({ kind, name }) => !(broken.methods?.[kind] as Record<string, unknown>)?.[name]);
		expect(missing.map((m) => m.name)).toEqual(['getNothing']);
	});

	it('finds loaders inside fixedCollection rows, collection options and resource locator modes, and unknown loadOptionsDependsOn', () => {
		const properties = [
			{
				displayName: 'Routing Rules',
				name: 'routing',
				type: 'fixedCollection',
				default: {},
				options: [{ displayName: 'Rule', name: 'rules', values: [{ displayName: 'Channel', name: 'channel', type: 'options', default: '', typeOptions: { loadOptionsMethod: 'getRowChannels', loadOptionsDependsOn: ['nowhere'] } }] }],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: [{ displayName: 'List', name: 'list', type: 'options', default: '', typeOptions: { loadOptionsMethod: 'getOptionLists', loadOptionsDependsOn: ['routing'] } }],
			},
			{
				displayName: 'Channel',
				name: 'channel',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				modes: [{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchChannels' } }],
			},
		] as unknown as INodeProperties[];
		expect(namedLoaders(properties).map((l) => `${l.kind}.${l.name} ${l.where}`)).toEqual([
			'loadOptions.getRowChannels /routing/rules/channel',
			'loadOptions.getOptionLists /options/list',
			'listSearch.searchChannels /channel/list',
		]);
		expect(dependsOnMissing(properties)).toEqual(['/routing/rules/channel depends on "nowhere"']);
	});
});

/**
 * Every `loadOptionsDependsOn` entry must name a parameter the description has (top level, or a field beside it in
 * its collection / fixedCollection row; `parameters.x` or `x`, `&` for the parent level as n8n resolves it):
 * otherwise the editor never reloads the options when the user changes what they depend on.
 */
function dependsOnMissing(properties: INodeProperties[]): string[] {
	const names = new Set<string>();
	const collect = (value: unknown): void => {
		if (Array.isArray(value)) return value.forEach(collect);
		if (!value || typeof value !== 'object') return;
		const obj = value as Record<string, unknown>;
		if (typeof obj.name === 'string') names.add(obj.name);
		for (const v of Object.values(obj)) collect(v);
	};
	collect(properties);
	const out: string[] = [];
	const visit = (value: unknown, where: string): void => {
		if (Array.isArray(value)) return value.forEach((v) => visit(v, where));
		if (!value || typeof value !== 'object') return;
		const obj = value as Record<string, unknown>;
		const here = typeof obj.name === 'string' ? `${where}/${obj.name}` : where;
		const depends = (obj.typeOptions as Record<string, unknown> | undefined)?.loadOptionsDependsOn;
		if (Array.isArray(depends)) {
			for (const dep of depends as string[]) {
				const leaf = String(dep).replace(/^&/, '').replace(/^parameters\./, '').split('.').pop() ?? '';
				if (!names.has(leaf)) out.push(`${here} depends on "${dep}"`);
			}
		}
		for (const v of Object.values(obj)) visit(v, here);
	};
	visit(properties, '');
	return out;
}
