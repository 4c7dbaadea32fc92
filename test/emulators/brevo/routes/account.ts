/**
 * GET /account: the call a credential test makes.
 * Every rule here has its source (doc page, OpenAPI path, SDK type, public issue) or `guess` in
 * test/emulators/CONTRACT.md, "Brevo REST rules and sources".
 */
import type { Route } from '../router';

export const accountRoutes: Route[] = [
	{
		method: 'GET',
		specPath: '/account',
		handler: (ctx) => ({ status: 200, body: ctx.state.account }),
	},
];
