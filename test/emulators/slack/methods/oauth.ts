/**
 * oauth.v2.access: exchanges an authorization code (single use, 10 minutes, scaled) or, with token rotation, a
 * refresh token (`grant_type=refresh_token`). Rotation gives `xoxe.xoxb-1-...` access tokens that expire after
 * 43,200 s (scaled) and `xoxe-1-...` refresh tokens, each refresh token usable once.
 */
import type { MethodContext, MethodDef } from '../context';
import { str } from '../context';
import { SlackApiError } from '../errors';
import { digits, hex } from '../ids';
import { ROTATED_TOKEN_LIFE_S } from '../state';

// docs.slack.dev/authentication/installing-with-oauth: codes expire after ten minutes
const CODE_LIFE_MS = 10 * 60_000;

function clientCredentials(ctx: MethodContext): { id?: string; secret?: string } {
	const basic = /^Basic\s+(\S+)/i.exec(String(ctx.headers.authorization ?? ''))?.[1];
	if (basic) {
		const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
		return { id, secret };
	}
	return { id: str(ctx, 'client_id'), secret: str(ctx, 'client_secret') };
}

function issue(ctx: MethodContext, scopes: string[], rotation: boolean, userId: string): Record<string, unknown> {
	const state = ctx.state;
	const access = rotation ? `xoxe.xoxb-1-${hex(40)}` : `xoxb-${digits(12)}-${digits(13)}-${hex(12)}`;
	state.addToken({ token: access, scopes, userId: state.botUserId, issuedAtMs: ctx.now, lifeMs: rotation ? ROTATED_TOKEN_LIFE_S * 1000 : undefined });
	const out: Record<string, unknown> = {
		app_id: state.appId, authed_user: { id: userId }, scope: scopes.join(','), token_type: 'bot', access_token: access,
		bot_user_id: state.botUserId, team: { id: state.teamId, name: state.teamName }, enterprise: null, is_enterprise_install: false,
	};
	if (rotation) {
		const refresh = `xoxe-1-${hex(48)}`;
		state.refreshGrants.set(refresh, { refreshToken: refresh, scopes, botUserId: state.botUserId, valid: true });
		out.refresh_token = refresh;
		out.expires_in = ROTATED_TOKEN_LIFE_S;
	}
	return out;
}

const access: MethodDef = {
	scopes: [],
	auth: 'none',
	handler(ctx) {
		const { id, secret } = clientCredentials(ctx);
		const app = ctx.state.app;
		if (!id) throw new SlackApiError('invalid_client_id');
		if (id !== app.clientId) throw new SlackApiError('invalid_client_id');
		if (secret !== app.clientSecret) throw new SlackApiError('bad_client_secret');
		const grant = str(ctx, 'grant_type') ?? 'authorization_code';
		if (grant === 'refresh_token') {
			const refresh = str(ctx, 'refresh_token');
			const g = refresh ? ctx.state.refreshGrants.get(refresh) : undefined;
			if (!g || !g.valid) throw new SlackApiError('invalid_refresh_token');
			g.valid = false;
			return issue(ctx, g.scopes, true, 'U0ADMIN001');
		}
		if (grant !== 'authorization_code') throw new SlackApiError('invalid_grant_type');
		const codeValue = str(ctx, 'code');
		const code = codeValue ? ctx.state.oauthCodes.get(codeValue) : undefined;
		if (!code || code.used || ctx.now - code.createdAtMs > CODE_LIFE_MS / ctx.state.timeScale) throw new SlackApiError('invalid_code');
		const redirect = str(ctx, 'redirect_uri');
		if (code.redirectUri && redirect !== code.redirectUri) throw new SlackApiError('bad_redirect_uri');
		code.used = true;
		return issue(ctx, code.scopes, code.rotation, code.userId);
	},
};

export const oauthMethods: Record<string, MethodDef> = { 'oauth.v2.access': access };
