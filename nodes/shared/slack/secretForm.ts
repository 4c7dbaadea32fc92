/**
 * Offline check of a Slack signing secret's form. Slack cannot be asked whether a signing secret is right (it is
 * only ever used to sign requests towards us), so the credential test checks what can be checked: Slack's signing
 * secrets are 32 lowercase hexadecimal characters. The messages never repeat the secret.
 */
export interface SecretFormResult {
	ok: boolean;
	message: string;
}

export function checkSigningSecretForm(raw: unknown): SecretFormResult {
	const secret = typeof raw === 'string' ? raw : '';
	if (secret.length === 0) {
		return { ok: false, message: 'The signing secret is empty. Copy it from your Slack app: Basic Information > App Credentials > Signing Secret.' };
	}
	if (secret.trim() !== secret) {
		return { ok: false, message: 'The signing secret has leading or trailing spaces. Paste it again without them.' };
	}
	if (/^xox[a-z]?[a-z]?-/.test(secret) || secret.startsWith('xoxe.')) {
		return { ok: false, message: 'This is a Slack token (xox...), not the signing secret. The signing secret is under Basic Information > App Credentials.' };
	}
	if (!/^[0-9a-f]{32}$/i.test(secret)) {
		return {
			ok: false,
			message: `A Slack signing secret is 32 hexadecimal characters; this value has ${secret.length} characters${/[^0-9a-f]/i.test(secret) ? ' and characters other than 0-9 and a-f' : ''}. It may be the verification token or the client secret: copy Basic Information > App Credentials > Signing Secret.`,
		};
	}
	return { ok: true, message: 'The signing secret has the right form (32 hexadecimal characters). Slack cannot be asked to confirm it: send a request from Slack to be sure.' };
}
