/**
 * Last line of defence against secrets in messages: Slack tokens, Brevo keys and bearer values are masked
 * wherever they appear in text the package shows or logs.
 */
const SECRET_PATTERNS: RegExp[] = [
	/\bxox[a-z]?[abposre]?-[A-Za-z0-9-]{6,}/g, // xoxb-, xoxp-, xoxa-, xoxe-1-, xoxe.xoxb- (prefix matched below)
	/\bxoxe\.xox[a-z]-[A-Za-z0-9-]{6,}/g,
	/\bxkeysib-[A-Za-z0-9-]{10,}/g,
	/\bxsmtpsib-[A-Za-z0-9-]{10,}/g,
	/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
	/("?(?:api[-_]?key|token|signing[-_]?secret|client_secret|refresh_token|access_token)"?\s*[:=]\s*"?)[^"&\s,}]{6,}/gi,
];

export function redactSecrets(text: string, extraSecrets: string[] = []): string {
	let out = String(text);
	for (const secret of extraSecrets) {
		if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
	}
	for (const pattern of SECRET_PATTERNS) {
		out = out.replace(pattern, (match: string, prefix?: string) =>
			typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}[redacted]` : '[redacted]',
		);
	}
	return out;
}
