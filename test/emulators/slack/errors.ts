/** A Web API failure: HTTP 200 with `{ok:false, error, ...extra}` (Slack only uses other statuses for 429 and outages). */
export class SlackApiError extends Error {
	constructor(
		public readonly error: string,
		public readonly extra: Record<string, unknown> = {},
	) {
		super(error);
	}
}

/** `[ERROR] ...` lines for `response_metadata.messages`, as Slack words argument problems. */
export function argumentError(error: string, messages: string[], extra: Record<string, unknown> = {}): SlackApiError {
	return new SlackApiError(error, { ...extra, response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) } });
}
