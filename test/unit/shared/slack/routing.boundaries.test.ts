/**
 * Boundaries of notification routing (mutation testing, issue 18): every place a value is read from and in which
 * order, each operator at its edge, rules that cannot match, and channel references one character off.
 */
import {
	attributeOf,
	eventTypeOf,
	listIdsOf,
	normaliseEventName,
	parseChannelRef,
	routeToChannel,
	ruleMatches,
	type RouteRule,
} from '../../../../nodes/shared/slack/routing';

describe('eventTypeOf: every place, in order', () => {
	it.each([
		[{ eventType: 'a' }, 'a'],
		[{ event_type: 'a' }, 'a'],
		[{ event: 'a' }, 'a'],
		[{ eventName: 'a' }, 'a'],
		[{ event_name: 'a' }, 'a'],
		[{ type: 'a' }, 'a'],
		[{ body: { event: 'a' } }, 'a'],
		[{ raw: { event: 'a' } }, 'a'],
	])('reads %p', (item, type) => {
		expect(eventTypeOf(item)).toBe(type);
	});

	it('prefers the normalised field, and skips empty or non-text values', () => {
		expect(eventTypeOf({ eventType: 'first', event: 'second', type: 'third' })).toBe('first');
		expect(eventTypeOf({ event_type: 'first', event: 'second' })).toBe('first');
		expect(eventTypeOf({ eventType: '', event: 'second' })).toBe('second');
		expect(eventTypeOf({ eventType: 5, type: 'third' })).toBe('third');
		expect(eventTypeOf({ eventType: '' })).toBeUndefined();
	});

	it('normaliseEventName removes spaces, dots, dashes and underscores, and lower-cases', () => {
		expect(normaliseEventName(' List_Addition.v-2 ')).toBe('listadditionv2');
		expect(normaliseEventName(undefined)).toBe('');
		expect(normaliseEventName(null)).toBe('');
	});
});

describe('listIdsOf: every shape', () => {
	it.each([
		[{ list_id: 1 }],
		[{ listId: '1' }],
		[{ listIds: [1] }],
		[{ list_ids: [1] }],
		[{ lists: [{ id: 1 }] }],
		[{ contact: { listIds: [1] } }],
		[{ contact: { list_ids: '1' } }],
		[{ raw: { list_id: [1] } }],
	])('reads %p', (item) => {
		expect(listIdsOf(item)).toEqual(['1']);
	});

	it('splits comma lists with spaces, drops empty entries, objects without id, null and duplicates', () => {
		expect(listIdsOf({ listIds: ' 4 , ,5,', list_id: [null, '', 4, { name: 'no id' }, { id: 6 }] })).toEqual(['4', '6', '5']);
		expect(listIdsOf({ list_id: null, listIds: '' })).toEqual([]);
	});
});

describe('attributeOf', () => {
	it.each([
		[{ attributes: { plan: 'a' } }],
		[{ contact: { attributes: { Plan: 'a' } } }],
		[{ contact_properties: { PLAN: 'a' } }],
		[{ contactProperties: { PLAN: 'a' } }],
		[{ params: { PLAN: 'a' } }],
		[{ PLAN: 'a' }],
		[{ plan: 'a' }],
	])('reads PLAN from %p (any case)', (item) => {
		expect(attributeOf(item, ' PLAN ')).toBe('a');
	});

	it('takes the first container that has the name, and skips arrays and containers without it', () => {
		expect(attributeOf({ attributes: { PLAN: 'first' }, contact: { attributes: { PLAN: 'second' } } }, 'PLAN')).toBe('first');
		expect(attributeOf({ attributes: { OTHER: 1 }, contact: { attributes: { PLAN: 'second' } } }, 'PLAN')).toBe('second');
		expect(attributeOf({ attributes: ['PLAN'], params: { PLAN: 'p' } }, 'PLAN')).toBe('p');
		expect(attributeOf({ attributes: { PLAN: 'in attributes' }, PLAN: 'top' }, 'PLAN')).toBe('in attributes');
	});

	it('falls back to a dotted path, then to a top-level key in any case, and finds nothing for a blank name', () => {
		expect(attributeOf({ order: { total: 0 } }, 'order.total')).toBe(0);
		expect(attributeOf({ Plan: 'x' }, 'plan')).toBe('x');
		expect(attributeOf({ plan: 'x' }, 'missing')).toBeUndefined();
		expect(attributeOf({ '': 'x' }, '  ')).toBeUndefined();
		expect(attributeOf({ undefined: 'x' }, undefined as never)).toBeUndefined();
	});
});

describe('ruleMatches: operators at their edges', () => {
	const r = (operator: RouteRule['operator'], value: string): RouteRule => ({ kind: 'attribute', attribute: 'N', operator, value, channel: 'c' });
	const item = (n: unknown) => ({ attributes: { N: n } });

	it('greaterThan and lessThan are strict, numeric, and false for anything not a finite number', () => {
		expect(ruleMatches(item(10), r('greaterThan', '10'))).toBe(false);
		expect(ruleMatches(item(10.001), r('greaterThan', '10'))).toBe(true);
		expect(ruleMatches(item(10), r('lessThan', '10'))).toBe(false);
		expect(ruleMatches(item(9.999), r('lessThan', '10'))).toBe(true);
		expect(ruleMatches(item('9'), r('greaterThan', '10'))).toBe(false);
		expect(ruleMatches(item(' 11 '), r('greaterThan', ' 10 '))).toBe(true);
		expect(ruleMatches(item(11), r('greaterThan', 'ten'))).toBe(false);
		expect(ruleMatches(item('Infinity'), r('greaterThan', '10'))).toBe(false);
		expect(ruleMatches(item(-1), r('lessThan', '-Infinity'))).toBe(false);
	});

	it('exists is false for undefined, null and empty text, true for 0 and false', () => {
		expect(ruleMatches(item(null), r('exists', ''))).toBe(false);
		expect(ruleMatches(item(''), r('exists', ''))).toBe(false);
		expect(ruleMatches(item(0), r('exists', ''))).toBe(true);
		expect(ruleMatches(item(false), r('exists', ''))).toBe(true);
	});

	it('a missing value matches only notEquals', () => {
		for (const op of ['equals', 'contains', 'startsWith', 'greaterThan', 'lessThan'] as const) {
			expect(ruleMatches(item(null), r(op, ''))).toBe(false);
			expect(ruleMatches({}, r(op, ''))).toBe(false);
		}
		expect(ruleMatches(item(null), r('notEquals', 'x'))).toBe(true);
	});

	it('text operators trim and ignore case on both sides', () => {
		expect(ruleMatches(item(' Pro '), r('equals', 'pro'))).toBe(true);
		expect(ruleMatches(item('Pro'), r('equals', ' PRO '))).toBe(true);
		expect(ruleMatches(item('Pro'), r('notEquals', 'PRO'))).toBe(false);
		expect(ruleMatches(item('Pro'), r('equals', 'pr'))).toBe(false);
		expect(ruleMatches(item('Pro yearly'), r('contains', 'YEAR'))).toBe(true);
		expect(ruleMatches(item('Pro yearly'), r('contains', 'monthly'))).toBe(false);
		expect(ruleMatches(item('Pro yearly'), r('startsWith', 'YEARLY'))).toBe(false);
		expect(ruleMatches(item('Pro yearly'), r('startsWith', 'PRO'))).toBe(true);
	});

	it('a list matches when any member does; notEquals only when no member equals', () => {
		expect(ruleMatches(item(['a', 'b']), r('notEquals', 'A'))).toBe(false);
		expect(ruleMatches(item(['a', 'b']), r('notEquals', 'c'))).toBe(true);
		expect(ruleMatches(item(['x1', 'y2']), r('startsWith', 'Y'))).toBe(true);
		expect(ruleMatches(item([1, 20]), r('greaterThan', '10'))).toBe(true);
		expect(ruleMatches(item([1, 2]), r('greaterThan', '10'))).toBe(false);
	});

	it('defaults to equals, reads rule fields given as numbers or lists, and matches nothing with an unknown operator or kind', () => {
		expect(ruleMatches(item('5'), { kind: 'attribute', attribute: 'N', value: 5 as never, channel: 'c' })).toBe(true);
		expect(ruleMatches(item('5'), { kind: 'attribute', attribute: 'N', value: '6', channel: 'c' })).toBe(false);
		expect(ruleMatches({ attributes: { TRUE: 'yes' } }, { kind: 'attribute', attribute: true as never, value: 'yes', channel: 'c' })).toBe(true);
		expect(ruleMatches(item('a'), r('matches' as never, 'a'))).toBe(false);
		expect(ruleMatches(item('a'), { kind: 'other' as never, value: 'a', channel: 'c' })).toBe(false);
		expect(ruleMatches(item('a'), { kind: 'attribute', attribute: { a: 1 } as never, value: 'a', channel: 'c' })).toBe(false);
	});
});

describe('ruleMatches: event types and lists', () => {
	it('an empty entry of a rule\'s event list matches no event', () => {
		const rule: RouteRule = { kind: 'eventType', value: 'opened, ,', channel: 'c' };
		expect(ruleMatches({ event: '_' }, rule)).toBe(false);
		expect(ruleMatches({ event: 'Opened' }, rule)).toBe(true);
		expect(ruleMatches({}, rule)).toBe(false);
		expect(ruleMatches({ event: 'opened' }, { kind: 'eventType', value: ['clicked', 'opened'] as never, channel: 'c' })).toBe(true);
	});

	it('a list rule matches when one of its ids is among the item\'s, and not otherwise', () => {
		const rule: RouteRule = { kind: 'listId', value: '7, 12', channel: 'c' };
		expect(ruleMatches({ list_id: [12] }, rule)).toBe(true);
		expect(ruleMatches({ list_id: [1, 2] }, rule)).toBe(false);
		expect(ruleMatches({ list_id: [] }, rule)).toBe(false);
		expect(ruleMatches({ list_id: [127] }, rule)).toBe(false);
	});
});

describe('routeToChannel', () => {
	const on = (value: string, channel: string, template?: string): RouteRule => ({ kind: 'eventType', value, channel, template });

	it('skips a matching rule without a channel, trims channels, and leaves an empty template out', () => {
		expect(routeToChannel({ event: 'a' }, [on('a', '  '), on('a', ' #x ', '')], '#d')).toEqual([{ channel: '#x', rule: 1, template: undefined }]);
	});

	it('in mode all, keeps the first of two rules naming the same channel (with or without #, any case)', () => {
		expect(routeToChannel({ event: 'a' }, [on('a', '#Sales', 't1'), on('a', 'sales', 't2'), on('a', '#ops')], undefined, 'all')).toEqual([
			{ channel: '#Sales', rule: 0, template: 't1' },
			{ channel: '#ops', rule: 2, template: undefined },
		]);
	});

	it('does not add the default channel when a rule matched, and reads a default given as a number', () => {
		expect(routeToChannel({ event: 'a' }, [on('a', '#x')], '#d', 'all')).toEqual([{ channel: '#x', rule: 0, template: undefined }]);
		expect(routeToChannel({ event: 'b' }, [on('a', '#x')], 12 as never)).toEqual([{ channel: '12', rule: -1 }]);
		expect(routeToChannel({ event: 'b' }, [on('a', '#x')], '   ')).toEqual([]);
	});

	it('in mode first, stops at the first match even when a later rule names another channel', () => {
		expect(routeToChannel({ event: 'a' }, [on('b', '#never'), on('a', '#x'), on('a', '#y')])).toEqual([{ channel: '#x', rule: 1, template: undefined }]);
	});
});

describe('parseChannelRef: one character off', () => {
	it.each([
		['  C0123ABCD  ', { kind: 'id', id: 'C0123ABCD' }],
		['G012345', { kind: 'id', id: 'G012345' }],
		['D0123456', { kind: 'id', id: 'D0123456' }],
		['C01234', { kind: 'name', name: 'c01234' }],
		['c0123abcd', { kind: 'name', name: 'c0123abcd' }],
		['XC0123ABCD', { kind: 'name', name: 'xc0123abcd' }],
		['C0123ABCD!', { kind: 'name', name: 'c0123abcd!' }],
		['E0123ABCD', { kind: 'name', name: 'e0123abcd' }],
		['<#C0123ABCD>', { kind: 'id', id: 'C0123ABCD' }],
		['<#G0123ABC|private-one>', { kind: 'id', id: 'G0123ABC' }],
		['x<#C0123ABCD>', { kind: 'name', name: 'x<#c0123abcd>' }],
		['<#C0123ABCD>x', { kind: 'name', name: '<#c0123abcd>x' }],
		['<#C01234>', { kind: 'name', name: '<#c01234>' }],
		['https://x.slack.com/archives/G0123ABCD', { kind: 'id', id: 'G0123ABCD' }],
		['https://x.slack.com/archives/C01234', { kind: 'name', name: 'https://x.slack.com/archives/c01234' }],
		[' #Sales ', { kind: 'name', name: 'sales' }],
		['#C0123ABCD', { kind: 'name', name: 'c0123abcd' }],
	])('%p', (raw, ref) => {
		expect(parseChannelRef(raw)).toEqual(ref);
	});
});
