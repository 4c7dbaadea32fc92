/** auth.test */
import type { MethodDef } from '../context';

const authTest: MethodDef = {
	scopes: [],
	auth: 'token',
	handler(ctx) {
		const user = ctx.state.users.get(ctx.token.userId);
		const out: Record<string, unknown> = {
			url: `https://${ctx.state.teamDomain}.slack.com/`, team: ctx.state.teamName, user: user?.name ?? ctx.state.botName,
			team_id: ctx.state.teamId, user_id: ctx.token.userId,
		};
		if (ctx.token.type === 'bot') out.bot_id = ctx.token.botId;
		out.is_enterprise_install = false;
		return out;
	},
};

export const authMethods: Record<string, MethodDef> = { 'auth.test': authTest };
