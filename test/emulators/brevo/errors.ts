/**
 * Brevo's error body is `{code, message}` (+ `metadata` for duplicates). Codes and messages below are the ones
 * the real API returns where they are documented or observed in public bug reports (cited per message);
 * the rest follow the same style and are marked "unverified".
 * Every rule here has its source (doc page, OpenAPI path, SDK type, public issue) or `guess` in
 * test/emulators/CONTRACT.md, "Brevo REST rules and sources".
 */
export type BrevoErrorCode =
	| 'invalid_parameter'
	| 'missing_parameter'
	| 'document_not_found'
	| 'duplicate_parameter'
	| 'account_in_process'
	| 'method_not_allowed'
	| 'out_of_range'
	| 'unauthorized'
	| 'permission_denied'
	| 'too_many_requests'
	| 'not_acceptable'
	| 'internal_error';

export class BrevoHttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: BrevoErrorCode | string,
		message: string,
		readonly metadata?: Record<string, unknown>,
	) {
		super(message);
	}

	body(): Record<string, unknown> {
		return this.metadata
			? { code: this.code, message: this.message, metadata: this.metadata }
			: { code: this.code, message: this.message };
	}
}

export const fail = {
	invalid: (message: string) => new BrevoHttpError(400, 'invalid_parameter', message),
	missing: (message: string) => new BrevoHttpError(400, 'missing_parameter', message),
	notFound: (message: string) => new BrevoHttpError(404, 'document_not_found', message),
	duplicate: (message: string, identifiers: string[]) =>
		new BrevoHttpError(400, 'duplicate_parameter', message, { duplicate_identifiers: identifiers }),
	outOfRange: (message: string) => new BrevoHttpError(400, 'out_of_range', message),
};

export const MESSAGES = {
	// getbrevo/brevo-python#13 (no header) and sendinblue/APIv3-python-library#63 (unknown key), both 401.
	noKey: 'authentication not found in headers',
	badKey: 'Key not found',
	// PipedreamHQ/pipedream#11927
	contactNotFound: 'Contact does not exist',
	// PipedreamHQ/pipedream#15034 ("create") and pass-culture/pass-culture-main#22628 ("update")
	duplicateOnCreate: (identifier: string) =>
		`Unable to create contact, ${identifier} is already associated with another Contact`,
	duplicateOnUpdate: (identifier: string) =>
		`Unable to update contact, ${identifier} is already associated with another Contact`,
	invalidPhone: 'Invalid phone number',
	// sendinblue/APIv3-php-library#47, #92, #134 (400 invalid_parameter, when no contact of the call could be added)
	notAddedToList: 'Contact already in list and/or does not exist',
	// public Brevo clients matching this exact 400 body on contacts/remove (see routes/lists.ts)
	notRemovedFromList: 'Contact already removed from list and/or does not exist',
	// unverified wording (the limit itself: developers.brevo.com changelog "Limits for webhook creation")
	webhookLimit: 'You have reached the maximum number of webhooks (40). Delete an existing webhook to create a new one.',
	// unverified wording (the limit: changelog "fileBody limit is set to 10MB in importContacts")
	importTooLarge: (field: string) =>
		`${field} size exceeds the maximum allowed size of 10MB. Please use fileUrl to import bigger files.`,
	// unverified wording; Brevo documents only the status and the x-sib-ratelimit-* headers
	rateLimited: 'The expected rate limit is exceeded.',
};
