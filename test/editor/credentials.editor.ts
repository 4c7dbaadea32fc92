/**
 * The three credentials created in n8n's credential dialog as a user does (Create credential > type > fields >
 * Save, which runs the credential's test): a bad value fails with the remedy text, a good one tests successfully,
 * and once saved the secret is never shown back (not in the reopened dialog, the page, nor any /rest/credentials
 * answer the editor receives).
 */
import type { Page } from 'playwright-core';

import { e2e } from '../e2e/support';
import { openEditor, screenshot, type Editor } from './browser';

let editor: Editor;

beforeAll(async () => {
	editor = await openEditor();
});

afterAll(async () => {
	await editor?.close();
});

interface Case {
	type: string;
	secretField: string;
	fields: () => Record<string, string>;
	good: () => string;
	bad: string;
	/** the remedy the failed test shows (the credential's rules, or the node's testedBy method) */
	remedy: RegExp;
}

const cases: Case[] = [
	{
		type: 'Slack Bot Token (Slack + Brevo) API',
		secretField: 'accessToken',
		fields: () => ({ baseUrl: e2e().slack.apiUrl }),
		good: () => e2e().slack.botToken,
		bad: 'xoxb-000000000000-0000000000000-notthetoken0000000000000',
		remedy: /invalid_auth.*Bot User OAuth Token/s,
	},
	{
		type: 'Brevo API Key (Slack + Brevo) API',
		secretField: 'apiKey',
		fields: () => ({ baseUrl: e2e().brevo.apiUrl }),
		good: () => e2e().brevo.apiKey,
		bad: 'xkeysib-0000000000000000000000000000000000000000000000000000000000000000-notthekey0000000',
		remedy: /Brevo refused the API key.*API Keys/s,
	},
	{
		// Slack cannot be asked about a signing secret: the Slack Interaction Trigger's testedBy checks its form
		type: 'Slack Signing Secret (Slack + Brevo) API',
		secretField: 'signingSecret',
		fields: () => ({}),
		good: () => e2e().signingSecret,
		bad: 'my-verification-token',
		remedy: /32 hexadecimal characters.*Signing Secret/s,
	},
];

const dialog = (page: Page) => page.locator('[data-test-id=credential-edit-dialog]');
const banner = (page: Page) => page.locator('[data-test-id=node-credentials-config-container]');

/** Saves the open dialog and waits for the test's verdict: the success banner or the failure with its details. */
async function saveAndTest(page: Page): Promise<{ ok: boolean; text: string }> {
	await page.locator('[data-test-id=credential-save-button]').click();
	const success = page.locator('[data-test-id=credentials-config-container-test-success]');
	const failure = banner(page).getByText('More details');
	await Promise.race([success.waitFor({ timeout: 60_000 }), failure.waitFor({ timeout: 60_000 })]);
	if (await success.isVisible()) return { ok: true, text: await banner(page).innerText() };
	await failure.click();
	return { ok: false, text: await banner(page).innerText() };
}

it.each(cases.map((c) => [c.type, c] as const))('%s: created in the dialog, a bad secret fails with the remedy, a good one tests successfully, and it is never shown back', async (_type, c) => {
	const { page } = editor;
	const name = `Editor suite ${c.secretField} ${Date.now()}`;
	const received: string[] = [];
	page.on('response', async (r) => {
		if (r.url().includes('/rest/credentials')) received.push(await r.text().catch(() => ''));
	});

	await page.goto(`${e2e().n8n.baseUrl}/home/credentials`, { waitUntil: 'domcontentloaded' });
	await page.locator('[data-test-id=add-resource-credential]').click();
	await page.locator('[data-test-id=new-credential-type-select] input').fill(c.type);
	await page.locator('.el-select-dropdown__item:visible', { hasText: c.type }).first().click();
	await page.locator('[data-test-id=new-credential-type-button]').click();
	await dialog(page).waitFor();

	// name it, so it can be found again
	await page.locator('[data-test-id=credential-name] [data-test-id=inline-edit-preview]').click();
	await page.locator('[data-test-id=credential-name] input').fill(name);
	await page.keyboard.press('Enter');
	for (const [field, value] of Object.entries(c.fields())) await page.locator(`[data-test-id=parameter-input-${field}] input`).fill(value);
	const secret = page.locator(`[data-test-id=parameter-input-${c.secretField}] input`);
	expect(await secret.getAttribute('type')).toBe('password');

	await secret.fill(c.bad);
	const bad = await saveAndTest(page);
	await screenshot(page, `credential-${c.secretField}-bad.png`, dialog(page));
	expect(bad.ok).toBe(false);
	expect(bad.text).toMatch(c.remedy);
	expect(bad.text).not.toContain(c.bad);

	await secret.fill(c.good());
	const good = await saveAndTest(page);
	await screenshot(page, `credential-${c.secretField}-good.png`, dialog(page));
	expect(good).toMatchObject({ ok: true });
	expect(good.text).toContain('Connection tested successfully');

	// reopened after a reload: the field holds n8n's placeholder, never the secret
	await page.keyboard.press('Escape');
	await dialog(page).waitFor({ state: 'hidden' });
	await page.reload({ waitUntil: 'domcontentloaded' });
	const card = page.locator('[data-test-id=resources-list-item]', { hasText: name });
	await card.first().click();
	await secret.waitFor();
	expect(await secret.inputValue()).not.toContain(c.good());
	expect(await secret.inputValue()).toMatch(/^__n8n_BLANK_VALUE_/);
	expect(await page.content()).not.toContain(c.good());
	expect(received.length).toBeGreaterThan(0);
	expect(received.filter((body) => body.includes(c.good()))).toEqual([]);
	await page.keyboard.press('Escape');
	page.removeAllListeners('response');
});
