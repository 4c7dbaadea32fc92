/**
 * Contacts: create / upsert, get / update / delete by identifier, list, batch update.
 * Every rule here has its source (doc page, OpenAPI path, SDK type, public issue) or `guess` in
 * test/emulators/CONTRACT.md, "Brevo REST rules and sources".
 */
import { fail, MESSAGES } from '../errors';
import type { Route, RouteContext } from '../router';
import type { Contact, IdentifierType } from '../state';

function parseSince(value: unknown, name: string): number | undefined {
	if (value === undefined) return undefined;
	const ms = Date.parse(String(value));
	if (Number.isNaN(ms)) {
		throw fail.invalid(`${name} is not a valid date-time, use YYYY-MM-DDTHH:mm:ss.SSSZ`);
	}
	return ms;
}

/**
 * `filter=equals(ATTRIBUTE, value)`, the one operator Brevo allows: a quoted string, true/false or a number;
 * category attributes match on id or label; multiple-choice values "A, B" must all be selected (AND).
 */
export function contactFilter(ctx: RouteContext, raw: string): (c: Contact) => boolean {
	const m = /^equals\(\s*([A-Za-z0-9_-]+)\s*,\s*(.*?)\s*\)$/.exec(raw.trim());
	if (!m) throw fail.invalid('filter is invalid: the only allowed operator is equals, e.g. equals(FIRSTNAME,"Antoine")');
	const name = m[1].toUpperCase();
	let value: string = m[2];
	if (/^".*"$/.test(value) || /^'.*'$/.test(value)) value = value.slice(1, -1);
	const attr = ctx.state.attribute(name);
	if (!attr && name !== 'EMAIL' && name !== 'EXT_ID') throw fail.invalid(`filter is invalid: unknown attribute ${name}`);
	return (c) => {
		const actual = name === 'EMAIL' ? c.email : name === 'EXT_ID' ? c.ext_id : c.attributes[name];
		if (actual === undefined) return false;
		if (attr?.type === 'category') {
			const hit = attr.enumeration?.find((e) => String(e.value) === value || e.label === value);
			return !!hit && actual === hit.value;
		}
		if (Array.isArray(actual)) return value.split(',').every((v) => actual.includes(v.trim()));
		if (typeof actual === 'string' && (name === 'EMAIL' || attr?.type === 'text')) return actual.toLowerCase() === value.toLowerCase();
		return String(actual) === value;
	};
}

/** Tells the webhooks what a write did: contact_updated (for updates) and list_addition (for new lists). */
export function announceWrite(
	ctx: RouteContext,
	contact: Contact,
	o: { created: boolean; listsBefore: number[]; attributes?: Record<string, unknown> },
): void {
	if (!o.created) {
		ctx.services.emit({
			kind: 'contact_updated',
			contact,
			changes: ctx.state.cleanAttributes(o.attributes),
			apiKeyName: ctx.apiKeyName,
		});
	}
	const added = contact.listIds.filter((id) => !o.listsBefore.includes(id));
	if (added.length) ctx.services.emit({ kind: 'list_addition', contact, listIds: added, apiKeyName: ctx.apiKeyName });
}

function contactFromPath(ctx: RouteContext) {
	const identifier = ctx.pathParams.identifier;
	const type = ctx.params.identifierType as IdentifierType | undefined;
	const contact = ctx.state.findContact(identifier, type);
	if (!contact) throw fail.notFound(MESSAGES.contactNotFound);
	return contact;
}

export const contactRoutes: Route[] = [
	{
		method: 'POST',
		specPath: '/contacts',
		handler: (ctx) => {
			const b = ctx.body ?? {};
			const prior =
				(typeof b.email === 'string' && ctx.state.findByEmail(b.email)) ||
				(typeof b.ext_id === 'string' && ctx.state.findByExtId(b.ext_id)) ||
				undefined;
			const listsBefore = prior ? [...prior.listIds] : [];
			const { contact, created } = ctx.state.createContact({
				email: b.email,
				ext_id: b.ext_id,
				attributes: b.attributes,
				listIds: b.listIds,
				emailBlacklisted: b.emailBlacklisted,
				smsBlacklisted: b.smsBlacklisted,
				updateEnabled: b.updateEnabled === true,
			});
			announceWrite(ctx, contact, { created, listsBefore, attributes: b.attributes });
			// updateEnabled on an existing contact: 204 and no body (OpenAPI POST /contacts: '204' Contact updated)
			return created ? { status: 201, body: { id: contact.id } } : { status: 204 };
		},
	},
	{
		method: 'GET',
		specPath: '/contacts',
		handler: (ctx) => {
			const limit = (ctx.params.limit as number | undefined) ?? 50;
			const offset = (ctx.params.offset as number | undefined) ?? 0;
			const sort = (ctx.params.sort as string | undefined) ?? 'desc';
			const modifiedSince = parseSince(ctx.params.modifiedSince, 'modifiedSince');
			const createdSince = parseSince(ctx.params.createdSince, 'createdSince');
			const listIds = ctx.params.listIds as number[] | undefined;
			if (listIds?.length && ctx.params.segmentId !== undefined) {
				throw fail.invalid('Either listIds or segmentId can be passed, not both');
			}
			if (ctx.params.segmentId !== undefined) throw fail.notFound('Segment ID does not exist');
			let all = [...ctx.state.contacts.values()];
			if (ctx.params.filter !== undefined) all = all.filter(contactFilter(ctx, String(ctx.params.filter)));
			if (modifiedSince !== undefined) all = all.filter((c) => Date.parse(c.modifiedAt) >= modifiedSince);
			if (createdSince !== undefined) all = all.filter((c) => Date.parse(c.createdAt) >= createdSince);
			if (listIds?.length) all = all.filter((c) => c.listIds.some((id) => listIds.includes(id)));
			all.sort((a, b) => (sort === 'asc' ? a.id - b.id : b.id - a.id));
			return {
				status: 200,
				body: {
					contacts: all.slice(offset, offset + limit).map((c) => ctx.state.contactView(c)),
					count: all.length,
				},
			};
		},
	},
	{
		method: 'GET',
		specPath: '/contacts/{identifier}',
		handler: (ctx) => ({ status: 200, body: ctx.state.contactView(contactFromPath(ctx), true) }),
	},
	{
		method: 'PUT',
		specPath: '/contacts/{identifier}',
		handler: (ctx) => {
			const contact = contactFromPath(ctx);
			const b = ctx.body ?? {};
			const listsBefore = [...contact.listIds];
			ctx.state.updateContact(contact, {
				ext_id: b.ext_id,
				attributes: b.attributes,
				listIds: b.listIds,
				unlinkListIds: b.unlinkListIds,
				emailBlacklisted: b.emailBlacklisted,
				smsBlacklisted: b.smsBlacklisted,
			});
			announceWrite(ctx, contact, { created: false, listsBefore, attributes: b.attributes });
			return { status: 204 };
		},
	},
	{
		method: 'DELETE',
		specPath: '/contacts/{identifier}',
		handler: (ctx) => {
			const contact = contactFromPath(ctx);
			ctx.state.deleteContact(contact);
			ctx.services.emit({ kind: 'contact_deleted', contact, apiKeyName: ctx.apiKeyName });
			return { status: 204 };
		},
	},
	{
		method: 'POST',
		specPath: '/contacts/batch',
		handler: (ctx) => {
			const items = (ctx.body?.contacts ?? []) as Array<Record<string, any>>;
			if (!items.length) throw fail.missing('contacts is missing');
			// Brevo resolves every item before writing: one unknown contact fails the call (guess).
			const resolved = items.map((item, i) => {
				const contact =
					(item.id !== undefined && ctx.state.contacts.get(item.id)) ||
					(item.email && ctx.state.findByEmail(item.email)) ||
					(item.ext_id && ctx.state.findByExtId(item.ext_id)) ||
					(item.sms && ctx.state.findContact(String(item.sms), 'phone_id')) ||
					undefined;
				if (!contact) {
					if (item.id === undefined && !item.email && !item.ext_id && !item.sms) {
						throw fail.missing(`contacts[${i}] needs one of id, email, ext_id or sms`);
					}
					throw fail.notFound(`${MESSAGES.contactNotFound} (contacts[${i}])`);
				}
				return { contact, item };
			});
			for (const { contact, item } of resolved) {
				const listsBefore = [...contact.listIds];
				ctx.state.updateContact(contact, {
					attributes: item.attributes,
					listIds: item.listIds,
					unlinkListIds: item.unlinkListIds,
					emailBlacklisted: item.emailBlacklisted,
					smsBlacklisted: item.smsBlacklisted,
				});
				announceWrite(ctx, contact, { created: false, listsBefore, attributes: item.attributes });
			}
			return { status: 204 };
		},
	},
];
