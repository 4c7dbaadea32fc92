import { routeToChannel, ruleMatches, eventTypeOf, listIdsOf, attributeOf, parseChannelRef, type RouteRule } from '../../../../nodes/shared/slack/routing';

const rules: RouteRule[] = [
	{ kind: 'eventType', value: 'new_subscriber, list_addition', channel: '#marketing' },
	{ kind: 'eventType', value: 'order_placed', channel: '#sales', template: 'order_alert' },
	{ kind: 'listId', value: '7, 12', channel: '#vip' },
	{ kind: 'attribute', attribute: 'SEGMENT', operator: 'equals', value: 'enterprise', channel: '#enterprise' },
	{ kind: 'attribute', attribute: 'order.total', operator: 'greaterThan', value: '1000', channel: '#big-orders' },
];

describe('routeToChannel', () => {
	it('routes by event type in any spelling (snake, camel, case)', () => {
		expect(routeToChannel({ event: 'list_addition', email: 'a@b.c' }, rules, '#alerts')).toEqual([{ channel: '#marketing', rule: 0 }]);
		expect(routeToChannel({ eventType: 'listAddition' }, rules, '#alerts')[0].channel).toBe('#marketing');
		expect(routeToChannel({ type: 'ORDER_PLACED' }, rules)[0]).toEqual({ channel: '#sales', rule: 1, template: 'order_alert' });
	});
	it('routes by Brevo list membership (webhook list_id, contact.listIds; a comma list that names none falls back)', () => {
		expect(routeToChannel({ event: 'x', list_id: [3, 12] }, rules)[0].channel).toBe('#vip');
		expect(routeToChannel({ contact: { listIds: [7] } }, rules)[0].channel).toBe('#vip');
		expect(routeToChannel({ listIds: '1,2' }, rules, '#alerts')[0].channel).toBe('#alerts');
	});
	it('routes by attribute, case-insensitive names and values, nested paths and numbers', () => {
		expect(routeToChannel({ attributes: { segment: 'Enterprise' } }, rules)[0].channel).toBe('#enterprise');
		expect(routeToChannel({ contact: { attributes: { SEGMENT: 'enterprise' } } }, rules)[0].channel).toBe('#enterprise');
		expect(routeToChannel({ order: { total: 1500 } }, rules)[0].channel).toBe('#big-orders');
		expect(routeToChannel({ order: { total: '999' } }, rules, '#d')[0].channel).toBe('#d');
	});
	it('first match vs all matches (each channel once)', () => {
		const item = { event: 'order_placed', list_id: [7], attributes: { SEGMENT: 'enterprise' }, order: { total: 5000 } };
		expect(routeToChannel(item, rules, '#alerts', 'first').map((m) => m.channel)).toEqual(['#sales']);
		expect(routeToChannel(item, rules, '#alerts', 'all').map((m) => m.channel)).toEqual(['#sales', '#vip', '#enterprise', '#big-orders']);
		const dup: RouteRule[] = [
			{ kind: 'eventType', value: 'a', channel: '#x' },
			{ kind: 'eventType', value: 'a', channel: 'X' },
		];
		expect(routeToChannel({ event: 'a' }, dup, undefined, 'all')).toHaveLength(1);
	});
	it('default channel when nothing matches, nothing without a default', () => {
		expect(routeToChannel({ event: 'other' }, rules, ' #alerts ')).toEqual([{ channel: '#alerts', rule: -1 }]);
		expect(routeToChannel({ event: 'other' }, rules, '')).toEqual([]);
		expect(routeToChannel({}, [], undefined)).toEqual([]);
	});
	it('operators', () => {
		const r = (operator: RouteRule['operator'], value: string): RouteRule => ({ kind: 'attribute', attribute: 'PLAN', operator, value, channel: 'c' });
		expect(ruleMatches({ attributes: { PLAN: 'Pro yearly' } }, r('contains', 'pro'))).toBe(true);
		expect(ruleMatches({ attributes: { PLAN: 'Pro yearly' } }, r('startsWith', 'pro '))).toBe(true);
		expect(ruleMatches({ attributes: { PLAN: 'free' } }, r('notEquals', 'pro'))).toBe(true);
		expect(ruleMatches({}, r('notEquals', 'pro'))).toBe(true);
		expect(ruleMatches({}, r('exists', ''))).toBe(false);
		expect(ruleMatches({ PLAN: 'x' }, r('exists', ''))).toBe(true);
		expect(ruleMatches({ attributes: { PLAN: 3 } }, r('lessThan', '5'))).toBe(true);
		expect(ruleMatches({ attributes: { PLAN: 'abc' } }, r('lessThan', '5'))).toBe(false);
		expect(ruleMatches({ attributes: { PLAN: ['a', 'b'] } }, r('equals', 'B'))).toBe(true);
	});
});

describe('readers', () => {
	it('eventTypeOf finds Brevo, Conversations and normalised shapes', () => {
		expect(eventTypeOf({ event: 'unsubscribed' })).toBe('unsubscribed');
		expect(eventTypeOf({ eventName: 'conversationStarted' })).toBe('conversationStarted');
		expect(eventTypeOf({ body: { event: 'click' } })).toBe('click');
		expect(eventTypeOf({})).toBeUndefined();
	});
	it('listIdsOf and attributeOf', () => {
		expect(listIdsOf({ list_id: [1, 2], listIds: [2, 3], lists: [{ id: 9 }] }).sort()).toEqual(['1', '2', '3', '9']);
		expect(attributeOf({ contact_properties: { Plan: 'x' } }, 'PLAN')).toBe('x');
		expect(attributeOf({ a: { b: 1 } }, 'a.b')).toBe(1);
		expect(attributeOf({}, '')).toBeUndefined();
	});
	it('parseChannelRef', () => {
		expect(parseChannelRef('#Marketing')).toEqual({ kind: 'name', name: 'marketing' });
		expect(parseChannelRef('sales')).toEqual({ kind: 'name', name: 'sales' });
		expect(parseChannelRef('C0123ABCD')).toEqual({ kind: 'id', id: 'C0123ABCD' });
		expect(parseChannelRef('<#C0123ABCD|sales>')).toEqual({ kind: 'id', id: 'C0123ABCD' });
		expect(parseChannelRef('https://acme.slack.com/archives/C0123ABCD/p1700000000000100')).toEqual({ kind: 'id', id: 'C0123ABCD' });
	});
});
