/**
 * Network failures in words. n8n rewrites an error message that contains a raw system code (ECONNREFUSED, ...)
 * into its own generic sentence, losing which service failed; our messages name the service and say what happened
 * in words, and the description carries the code and the fix. No n8n imports.
 */
const WORDS: Record<string, string> = {
	ENOTFOUND: 'host name not found (DNS)',
	EAI_AGAIN: 'host name lookup failed for now (DNS)',
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	EPIPE: 'connection closed while sending',
	ETIMEDOUT: 'no answer in time',
	ECONNABORTED: 'no answer in time',
	ESOCKETTIMEDOUT: 'no answer in time',
	ENETUNREACH: 'network unreachable',
	EHOSTUNREACH: 'host unreachable',
	ERR_CANCELED: 'the execution was cancelled',
};

export function networkFailureInWords(code: string | undefined): string {
	if (!code) return 'network error';
	if (WORDS[code]) return WORDS[code];
	if (/CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|DEPTH_ZERO/.test(code)) return 'TLS certificate not trusted';
	if (/^ERR_TLS|EPROTO/.test(code)) return 'TLS handshake failed';
	return 'network error';
}

/** What to check, for a service's base URL setting name and its default. */
export function networkFailureFix(code: string | undefined, baseUrlHint: string): string {
	const certificate = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|DEPTH_ZERO/.test(code ?? '');
	return [
		`Network error ${code ?? 'unknown'}.`,
		certificate
			? "A proxy or gateway between n8n and the service presents a certificate n8n does not trust: give n8n its CA with NODE_EXTRA_CA_CERTS."
			: `Check ${baseUrlHint} and that this n8n host can reach it; behind a company proxy, set HTTPS_PROXY (and NO_PROXY) for n8n.`,
	].join(' ');
}
