/**
 * Unfurl privacy through n8n-core's engine against the Slack and Brevo emulators: only the chosen contact fields are
 * shown (default: the name only), and contact links are not previewed in Slack Connect channels unless switched on.
 */
import { startBrevoEmulator, type BrevoEmulator } from '../emulators/brevo';
import type { IDataObject } from 'n8n-workflow';

import type { SlackEmulator } from '../emulators/slack';
import { runNotify, slackCreds, startSlack } from './helpers';

let emu: SlackEmulator;
let brevo: BrevoEmulator;
let ch: Record<string, string>;
let external: string;

beforeAll(async () => {
	({ emu, channels: ch } = await startSlack({}, 1));
	external = emu.addChannel({ name: 'acme-partners', is_ext_shared: true }).id;
	brevo = await startBrevoEmulator();
});
afterAll(async () => {
	await emu.close();
	await brevo.close();
});

const creds = () => ({ ...slackCreds(emu), slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl } });

let seq = 0;
function contactAndCampaign() {
	seq++;
	const contact = brevo.addContact({ email: `jane.private${seq}@acme.io`, attributes: { FIRSTNAME: 'Jane', LASTNAME: 'Doe' }, listIds: [] });
	const campaign = brevo.addCampaign({ name: 'Spring Sale', subject: 'Deals', status: 'sent', sentDate: '2026-03-01T10:00:00Z', stats: { sent: 10, delivered: 10, uniqueViews: 5 } });
	return { contactUrl: `https://app.brevo.com/contact/index/${contact.id}`, campaignUrl: `https://app.brevo.com/camp/report/${campaign.id}` };
}

async function unfurl(channel: string, links: string[], params: IDataObject = {}, item: (event: IDataObject) => IDataObject = (event) => ({ type: 'event', event })) {
	const event = emu.buildLinkSharedEvent({ channel, links }) as IDataObject;
	const before = emu.unfurls().length;
	const r = await runNotify(emu, { operation: 'unfurl', ...params }, [item(event)], { credentials: creds() });
	expect(r.error).toBeUndefined();
	const sentUnfurl = emu.unfurls().length > before ? JSON.stringify(emu.unfurls().at(-1)) : '';
	return { out: r.outputOf('Slack Notify')[0] as Record<string, any>, sent: sentUnfurl };
}

describe('contact fields shown', () => {
	it('default: the name only, never the email address or the email status', async () => {
		const { contactUrl } = contactAndCampaign();
		const { out, sent } = await unfurl(ch.sales, [contactUrl]);
		expect(out.unfurled).toBe(1);
		expect(sent).toContain('Jane Doe');
		expect(sent).not.toContain('jane.private');
		expect(sent).not.toContain('Email status');
	});

	it('chosen fields: email and email status are shown when picked, the name is not', async () => {
		const { contactUrl } = contactAndCampaign();
		const { sent } = await unfurl(ch.sales, [contactUrl], { contactFields: ['email', 'emailStatus'] });
		expect(sent).toContain(`jane.private${seq}@acme.io`);
		expect(sent).toContain('*Email status*\\nSubscribed');
		expect(sent).not.toContain('Jane');
	});

	it('no personal field chosen: "Contact <id>" only', async () => {
		const { contactUrl } = contactAndCampaign();
		const id = contactUrl.split('/').pop();
		const { sent } = await unfurl(ch.sales, [contactUrl], { contactFields: [] });
		expect(sent).toContain(`Contact ${id}`);
		expect(sent).not.toContain('Jane');
		expect(sent).not.toContain('acme.io');
	});
});

describe('Slack Connect channels', () => {
	it('a contact link in an external channel is not previewed by default; a campaign link still is', async () => {
		const { contactUrl, campaignUrl } = contactAndCampaign();
		const { out, sent } = await unfurl(external, [contactUrl, campaignUrl]);
		expect(out.unfurled).toBe(1);
		expect(out.links[0]).toMatchObject({ kind: 'contact', unfurled: false });
		expect(out.links[0].reason).toBe(
			'contact not previewed: the channel is shared with another organisation (Slack Connect). Turn on "Unfurl Contacts in Slack Connect Channels" to allow it.',
		);
		expect(sent).toContain('Spring Sale');
		expect(sent).not.toContain('Jane');
		expect(emu.requests({ method: 'conversations.info' }).length).toBeGreaterThan(0);
	});

	it('the envelope flag (the trigger item\'s raw.is_ext_shared_channel) is enough, without conversations.info', async () => {
		const { contactUrl } = contactAndCampaign();
		const infoBefore = emu.requests({ method: 'conversations.info' }).length;
		const { out, sent } = await unfurl(external, [contactUrl], {}, (event) => ({ type: 'event', event, raw: emu.buildEventCallback(event) as IDataObject }));
		expect(out.links[0]).toMatchObject({ unfurled: false });
		expect(sent).toBe('');
		expect(emu.requests({ method: 'conversations.info' })).toHaveLength(infoBefore);
	});

	it('switched on: the contact is previewed in the external channel', async () => {
		const { contactUrl } = contactAndCampaign();
		const { out, sent } = await unfurl(external, [contactUrl], { contactsInExternalChannels: true });
		expect(out.unfurled).toBe(1);
		expect(sent).toContain('Jane Doe');
	});

	it('a channel that cannot be checked (no channels:read) counts as external', async () => {
		const { contactUrl } = contactAndCampaign();
		emu.addToken({ token: 'xoxb-no-read-1', scopes: ['chat:write', 'links:write'] });
		const event = emu.buildLinkSharedEvent({ channel: ch.sales, links: [contactUrl] });
		const r = await runNotify(emu, { operation: 'unfurl' }, [{ type: 'event', event }], {
			credentials: { ...slackCreds(emu, 'xoxb-no-read-1'), slackBrevoBrevoApi: { apiKey: brevo.apiKey, baseUrl: brevo.apiUrl } },
		});
		expect(r.error).toBeUndefined();
		const link = (r.outputOf('Slack Notify')[0] as any).links[0];
		expect(link).toMatchObject({ unfurled: false });
		expect(link.reason).toContain('could not be checked (conversations.info: missing_scope');
	});

	it('a composer preview (channel not known yet) is not a contact preview by default', async () => {
		const { contactUrl } = contactAndCampaign();
		const event = emu.buildLinkSharedEvent({ source: 'composer', links: [contactUrl] } as never);
		const r = await runNotify(emu, { operation: 'unfurl' }, [{ type: 'event', event }], { credentials: creds() });
		expect(r.error).toBeUndefined();
		expect((r.outputOf('Slack Notify')[0] as any).links[0].reason).toBe(
			'contact not previewed: a link in the message composer: the channel it will be posted in is not known yet. Turn on "Unfurl Contacts in Slack Connect Channels" to allow it.',
		);
	});
});
