/**
 * Custom Block Kit: parsing what a user typed (a `{blocks:[...]}` object, a bare array, or JSON text of either)
 * and checking it against Slack's documented limits before any call, so a mistake is reported with the block's
 * index, its type and the rule it breaks instead of Slack's terse `invalid_blocks`.
 *
 * Limits from docs.slack.dev (Block Kit reference): 50 blocks per message, 100 per modal / home tab;
 * section text 3,000 characters, section fields 10 x 2,000; header 150 (plain_text only); context 10 elements;
 * actions 25 elements; button text 75, value 2,000, url 3,000; block_id / action_id 255; image_url 3,000,
 * alt_text 2,000; input label / hint 2,000; markdown block 12,000. Message `text` is truncated by Slack over 40,000.
 * Undocumented but enforced: a message whose blocks are too large in total is refused with `msg_blocks_too_long`
 * (slackapi/bolt-js#2509: from 13,172 to 13,297 characters of text, "12,000 text characters with a buffer for block
 * containers"; bolt-js#2867: rich_text blocks refused at 11,341 characters of text), and a view over 250 kB with
 * `view_too_large` (views.open / views.push / views.update error tables).
 */
import { parseJson } from '../util';

export type Block = Record<string, unknown> & { type: string };

export type BlockSurface = 'message' | 'modal';

export const MAX_BLOCKS: Record<BlockSurface, number> = { message: 50, modal: 100 };
export const MAX_MESSAGE_TEXT = 40000;
/**
 * Largest size (messageBlocksSize: text plus 125 per block and per rich_text container) the blocks of one message may
 * have. Slack counts "text characters with a buffer for block containers" (bolt-js#2509, where a divider cost 125);
 * 12,000 is the documented cumulative markdown limit and, counted this way, sits below every refusal reported
 * (bolt-js#2509, #2867).
 */
export const MAX_MESSAGE_BLOCKS_TEXT = 12_000;
/** What the package's own multi-part messages (digests, summaries) aim at: the limit less a margin for Slack's counting. */
export const MESSAGE_BLOCKS_TEXT_BUDGET = 11_000;
/** What one block, or one rich_text container (section, list, quote, preformatted) inside a block, adds to the size. */
export const BLOCK_CONTAINER_COST = 125;
/** The size msg_blocks_too_long is about: every `text` character plus BLOCK_CONTAINER_COST per block and rich_text container. */
export function messageBlocksSize(blocks: unknown[]): number {
	let containers = 0;
	const rich = (elements: unknown): void => {
		if (!Array.isArray(elements)) return;
		for (const e of elements as Array<Record<string, unknown>>) {
			if (e && typeof e === 'object' && typeof e.type === 'string' && e.type.startsWith('rich_text_')) {
				containers++;
				rich(e.elements);
			}
		}
	};
	for (const b of blocks as Array<Record<string, unknown>>) {
		containers++;
		if (b && typeof b === 'object' && b.type === 'rich_text') rich(b.elements);
	}
	return blocksTextLength(blocks) + BLOCK_CONTAINER_COST * containers;
}

/** views.open / views.push / views.update refuse a view "greater than 250kb" (`view_too_large`); read as 250,000 bytes. */
export const MAX_VIEW_BYTES = 250_000;

/** Characters of every `text` string inside blocks, at any depth (text objects, fields, markdown, rich_text, buttons). */
export function blocksTextLength(blocks: unknown): number {
	let n = 0;
	const walk = (v: unknown, key?: string): void => {
		if (typeof v === 'string') {
			if (key === 'text') n += v.length;
		} else if (Array.isArray(v)) {
			for (const x of v) walk(x);
		} else if (v && typeof v === 'object') {
			for (const [k, x] of Object.entries(v)) walk(x, k);
		}
	};
	walk(blocks);
	return n;
}

/** Block types Slack documents for messages and surfaces. */
export const KNOWN_BLOCK_TYPES = [
	'actions',
	'context',
	'context_actions',
	'divider',
	'file',
	'header',
	'image',
	'input',
	'markdown',
	'rich_text',
	'section',
	'table',
	'video',
] as const;

const TEXT_TYPES = ['plain_text', 'mrkdwn'];

export class BlockKitError extends Error {
	constructor(
		message: string,
		readonly blockIndex?: number,
		readonly blockType?: string,
		readonly path?: string,
	) {
		super(message);
		this.name = 'BlockKitError';
	}
}

export interface ParsedBlocks {
	blocks: Block[];
	/** `text` given beside `blocks` in a `{blocks, text}` object: used as the notification fallback. */
	text?: string;
}

/**
 * Accepts `{blocks:[...]}` (as Slack's Block Kit Builder exports it), a bare array of blocks, or JSON text of either.
 * Throws BlockKitError when it is neither.
 */
export function parseBlocks(input: unknown): ParsedBlocks {
	let value = input;
	if (typeof value === 'string') {
		const trimmed = value.trim();
		if (trimmed === '') throw new BlockKitError('Blocks are empty: give a JSON array of blocks or {"blocks": [...]}');
		const parsed = parseJson(trimmed);
		if (!parsed.ok) {
			throw new BlockKitError(
				`Blocks are not valid JSON (${(parsed.error as Error).message}): give a JSON array of blocks or {"blocks": [...]}`,
			);
		}
		value = parsed.value;
	}
	if (Array.isArray(value)) return { blocks: value as Block[] };
	if (value && typeof value === 'object') {
		const obj = value as Record<string, unknown>;
		if (Array.isArray(obj.blocks)) {
			return { blocks: obj.blocks as Block[], text: typeof obj.text === 'string' ? obj.text : undefined };
		}
		if (typeof obj.type === 'string') return { blocks: [obj as Block] };
		throw new BlockKitError('Blocks object has no "blocks" array: give {"blocks": [...]} or a bare array of blocks');
	}
	throw new BlockKitError(`Blocks must be a JSON array or {"blocks": [...]}, got ${value === null ? 'null' : typeof value}`);
}

interface Ctx {
	index: number;
	type: string;
}

function fail(ctx: Ctx, path: string, rule: string): never {
	throw new BlockKitError(`Block ${ctx.index} (${ctx.type}), ${path}: ${rule}`, ctx.index, ctx.type, path);
}

function fmt(n: number): string {
	return n.toLocaleString('en-US');
}

function checkLength(ctx: Ctx, path: string, value: unknown, max: number): void {
	if (typeof value === 'string' && value.length > max) {
		fail(ctx, path, `is ${fmt(value.length)} characters; Slack allows at most ${fmt(max)}. Shorten it`);
	}
}

function checkTextObject(
	ctx: Ctx,
	path: string,
	value: unknown,
	max: number,
	o: { plainOnly?: boolean; required?: boolean } = {},
): void {
	if (value === undefined || value === null) {
		if (o.required) fail(ctx, path, 'is required (a text object {"type": "plain_text" or "mrkdwn", "text": "..."})');
		return;
	}
	if (typeof value !== 'object' || Array.isArray(value)) {
		fail(ctx, path, 'must be a text object {"type": "plain_text" or "mrkdwn", "text": "..."}, not a bare value');
	}
	const t = value as Record<string, unknown>;
	if (!TEXT_TYPES.includes(String(t.type))) {
		fail(ctx, `${path}.type`, `must be "plain_text" or "mrkdwn", got ${JSON.stringify(t.type)}`);
	}
	if (o.plainOnly && t.type !== 'plain_text') fail(ctx, `${path}.type`, 'must be "plain_text" here');
	if (typeof t.text !== 'string' || t.text.length === 0) fail(ctx, `${path}.text`, 'must be a non-empty string');
	checkLength(ctx, `${path}.text`, t.text, max);
}

function checkElement(ctx: Ctx, path: string, el: unknown): void {
	if (!el || typeof el !== 'object') fail(ctx, path, 'must be an element object with a "type"');
	const e = el as Record<string, unknown>;
	if (typeof e.type !== 'string') fail(ctx, `${path}.type`, 'is missing');
	checkLength(ctx, `${path}.action_id`, e.action_id, 255);
	if (e.type === 'button') {
		checkTextObject(ctx, `${path}.text`, e.text, 75, { plainOnly: true, required: true });
		checkLength(ctx, `${path}.value`, e.value, 2000);
		checkLength(ctx, `${path}.url`, e.url, 3000);
		if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') {
			fail(ctx, `${path}.style`, `must be "primary" or "danger", got ${JSON.stringify(e.style)}`);
		}
	}
	if (e.type === 'image') {
		if (typeof e.image_url !== 'string' && !e.slack_file) fail(ctx, `${path}.image_url`, 'is required');
		checkLength(ctx, `${path}.image_url`, e.image_url, 3000);
		if (typeof e.alt_text !== 'string') fail(ctx, `${path}.alt_text`, 'is required');
		checkLength(ctx, `${path}.alt_text`, e.alt_text, 2000);
	}
}

function checkBlock(block: unknown, index: number, seenIds: Set<string>): void {
	if (!block || typeof block !== 'object' || Array.isArray(block)) {
		throw new BlockKitError(`Block ${index}: must be an object with a "type"`, index);
	}
	const b = block as Record<string, unknown>;
	const type = b.type;
	if (typeof type !== 'string') throw new BlockKitError(`Block ${index}: "type" is missing`, index);
	const ctx: Ctx = { index, type };
	if (!(KNOWN_BLOCK_TYPES as readonly string[]).includes(type)) {
		fail(ctx, 'type', `unknown block type "${type}"; Slack knows ${KNOWN_BLOCK_TYPES.join(', ')}`);
	}
	if (b.block_id !== undefined) {
		if (typeof b.block_id !== 'string' || b.block_id === '') fail(ctx, 'block_id', 'must be a non-empty string');
		checkLength(ctx, 'block_id', b.block_id, 255);
		if (seenIds.has(b.block_id)) fail(ctx, 'block_id', `"${b.block_id}" is used twice; block_id must be unique`);
		seenIds.add(b.block_id);
	}
	switch (type) {
		case 'section': {
			if (b.text === undefined && b.fields === undefined) fail(ctx, 'text', 'a section needs "text" or "fields"');
			checkTextObject(ctx, 'text', b.text, 3000);
			if (b.fields !== undefined) {
				if (!Array.isArray(b.fields)) fail(ctx, 'fields', 'must be an array of text objects');
				if (b.fields.length > 10) fail(ctx, 'fields', `has ${b.fields.length} items; Slack allows at most 10`);
				b.fields.forEach((f, i) => checkTextObject(ctx, `fields[${i}]`, f, 2000, { required: true }));
			}
			if (b.accessory !== undefined) checkElement(ctx, 'accessory', b.accessory);
			break;
		}
		case 'header':
			checkTextObject(ctx, 'text', b.text, 150, { plainOnly: true, required: true });
			break;
		case 'context': {
			if (!Array.isArray(b.elements) || b.elements.length === 0) fail(ctx, 'elements', 'must be a non-empty array');
			if (b.elements.length > 10) fail(ctx, 'elements', `has ${b.elements.length} items; Slack allows at most 10`);
			b.elements.forEach((el, i) => {
				const e = el as Record<string, unknown>;
				if (e && TEXT_TYPES.includes(String(e.type))) checkTextObject(ctx, `elements[${i}]`, e, 3000);
				else if (e && e.type === 'image') checkElement(ctx, `elements[${i}]`, e);
				else fail(ctx, `elements[${i}].type`, 'context elements must be text objects or images');
			});
			break;
		}
		case 'actions': {
			if (!Array.isArray(b.elements) || b.elements.length === 0) fail(ctx, 'elements', 'must be a non-empty array');
			if (b.elements.length > 25) fail(ctx, 'elements', `has ${b.elements.length} items; Slack allows at most 25`);
			b.elements.forEach((el, i) => checkElement(ctx, `elements[${i}]`, el));
			break;
		}
		case 'image':
			if (typeof b.image_url !== 'string' && !b.slack_file) fail(ctx, 'image_url', 'is required');
			checkLength(ctx, 'image_url', b.image_url, 3000);
			if (typeof b.alt_text !== 'string') fail(ctx, 'alt_text', 'is required');
			checkLength(ctx, 'alt_text', b.alt_text, 2000);
			checkTextObject(ctx, 'title', b.title, 2000, { plainOnly: true });
			break;
		case 'input':
			checkTextObject(ctx, 'label', b.label, 2000, { plainOnly: true, required: true });
			checkTextObject(ctx, 'hint', b.hint, 2000, { plainOnly: true });
			if (!b.element) fail(ctx, 'element', 'is required');
			checkElement(ctx, 'element', b.element);
			break;
		case 'markdown':
			if (typeof b.text !== 'string' || b.text === '') fail(ctx, 'text', 'must be a non-empty string');
			checkLength(ctx, 'text', b.text, 12000);
			break;
		case 'rich_text':
			if (!Array.isArray(b.elements)) fail(ctx, 'elements', 'must be an array');
			break;
		default:
			break;
	}
}

/**
 * Validates blocks for a surface. Throws BlockKitError naming the block index, its type and the rule.
 * A message's blocks together stay within MAX_MESSAGE_BLOCKS_TEXT (messageBlocksSize);
 * `text` (the notification fallback) is checked against the 40,000-character message limit.
 */
export function validateBlocks(blocks: unknown[], surface: BlockSurface = 'message', text?: string): void {
	const max = MAX_BLOCKS[surface];
	if (blocks.length > max) {
		throw new BlockKitError(
			`${fmt(blocks.length)} blocks; Slack allows at most ${max} per ${surface}. Split the content or use the digest's thread replies`,
		);
	}
	const seen = new Set<string>();
	blocks.forEach((b, i) => checkBlock(b, i, seen));
	if (surface === 'message') {
		const size = messageBlocksSize(blocks);
		if (size > MAX_MESSAGE_BLOCKS_TEXT) {
			throw new BlockKitError(
				`The blocks carry ${fmt(blocksTextLength(blocks))} characters of text, ${fmt(size)} counting 125 per block; Slack refuses a message over about ${fmt(MAX_MESSAGE_BLOCKS_TEXT)} (msg_blocks_too_long). Shorten the text or split it over several messages`,
			);
		}
	}
	if (text !== undefined && text.length > MAX_MESSAGE_TEXT) {
		throw new BlockKitError(
			`Message text is ${fmt(text.length)} characters; Slack truncates text over ${fmt(MAX_MESSAGE_TEXT)}. Shorten it`,
		);
	}
}

/** Parses then validates; the usual entry point for a "Custom Block Kit" parameter. */
export function parseAndValidateBlocks(input: unknown, surface: BlockSurface = 'message'): ParsedBlocks {
	const parsed = parseBlocks(input);
	validateBlocks(parsed.blocks, surface, parsed.text);
	return parsed;
}

/**
 * Slack's `invalid_blocks` answer carries `errors: ["... [json-pointer:/blocks/2/text]"]`. Turns each into a line that
 * also names the block type, so the user sees which block Slack refused and why.
 */
export function describeInvalidBlocks(errors: unknown, blocks?: unknown[]): string[] {
	const list = Array.isArray(errors) ? errors : errors === undefined ? [] : [errors];
	return list.map((raw) => {
		const line = String(raw);
		const m = /json-pointer:\/(?:blocks|view\/blocks)\/(\d+)/.exec(line);
		if (!m) return line;
		const idx = Number(m[1]);
		const type = blocks && blocks[idx] && (blocks[idx] as Record<string, unknown>).type;
		return `Block ${idx}${type ? ` (${String(type)})` : ''}: ${line}`;
	});
}

/** A plain-text rendering of blocks, used as the `text` fallback when the user gives none. */
export function blocksToPlainText(blocks: unknown[], max = 3000): string {
	const parts: string[] = [];
	const textOf = (t: unknown): string =>
		t && typeof t === 'object' && typeof (t as Record<string, unknown>).text === 'string'
			? String((t as Record<string, unknown>).text)
			: '';
	for (const raw of blocks) {
		const b = raw as Record<string, unknown>;
		if (!b || typeof b !== 'object') continue;
		if (b.type === 'header' || b.type === 'section') {
			const t = textOf(b.text);
			if (t) parts.push(t);
			if (Array.isArray(b.fields)) parts.push(b.fields.map(textOf).filter(Boolean).join(' | '));
		} else if (b.type === 'context' && Array.isArray(b.elements)) {
			parts.push(b.elements.map(textOf).filter(Boolean).join(' '));
		} else if (b.type === 'markdown' && typeof b.text === 'string') {
			parts.push(b.text);
		}
	}
	const text = parts.filter(Boolean).join('\n');
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export type DoneMode = 'actionsBlock' | 'allActions' | 'button';

/**
 * The blocks of a clicked message, changed to show what was done: the actions block holding the clicked action
 * (or every actions block, or only the clicked button) is replaced by a context line such as
 * ":white_check_mark: Approved by <@U123>". Other blocks are kept as they were.
 * `doneText` is the workflow author's own mrkdwn (the "Done Text" parameter, where a mention is the point), sent as
 * written and not escaped; no data from an event is put into it here.
 */
export function markActionDone(blocks: unknown[], o: { actionId?: string; blockId?: string; doneText: string; mode?: DoneMode }): Block[] {
	const mode = o.mode ?? 'actionsBlock';
	const done: Block = { type: 'context', elements: [{ type: 'mrkdwn', text: o.doneText.slice(0, 3000) }] };
	const holdsClicked = (b: Record<string, unknown>) =>
		(o.blockId !== undefined && o.blockId !== '' && b.block_id === o.blockId) ||
		(Array.isArray(b.elements) && (b.elements as Array<Record<string, unknown>>).some((e) => e && e.action_id === o.actionId));
	const out: Block[] = [];
	let replaced = false;
	for (const raw of blocks) {
		const b = raw as Block;
		if (!b || typeof b !== 'object' || b.type !== 'actions') {
			out.push(b);
			continue;
		}
		if (mode === 'allActions' || (mode === 'actionsBlock' && holdsClicked(b))) {
			if (!replaced) out.push(done);
			replaced = true;
			continue;
		}
		if (mode === 'button' && holdsClicked(b)) {
			const rest = (b.elements as Array<Record<string, unknown>>).filter((e) => e.action_id !== o.actionId);
			if (rest.length) out.push({ ...b, elements: rest });
			if (!replaced) out.push(done);
			replaced = true;
			continue;
		}
		out.push(b);
	}
	if (!replaced) out.push(done);
	return out;
}

/**
 * A modal view as views.open / views.update / views.push take it, checked before the call (a trigger_id lives only
 * 3 seconds and works once: a refused call cannot be retried). Accepts an object or JSON text.
 */
export function parseModalView(input: unknown): Record<string, unknown> {
	let v = input;
	if (typeof v === 'string') {
		const parsed = parseJson(v);
		if (!parsed.ok) throw new BlockKitError(`View is not valid JSON (${(parsed.error as Error).message})`);
		v = parsed.value;
	}
	if (!v || typeof v !== 'object' || Array.isArray(v)) throw new BlockKitError('View must be an object {"type": "modal", "title": ..., "blocks": [...]}');
	const view = v as Record<string, unknown>;
	if (view.type !== 'modal') throw new BlockKitError(`View type must be "modal", got ${JSON.stringify(view.type)}`);
	const checkTitle = (name: string, required: boolean) => {
		const t = view[name] as Record<string, unknown> | undefined;
		if (t === undefined) {
			if (required) throw new BlockKitError(`View ${name} is required (a plain_text object of at most 24 characters)`);
			return;
		}
		if (!t || t.type !== 'plain_text' || typeof t.text !== 'string' || t.text === '') {
			throw new BlockKitError(`View ${name} must be {"type": "plain_text", "text": "..."}`);
		}
		if (t.text.length > 24) throw new BlockKitError(`View ${name} is ${t.text.length} characters; Slack allows at most 24`);
	};
	checkTitle('title', true);
	checkTitle('submit', false);
	checkTitle('close', false);
	if (!Array.isArray(view.blocks)) throw new BlockKitError('View blocks must be an array');
	validateBlocks(view.blocks, 'modal');
	if (view.blocks.some((b) => (b as Record<string, unknown>)?.type === 'input') && view.submit === undefined) {
		throw new BlockKitError('View has input blocks but no "submit" button; Slack requires one');
	}
	for (const [k, max] of [['callback_id', 255], ['external_id', 255], ['private_metadata', 3000]] as const) {
		if (view[k] !== undefined && (typeof view[k] !== 'string' || (view[k] as string).length > max)) {
			throw new BlockKitError(`View ${k} must be a string of at most ${fmt(max)} characters`);
		}
	}
	checkViewSize(view);
	return view;
}

function utf8Bytes(v: unknown): number {
	return new TextEncoder().encode(JSON.stringify(v) ?? '').length;
}

/**
 * Slack refuses a view over 250 kB (`view_too_large`), and the trigger_id is spent by then: checked before the call,
 * naming the blocks that weigh most so the user knows what to shrink.
 */
export function checkViewSize(view: Record<string, unknown>): void {
	const size = utf8Bytes(view);
	if (size <= MAX_VIEW_BYTES) return;
	const blocks = Array.isArray(view.blocks) ? (view.blocks as unknown[]) : [];
	const heaviest = blocks
		.map((b, i) => ({ i, type: String((b as Record<string, unknown>)?.type ?? '?'), bytes: utf8Bytes(b) }))
		.sort((a, b) => b.bytes - a.bytes)
		.slice(0, 3)
		.map((b) => `block ${b.i} (${b.type}, ${fmt(b.bytes)} bytes)`);
	throw new BlockKitError(
		`View is ${fmt(size)} bytes; Slack refuses a view over ${fmt(MAX_VIEW_BYTES)} bytes (view_too_large). Shrink the largest blocks${heaviest.length ? `: ${heaviest.join(', ')}` : ''}, e.g. fewer select options or shorter texts`,
	);
}
