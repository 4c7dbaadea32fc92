/**
 * Contract: the real `@getbrevo/brevo` v6 BrevoClient against the Brevo emulator, for success and error shapes.
 * If the SDK (Brevo's own generated client) can't read an answer, or reads a different error than Brevo sends,
 * the emulator is wrong.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BrevoClient, BrevoError } from '@getbrevo/brevo';
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';

let brevo: BrevoEmulator;
let client: BrevoClient;

beforeAll(async () => {
	brevo = await startBrevoEmulator({ timeScale: 1000 });
});
afterAll(async () => {
	await brevo.close();
});
beforeEach(() => {
	brevo.reset();
	brevo.setTimeScale(1000);
	client = new BrevoClient({ apiKey: brevo.apiKey, baseUrl: brevo.apiUrl, maxRetries: 0 });
});

/** Runs a call expected to fail and returns the SDK's error. */
async function brevoError(p: Promise<unknown>): Promise<BrevoError> {
	try {
		await p;
	} catch (err) {
		expect(err).toBeInstanceOf(BrevoError);
		return err as BrevoError;
	}
	throw new Error('the call was expected to fail');
}

describe('auth and account', () => {
	test('GET /account with the seeded key', async () => {
		const account = await client.account.getAccount();
		expect(account.email).toBe('owner@example.com');
		expect(account.companyName).toBeTruthy();
	});

	test('an unknown key is a 401 unauthorized "Key not found"', async () => {
		const bad = new BrevoClient({ apiKey: 'xkeysib-wrong', baseUrl: brevo.apiUrl, maxRetries: 0 });
		const err = await brevoError(bad.account.getAccount());
		expect(err.statusCode).toBe(401);
		expect(err.body).toEqual({ code: 'unauthorized', message: 'Key not found' });
	});

	test('the api key never appears in recorded requests', async () => {
		await client.account.getAccount();
		const [rec] = brevo.requests({ path: '/v3/account' });
		expect(rec.headers['api-key']).toBe('[redacted]');
		expect(JSON.stringify(brevo.requests())).not.toContain(brevo.apiKey);
	});
});

describe('contacts', () => {
	test('create -> 201 {id}; again -> 400 duplicate_parameter; with updateEnabled -> 204', async () => {
		brevo.addAttribute({ name: 'JOB_TITLE', type: 'text' });
		const created = await client.contacts.createContact({
			email: 'Ada@Example.com',
			attributes: { FIRSTNAME: 'Ada', JOB_TITLE: 'Engineer', NOT_AN_ATTRIBUTE: 'dropped' },
		});
		expect(created).toEqual({ id: expect.any(Number) });

		const dup = await brevoError(client.contacts.createContact({ email: 'ada@example.com' }));
		expect(dup.statusCode).toBe(400);
		expect(dup.body).toEqual({
			code: 'duplicate_parameter',
			message: 'Unable to create contact, email is already associated with another Contact',
			metadata: { duplicate_identifiers: ['email'] },
		});

		const upsert = await client.contacts.createContact({
			email: 'ada@example.com',
			attributes: { LASTNAME: 'Lovelace' },
			updateEnabled: true,
		});
		expect(upsert).toBeUndefined();
		expect(brevo.requests({ method: 'POST', path: '/v3/contacts' }).map((r) => r.status)).toEqual([201, 400, 204]);

		const info = await client.contacts.getContactInfo({ identifier: 'ada@example.com' });
		expect(info.id).toBe(created!.id);
		expect(info.email).toBe('ada@example.com');
		expect(info.attributes).toEqual({ FIRSTNAME: 'Ada', JOB_TITLE: 'Engineer', LASTNAME: 'Lovelace' });
	});

	test('get by ext_id and by contact_id; unknown -> 404 document_not_found', async () => {
		const { id } = (await client.contacts.createContact({ email: 'grace@example.com', ext_id: 'U123/X' }))!;
		const byExt = await client.contacts.getContactInfo({ identifier: 'U123/X', identifierType: 'ext_id' });
		expect(byExt.id).toBe(id);
		const byId = await client.contacts.getContactInfo({ identifier: String(id), identifierType: 'contact_id' });
		expect(byId.email).toBe('grace@example.com');

		const err = await brevoError(client.contacts.getContactInfo({ identifier: 'nobody@example.com' }));
		expect(err.statusCode).toBe(404);
		expect(err.body).toEqual({ code: 'document_not_found', message: 'Contact does not exist' });
	});

	test('updating or deleting an unknown contact is a 404', async () => {
		const upd = await brevoError(client.contacts.updateContact({ identifier: 'ghost@example.com', attributes: { FIRSTNAME: 'G' } }));
		expect(upd.statusCode).toBe(404);
		expect(upd.body).toEqual({ code: 'document_not_found', message: 'Contact does not exist' });
		const del = await brevoError(client.contacts.deleteContact({ identifier: 'ghost@example.com' }));
		expect(del.statusCode).toBe(404);
	});

	test('update (204) and delete (204)', async () => {
		const { id } = (await client.contacts.createContact({ email: 'linus@example.com' }))!;
		await client.contacts.updateContact({ identifier: 'linus@example.com', attributes: { FIRSTNAME: 'Linus' } });
		expect(brevo.contact(id!)?.attributes.FIRSTNAME).toBe('Linus');
		await client.contacts.deleteContact({ identifier: String(id), identifierType: 'contact_id' });
		expect(brevo.contact(id!)).toBeUndefined();
	});

	test('an SMS without country code is refused; a taken SMS is a duplicate', async () => {
		const bad = await brevoError(
			client.contacts.createContact({ email: 'p@example.com', attributes: { SMS: '0612345678' } }),
		);
		expect(bad.statusCode).toBe(400);
		expect(bad.body).toEqual({ code: 'invalid_parameter', message: 'Invalid phone number' });

		await client.contacts.createContact({ email: 'q@example.com', attributes: { SMS: '+33612345678' } });
		const dup = await brevoError(
			client.contacts.createContact({ email: 'r@example.com', attributes: { SMS: '0033612345678' } }),
		);
		expect(dup.body).toMatchObject({ code: 'duplicate_parameter', metadata: { duplicate_identifiers: ['SMS'] } });
	});

	test('spec validation: a body the definition rejects is a 400 naming the violation', async () => {
		const err = await brevoError(client.contacts.createContact({ email: 'not-an-email' }));
		expect(err.statusCode).toBe(400);
		expect(err.body).toEqual({ code: 'invalid_parameter', message: 'email must match format "email"' });

		const limit = await brevoError(client.contacts.getContacts({ limit: 1001 }));
		expect(limit.body).toEqual({ code: 'invalid_parameter', message: 'limit must be <= 1000' });
	});

	test('list contacts with limit, offset and modifiedSince', async () => {
		for (const n of [1, 2, 3]) await client.contacts.createContact({ email: `c${n}@example.com` });
		const page = await client.contacts.getContacts({ limit: 2, offset: 0, sort: 'asc' });
		expect(page.count).toBe(3);
		expect(page.contacts.map((c) => c.email)).toEqual(['c1@example.com', 'c2@example.com']);
		const future = await client.contacts.getContacts({ modifiedSince: new Date(Date.now() + 60_000).toISOString() });
		expect(future.count).toBe(0);
	});

	test('batch update -> 204', async () => {
		await client.contacts.createContact({ email: 'b1@example.com' });
		await client.contacts.createContact({ email: 'b2@example.com' });
		await client.contacts.updateBatchContacts({
			contacts: [
				{ email: 'b1@example.com', attributes: { FIRSTNAME: 'One' } },
				{ email: 'b2@example.com', attributes: { FIRSTNAME: 'Two' } },
			],
		});
		expect(brevo.contact('b2@example.com')?.attributes.FIRSTNAME).toBe('Two');
	});
});

describe('import and processes', () => {
	test('import -> 202 {processId}, polled until completed', async () => {
		const { id: listId } = brevo.addList({ name: 'Slack users' });
		brevo.setTimeScale(0.0001); // time almost stands still: the process is seen queued
		const started = await client.contacts.importContacts({
			jsonBody: [
				{ email: 'i1@example.com', attributes: { FIRSTNAME: 'I1' } },
				{ email: 'i2@example.com', attributes: { FIRSTNAME: 'I2' } },
				{ email: 'broken-address', attributes: {} },
			],
			listIds: [listId],
			updateExistingContacts: true,
		});
		expect(started).toEqual({ processId: expect.any(Number) });
		expect(await client.process.getProcess({ processId: started.processId })).toMatchObject({ status: 'queued', name: 'IMPORTUSER' });
		brevo.setTimeScale(1e6); // then it runs through at once
		let status = '';
		for (let i = 0; i < 5000 && status !== 'completed'; i++) {
			const p = await client.process.getProcess({ processId: started.processId });
			status = p.status;
			if (status !== 'completed') await new Promise((r) => setTimeout(r, 2));
		}
		expect(status).toBe('completed');
		expect(brevo.contact('i2@example.com')?.listIds).toEqual([listId]);
		const final = await client.process.getProcess({ processId: started.processId });
		// the SDK's type: a URL to a CSV report (or null), not a count
		const reportUrl = final.info?.import?.invalid_emails;
		expect(reportUrl).toEqual(expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/import-reports\/.+\/invalid_emails\.csv$/));
		expect(final.info?.import?.duplicate_email_id).toBeNull();
		expect(await (await fetch(reportUrl!)).text()).toBe('EMAIL,REASON\r\nbroken-address,Invalid email address\r\n');
		const all = await client.process.getProcesses();
		expect(all.count).toBe(1);
	});

	test('failNextImport ends the process failed; a 10 MB fileBody is refused; two sources are refused', async () => {
		const { id: listId } = brevo.addList({ name: 'L' });
		brevo.failNextImport('Import failed: invalid file');
		const { processId } = await client.contacts.importContacts({ fileBody: 'EMAIL;FIRSTNAME\na@example.com;A', listIds: [listId] });
		let p = await client.process.getProcess({ processId });
		for (let i = 0; i < 5000 && p.status !== 'failed'; i++) {
			await new Promise((r) => setTimeout(r, 2));
			p = await client.process.getProcess({ processId });
		}
		expect(p.status).toBe('failed');
		// the SDK's GetProcessResponse type has no `error`, the JSON does
		expect((p as unknown as { error?: string }).error).toBe('Import failed: invalid file');

		const big = await brevoError(
			client.contacts.importContacts({ fileBody: `EMAIL\n${'x'.repeat(10 * 1024 * 1024)}`, listIds: [listId] }),
		);
		expect(big.statusCode).toBe(400);
		expect((big.body as { code: string }).code).toBe('invalid_parameter');

		const two = await brevoError(
			client.contacts.importContacts({ fileBody: 'EMAIL\na@b.co', jsonBody: [{ email: 'a@b.co' }], listIds: [listId] }),
		);
		expect(two.statusCode).toBe(400);
	});
});

describe('lists', () => {
	test('add contacts: 201 {contacts:{success,failure}}; 400 when none can be added; more than 150 refused; unknown list 404', async () => {
		const { id: listId } = brevo.addList({ name: 'Sales' });
		brevo.addContact({ email: 'in@example.com' });
		const res = await client.contacts.addContactToList({
			listId,
			body: { emails: ['in@example.com', 'missing@example.com'] },
		});
		expect(res.contacts).toEqual({ success: ['in@example.com'], failure: ['missing@example.com'] });
		// nothing addable (already in, or unknown): the SDK throws Brevo's 400
		const none = await brevoError(client.contacts.addContactToList({ listId, body: { emails: ['in@example.com', 'missing@example.com'] } }));
		expect(none.statusCode).toBe(400);
		expect(none.body).toEqual({ code: 'invalid_parameter', message: 'Contact already in list and/or does not exist' });

		const emails = Array.from({ length: 151 }, (_, i) => `u${i}@example.com`);
		const tooMany = await brevoError(client.contacts.addContactToList({ listId, body: { emails } }));
		expect(tooMany.statusCode).toBe(400);
		expect(tooMany.body).toEqual({ code: 'invalid_parameter', message: 'emails must NOT have more than 150 items' });

		const unknown = await brevoError(client.contacts.addContactToList({ listId: 9999, body: { emails: ['in@example.com'] } }));
		expect(unknown.statusCode).toBe(404);
		expect(unknown.body).toEqual({ code: 'document_not_found', message: 'List ID does not exist' });
	});

	test('remove contacts and list a list\'s contacts; listIds filter on GET /contacts', async () => {
		const { id: listId } = brevo.addList({ name: 'Support' });
		const { id: other } = brevo.addList({ name: 'Other' });
		const a = brevo.addContact({ email: 'a@example.com', listIds: [listId] });
		brevo.addContact({ email: 'b@example.com', listIds: [listId, other] });
		brevo.addContact({ email: 'c@example.com' });
		const inList = await client.contacts.getContactsFromList({ listId });
		expect(inList.count).toBe(2);
		const byLists = await client.contacts.getContacts({ listIds: [other] });
		expect(byLists.contacts.map((c) => c.email)).toEqual(['b@example.com']);
		const removed = await client.contacts.removeContactFromList({ listId, body: { ids: [a.id] } });
		expect(removed.contacts).toEqual({ success: [a.id], failure: [] });
		expect(brevo.contact('a@example.com')?.listIds).toEqual([]);
	});

	test('folders: the first folder exists; create one and put a list in it', async () => {
		const first = await client.contacts.getFolders({});
		expect(first.folders?.map((f) => f.name)).toEqual(['Your first folder']);
		const { id: folderId } = await client.contacts.createFolder({ name: 'Slack' });
		const { id: listId } = await client.contacts.createList({ name: 'Workspace', folderId: folderId! });
		const lists = await client.contacts.getFolderLists({ folderId: folderId! });
		expect(lists.lists?.map((l) => l.id)).toEqual([listId]);
		const missing = await brevoError(client.contacts.getFolder({ folderId: 999 }));
		expect(missing.statusCode).toBe(404);
	});

	test('create, get and list lists', async () => {
		const { id } = await client.contacts.createList({ name: 'Newsletter', folderId: 1 });
		const list = await client.contacts.getList({ listId: id });
		expect(list).toMatchObject({ id, name: 'Newsletter', folderId: 1, totalSubscribers: 0 });
		const lists = await client.contacts.getLists();
		expect(lists.count).toBe(1);
	});
});

describe('attributes', () => {
	test('create a normal attribute (201) and find it upper-cased', async () => {
		await client.contacts.createAttribute({ attributeCategory: 'normal', attributeName: 'TEAM_ID', type: 'text' });
		const { attributes } = await client.contacts.getAttributes();
		expect(attributes).toContainEqual({ name: 'TEAM_ID', category: 'normal', type: 'text' });
	});
});

describe('webhooks', () => {
	test('CRUD; type defaults to transactional; marketing only listed with type=marketing', async () => {
		const t = await client.webhooks.createWebhook({
			url: 'https://hooks.example.com/brevo',
			events: ['delivered', 'opened'],
			auth: { type: 'bearer', token: 'secret-token' },
		});
		const m = await client.webhooks.createWebhook({
			url: 'https://hooks.example.com/marketing',
			events: ['unsubscribed', 'listAddition'],
			type: 'marketing',
		});
		const transactional = await client.webhooks.getWebhooks();
		expect(transactional.webhooks.map((w) => w.id)).toEqual([t.id]);
		const marketing = await client.webhooks.getWebhooks({ type: 'marketing' });
		expect(marketing.webhooks.map((w) => w.id)).toEqual([m.id]);

		const one = await client.webhooks.getWebhook({ webhookId: t.id });
		expect(one).toMatchObject({ id: t.id, type: 'transactional', events: ['delivered', 'opened'] });

		await client.webhooks.updateWebhook({ webhookId: t.id, events: ['click'] });
		expect((await client.webhooks.getWebhook({ webhookId: t.id })).events).toEqual(['click']);

		await client.webhooks.deleteWebhook({ webhookId: t.id });
		const gone = await brevoError(client.webhooks.getWebhook({ webhookId: t.id }));
		expect(gone.statusCode).toBe(404);
	});

	test('event names are checked per type, and 40 webhooks at most', async () => {
		const wrong = await brevoError(
			client.webhooks.createWebhook({ url: 'https://x.example.com/h', events: ['listAddition'] }),
		);
		expect(wrong.statusCode).toBe(400);
		expect((wrong.body as { message: string }).message).toContain('listAddition');

		for (let i = 0; i < 40; i++) brevo.addWebhook({ url: `https://x.example.com/${i}`, events: ['delivered'] });
		const full = await brevoError(client.webhooks.createWebhook({ url: 'https://x.example.com/41', events: ['delivered'] }));
		expect(full.statusCode).toBe(400);
		expect((full.body as { code: string }).code).toBe('invalid_parameter');
	});
});

describe('events, email, campaigns', () => {
	test('POST /events -> 204; bad event_name and missing identifiers refused', async () => {
		await client.event.createEvent({
			event_name: 'slack_button_clicked',
			identifiers: { email_id: 'ada@example.com' },
			event_properties: { channel: 'C123' },
		});
		expect(brevo.events()).toHaveLength(1);

		const bad = await brevoError(client.event.createEvent({ event_name: 'has spaces!', identifiers: { email_id: 'a@b.co' } }));
		expect(bad.statusCode).toBe(400);
		const noId = await brevoError(client.event.createEvent({ event_name: 'ok', identifiers: {} }));
		expect(noId.statusCode).toBe(400);
	});

	test('POST /smtp/email -> 201 {messageId}; 202 when scheduled; missing sender refused', async () => {
		const sent = await client.transactionalEmails.sendTransacEmail({
			sender: { email: 'noreply@example.com', name: 'Acme' },
			to: [{ email: 'ada@example.com' }],
			subject: 'Hi',
			htmlContent: '<p>Hi</p>',
		});
		expect(sent.messageId).toMatch(/^<\d{12}\.\d+@smtp-relay\.mailin\.fr>$/);
		const scheduled = await client.transactionalEmails.sendTransacEmail({
			sender: { email: 'noreply@example.com' },
			to: [{ email: 'ada@example.com' }],
			subject: 'Later',
			textContent: 'later',
			scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
		});
		expect(scheduled.messageId).toBeTruthy();
		expect(brevo.requests({ path: '/v3/smtp/email' }).map((r) => r.status)).toEqual([201, 202]);

		const err = await brevoError(
			client.transactionalEmails.sendTransacEmail({ to: [{ email: 'ada@example.com' }], subject: 'x', htmlContent: 'x' }),
		);
		expect(err.body).toEqual({ code: 'missing_parameter', message: 'sender is missing' });
	});

	test('campaigns with globalStats; older than 6 months come back with all-zero globalStats', async () => {
		brevo.addCampaign({
			name: 'Recent',
			status: 'sent',
			sentDate: new Date(Date.now() - 86400_000).toISOString(),
			stats: { sent: 1000, delivered: 990, uniqueViews: 400, uniqueClicks: 80 },
		});
		brevo.addCampaign({
			name: 'Old',
			status: 'sent',
			sentDate: new Date(Date.now() - 300 * 86400_000).toISOString(),
			stats: { sent: 500, delivered: 495 },
		});
		brevo.addCampaign({ name: 'Draft', status: 'draft' });
		const res = await client.emailCampaigns.getEmailCampaigns({ status: 'sent', statistics: 'globalStats' });
		expect(res.count).toBe(2);
		const byName = Object.fromEntries((res.campaigns ?? []).map((c) => [c.name, c]));
		expect(byName.Recent.statistics.globalStats).toMatchObject({ sent: 1000, delivered: 990, uniqueViews: 400 });
		expect(byName.Old.statistics.globalStats).toMatchObject({ sent: 0, delivered: 0, uniqueViews: 0 });

		const one = await client.emailCampaigns.getEmailCampaign({ campaignId: byName.Recent.id, statistics: 'globalStats' });
		expect(one.statistics.globalStats).toMatchObject({ uniqueClicks: 80 });

		const limit = await brevoError(client.emailCampaigns.getEmailCampaigns({ limit: 101 }));
		expect(limit.statusCode).toBe(400);
	});
});

describe('rate limits and faults', () => {
	test('x-sib-ratelimit-* on every answer; the 11th contacts call in a second is a 429 too_many_requests', async () => {
		// slow time down 1000x: the 1 s window lasts 1000 s, so all 11 calls land in it however slow the machine is
		brevo.setTimeScale(0.001);
		const statuses: number[] = [];
		let last: BrevoError | undefined;
		for (let i = 0; i < 11; i++) {
			try {
				await client.contacts.getContacts({ limit: 1 });
				statuses.push(200);
			} catch (err) {
				last = err as BrevoError;
				statuses.push((err as BrevoError).statusCode ?? 0);
			}
		}
		expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
		expect(statuses[10]).toBe(429);
		expect(last?.body).toEqual({ code: 'too_many_requests', message: 'The expected rate limit is exceeded.' });
		const headers = last!.rawResponse!.headers;
		expect(headers.get('x-sib-ratelimit-limit')).toBe('10');
		expect(headers.get('x-sib-ratelimit-remaining')).toBe('0');
		expect(Number(headers.get('x-sib-ratelimit-reset'))).toBeGreaterThanOrEqual(1);
		const first = brevo.requests({ path: '/v3/contacts' })[0];
		expect(first.responseHeaders['x-sib-ratelimit-remaining']).toBe('9');
	});

	test('an injected 500 reaches the SDK as a BrevoError with Brevo-shaped body', async () => {
		brevo.injectFault({ path: '/v3/account', status: 503 });
		const err = await brevoError(client.account.getAccount());
		expect(err.statusCode).toBe(503);
		expect(err.body).toMatchObject({ code: 'internal_error' });
		await expect(client.account.getAccount()).resolves.toBeDefined();
	});
});

describe('playing Brevo toward a receiver', () => {
	let receiver: http.Server;
	let received: Array<{ headers: http.IncomingHttpHeaders; body: unknown }>;
	let answer = 200;
	let receiverUrl = '';

	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
				res.writeHead(answer).end('ok');
			});
		});
		await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
	});
	afterAll(async () => {
		await new Promise((r) => receiver.close(r));
	});
	beforeEach(() => {
		received = [];
		answer = 200;
	});

	test('a webhook registered through the SDK is delivered with its bearer token and headers', async () => {
		const { id } = await client.webhooks.createWebhook({
			url: receiverUrl,
			events: ['delivered'],
			auth: { type: 'bearer', token: 'tok-123' },
			headers: [{ key: 'X-Source', value: 'brevo' }],
		});
		const event = brevo.buildEvent('delivered', { email: 'ada@example.com' });
		const res = await brevo.deliverWebhook(id, event);
		expect(res.status).toBe(200);
		expect(received).toHaveLength(1);
		expect(received[0].headers.authorization).toBe('Bearer tok-123');
		expect(received[0].headers['x-source']).toBe('brevo');
		expect(received[0].body).toMatchObject({ event: 'delivered', email: 'ada@example.com', 'message-id': expect.any(String) });

		await brevo.deliverWebhook(id, event, { withAuth: false });
		expect(received[1].headers.authorization).toBeUndefined();
	});
});
