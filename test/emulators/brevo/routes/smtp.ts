/**
 * POST /smtp/email: 201 {messageId} (202 when scheduledAt). Rules from the definition: sender, subject and
 * htmlContent/textContent are required unless templateId is given; to is required unless messageVersions is.
 * Every rule here has its source (doc page, OpenAPI path, SDK type, public issue) or `guess` in
 * test/emulators/CONTRACT.md, "Brevo REST rules and sources".
 */
import { randomBytes } from 'node:crypto';
import { fail } from '../errors';
import type { Route, RouteContext } from '../router';

/** Brevo's message ids look like `<202311281043.12345678901@smtp-relay.mailin.fr>`. */
export function newMessageId(now: number): string {
	const d = new Date(now);
	const stamp = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}${String(d.getUTCHours()).padStart(2, '0')}${String(d.getUTCMinutes()).padStart(2, '0')}`;
	const n = BigInt(`0x${randomBytes(5).toString('hex')}`) % 100000000000n;
	return `<${stamp}.${String(n).padStart(11, '0')}@smtp-relay.mailin.fr>`;
}

function check(ctx: RouteContext): void {
	const b = ctx.body as Record<string, any>;
	const template = b.templateId !== undefined ? ctx.state.templates.get(b.templateId) : undefined;
	if (b.templateId !== undefined && !template) throw fail.notFound('Template ID does not exist');
	if (!template) {
		if (!b.sender) throw fail.missing('sender is missing');
		if (!b.subject && !(b.messageVersions ?? []).every((v: { subject?: string }) => v.subject)) {
			throw fail.missing('subject is missing');
		}
		if (!b.htmlContent && !b.textContent) throw fail.missing('htmlContent or textContent is missing');
	}
	if (b.sender && !b.sender.email && b.sender.id === undefined) throw fail.missing('sender.email is missing');
	if (!b.messageVersions && !(Array.isArray(b.to) && b.to.length)) throw fail.missing('to is missing');
	if (b.scheduledAt !== undefined) {
		const at = Date.parse(b.scheduledAt);
		if (at <= ctx.services.now()) throw fail.invalid('scheduledAt must be a date-time in the future');
		if (at > ctx.services.now() + 72 * 3600 * 1000) throw fail.invalid('scheduledAt must be within the next 72 hours');
	}
}

export const smtpRoutes: Route[] = [
	{
		method: 'POST',
		specPath: '/smtp/email',
		handler: (ctx) => {
			check(ctx);
			const b = ctx.body as Record<string, any>;
			const now = ctx.services.now();
			const template = b.templateId !== undefined ? ctx.state.templates.get(b.templateId) : undefined;
			const announce = (messageId: string, to: Array<{ email: string }>, subject?: string) => {
				if (b.scheduledAt) return; // scheduled mail is reported when it goes out, which the emulator does not do
				for (const r of to) {
					ctx.services.emit({
						kind: 'email_sent',
						messageId,
						email: r.email,
						subject: subject ?? b.subject ?? template?.subject ?? '',
						tags: b.tags ?? [],
						templateId: b.templateId,
					});
				}
			};
			if (Array.isArray(b.messageVersions) && b.messageVersions.length) {
				const messageIds = b.messageVersions.map(() => newMessageId(now));
				messageIds.forEach((messageId: string, i: number) => {
					ctx.state.emails.push({ messageId, request: b, scheduledAt: b.scheduledAt, sentAt: ctx.state.iso(now) });
					announce(messageId, b.messageVersions[i].to ?? [], b.messageVersions[i].subject);
				});
				return b.scheduledAt
					? { status: 202, body: { messageIds, batchId: cryptoBatchId() } }
					: { status: 201, body: { messageIds } };
			}
			const messageId = newMessageId(now);
			ctx.state.emails.push({ messageId, request: b, scheduledAt: b.scheduledAt, sentAt: ctx.state.iso(now) });
			announce(messageId, b.to ?? []);
			return { status: b.scheduledAt ? 202 : 201, body: { messageId } };
		},
	},
];

function cryptoBatchId(): string {
	const h = randomBytes(16).toString('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
