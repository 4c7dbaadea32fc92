/**
 * The response_url endpoint (`/_response/<id>`): up to 5 uses within 30 minutes (scaled). A JSON body with
 * `replace_original` replaces the message the interaction came from, `delete_original` deletes it,
 * `response_type: in_channel` posts a new message, anything else (the default, ephemeral) shows only to the user.
 * Each use is recorded as an effect tests can assert.
 * Source: docs.slack.dev/interactivity/handling-user-interaction (5 uses in 30 minutes, the body fields). The refusal
 * names and statuses (no_service, expired_url, used_url: 404; invalid_blocks, no_text: 400) are guesses.
 */
import type { IncomingMessage } from 'node:http';
import { assignBlockIds, MAX_MESSAGE_BLOCKS_TEXT, messageBlocksSize, validateBlocks } from './blocks';
import { slackId } from './ids';
import { jsonReply, Reply } from './server';
import { RESPONSE_URL_MAX_USES, SlackState } from './state';
import type { ResponseUrlEffect } from './types';

function truthy(v: unknown): boolean {
	return v === true || v === 'true';
}

export function handleResponseUrl(state: SlackState, req: IncomingMessage, raw: Buffer, id: string): Reply {
	const now = Date.now();
	const r = state.responseUrls.get(id);
	if (req.method !== 'POST') return jsonReply(405, { ok: false, error: 'method_not_allowed' });
	let body: Record<string, unknown>;
	try {
		const text = raw.toString('utf8');
		const contentType = String(req.headers['content-type'] ?? '');
		const parsed = contentType.includes('application/x-www-form-urlencoded')
			? JSON.parse(new URLSearchParams(text).get('payload') ?? '{}')
			: JSON.parse(text || '{}');
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
		body = parsed as Record<string, unknown>;
	} catch {
		return jsonReply(400, { ok: false, error: 'invalid_payload' });
	}
	const effect = (e: Omit<ResponseUrlEffect, 'responseUrlId' | 'body' | 'at'>) => state.responseEffects.push({ responseUrlId: id, body, at: now, ...e });
	const reject = (status: number, error: string, extra: Record<string, unknown> = {}) => {
		effect({ kind: 'rejected', channel: r?.channel ?? '', error });
		return jsonReply(status, { ok: false, error, ...extra });
	};
	if (!r) return reject(404, 'no_service');
	if (now - r.createdAtMs > r.lifeMs / state.timeScale) return reject(404, 'expired_url');
	if (r.uses >= RESPONSE_URL_MAX_USES) return reject(404, 'used_url');

	const deleteOriginal = truthy(body.delete_original);
	const blocks = body.blocks;
	if (blocks !== undefined) {
		const errors = validateBlocks(blocks);
		if (errors.length) return reject(400, 'invalid_blocks', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
		// the same total as chat.postMessage (bolt-js#2509); guess: response_url answers it like its other refusals, 400
		if (messageBlocksSize(blocks) > MAX_MESSAGE_BLOCKS_TEXT) return reject(400, 'msg_blocks_too_long');
	}
	const text = typeof body.text === 'string' ? body.text : undefined;
	const hasContent = !!text || (Array.isArray(blocks) && blocks.length > 0) || (Array.isArray(body.attachments) && body.attachments.length > 0);
	if (!deleteOriginal && !hasContent) return reject(400, 'no_text');
	const token = state.tokens.get(state.botToken);
	if (!token) return reject(500, 'fatal_error');
	r.uses += 1;
	const withIds = Array.isArray(blocks) ? assignBlockIds(blocks, () => slackId('', 4).toLowerCase()) : undefined;

	if (deleteOriginal) {
		const list = state.history.get(r.channel) ?? [];
		const i = r.messageTs ? list.findIndex((m) => m.ts === r.messageTs) : -1;
		if (i < 0) return reject(404, 'message_not_found');
		list.splice(i, 1);
		effect({ kind: 'deleted', channel: r.channel, ts: r.messageTs });
		return jsonReply(200, { ok: true });
	}
	if (truthy(body.replace_original)) {
		const original = r.messageTs ? state.findMessage(r.channel, r.messageTs) : undefined;
		if (original) {
			original.text = text ?? '';
			if (withIds) original.blocks = withIds;
			else delete original.blocks;
			if (Array.isArray(body.attachments)) original.attachments = body.attachments;
			original.edited = { user: token.userId, ts: state.tsClock.next(now) };
			effect({ kind: 'replaced', channel: r.channel, ts: original.ts });
			return jsonReply(200, { ok: true });
		}
		// the original was ephemeral (or a slash command's): the user's view of it is replaced
		const ts = state.tsClock.next(now);
		state.ephemerals.push({ channel: r.channel, user: r.user, ts, text: text ?? '', blocks: withIds, source: 'response_url' });
		effect({ kind: 'replaced', channel: r.channel, ts });
		return jsonReply(200, { ok: true });
	}
	if (body.response_type === 'in_channel') {
		const thread = typeof body.thread_ts === 'string' ? body.thread_ts : r.threadTs;
		const message = state.createMessage(r.channel, token, { text: text ?? '', blocks: withIds, attachments: body.attachments as unknown[] | undefined, thread_ts: thread }, now);
		effect({ kind: 'in_channel', channel: r.channel, ts: message.ts });
		return jsonReply(200, { ok: true });
	}
	const ts = state.tsClock.next(now);
	state.ephemerals.push({ channel: r.channel, user: r.user, ts, text: text ?? '', blocks: withIds, thread_ts: r.threadTs, source: 'response_url' });
	effect({ kind: 'ephemeral', channel: r.channel, ts });
	return jsonReply(200, { ok: true });
}
