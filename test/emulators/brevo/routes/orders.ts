/**
 * Ecommerce orders: POST /orders/status records (or updates, by id) an order as a shop integration does; GET /orders
 * lists them (limit <= 100, offset, sort by creation, createdSince / modifiedSince), `{count, orders}` as in the
 * definition's example. The OpenAPI validator already enforces the body's required fields (id, createdAt,
 * updatedAt, status, amount, products).
 * Every rule here has its source (doc page, OpenAPI path, SDK type, public issue) or `guess` in
 * test/emulators/CONTRACT.md, "Brevo REST rules and sources".
 */
import { fail } from '../errors';
import type { Route } from '../router';

export interface Order {
	id: string;
	amount: number;
	status: string;
	createdAt: string;
	updatedAt: string;
	products: unknown[];
	email?: string;
	identifiers?: Record<string, unknown>;
	storeId?: string;
	coupons?: string[];
	billing?: Record<string, unknown>;
	metaInfo?: Record<string, unknown>;
}

function since(value: unknown, name: string): number | undefined {
	if (value === undefined) return undefined;
	const ms = Date.parse(String(value));
	if (Number.isNaN(ms)) throw fail.invalid(`${name} is not a valid date-time, use YYYY-MM-DDTHH:mm:ss.SSSZ`);
	return ms;
}

export const orderRoutes: Route[] = [
	{
		method: 'POST',
		specPath: '/orders/status',
		handler: (ctx) => {
			const b = ctx.body as Order;
			for (const field of ['createdAt', 'updatedAt'] as const) {
				if (Number.isNaN(Date.parse(String(b[field])))) throw fail.invalid(`${field} is not a valid date-time`);
			}
			const email = (b.email ?? (b.identifiers?.email_id as string | undefined)) || undefined;
			ctx.state.orders.set(String(b.id), { ...b, id: String(b.id), ...(email ? { email } : {}) });
			return { status: 204 };
		},
	},
	{
		method: 'GET',
		specPath: '/orders',
		handler: (ctx) => {
			const limit = (ctx.params.limit as number | undefined) ?? 50;
			const offset = (ctx.params.offset as number | undefined) ?? 0;
			const sort = (ctx.params.sort as string | undefined) ?? 'desc';
			if (limit > 100) throw fail.outOfRange('limit must be at most 100');
			const created = since(ctx.params.createdSince, 'createdSince');
			const modified = since(ctx.params.modifiedSince, 'modifiedSince');
			let all = [...ctx.state.orders.values()];
			if (created !== undefined) all = all.filter((o) => Date.parse(o.createdAt) >= created);
			if (modified !== undefined) all = all.filter((o) => Date.parse(o.updatedAt) >= modified);
			all.sort((a, b) => (Date.parse(a.createdAt) - Date.parse(b.createdAt)) * (sort === 'asc' ? 1 : -1));
			return { status: 200, body: { count: all.length, orders: all.slice(offset, offset + limit) } };
		},
	},
];
