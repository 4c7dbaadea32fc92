/** What each Brevo error code means for the user, and the fix. No n8n imports. */
export interface BrevoRemedy {
	summary: string;
	fix: string;
}

export function brevoRemedy(code: string, status?: number): BrevoRemedy {
	// 425 Too Early (POST /contacts, PUT /contacts/{identifier} in the OpenAPI definition): whatever code it carries
	if (status === 425) {
		return {
			summary: 'Brevo asked to send the request again later (425 Too Early)',
			fix: 'The node already resent it twice after a wait; run the workflow again in a moment.',
		};
	}
	switch (code) {
		case 'unauthorized':
			return {
				summary: 'the API key was refused',
				fix: 'Create a v3 API key in Brevo (SMTP & API > API Keys), paste it whole into the Brevo credential, and check Security > Authorised IPs.',
			};
		case 'permission_denied':
			return { summary: 'this key or plan may not use this endpoint', fix: 'Check the account plan and the key\'s permissions in Brevo.' };
		case 'document_not_found':
			return { summary: 'not found in Brevo', fix: 'Check the id or email (and the identifier type) of the contact, list or object.' };
		case 'duplicate_parameter':
			return {
				summary: 'a contact already uses this email, SMS or ext_id',
				fix: 'Use "Create or Update" (upsert), or give a different value. SMS numbers and ext_id must be unique per contact in Brevo.',
			};
		case 'invalid_parameter':
		case 'missing_parameter':
			return { summary: 'Brevo rejected the request', fix: 'Fix the field Brevo names in its message.' };
		case 'out_of_range':
			return { summary: 'a value is out of range', fix: 'Fix the value Brevo names (limits: 150 contacts per list call, 1,000 per page, ...).' };
		case 'account_in_process':
			return { summary: 'the Brevo account is being validated', fix: 'Wait until Brevo has validated the account.' };
		case 'method_not_allowed':
			return { summary: 'this method is not allowed here', fix: 'Check the API base URL.' };
		case 'too_many_requests':
			return { summary: 'Brevo rate limit reached', fix: 'Run less often or on fewer items; the node already waited as long as allowed.' };
		default:
			if (status === 429) return brevoRemedy('too_many_requests');
			if (status === 401) return brevoRemedy('unauthorized');
			if (status === 404) return brevoRemedy('document_not_found');
			if (status !== undefined && status >= 500) {
				return { summary: 'Brevo had a server-side problem', fix: 'Retry later; see https://status.brevo.com.' };
			}
			return { summary: code.replace(/_/g, ' '), fix: 'See https://developers.brevo.com/reference for this error.' };
	}
}
