/** What the Slack emulator's own tests share: a silent logger for the SDK client, and the data of a refused call. */
import type { Logger } from '@slack/web-api';

export const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => 'error' as never, setName() {} };

/** The `data` (Slack's JSON answer) of the SDK error a call must end with; fails the test when the call succeeds. */
export async function refusal(p: Promise<unknown>): Promise<Record<string, any>> {
	try {
		await p;
	} catch (e) {
		return (e as { data: Record<string, any> }).data;
	}
	throw new Error('expected the call to fail');
}
