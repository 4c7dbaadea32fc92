/**
 * Cursor pagination as Slack does it: opaque base64 cursors in `response_metadata.next_cursor` ("" at the end), a
 * `limit` clamped to 1000, and now and then a page shorter than the limit that is not the end (clients must follow
 * `next_cursor`, never page length). Cursors from another listing, from before a reset, or too old are `invalid_cursor`.
 * Source: docs.slack.dev/apis/web-api/pagination (short pages, empty next_cursor at the end, limit at most 1000); error
 * names: OpenAPI 2020 (`invalid_cursor`, `invalid_limit`); the cursor lifetime (1 h) is a guess.
 */
import { SlackApiError } from './errors';

export interface PageRequest {
	cursor?: unknown;
	limit?: unknown;
}

export interface Page {
	offset: number;
	count: number;
}

export class Paginator {
	/** bumped by reset(): cursors issued before no longer resolve. */
	epoch = 1;
	shortPages = true;

	constructor(private readonly lifeMs: () => number) {}

	/**
	 * Resolves the window of a listing of `total` items. `defaultLimit` applies when `limit` is absent or 0;
	 * `maxLimit` is Slack's ceiling (1000, values above are served as 1000).
	 */
	page(kind: string, req: PageRequest, total: number, defaultLimit: number, maxLimit = 1000): Page {
		let limit = req.limit === undefined || req.limit === '' ? 0 : Number(req.limit);
		if (!Number.isFinite(limit) || limit < 0) throw new SlackApiError('invalid_limit');
		limit = Math.floor(limit);
		if (limit === 0) limit = defaultLimit;
		limit = Math.min(limit, maxLimit);
		const offset = req.cursor === undefined || req.cursor === '' ? 0 : this.decode(kind, String(req.cursor));
		let count = limit;
		// every third page of a multi-page listing comes back short, as Slack's do now and then
		const pageIndex = Math.floor(offset / Math.max(1, limit));
		if (this.shortPages && limit >= 4 && pageIndex % 3 === 1 && offset + limit < total) count = Math.ceil(limit / 2);
		return { offset, count: Math.max(0, Math.min(count, total - offset)) };
	}

	/** `next_cursor` after a page: empty when nothing follows. */
	next(kind: string, page: Page, total: number): string {
		const after = page.offset + page.count;
		return after < total ? this.encode(kind, after) : '';
	}

	encode(kind: string, offset: number): string {
		return Buffer.from(`${kind}:${offset}:${this.epoch}:${Date.now()}`).toString('base64');
	}

	decode(kind: string, cursor: string): number {
		const text = Buffer.from(cursor, 'base64').toString('utf8');
		const m = /^([a-z_]+):(\d+):(\d+):(\d+)$/.exec(text);
		if (!m || m[1] !== kind || Number(m[3]) !== this.epoch) throw new SlackApiError('invalid_cursor');
		if (Date.now() - Number(m[4]) > this.lifeMs()) throw new SlackApiError('invalid_cursor');
		return Number(m[2]);
	}
}
