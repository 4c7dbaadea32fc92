/**
 * The demo workspace `npm run emulators` / `npm start` seed (CONTRACT.md): channels #marketing #sales #support #alerts
 * (the bot is in all of them), a private #leadership the bot is not in, an archived #old-campaigns, and a few members
 * with the profile fields the user sync maps (email, phone, title, tz, status), plus a guest, a bot and a deactivated
 * member. Also reachable as `POST /_admin/seed {"demo": true}`. Idempotent: seeding twice changes nothing.
 */
import type { SlackState } from './state';

export interface SlackDemoIds {
	channels: Record<'marketing' | 'sales' | 'support' | 'alerts' | 'leadership' | 'oldCampaigns', string>;
	users: string[];
}

const DEMO_USERS = [
	{ id: 'U0DEMO0ADA', name: 'ada', real_name: 'Ada Lovelace', tz: 'Europe/London', is_admin: true, profile: { real_name: 'Ada Lovelace', display_name: 'ada', email: 'ada@example.com', phone: '+44 7700 900123', title: 'Head of Growth', status_text: 'Planning Q3' } },
	{ id: 'U0DEMO0GRC', name: 'grace', real_name: 'Grace Hopper', tz: 'America/New_York', profile: { real_name: 'Grace Hopper', display_name: 'grace', email: 'grace@example.com', title: 'Sales Lead' } },
	{ id: 'U0DEMO0LIN', name: 'linus', real_name: 'Linus Torvalds', tz: 'America/Los_Angeles', profile: { real_name: 'Linus Torvalds', display_name: '', email: 'linus@example.com', title: 'Support Engineer', phone: '+1 503 555 0142' } },
	{ id: 'U0DEMO0MAR', name: 'marie', real_name: 'Marie Curie-Skłodowska', tz: 'Europe/Paris', is_restricted: true, profile: { real_name: 'Marie Curie-Skłodowska', display_name: 'marie', email: 'marie@partner.example.org', title: 'Agency partner' } },
	{ id: 'U0DEMO0BOT', name: 'zapier', real_name: 'Zapier', is_bot: true, profile: { real_name: 'Zapier', display_name: '', bot_id: 'B0DEMO0ZAP' } },
	{ id: 'U0DEMO0OLD', name: 'former.employee', deleted: true, profile: { real_name: 'Former Employee', display_name: '' } },
];

export function seedSlackDemo(st: SlackState): SlackDemoIds {
	const users: string[] = [];
	for (const u of DEMO_USERS) {
		if (!st.users.get(u.id)) st.addUser(u);
		users.push(u.id);
	}
	const everyone = [st.botUserId, 'U0ADMIN001', ...users.slice(0, 4)];
	const channel = (name: string, o: { is_private?: boolean; is_archived?: boolean; members?: string[] } = {}) =>
		st.findChannel(name)?.id ?? st.addChannel({ name, members: o.members ?? everyone, is_private: o.is_private, is_archived: o.is_archived }).id;
	return {
		channels: {
			marketing: channel('marketing'),
			sales: channel('sales'),
			support: channel('support'),
			alerts: channel('alerts'),
			leadership: channel('leadership', { is_private: true, members: ['U0ADMIN001', 'U0DEMO0ADA'] }),
			oldCampaigns: channel('old-campaigns', { is_archived: true }),
		},
		users,
	};
}
