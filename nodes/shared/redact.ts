/**
 * Last line of defence against secrets in messages: Slack tokens, Brevo keys and bearer values are masked
 * wherever they appear in text the package shows or logs.
 */
const SECRET_PATTERNS: RegExp[] = [
	// A rotated token (xoxe.xoxb-1-...) first: the next pattern alone would mask only its part after "xoxe.".
	/\bxoxe\.xox[a-z]-[A-Za-z0-9-]{6,}/g,
	/\bxox[a-z]?[abposre]?-[A-Za-z0-9-]{6,}/g, // xoxb-, xoxp-, xoxa-, xoxe-1-
	/\bxapp-[A-Za-z0-9-]{6,}/g, // app-level tokens (Socket Mode)
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

/**
 * A redacted copy of any value (strings inside objects and arrays too, keys kept): what an error keeps of an
 * upstream answer passes through here, with the credential values of the call as `secrets`, so an answer that
 * echoes the request (a proxy's error page, a debug body) cannot carry a token or key any further.
 * `patterns: false` removes only the given values (for ordinary output data, where a token-like pattern may be data).
 */
export function redactDeep<T>(value: T, secrets: string[] = [], o: { patterns?: boolean } = {}): T {
	const seen = new WeakSet<object>();
	const usable = secrets.filter((x) => typeof x === 'string' && x.length >= 6);
	const text = o.patterns === false ? (t: string) => usable.reduce((acc, x) => acc.split(x).join('[redacted]'), t) : (t: string) => redactSecrets(t, usable);
	const walk = (v: unknown): unknown => {
		if (typeof v === 'string') return text(v);
		if (v === null || typeof v !== 'object') return v;
		if (seen.has(v)) return '[circular]';
		seen.add(v);
		if (Array.isArray(v)) return v.map(walk);
		const out: Record<string, unknown> = {};
		for (const [k, inner] of Object.entries(v)) out[k] = walk(inner);
		return out;
	};
	return walk(value) as T;
}
