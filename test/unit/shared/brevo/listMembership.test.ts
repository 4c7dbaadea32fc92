/**
 * List membership against scripted Brevo answers (no n8n, no emulator): Brevo's 400 "nothing could be changed" and
 * its 201 failure list both lead to a look-up per email, and each email ends with one outcome.
 */
import { BrevoGateway, type BrevoHttpRequest } from '../../../../nodes/shared/brevo/gateway';
import { changeListMembership, isNothingChangedAnswer } from '../../../../nodes/shared/brevo/listMembership';
import type { HttpOutcome } from '../../../../nodes/shared/http';

/** Answers by `METHOD path`; each key's answers are used in order. */
function brevo(script: Record<string, HttpOutcome[]>) {
	const seen: BrevoHttpRequest[] = [];
	const http = async (r: BrevoHttpRequest): Promise<HttpOutcome> => {
		seen.push(r);
		const answer = script[`${r.method} ${r.path}`]?.shift();
		if (!answer) throw new Error(`unscripted ${r.method} ${r.path}`);
		return answer;
	};
	return { gateway: new BrevoGateway(http, { sleep: async () => undefined }), seen };
}
const json = (statusCode: number, body: unknown): HttpOutcome => ({ statusCode, headers: {}, body: JSON.stringify(body) });
const NOT_ADDED = json(400, { code: 'invalid_parameter', message: 'Contact already in list and/or does not exist' });
const NOT_REMOVED = json(400, { code: 'invalid_parameter', message: 'Contact already removed from list and/or does not exist' });
const NO_CONTACT = json(404, { code: 'document_not_found', message: 'Contact does not exist' });

describe('changeListMembership', () => {
	it('add, 400 for the whole call: unknown -> created in the list, member -> alreadyInList (a success)', async () => {
		const { gateway, seen } = brevo({
			'POST /contacts/lists/7/contacts/add': [NOT_ADDED],
			'GET /contacts/new%40x.io': [NO_CONTACT],
			'GET /contacts/in%40x.io': [json(200, { email: 'in@x.io', listIds: [3, 7] })],
			'POST /contacts': [json(201, { id: 51 })],
		});
		const results = await changeListMembership(gateway, 'add', 7, ['new@x.io', 'in@x.io'], { createMissing: true });
		expect(results.get('new@x.io')).toEqual({ ok: true, outcome: { email: 'new@x.io', listId: 7, added: true, inList: true, contactCreated: true, contactId: 51 } });
		expect(results.get('in@x.io')).toEqual({ ok: true, outcome: { email: 'in@x.io', listId: 7, added: false, inList: true, alreadyInList: true } });
		expect(seen.find((r) => r.path === '/contacts')!.body).toEqual({ email: 'new@x.io', listIds: [7], updateEnabled: true });
	});

	it('add, 201 with a failure list: only the failed emails are looked up; Create Missing decided per email', async () => {
		const { gateway, seen } = brevo({
			'POST /contacts/lists/7/contacts/add': [json(201, { contacts: { success: ['ok@x.io'], failure: ['NEW@x.io', 'no@x.io'] } })],
			'GET /contacts/new%40x.io': [NO_CONTACT],
			'GET /contacts/no%40x.io': [NO_CONTACT],
			'POST /contacts': [{ statusCode: 204, headers: {}, body: '' }],
		});
		const results = await changeListMembership(gateway, 'add', 7, ['ok@x.io', 'new@x.io', 'no@x.io'], { createMissing: (e) => e === 'new@x.io' });
		expect(results.get('ok@x.io')).toEqual({ ok: true, outcome: { email: 'ok@x.io', listId: 7, added: true, inList: true } });
		// 204: the contact appeared meanwhile; it is in the list now, nothing was created
		expect(results.get('new@x.io')).toEqual({ ok: true, outcome: { email: 'new@x.io', listId: 7, added: true, inList: true } });
		expect(results.get('no@x.io')).toMatchObject({ ok: true, outcome: { added: false, inList: false, reason: expect.stringMatching(/Create Missing Contacts/) } });
		expect(seen.filter((r) => r.method === 'POST' && r.path === '/contacts')).toHaveLength(1);
	});

	it('add: a known contact Brevo still did not add (e.g. stored in another case) is added through the contact', async () => {
		const { gateway } = brevo({
			'POST /contacts/lists/7/contacts/add': [NOT_ADDED],
			'GET /contacts/k%40x.io': [json(200, { email: 'k@x.io', listIds: [] })],
			'POST /contacts': [{ statusCode: 204, headers: {}, body: '' }],
		});
		const results = await changeListMembership(gateway, 'add', 7, ['k@x.io'], { createMissing: false });
		expect(results.get('k@x.io')).toEqual({ ok: true, outcome: { email: 'k@x.io', listId: 7, added: true, inList: true } });
	});

	it('remove, 400: not a member -> notInList (a success); no contact -> reason', async () => {
		const { gateway } = brevo({
			'POST /contacts/lists/7/contacts/remove': [NOT_REMOVED],
			'GET /contacts/out%40x.io': [json(200, { email: 'out@x.io', listIds: [3] })],
			'GET /contacts/none%40x.io': [NO_CONTACT],
		});
		const results = await changeListMembership(gateway, 'remove', 7, ['out@x.io', 'none@x.io'], { createMissing: false });
		expect(results.get('out@x.io')).toEqual({ ok: true, outcome: { email: 'out@x.io', listId: 7, removed: false, inList: false, notInList: true } });
		expect(results.get('none@x.io')).toMatchObject({ ok: true, outcome: { removed: false, inList: false, reason: expect.stringMatching(/No Brevo contact/) } });
	});

	it('other failures: of the whole call rejects (unknown list); of one look-up is that email\'s result', async () => {
		const unknownList = brevo({ 'POST /contacts/lists/9/contacts/add': [json(404, { code: 'document_not_found', message: 'List ID does not exist' })] });
		await expect(changeListMembership(unknownList.gateway, 'add', 9, ['a@x.io'], { createMissing: true })).rejects.toMatchObject({ statusCode: 404 });
		const badLookup = brevo({
			'POST /contacts/lists/7/contacts/add': [NOT_ADDED],
			'GET /contacts/a%40x.io': [json(401, { code: 'unauthorized', message: 'Key not found' })],
		});
		const results = await changeListMembership(badLookup.gateway, 'add', 7, ['a@x.io'], { createMissing: true });
		expect(results.get('a@x.io')).toMatchObject({ ok: false, error: { statusCode: 401 } });
	});

	it('isNothingChangedAnswer matches only Brevo\'s two messages on a 400 invalid_parameter', () => {
		const e = (statusCode: number, code: string, brevoMessage: string) => ({ statusCode, code, brevoMessage });
		expect(isNothingChangedAnswer(e(400, 'invalid_parameter', 'Contact already in list and/or does not exist'))).toBe(true);
		expect(isNothingChangedAnswer(e(400, 'invalid_parameter', 'Contact already removed from list and/or does not exist'))).toBe(true);
		expect(isNothingChangedAnswer(e(400, 'invalid_parameter', 'Contact email addresses are invalid/ not in valid format'))).toBe(false);
		expect(isNothingChangedAnswer(e(404, 'invalid_parameter', 'Contact already in list and/or does not exist'))).toBe(false);
	});
});
