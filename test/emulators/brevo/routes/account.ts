/** GET /account: the call a credential test makes. */
import type { Route } from '../router';

export const accountRoutes: Route[] = [
	{
		method: 'GET',
		specPath: '/account',
		handler: (ctx) => ({ status: 200, body: ctx.state.account }),
	},
];
