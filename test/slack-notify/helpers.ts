/** Shared set-up for the Slack Notify engine tests: the Slack emulator, and workflows Items -> Slack Notify. */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow, type RunResult, type RunWorkflowOptions } from '../harness/engine';
import { startSlackEmulator, type SlackEmulator, type SlackSeed } from '../emulators/slack';

export const NOTIFY = 'n8n-nodes-slack-brevo.slackNotify';

export async function startSlack(seed: SlackSeed = {}, timeScale = 1): Promise<{ emu: SlackEmulator; channels: Record<string, string> }> {
	const emu = await startSlackEmulator({ timeScale, seed });
	const channels: Record<string, string> = {};
	for (const name of ['marketing', 'sales', 'support', 'alerts']) {
		const existing = (emu as unknown as { state: { findChannel(n: string): { id: string } | undefined } }).state.findChannel(name);
		channels[name] = existing?.id ?? emu.addChannel({ name }).id;
	}
	return { emu, channels };
}

export function slackCreds(emu: SlackEmulator, token = emu.botToken) {
	return { slackBrevoBotApi: { accessToken: token, baseUrl: emu.apiUrl } };
}

/** A workflow: Items (the given JSON) -> Slack Notify (the given parameters), optionally continue-on-fail. */
export function notifyWorkflow(parameters: IDataObject, items: IDataObject[], o: { continueOnFail?: boolean } = {}) {
	return {
		nodes: [
			{ name: 'Start', type: 'harness.manualTrigger', parameters: {} },
			{ name: 'Items', type: 'harness.items', parameters: { items: JSON.stringify(items) } },
			{
				name: 'Slack Notify',
				type: NOTIFY,
				parameters,
				...(o.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main' as const, index: 0 }]] },
			Items: { main: [[{ node: 'Slack Notify', type: 'main' as const, index: 0 }]] },
		},
	};
}

export async function runNotify(
	emu: SlackEmulator,
	parameters: IDataObject,
	items: IDataObject[],
	o: { continueOnFail?: boolean; credentials?: RunWorkflowOptions['credentials'] } & Omit<RunWorkflowOptions, 'credentials'> = {},
): Promise<RunResult> {
	const { continueOnFail, credentials, ...rest } = o;
	return await runWorkflow(notifyWorkflow(parameters, items, { continueOnFail }), { credentials: credentials ?? slackCreds(emu), mode: 'trigger', ...rest });
}

export const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
export const byName = (name: string) => ({ __rl: true, mode: 'name', value: name });
