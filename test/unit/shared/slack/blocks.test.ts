import { parseBlocks, validateBlocks, parseAndValidateBlocks, describeInvalidBlocks, blocksToPlainText, BlockKitError } from '../../../../nodes/shared/slack/blocks';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('parseBlocks', () => {
	it('accepts {blocks:[...]} with text, a bare array, a single block and JSON text of each', () => {
		expect(parseBlocks({ blocks: [section('a')], text: 'fallback' })).toEqual({ blocks: [section('a')], text: 'fallback' });
		expect(parseBlocks([section('a')]).blocks).toHaveLength(1);
		expect(parseBlocks(JSON.stringify({ blocks: [section('a'), { type: 'divider' }] })).blocks).toHaveLength(2);
		expect(parseBlocks(JSON.stringify([section('a')])).blocks[0].type).toBe('section');
		expect(parseBlocks({ type: 'divider' }).blocks).toEqual([{ type: 'divider' }]);
	});
	it('refuses invalid JSON, empty text and objects without blocks, saying what to give', () => {
		expect(() => parseBlocks('{"blocks": [')).toThrow(/not valid JSON.*\{"blocks": \[\.\.\.\]\}/);
		expect(() => parseBlocks('  ')).toThrow(/empty/);
		expect(() => parseBlocks({ attachments: [] })).toThrow(/no "blocks" array/);
		expect(() => parseBlocks(42)).toThrow(/got number/);
		expect(() => parseBlocks(null)).toThrow(/got null/);
	});
});

describe('validateBlocks', () => {
	it('accepts a realistic message', () => {
		expect(() =>
			validateBlocks([
				{ type: 'header', text: { type: 'plain_text', text: 'New order' } },
				{ type: 'section', fields: [{ type: 'mrkdwn', text: '*Customer*\nx' }] },
				{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'View' }, url: 'https://app.brevo.com', action_id: 'v' }] },
				{ type: 'context', elements: [{ type: 'mrkdwn', text: 'ctx' }] },
				{ type: 'divider' },
			]),
		).not.toThrow();
	});
	it('refuses more than 50 blocks in a message but allows 100 in a modal', () => {
		const many = Array.from({ length: 51 }, () => ({ type: 'divider' }));
		expect(() => validateBlocks(many)).toThrow('51 blocks; Slack allows at most 50 per message');
		expect(() => validateBlocks(many, 'modal')).not.toThrow();
		expect(() => validateBlocks(Array.from({ length: 101 }, () => ({ type: 'divider' })), 'modal')).toThrow(/at most 100 per modal/);
	});
	it('names the block index, type and rule for text over its limit', () => {
		let err: BlockKitError | undefined;
		try {
			validateBlocks([{ type: 'divider' }, section('x'.repeat(3001))]);
		} catch (e) {
			err = e as BlockKitError;
		}
		expect(err).toBeInstanceOf(BlockKitError);
		expect(err!.message).toBe('Block 1 (section), text.text: is 3,001 characters; Slack allows at most 3,000. Shorten it');
		expect(err!.blockIndex).toBe(1);
		expect(err!.blockType).toBe('section');
		expect(() => validateBlocks([section('x'.repeat(3000))])).not.toThrow();
	});
	it('checks header length and plain_text, button text, fields count, context and actions sizes', () => {
		expect(() => validateBlocks([{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }])).toThrow(/Block 0 \(header\), text.text: is 151/);
		expect(() => validateBlocks([{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }])).toThrow(/must be "plain_text"/);
		expect(() =>
			validateBlocks([{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'b'.repeat(76) } }] }]),
		).toThrow(/Block 0 \(actions\), elements\[0\].text.text: is 76 characters; Slack allows at most 75/);
		expect(() =>
			validateBlocks([{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }]),
		).toThrow(/fields: has 11 items; Slack allows at most 10/);
		expect(() => validateBlocks([{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }])).toThrow(
			/at most 10/,
		);
		expect(() => validateBlocks([{ type: 'actions', elements: Array.from({ length: 26 }, () => ({ type: 'button', text: { type: 'plain_text', text: 'b' } })) }])).toThrow(
			/at most 25/,
		);
		expect(() => validateBlocks([{ type: 'section' }])).toThrow(/needs "text" or "fields"/);
		expect(() => validateBlocks([{ type: 'section', text: 'bare' }])).toThrow(/must be a text object/);
		expect(() => validateBlocks([{ type: 'section', text: { type: 'html', text: 'x' } }])).toThrow(/"plain_text" or "mrkdwn", got "html"/);
		expect(() => validateBlocks([{ type: 'image', image_url: 'https://x/y.png' }])).toThrow(/alt_text: is required/);
	});
	it('refuses unknown block types and duplicate block ids', () => {
		expect(() => validateBlocks([{ type: 'divider' }, { type: 'sectoin', text: { type: 'mrkdwn', text: 'x' } }])).toThrow(
			/Block 1 \(sectoin\), type: unknown block type "sectoin"/,
		);
		expect(() => validateBlocks([{ type: 'divider', block_id: 'a' }, { type: 'divider', block_id: 'a' }])).toThrow(/"a" is used twice/);
		expect(() => validateBlocks(['nope'])).toThrow(/Block 0: must be an object/);
		expect(() => validateBlocks([{}])).toThrow(/Block 0: "type" is missing/);
	});
	it('refuses a fallback text over 40,000 characters', () => {
		expect(() => validateBlocks([], 'message', 'x'.repeat(40001))).toThrow(/40,001 characters/);
	});
	it('parseAndValidateBlocks does both', () => {
		expect(() => parseAndValidateBlocks('[{"type":"bogus"}]')).toThrow(/unknown block type "bogus"/);
	});
});

describe('describeInvalidBlocks', () => {
	it("maps Slack's json pointers to block index and type", () => {
		const blocks = [{ type: 'divider' }, section('x')];
		expect(describeInvalidBlocks(['must be more than 0 characters [json-pointer:/blocks/1/text/text]'], blocks)).toEqual([
			'Block 1 (section): must be more than 0 characters [json-pointer:/blocks/1/text/text]',
		]);
		expect(describeInvalidBlocks('no pointer')).toEqual(['no pointer']);
	});
});

describe('blocksToPlainText', () => {
	it('joins header, section, fields and context text', () => {
		expect(
			blocksToPlainText([
				{ type: 'header', text: { type: 'plain_text', text: 'Title' } },
				{ type: 'section', fields: [{ type: 'mrkdwn', text: 'a' }, { type: 'mrkdwn', text: 'b' }] },
				{ type: 'context', elements: [{ type: 'mrkdwn', text: 'c' }] },
			]),
		).toBe('Title\na | b\nc');
	});
});

import { markActionDone } from '../../../../nodes/shared/slack/blocks';

describe('markActionDone', () => {
	const blocks = [
		{ type: 'section', text: { type: 'mrkdwn', text: 'Order 1' } },
		{ type: 'actions', block_id: 'a1', elements: [{ type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve' } }, { type: 'button', action_id: 'reject', text: { type: 'plain_text', text: 'Reject' } }] },
		{ type: 'actions', block_id: 'a2', elements: [{ type: 'button', action_id: 'other', text: { type: 'plain_text', text: 'Other' } }] },
	];
	it('replaces the clicked actions block with a context line, keeps the rest', () => {
		const out = markActionDone(blocks, { actionId: 'approve', doneText: ':white_check_mark: Approved by <@U1>' });
		expect(out.map((b) => b.type)).toEqual(['section', 'context', 'actions']);
		expect(out[1]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: ':white_check_mark: Approved by <@U1>' }] });
		expect(out[2]).toBe(blocks[2]);
	});
	it('all actions blocks, or only the clicked button', () => {
		expect(markActionDone(blocks, { doneText: 'x', mode: 'allActions' }).map((b) => b.type)).toEqual(['section', 'context']);
		const one = markActionDone(blocks, { actionId: 'approve', doneText: 'x', mode: 'button' });
		expect(one.map((b) => b.type)).toEqual(['section', 'actions', 'context', 'actions']);
		expect((one[1] as any).elements.map((e: any) => e.action_id)).toEqual(['reject']);
	});
	it('appends the line when no actions block matches', () => {
		expect(markActionDone([{ type: 'divider' }], { actionId: 'zz', doneText: 'x' }).map((b) => b.type)).toEqual(['divider', 'context']);
	});
});

import { parseModalView } from '../../../../nodes/shared/slack/blocks';

describe('parseModalView', () => {
	const ok = { type: 'modal', title: { type: 'plain_text', text: 'New contact' }, submit: { type: 'plain_text', text: 'Save' }, blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Email' }, element: { type: 'plain_text_input', action_id: 'email' } }] };
	it('accepts a modal (object or JSON text)', () => {
		expect(parseModalView(ok)).toBe(ok);
		expect(parseModalView(JSON.stringify(ok))).toEqual(ok);
	});
	it('names what is wrong', () => {
		expect(() => parseModalView({ ...ok, type: 'home' })).toThrow(/must be "modal"/);
		expect(() => parseModalView({ ...ok, title: { type: 'plain_text', text: 'x'.repeat(25) } })).toThrow(/title is 25 characters; Slack allows at most 24/);
		expect(() => parseModalView({ ...ok, submit: undefined })).toThrow(/no "submit"/);
		expect(() => parseModalView({ ...ok, blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) })).toThrow(/at most 100 per modal/);
		expect(() => parseModalView({ ...ok, private_metadata: 'x'.repeat(3001) })).toThrow(/private_metadata/);
		expect(() => parseModalView('{')).toThrow(/not valid JSON/);
	});
});

import { blocksTextLength, MAX_MESSAGE_BLOCKS_TEXT, MAX_VIEW_BYTES, messageBlocksSize } from '../../../../nodes/shared/slack/blocks';
import { slackRemedy } from '../../../../nodes/shared/slack/remedies';

describe('total block text (msg_blocks_too_long) and view size (view_too_large)', () => {
	const sec = (n: number) => ({ type: 'section', text: { type: 'mrkdwn', text: 'a'.repeat(n) } });

	it('counts every text string at any depth: sections, fields, context, buttons, markdown, rich_text', () => {
		const blocks = [
			{ type: 'header', text: { type: 'plain_text', text: 'abc' } },
			{ type: 'section', fields: [{ type: 'mrkdwn', text: 'de' }], accessory: { type: 'button', text: { type: 'plain_text', text: 'f' }, value: 'not text' } },
			{ type: 'context', elements: [{ type: 'mrkdwn', text: 'gh' }] },
			{ type: 'markdown', text: 'ijkl' },
			{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'mn' }] }] },
			{ type: 'divider' },
		];
		expect(blocksTextLength(blocks)).toBe(3 + 2 + 1 + 2 + 4 + 2);
	});

	it('sizes a message as Slack counts it: text plus 125 per block and per rich_text container', () => {
		const rich = { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'ab' }] }, { type: 'rich_text_list', elements: [{ type: 'rich_text_section', elements: [] }] }] };
		expect(messageBlocksSize([rich])).toBe(2 + 125 * 4);
		expect(messageBlocksSize([sec(10), { type: 'divider' }])).toBe(10 + 250);
	});

	it('refuses a message whose blocks are larger than 12,000 in total, each section within its 3,000', () => {
		// 4 x 2,875 characters + 4 x 125 = 12,000
		expect(() => validateBlocks([sec(2875), sec(2875), sec(2875), sec(2875)])).not.toThrow();
		expect(() => validateBlocks([sec(2875), sec(2875), sec(2875), sec(2876)])).toThrow(
			'The blocks carry 11,501 characters of text, 12,001 counting 125 per block; Slack refuses a message over about 12,000 (msg_blocks_too_long). Shorten the text or split it over several messages',
		);
		// bolt-js#2867: 11,341 characters of text in rich_text, section, header and divider blocks were refused
		const many = [{ type: 'header', text: { type: 'plain_text', text: 'h' } }, { type: 'divider' }, ...Array.from({ length: 6 }, () => sec(1890))];
		expect(blocksTextLength(many)).toBe(11_341);
		expect(() => validateBlocks(many)).toThrow(/msg_blocks_too_long/);
		expect(MAX_MESSAGE_BLOCKS_TEXT).toBe(12_000);
		// a modal has no such total (its own limit is the view's size)
		expect(() => validateBlocks([sec(3000), sec(3000), sec(3000), sec(3000), sec(3000)], 'modal')).not.toThrow();
	});

	it('refuses a view over 250,000 bytes, naming the heaviest blocks to shrink', () => {
		const options = (n: number) => Array.from({ length: 100 }, (_, i) => ({ text: { type: 'plain_text', text: `${n}-${i}`.padEnd(75, 'o') }, value: `${n}-${i}`.padEnd(150, 'v') }));
		const select = (n: number) => ({ type: 'input', label: { type: 'plain_text', text: `Pick ${n}` }, element: { type: 'static_select', action_id: `s${n}`, options: options(n) } });
		const view = (n: number) => ({ type: 'modal', title: { type: 'plain_text', text: 'Big' }, submit: { type: 'plain_text', text: 'Save' }, blocks: [sec(10), ...Array.from({ length: n }, (_, i) => select(i))] });
		expect(() => parseModalView(view(3))).not.toThrow();
		const big = view(12);
		expect(new TextEncoder().encode(JSON.stringify(big)).length).toBeGreaterThan(MAX_VIEW_BYTES);
		let err: Error | undefined;
		try {
			parseModalView(big);
		} catch (e) {
			err = e as Error;
		}
		expect(err).toBeInstanceOf(BlockKitError);
		expect(err!.message).toMatch(/^View is [\d,]+ bytes; Slack refuses a view over 250,000 bytes \(view_too_large\)\. Shrink the largest blocks: block \d+ \(input, [\d,]+ bytes\), block \d+ \(input, [\d,]+ bytes\), block \d+ \(input, [\d,]+ bytes\), e\.g\. fewer select options or shorter texts$/);
	});

	it('remedies name what to do for msg_blocks_too_long, view_too_large and invalid_channel', () => {
		expect(slackRemedy('msg_blocks_too_long').fix).toMatch(/split the content over several messages/);
		expect(slackRemedy('view_too_large').fix).toMatch(/fewer select options/);
		expect(slackRemedy('invalid_channel', { channel: '#gone' }).summary).toBe('channel #gone does not exist or the bot cannot see it');
	});
});
