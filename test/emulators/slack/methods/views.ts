/**
 * views.open / views.push / views.update. A trigger_id is single use and lives 3 s (scaled): reused ->
 * exchanged_trigger_id, late -> expired_trigger_id, unknown -> invalid_trigger_id. A modal stack holds 3 views at most
 * (push_limit_reached); views.update with a stale `hash` is hash_conflict.
 */
import { assignBlockIds, MAX_VIEW_BYTES, validateView } from '../blocks';
import { json, MethodContext, MethodDef, str } from '../context';
import { SlackApiError } from '../errors';
import { hex, slackId } from '../ids';
import type { TriggerRecord, ViewRecord } from '../types';

// views.push error table: push_limit_reached, "Currently the limit is 3"
const MAX_STACK = 3;

function consumeTrigger(ctx: MethodContext): TriggerRecord {
	const id = str(ctx, 'trigger_id');
	if (!id) throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] } });
	const t = ctx.state.triggers.get(id);
	if (!t) throw new SlackApiError('invalid_trigger_id');
	if (t.used) throw new SlackApiError('exchanged_trigger_id');
	if (ctx.now - t.createdAtMs > t.lifeMs / ctx.state.timeScale) throw new SlackApiError('expired_trigger_id');
	t.used = true;
	return t;
}

function viewArg(ctx: MethodContext): Record<string, unknown> {
	const view = json<Record<string, unknown>>(ctx, 'view', 'invalid_arguments');
	if (view === undefined) throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: view'] } });
	// views.open / views.push / views.update error tables: view_too_large "if the provided view is greater than 250kb"
	if (Buffer.byteLength(typeof ctx.params.view === 'string' ? ctx.params.view : JSON.stringify(view), 'utf8') > MAX_VIEW_BYTES) throw new SlackApiError('view_too_large');
	const errors = validateView(view);
	if (errors.length) throw new SlackApiError('invalid_arguments', { response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
	return view;
}

function checkExternalId(ctx: MethodContext, externalId: string, except?: string): void {
	if (!externalId) return;
	for (const v of ctx.state.views.values()) if (v.external_id === externalId && v.id !== except && !v.closed) throw new SlackApiError('duplicate_external_id');
}

function buildView(ctx: MethodContext, spec: Record<string, unknown>, user: string, rootId?: string, previous?: string): ViewRecord {
	const id = slackId('V');
	return {
		id, team_id: ctx.state.teamId, type: spec.type as 'modal' | 'home', title: spec.title, submit: spec.submit, close: spec.close,
		blocks: assignBlockIds(spec.blocks as unknown[], () => slackId('', 4).toLowerCase()), private_metadata: String(spec.private_metadata ?? ''),
		callback_id: String(spec.callback_id ?? ''), external_id: String(spec.external_id ?? ''), state: { values: {} },
		hash: `${Math.floor(ctx.now / 1000)}.${hex(4)}`, clear_on_close: spec.clear_on_close === true, notify_on_close: spec.notify_on_close === true,
		previous_view_id: previous ?? null, root_view_id: rootId ?? id, app_id: ctx.token.appId, app_installed_team_id: ctx.state.teamId,
		bot_id: ctx.token.botId ?? '', user,
	};
}

export function publicView(v: ViewRecord): Record<string, unknown> {
	const { user, closed, ...rest } = v;
	void user;
	void closed;
	const out: Record<string, unknown> = { ...rest };
	for (const k of ['title', 'submit', 'close']) if (out[k] === undefined) out[k] = null;
	return out;
}

const open: MethodDef = {
	scopes: [],
	auth: 'token',
	handler(ctx) {
		const spec = viewArg(ctx);
		const trigger = consumeTrigger(ctx);
		if (spec.type !== 'modal') throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] must be a valid enum value [json-pointer:/view/type]'] } });
		checkExternalId(ctx, String(spec.external_id ?? ''));
		const view = buildView(ctx, spec, trigger.user);
		ctx.state.views.set(view.id, view);
		ctx.state.stacks.set(view.id, [view.id]);
		return { view: publicView(view) };
	},
};

const push: MethodDef = {
	scopes: [],
	auth: 'token',
	handler(ctx) {
		const spec = viewArg(ctx);
		const trigger = consumeTrigger(ctx);
		const from = trigger.viewId ? ctx.state.views.get(trigger.viewId) : undefined;
		const rootId = from?.root_view_id;
		const stack = rootId ? ctx.state.stacks.get(rootId) : undefined;
		if (!stack || !rootId) throw new SlackApiError('not_found');
		if (stack.length >= MAX_STACK) throw new SlackApiError('push_limit_reached');
		checkExternalId(ctx, String(spec.external_id ?? ''));
		const view = buildView(ctx, spec, trigger.user, rootId, stack[stack.length - 1]);
		ctx.state.views.set(view.id, view);
		stack.push(view.id);
		return { view: publicView(view) };
	},
};

const update: MethodDef = {
	scopes: [],
	auth: 'token',
	handler(ctx) {
		const spec = viewArg(ctx);
		const viewId = str(ctx, 'view_id');
		const externalId = str(ctx, 'external_id');
		if (!viewId && !externalId) throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] must provide either view_id or external_id'] } });
		const current = viewId ? ctx.state.views.get(viewId) : [...ctx.state.views.values()].find((v) => v.external_id === externalId && !v.closed);
		if (!current || current.closed) throw new SlackApiError('not_found');
		const hash = str(ctx, 'hash');
		if (hash !== undefined && hash !== current.hash) throw new SlackApiError('hash_conflict');
		checkExternalId(ctx, String(spec.external_id ?? ''), current.id);
		const next = buildView(ctx, spec, current.user, current.root_view_id, current.previous_view_id ?? undefined);
		next.id = current.id;
		if (next.root_view_id === next.id) next.root_view_id = current.root_view_id;
		next.state = current.state;
		ctx.state.views.set(current.id, next);
		return { view: publicView(next) };
	},
};

export const viewsMethods: Record<string, MethodDef> = { 'views.open': open, 'views.push': push, 'views.update': update };
