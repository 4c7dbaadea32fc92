/** The Brevo emulator's own rules, checked directly (pure modules) and over raw HTTP. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBrevoEmulator, type BrevoEmulator } from './index';
import { buildEvent, parisDate } from './payloads';
import { BUCKETS, bucketFor, formatReset, RateLimiter } from './rateLimit';
import { importReportCsv, importRows, parseImportCsv, runImport } from './routes/imports';
import { patchSpec, validateRequest } from './spec';
import { BrevoState, coerceAttributeValue, normalisePhone, type Process } from './state';

describe('pure rules', () => {
	test('phone numbers must carry a country code', () => {
		expect(normalisePhone('+33612345678')).toBe('+33612345678');
		expect(normalisePhone('0033612345678')).toBe('+33612345678');
		expect(normalisePhone('33612345678')).toBe('+33612345678');
		expect(normalisePhone('+33 6 12 34 56 78')).toBe('+33612345678');
		expect(normalisePhone('0612345678')).toBeUndefined();
		expect(normalisePhone('+0612345678')).toBeUndefined();
		expect(normalisePhone('call me')).toBeUndefined();
		expect(normalisePhone('+1234')).toBeUndefined();
	});

	test('attribute values that do not fit the type are ignored', () => {
		expect(coerceAttributeValue({ name: 'AGE', category: 'normal', type: 'float' }, '42.5')).toEqual({ ok: true, value: 42.5 });
		expect(coerceAttributeValue({ name: 'AGE', category: 'normal', type: 'float' }, 'old')).toEqual({ ok: false });
		expect(coerceAttributeValue({ name: 'D', category: 'normal', type: 'date' }, '2024-02-30x')).toEqual({ ok: false });
		expect(coerceAttributeValue({ name: 'D', category: 'normal', type: 'date' }, '2024-02-03T10:00:00Z')).toEqual({
			ok: true,
			value: '2024-02-03',
		});
		expect(coerceAttributeValue({ name: 'B', category: 'normal', type: 'boolean' }, 'yes')).toEqual({ ok: false });
		expect(coerceAttributeValue({ name: 'B', category: 'normal', type: 'boolean' }, true)).toEqual({ ok: true, value: true });
		const cat = { name: 'C', category: 'category' as const, type: 'category' as const, enumeration: [{ value: 1, label: 'Gold' }] };
		expect(coerceAttributeValue(cat, 'Gold')).toEqual({ ok: true, value: 1 });
		expect(coerceAttributeValue(cat, 7)).toEqual({ ok: false });
	});

	test('unknown, lower-case and read-only attributes are dropped silently', () => {
		const st = new BrevoState();
		st.addAttribute({ name: 'job_title', type: 'text' });
		st.addAttribute({ name: 'SCORE', category: 'calculated' });
		expect(st.cleanAttributes({ JOB_TITLE: 'Dev', firstname: 'x', NOPE: 1, SCORE: 3, FIRSTNAME: 'Ada' })).toEqual({
			JOB_TITLE: 'Dev',
			FIRSTNAME: 'Ada',
		});
	});

	test('identifier types resolve the right contact', () => {
		const st = new BrevoState();
		const c = st.seedContact({ email: 'a+b@example.com', ext_id: 'U1', sms: '+33612345678' });
		expect(st.findContact('A+B@example.com')).toBe(c);
		expect(st.findContact(String(c.id))).toBe(c);
		expect(st.findContact(String(c.id), 'contact_id')).toBe(c);
		expect(st.findContact('U1', 'ext_id')).toBe(c);
		expect(st.findContact('U1')).toBeUndefined();
		expect(st.findContact('0033612345678', 'phone_id')).toBe(c);
		expect(st.findContact('+33612345678')).toBe(c);
		expect(st.findContact('a+b@example.com', 'ext_id')).toBeUndefined();
	});

	test('rate limiter: 10/s for contacts, headers describe the tightest window, scaled windows', () => {
		let now = 0;
		let scale = 1;
		const rl = new RateLimiter(
			() => now,
			() => scale,
		);
		const decisions = Array.from({ length: 11 }, () => rl.take(BUCKETS.contacts));
		expect(decisions.slice(0, 10).every((d) => d.allowed)).toBe(true);
		expect(decisions[0].headers).toEqual({
			'x-sib-ratelimit-limit': '10',
			'x-sib-ratelimit-remaining': '9',
			'x-sib-ratelimit-reset': '1',
		});
		expect(decisions[10].allowed).toBe(false);
		expect(decisions[10].headers['x-sib-ratelimit-remaining']).toBe('0');
		now = 1000;
		expect(rl.take(BUCKETS.contacts).allowed).toBe(true);
		// 100/h for everything else; at scale 3600 an hour lasts one second
		rl.reset();
		scale = 3600;
		now = 0;
		for (let i = 0; i < 100; i++) expect(rl.take(BUCKETS.other).allowed).toBe(true);
		const over = rl.take(BUCKETS.other);
		expect(over.allowed).toBe(false);
		expect(over.headers['x-sib-ratelimit-reset']).toBe('1');
		now = 1000;
		expect(rl.take(BUCKETS.other).allowed).toBe(true);
		expect(formatReset(100, 10)).toBe('0.1');
		expect(formatReset(1500, 1)).toBe('2');
	});

	test('paths map to Brevo buckets', () => {
		expect(bucketFor('GET', '/contacts')).toBe(BUCKETS.contacts);
		expect(bucketFor('POST', '/contacts/lists/3/contacts/add')).toBe(BUCKETS.contacts);
		expect(bucketFor('POST', '/events')).toBe(BUCKETS.events);
		expect(bucketFor('POST', '/smtp/email')).toBe(BUCKETS.smtpEmail);
		expect(bucketFor('GET', '/smtp/emails')).toBe(BUCKETS.smtpOther);
		expect(bucketFor('GET', '/webhooks')).toBe(BUCKETS.other);
		expect(bucketFor('GET', '/emailCampaigns')).toBe(BUCKETS.other);
	});

	test('spec patches: url format as uri, add-to-list branches require their key, /v3 server', () => {
		const doc = patchSpec({
			servers: [{ url: 'https://api.brevo.com' }],
			paths: {
				'/contacts/lists/{listId}/contacts/add': {
					post: {
						requestBody: {
							content: {
								'application/json': {
									schema: { oneOf: [{ properties: { emails: {} } }, { properties: { ids: {} } }, { properties: { extIds: {} } }] },
								},
							},
						},
					},
				},
				'/webhooks': { post: { requestBody: { content: { 'application/json': { schema: { properties: { url: { format: 'url' } } } } } } } },
			},
		});
		expect(doc.servers[0].url).toBe('https://api.brevo.com/v3');
		expect(doc.paths['/webhooks'].post.requestBody.content['application/json'].schema.properties.url.format).toBe('uri');
		const branches = doc.paths['/contacts/lists/{listId}/contacts/add'].post.requestBody.content['application/json'].schema.oneOf;
		expect(branches.map((b: { required: string[] }) => b.required)).toEqual([['emails'], ['ids'], ['extIds']]);
	});

	test('the real definition validates requests with the patches applied', () => {
		const check = (specPath: string, method: string, body: unknown, pathParams: Record<string, string> = {}, query = {}) =>
			validateRequest({ specPath, method, pathParams, query, body, hasBody: body !== undefined }).violation;
		expect(check('/webhooks', 'POST', { url: 'http://127.0.0.1:5678/webhook/x', events: ['delivered'] })).toBeUndefined();
		expect(check('/webhooks', 'POST', { url: 'not a url', events: ['delivered'] })).toEqual({
			code: 'invalid_parameter',
			message: 'url must match format "uri"',
		});
		expect(check('/webhooks', 'POST', { events: ['delivered'] })).toEqual({ code: 'missing_parameter', message: 'url is missing' });
		expect(check('/contacts/lists/{listId}/contacts/add', 'POST', {}, { listId: '3' })).toBeDefined();
		expect(check('/contacts/lists/{listId}/contacts/add', 'POST', { ids: [1] }, { listId: '3' })).toBeUndefined();
		expect(check('/contacts/lists/{listId}/contacts/remove', 'POST', { ids: [1] }, { listId: '3' })).toBeUndefined();
		expect(check('/contacts/lists/{listId}/contacts/remove', 'POST', { all: true }, { listId: '3' })).toBeUndefined();
		expect(check('/contacts/lists/{listId}/contacts/add', 'POST', { ids: [1] }, { listId: 'abc' })).toEqual({
			code: 'invalid_parameter',
			message: 'listId must be integer',
		});
		expect(check('/contacts', 'POST', { email: 'a@b.co', attributes: { FIRSTNAME: null } })).toEqual({
			code: 'invalid_parameter',
			message: 'attributes.FIRSTNAME must be one of the types number, string, boolean, array',
		});
		expect(check('/contacts/{identifier}', 'GET', undefined, { identifier: 'a@b.co' }, { identifierType: 'nope' })).toEqual({
			code: 'invalid_parameter',
			message: 'identifierType must be one of email_id, phone_id, contact_id, ext_id, whatsapp_id, landline_number_id',
		});
		expect(check('/events', 'POST', { event_name: 'x', identifiers: {} })?.message).toBe(
			'identifiers must NOT have fewer than 1 properties',
		);
	});

	test('import CSV: `;` separated, header of attribute names, quotes honoured', () => {
		expect(parseImportCsv('EMAIL;FIRSTNAME;LASTNAME\r\na@b.co;"Ann; the first";\n\n')).toEqual([
			{ EMAIL: 'a@b.co', FIRSTNAME: 'Ann; the first', LASTNAME: '' },
		]);
		expect(importRows({ fileBody: 'email,FIRSTNAME\nx@y.co,X' })).toEqual([{ email: 'x@y.co', attributes: { FIRSTNAME: 'X' } }]);
	});

	test('import rules: updateExistingContacts, emptyContactsAttributes, newList, duplicates, invalid rows', () => {
		const st = new BrevoState();
		st.seedContact({ email: 'old@example.com', attributes: { FIRSTNAME: 'Old', LASTNAME: 'Keep' } });
		const run = (request: Record<string, unknown>) => {
			const p: Process = { id: st.nextProcessId(), name: 'IMPORTUSER', status: 'in_process', created_at: '', request };
			runImport(st, p, importRows(request));
			return p;
		};
		const skipped = run({
			fileBody: 'EMAIL;FIRSTNAME\nold@example.com;New',
			newList: { listName: 'Imported' },
			updateExistingContacts: false,
		});
		expect(skipped.result).toMatchObject({ created: 0, updated: 0, skipped: 1 });
		expect(st.findByEmail('old@example.com')?.attributes.FIRSTNAME).toBe('Old');
		expect([...st.lists.values()].map((l) => l.name)).toEqual(['Imported']);

		const kept = run({ fileBody: 'EMAIL;FIRSTNAME;LASTNAME\nold@example.com;New;', listIds: [1] });
		expect(kept.result).toMatchObject({ updated: 1 });
		expect(st.findByEmail('old@example.com')?.attributes).toEqual({ FIRSTNAME: 'New', LASTNAME: 'Keep' });

		run({ fileBody: 'EMAIL;LASTNAME\nold@example.com;', listIds: [1], emptyContactsAttributes: true });
		expect(st.findByEmail('old@example.com')?.attributes).toEqual({ FIRSTNAME: 'New' });

		const mixed = run({
			jsonBody: [
				{ email: 'n@example.com', attributes: { SMS: '0612345678' } },
				{ email: 'm@example.com' },
				{ email: 'M@example.com' },
				{ email: 'broken' },
				{ attributes: { FIRSTNAME: 'no identifier' } },
			],
			listIds: [1],
		});
		expect(mixed.result).toMatchObject({ created: 1, skipped: 1, invalid: 3 });
		// info.import: a report URL per category with records, null for the others (@getbrevo/brevo GetProcessResponse)
		const url = (c: string) => expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1/import-reports/[0-9a-f]{24}/${c}\\.csv$`));
		expect(mixed.info?.import).toEqual({
			invalid_emails: url('invalid_emails'),
			duplicate_contact_id: null,
			duplicate_ext_id: null,
			duplicate_email_id: url('duplicate_email_id'),
			duplicate_phone_id: null,
			duplicate_whatsapp_id: null,
			duplicate_landline_number_id: null,
		});
		expect(importReportCsv(mixed.reports!.invalid_emails!)).toBe(
			'EMAIL,FIRSTNAME,REASON\r\nbroken,,Invalid email address\r\n,no identifier,"No EMAIL, SMS or EXT_ID"\r\n',
		);
		expect(importReportCsv(mixed.reports!.duplicate_email_id!)).toBe('EMAIL,REASON\r\nM@example.com,Email address appears more than once in the import\r\n');
		expect(st.findByEmail('m@example.com')?.listIds).toEqual([1]);
	});

	test('buildEvent: Brevo shapes and units', () => {
		const at = Date.UTC(2024, 6, 1, 10, 0, 5, 123); // 12:00:05 in Paris (CEST)
		const delivered = buildEvent('delivered', { at, email: 'a@b.co', tags: ['t1'] });
		expect(delivered).toMatchObject({
			event: 'delivered',
			email: 'a@b.co',
			date: '2024-07-01 12:00:05',
			ts: 1719828005,
			ts_event: 1719828005,
			ts_epoch: at,
			tags: ['t1'],
			tag: '["t1"]',
		});
		expect(delivered['message-id']).toMatch(/^<.+@smtp-relay\.mailin\.fr>$/);
		expect(parisDate(Date.UTC(2024, 0, 1, 10, 0, 0))).toBe('2024-01-01 11:00:00'); // CET in winter
		expect(buildEvent('click', { link: 'https://x.y' }).link).toBe('https://x.y');
		expect(buildEvent('hard_bounce').event).toBe('hard_bounce');
		expect(buildEvent('unsubscribed').event).toBe('unsubscribed');
		const mClick = buildEvent('marketing.click', { campaignId: 9, url: 'https://o.p' });
		expect(mClick).toMatchObject({ event: 'click', camp_id: 9, URL: 'https://o.p', 'campaign name': expect.any(String) });
		expect(mClick.link).toBeUndefined();
		expect(buildEvent('marketing.unsubscribed', { listIds: [3, 42] }).list_id).toEqual([3, 42]);
		expect(buildEvent('listAddition', { listIds: [34, 12] })).toMatchObject({ event: 'list_addition', list_id: [34, 12] });
		expect(buildEvent('contact_updated', { apiKeyName: 'n8n-sync' }).api_key_name).toBe('n8n-sync');
		expect(buildEvent('contact_deleted', { apiKeyName: null }).api_key_name).toBeUndefined();
		const conv = buildEvent('conversationStarted', { at });
		expect(conv).toMatchObject({ eventName: 'conversationStarted', message: { createdAt: at }, isNoAvailableAgent: false });
		const order = buildEvent('automation.order', { amount: 5000, email: 'big@spender.com' });
		expect(order).toMatchObject({
			email: 'big@spender.com',
			contact_id: expect.any(Number),
			step_id: expect.any(Number),
			workflow_id: expect.any(Number),
			event: { event_name: 'order_created', event_properties: { amount: 5000 } },
		});
		expect(buildEvent('cart').event.event_name).toBe('cart_updated');
		expect(() => buildEvent('nonsense')).toThrow(/unknown transactional event/);
	});
});

describe('over HTTP', () => {
	let brevo: BrevoEmulator;
	const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
		const res = await fetch(`${brevo.apiUrl}${path}`, {
			method,
			headers: { 'api-key': brevo.apiKey, 'content-type': 'application/json', ...headers },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		const text = await res.text();
		return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
	};
	const admin = async (method: string, path: string, body?: unknown) => {
		const res = await fetch(`${brevo.url}/_admin/${path}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: res.status, body: await res.json() };
	};

	beforeAll(async () => {
		brevo = await startBrevoEmulator({ timeScale: 1000 });
	});
	afterAll(async () => {
		await brevo.close();
	});
	beforeEach(() => {
		brevo.reset();
		brevo.setTimeScale(1000);
	});

	test('missing key, unknown route, wrong method, malformed JSON', async () => {
		expect(await call('GET', '/account', undefined, { 'api-key': '' })).toMatchObject({
			status: 401,
			body: { code: 'unauthorized', message: 'authentication not found in headers' },
		});
		expect((await call('GET', '/nowhere')).status).toBe(404);
		expect(await call('PATCH', '/contacts/1')).toMatchObject({
			status: 405,
			body: { code: 'method_not_allowed', message: 'PATCH Method is not allowed on this path' },
		});
		expect(await call('POST', '/contacts', '{"email":')).toMatchObject({ status: 400, body: { code: 'invalid_parameter' } });
	});

	test('URL-encoded identifiers and identifierType on PUT/DELETE', async () => {
		brevo.addContact({ email: 'a+b@example.com', sms: '+4915112345678' });
		expect((await call('GET', `/contacts/${encodeURIComponent('a+b@example.com')}`)).body.email).toBe('a+b@example.com');
		expect((await call('PUT', '/contacts/004915112345678?identifierType=phone_id', { attributes: { FIRSTNAME: 'Z' } })).status).toBe(204);
		expect(brevo.contact('a+b@example.com')?.attributes.FIRSTNAME).toBe('Z');
		expect((await call('DELETE', '/contacts/nobody%40x.co')).status).toBe(404);
		expect((await call('DELETE', `/contacts/${encodeURIComponent('a+b@example.com')}?identifierType=email_id`)).status).toBe(204);
		expect(brevo.contacts()).toHaveLength(0);
	});

	test('contacts: createdSince filter, listIds must exist, ext_id duplicates', async () => {
		const { id: listId } = brevo.addList({ name: 'L' });
		brevo.addContact({ email: 'old@x.co', createdAt: '2020-01-01T00:00:00.000Z' });
		expect((await call('POST', '/contacts', { email: 'new@x.co', listIds: [listId], ext_id: 'E1' })).status).toBe(201);
		const since = await call('GET', '/contacts?createdSince=2024-01-01T00:00:00Z');
		expect(since.body.contacts.map((c: { email: string }) => c.email)).toEqual(['new@x.co']);
		expect((await call('GET', '/contacts?createdSince=yesterday')).status).toBe(400);
		expect(await call('POST', '/contacts', { email: 'z@x.co', listIds: [999] })).toMatchObject({
			status: 404,
			body: { code: 'document_not_found' },
		});
		expect(await call('POST', '/contacts', { email: 'y@x.co', ext_id: 'E1' })).toMatchObject({
			status: 400,
			body: { code: 'duplicate_parameter', metadata: { duplicate_identifiers: ['ext_id'] } },
		});
		expect((await call('POST', '/contacts', { attributes: { FIRSTNAME: 'nobody' } })).body.code).toBe('missing_parameter');
	});

	test('contacts: filter=equals(ATTRIBUTE, value) on text, boolean and category attributes', async () => {
		brevo.addAttribute({ name: 'IS_ADMIN', type: 'boolean' });
		brevo.addContact({ email: 'a@x.co', attributes: { FIRSTNAME: 'Antoine', IS_ADMIN: true, 'DOUBLE_OPT-IN': 1 } });
		brevo.addContact({ email: 'b@x.co', attributes: { FIRSTNAME: 'Berthe', IS_ADMIN: false } });
		const emails = async (filter: string) =>
			(await call('GET', `/contacts?filter=${encodeURIComponent(filter)}`)).body.contacts?.map((c: { email: string }) => c.email);
		expect(await emails('equals(FIRSTNAME,"Antoine")')).toEqual(['a@x.co']);
		expect(await emails('equals(IS_ADMIN, false)')).toEqual(['b@x.co']);
		expect(await emails('equals(DOUBLE_OPT-IN, "Yes")')).toEqual(['a@x.co']);
		expect(await emails('equals(DOUBLE_OPT-IN, "1")')).toEqual(['a@x.co']);
		expect((await call('GET', `/contacts?filter=${encodeURIComponent('contains(FIRSTNAME,"A")')}`)).status).toBe(400);
	});

	test('lists: remove contacts, list contacts of a list, delete', async () => {
		const { id: listId } = brevo.addList({ name: 'L' });
		const { id } = brevo.addContact({ email: 'a@x.co', listIds: [listId] });
		expect((await call('GET', `/contacts/lists/${listId}/contacts`)).body.count).toBe(1);
		const removed = await call('POST', `/contacts/lists/${listId}/contacts/remove`, { ids: [id, 999] });
		expect(removed).toMatchObject({ status: 201, body: { contacts: { success: [id], failure: [999] } } });
		expect((await call('POST', '/contacts/lists', { name: 'X', folderId: 77 })).status).toBe(404);
		expect((await call('DELETE', `/contacts/lists/${listId}`)).status).toBe(204);
		expect((await call('GET', `/contacts/lists/${listId}`)).status).toBe(404);
	});

	test('webhooks: inbound needs a domain, auth must be bearer, marketing listing', async () => {
		expect(
			(await call('POST', '/webhooks', { url: 'https://x.co/h', events: ['inboundEmailProcessed'], type: 'inbound' })).body,
		).toEqual({ code: 'missing_parameter', message: 'domain is missing' });
		expect(
			(await call('POST', '/webhooks', { url: 'https://x.co/h', events: ['delivered'], auth: { type: 'basic', token: 'x' } })).status,
		).toBe(400);
		await call('POST', '/webhooks', { url: 'https://x.co/m', events: ['contactUpdated'], type: 'marketing' });
		expect((await call('GET', '/webhooks')).body.webhooks).toEqual([]);
		expect((await call('GET', '/webhooks?type=marketing')).body.webhooks).toHaveLength(1);
		expect((await call('PUT', '/webhooks/1', { events: ['delivered'] })).status).toBe(204); // delivered is a marketing event too
		expect((await call('PUT', '/webhooks/1', { events: ['uniqueOpened'] })).status).toBe(400);
	});

	test('events: 50 KB cap on event_properties, key characters, contact_properties update the contact', async () => {
		brevo.addContact({ email: 'e@x.co' });
		const big = { blob: 'x'.repeat(51 * 1024) };
		expect((await call('POST', '/events', { event_name: 'e', identifiers: { email_id: 'e@x.co' }, event_properties: big })).status).toBe(400);
		expect(
			(await call('POST', '/events', { event_name: 'e', identifiers: { email_id: 'e@x.co' }, event_properties: { 'bad key': 1 } })).status,
		).toBe(400);
		expect((await call('POST', '/events', { event_name: 'x'.repeat(256), identifiers: { email_id: 'e@x.co' } })).status).toBe(400);
		expect(
			(
				await call('POST', '/events', {
					event_name: 'order_placed',
					identifiers: { email_id: 'e@x.co' },
					contact_properties: { FIRSTNAME: 'Eve' },
				})
			).status,
		).toBe(204);
		expect(brevo.contact('e@x.co')?.attributes.FIRSTNAME).toBe('Eve');
		expect(brevo.events()[0]).toMatchObject({ event_name: 'order_placed', contactId: expect.any(Number) });
	});

	test('smtp: template, unknown template, past scheduledAt, messageVersions', async () => {
		expect((await call('POST', '/smtp/email', { templateId: 1, to: [{ email: 'a@x.co' }] })).status).toBe(201);
		expect((await call('POST', '/smtp/email', { templateId: 99, to: [{ email: 'a@x.co' }] })).status).toBe(404);
		const past = await call('POST', '/smtp/email', {
			sender: { email: 's@x.co' },
			to: [{ email: 'a@x.co' }],
			subject: 's',
			htmlContent: 'h',
			scheduledAt: '2020-01-01T00:00:00Z',
		});
		expect(past.status).toBe(400);
		const versions = await call('POST', '/smtp/email', {
			sender: { email: 's@x.co' },
			subject: 's',
			htmlContent: 'h',
			messageVersions: [{ to: [{ email: 'a@x.co' }] }, { to: [{ email: 'b@x.co' }] }],
		});
		expect(versions.body.messageIds).toHaveLength(2);
		expect(brevo.emails()).toHaveLength(3);
		expect((await call('POST', '/smtp/email', { sender: { email: 's@x.co' }, subject: 's', htmlContent: 'h' })).body).toEqual({
			code: 'missing_parameter',
			message: 'to is missing',
		});
	});

	test('campaigns: date window, statistics absent -> zeros, pagination', async () => {
		const day = 86400_000;
		for (let i = 1; i <= 3; i++) {
			brevo.addCampaign({ name: `C${i}`, status: 'sent', sentDate: new Date(Date.now() - i * day).toISOString(), stats: { sent: i } });
		}
		const window = await call(
			'GET',
			`/emailCampaigns?status=sent&startDate=${encodeURIComponent(new Date(Date.now() - 2.5 * day).toISOString())}&endDate=${encodeURIComponent(new Date().toISOString())}&statistics=globalStats`,
		);
		expect(window.body.campaigns.map((c: { name: string }) => c.name)).toEqual(['C1', 'C2']);
		expect(window.body.campaigns[0].statistics.globalStats.sent).toBe(1);
		const noStats = await call('GET', '/emailCampaigns?limit=1&offset=1');
		expect(noStats.body.count).toBe(3);
		expect(noStats.body.campaigns[0]).toMatchObject({ name: 'C2', statistics: { globalStats: { sent: 0 } } });
		expect((await call('GET', `/emailCampaigns?startDate=${encodeURIComponent(new Date().toISOString())}`)).status).toBe(400);
		expect((await call('GET', '/emailCampaigns/999')).status).toBe(404);
	});

	test('processes: queued -> in_process -> completed, in emulated time', async () => {
		brevo.setTimeScale(0.0001);
		brevo.addList({ name: 'L' });
		const { body } = await call('POST', '/contacts/import', { jsonBody: [{ email: 'p@x.co' }], listIds: [1] });
		expect((await call('GET', `/processes/${body.processId}`)).body).toMatchObject({ status: 'queued', name: 'IMPORTUSER' });
		brevo.setTimeScale(1e6); // pending timers are re-timed at once
		await waitFor(() => brevo.processes()[0].status === 'completed');
		expect((await call('GET', `/processes/${body.processId}`)).body).toMatchObject({
			status: 'completed',
			info: { import: { invalid_emails: null, duplicate_email_id: null } },
			completed_at: expect.any(String),
		});
		expect(brevo.contact('p@x.co')).toBeDefined();
		expect((await call('GET', '/processes/999')).status).toBe(404);
	}, 10_000);

	test('lists: add answers 400 when no contact of the call can be added (unknown or already in), 201 when some can', async () => {
		const { id: listId } = brevo.addList({ name: 'L' });
		brevo.addContact({ email: 'member@x.co', listIds: [listId] });
		brevo.addContact({ email: 'known@x.co' });
		const nothing = { status: 400, body: { code: 'invalid_parameter', message: 'Contact already in list and/or does not exist' } };
		expect(await call('POST', `/contacts/lists/${listId}/contacts/add`, { emails: ['unknown@x.co'] })).toMatchObject(nothing);
		expect(await call('POST', `/contacts/lists/${listId}/contacts/add`, { emails: ['member@x.co', 'unknown@x.co'] })).toMatchObject(nothing);
		expect(await call('POST', `/contacts/lists/${listId}/contacts/add`, { emails: ['member@x.co', 'known@x.co', 'unknown@x.co'] })).toMatchObject({
			status: 201,
			body: { contacts: { success: ['known@x.co'], failure: ['member@x.co', 'unknown@x.co'] } },
		});
		expect(brevo.contact('known@x.co')!.listIds).toEqual([listId]);
		expect(brevo.contact('unknown@x.co')).toBeUndefined();
		// emails are matched as given: an upper-case form of a stored address finds nothing
		brevo.addContact({ email: 'cased@x.co' });
		expect(await call('POST', `/contacts/lists/${listId}/contacts/add`, { emails: ['Cased@x.co'] })).toMatchObject(nothing);
		expect((await call('POST', `/contacts/lists/${listId}/contacts/add`, { emails: ['cased@x.co'] })).status).toBe(201);
		// remove: the same rule with its own message
		expect(await call('POST', `/contacts/lists/${listId}/contacts/remove`, { emails: ['unknown@x.co'] })).toMatchObject({
			status: 400,
			body: { code: 'invalid_parameter', message: 'Contact already removed from list and/or does not exist' },
		});
		expect((await call('POST', `/contacts/lists/${listId}/contacts/remove`, { emails: ['member@x.co', 'unknown@x.co'] })).status).toBe(201);
		expect((await call('POST', `/contacts/lists/${listId}/contacts/remove`, { emails: ['member@x.co'] })).status).toBe(400);
	});

	test('events: boolean and floating-point property values are accepted (Brevo\'s own example sends autoplayed: false)', async () => {
		brevo.addContact({ email: 'ev@x.co' });
		const r = await call('POST', '/events', {
			event_name: 'video_played',
			identifiers: { email_id: 'ev@x.co' },
			contact_properties: { VIP: true, SCORE: 4.5 },
			event_properties: { autoplayed: false, duration: 142.5, nested: { ok: true, ratio: 0.25 } },
		});
		expect(r.status).toBe(204);
		expect(brevo.events().at(-1)).toMatchObject({ event_properties: { autoplayed: false, duration: 142.5 } });
		// still refused: null values and keys outside [A-Za-z0-9_-]
		expect((await call('POST', '/events', { event_name: 'x', identifiers: { email_id: 'ev@x.co' }, event_properties: { a: null } })).status).toBe(400);
		expect((await call('POST', '/events', { event_name: 'x', identifiers: { email_id: 'ev@x.co' }, event_properties: { 'a b': 1 } })).status).toBe(400);
	});

	test('425 Too Early on POST /contacts can be injected (the definition lists it; no documented condition)', async () => {
		brevo.injectFault({ path: '/contacts', method: 'POST', status: 425 });
		expect(await call('POST', '/contacts', { email: 'early@x.co' })).toMatchObject({ status: 425, body: { code: 'invalid_parameter', message: 'Too Early' } });
		expect(brevo.contact('early@x.co')).toBeUndefined();
		expect((await call('POST', '/contacts', { email: 'early@x.co' })).status).toBe(201);
	});

	test('import reports: served as CSV at the info.import URLs, outside /v3, without the api-key, and every download recorded', async () => {
		brevo.setTimeScale(1e6);
		brevo.addList({ name: 'L' });
		const { body } = await call('POST', '/contacts/import', { jsonBody: [{ email: 'ok@x.co' }, { email: 'not-an-email', attributes: { FIRSTNAME: 'Smith, "Jo"' } }], listIds: [1] });
		await waitFor(() => brevo.processes()[0]?.status === 'completed');
		const p = (await call('GET', `/processes/${body.processId}`)).body;
		expect(p.info.import.duplicate_email_id).toBeNull();
		const url = p.info.import.invalid_emails as string;
		expect(url.startsWith(`${brevo.url}/import-reports/`)).toBe(true);
		const plain = await fetch(url);
		expect(plain.status).toBe(200);
		expect(plain.headers.get('content-type')).toMatch(/^text\/csv/);
		expect(await plain.text()).toBe('EMAIL,FIRSTNAME,REASON\r\nnot-an-email,"Smith, ""Jo""",Invalid email address\r\n');
		await fetch(url, { headers: { 'api-key': brevo.apiKey } });
		expect((await fetch(`${brevo.url}/import-reports/0123/invalid_emails.csv`)).status).toBe(404);
		expect(brevo.reportDownloads().map((d) => [d.status, d.sentApiKey])).toEqual([[200, false], [200, true], [404, false]]);
		// not an API call: not in the API's records or rate limits
		expect(brevo.requests({ path: /import-reports/ })).toEqual([]);
	}, 10_000);

	test('faults: regex paths, times, delay-only, 429 with Brevo headers', async () => {
		brevo.injectFault({ path: '^/v3/contacts/\\d+$', method: 'GET', status: 500, times: 2 });
		brevo.addContact({ email: 'f@x.co' });
		expect((await call('GET', '/contacts/1')).status).toBe(500);
		expect((await call('GET', '/contacts/1')).status).toBe(500);
		expect((await call('GET', '/contacts/1')).status).toBe(200);
		brevo.injectFault({ path: '/webhooks', status: 429, reset: 7 });
		const limited = await call('GET', '/webhooks');
		expect(limited.status).toBe(429);
		expect(limited.body.code).toBe('too_many_requests');
		expect(limited.headers.get('x-sib-ratelimit-reset')).toBe('7');
		expect(limited.headers.get('x-sib-ratelimit-remaining')).toBe('0');
		brevo.injectFault({ path: '/account', delayMs: 5 });
		expect((await call('GET', '/account')).status).toBe(200);
		expect(brevo.counters().faults).toMatchObject({ 'GET /v3/contacts/1': 2, 'GET /v3/webhooks': 1, 'GET /v3/account': 1 });
	});

	test('rate limits: the 101st webhooks call in an hour is refused; counters count it', async () => {
		brevo.setTimeScale(0.001); // an hour lasts 1000 h: the window cannot end during the test
		for (let i = 0; i < 100; i++) expect((await call('GET', '/webhooks')).status).toBe(200);
		const over = await call('GET', '/webhooks');
		expect(over.status).toBe(429);
		expect(over.headers.get('x-sib-ratelimit-limit')).toBe('100');
		expect(brevo.counters()).toMatchObject({ calls: { 'GET /v3/webhooks': 101 }, ratelimited: { 'GET /v3/webhooks': 1 } });
		brevo.setRateLimiting(false);
		expect((await call('GET', '/webhooks')).status).toBe(200);
	});

	test('demo seed (admin {demo:true}): lists, attributes, contacts and campaigns the CLI shows', async () => {
		const { body } = await admin('POST', 'seed', { demo: true });
		expect(Object.keys(body.demo.lists)).toEqual(['newsletter', 'slackUsers', 'customers']);
		expect(brevo.contact('ada@example.com')?.attributes).toMatchObject({ JOB_TITLE: 'Engineer', LTV: 1250, SMS: '+447700900123' });
		const sent = await call('GET', '/emailCampaigns?status=sent&statistics=globalStats');
		expect(sent.body.campaigns.map((c: any) => [c.name, c.statistics.globalStats.sent])).toEqual([
			['Spring newsletter', 2000],
			['Last year summer sale', 0],
		]);
		expect(sent.body.campaigns[0].statistics.globalStats.opensRate).toBeCloseTo(41.26, 2);
	});

	test('import from fileUrl: the file is fetched when the process runs; an unreachable file fails it', async () => {
		const files = http.createServer((req, res) => {
			if (req.url === '/contacts.csv') res.writeHead(200, { 'content-type': 'text/csv' }).end('EMAIL;FIRSTNAME\nf1@x.co;F1\nf2@x.co;F2');
			else res.writeHead(404).end();
		});
		await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
		const origin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
		try {
			brevo.setTimeScale(1e6);
			brevo.addList({ name: 'L' });
			expect((await call('POST', '/contacts/import', { fileUrl: `${origin}/contacts.csv`, listIds: [1] })).status).toBe(202);
			expect((await call('POST', '/contacts/import', { fileUrl: `${origin}/missing.csv`, listIds: [1] })).status).toBe(202);
			await waitFor(() => brevo.processes().every((p) => p.status === 'completed' || p.status === 'failed'));
			expect(brevo.processes().map((p) => p.status)).toEqual(['completed', 'failed']);
			expect(brevo.processes()[1].error).toBe('Import failed: fileUrl answered HTTP 404');
			expect(brevo.contact('f2@x.co')?.attributes.FIRSTNAME).toBe('F2');
		} finally {
			await new Promise((r) => files.close(r));
		}
	});

	test('import with emailBlacklist blacklists the imported contacts', async () => {
		brevo.setTimeScale(1e6);
		brevo.addList({ name: 'L' });
		const r = await call('POST', '/contacts/import', { fileBody: 'EMAIL\nbl@x.co', listIds: [1], emailBlacklist: true });
		expect(r.status).toBe(202);
		await waitFor(() => brevo.processes()[0]?.status === 'completed');
		expect(brevo.contact('bl@x.co')?.emailBlacklisted).toBe(true);
	});

	test('admin HTTP: seed, state, faults, time scale, reset', async () => {
		const seeded = await admin('POST', 'seed', {
			lists: [{ name: 'Demo' }],
			attributes: [{ name: 'TEAM_ID' }],
			contacts: [{ email: 'demo@x.co', listIds: [1], attributes: { TEAM_ID: 'T1' } }],
			campaigns: [{ name: 'Sent one', status: 'sent' }],
		});
		expect(seeded.body).toMatchObject({ lists: [1], contacts: [1], campaigns: [1] });
		const state = await admin('GET', 'state');
		expect(state.body.contacts[0]).toMatchObject({ email: 'demo@x.co', attributes: { TEAM_ID: 'T1' }, listIds: [1] });
		expect(JSON.stringify(state.body)).not.toContain(brevo.apiKey);
		await admin('POST', 'faults', { path: '/account', status: 502 });
		expect((await call('GET', '/account')).status).toBe(502);
		expect((await admin('POST', 'time-scale', { scale: 5 })).body).toEqual({ timeScale: 5 });
		const requests = await admin('GET', 'requests?path=/v3/account');
		expect(requests.body[0]).toMatchObject({ method: 'GET', status: 502, headers: { 'api-key': '[redacted]' } });
		await admin('POST', 'reset');
		expect(brevo.contacts()).toHaveLength(0);
		expect((await call('GET', '/account')).status).toBe(200); // the seeded key survives a reset
	});

	describe('webhook deliveries', () => {
		let receiver: http.Server;
		let received: Array<{ url: string; headers: http.IncomingHttpHeaders; body: any }>;
		let answers: number[];
		let base = '';
		beforeAll(async () => {
			receiver = http.createServer((req, res) => {
				const chunks: Buffer[] = [];
				req.on('data', (c) => chunks.push(c));
				req.on('end', () => {
					received.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
					res.writeHead(answers.shift() ?? 200).end('{"ok":true}');
				});
			});
			await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
			base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
		});
		afterAll(async () => {
			await new Promise((r) => receiver.close(r));
		});
		beforeEach(() => {
			received = [];
			answers = [];
		});

		test('batched webhooks get arrays of at most 500 events; others one POST per event', async () => {
			const batched = brevo.addWebhook({ url: `${base}/batched`, events: ['delivered'], batched: true });
			const events = Array.from({ length: 1200 }, (_, i) => buildEvent('delivered', { email: `u${i}@x.co` }));
			expect((await brevo.deliverWebhook(batched.id, events)).status).toBe(200);
			expect(received.map((r) => r.body.length)).toEqual([500, 500, 200]);
			received = [];
			const single = brevo.addWebhook({ url: `${base}/single`, events: ['delivered'] });
			await brevo.deliverWebhook(single.id, events.slice(0, 3));
			expect(received.map((r) => Array.isArray(r.body))).toEqual([false, false, false]);
		});

		test('basic auth from user:pass@ in the URL; custom headers; credentials never recorded', async () => {
			const url = new URL(`${base}/basic`);
			url.username = 'brevo';
			url.password = 's3cret';
			const w = brevo.addWebhook({ url: url.toString(), events: ['delivered'], headers: [{ key: 'X-Token', value: 'abc' }] });
			await brevo.deliverWebhook(w.id, buildEvent('delivered'));
			expect(received[0].headers.authorization).toBe(`Basic ${Buffer.from('brevo:s3cret').toString('base64')}`);
			expect(received[0].headers['x-token']).toBe('abc');
			expect(JSON.stringify(brevo.deliveries())).not.toContain('s3cret');
			await brevo.deliverWebhook(w.id, buildEvent('delivered'), { withAuth: false });
			expect(received[1].headers.authorization).toBeUndefined();
			expect(received[1].headers['x-token']).toBeUndefined();
		});

		test('429 and no answer are retried on the +10 min, +1 h, +2 h, +8 h schedule (scaled); other 4xx and 5xx are discarded', async () => {
			brevo.setTimeScale(1);
			answers = [429, 429, 200];
			const w = brevo.addWebhook({ url: `${base}/retry`, events: ['delivered'], auth: { type: 'bearer', token: 't' } });
			const first = await brevo.deliverWebhook(w.id, buildEvent('delivered'));
			expect(first.status).toBe(429);
			const [pending] = brevo.pendingRetries();
			expect(pending).toMatchObject({ attempt: 1, webhookId: w.id });
			expect(pending.dueInMs).toBeLessThanOrEqual(600_000);
			expect(pending.dueInMs).toBeGreaterThan(590_000); // +10 min at scale 1
			brevo.setTimeScale(2);
			expect(brevo.pendingRetries()[0].dueInMs).toBeLessThanOrEqual(300_000); // re-timed with the scale
			brevo.reset(); // clears the pending retry timers
			expect(brevo.pendingRetries()).toEqual([]);

			const again = brevo.addWebhook({ url: `${base}/retry`, events: ['delivered'] });
			brevo.setTimeScale(600_000); // +10 min -> 1 ms, +1 h -> 6 ms
			answers = [429, 429, 200];
			received = [];
			await brevo.deliverWebhook(again.id, buildEvent('delivered'));
			await waitFor(() => brevo.deliveries().filter((d) => d.webhookId === again.id).length === 3);
			expect(received).toHaveLength(3);
			const attempts = brevo.deliveries().filter((d) => d.webhookId === again.id);
			expect(attempts.map((a) => [a.attempt, a.status, a.outcome])).toEqual([
				[0, 429, 'retry'],
				[1, 429, 'retry'],
				[2, 200, 'delivered'],
			]);
			expect(new Set(attempts.map((a) => a.deliveryId)).size).toBe(1);
			expect(brevo.pendingRetries()).toEqual([]);

			// developers.brevo.com/docs/retry-mechanism: any other 4xx and any 5xx discard the event
			for (const status of [400, 401, 403, 404, 410, 413, 422, 500, 502, 503]) {
				answers = [status];
				const hook = brevo.addWebhook({ url: `${base}/discard-${status}`, events: ['delivered'] });
				expect((await brevo.deliverWebhook(hook.id, buildEvent('delivered'))).status).toBe(status);
				expect(brevo.deliveries().filter((d) => d.webhookId === hook.id).map((a) => a.outcome)).toEqual(['discarded']);
			}
			expect(brevo.pendingRetries()).toEqual([]);

			// no answer at all (nothing listens): retried, at most 4 times after the first attempt
			const closed = http.createServer();
			await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
			const deadPort = (closed.address() as { port: number }).port;
			await new Promise((r) => closed.close(r));
			const dead = brevo.addWebhook({ url: `http://127.0.0.1:${deadPort}/gone`, events: ['delivered'] });
			expect((await brevo.deliverWebhook(dead.id, buildEvent('delivered'))).status).toBe(0);
			await waitFor(() => brevo.deliveries().filter((d) => d.webhookId === dead.id).length === 5);
			expect(brevo.deliveries().filter((d) => d.webhookId === dead.id).map((a) => [a.attempt, a.outcome])).toEqual([
				[0, 'retry'],
				[1, 'retry'],
				[2, 'retry'],
				[3, 'retry'],
				[4, 'discarded'],
			]);
			expect(brevo.pendingRetries()).toEqual([]);
		});

		test('a very slow time scale does not overflow timers (8 h at scale 1e-4 is ~9 years, not "now")', async () => {
			brevo.setTimeScale(1e-4);
			answers = [429, 429, 429, 429];
			const w = brevo.addWebhook({ url: `${base}/slow`, events: ['delivered'] });
			await brevo.deliverWebhook(w.id, buildEvent('delivered'));
			await new Promise((r) => setTimeout(r, 20));
			expect(brevo.deliveries().filter((d) => d.webhookId === w.id)).toHaveLength(1);
			expect(brevo.pendingRetries()[0].dueInMs).toBeGreaterThan(2 ** 31);
		});

		test('post() for automation and Conversations calls: one POST, no retry', async () => {
			answers = [500];
			const r = await brevo.post(`${base}/automation`, buildEvent('automation.cart'), { headers: { 'X-Key': 'k' } });
			expect(r.status).toBe(500);
			expect(received[0]).toMatchObject({ url: '/automation', headers: { 'x-key': 'k' }, body: { event: { event_name: 'cart_updated' } } });
			expect(brevo.pendingRetries()).toEqual([]);
		});

		test('autoWebhooks: API activity reaches subscribed webhooks in Brevo\'s shapes, batched ones after the batching delay', async () => {
			brevo.setAutoWebhooks(true);
			try {
				brevo.setTimeScale(1e7); // the 5-minute batching delay lasts 0.03 ms
				brevo.addApiKey('xkeysib-sync-key', 'slack-sync');
				const marketing = brevo.addWebhook({
					url: `${base}/marketing`,
					type: 'marketing',
					events: ['contactUpdated', 'listAddition', 'contactDeleted'],
				});
				brevo.addWebhook({ url: `${base}/batched`, type: 'marketing', events: ['listAddition'], batched: true });
				brevo.addWebhook({ url: `${base}/transactional`, events: ['delivered'] });
				brevo.addWebhook({ url: `${base}/unrelated`, type: 'marketing', events: ['unsubscribed'] });
				const { id: listId } = brevo.addList({ name: 'L' });
				const asSync = { 'api-key': 'xkeysib-sync-key' };
				expect((await call('POST', '/contacts', { email: 'w@x.co', listIds: [listId] }, asSync)).status).toBe(201);
				expect((await call('PUT', '/contacts/w%40x.co', { attributes: { FIRSTNAME: 'W', NOPE: 1 } }, asSync)).status).toBe(204);
				expect((await call('DELETE', '/contacts/w%40x.co')).status).toBe(204);
				expect(
					(await call('POST', '/smtp/email', { sender: { email: 's@x.co' }, to: [{ email: 'r@x.co' }], subject: 'S', htmlContent: 'h' }))
						.status,
				).toBe(201);
				await waitFor(() => received.length === 5);
				const at = (path: string) => received.filter((r) => r.url === path).map((r) => r.body);
				// separate POSTs: their arrival order is not guaranteed
				expect(at('/marketing')).toHaveLength(3);
				expect(at('/marketing')).toEqual(
					expect.arrayContaining([
						expect.objectContaining({ event: 'list_addition', id: marketing.id, email: 'w@x.co', list_id: [listId], api_key_name: 'slack-sync' }),
						// contact_updated: no top-level email, {email, attributes} in content; contact_deleted: no api_key_name
						expect.objectContaining({ event: 'contact_updated', content: [{ email: 'w@x.co', attributes: { FIRSTNAME: 'W' } }], api_key_name: 'slack-sync' }),
						expect.objectContaining({ event: 'contact_deleted', email: ['w@x.co'] }),
					]),
				);
				expect(at('/batched')).toEqual([[expect.objectContaining({ event: 'list_addition', email: 'w@x.co' })]]);
				expect(at('/transactional')).toEqual([
					expect.objectContaining({ event: 'delivered', email: 'r@x.co', subject: 'S', 'message-id': brevo.emails()[0].messageId }),
				]);
				expect(at('/unrelated')).toEqual([]);
			} finally {
				brevo.setAutoWebhooks(false);
			}
		});

		test('admin deliver to a registered webhook', async () => {
			const w = brevo.addWebhook({ url: `${base}/admin`, events: ['delivered'], auth: { type: 'bearer', token: 'zz' } });
			const r = await admin('POST', 'deliver', { webhookId: w.id, events: [buildEvent('opened')] });
			expect(r.body.status).toBe(200);
			expect(received[0].headers.authorization).toBe('Bearer zz');
		});
	});
});

describe('validate: false', () => {
	test('skips the OpenAPI checks but keeps Brevo\'s own rules', async () => {
		const brevo = await startBrevoEmulator({ validate: false });
		try {
			const h = { 'api-key': brevo.apiKey, 'content-type': 'application/json' };
			const list = await fetch(`${brevo.apiUrl}/contacts?limit=5000&listIds=1,2`, { headers: h });
			expect(list.status).toBe(200);
			const bad = await fetch(`${brevo.apiUrl}/contacts`, { method: 'POST', headers: h, body: JSON.stringify({ email: 'x@y.co', attributes: { SMS: '06' } }) });
			expect(await bad.json()).toEqual({ code: 'invalid_parameter', message: 'Invalid phone number' });
			brevo.addList({ name: 'L' });
			const add = await fetch(`${brevo.apiUrl}/contacts/lists/1/contacts/add`, { method: 'POST', headers: h, body: JSON.stringify({ emails: ['x@y.co'] }) });
			expect(add.status).toBe(400);
			expect(await add.json()).toEqual({ code: 'invalid_parameter', message: 'Contact already in list and/or does not exist' });
		} finally {
			await brevo.close();
		}
	});
});

async function waitFor(cond: () => boolean): Promise<void> {
	for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
	expect(cond()).toBe(true);
}
