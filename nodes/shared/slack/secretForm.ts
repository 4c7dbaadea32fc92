/**
 * The one rule for a Slack signing secret's form, used by the credential's test, by the trigger's activation and by
 * every request the trigger verifies. Slack issues signing secrets as 32 hexadecimal characters (Basic Information >
 * App Credentials > Signing Secret; https://api.slack.com/authentication/verifying-requests-from-slack shows one);
 * Slack cannot be asked whether a secret is right (it only signs requests towards us), so what can be checked is
 * the form. The messages never repeat the secret. No n8n imports.
 */
export type SigningSecretProblem = 'empty' | 'whitespace' | 'looks_like_token' | 'not_slack_form';

export const SIGNING_SECRET_FORM_OK =
	'The signing secret has the right form (32 hexadecimal characters). Slack cannot be asked to confirm it: send a request from Slack to be sure.';

/** Why a signing secret cannot be Slack's, with the fix; null when it has Slack's form. */
export function signingSecretProblem(raw: unknown): { problem: SigningSecretProblem; message: string } | null {
	const secret = typeof raw === 'string' ? raw : '';
	if (secret.trim() === '') {
		return { problem: 'empty', message: 'The signing secret is empty. Copy it from your Slack app: Basic Information > App Credentials > Signing Secret.' };
	}
	if (/\s/.test(secret)) {
		return { problem: 'whitespace', message: 'The signing secret contains spaces or line breaks. Paste it again without them.' };
	}
	if (/^xox[a-z]?[a-z]?[-.]/i.test(secret) || /^xapp-/i.test(secret)) {
		return {
			problem: 'looks_like_token',
			message: 'This looks like a Slack token (xox.../xapp-...), not the signing secret. The signing secret is under Basic Information > App Credentials.',
		};
	}
	if (!/^[0-9a-f]{32}$/i.test(secret)) {
		return {
			problem: 'not_slack_form',
			message: `A Slack signing secret is 32 hexadecimal characters; this value has ${secret.length} characters${/[^0-9a-f]/i.test(secret) ? ' and characters other than 0-9 and a-f' : ''}. It may be the verification token or the client secret: copy Basic Information > App Credentials > Signing Secret.`,
		};
	}
	return null;
}
