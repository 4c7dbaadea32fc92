/**
 * What Slack does with an app's answer to a view_submission: an empty 200 closes the submitted view;
 * `response_action: errors` shows messages under input blocks (keys must be input block_ids); `update` replaces the
 * view, `push` stacks a new one (3 at most), `clear` closes the whole modal. An answer later than 3 s, non-200 or
 * not understood makes Slack show the user an error and leave the modal as it was. The outcome is recorded.
 */
import { assignBlockIds, validateView } from './blocks';
import { hex, slackId } from './ids';
import type { SlackState } from './state';
import type { HttpResult, ViewRecord } from './types';

export interface ViewResponseOutcome {
	viewId: string;
	action: 'close' | 'errors' | 'update' | 'push' | 'clear' | 'none';
	ok: boolean;
	/** why Slack would show the user an error instead. */
	error?: string;
	errors?: Record<string, string>;
	/** the view now on top (update / push). */
	view?: ViewRecord;
	at: number;
}

const ACK_DEADLINE_MS = 3_000;
const MAX_STACK = 3;

function newView(state: SlackState, spec: Record<string, unknown>, base: ViewRecord, id: string, previous: string | null): ViewRecord {
	return {
		...base, id, title: spec.title, submit: spec.submit, close: spec.close,
		blocks: assignBlockIds(spec.blocks as unknown[], () => slackId('', 4).toLowerCase()), private_metadata: String(spec.private_metadata ?? ''),
		callback_id: String(spec.callback_id ?? ''), external_id: String(spec.external_id ?? ''), state: { values: {} },
		hash: `${Math.floor(Date.now() / 1000)}.${hex(4)}`, clear_on_close: spec.clear_on_close === true, notify_on_close: spec.notify_on_close === true,
		previous_view_id: previous, closed: false, team_id: state.teamId,
	};
}

export function applyViewResponse(state: SlackState, payload: Record<string, unknown>, result: HttpResult & { durationMs?: number }): ViewResponseOutcome {
	const viewId = String((payload.view as { id?: string } | undefined)?.id ?? '');
	const at = Date.now();
	const outcome = (o: Omit<ViewResponseOutcome, 'viewId' | 'at'>): ViewResponseOutcome => {
		const full = { viewId, at, ...o };
		state.viewResponses.push(full);
		return full;
	};
	const view = state.views.get(viewId);
	if (!view) return outcome({ action: 'none', ok: false, error: 'unknown_view' });
	if ((result.durationMs ?? 0) > ACK_DEADLINE_MS) return outcome({ action: 'none', ok: false, error: 'ack_timeout' });
	if (result.status !== 200) return outcome({ action: 'none', ok: false, error: `http_${result.status}` });
	const stack = state.stacks.get(view.root_view_id) ?? [view.id];
	if (!result.body.trim()) {
		view.closed = true;
		stack.splice(stack.indexOf(view.id), 1);
		return outcome({ action: 'close', ok: true });
	}
	let body: Record<string, unknown>;
	try {
		body = JSON.parse(result.body);
	} catch {
		return outcome({ action: 'none', ok: false, error: 'invalid_response_body' });
	}
	switch (body.response_action) {
		case 'errors': {
			const errors = body.errors as Record<string, string> | undefined;
			const inputIds = new Set((view.blocks as Array<Record<string, unknown>>).filter((b) => b.type === 'input').map((b) => b.block_id as string));
			if (!errors || typeof errors !== 'object' || !Object.keys(errors).length) return outcome({ action: 'errors', ok: false, error: 'errors_missing' });
			const unknown = Object.keys(errors).filter((k) => !inputIds.has(k));
			if (unknown.length) return outcome({ action: 'errors', ok: false, error: `not input block_ids: ${unknown.join(', ')}`, errors });
			return outcome({ action: 'errors', ok: true, errors });
		}
		case 'update':
		case 'push': {
			const problems = validateView(body.view);
			if (problems.length) return outcome({ action: body.response_action, ok: false, error: problems.join('; ') });
			const spec = body.view as Record<string, unknown>;
			if (body.response_action === 'update') {
				const updated = newView(state, spec, view, view.id, view.previous_view_id);
				state.views.set(view.id, updated);
				return outcome({ action: 'update', ok: true, view: updated });
			}
			if (stack.length >= MAX_STACK) return outcome({ action: 'push', ok: false, error: 'push_limit_reached' });
			const pushed = newView(state, spec, view, slackId('V'), stack[stack.length - 1]);
			state.views.set(pushed.id, pushed);
			stack.push(pushed.id);
			return outcome({ action: 'push', ok: true, view: pushed });
		}
		case 'clear':
			for (const id of stack) {
				const v = state.views.get(id);
				if (v) v.closed = true;
			}
			stack.length = 0;
			return outcome({ action: 'clear', ok: true });
		default:
			return outcome({ action: 'none', ok: false, error: `unknown response_action: ${String(body.response_action)}` });
	}
}

