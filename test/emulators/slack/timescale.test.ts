/** Changing the time scale re-times pending scheduled messages: what is left of their wait passes at the new pace. */
import { WebClient } from '@slack/web-api';

import { startSlackEmulator } from './index';

it('a message scheduled at scale 1 posts quickly once the scale is raised', async () => {
	const slack = await startSlackEmulator();
	try {
		const channel = slack.addChannel({ name: 'later' });
		const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
		await client.chat.scheduleMessage({ channel: channel.id, text: 'in two minutes', post_at: Math.floor(Date.now() / 1000) + 120 });
		await new Promise((r) => setTimeout(r, 300));
		expect(slack.messages(channel.id)).toHaveLength(0);
		slack.setTimeScale(600); // ~120 s left -> ~0.2 s
		await new Promise((r) => setTimeout(r, 600));
		expect(slack.messages(channel.id).map((m) => m.text)).toEqual(['in two minutes']);
	} finally {
		await slack.close();
	}
});
