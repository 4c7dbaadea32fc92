/**
 * POST /events (custom events that start automations): 204 on success. Rules from the definition's descriptions:
 * event_name <= 255 chars of [A-Za-z0-9_-]; at least one identifier; event_properties <= 50 KB (keys <= 255 chars,
 * same character set); contact_properties update the contact's known attributes.
 * Every rule here has its source (doc page, OpenAPI path, SDK type, public issue) or `guess` in
 * test/emulators/CONTRACT.md, "Brevo REST rules and sources".
 */
import { fail } from '../errors';
import type { Route } from '../router';
import type { IdentifierType } from '../state';

export const EVENT_NAME_RE = /^[A-Za-z0-9_-]{1,255}$/;
export const EVENT_PROPERTIES_MAX_BYTES = 50 * 1024;
const PROPERTY_KEY_RE = /^[A-Za-z0-9_-]{1,255}$/;

const IDENTIFIER_ORDER: IdentifierType[] = ['contact_id', 'email_id', 'ext_id', 'phone_id', 'whatsapp_id', 'landline_number_id'];

function badKeys(value: unknown, path = ''): string[] {
	if (!value || typeof value !== 'object') return [];
	if (Array.isArray(value)) return value.flatMap((v, i) => badKeys(v, `${path}[${i}]`));
	return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [
		...(PROPERTY_KEY_RE.test(k) ? [] : [`${path}${path ? '.' : ''}${k}`]),
		...badKeys(v, `${path}${path ? '.' : ''}${k}`),
	]);
}

export const eventRoutes: Route[] = [
	{
		method: 'POST',
		specPath: '/events',
		handler: (ctx) => {
			const b = ctx.body as Record<string, any>;
			const name = String(b.event_name ?? '');
			if (!EVENT_NAME_RE.test(name)) {
				throw fail.invalid(
					'event_name is invalid: use at most 255 characters among letters, digits, - and _',
				);
			}
			const identifiers = (b.identifiers ?? {}) as Record<string, unknown>;
			const given = IDENTIFIER_ORDER.filter((k) => identifiers[k] !== undefined && identifiers[k] !== '');
			if (!given.length) throw fail.missing('identifiers is missing: pass at least one of ' + IDENTIFIER_ORDER.join(', '));
			if (b.event_properties !== undefined) {
				const size = Buffer.byteLength(JSON.stringify(b.event_properties));
				if (size > EVENT_PROPERTIES_MAX_BYTES) {
					throw fail.invalid(`event_properties is ${size} bytes; the limit is 50 KB`);
				}
				const bad = badKeys(b.event_properties);
				if (bad.length) throw fail.invalid(`event_properties keys must use letters, digits, - and _ only: ${bad[0]}`);
			}
			if (b.event_date !== undefined && Number.isNaN(Date.parse(b.event_date))) {
				throw fail.invalid('event_date is not a valid date-time');
			}
			// contact_id takes priority over every other identifier (definition of `identifiers.contact_id`)
			const contact = given.map((k) => ctx.state.findContact(String(identifiers[k]), k)).find(Boolean);
			if (contact && b.contact_properties) {
				ctx.state.updateContact(contact, { attributes: b.contact_properties }, { emptyClears: false });
				ctx.services.emit({
					kind: 'contact_updated',
					contact,
					changes: ctx.state.cleanAttributes(b.contact_properties),
					apiKeyName: ctx.apiKeyName,
				});
			}
			ctx.state.events.push({
				event_name: name,
				identifiers,
				contact_properties: b.contact_properties,
				event_properties: b.event_properties,
				event_date: b.event_date ?? ctx.state.iso(),
				object: b.object,
				contactId: contact?.id,
				receivedAt: ctx.state.iso(),
			});
			return { status: 204 };
		},
	},
];
