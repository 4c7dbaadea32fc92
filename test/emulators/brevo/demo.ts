/**
 * The demo Brevo account `npm run emulators` / `npm start` seed (CONTRACT.md): lists, the custom attributes the
 * Slack user sync writes, a few contacts, a recent sent campaign with statistics, an older one (outside the
 * 6-month statistics window) and a draft. Also reachable as `POST /_admin/seed {"demo": true}`.
 */
import type { BrevoState } from './state';

export interface DemoIds {
	lists: Record<'newsletter' | 'slackUsers' | 'customers', number>;
	campaigns: Record<'recent' | 'old' | 'draft', number>;
	contacts: number[];
}

export function seedDemo(st: BrevoState, now = Date.now()): DemoIds {
	const lists = {
		newsletter: st.addList({ name: 'Newsletter' }).id,
		slackUsers: st.addList({ name: 'Slack workspace users' }).id,
		customers: st.addList({ name: 'Customers' }).id,
	};
	for (const name of ['JOB_TITLE', 'TIMEZONE', 'SLACK_USER_ID', 'SLACK_TEAM_ID', 'STATUS_TEXT']) {
		st.addAttribute({ name, category: 'normal', type: 'text' });
	}
	st.addAttribute({ name: 'IS_ADMIN', category: 'normal', type: 'boolean' });
	st.addAttribute({ name: 'LTV', category: 'normal', type: 'float' });
	// set by examples/slack-button-to-brevo-contact.json (button click -> contact updated)
	st.addAttribute({ name: 'LEAD_STATUS', category: 'normal', type: 'text' });
	// set by examples/modal-submission-to-brevo-contact.json
	st.addAttribute({ name: 'COMPANY', category: 'normal', type: 'text' });
	const contacts = [
		st.seedContact({
			email: 'ada@example.com',
			attributes: { FIRSTNAME: 'Ada', LASTNAME: 'Lovelace', JOB_TITLE: 'Engineer', LTV: 1250 },
			listIds: [lists.newsletter, lists.customers],
			sms: '+447700900123',
		}).id,
		st.seedContact({
			email: 'grace@example.com',
			attributes: { FIRSTNAME: 'Grace', LASTNAME: 'Hopper' },
			listIds: [lists.newsletter],
		}).id,
		st.seedContact({ email: 'linus@example.com', attributes: { FIRSTNAME: 'Linus' }, listIds: [lists.customers] }).id,
	];
	const day = 86_400_000;
	const campaigns = {
		recent: st.addCampaign({
			name: 'Spring newsletter',
			subject: 'What is new this spring',
			status: 'sent',
			sentDate: new Date(now - 2 * day).toISOString(),
			listIds: [lists.newsletter],
			stats: {
				sent: 2000,
				delivered: 1968,
				uniqueViews: 812,
				viewed: 1103,
				uniqueClicks: 164,
				clickers: 201,
				hardBounces: 12,
				softBounces: 20,
				unsubscriptions: 7,
				complaints: 1,
				trackableViews: 700,
				appleMppOpens: 112,
			},
		}).id,
		old: st.addCampaign({
			name: 'Last year summer sale',
			status: 'sent',
			sentDate: new Date(now - 300 * day).toISOString(),
			listIds: [lists.customers],
			stats: { sent: 900, delivered: 890, uniqueViews: 300 },
		}).id,
		draft: st.addCampaign({ name: 'Autumn teaser', status: 'draft', listIds: [lists.newsletter] }).id,
	};
	return { lists, campaigns, contacts };
}
