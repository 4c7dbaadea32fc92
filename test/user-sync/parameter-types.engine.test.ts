/**
 * Hostile and careless parameter values for Brevo for Slack through n8n-core's engine against the Brevo emulator:
 * JSON parameters given null, arrays or numbers, emails given objects, ids given text or objects. Each case asserts
 * what Brevo received, or the NodeOperationError naming the parameter and the type (never "Could not reach Brevo").
 */
import { runWorkflow, type RunResult, type WorkflowJson } from '../harness';
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';

let brevo: BrevoEmulator;
const NODE = 'Brevo for Slack';

beforeAll(async () => {
	brevo = await startBrevoEmulator();
});
afterAll(async () => {
	await brevo.close();
});

async function run(parameters: Record<string, unknown>, items: unknown[] = [{}], extraCredentials: Record<string, unknown> = {}): Promise<RunResult> {
	const workflow = {
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} },
			{ name: 'Items', type: 'harness.items', parameters: { items: JSON.stringify(items) } },
			{ name: NODE, type: 'n8n-nodes-slack-brevo.brevoForSlack', parameters },
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: NODE, type: 'main', index: 0 }]] },
		},
	} as unknown as WorkflowJson;
	return await runWorkflow(workflow, { credentials: { slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl }, ...extraCredentials } as never, mode: 'trigger' });
}

const track = (p: Record<string, unknown>) => ({ resource: 'event', operation: 'track', eventName: 'demo_requested', email: 'amy@example.com', eventProperties: '{}', contactProperties: '{}', ...p });
const mail = (p: Record<string, unknown>) => ({ resource: 'email', operation: 'send', toEmail: 'amy@example.com', toName: '', content: 'template', templateId: 1, params: '{}', ...p });

async function refused(parameters: Record<string, unknown>, items?: unknown[], extraCredentials?: Record<string, unknown>): Promise<string> {
	const posts = brevo.requests({ method: 'POST' }).length;
	const r = await run(parameters, items, extraCredentials);
	expect(r.error?.name).toBe('NodeOperationError');
	expect(brevo.requests({ method: 'POST' })).toHaveLength(posts); // nothing reached Brevo
	return r.error!.message;
}

describe('Event > Track', () => {
	it('Event Properties given the JSON text "null": no properties, tracked', async () => {
		const r = await run(track({ eventProperties: 'null' }));
		expect(r.error).toBeUndefined();
		expect(brevo.events().at(-1)).toEqual(expect.not.objectContaining({ event_properties: expect.anything() }));
		expect(brevo.events().at(-1)).toMatchObject({ event_name: 'demo_requested', identifiers: { email_id: 'amy@example.com' } });
	});

	it('Event Properties given an expression that is null: no properties, tracked', async () => {
		const r = await run(track({ eventProperties: '={{ $json.values ?? null }}' }));
		expect(r.error).toBeUndefined();
		expect(r.outputOf(NODE)[0]).toMatchObject({ tracked: true, eventProperties: {} });
	});

	it('Event Properties given an array is refused naming the type', async () => {
		expect(await refused(track({ eventProperties: '={{ [1, 2] }}' }))).toBe('Event Properties (JSON) must be a JSON object like {"KEY": "value"}, not an array');
	});

	it('Contact Properties given a number is refused naming the type', async () => {
		expect(await refused(track({ contactProperties: '={{ 5 }}' }))).toBe('Contact Properties (JSON) must be a JSON object like {"KEY": "value"}, not a number (5)');
	});

	it('Contact Properties given the JSON text of an array is refused', async () => {
		expect(await refused(track({ contactProperties: '[{"COMPANY": "Acme"}]' }))).toBe('Contact Properties (JSON) must be a JSON object like {"KEY": "value"}, not an array');
	});

	it('an Event Name that is a number is its digits', async () => {
		const r = await run(track({ eventName: '={{ 2026 }}' }));
		expect(r.error).toBeUndefined();
		expect(brevo.events().at(-1)).toMatchObject({ event_name: '2026' });
	});

	it('Contact Email given the whole user object is refused naming it', async () => {
		expect(await refused(track({ email: '={{ $json.user }}' }), [{ user: { email: 'amy@example.com' } }])).toBe('Contact Email must be text, not an object');
	});

	it('Contact Email given a number is refused as not an email', async () => {
		expect(await refused(track({ email: '={{ 42 }}' }))).toBe('Contact Email must be an email address, not a number (42)');
	});
});

describe('Email > Send Transactional', () => {
	it('Template ID given as the text "1" is the number 1', async () => {
		const r = await run(mail({ templateId: '={{ "1" }}' }));
		expect(r.error).toBeUndefined();
		expect(brevo.emails().at(-1)!.request).toMatchObject({ templateId: 1, to: [{ email: 'amy@example.com' }] });
	});

	it('Template ID given a boolean is refused naming the type', async () => {
		expect(await refused(mail({ templateId: '={{ true }}' }))).toBe('Template ID must be a whole number of at least 1, not a boolean (true)');
	});

	it('Params (JSON) given null sends no params', async () => {
		const r = await run(mail({ params: '={{ null }}' }));
		expect(r.error).toBeUndefined();
		expect(brevo.emails().at(-1)!.request).not.toHaveProperty('params');
	});

	it('Params (JSON) given a text that is not JSON is refused with the parser message', async () => {
		expect(await refused(mail({ params: 'name=Amy' }))).toMatch(/^Params \(JSON\) is not valid JSON: /);
	});

	it('a numeric To Name is sent as text; tags given as a list are a list', async () => {
		const r = await run(mail({ toName: '={{ 7 }}', options: { tags: '={{ ["slack", 2026] }}' } }));
		expect(r.error).toBeUndefined();
		expect(brevo.emails().at(-1)!.request).toMatchObject({ to: [{ email: 'amy@example.com', name: '7' }], tags: ['slack', '2026'] });
	});

	it('Subject given an object is refused naming it', async () => {
		const p = mail({ content: 'content', senderEmail: 'news@example.com', subject: '={{ $json.subject }}', textContent: 'hi' });
		expect(await refused(p, [{ subject: { text: 'Hello' } }])).toBe('Subject must be text, not an object');
	});
});

describe('Contact > Upsert', () => {
	it('List IDs given one number is that list; given an object it is refused naming the field', async () => {
		const list = brevo.addList({ name: `Param types ${Date.now()}` } as never) as unknown as { id: number };
		const ok = await run({ resource: 'contact', operation: 'upsert', email: 'lee@example.com', listIds: `={{ ${list.id} }}`, attributesJson: '{}' });
		expect(ok.error).toBeUndefined();
		const bad = await refused({ resource: 'contact', operation: 'upsert', email: 'lee@example.com', listIds: '={{ { id: 3 } }}', attributesJson: '{}' });
		expect(bad).toBe('List Names or IDs must be text, not an object');
	});

	it('Attributes (JSON) given the JSON text "null" is no attributes; an attribute value that is an object is refused', async () => {
		const ok = await run({ resource: 'contact', operation: 'upsert', email: 'kim@example.com', attributesJson: 'null' });
		expect(ok.error).toBeUndefined();
		const bad = await refused({ resource: 'contact', operation: 'upsert', email: 'kim@example.com', attributesJson: '={{ { COMPANY: { name: "Acme" } } }}' });
		expect(bad).toBe('Attributes (JSON) > COMPANY must be text, not an object');
	});
});

describe('User Sync > Sync Workspace: filters, options and switches', () => {
	// every refusal happens before Slack is called: the parameters are read first
	const sync = (p: Record<string, unknown>) => ({ resource: 'userSync', operation: 'sync', listIds: '3', ...p });

	it('Contacts per Import of 0 (below minValue 1) is refused naming the option and the range', async () => {
		expect(await refused(sync({ options: { contactsPerImport: 0 } }))).toBe('Options > Contacts per Import must be a number from 1 to 50000, not 0');
	});

	it('Contacts per Import above maxValue 50000 is refused', async () => {
		expect(await refused(sync({ options: { contactsPerImport: '={{ 60000 }}' } }))).toBe('Options > Contacts per Import must be a number from 1 to 50000, not 60000');
	});

	it('Import Timeout given text that is not a number is refused quoting it', async () => {
		expect(await refused(sync({ options: { importTimeoutSec: '={{ "soon" }}' } }))).toBe('Options > Import Timeout (Seconds) must be a number of at least 10, not "soon"');
	});

	it('Filters > Include Bots given "yes" is refused as not true or false', async () => {
		expect(await refused(sync({ filters: { includeBots: '={{ "yes" }}' } }))).toBe('Filters > Include Bots and App Users must be true or false, not text');
	});

	it('Filters > Deleted Users given an unknown choice is refused listing the choices', async () => {
		expect(await refused(sync({ filters: { deletedUsers: '={{ "purge" }}' } }))).toBe('Filters > Deleted Users "purge" is not one of skip, mark');
	});

	it('Dry Run given a number is refused naming the type', async () => {
		expect(await refused(sync({ dryRun: '={{ 1 }}' }))).toBe('Dry Run must be true or false, not a number (1)');
	});

	it('Deleted Attribute given an object is refused naming the option', async () => {
		expect(await refused(sync({ options: { deletedAttribute: '={{ { name: "GONE" } }}' } }))).toBe('Options > Deleted Attribute must be text, not an object');
	});
});

describe('User Sync > Upsert One User, Get Brevo Contact, List > Add', () => {
	const upsert = (p: Record<string, unknown>) => ({ resource: 'userSync', operation: 'upsertUser', ...p });
	const amy = { id: 'U0PARAM01', name: 'amy', real_name: 'Amy Param', profile: { email: 'amy.param@example.com', real_name: 'Amy Param' } };

	it('Slack User given a number is refused naming the type', async () => {
		expect(await refused(upsert({ user: '={{ 42 }}' }))).toBe('Slack User must be a Slack user object or a user ID, not a number (42)');
	});

	it('Slack User given JSON text that does not parse is refused with the parser message', async () => {
		expect(await refused(upsert({ user: '{"id": "U0PARAM01", ' }))).toMatch(/^Slack User is not valid JSON: /);
	});

	it('Options > Default Country Code given an object is refused naming it', async () => {
		expect(await refused(upsert({ user: '={{ $json.user }}', options: { defaultCountryCode: '={{ { code: 33 } }}' } }), [{ user: amy }])).toBe(
			'Options > Default Country Code must be text, not an object',
		);
	});

	it('a numeric Default Country Code and switches given as "true" are used: the contact is upserted', async () => {
		const r = await run(upsert({ user: '={{ $json.user }}', options: { defaultCountryCode: '={{ 33 }}', createMissingAttributes: '={{ "true" }}', includeBots: '={{ "false" }}' } }), [{ user: amy }]);
		expect(r.error).toBeUndefined();
		expect(r.outputOf(NODE)[0]).toMatchObject({ userId: 'U0PARAM01', email: 'amy.param@example.com', outcome: 'created' });
	});

	it('Get Brevo Contact: Slack User ID given the whole user object is refused naming it', async () => {
		const slack = { slackBrevoBotApi: { accessToken: 'xoxb-unused-0', baseUrl: 'http://127.0.0.1:9/' } };
		expect(await refused({ resource: 'userSync', operation: 'getBrevoContact', userId: '={{ $json.user }}' }, [{ user: amy }], slack)).toBe('Slack User ID must be text, not an object');
	});

	it('List > Add: List Name or ID given an object is refused naming it; given a number it is that list', async () => {
		const add = (listId: unknown) => ({ resource: 'list', operation: 'add', listId, email: 'amy.param@example.com', createMissing: '={{ "true" }}' });
		expect(await refused(add('={{ { id: 3 } }}'))).toBe('List Name or ID must be text, not an object');
		const list = brevo.addList({ name: `Param list ${Date.now()}` } as never) as unknown as { id: number };
		const r = await run(add(`={{ ${list.id} }}`));
		expect(r.error).toBeUndefined();
		expect(r.outputOf(NODE)[0]).toMatchObject({ listId: list.id, email: 'amy.param@example.com', added: true });
	});
});
