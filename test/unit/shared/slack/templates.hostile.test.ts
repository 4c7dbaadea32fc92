/**
 * Hostile input through every template: Brevo event data (much of it typed by shop visitors) carrying Slack control
 * sequences must never become a mention, a broadcast or a link, except the links the templates build themselves
 * through the link builder. Each case asserts the exact text Slack would receive.
 */
import {
	TEMPLATE_NAMES,
	campaignPreview,
	contactPreview,
	digestMessages,
	digestParent,
	escapeMrkdwn,
	mrkdwnLink,
	mrkdwnText,
	plainText,
	renderTemplate,
	safeLinkUrl,
	unescapeMrkdwn,
	type RenderedMessage,
} from '../../../../nodes/shared/slack/templates';
import { validateBlocks, type Block } from '../../../../nodes/shared/slack/blocks';

/** Every control sequence Slack parses in mrkdwn, in one string. */
const HOSTILE = '<!channel> <!here> <!everyone> <@U0ADMIN> <#C0GENERAL> <!subteam^S0ALL> <!date^1700000000^{date}|x> <https://evil.example|click me>';
const HOSTILE_ESCAPED =
	'&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U0ADMIN&gt; &lt;#C0GENERAL&gt; &lt;!subteam^S0ALL&gt; &lt;!date^1700000000^{date}|x&gt; &lt;https://evil.example|click me&gt;';

// --- the scanner --------------------------------------------------------------------------------------------------

/** Every mrkdwn text object in the blocks, at any depth (section text and fields, context elements, ...). */
function mrkdwnObjects(node: unknown, out: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
	if (Array.isArray(node)) for (const n of node) mrkdwnObjects(n, out);
	else if (node && typeof node === 'object') {
		const o = node as Record<string, unknown>;
		if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o);
		for (const v of Object.values(o)) if (v && typeof v === 'object') mrkdwnObjects(v, out);
	}
	return out;
}

/** Every plain_text text object in the blocks. */
function plainObjects(node: unknown, out: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
	if (Array.isArray(node)) for (const n of node) plainObjects(n, out);
	else if (node && typeof node === 'object') {
		const o = node as Record<string, unknown>;
		if (o.type === 'plain_text' && typeof o.text === 'string') out.push(o);
		for (const v of Object.values(o)) if (v && typeof v === 'object') plainObjects(v, out);
	}
	return out;
}

/**
 * What Slack would parse as a control sequence in a message: every `<...>` (closed or not) in the top-level `text`
 * (mrkdwn) and in every mrkdwn text object. Mentions (`<!…>`, `<@…>`, `<#…>`) are always reported; links only when
 * their URL is not one the test expects. Data-bearing mrkdwn objects must also be `verbatim` (no auto-linking);
 * `authorTexts` are the workflow author's own mrkdwn (the `note` option), exempt from both.
 */
function controlSequences(m: { text?: string; blocks: unknown[] }, o: { links?: string[]; authorTexts?: string[] } = {}): string[] {
	const problems: string[] = [];
	const objects = mrkdwnObjects(m.blocks).filter((t) => !(o.authorTexts ?? []).includes(t.text as string));
	for (const t of objects) if (t.verbatim !== true) problems.push(`not verbatim: ${String(t.text)}`);
	const texts = [...objects.map((t) => t.text as string), ...(m.text !== undefined ? [m.text] : [])];
	for (const t of texts) {
		for (const match of t.matchAll(/<([^>]*)(>?)/g)) {
			const inner = match[1];
			if (match[2] === '') problems.push(`unclosed: ${match[0]}`);
			else if (/^[!@#]/.test(inner)) problems.push(`mention: ${match[0]}`);
			else {
				const url = inner.split('|')[0].replace(/&amp;/g, '&');
				if (!(o.links ?? []).includes(url)) problems.push(`link: ${match[0]}`);
			}
		}
	}
	return problems;
}

const mrkdwnTexts = (m: { blocks: unknown[] }) => mrkdwnObjects(m.blocks).map((t) => t.text as string);
const fieldText = (m: RenderedMessage, label: string) => mrkdwnTexts(m).find((t) => t.startsWith(`*${label}*\n`));
const sectionTexts = (m: RenderedMessage) => m.blocks.filter((b) => b.type === 'section' && b.text).map((b) => (b.text as { text: string }).text);
const headerText = (m: RenderedMessage) => ((m.blocks[0] as Block).text as { text: string }).text;
const contextText = (m: RenderedMessage) => mrkdwnTexts({ blocks: m.blocks.filter((b) => b.type === 'context') })[0];

/** Renders, validates against Slack's limits, and asserts the scanner finds nothing. */
function render(name: (typeof TEMPLATE_NAMES)[number] | 'auto', item: Record<string, unknown>, links: string[] = [], o = {}): RenderedMessage {
	const m = renderTemplate(name, item, o);
	validateBlocks(m.blocks, 'message', m.text);
	expect(controlSequences(m, { links })).toEqual([]);
	return m;
}

describe('the scanner itself', () => {
	it('reports mentions, unexpected links, unclosed sequences and non-verbatim text', () => {
		const blocks = [
			{ type: 'section', text: { type: 'mrkdwn', text: 'hi <!channel>', verbatim: true } },
			{ type: 'section', fields: [{ type: 'mrkdwn', text: '<https://ok.example/|fine> <https://evil.example|x>', verbatim: true }] },
			{ type: 'context', elements: [{ type: 'mrkdwn', text: 'cut <@U1' }] },
		];
		expect(controlSequences({ text: '<#C1>', blocks }, { links: ['https://ok.example/'] })).toEqual([
			'not verbatim: cut <@U1',
			'mention: <!channel>',
			'link: <https://evil.example|x>',
			'unclosed: <@U1',
			'mention: <#C1>',
		]);
	});
});

// --- subscriber_alert ---------------------------------------------------------------------------------------------

describe('subscriber_alert', () => {
	it('contact name: escaped in the section, the Name field and the top-level text', () => {
		const m = render('subscriber_alert', { email: 'a@b.c', attributes: { FIRSTNAME: HOSTILE } });
		expect(sectionTexts(m)[0]).toBe(`*${HOSTILE_ESCAPED} (a@b.c)* subscribed.`);
		expect(fieldText(m, 'Name')).toBe(`*Name*\n${HOSTILE_ESCAPED}`);
		expect(m.text).toBe(`New subscriber: ${HOSTILE_ESCAPED} (a@b.c)`);
	});
	it('email address', () => {
		const m = render('subscriber_alert', { email: '<!here>@x.io' });
		expect(fieldText(m, 'Email')).toBe('*Email*\n&lt;!here&gt;@x.io');
		expect(m.text).toBe('New subscriber: &lt;!here&gt;@x.io');
	});
	it('list names', () => {
		const m = render('subscriber_alert', { email: 'a@b.c', listNames: ['VIP', '<!everyone>'] });
		expect(sectionTexts(m)[0]).toBe('*a@b.c* subscribed to list VIP, &lt;!everyone&gt;.');
		expect(fieldText(m, 'List')).toBe('*List*\nVIP, &lt;!everyone&gt;');
		expect(m.text).toBe('New subscriber: a@b.c joined list VIP, &lt;!everyone&gt;');
	});
	it('list ids that are not ids', () => {
		const m = render('subscriber_alert', { email: 'a@b.c', list_id: ['<@U0ADMIN>', 7] });
		expect(fieldText(m, 'Lists')).toBe('*Lists*\n&lt;@U0ADMIN&gt;, 7');
		expect(m.text).toBe('New subscriber: a@b.c joined list &lt;@U0ADMIN&gt;, 7');
	});
	it('source (form name)', () => {
		const m = render('subscriber_alert', { email: 'a@b.c', source: '<https://evil.example|Official form>' });
		expect(fieldText(m, 'Source')).toBe('*Source*\n&lt;https://evil.example|Official form&gt;');
	});
	it('event date given as text', () => {
		const m = render('subscriber_alert', { email: 'a@b.c', occurredAt: '<!date^1700000000^{date}|today>' });
		expect(contextText(m)).toBe('Brevo · &lt;!date^1700000000^{date}|today&gt;');
	});
	it('line breaks and controls in a name cannot forge further fields or lines', () => {
		const m = render('subscriber_alert', { email: 'a@b.c', name: 'Jane\n*Amount*\r\n$0\u0000\u202eevil' });
		expect(fieldText(m, 'Name')).toBe('*Name*\nJane *Amount* $0 evil');
		expect(m.text).toBe('New subscriber: Jane *Amount* $0 evil (a@b.c)');
	});
});

// --- order_alert --------------------------------------------------------------------------------------------------

describe('order_alert', () => {
	it('order id', () => {
		const m = render('order_alert', { email: 'b@shop.io', order: { id: '<!channel> ORD-1', amount: 10, currency: 'EUR' } });
		expect(fieldText(m, 'Order')).toBe('*Order*\n&lt;!channel&gt; ORD-1');
		expect(m.text).toBe('New order &lt;!channel&gt; ORD-1 from b@shop.io: €10.00');
	});
	it('product names', () => {
		const m = render('order_alert', { email: 'b@shop.io', amount: 10, products: [{ name: HOSTILE, price: 10 }] });
		expect(sectionTexts(m).find((t) => t.startsWith('*Products*'))).toBe(`*Products*\n• ${HOSTILE_ESCAPED} — 10`);
		// the top-level text lists names cut to 100 characters before escaping, so no entity is cut in half
		expect(m.text).toBe(`New order from b@shop.io: 10: ${escapeMrkdwn(HOSTILE.slice(0, 99))}…`);
	});
	it('a product price that is not an amount', () => {
		const m = render('order_alert', { email: 'b@shop.io', amount: 5, products: [{ name: 'Mug', quantity: 2, price: '<!everyone> free|<https://evil.example>' }] });
		expect(sectionTexts(m).find((t) => t.startsWith('*Products*'))).toBe('*Products*\n• 2 × Mug — &lt;!everyone&gt; free|&lt;https://evil.example&gt;');
	});
	it('an order amount that is not an amount', () => {
		const m = render('order_alert', { email: 'b@shop.io', amount: '<!here> 1000' });
		expect(fieldText(m, 'Amount')).toBe('*Amount*\n&lt;!here&gt; 1000');
		expect(m.text).toBe('New order from b@shop.io: &lt;!here&gt; 1000');
	});
	it('a currency that is not a currency code is not shown', () => {
		const m = render('order_alert', { email: 'b@shop.io', amount: 12.5, currency: '<!channel>' });
		expect(fieldText(m, 'Amount')).toBe('*Amount*\n12.5');
		expect(JSON.stringify(m)).not.toContain('channel');
	});
	it('customer name and email in the Customer field', () => {
		const m = render('order_alert', { email: 'x@y.z', customer: { name: '<@U0ADMIN>' }, amount: 1 });
		expect(fieldText(m, 'Customer')).toBe('*Customer*\n&lt;@U0ADMIN&gt; (x@y.z)');
	});
});

// --- cart_alert ---------------------------------------------------------------------------------------------------

describe('cart_alert', () => {
	const cart = (url: unknown, extra: Record<string, unknown> = {}) => ({ event: 'cart_abandoned', email: 'c@x.io', cart: { id: 'cart-1', total: 80, currency: 'USD', url, ...extra } });
	it('a cart URL with "|" cannot break out of the link (the review finding)', () => {
		const m = render('cart_alert', cart('https://shop.example/cart|<!channel> pay here'), ['https://shop.example/cart%7C%3C!channel%3E%20pay%20here']);
		expect(fieldText(m, 'Checkout link')).toBe('*Checkout link*\n<https://shop.example/cart%7C%3C!channel%3E%20pay%20here|open cart>');
	});
	it('a cart URL with ">" cannot close the link early', () => {
		const m = render('cart_alert', cart('https://shop.example/c>x <!here>'), ['https://shop.example/c%3Ex%20%3C!here%3E']);
		expect(fieldText(m, 'Checkout link')).toBe('*Checkout link*\n<https://shop.example/c%3Ex%20%3C!here%3E|open cart>');
	});
	it('"|" and "<>" in the query and fragment are encoded, "&" is entity-escaped', () => {
		const m = render('cart_alert', cart('https://shop.example/cart?id=1&t=<x>|y#a|<!here>'), ['https://shop.example/cart?id=1&t=%3Cx%3E%7Cy#a%7C%3C!here%3E']);
		expect(fieldText(m, 'Checkout link')).toBe('*Checkout link*\n<https://shop.example/cart?id=1&amp;t=%3Cx%3E%7Cy#a%7C%3C!here%3E|open cart>');
	});
	it('javascript: URLs are not linked', () => {
		const m = render('cart_alert', cart('javascript:alert(document.cookie)//https://shop.example'));
		expect(fieldText(m, 'Checkout link')).toBeUndefined();
		expect(JSON.stringify(m)).not.toContain('javascript');
	});
	it('data: URLs are not linked', () => {
		const m = render('cart_alert', cart('data:text/html,<script>alert(1)</script>'));
		expect(fieldText(m, 'Checkout link')).toBeUndefined();
	});
	it('a scheme hidden by whitespace and case is still refused; spaces in an http URL are encoded', () => {
		expect(fieldText(render('cart_alert', cart(' \tJaVa\nScRiPt:alert(1)')), 'Checkout link')).toBeUndefined();
		const m = render('cart_alert', cart('  https://shop.example/my cart  '), ['https://shop.example/my%20cart']);
		expect(fieldText(m, 'Checkout link')).toBe('*Checkout link*\n<https://shop.example/my%20cart|open cart>');
	});
	it('URLs with user info (host spoofing) are not linked', () => {
		const m = render('cart_alert', cart('https://shop.example@evil.example/cart'));
		expect(fieldText(m, 'Checkout link')).toBeUndefined();
	});
	it('cart id, idle minutes and a total that is not an amount', () => {
		const m = render('cart_alert', { email: 'c@x.io', cart_id: '<#C0GENERAL>', total: '<!here>', abandoned_minutes: '<!channel>' });
		expect(fieldText(m, 'Cart')).toBe('*Cart*\n&lt;#C0GENERAL&gt;');
		expect(sectionTexts(m)[0]).toBe('*c@x.io* left a cart worth *&lt;!here&gt;* (idle &lt;!channel&gt; min). Follow up?');
		expect(m.text).toBe('Cart abandoned by c@x.io: &lt;!here&gt;');
	});
	it('product names and prices in the cart', () => {
		const m = render('cart_alert', cart('https://shop.example/c', { items: [{ name: '<!everyone>', price: 'gratis <@U1>' }] }), ['https://shop.example/c']);
		expect(sectionTexts(m).find((t) => t.startsWith('*Products*'))).toBe('*Products*\n• &lt;!everyone&gt; — gratis &lt;@U1&gt;');
	});
});

// --- ticket_alert -------------------------------------------------------------------------------------------------

describe('ticket_alert', () => {
	it('the visitor\'s message: every line quoted and escaped, no forged unquoted line', () => {
		const m = render('ticket_alert', { eventName: 'conversationStarted', conversationId: 'c1', visitor: { email: 'v@x.io' }, message: { text: 'hi\n<!channel> urgent\r\n*fake field*' } });
		expect(sectionTexts(m)[0]).toBe('*Conversation started*\n>hi\n>&lt;!channel&gt; urgent\n>*fake field*');
		expect(m.text).toBe('New ticket c1 from v@x.io: hi &lt;!channel&gt; urgent *fake field*');
	});
	it('subject', () => {
		const m = render('ticket_alert', { ticket_id: 't1', email: 'v@x.io', subject: HOSTILE });
		expect(sectionTexts(m)[0]).toBe(`*${HOSTILE_ESCAPED}*`);
		expect(m.text).toBe(`New ticket t1 from v@x.io: ${HOSTILE_ESCAPED}`);
	});
	it('ticket id, priority and status', () => {
		const m = render('ticket_alert', { ticket_id: '<!here>', priority: '<@U0ADMIN>', status: '<#C0GENERAL>', email: 'v@x.io' });
		expect(fieldText(m, 'Ticket')).toBe('*Ticket*\n&lt;!here&gt;');
		expect(fieldText(m, 'Priority')).toBe('*Priority*\n&lt;@U0ADMIN&gt;');
		expect(fieldText(m, 'Status')).toBe('*Status*\n&lt;#C0GENERAL&gt;');
	});
	it('the start page is shown as text (verbatim: not auto-linked), never as a link', () => {
		const m = render('ticket_alert', { ticket_id: 't1', email: 'v@x.io', startPage: 'https://evil.example/|<!channel>' });
		expect(fieldText(m, 'Page')).toBe('*Page*\nhttps://evil.example/|&lt;!channel&gt;');
	});
	it('a message of 1,500 "<" (escaping quadruples it) is cut at Slack\'s 3,000 without half an entity', () => {
		const m = render('ticket_alert', { ticket_id: 't1', email: 'v@x.io', message: '<'.repeat(1500) });
		const text = sectionTexts(m)[0];
		expect(text.length).toBeLessThanOrEqual(3000);
		expect(text).toMatch(/^\*Conversation started\*\n>(&lt;)+…$/);
	});
	it('the visitor\'s display name', () => {
		const m = render('ticket_alert', { conversationId: 'c1', visitor: { displayedName: '<!everyone> Support Team' } });
		expect(fieldText(m, 'From')).toBe('*From*\n&lt;!everyone&gt; Support Team');
	});
});

// --- unsubscribe_alert --------------------------------------------------------------------------------------------

describe('unsubscribe_alert', () => {
	it('campaign name', () => {
		const m = render('unsubscribe_alert', { email: 'u@x.io', 'campaign name': '<!channel> Spring' });
		expect(sectionTexts(m)[0]).toBe('*u@x.io* unsubscribed after *&lt;!channel&gt; Spring*.');
		expect(fieldText(m, 'Campaign')).toBe('*Campaign*\n&lt;!channel&gt; Spring');
		expect(m.text).toBe('Unsubscribed: u@x.io (campaign &lt;!channel&gt; Spring)');
	});
	it('campaign id without a name', () => {
		const m = render('unsubscribe_alert', { email: 'u@x.io', camp_id: '<!here>' });
		expect(fieldText(m, 'Campaign')).toBe('*Campaign*\n#&lt;!here&gt;');
	});
	it('reason and list ids', () => {
		const m = render('unsubscribe_alert', { email: 'u@x.io', reason: '<https://evil.example|unsubscribe all>', list_id: ['<!everyone>', '3'] });
		expect(fieldText(m, 'Reason')).toBe('*Reason*\n&lt;https://evil.example|unsubscribe all&gt;');
		expect(fieldText(m, 'Lists')).toBe('*Lists*\n&lt;!everyone&gt;, 3');
	});
});

// --- campaign_summary ---------------------------------------------------------------------------------------------

describe('campaign_summary', () => {
	it('campaign name: as is in the plain_text header (not a mention there), escaped in the top-level text', () => {
		const m = render('campaign_summary', { campaign: { id: 31, name: '<!channel> Black Friday' } });
		expect(m.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: ':mailbox_with_mail: Campaign sent: <!channel> Black Friday', emoji: true } });
		expect(m.text).toBe('Campaign sent: &lt;!channel&gt; Black Friday');
	});
	it('subject, sent date and an id that is not a number', () => {
		const m = render('campaign_summary', { campaign: { id: '<!here>', subject: '<@U0ADMIN> deals', sentDate: '<!date^1^{date}|now>' } });
		expect(sectionTexts(m)[0]).toBe('*Subject:* &lt;@U0ADMIN&gt; deals');
		expect(contextText(m)).toBe('Sent &lt;!date^1^{date}|now&gt; · campaign #&lt;!here&gt;');
		expect(headerText(m)).toBe(':mailbox_with_mail: Campaign sent: #<!here>');
		expect(m.text).toBe('Campaign sent: #&lt;!here&gt;');
		// a non-numeric id never reaches the button URL
		expect((m.blocks.find((b) => b.type === 'actions') as any).elements[0].url).toBe('https://app.brevo.com/camp/listing');
	});
	it('a very long hostile name stays within the header limit, on one line', () => {
		const m = render('campaign_summary', { campaign: { id: 1, name: `${'<!channel>\n'.repeat(40)}` } });
		expect(headerText(m).length).toBeLessThanOrEqual(150);
		expect(headerText(m)).not.toContain('\n');
	});
});

// --- generic_event ------------------------------------------------------------------------------------------------

describe('generic_event', () => {
	it('event type: plain_text header as is, escaped in the top-level text', () => {
		const m = render('generic_event', { event: '<!channel>', email: 'x@y.z' });
		expect(headerText(m)).toBe('Brevo: <!channel>');
		expect(m.text).toBe('Brevo &lt;!channel&gt;: x@y.z');
	});
	it('field names and values', () => {
		const m = render('generic_event', { event: 'hard_bounce', '<!here>': '<@U0ADMIN>', note: 'see <https://evil.example|here>' });
		expect(fieldText(m, '&lt;!here&gt;')).toBe('*&lt;!here&gt;*\n&lt;@U0ADMIN&gt;');
		expect(fieldText(m, 'note')).toBe('*note*\nsee &lt;https://evil.example|here&gt;');
	});
	it('a timestamp too large for a date is shown as given instead of throwing', () => {
		const m = render('subscriber_alert', { email: 'a@b.c', ts: 1e300 });
		expect(contextText(m)).toBe('Brevo · 1e+300');
	});
});

// --- every template, every field at once --------------------------------------------------------------------------

describe('every template with control sequences in every field it shows', () => {
	const everything: Record<string, unknown> = {
		event: HOSTILE,
		email: HOSTILE,
		name: HOSTILE,
		attributes: { FIRSTNAME: HOSTILE, LASTNAME: HOSTILE },
		contact_id: HOSTILE,
		list_id: [HOSTILE, 4],
		listNames: [HOSTILE],
		source: HOSTILE,
		occurredAt: HOSTILE,
		order: { id: HOSTILE, amount: HOSTILE, currency: HOSTILE, products: [{ name: HOSTILE, quantity: HOSTILE, price: HOSTILE }] },
		cart: { id: HOSTILE, total: HOSTILE, url: `https://shop.example/${HOSTILE}` },
		abandoned_minutes: HOSTILE,
		ticket_id: HOSTILE,
		subject: HOSTILE,
		message: { text: `${HOSTILE}\n${HOSTILE}` },
		priority: HOSTILE,
		status: HOSTILE,
		startPage: HOSTILE,
		'campaign name': HOSTILE,
		camp_id: HOSTILE,
		reason: HOSTILE,
		campaign: { id: HOSTILE, name: HOSTILE, subject: HOSTILE, sentDate: HOSTILE, statistics: { globalStats: { sent: 1 } } },
	};
	const cartLink = safeLinkUrl(`https://shop.example/${HOSTILE}`) as string;
	for (const name of TEMPLATE_NAMES) {
		it(`${name}: no mention, no broadcast, no link but the cart link, valid blocks`, () => {
			const m = render(name, everything, [cartLink]);
			expect(JSON.stringify(m)).toContain('&lt;!channel&gt;');
			// every `<` / `>` left in mrkdwn is the cart link or a quote marker at a line start
			for (const t of [m.text, ...mrkdwnTexts(m)]) expect(t.replace(/<https:\/\/shop\.example\/[^|>]*\|open cart>/g, '').replace(/^>/gm, '')).not.toMatch(/[<>]/);
		});
	}
	it('plain_text objects are left as written (no entities) and within Slack limits', () => {
		for (const name of TEMPLATE_NAMES) {
			const m = renderTemplate(name, everything);
			for (const p of plainObjects(m.blocks)) {
				expect(p.text).not.toMatch(/&(amp|lt|gt);/);
				expect(p.text).not.toContain('\n');
			}
		}
	});
});

// --- the workflow author's own parameters -------------------------------------------------------------------------

describe("the author's template options", () => {
	it('note is the author\'s mrkdwn: its mention is kept (not verbatim), while data in the same message stays escaped', () => {
		const note = 'cc <!subteam^S1> and <@U0ONCALL>';
		const m = renderTemplate('subscriber_alert', { email: '<!channel>@x.io' }, { note });
		expect(m.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: note } });
		expect(controlSequences(m, { authorTexts: [note] })).toEqual([]);
		expect(sectionTexts(m)[1]).toBe('*&lt;!channel&gt;@x.io* subscribed.');
	});
	it('title is plain_text, one line', () => {
		const m = renderTemplate('order_alert', { amount: 1 }, { title: 'Big\norder <!here>' });
		expect(headerText(m)).toBe('Big order <!here>');
	});
});

// --- the link builder ---------------------------------------------------------------------------------------------

describe('link builder', () => {
	it('safeLinkUrl: http(s) only, re-serialised, "|", "<", ">", quotes and whitespace encoded', () => {
		expect(safeLinkUrl('https://shop.example/cart/9')).toBe('https://shop.example/cart/9');
		expect(safeLinkUrl('HTTPS://Shop.Example:443/x')).toBe('https://shop.example/x');
		expect(safeLinkUrl('http://shop.example/a|b')).toBe('http://shop.example/a%7Cb');
		expect(safeLinkUrl('https://shop.example/?q="x"\'y\'`z`')).toBe('https://shop.example/?q=%22x%22%27y%27%60z%60');
		expect(safeLinkUrl('https://shop.example/ä ö')).toBe('https://shop.example/%C3%A4%20%C3%B6');
		expect(safeLinkUrl('https://bücher.example/')).toBe('https://xn--bcher-kva.example/');
	});
	it('safeLinkUrl refuses other schemes, relative, unparsable, credentialed and over-long URLs', () => {
		for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', 'ftp://shop.example/', 'mailto:a@b.c', 'slack://open', '//evil.example/x', '/cart/1', 'not a url', '', '   ', 'https://user:pw@shop.example/', `https://shop.example/${'a'.repeat(3000)}`]) {
			expect([bad, safeLinkUrl(bad)]).toEqual([bad, undefined]);
		}
		for (const notString of [undefined, null, 42, { href: 'https://x.example' }, ['https://x.example']]) expect(safeLinkUrl(notString)).toBeUndefined();
	});
	it('mrkdwnLink: escaped label, "&" in the URL as an entity, undefined for a refused URL', () => {
		expect(mrkdwnLink('https://shop.example/?a=1&b=2', '<!channel> & co|x')).toBe('<https://shop.example/?a=1&amp;b=2|&lt;!channel&gt; &amp; co|x>');
		expect(mrkdwnLink('javascript:alert(1)', 'open')).toBeUndefined();
		expect(mrkdwnLink('https://shop.example/', '\n')).toBe('<https://shop.example/|https://shop.example/>');
	});
	it('escape helpers: mrkdwn entities, one line, plain_text untouched', () => {
		expect(escapeMrkdwn('<!here> & <@U1>')).toBe('&lt;!here&gt; &amp; &lt;@U1&gt;');
		expect(unescapeMrkdwn(escapeMrkdwn('a &lt; <b> & c'))).toBe('a &lt; <b> & c');
		expect(mrkdwnText('a\nb\t<c>', 500)).toBe('a b &lt;c&gt;');
		expect(mrkdwnText('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
		expect(plainText('<!channel>\n&amp;', 150)).toBe('<!channel> &amp;');
	});
});

// --- digests and unfurl previews ----------------------------------------------------------------------------------

describe('digest', () => {
	it('entries: template text escaped exactly once, hostile view URLs not linked', () => {
		const order = renderTemplate('order_alert', { email: 'b@shop.io', amount: 1, products: [{ name: '<!channel> & co' }] });
		const msgs = digestMessages([
			{ text: order.text, url: 'https://app.brevo.com/contact/index/1', kind: 'order_alert' },
			{ text: 'raw <!here> text', url: 'javascript:alert(1)', kind: 'generic_event' },
			{ text: 'x', url: 'https://app.brevo.com/x|<!channel>', kind: 'generic_event' },
		]);
		expect(msgs).toHaveLength(1);
		const lines = (msgs[0].blocks[2].text as { text: string }).text.split('\n');
		expect(lines).toEqual([
			'• New order from b@shop.io: 1: &lt;!channel&gt; &amp; co <https://app.brevo.com/contact/index/1|View in Brevo>',
			'• raw &lt;!here&gt; text',
			'• x <https://app.brevo.com/x%7C%3C!channel%3E|View in Brevo>',
		]);
		expect(controlSequences(msgs[0], { links: ['https://app.brevo.com/contact/index/1', 'https://app.brevo.com/x%7C%3C!channel%3E'] })).toEqual([]);
	});
	it('summary with an unknown kind', () => {
		const p = digestParent([{ text: 'a', kind: '<!channel>' }]);
		expect(p.text).toBe('1 Brevo notification: 1 &lt;!channel&gt;');
		expect(controlSequences(p)).toEqual([]);
	});
});

describe('unfurl previews', () => {
	it('contact preview: name and email escaped, the link built from the parsed app URL', () => {
		const blocks = contactPreview({ id: 42, email: '<!here>@x.io', attributes: { FIRSTNAME: '<!channel>|<https://evil.example>' }, createdAt: '<@U1>' });
		validateBlocks(blocks);
		expect((blocks[0].text as { text: string }).text).toBe('*<https://app.brevo.com/contact/index/42|&lt;!channel&gt;|&lt;https://evil.example&gt;>*\n&lt;!here&gt;@x.io');
		expect(controlSequences({ blocks }, { links: ['https://app.brevo.com/contact/index/42'] })).toEqual([]);
	});
	it('campaign preview: name, subject, status, date escaped; an unusable app URL gives the label only', () => {
		const blocks = campaignPreview({ id: 7, name: '<!everyone>', subject: '<#C1>', status: '<!here>', sentDate: '<@U1>' }, { brevoAppUrl: 'javascript:alert(1)//' });
		validateBlocks(blocks);
		expect((blocks[0].text as { text: string }).text).toBe('*&lt;!everyone&gt;*\n&lt;#C1&gt;');
		expect(mrkdwnTexts({ blocks })).toContain('*Status*\n&lt;!here&gt;');
		expect(controlSequences({ blocks })).toEqual([]);
	});
});
