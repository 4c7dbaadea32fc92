/** Channel pickers (list search with filter and pagination, load options) and the node description. */
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { describeNodeType } from '../harness/engine';
import { nodeContext } from '../harness';
import { slackListSearch, slackLoadOptions } from '../../nodes/shared/n8n/loaders';

const { getChannels } = slackListSearch;
const { getChannelOptions } = slackLoadOptions;
import { NOTIFY } from './helpers';

let emu: SlackEmulator;
beforeAll(async () => {
	emu = await startSlackEmulator();
	for (let i = 0; i < 450; i++) emu.addChannel({ name: `team-${String(i).padStart(3, '0')}` });
	emu.addChannel({ name: 'secret-room', is_private: true });
	emu.addChannel({ name: 'outside', members: ['U0ADMIN001'] });
});
afterAll(async () => await emu.close());

// A real n8n-core context: the loaders call Slack through n8n's httpRequestWithAuthentication, as in the editor.
const ctx = () => nodeContext({ credentials: { slackBrevoBotApi: { accessToken: emu.botToken, baseUrl: emu.apiUrl } } }) as unknown as ILoadOptionsFunctions;

describe('channel pickers', () => {
	it('list search pages through all channels with a cursor, marks private channels and missing membership', async () => {
		const seen = new Set<string>();
		let token: string | undefined;
		let pages = 0;
		do {
			const r = await getChannels.call(ctx(), '', token);
			r.results.forEach((x) => seen.add(x.name));
			token = r.paginationToken as string | undefined;
			pages++;
		} while (token && pages < 20);
		expect(pages).toBeGreaterThan(1);
		expect(seen.has('#team-000')).toBe(true);
		expect(seen.has('#team-449')).toBe(true);
		expect(seen.has('#secret-room (private)')).toBe(true);
		expect(seen.has('#outside (bot not in channel)')).toBe(true);
	});
	it('filters by name, with or without #', async () => {
		const r = await getChannels.call(ctx(), '#secret');
		expect(r.results.map((x) => x.name)).toEqual(['#secret-room (private)']);
		expect(r.results[0].value).toMatch(/^[CG]/);
	});
	it('load options list every channel as #name -> id', async () => {
		const options = await getChannelOptions.call(ctx());
		expect(options.length).toBeGreaterThanOrEqual(452);
		expect(options.find((o) => o.name === '#team-123')?.value).toMatch(/^C/);
	});
});

describe('node description', () => {
	it('is the package node slackNotify with one operation list and a channel resource locator', () => {
		const d = describeNodeType(NOTIFY);
		expect(d).toMatchObject({ name: 'slackNotify', displayName: 'Slack Notify', icon: { light: 'file:slackNotify.svg', dark: 'file:slackNotify.dark.svg' } });
		const op = d.properties.find((p) => p.name === 'operation')!;
		expect((op.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual(
			['checkConnection', 'delete', 'ephemeral', 'markDone', 'modal', 'react', 'respond', 'send', 'unfurl', 'update'].sort(),
		);
		const locator = d.properties.find((p) => p.name === 'defaultChannel')!;
		expect(locator.type).toBe('resourceLocator');
		expect(locator.modes!.map((m) => m.name)).toEqual(['list', 'name', 'id']);
	});
});
