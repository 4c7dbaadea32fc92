/**
 * The editor suite's browser: Debian's Chromium driven by playwright-core (no browser download), logged in to the
 * run's n8n as its owner, and the few editor gestures the tests need, found by n8n 2.40.7's `data-test-id`s
 * (inspected in the running editor). See README.md in this folder.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

import { ROOT } from '../../scripts/lib/n8n-runtime';
import { e2e } from '../e2e/support';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** Every panel per operation (test artifacts, not committed). */
export const SHOTS_DIR = join(ROOT, '.cache', 'editor', 'screenshots');
/** The few shown in the READMEs (committed). */
export const DOC_SHOTS_DIR = join(ROOT, 'docs', 'screenshots');

export interface Editor {
	browser: Browser;
	page: Page;
	/** browser console errors and failed requests seen so far (for failure messages) */
	errors: string[];
	close(): Promise<void>;
}

/** One browser, one page, logged in through the sign-in form. */
export async function openEditor(): Promise<Editor> {
	if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH`);
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		// --no-sandbox: CI runs as root, where Chromium's sandbox cannot start
		args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
	});
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	page.setDefaultTimeout(20_000);
	// the editor's bundle is large and the machine is shared (2 cores): page loads get a minute
	page.setDefaultNavigationTimeout(90_000);
	const errors: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	page.on('pageerror', (e) => errors.push(String(e)));
	// leaving a workflow with unsaved changes asks (beforeunload): leave, as the tests start each one afresh
	page.on('dialog', (d) => void d.accept());
	try {
		await login(page);
	} catch (error) {
		await browser.close();
		throw error;
	}
	return { browser, page, errors, close: () => browser.close() };
}

export async function login(page: Page): Promise<void> {
	const { baseUrl } = e2e().n8n;
	await page.goto(`${baseUrl}/signin`, { waitUntil: 'domcontentloaded' });
	await page.locator('[data-test-id=emailOrLdapLoginId] input').waitFor({ timeout: 90_000 });
	await page.locator('[data-test-id=emailOrLdapLoginId] input').fill(e2e().owner.email);
	await page.locator('[data-test-id=password] input').fill(e2e().owner.password);
	await page.locator('[data-test-id=form-submit-button]').click();
	await page.waitForURL((u) => !u.pathname.includes('signin'), { timeout: 30_000 });
}

/** A fresh, empty workflow in the editor. */
export async function newWorkflow(page: Page): Promise<void> {
	await page.goto(`${e2e().n8n.baseUrl}/workflow/new`, { waitUntil: 'domcontentloaded' });
	await page.locator('[data-test-id=canvas-plus-button], [data-test-id=node-creator-plus-button]').first().waitFor({ timeout: 60_000 });
}

/** An existing workflow by id, its canvas drawn. */
export async function openWorkflow(page: Page, id: string): Promise<void> {
	await page.goto(`${e2e().n8n.baseUrl}/workflow/${id}`, { waitUntil: 'domcontentloaded' });
	await page.locator('[data-test-id=canvas-node]').first().waitFor({ timeout: 60_000 });
}

/** The node creator's result names for a search (what a user sees after typing). */
export async function searchNodes(page: Page, query: string): Promise<string[]> {
	await closeNdv(page);
	await closeNodeCreator(page);
	await page.locator('[data-test-id=node-creator-plus-button]').click();
	const search = page.locator('[data-test-id=node-creator-search-bar]');
	const names = page.locator('[data-test-id=node-creator] [data-test-id=node-creator-item-name]');
	await names.first().waitFor();
	const read = async () => (await names.allInnerTexts()).map((s) => s.trim()).join('\n');
	const before = await read();
	await search.fill(query);
	// the results replace the start list once the search has run: wait until the list changed and holds still
	let last = before;
	for (let i = 0; i < 100; i++) {
		await page.waitForTimeout(150);
		const now = await read();
		if (now !== before && now === last) break;
		last = now;
	}
	return last.split('\n').filter(Boolean);
}

export async function closeNodeCreator(page: Page): Promise<void> {
	if (await page.locator('[data-test-id=node-creator]').isVisible()) {
		await page.keyboard.press('Escape');
		await page.locator('[data-test-id=node-creator]').waitFor({ state: 'hidden' });
	}
}

/**
 * Adds a node as a user does: search, click its entry; a node with actions opens its actions list, where `action`
 * (or the first action) is clicked. Returns the action names listed (empty for a node without actions). The node's
 * panel (NDV) is open afterwards.
 */
export async function addNode(page: Page, query: string, entry: string, action?: string): Promise<string[]> {
	const names = await searchNodes(page, query);
	if (!names.includes(entry)) throw new Error(`searching "${query}" does not list "${entry}" (it lists: ${names.join(', ')})`);
	await clickByText(page.locator('[data-test-id=node-creator] [data-test-id=node-creator-item-name]'), entry);
	const ndv = page.locator('[data-test-id=ndv]');
	const actionsHeader = page.locator('[data-test-id=node-creator] [data-test-id=node-creator-category-item]').first();
	// an installed community node without actions opens its "Node details" page first, with "Add to workflow"
	const addToWorkflow = page.locator('[data-test-id=node-creator]').getByRole('button', { name: 'Add to workflow' });
	await Promise.race([ndv.waitFor(), actionsHeader.waitFor(), addToWorkflow.waitFor()]);
	let actions: string[] = [];
	if (await addToWorkflow.isVisible()) {
		await addToWorkflow.click();
		await ndv.waitFor();
	} else if (!(await ndv.isVisible())) {
		actions = await actionNames(page);
		const chosen = action ?? actions[0];
		await clickByText(page.locator('[data-test-id=node-creator] [data-test-id=node-creator-item-name]'), chosen);
		await ndv.waitFor();
	}
	await page.locator('[data-test-id=node-parameters]').waitFor();
	return actions;
}

/**
 * Clicks the first of `items` whose trimmed text is `text`. Located by text, not by index: the node creator re-renders
 * its list while it settles, and an index read before that can point past the end (seen once in CI).
 */
async function clickByText(items: Locator, text: string): Promise<void> {
	const exact = new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
	const texts = (await items.allInnerTexts()).map((t) => t.trim());
	if (!texts.includes(text)) throw new Error(`no "${text}" among: ${texts.join(', ')}`);
	await items.filter({ hasText: exact }).first().click();
}

/**
 * The entries of the node creator's actions view: those under "Actions (n)" for an action node (its "Triggers"
 * category then holds n8n's generic triggers), those under "Triggers (n)" for a trigger node (its events).
 */
async function actionNames(page: Page): Promise<string[]> {
	return await page.evaluate(() => {
		const groups: Record<string, string[]> = {};
		let group = '';
		for (const el of Array.from(document.querySelectorAll('[data-test-id=node-creator] [data-test-id=node-creator-category-item], [data-test-id=node-creator] [data-test-id=node-creator-item-name]'))) {
			const text = (el as HTMLElement).innerText.trim();
			if (el.getAttribute('data-test-id') === 'node-creator-category-item') group = text.replace(/\s*\(\d+\)$/, '');
			else (groups[group] ??= []).push(text);
		}
		return groups.Actions ?? groups.Triggers ?? [];
	});
}

export async function closeNdv(page: Page): Promise<void> {
	const ndv = page.locator('[data-test-id=ndv]');
	if (await ndv.isVisible()) {
		await page.locator('[data-test-id=ndv-close-button]').click();
		await ndv.waitFor({ state: 'hidden' });
	}
}

/** The open panel's parameters section. */
export function params(page: Page): Locator {
	return page.locator('[data-test-id=ndv] [data-test-id=node-parameters]');
}

/**
 * The top-level parameters the open panel shows (Parameters tab): their labels, in order, with each one's issue
 * texts and notices. Nested items (inside collections) are left out.
 */
export async function shownParameters(page: Page): Promise<Array<{ label: string; name?: string; issues: string[] }>> {
	return await params(page).evaluate((root) => {
		const items = Array.from(root.querySelectorAll('[data-test-id=parameter-item]')).filter(
			(el) => (el as HTMLElement).offsetParent !== null && !el.parentElement?.closest('[data-test-id=parameter-item]'),
		);
		return items.filter((el) => !el.querySelector('.notice, [role=alert]') || el.querySelector('[data-test-id=input-label]')).map((el) => {
			const label = (el.querySelector('[data-test-id=input-label] label, [data-test-id=input-label]') as HTMLElement | null)?.innerText.split('\n')[0].trim() ?? '';
			const named = el.querySelector('[data-test-id^=parameter-input-]:not([data-test-id=parameter-input-field]):not([data-test-id=parameter-input-item])');
			const name = named?.getAttribute('data-test-id')?.replace(/^parameter-input-/, '');
			const issues = Array.from(el.querySelectorAll('[data-test-id=parameter-issues]')).map((i) => (i as HTMLElement).getAttribute('title') ?? (i as HTMLElement).innerText);
			return { label, name, issues };
		});
	});
}

/**
 * The issue texts of every parameter of the open panel that shows the issue triangle (n8n puts them in a tooltip:
 * hovered one by one). Returns `label: issue` lines.
 */
export async function parameterIssues(page: Page): Promise<string[]> {
	const triangles = params(page).locator('[data-test-id=parameter-issues]:visible');
	const out: string[] = [];
	for (let i = 0; i < (await triangles.count()); i++) {
		const triangle = triangles.nth(i);
		const label = await triangle.evaluate((el) => (el.closest('[data-test-id=parameter-item]')?.querySelector('[data-test-id=input-label]') as HTMLElement | null)?.innerText.split('\n')[0].trim() ?? '?');
		await triangle.locator('span').first().hover();
		const tip = page.locator('[data-state=delayed-open], [data-state=instant-open], [role=tooltip]').filter({ hasText: 'Issues:' }).last();
		let text = '(tooltip did not open)';
		try {
			await tip.waitFor({ timeout: 5_000 });
			text = (await tip.innerText()).replace(/^Issues:\s*/, '').trim();
		} catch {
			// keep the placeholder: the failure message then says which parameter's tooltip did not open
		}
		await page.mouse.move(5, 5);
		await tip.waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => undefined);
		for (const line of text.split('\n').filter((l) => l.trim())) out.push(`${label}: ${line.trim()}`);
	}
	return out;
}

/** Notices (type: 'notice' parameters) shown in the open panel. */
export async function shownNotices(page: Page): Promise<string[]> {
	return await params(page).evaluate((root) =>
		Array.from(root.querySelectorAll('.notice, [data-test-id=parameter-notice], [role=alert]'))
			.filter((el) => (el as HTMLElement).offsetParent !== null)
			.map((el) => (el as HTMLElement).innerText.trim()),
	);
}

/** Selects the stored credential `id` in whichever credential slot of the open panel offers it. */
export async function selectCredential(page: Page, id: string): Promise<void> {
	const selects = page.locator('[data-test-id=ndv] [data-test-id=node-credentials-select]');
	for (let i = 0; i < (await selects.count()); i++) {
		await selects.nth(i).click();
		const item = page.locator(`.el-select__popper:visible [data-test-id=node-credentials-select-item-${id}]`);
		try {
			await item.waitFor({ timeout: 3_000 });
			await item.click();
			return;
		} catch {
			await page.keyboard.press('Escape');
		}
	}
	throw new Error(`no credential slot of the open panel offers the credential "${id}"`);
}

/** The listbox a select opened by clicking `trigger` controls (its `aria-controls`), once it shows. */
async function openListbox(page: Page, trigger: Locator): Promise<Locator> {
	const input = trigger.locator('input[aria-controls]').first();
	for (let attempt = 0; ; attempt++) {
		// a click on a select that has just got focus can close it again: the caret is clicked on a second try
		await (attempt === 0 ? trigger : trigger.locator('.el-select__caret').first()).click();
		// the listbox id is read after the click: the select may render again on opening
		const id = await input.getAttribute('aria-controls');
		if (!id) throw new Error('the select has no listbox (aria-controls)');
		const box = page.locator(`[id="${id}"]`);
		try {
			await box.locator('xpath=ancestor::*[contains(@class,"el-popper")][1]').waitFor({ timeout: 5_000 });
			return box;
		} catch (error) {
			if (attempt >= 2) throw error;
			if (await box.isVisible()) await page.keyboard.press('Escape');
		}
	}
}

/** An open listbox's option labels (first line of each: the name, without its description). */
async function listboxLabels(box: Locator): Promise<string[]> {
	return (await box.locator('[role=option]').allInnerTexts()).map((t) => t.split('\n')[0].trim());
}

/** Fills every empty credential slot of the open panel with the first stored credential it offers. */
export async function fillCredentials(page: Page): Promise<void> {
	const selects = page.locator('[data-test-id=ndv] [data-test-id=node-credentials-select]');
	for (let i = 0; i < (await selects.count()); i++) {
		const select = selects.nth(i);
		if ((await select.locator('input').first().inputValue().catch(() => '')).trim()) continue;
		const box = await openListbox(page, select);
		await box.locator('[role=option]').first().click();
		await box.waitFor({ state: 'hidden' }).catch(() => undefined);
	}
}

/** Picks an option of an options parameter by its label (the dropdown as a user opens it). */
export async function selectOption(page: Page, name: string, label: string, scope: Locator = params(page)): Promise<void> {
	const box = await openListbox(page, scope.locator(`[data-test-id=parameter-input-${name}]`).first());
	await box.locator('[role=option]').first().waitFor();
	const labels = await listboxLabels(box);
	const index = labels.indexOf(label);
	if (index < 0) throw new Error(`${name}: no option "${label}" (options: ${labels.join(', ')})`);
	await box.locator('[role=option]').nth(index).click();
	await box.waitFor({ state: 'hidden' }).catch(() => undefined);
}

/**
 * Opens an options / multi-options parameter's dropdown and returns the option labels (waiting for a loader to
 * answer), then closes it. `loadingError` is the text n8n shows when the loader failed.
 */
export async function dropdownOptions(page: Page, name: string, scope: Locator = params(page)): Promise<{ options: string[]; error?: string }> {
	const trigger = scope.locator(`[data-test-id=parameter-input-${name}]`).first();
	const box = await openListbox(page, trigger);
	const option = box.locator('[role=option]').first();
	await option.waitFor({ timeout: 30_000 }).catch(() => undefined);
	const options = await listboxLabels(box);
	let error: string | undefined;
	if (!options.length) error = (await page.locator('.el-select-dropdown:visible').last().innerText().catch(() => '')) || (await trigger.innerText());
	await page.keyboard.press('Escape');
	await box.waitFor({ state: 'hidden' }).catch(() => undefined);
	return { options, error };
}

/** A resource locator in list mode: opens its list and returns the entries the search method loaded. */
export async function resourceLocatorEntries(page: Page, name: string, scope: Locator = params(page)): Promise<string[]> {
	const rlc = scope.locator(`[data-test-id=resource-locator-${name}]`).first();
	await rlc.locator('[data-test-id=rlc-input]').click();
	const items = page.locator('[data-test-id=rlc-item]:visible');
	await items.first().waitFor({ timeout: 30_000 }).catch(() => undefined);
	const entries = (await items.allInnerTexts()).map((t) => t.split('\n')[0].trim());
	await page.keyboard.press('Escape');
	return entries;
}

export async function screenshot(page: Page, file: string, target?: Locator): Promise<string> {
	mkdirSync(SHOTS_DIR, { recursive: true });
	const path = join(SHOTS_DIR, file);
	await (target ?? page).screenshot({ path });
	return path;
}

export function escapeRegExp(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
