/**
 * Every node of the package in n8n's editor, as a user meets it: found in the nodes panel by searching "Slack",
 * "Brevo" or "Sendinblue", added, then for every resource / operation (Brevo Event Trigger: every event) selected in
 * its panel. For each: the panel shows exactly the parameters the description's displayOptions give (evaluated by
 * n8n-workflow) and the node's README lists in its "In the editor" section; no parameter shows an issue other
 * than "required"; the notices appear; every dropdown and resource locator that loads from Slack or Brevo lists the
 * emulators' channels / lists (the routing table's channel column included: its row is added as a user adds it).
 * A screenshot of each panel goes to .cache/editor/screenshots/.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import {
	addNode,
	dropdownOptions,
	fillCredentials,
	newWorkflow,
	openEditor,
	parameterIssues,
	params,
	resourceLocatorEntries,
	screenshot,
	searchNodes,
	selectOption,
	shownNotices,
	shownParameters,
	type Editor,
} from './browser';
import {
	NODES,
	descriptionOf,
	documentedPanels,
	expectedPanel,
	loaderExpectations,
	loaderFields,
	readme,
	variantTitle,
	variants,
	type Variant,
} from './expected';

let editor: Editor;
let expectedEntries: Record<string, string[]>;

beforeAll(async () => {
	editor = await openEditor();
	expectedEntries = await loaderExpectations();
});

afterAll(async () => {
	await editor?.close();
});

/** "Parameter "X" is required." is the one issue a fresh node may show (an empty required field). */
const REQUIRED = /is required/i;

/**
 * An issue a fresh node may show: "... is required" for an empty required field, or, for a dropdown fed by a loader
 * that nothing has been picked in yet, n8n's own `The value "" is not supported!` (its editor checks the empty
 * value against the loaded options: the same "pick one" for a loader-fed field).
 */
function allowedIssue(issue: string, loaderFed: Set<string>): boolean {
	if (REQUIRED.test(issue)) return true;
	const [label, text] = issue.split(/: (.*)/s);
	return loaderFed.has(label) && text === 'The value "" is not supported!';
}

/** A notice's text as the panel shows it: its HTML markup (<b>, links) rendered, entities decoded. */
function plain(s: string): string {
	return s
		.replace(/<[^>]+>/g, '')
		.replace(/&amp;/g, '&')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/\s+/g, ' ')
		.trim();
}

describe.each(NODES.map((n) => [n.entry, n] as const))('%s', (_entry, pkgNode) => {
	let description: INodeTypeDescription;
	beforeAll(async () => {
		description = await descriptionOf(pkgNode.name);
	});

	it(`is found in the nodes panel by searching ${pkgNode.searches.map((q) => `"${q}"`).join(', ')}`, async () => {
		await newWorkflow(editor.page);
		const found: Record<string, boolean> = {};
		for (const query of pkgNode.searches) found[query] = (await searchNodes(editor.page, query)).includes(pkgNode.entry);
		expect(found).toEqual(Object.fromEntries(pkgNode.searches.map((q) => [q, true])));
	});

	it('shows, for every resource / operation, the documented parameters, no issue but "required", its notices, and loads Slack / Brevo entries', async () => {
		const { page } = editor;
		await newWorkflow(page);
		await addNode(page, pkgNode.searches[0], pkgNode.entry);
		await fillCredentials(page);
		const documented = documentedPanels(readme(pkgNode.dir));
		const problems: string[] = [];
		const all = variants(description);
		for (const v of all) {
			const title = variantTitle(v);
			try {
				await selectVariant(v);
				await fillCredentials(page);
				const expected = expectedPanel(description, v);
				const shown = (await shownParameters(page)).map((p) => p.label);
				if (shown.join(' | ') !== expected.labels.join(' | ')) problems.push(`${title}: the panel shows [${shown.join(', ')}], the description gives [${expected.labels.join(', ')}]`);
				const doc = documented.get(title);
				if (!doc) problems.push(`${title}: not in the README's "In the editor" section (nodes/${pkgNode.dir}/README.md)`);
				else if (doc.join(' | ') !== shown.join(' | ')) problems.push(`${title}: the README lists [${doc.join(', ')}], the panel shows [${shown.join(', ')}]`);
				const loaderFed = new Set(expected.properties.filter((p) => p.typeOptions?.loadOptionsMethod).map((p) => p.displayName));
				for (const issue of await parameterIssues(page)) if (!allowedIssue(issue, loaderFed)) problems.push(`${title}: issue ${issue}`);
				const notices = (await shownNotices(page)).map(plain);
				for (const notice of expected.notices) if (!notices.some((n) => n.includes(plain(notice)))) problems.push(`${title}: notice not shown: ${notice}`);
				await screenshot(page, `${pkgNode.name}${v.key ? `--${v.key.replace(/\//g, '-')}` : ''}.png`, page.locator('[data-test-id=ndv]'));
				problems.push(...(await checkLoaders(title, expected.properties)));
			} catch (error) {
				problems.push(`${title}: ${(error as Error).message.split('\n')[0]}`);
				await screenshot(page, `FAILED-${pkgNode.name}-${v.key.replace(/\//g, '-') || 'node'}.png`).catch(() => undefined);
			}
		}
		expect(problems).toEqual([]);
		expect(all.length).toBeGreaterThan(0);
	});

	/** Selects a variant's resource / operation / event in the open panel, in that order. */
	async function selectVariant(v: Variant): Promise<void> {
		for (const [name, label] of Object.entries(v.labels)) await selectOption(editor.page, name, label);
	}

	/** Opens every loader-fed dropdown / locator of the panel and checks it lists the emulators' entries. */
	async function checkLoaders(title: string, properties: INodeProperties[]): Promise<string[]> {
		const { page } = editor;
		const problems: string[] = [];
		for (const p of properties) {
			for (const { row, field, method, kind } of loaderFields(p)) {
				const want = expectedEntries[method];
				if (!want) {
					problems.push(`${title}: ${field.displayName} uses the loader ${method}, which this suite has no expectation for`);
					continue;
				}
				let got: string[];
				let error: string | undefined;
				if (row) {
					// a fixedCollection row (the routing table's rule): add one as a user does, read its dropdown, remove it
					const collection = params(page).locator(`[data-test-id=fixed-collection-${p.name}]`);
					await collection.locator('[data-test-id=fixed-collection-add]').last().click();
					({ options: got, error } = await dropdownOptions(page, field.name, collection));
					await collection.locator('[data-test-id=fixed-collection-delete]').first().click();
				} else if (kind === 'listSearch') {
					got = await resourceLocatorEntries(page, field.name);
				} else {
					({ options: got, error } = await dropdownOptions(page, field.name));
				}
				const missing = want.filter((w) => !got.includes(w));
				if (missing.length) problems.push(`${title}: ${p.displayName}${row ? ` > ${field.displayName}` : ''} (${method}) lists [${got.join(', ')}]${error ? ` (${error})` : ''}, missing ${missing.join(', ')}`);
			}
		}
		return problems;
	}
});
