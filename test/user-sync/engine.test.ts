/**
 * Brevo for Slack through n8n-core's engine, against the Slack and Brevo emulators over HTTP (the package's real
 * client factories, rate limits and errors): workspace sync (full, incremental, dry run, filters, mapping,
 * failures) and every Brevo action fed with Slack trigger-shaped items.
 */
import { runWorkflow, type RunResult, type WorkflowJson } from '../harness';
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';

let slack: SlackEmulator;
let brevo: BrevoEmulator;
let listId: number;

const NODE = 'Brevo for Slack';
/** The Slack emulator seeds Slackbot, the app's bot user and one person (Alex Admin, with an email). */
const SEEDED = 1;

function creds() {
	return {
		slackBrevoBotApi: { accessToken: slack.botToken, baseUrl: slack.apiUrl },
		slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl },
	};
}

function workflow(parameters: Record<string, unknown>, o: { items?: unknown[]; continueOnFail?: boolean } = {}): WorkflowJson {
	const nodes: WorkflowJson['nodes'] = [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} }];
	const connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }> = {};
	let previous = 'Start';
	if (o.items) {
		nodes.push({ name: 'Items', type: 'harness.items', parameters: { items: JSON.stringify(o.items) } });
		connections.Start = { main: [[{ node: 'Items', type: 'main', index: 0 }]] };
		previous = 'Items';
	}
	nodes.push({
		name: NODE,
		type: 'n8n-nodes-slack-brevo.brevoForSlack',
		parameters,
		...(o.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
	} as WorkflowJson['nodes'][number]);
	connections[previous] = { main: [[{ node: NODE, type: 'main', index: 0 }]] };
	return { nodes, connections } as unknown as WorkflowJson;
}

async function sync(params: Record<string, unknown> = {}, staticData?: RunResult['staticData']): Promise<RunResult> {
	return await runWorkflow(
		workflow({ resource: 'userSync', operation: 'sync', listIds: [listId], perUserItems: true, ...params }),
		{ credentials: creds(), staticData, mode: 'trigger' },
	);
}

function summaryOf(r: RunResult): Record<string, any> {
	if (r.error) throw r.error;
	const out = r.outputOf(NODE);
	expect(out[0].type).toBe('summary');
	return out[0];
}

function usersOf(r: RunResult): Record<string, any>[] {
	return r.outputOf(NODE).filter((j) => j.type === 'user');
}

function brevoWrites(): number {
	return brevo.requests({ method: 'POST' }).length + brevo.requests({ method: 'PUT' }).length;
}

function seedPeople(n: number, from = 1): void {
	for (let i = from; i < from + n; i++) {
		slack.addUser({
			id: `UP${String(i).padStart(5, '0')}`,
			name: `person${i}`,
			real_name: i % 3 === 0 ? `Jan van der Berg ${i}` : `Ada Lovelace${i}`,
			tz: 'Europe/Paris',
			is_admin: i === 1,
			profile: {
				real_name: `Ada Lovelace${i}`,
				display_name: `ada${i}`,
				email: `person${i}@example.com`,
				title: 'Engineer',
				phone: i % 2 === 0 ? `06 12 34 ${String(i).padStart(4, '0').slice(0, 2)} ${String(i).padStart(4, '0').slice(2)}` : '',
				status_text: '',
			},
		});
	}
}

beforeAll(async () => {
	slack = await startSlackEmulator({ timeScale: 60 });
	brevo = await startBrevoEmulator({ timeScale: 50 });
});

afterAll(async () => {
	await slack?.close();
	await brevo?.close();
});

beforeEach(() => {
	slack.reset();
	brevo.reset();
	listId = brevo.addList({ name: 'Slack workspace' }).id;
});

describe('User Sync > Sync Workspace', () => {
	it('full sync, then an unchanged rerun writes nothing, then only the changed user is sent', async () => {
		seedPeople(450);
		slack.addUser({ id: 'UBOT00001', name: 'deploybot', is_bot: true, profile: { real_name: 'Deploy Bot', display_name: 'deploybot' } });
		slack.addUser({ id: 'UGONE0001', name: 'gone', deleted: true, profile: { real_name: 'Gone User', display_name: 'gone', email: 'gone@example.com' } });
		slack.addUser({ id: 'UNOMAIL01', name: 'nomail', profile: { real_name: 'No Mail', display_name: 'nomail' } });

		const first = await sync({ options: { defaultCountryCode: '33' } });
		const s1 = summaryOf(first);
		expect(s1.complete).toBe(true);
		expect(s1.counts.created).toBe(450 + SEEDED);
		expect(s1.counts.failed).toBe(0);
		expect(s1.skippedByReason).toEqual({ bot: 2, slackbot: 1, deleted: 1, no_email: 1 }); // + the app's own bot user
		expect(s1.imports).toHaveLength(1);
		expect(s1.imports[0].status).toBe('completed');
		expect(s1.apiCalls.slack).toBeGreaterThanOrEqual(3);
		expect(s1.attributes.created).toEqual(expect.arrayContaining(['JOB_TITLE', 'TIMEZONE', 'SLACK_IS_ADMIN', 'SLACK_TEAM_ID']));
		// Brevo holds the mapped contacts, in the target list
		const c2 = brevo.contact('person2@example.com')!;
		expect(c2.listIds).toContain(listId);
		expect(c2.attributes).toMatchObject({ FIRSTNAME: 'Ada', LASTNAME: 'Lovelace2', JOB_TITLE: 'Engineer', TIMEZONE: 'Europe/Paris' });
		expect(String(c2.attributes.SMS)).toMatch(/33612340002$/);
		expect(brevo.contact('person3@example.com')!.attributes).toMatchObject({ FIRSTNAME: 'Jan', LASTNAME: 'van der Berg 3' });
		expect(brevo.contact('person1@example.com')!.attributes.SLACK_IS_ADMIN).toBe(true);
		expect(brevo.contact('gone@example.com')).toBeUndefined();
		// one import for 450 users, not 450 calls
		expect(brevo.requests({ method: 'POST', path: /\/contacts\/import$/ })).toHaveLength(1);
		expect(brevo.requests({ method: 'POST', path: /^\/v3\/contacts$/ })).toHaveLength(0);
		expect(usersOf(first).find((u) => u.userId === 'UNOMAIL01')).toMatchObject({ outcome: 'skipped', reason: 'no email in the Slack profile' });
		expect(first.staticData).toBeDefined();

		const writes = brevoWrites();
		const second = await sync({ options: { defaultCountryCode: '33' } }, first.staticData);
		const s2 = summaryOf(second);
		expect(s2.counts).toMatchObject({ unchanged: 450 + SEEDED, created: 0, updated: 0, failed: 0 });
		expect(brevoWrites()).toBe(writes);

		slack.user('UP00007')!.profile.title = 'Head of Growth';
		const third = await sync({ options: { defaultCountryCode: '33' } }, second.staticData);
		expect(summaryOf(third).counts).toMatchObject({ unchanged: 449 + SEEDED, updated: 1 });
		const lastImport = brevo.requests({ method: 'POST', path: /\/contacts\/import$/ }).at(-1)!;
		expect((lastImport.body as { jsonBody: unknown[] }).jsonBody).toHaveLength(1);
		expect(brevo.contact('person7@example.com')!.attributes.JOB_TITLE).toBe('Head of Growth');
	});

	it('dry run writes nothing and reports what it would do', async () => {
		seedPeople(5);
		const r = await sync({ dryRun: true });
		const s = summaryOf(r);
		expect(s.dryRun).toBe(true);
		expect(s.counts.created).toBe(5 + SEEDED);
		expect(brevoWrites()).toBe(0);
		expect(brevo.contacts()).toHaveLength(0);
		// phones without a default country code: left out with a warning, not a failure
		expect(usersOf(r).find((u) => u.userId === 'UP00002')!.warnings[0]).toMatch(/SMS left out: phone no country code/);
	});

	it('deleted users marked in Brevo; without per-user items the output is the summary alone', async () => {
		seedPeople(2);
		slack.addUser({ id: 'UGONE0002', name: 'left', deleted: true, profile: { real_name: 'Left Company', display_name: 'left', email: 'left@example.com' } });
		const r = await sync({ perUserItems: false, filters: { deletedUsers: 'mark' } });
		expect(r.outputOf(NODE)).toHaveLength(1);
		expect(summaryOf(r).counts.created).toBe(3 + SEEDED);
		expect(brevo.contact('left@example.com')!.attributes.SLACK_DELETED).toBe(true);
		expect(brevo.contact('person1@example.com')!.attributes.SLACK_DELETED).toBe(false);
	});

	it('mapping rows, attribute type mismatches and missing attributes are reported', async () => {
		seedPeople(2);
		brevo.addAttribute({ name: 'SLACK_IS_ADMIN', type: 'date' });
		const r = await sync({
			mapping: {
				field: [
					{ slackField: 'firstName', brevoAttribute: 'FIRSTNAME', type: 'text' },
					{ slackField: 'is_admin', brevoAttribute: 'SLACK_IS_ADMIN', type: 'boolean' },
					{ slackField: 'profile.display_name', brevoAttribute: 'SLACK_HANDLE', type: 'text' },
				],
			},
			options: { createMissingAttributes: false },
		});
		const s = summaryOf(r);
		expect(s.attributes.missing).toEqual(['SLACK_HANDLE']);
		expect(s.attributes.typeMismatches).toEqual([{ attribute: 'SLACK_IS_ADMIN', mappedType: 'boolean', brevoType: 'date', action: 'left out' }]);
		expect(s.warnings.join('\n')).toMatch(/no attribute SLACK_HANDLE/);
		const c = brevo.contact('person1@example.com')!;
		expect(c.attributes.FIRSTNAME).toBe('Ada');
		expect(c.attributes).not.toHaveProperty('SLACK_IS_ADMIN');
		expect(c.attributes).not.toHaveProperty('LASTNAME');
	});

	it('bad input: invalid and duplicate emails are skipped with reasons; an SMS owned by another contact is left out with a warning', async () => {
		seedPeople(3);
		slack.addUser({ id: 'UDUP00001', name: 'dup', profile: { real_name: 'Dup', display_name: 'dup', email: 'PERSON1@example.com' } });
		slack.addUser({ id: 'UBAD00001', name: 'bad', profile: { real_name: 'Bad', display_name: 'bad', email: 'bad@@example' } });
		brevo.addContact({ email: 'owner@example.com', attributes: { SMS: '+33612340002' } });
		const r = await sync({ options: { defaultCountryCode: '33' } });
		const s = summaryOf(r);
		expect(s.skippedByReason).toMatchObject({ duplicate_email: 1, invalid_email: 1 });
		const users = usersOf(r);
		expect(users.find((u) => u.userId === 'UDUP00001')!.reason).toMatch(/already used by another Slack user in this workspace \(UP00001\)/);
		expect(s.imports[0].problems).toEqual({ duplicate_phone_id: 1 });
		expect(users.find((u) => u.userId === 'UP00002')).toMatchObject({
			outcome: 'created',
			warnings: ['SMS left out: +33612340002 already belongs to another Brevo contact'],
		});
		expect(brevo.contact('person2@example.com')!.attributes.SMS).toBeUndefined();
		expect(s.counts.failed).toBe(0);
		// the record came back in Brevo's duplicate_phone_id CSV report, fetched from its URL without the API key
		const [process] = brevo.processes();
		expect(process.info?.import?.duplicate_phone_id).toMatch(/\/import-reports\/.*\/duplicate_phone_id\.csv$/);
		expect(brevo.reportDownloads()).toEqual([expect.objectContaining({ method: 'GET', status: 200, sentApiKey: false })]);
		expect(brevo.reportDownloads()[0].headerNames).not.toContain('api-key');
	});

	it('an import process that ends failed: contacts reported failed with the reason, the rerun sends them again', async () => {
		seedPeople(4);
		brevo.failNextImport('The file could not be parsed');
		const first = await sync();
		const s1 = summaryOf(first);
		expect(s1.counts.failed).toBe(4 + SEEDED);
		expect(usersOf(first).find((u) => u.outcome === 'failed')!.reason).toMatch(/import_failed: .*ended failed \(The file could not be parsed\)/);
		const second = await sync({}, first.staticData);
		expect(summaryOf(second).counts).toMatchObject({ created: 4 + SEEDED, failed: 0 });
		expect(brevo.contacts()).toHaveLength(4 + SEEDED);
	});

	it('Brevo 429 in the middle of an import is waited out (x-sib-ratelimit-reset), not retried twice or lost', async () => {
		seedPeople(30);
		brevo.injectFault({ path: '/contacts/import', method: 'POST', status: 429, reset: 1, times: 1 });
		const r = await sync({ options: { contactsPerImport: 10 } });
		const s = summaryOf(r);
		expect(s.counts.created).toBe(30 + SEEDED);
		expect(s.apiCalls.brevoRateLimited).toBe(1);
		expect(brevo.contacts()).toHaveLength(30 + SEEDED);
		expect(s.imports).toHaveLength(4);
	});

	it('Slack 429 mid-pagination is waited out (Retry-After), every user read once', async () => {
		seedPeople(450);
		slack.injectFault({ method: 'users.list', times: 1, delayMs: 1 });
		slack.injectFault({ method: 'users.list', times: 1, status: 429, retryAfter: 1 });
		const s = summaryOf(await sync());
		expect(s.apiCalls.slackRateLimited).toBe(1);
		expect(s.counts.created).toBe(450 + SEEDED);
		expect(s.usersRead).toBe(450 + SEEDED + 2); // + Slackbot and the bot user, each read once
		expect(brevo.contacts()).toHaveLength(450 + SEEDED);
	});

	it('an expired cursor: pagination restarts and nobody is handled twice', async () => {
		seedPeople(450);
		slack.injectFault({ method: 'users.list', times: 1, delayMs: 1 });
		slack.injectFault({ method: 'users.list', times: 1, error: 'invalid_cursor' });
		const s = summaryOf(await sync());
		expect(s.cursorRestarts).toBe(1);
		expect(s.warnings[0]).toMatch(/cursor expired/);
		expect(s.counts.created).toBe(450 + SEEDED);
		expect(s.usersRead).toBe(450 + SEEDED + 2);
		expect(brevo.contacts()).toHaveLength(450 + SEEDED);
	});

	it('a token revoked mid-run stops with Slack\'s error; what Brevo confirmed is kept and not resent', async () => {
		seedPeople(450);
		slack.injectFault({ method: 'users.list', times: 2, delayMs: 1 });
		slack.injectFault({ method: 'users.list', times: 1, error: 'token_revoked' });
		const first = await sync({ options: { contactsPerImport: 100 } });
		expect(first.error).toBeDefined();
		expect(first.error!.message).toMatch(/token_revoked/);
		const m = /Sync stopped after (\d+) users \((\d+) created.*remembered/s.exec(String((first.error as { description?: string }).description));
		expect(m).not.toBeNull();
		const created = Number(m![2]);
		expect(Number(m![1])).toBeLessThan(450); // stopped on the third page
		expect(created).toBeGreaterThan(0);
		expect(brevo.contacts()).toHaveLength(created); // the users read before the error were sent, none lost
		const second = await sync({ options: { contactsPerImport: 100 } }, first.staticData);
		const s = summaryOf(second);
		expect(s.counts).toMatchObject({ unchanged: created, created: 450 + SEEDED - created, failed: 0 });
	});

	it('without users:read.email it says so and writes nothing', async () => {
		seedPeople(3);
		slack.addToken({ token: 'xoxb-noemail-1', scopes: ['users:read', 'chat:write'] });
		const r = await runWorkflow(workflow({ resource: 'userSync', operation: 'sync', listIds: [listId] }), {
			credentials: { ...creds(), slackBrevoBotApi: { accessToken: 'xoxb-noemail-1', baseUrl: slack.apiUrl } },
		});
		expect(r.error!.message).toMatch(/lacks the users:read.email scope/);
		expect(brevoWrites()).toBe(0);
	});

	it('a sync without a target list is refused, naming the field', async () => {
		const r = await runWorkflow(workflow({ resource: 'userSync', operation: 'sync', listIds: '={{ [] }}' }), { credentials: creds() });
		expect(r.error!.message).toMatch(/No Brevo list is selected/);
	});
});

describe('User Sync > single user and lookups', () => {
	it('upserts the user of a team_join event (201 created, then 204 updated)', async () => {
		const user = slack.addUser({
			id: 'UNEW00001',
			name: 'grace',
			real_name: 'Grace Brewster Hopper',
			tz: 'America/New_York',
			profile: { real_name: 'Grace Brewster Hopper', display_name: 'grace', email: 'grace@example.com', phone: '+1 415 555 2671', title: 'Rear Admiral' },
		});
		const event = { type: 'event', event_type: 'team_join', event: { type: 'team_join', user }, user: { id: user.id } };
		const params = { resource: 'userSync', operation: 'upsertUser', listIds: [listId] };
		const r1 = await runWorkflow(workflow(params, { items: [event] }), { credentials: creds() });
		expect(r1.error).toBeUndefined();
		expect(r1.outputOf(NODE)[0]).toMatchObject({ outcome: 'created', email: 'grace@example.com' });
		expect(brevo.contact('grace@example.com')!.attributes).toMatchObject({
			FIRSTNAME: 'Grace Brewster',
			LASTNAME: 'Hopper',
			SMS: expect.stringMatching(/14155552671$/),
			JOB_TITLE: 'Rear Admiral',
		});
		// a user_change event carrying only the id: read with users.info
		const r2 = await runWorkflow(workflow(params, { items: [{ event: { type: 'user_change', user: 'UNEW00001' } }] }), { credentials: creds() });
		expect(r2.outputOf(NODE)[0]).toMatchObject({ outcome: 'updated' });
	});

	it('finds a Slack user by email, and reads the Brevo contact of a Slack user', async () => {
		seedPeople(1);
		brevo.addContact({ email: 'person1@example.com', attributes: { FIRSTNAME: 'Ada' } });
		const found = await runWorkflow(
			workflow({ resource: 'userSync', operation: 'findSlackUser' }, { items: [{ email: 'person1@example.com' }, { email: 'nobody@example.com' }] }),
			{ credentials: creds() },
		);
		expect(found.outputOf(NODE)).toMatchObject([
			{ found: true, userId: 'UP00001' },
			{ found: false, email: 'nobody@example.com', userId: null },
		]);
		const contact = await runWorkflow(
			workflow({ resource: 'userSync', operation: 'getBrevoContact' }, { items: [{ user: { id: 'UP00001' } }] }),
			{ credentials: creds() },
		);
		expect(contact.outputOf(NODE)[0]).toMatchObject({ found: true, email: 'person1@example.com', contact: { attributes: { FIRSTNAME: 'Ada' } } });
	});
});

/** What the Slack Interaction Trigger outputs for a button click / a modal submission. */
const click = (email: string, value = 'demo') => ({
	type: 'block_actions',
	user: { id: 'U0CA5', username: 'amy', name: 'amy', team_id: 'T1', email },
	actions: [{ action_id: 'request_demo', value }],
	action: { action_id: 'request_demo', value },
	callback_id: null,
	values: {},
});
const submission = (email: string) => ({
	type: 'view_submission',
	user: { id: 'U0CA5', username: 'amy', name: 'amy', team_id: 'T1', email },
	callback_id: 'new_contact',
	values: { email, company: 'Acme', plan: 'pro' },
});

describe('Brevo actions fed by Slack interactions, without glue', () => {
	it('Contact: create or update from a modal, update attributes from a click, get', async () => {
		const up = await runWorkflow(
			workflow({ resource: 'contact', operation: 'upsert', attributesJson: '={{ { COMPANY: $json.values.company } }}', listIds: [listId] }, { items: [submission('amy@example.com')] }),
			{ credentials: creds() },
		);
		expect(up.outputOf(NODE)[0]).toMatchObject({ outcome: 'created', email: 'amy@example.com' });
		brevo.addAttribute({ name: 'DEMO', type: 'text' });
		const upd = await runWorkflow(
			workflow(
				{ resource: 'contact', operation: 'updateAttributes', attributes: { attribute: [{ name: 'demo', value: '={{ $json.action.value }}' }] } },
				{ items: [click('amy@example.com', 'requested')] },
			),
			{ credentials: creds() },
		);
		expect(upd.error).toBeUndefined();
		expect(brevo.contact('amy@example.com')!.attributes.DEMO).toBe('requested');
		const got = await runWorkflow(workflow({ resource: 'contact', operation: 'get' }, { items: [click('amy@example.com'), click('zed@example.com')] }), {
			credentials: creds(),
		});
		expect(got.outputOf(NODE)).toMatchObject([{ found: true, email: 'amy@example.com' }, { found: false, email: 'zed@example.com' }]);
	});

	it('Contact: a bad email is a clear error; Continue On Fail keeps the other items', async () => {
		const r = await runWorkflow(
			workflow({ resource: 'contact', operation: 'upsert' }, { items: [click('not-an-email'), click('ok@example.com')], continueOnFail: true }),
			{ credentials: creds() },
		);
		const out = r.outputOf(NODE);
		expect(out[0].error).toMatch(/Email "not-an-email" is not a valid email address/);
		expect(out[1]).toMatchObject({ outcome: 'created' });
		const stop = await runWorkflow(workflow({ resource: 'contact', operation: 'updateAttributes', attributesJson: '{"A":1}' }, { items: [click('')] }), {
			credentials: creds(),
		});
		expect(stop.error!.message).toMatch(/Email is empty/);
	});

	it('List: 160 clicks are added in 2 calls (150 max), unknown contacts created; remove', async () => {
		for (let i = 0; i < 150; i++) brevo.addContact({ email: `m${i}@example.com` });
		const items = Array.from({ length: 160 }, (_, i) => click(`m${i}@example.com`));
		const r = await runWorkflow(workflow({ resource: 'list', operation: 'add', listId: String(listId) }, { items }), { credentials: creds() });
		expect(r.error).toBeUndefined();
		const out = r.outputOf(NODE);
		expect(out).toHaveLength(160);
		expect(out.every((o) => o.added === true)).toBe(true);
		expect(out.filter((o) => o.contactCreated)).toHaveLength(10);
		const addCalls = brevo.requests({ method: 'POST', path: new RegExp(`/contacts/lists/${listId}/contacts/add$`) });
		expect(addCalls.map((c) => (c.body as { emails: string[] }).emails.length)).toEqual([150, 10]);
		expect(brevo.contact('m159@example.com')!.listIds).toContain(listId);

		const rm = await runWorkflow(workflow({ resource: 'list', operation: 'remove', listId: String(listId) }, { items: [click('m1@example.com'), click('nobody@example.com')] }), {
			credentials: creds(),
		});
		expect(rm.outputOf(NODE)).toMatchObject([{ removed: true }, { removed: false, inList: false, reason: expect.stringMatching(/No Brevo contact has this email/) }]);
		expect(brevo.contact('m1@example.com')!.listIds).not.toContain(listId);

		const bad = await runWorkflow(workflow({ resource: 'list', operation: 'add', listId: '99999' }, { items: [click('m2@example.com')] }), { credentials: creds() });
		expect(bad.error!.message).toMatch(/Brevo error document_not_found while adding contacts to list 99999/);
	});

	it('Contact upsert: Brevo\'s 425 Too Early on POST /contacts is resent after a wait and the contact is created', async () => {
		brevo.injectFault({ path: '/contacts', method: 'POST', status: 425, times: 1 });
		const r = await runWorkflow(workflow({ resource: 'contact', operation: 'upsert' }, { items: [click('early@example.com')] }), { credentials: creds() });
		expect(r.error).toBeUndefined();
		expect(r.outputOf(NODE)[0]).toMatchObject({ email: 'early@example.com', outcome: 'created' });
		expect(brevo.requests({ method: 'POST', path: /^\/v3\/contacts$/ }).map((c) => c.status)).toEqual([425, 201]);
		expect(brevo.contact('early@example.com')).toBeDefined();
	});

	it('List add, one brand-new email (Brevo answers 400 "Contact already in list and/or does not exist"): the contact is created in the list; a second click is "already in list", a success', async () => {
		const add = async (email: string, extra: Record<string, unknown> = {}) =>
			await runWorkflow(workflow({ resource: 'list', operation: 'add', listId: String(listId), ...extra }, { items: [click(email)] }), { credentials: creds() });
		const first = await add('new.subscriber@example.com');
		expect(first.error).toBeUndefined();
		// what Brevo answered to the list call itself: nothing could be added
		const [call] = brevo.requests({ method: 'POST', path: new RegExp(`/contacts/lists/${listId}/contacts/add$`) });
		expect(call).toMatchObject({ status: 400, response: { code: 'invalid_parameter', message: 'Contact already in list and/or does not exist' } });
		expect(first.outputOf(NODE)).toEqual([
			{ email: 'new.subscriber@example.com', listId, added: true, inList: true, contactCreated: true, contactId: brevo.contact('new.subscriber@example.com')!.id },
		]);
		expect(brevo.contact('new.subscriber@example.com')!.listIds).toEqual([listId]);

		const second = await add('new.subscriber@example.com');
		expect(second.error).toBeUndefined();
		expect(second.outputOf(NODE)).toEqual([{ email: 'new.subscriber@example.com', listId, added: false, inList: true, alreadyInList: true }]);
		expect(brevo.contacts().filter((c) => c.email === 'new.subscriber@example.com')).toHaveLength(1);

		// Create Missing Contacts off: an unknown email is reported, not created, and the run goes on
		const off = await add('stranger@example.com', { createMissing: false });
		expect(off.error).toBeUndefined();
		expect(off.outputOf(NODE)).toEqual([
			{ email: 'stranger@example.com', listId, added: false, inList: false, reason: expect.stringMatching(/Create Missing Contacts/) },
		]);
		expect(brevo.contact('stranger@example.com')).toBeUndefined();
	});

	it('List add, a mixed call (201 with a failure list): members are "already in list", unknown emails created, new ones added', async () => {
		brevo.addContact({ email: 'member@example.com', listIds: [listId] });
		brevo.addContact({ email: 'known@example.com' });
		const r = await runWorkflow(
			workflow({ resource: 'list', operation: 'add', listId: String(listId) }, { items: [click('member@example.com'), click('known@example.com'), click('fresh@example.com')] }),
			{ credentials: creds() },
		);
		expect(r.error).toBeUndefined();
		expect(r.outputOf(NODE)).toMatchObject([
			{ email: 'member@example.com', added: false, alreadyInList: true, inList: true },
			{ email: 'known@example.com', added: true, inList: true },
			{ email: 'fresh@example.com', added: true, inList: true, contactCreated: true },
		]);
		expect(brevo.contact('fresh@example.com')!.listIds).toEqual([listId]);
	});

	it('List remove: an email not in the list (Brevo answers 400 "Contact already removed from list and/or does not exist") is a success, notInList', async () => {
		brevo.addContact({ email: 'leaver@example.com', listIds: [listId] });
		const remove = async () =>
			await runWorkflow(workflow({ resource: 'list', operation: 'remove', listId: String(listId) }, { items: [click('leaver@example.com')] }), { credentials: creds() });
		expect((await remove()).outputOf(NODE)).toEqual([{ email: 'leaver@example.com', listId, removed: true, inList: false }]);
		const again = await remove();
		expect(again.error).toBeUndefined();
		expect(again.outputOf(NODE)).toEqual([{ email: 'leaver@example.com', listId, removed: false, inList: false, notInList: true }]);
		const calls = brevo.requests({ method: 'POST', path: new RegExp(`/contacts/lists/${listId}/contacts/remove$`) });
		expect(calls.map((c) => c.status)).toEqual([201, 400]);
	});

	it('Email: template with the modal values as params, and content', async () => {
		const templateId = brevo.addTemplate({ name: 'Welcome', subject: 'Hi {{ params.company }}' }).id;
		const t = await runWorkflow(workflow({ resource: 'email', operation: 'send', content: 'template', templateId }, { items: [submission('amy@example.com')] }), {
			credentials: creds(),
		});
		expect(t.error).toBeUndefined();
		expect(t.outputOf(NODE)[0]).toMatchObject({ sent: true, messageId: expect.stringMatching(/^<.*@smtp-relay.mailin.fr>$/) });
		expect(brevo.emails()[0].request).toMatchObject({ templateId, to: [{ email: 'amy@example.com' }], params: { email: 'amy@example.com', company: 'Acme', plan: 'pro' } });

		const c = await runWorkflow(
			workflow(
				{ resource: 'email', operation: 'send', content: 'content', senderEmail: 'news@example.com', subject: 'Your demo', textContent: 'See you soon' },
				{ items: [click('amy@example.com')] },
			),
			{ credentials: creds() },
		);
		expect(c.error).toBeUndefined();
		expect(brevo.emails()[1].request).toMatchObject({ sender: { email: 'news@example.com' }, subject: 'Your demo', textContent: 'See you soon' });
	});

	it('Event: a click tracks an event that starts an automation', async () => {
		brevo.addContact({ email: 'amy@example.com' });
		const r = await runWorkflow(workflow({ resource: 'event', operation: 'track', eventName: 'slack_demo_requested' }, { items: [click('amy@example.com', 'pro')] }), {
			credentials: creds(),
		});
		expect(r.error).toBeUndefined();
		expect(brevo.events()[0]).toMatchObject({
			event_name: 'slack_demo_requested',
			identifiers: { email_id: 'amy@example.com' },
			event_properties: { source: 'slack', action_id: 'request_demo', value: 'pro' },
		});
		const bad = await runWorkflow(workflow({ resource: 'event', operation: 'track', eventName: 'demo requested!' }, { items: [click('amy@example.com')] }), {
			credentials: creds(),
		});
		expect(bad.error!.message).toMatch(/Event Name "demo requested!" is not valid/);
	});

	it('Event: boolean and floating-point properties reach Brevo (its own examples use them)', async () => {
		brevo.addContact({ email: 'amy@example.com' });
		const r = await runWorkflow(
			workflow(
				{
					resource: 'event',
					operation: 'track',
					eventName: 'video_played',
					eventProperties: '{"autoplayed": false, "duration": 142.5, "plan": {"trial": true, "price": 9.99}}',
					contactProperties: '{"vip": true, "score": 4.5}',
				},
				{ items: [click('amy@example.com')] },
			),
			{ credentials: creds() },
		);
		expect(r.error).toBeUndefined();
		expect(r.outputOf(NODE)[0]).toMatchObject({ tracked: true });
		expect(brevo.requests({ method: 'POST', path: /\/events$/ }).map((c) => c.status)).toEqual([204]);
		expect(brevo.events()[0]).toMatchObject({
			event_properties: { autoplayed: false, duration: 142.5, plan: { trial: true, price: 9.99 } },
			contact_properties: { VIP: true, SCORE: 4.5 },
		});
	});
});
