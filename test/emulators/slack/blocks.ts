/**
 * Block Kit validation with Slack's own error wording: each problem is `<sentence> [json-pointer:<path>]`; the API
 * answers `invalid_blocks` with them in `errors[]` and, prefixed `[ERROR] `, in `response_metadata.messages`.
 * Covers the block types the package sends (section, header, divider, context, actions, image, input, rich_text,
 * markdown) and their main limits; an unknown type is `unsupported type: X`.
 */

export type Surface = 'message' | 'modal' | 'home';

// docs.slack.dev/reference/block-kit/blocks: "up to 50 blocks in each message, and 100 blocks in modals or Home tabs".
// Per-field limits below: the Block Kit reference pages (blocks, elements, composition objects); sources in CONTRACT.md.
const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

const INTERACTIVE_ELEMENTS = new Set([
	'button', 'static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select',
	'multi_static_select', 'multi_external_select', 'multi_users_select', 'multi_conversations_select', 'multi_channels_select',
	'overflow', 'datepicker', 'timepicker', 'datetimepicker', 'checkboxes', 'radio_buttons', 'workflow_button',
]);
const INPUT_ELEMENTS = new Set([
	'plain_text_input', 'email_text_input', 'url_text_input', 'number_input', 'rich_text_input', 'file_input',
	'static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select',
	'multi_static_select', 'multi_external_select', 'multi_users_select', 'multi_conversations_select', 'multi_channels_select',
	'datepicker', 'timepicker', 'datetimepicker', 'checkboxes', 'radio_buttons',
]);
const RICH_TEXT_ELEMENTS = new Set(['rich_text_section', 'rich_text_list', 'rich_text_preformatted', 'rich_text_quote']);

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Validator {
	readonly errors: string[] = [];
	private markdownChars = 0;

	constructor(private readonly surface: Surface) {}

	fail(message: string, pointer: string): void {
		this.errors.push(`${message} [json-pointer:${pointer}]`);
	}

	blocks(blocks: unknown, pointer = '/blocks'): void {
		if (!Array.isArray(blocks)) {
			this.fail('must provide an array', pointer);
			return;
		}
		const max = MAX_BLOCKS[this.surface];
		if (blocks.length > max) {
			this.fail(`no more than ${max} items allowed`, pointer);
			return;
		}
		const blockIds = new Set<string>();
		blocks.forEach((b, i) => this.block(b, `${pointer}/${i}`, blockIds));
		// markdown block page: "The cumulative limit for all markdown blocks in a single payload is 12,000 characters"
		if (this.markdownChars > 12_000) this.fail('cumulative markdown text must be less than 12001 characters', pointer);
	}

	private block(b: unknown, p: string, blockIds: Set<string>): void {
		if (!isObject(b)) return this.fail('must provide an object', p);
		if (typeof b.type !== 'string') return this.fail('missing required field: type', p);
		if (b.block_id !== undefined) {
			if (!this.string(b.block_id, `${p}/block_id`, 255)) return;
			if (blockIds.has(b.block_id as string)) this.fail(`duplicate block_id: ${b.block_id as string}`, `${p}/block_id`);
			blockIds.add(b.block_id as string);
		}
		const actionIds = new Set<string>();
		switch (b.type) {
			case 'section': {
				if (b.text === undefined && b.fields === undefined) return this.fail('must define either `text` or `fields`', `${p}/type`);
				if (b.text !== undefined) this.text(b.text, `${p}/text`, 3000);
				if (b.fields !== undefined) {
					if (!Array.isArray(b.fields)) return this.fail('must provide an array', `${p}/fields`);
					if (b.fields.length === 0) return this.fail('must provide at least 1 items', `${p}/fields`);
					if (b.fields.length > 10) return this.fail('no more than 10 items allowed', `${p}/fields`);
					b.fields.forEach((f, i) => this.text(f, `${p}/fields/${i}`, 2000));
				}
				if (b.accessory !== undefined) this.element(b.accessory, `${p}/accessory`, actionIds, 'accessory');
				return;
			}
			case 'header':
				if (b.text === undefined) return this.fail('missing required field: text', p);
				this.text(b.text, `${p}/text`, 150, true);
				return;
			case 'divider':
				return;
			case 'context': {
				if (!Array.isArray(b.elements)) return this.fail('missing required field: elements', p);
				if (b.elements.length === 0) return this.fail('must provide at least 1 items', `${p}/elements`);
				if (b.elements.length > 10) return this.fail('no more than 10 items allowed', `${p}/elements`);
				b.elements.forEach((e, i) => {
					const ep = `${p}/elements/${i}`;
					if (isObject(e) && e.type === 'image') this.imageElement(e, ep);
					else this.text(e, ep, 3000);
				});
				return;
			}
			case 'actions': {
				if (!Array.isArray(b.elements)) return this.fail('missing required field: elements', p);
				if (b.elements.length === 0) return this.fail('must provide at least 1 items', `${p}/elements`);
				if (b.elements.length > 25) return this.fail('no more than 25 items allowed', `${p}/elements`);
				b.elements.forEach((e, i) => this.element(e, `${p}/elements/${i}`, actionIds, 'actions'));
				return;
			}
			case 'image': {
				if (b.image_url === undefined && b.slack_file === undefined) return this.fail('must provide either `image_url` or `slack_file`', p);
				if (b.image_url !== undefined) this.url(b.image_url, `${p}/image_url`);
				if (b.alt_text === undefined) return this.fail('missing required field: alt_text', p);
				this.string(b.alt_text, `${p}/alt_text`, 2000);
				if (b.title !== undefined) this.text(b.title, `${p}/title`, 2000, true);
				return;
			}
			case 'input': {
				if (b.label === undefined) return this.fail('missing required field: label', p);
				this.text(b.label, `${p}/label`, 2000, true);
				if (b.hint !== undefined) this.text(b.hint, `${p}/hint`, 2000, true);
				if (b.element === undefined) return this.fail('missing required field: element', p);
				this.element(b.element, `${p}/element`, actionIds, 'input');
				return;
			}
			case 'rich_text': {
				if (!Array.isArray(b.elements)) return this.fail('missing required field: elements', p);
				b.elements.forEach((e, i) => {
					if (!isObject(e)) return this.fail('must provide an object', `${p}/elements/${i}`);
					if (!RICH_TEXT_ELEMENTS.has(e.type as string)) return this.fail(`unsupported type: ${String(e.type)}`, `${p}/elements/${i}/type`);
					if (!Array.isArray(e.elements)) this.fail('missing required field: elements', `${p}/elements/${i}`);
				});
				return;
			}
			case 'markdown': {
				if (this.surface !== 'message') return this.fail(`unsupported type: ${b.type}`, `${p}/type`);
				if (typeof b.text !== 'string') return this.fail('missing required field: text', p);
				if (b.text.length === 0) return this.fail('must be more than 0 characters', `${p}/text`);
				this.markdownChars += b.text.length;
				return;
			}
			case 'file':
			case 'video':
			case 'call':
				return;
			default:
				this.fail(`unsupported type: ${b.type}`, `${p}/type`);
		}
	}

	private element(e: unknown, p: string, actionIds: Set<string>, where: 'actions' | 'accessory' | 'input'): void {
		if (!isObject(e)) return this.fail('must provide an object', p);
		const type = e.type as string;
		const allowed = where === 'input' ? INPUT_ELEMENTS.has(type) : INTERACTIVE_ELEMENTS.has(type) || (where === 'accessory' && type === 'image');
		if (!allowed) return this.fail(`unsupported type: ${String(type)}`, `${p}/type`);
		if (type === 'image') return this.imageElement(e, p);
		if (e.action_id !== undefined) {
			if (this.string(e.action_id, `${p}/action_id`, 255)) {
				if (actionIds.has(e.action_id as string)) this.fail(`duplicate action_id: ${e.action_id as string}`, `${p}/action_id`);
				actionIds.add(e.action_id as string);
			}
		}
		if (e.placeholder !== undefined) this.text(e.placeholder, `${p}/placeholder`, 150, true);
		if (e.confirm !== undefined) this.confirm(e.confirm, `${p}/confirm`);
		switch (type) {
			case 'button':
				if (e.text === undefined) return this.fail('missing required field: text', p);
				this.text(e.text, `${p}/text`, 75, true);
				if (e.url !== undefined) this.url(e.url, `${p}/url`);
				if (e.value !== undefined) this.string(e.value, `${p}/value`, 2000);
				if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') this.fail('must be a valid enum value', `${p}/style`);
				if (e.accessibility_label !== undefined) this.string(e.accessibility_label, `${p}/accessibility_label`, 75);
				return;
			case 'static_select':
			case 'multi_static_select':
			case 'overflow':
			case 'checkboxes':
			case 'radio_buttons': {
				const max = type === 'overflow' ? 5 : type === 'checkboxes' || type === 'radio_buttons' ? 10 : 100;
				if (e.options === undefined && e.option_groups === undefined) return this.fail('must provide either `options` or `option_groups`', p);
				if (e.options !== undefined) this.options(e.options, `${p}/options`, max);
				return;
			}
			case 'plain_text_input':
				if (e.max_length !== undefined && (typeof e.max_length !== 'number' || e.max_length > 3000 || e.max_length < 1)) this.fail('must be less than 3001', `${p}/max_length`);
				if (e.initial_value !== undefined) this.string(e.initial_value, `${p}/initial_value`, 3000);
				return;
			default:
				return;
		}
	}

	private options(options: unknown, p: string, max: number): void {
		if (!Array.isArray(options)) return this.fail('must provide an array', p);
		if (options.length > max) return this.fail(`no more than ${max} items allowed`, p);
		options.forEach((o, i) => {
			const op = `${p}/${i}`;
			if (!isObject(o)) return this.fail('must provide an object', op);
			if (o.text === undefined) return this.fail('missing required field: text', op);
			this.text(o.text, `${op}/text`, 75);
			if (o.value !== undefined) this.string(o.value, `${op}/value`, 150);
			if (o.url !== undefined) this.url(o.url, `${op}/url`);
		});
	}

	private confirm(c: unknown, p: string): void {
		if (!isObject(c)) return this.fail('must provide an object', p);
		if (c.title !== undefined) this.text(c.title, `${p}/title`, 100, true);
		if (c.text !== undefined) this.text(c.text, `${p}/text`, 300);
		if (c.confirm !== undefined) this.text(c.confirm, `${p}/confirm`, 30, true);
		if (c.deny !== undefined) this.text(c.deny, `${p}/deny`, 30, true);
	}

	private imageElement(e: Record<string, unknown>, p: string): void {
		if (e.image_url === undefined && e.slack_file === undefined) return this.fail('must provide either `image_url` or `slack_file`', p);
		if (e.image_url !== undefined) this.url(e.image_url, `${p}/image_url`);
		if (e.alt_text === undefined) return this.fail('missing required field: alt_text', p);
		this.string(e.alt_text, `${p}/alt_text`, 2000);
	}

	/** A text object; Slack reports both the schema mismatch on the object and the precise violation inside it. */
	text(t: unknown, p: string, max: number, plainOnly = false): void {
		if (!isObject(t)) return this.fail('must provide an object', p);
		const type = t.type;
		if (type !== 'plain_text' && type !== 'mrkdwn') {
			this.fail('failed to match all allowed schemas', p);
			return this.fail('must be a valid enum value', `${p}/type`);
		}
		if (plainOnly && type !== 'plain_text') {
			this.fail('failed to match all allowed schemas', p);
			return this.fail('must be a valid enum value', `${p}/type`);
		}
		if (typeof t.text !== 'string') {
			this.fail('failed to match all allowed schemas', p);
			return this.fail('must provide a string', `${p}/text`);
		}
		if (t.text.length === 0) {
			this.fail('failed to match all allowed schemas', p);
			return this.fail('must be more than 0 characters', `${p}/text`);
		}
		if (t.text.length > max) {
			this.fail('failed to match all allowed schemas', p);
			this.fail(`must be less than ${max + 1} characters`, `${p}/text`);
		}
	}

	string(v: unknown, p: string, max: number): boolean {
		if (typeof v !== 'string') {
			this.fail('must provide a string', p);
			return false;
		}
		if (v.length === 0) {
			this.fail('must be more than 0 characters', p);
			return false;
		}
		if (v.length > max) {
			this.fail(`must be less than ${max + 1} characters`, p);
			return false;
		}
		return true;
	}

	url(v: unknown, p: string): void {
		if (!this.string(v, p, 3000)) return;
		if (!/^(https?|mailto|slack):/i.test(v as string)) this.fail('must be a valid URL', p);
	}
}

/** Problems in a `blocks` array; empty when valid. */
export function validateBlocks(blocks: unknown, surface: Surface = 'message', pointer = '/blocks'): string[] {
	const v = new Validator(surface);
	v.blocks(blocks, pointer);
	return v.errors;
}

/** Problems in a view (views.open / update / push) with json-pointers rooted at `/view`. */
export function validateView(view: unknown): string[] {
	const v = new Validator('modal');
	if (!isObject(view)) {
		v.fail('must provide an object', '/view');
		return v.errors;
	}
	if (view.type !== 'modal' && view.type !== 'home') {
		v.fail('must be a valid enum value', '/view/type');
		return v.errors;
	}
	const surface: Surface = view.type;
	if (surface === 'modal') {
		if (view.title === undefined) v.fail('missing required field: title', '/view');
		else v.text(view.title, '/view/title', 24, true);
		if (view.submit !== undefined) v.text(view.submit, '/view/submit', 24, true);
		if (view.close !== undefined) v.text(view.close, '/view/close', 24, true);
		const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
		if (hasInput && view.submit === undefined) v.fail('must provide `submit` when input blocks are present', '/view/submit');
	}
	if (view.blocks === undefined) v.fail('missing required field: blocks', '/view');
	else {
		const inner = new Validator(surface);
		inner.blocks(view.blocks, '/view/blocks');
		v.errors.push(...inner.errors);
	}
	if (view.callback_id !== undefined && view.callback_id !== '') v.string(view.callback_id, '/view/callback_id', 255);
	if (view.private_metadata !== undefined && view.private_metadata !== '') v.string(view.private_metadata, '/view/private_metadata', 3000);
	if (view.external_id !== undefined && view.external_id !== '') v.string(view.external_id, '/view/external_id', 255);
	return v.errors;
}

/**
 * Size beyond which chat.postMessage / chat.update / chat.scheduleMessage / chat.postEphemeral and response_url answer
 * `msg_blocks_too_long`. Undocumented; what is public: slackapi/bolt-js#2509 (2025): markdown blocks alone refused from
 * 13,297 characters of text, with one divider added from 13,172 (a block costs about 125), and Slack's answer there:
 * "12,000 text characters with a buffer for block containers"; slackapi/bolt-js#2867 (2026): rich_text + section +
 * header + divider blocks refused at 11,341 characters of text. The emulator's size is the characters of every `text`
 * string inside the blocks (text objects, fields, context, markdown, rich_text leaves, buttons, options) plus 125 per
 * block and per rich_text container (section, list, quote, preformatted) inside it, refused above 12,000 (the documented
 * cumulative markdown limit, docs.slack.dev/reference/block-kit/blocks/markdown-block): below every refusal reported,
 * so the emulator is never kinder than Slack (it is stricter for plain markdown).
 */
export const MAX_MESSAGE_BLOCKS_TEXT = 12_000;
/** What one block, or one rich_text container inside a block, adds to the size (bolt-js#2509: a divider cost 125). */
export const BLOCK_CONTAINER_COST = 125;

/** The size Slack's msg_blocks_too_long is measured against, as the emulator models it (see MAX_MESSAGE_BLOCKS_TEXT). */
export function messageBlocksSize(blocks: unknown): number {
	if (!Array.isArray(blocks)) return 0;
	let containers = 0;
	const rich = (elements: unknown): void => {
		if (!Array.isArray(elements)) return;
		for (const e of elements) {
			if (isObject(e) && typeof e.type === 'string' && e.type.startsWith('rich_text_')) {
				containers++;
				rich(e.elements);
			}
		}
	};
	for (const b of blocks) {
		containers++;
		if (isObject(b) && b.type === 'rich_text') rich(b.elements);
	}
	return blocksTextLength(blocks) + BLOCK_CONTAINER_COST * containers;
}

/** Characters of every `text` string inside `blocks` (any depth). */
export function blocksTextLength(blocks: unknown): number {
	let n = 0;
	const walk = (v: unknown, key?: string): void => {
		if (typeof v === 'string') {
			if (key === 'text') n += v.length;
			return;
		}
		if (Array.isArray(v)) v.forEach((x) => walk(x));
		else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, k);
	};
	walk(blocks);
	return n;
}

/**
 * views.open / push / update / publish: `view_too_large` "if the provided view is greater than 250kb" (error table of
 * the method pages, docs.slack.dev/reference/methods/views.open; also in slack_kit's copy of the method JSON). Read as
 * 250,000 bytes of the view's JSON (UTF-8), the stricter of the two readings of "kb".
 */
export const MAX_VIEW_BYTES = 250_000;

/** Slack gives blocks without a block_id a short random one (what block_actions / view.state.values are keyed by). */
export function assignBlockIds(blocks: unknown[], random: () => string): unknown[] {
	return blocks.map((b) => (isObject(b) && b.block_id === undefined ? { ...b, block_id: random() } : b));
}
