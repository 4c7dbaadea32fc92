import { DEFAULT_FILTERS } from '../../nodes/shared/sync/filters';
import { DEFAULT_MAPPING } from '../../nodes/shared/sync/mapping';
import {
	runUserSync,
	SyncAbortedError,
	SyncConfigError,
	SyncServiceError,
	type SyncOptions,
} from '../../nodes/shared/sync/userSync';
import { FakeBrevo, FakeSlack, person } from './fakes';

const options = (o: Partial<SyncOptions> = {}): SyncOptions => ({
	mapping: [...DEFAULT_MAPPING],
	filters: { ...DEFAULT_FILTERS },
	listIds: [7],
	defaultCountryCode: '33',
	createMissingAttributes: true,
	clearEmptyValues: false,
	dryRun: false,
	fullResync: false,
	perUserItems: true,
	contactsPerImport: 100,
	sleep: async () => undefined,
	...o,
});

function workspace(n: number) {
	return Array.from({ length: n }, (_, i) => person(i + 1));
}

describe('runUserSync over in-memory Slack and Brevo', () => {
	it('full sync: pages, chunks, imports followed to completion, attributes created, state recorded', async () => {
		const slack = new FakeSlack(workspace(450));
		const brevo = new FakeBrevo();
		const { summary, users, state } = await runUserSync(slack, brevo, undefined, options());
		expect(slack.calls).toBe(3); // 200 + 200 + 50
		expect(summary.counts).toEqual({ created: 450, updated: 0, unchanged: 0, skipped: 0, failed: 0 });
		expect(brevo.calls.filter((c) => c.op === 'importContacts').map((c) => (c.arg as { contacts: number }).contacts)).toEqual([100, 100, 100, 100, 50]);
		expect(summary.imports.every((i) => i.status === 'completed')).toBe(true);
		expect(summary.attributes.created.sort()).toEqual(['JOB_TITLE', 'SLACK_IS_ADMIN', 'SLACK_STATUS', 'SLACK_TEAM_ID', 'TIMEZONE']);
		expect(brevo.contacts.get('person1@example.com')).toMatchObject({
			attributes: { FIRSTNAME: 'Person 1', LASTNAME: 'Example', JOB_TITLE: 'Engineer', TIMEZONE: 'Europe/Paris', SLACK_IS_ADMIN: false, SLACK_TEAM_ID: 'T0001' },
			listIds: [7],
		});
		expect(users).toHaveLength(450);
		expect(state!.fp.split(',')).toHaveLength(450);
		expect(summary.state.bytes).toBeLessThan(450 * 24);
	});

	it('incremental: an unchanged second run writes nothing; a changed user alone is sent', async () => {
		const slack = new FakeSlack(workspace(250));
		const brevo = new FakeBrevo();
		const first = await runUserSync(slack, brevo, undefined, options());
		const writesAfterFirst = brevo.writes();

		const second = await runUserSync(slack, brevo, JSON.parse(JSON.stringify(first.state)), options());
		expect(brevo.writes()).toBe(writesAfterFirst);
		expect(second.summary.counts).toMatchObject({ unchanged: 250, created: 0, updated: 0 });
		expect(second.summary.imports).toEqual([]);

		slack.users[10].profile!.title = 'Staff Engineer';
		const third = await runUserSync(slack, brevo, second.state, options());
		expect(third.summary.counts).toMatchObject({ unchanged: 249, updated: 1 });
		expect(brevo.calls.filter((c) => c.op === 'importContacts').at(-1)!.arg).toEqual({ contacts: 1, listIds: [7] });
		expect(brevo.contacts.get('person11@example.com')!.attributes.JOB_TITLE).toBe('Staff Engineer');
	});

	it('dry run writes nothing (no attribute, no import, no state) and reports would-be outcomes', async () => {
		const slack = new FakeSlack([...workspace(5), person(6, { is_bot: true })]);
		const brevo = new FakeBrevo();
		const { summary, users, state } = await runUserSync(slack, brevo, undefined, options({ dryRun: true }));
		expect(brevo.writes()).toBe(0);
		expect(state).toBeUndefined();
		expect(summary.dryRun).toBe(true);
		expect(summary.counts).toMatchObject({ created: 5, skipped: 1 });
		expect(summary.attributes.created).toContain('JOB_TITLE');
		expect(summary.warnings.join('\n')).toMatch(/Dry run: attributes JOB_TITLE, .* would be created in Brevo/);
		expect(users.find((u) => u.userId === 'U000006')).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/bot/) });
	});

	it('filters, invalid and duplicate emails, unusable and shared phones', async () => {
		const users = [
			person(1, { profile: { email: 'a@example.com', phone: '06 12 34 56 78' } }),
			person(2, { profile: { email: 'A@Example.com ' } }), // same email, other case
			person(3, { profile: { email: 'not-an-email' } }),
			person(4, { profile: {} }),
			person(5, { deleted: true }),
			person(6, { id: 'USLACKBOT', profile: {} }),
			person(7, { is_app_user: true }),
			person(8, { is_restricted: true, is_ultra_restricted: true }),
			person(9, { profile: { email: 'b@example.com', phone: 'call me' } }),
			person(10, { profile: { email: 'c@example.com', phone: '+33 6 12 34 56 78' } }), // same phone as user 1
		];
		const brevo = new FakeBrevo();
		const { summary, users: out } = await runUserSync(new FakeSlack(users), brevo, undefined, options());
		expect(summary.skippedByReason).toEqual({ duplicate_email: 1, invalid_email: 1, no_email: 1, deleted: 1, slackbot: 1, bot: 1 });
		expect(summary.counts).toMatchObject({ created: 4, skipped: 6, failed: 0 });
		const byId = Object.fromEntries(out.map((u) => [u.userId, u]));
		expect(byId.U000002.reason).toMatch(/already used by another Slack user.*U000001/);
		expect(byId.U000009).toMatchObject({ outcome: 'created', warnings: [expect.stringMatching(/SMS left out: phone contains letters/)] });
		expect(byId.U000010.warnings).toEqual([expect.stringMatching(/SMS left out: \+33612345678 is also the phone of Slack user U000001/)]);
		expect(brevo.contacts.get('a@example.com')!.attributes.SMS).toBe('+33612345678');
		expect(brevo.contacts.get('c@example.com')!.attributes.SMS).toBeUndefined();
		expect(byId.U000008.outcome).toBe('created'); // guests are included by default
	});

	it('marks deleted users when asked, and unmarks active ones', async () => {
		const brevo = new FakeBrevo();
		const filters = { ...DEFAULT_FILTERS, deletedUsers: 'mark' as const };
		await runUserSync(new FakeSlack([person(1), person(2, { deleted: true })]), brevo, undefined, options({ filters }));
		expect(brevo.contacts.get('person2@example.com')!.attributes.SLACK_DELETED).toBe(true);
		expect(brevo.contacts.get('person1@example.com')!.attributes.SLACK_DELETED).toBe(false);
	});

	it('an SMS already owned by another Brevo contact: identified from counts, written without SMS, with a warning', async () => {
		const brevo = new FakeBrevo();
		brevo.contacts.set('owner@example.com', { email: 'owner@example.com', attributes: { SMS: '+33612345678' }, listIds: [], modifiedAt: 0 });
		const users = [person(1), person(2, { profile: { email: 'b@example.com', phone: '+33 6 12 34 56 78' } }), person(3)];
		const { summary, users: out, state } = await runUserSync(new FakeSlack(users), brevo, undefined, options());
		expect(summary.imports[0].problems).toEqual({ duplicate_phone_id: 1 });
		expect(brevo.calls.filter((c) => ['phoneOwner', 'upsertContact'].includes(c.op)).map((c) => [c.op, c.arg])).toEqual([
			['phoneOwner', '+33612345678'],
			['upsertContact', 'b@example.com'],
		]);
		expect(brevo.contacts.get('owner@example.com')!.attributes.SMS).toBe('+33612345678');
		expect(out.find((u) => u.userId === 'U000002')).toMatchObject({
			outcome: 'created',
			warnings: ['SMS left out: +33612345678 already belongs to another Brevo contact'],
		});
		expect(brevo.contacts.get('b@example.com')!.attributes.SMS).toBeUndefined();
		expect(summary.counts).toMatchObject({ created: 3, failed: 0 });
		expect(state!.fp.split(',')).toHaveLength(3);
	});

	it('reads per-record problems from the report URLs Brevo links (RFC 4180 CSV), fails each with its reason, and a rerun retries them', async () => {
		const brevo = new FakeBrevo();
		brevo.reportStyle = 'urls';
		const users = [
			person(1),
			person(2, { profile: { email: "o'brien@example.com" } }),
			person(3, { profile: { email: 'brien@example.com' } }),
			person(4, { profile: { email: 'ann-marie@example.com' } }),
		];
		brevo.rejects.set("o'brien@example.com", 'invalid_emails');
		brevo.rejects.set('ann-marie@example.com', 'duplicate_email_id');
		// quoted fields with commas, a doubled quote, a line break inside a field, CRLF record ends
		brevo.reportBody = (category, emails) =>
			[
				'EMAIL,FIRSTNAME,REASON',
				...emails.map((e) => `${e},"Lovelace, ""Ada""\r\nCountess",${category === 'invalid_emails' ? '"Invalid email, rejected"' : 'Duplicate'}`),
			].join('\r\n') + '\r\n';
		const first = await runUserSync(new FakeSlack(users), brevo, undefined, options());
		expect(brevo.calls.filter((c) => c.op === 'fetchReport')).toHaveLength(2);
		expect(first.users.find((u) => u.email === "o'brien@example.com")).toMatchObject({
			outcome: 'failed',
			reason: "invalid_emails: Brevo refused the email address (Brevo's import report: Invalid email, rejected)",
		});
		expect(first.users.find((u) => u.email === 'ann-marie@example.com')).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/^duplicate_email_id: .*: Duplicate\)$/) });
		// brien@ is a different person whose address is a suffix of the rejected one: written, not failed
		expect(first.users.find((u) => u.email === 'brien@example.com')).toMatchObject({ outcome: 'created' });
		expect(first.summary.counts).toMatchObject({ created: 2, failed: 2 });
		expect(first.summary.failedByReason).toEqual({ invalid_emails: 1, duplicate_email_id: 1 });
		expect(first.summary.imports[0].problems).toEqual({ invalid_emails: 1, duplicate_email_id: 1 });
		expect(first.state!.fp).not.toContain('U000002');

		// Brevo takes them now: the rerun sends only the two failed users, and they go through
		brevo.rejects.clear();
		const second = await runUserSync(new FakeSlack(users), brevo, first.state, options());
		expect(second.summary.counts).toMatchObject({ unchanged: 2, created: 2, failed: 0 });
	});

	it('a report record that matches no contact of the import is never taken as written: the untouched contacts are checked one by one', async () => {
		const brevo = new FakeBrevo();
		brevo.reportStyle = 'urls';
		brevo.rejects.set('person2@example.com', 'invalid_emails');
		// the report names the record by a form the package did not send (Brevo's own rewriting): no email matches
		brevo.reportBody = () => 'EMAIL,REASON\r\n"PERSON2 @example.com",Invalid\r\n';
		const { summary, users } = await runUserSync(new FakeSlack([person(1), person(2)]), brevo, undefined, options());
		expect(brevo.calls.some((c) => c.op === 'listModifiedContacts')).toBe(true);
		expect(brevo.calls.filter((c) => c.op === 'upsertContact').map((c) => c.arg)).toEqual(['person2@example.com']);
		expect(users.find((u) => u.email === 'person1@example.com')).toMatchObject({ outcome: 'created' });
		expect(users.find((u) => u.email === 'person2@example.com')).toMatchObject({ outcome: 'failed', reason: 'invalid_parameter: Invalid email address' });
		expect(summary.imports[0].problems).toEqual({ invalid_emails: 1 });
	});

	it('a report of phone numbers held by other contacts: those records are resent one by one and written without the number', async () => {
		const brevo = new FakeBrevo();
		brevo.reportStyle = 'urls';
		brevo.contacts.set('owner@example.com', { email: 'owner@example.com', attributes: { SMS: '+33612345678' }, listIds: [], modifiedAt: 0 });
		const users = [person(1), person(2, { profile: { email: 'b@example.com', phone: '+33612345678' } })];
		const { summary, users: out } = await runUserSync(new FakeSlack(users), brevo, undefined, options());
		expect(brevo.calls.some((c) => c.op === 'fetchReport')).toBe(true);
		expect(brevo.calls.filter((c) => c.op === 'upsertContact').map((c) => c.arg)).toEqual(['b@example.com']);
		expect(out.find((u) => u.email === 'b@example.com')).toMatchObject({ outcome: 'created', warnings: ['SMS left out: +33612345678 already belongs to another Brevo contact'] });
		expect(summary.imports[0].problems).toEqual({ duplicate_phone_id: 1 });
		expect(summary.counts).toMatchObject({ created: 2, failed: 0 });
	});

	it('a malformed report (unclosed quote) is reported and its records are checked one by one, never counted as written', async () => {
		const brevo = new FakeBrevo();
		brevo.reportStyle = 'urls';
		brevo.rejects.set('person2@example.com', 'invalid_emails');
		brevo.reportBody = () => 'EMAIL,REASON\r\n"person2@example.com,Invalid\r\n';
		const { summary, users } = await runUserSync(new FakeSlack([person(1), person(2)]), brevo, undefined, options());
		expect(summary.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/invalid_emails report of import 1 could not be read \(its CSV is malformed: unclosed quoted field \(line 2\)\)/)]));
		expect(users.find((u) => u.email === 'person2@example.com')).toMatchObject({ outcome: 'failed', reason: 'invalid_parameter: Invalid email address' });
		expect(users.find((u) => u.email === 'person1@example.com')).toMatchObject({ outcome: 'created' });
		expect(brevo.calls.filter((c) => c.op === 'upsertContact').map((c) => c.arg)).toEqual(['person2@example.com']);
	});

	it('an unreadable report link does not abort the sync: the untouched records are checked one by one', async () => {
		const brevo = new FakeBrevo();
		brevo.reportStyle = 'urls';
		brevo.reportsUnavailable = true;
		brevo.contacts.set('owner@example.com', { email: 'owner@example.com', attributes: { SMS: '+33612345678' }, listIds: [], modifiedAt: 0 });
		const users = [person(1), person(2, { profile: { email: 'b@example.com', phone: '+33612345678' } })];
		const { summary, users: out } = await runUserSync(new FakeSlack(users), brevo, undefined, options());
		expect(summary.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/report of import .* could not be read.*checked one by one/)]));
		expect(brevo.calls.filter((c) => c.op === 'upsertContact').map((c) => c.arg)).toEqual(['b@example.com']);
		expect(out.find((u) => u.userId === 'U000002')).toMatchObject({ outcome: 'created', warnings: ['SMS left out: +33612345678 already belongs to another Brevo contact'] });
		expect(summary.counts).toMatchObject({ created: 2, failed: 0 });
	});

	it('an import process that ends failed: its contacts are failed with the reason and retried by the next run', async () => {
		const brevo = new FakeBrevo();
		brevo.failNextImport = 'Import file could not be processed';
		const slack = new FakeSlack(workspace(150));
		const first = await runUserSync(slack, brevo, undefined, options());
		expect(first.summary.counts).toMatchObject({ failed: 100, created: 50 });
		expect(first.summary.imports.map((i) => i.status)).toEqual(['failed', 'completed']);
		expect(first.users[0].reason).toMatch(/^import_failed: Brevo's import process 1 ended failed \(Import file could not be processed\)/);
		expect(first.summary.warnings.join('\n')).toMatch(/retried by the next run/);

		const second = await runUserSync(slack, brevo, first.state, options());
		expect(second.summary.counts).toMatchObject({ created: 100, unchanged: 50, failed: 0 });
	});

	it('an import that never finishes is bounded and reported as unconfirmed', async () => {
		const brevo = new FakeBrevo();
		brevo.getProcess = async (id: number) => ({ id, status: 'in_process' });
		const { summary } = await runUserSync(new FakeSlack(workspace(3)), brevo, undefined, options({ importTimeoutMs: 5000, pollDelaysMs: [1000] }));
		expect(summary.counts.failed).toBe(3);
		expect(summary.imports[0].status).toBe('in_process');
		expect(summary.warnings.join()).toMatch(/import_unconfirmed: .*still in_process after 5 s/);
	});

	it('an expired cursor restarts from the first page without handling anyone twice', async () => {
		const slack = new FakeSlack(workspace(500));
		slack.failAt = { call: 2, error: new SyncServiceError('slack', 'invalid_cursor', 'invalid_cursor') };
		const brevo = new FakeBrevo();
		const { summary } = await runUserSync(slack, brevo, undefined, options());
		expect(summary.cursorRestarts).toBe(1);
		expect(summary.usersRead).toBe(500);
		expect(summary.counts.created).toBe(500);
		expect(brevo.contacts.size).toBe(500);
		expect(summary.warnings[0]).toMatch(/cursor expired after 1 pages/);
	});

	it('a revoked token mid-run aborts, keeping what Brevo confirmed so the rerun does not resend it', async () => {
		const slack = new FakeSlack(workspace(600));
		slack.failAt = { call: 3, error: new SyncServiceError('slack', 'token_revoked', 'token_revoked') };
		const brevo = new FakeBrevo();
		const error = (await runUserSync(slack, brevo, undefined, options()).catch((e) => e)) as SyncAbortedError;
		expect(error).toBeInstanceOf(SyncAbortedError);
		expect((error.cause as SyncServiceError).code).toBe('token_revoked');
		expect(error.result.summary.complete).toBe(false);
		expect(error.result.summary.counts.created).toBe(400); // the 4 chunks imported before page 3 failed
		const saved = error.result.state!;
		expect(saved.fp.split(',')).toHaveLength(400);

		const rerun = await runUserSync(slack, brevo, saved, options());
		expect(rerun.summary.counts).toMatchObject({ unchanged: 400, created: 200 });
	});

	it('without users:read.email it stops before writing anything and says so', async () => {
		const slack = new FakeSlack(workspace(3).map((u) => ({ ...u, profile: { ...u.profile, email: undefined } })));
		slack.scopes = ['users:read', 'chat:write'];
		const brevo = new FakeBrevo();
		const error = await runUserSync(slack, brevo, undefined, options()).catch((e) => e);
		expect(error).toBeInstanceOf(SyncConfigError);
		expect(error.message).toMatch(/lacks the users:read.email scope/);
		expect(error.description).toMatch(/add the users:read.email bot scope.*Nothing was written/);
		expect(brevo.calls).toEqual([]);
	});

	it('reports attributes it may not create, and attributes of the wrong type', async () => {
		const brevo = new FakeBrevo();
		brevo.attributes.push({ name: 'SLACK_IS_ADMIN', category: 'normal', type: 'date' }, { name: 'TIMEZONE', category: 'normal', type: 'text' });
		const mapping = [...DEFAULT_MAPPING, { slackField: 'updated', brevoAttribute: 'SLACK_UPDATED', type: 'float' as const }];
		brevo.attributes.push({ name: 'SLACK_UPDATED', category: 'normal', type: 'text' });
		const { summary } = await runUserSync(new FakeSlack([person(1, { updated: 1700000000 })]), brevo, undefined, options({ mapping, createMissingAttributes: false }));
		expect(summary.attributes.missing.sort()).toEqual(['JOB_TITLE', 'SLACK_STATUS', 'SLACK_TEAM_ID']);
		expect(summary.attributes.typeMismatches).toEqual([
			{ attribute: 'SLACK_IS_ADMIN', mappedType: 'boolean', brevoType: 'date', action: 'left out' },
			{ attribute: 'SLACK_UPDATED', mappedType: 'float', brevoType: 'text', action: 'converted to text' },
		]);
		expect(summary.warnings.join('\n')).toMatch(/no attribute JOB_TITLE, SLACK_TEAM_ID, SLACK_STATUS/);
		expect(summary.warnings.join('\n')).toMatch(/SLACK_IS_ADMIN is of type date/);
		const sent = brevo.processes.get(1)!.request.jsonBody[0].attributes;
		expect(sent).not.toHaveProperty('SLACK_IS_ADMIN');
		expect(sent).not.toHaveProperty('JOB_TITLE');
		expect(sent.SLACK_UPDATED).toBe('1700000000');
		expect(brevo.calls.some((c) => c.op === 'createAttribute')).toBe(false);
	});

	it('keeps every import body under the byte limit', async () => {
		const brevo = new FakeBrevo();
		const users = workspace(300).map((u) => ({ ...u, profile: { ...u.profile, title: 'x'.repeat(900) } }));
		const { summary } = await runUserSync(new FakeSlack(users), brevo, undefined, options({ contactsPerImport: 5000, maxImportBytes: 100_000 }));
		expect(summary.imports.length).toBeGreaterThan(2);
		for (const i of summary.imports) expect(i.bytes).toBeLessThan(100_000);
		expect(summary.counts.created).toBe(300);
	});
});
