import { applyThreshold, extractOrder, parseMoney } from '../../nodes/shared/brevo/order';

describe('parseMoney', () => {
	it.each([
		[1234.5, { value: 1234.5 }],
		['€1,234.50', { value: 1234.5, currency: 'EUR' }],
		['1.234,50 EUR', { value: 1234.5, currency: 'EUR' }],
		['1 234,50 €', { value: 1234.5, currency: 'EUR' }],
		['1\u00a0234,50\u00a0€', { value: 1234.5, currency: 'EUR' }],
		['USD 99.99', { value: 99.99, currency: 'USD' }],
		['$1,234', { value: 1234, currency: 'USD' }],
		['£12', { value: 12, currency: 'GBP' }],
		['1,234,567.89', { value: 1234567.89 }],
		['1.234.567', { value: 1234567 }],
		["1'234.50 CHF", { value: 1234.5, currency: 'CHF' }],
		['0,125', { value: 0.125 }],
		['12,5', { value: 12.5 }],
		['1,234', { value: 1234 }],
		['-12.5', { value: -12.5 }],
		['₹ 2,500', { value: 2500, currency: 'INR' }],
		['250', { value: 250 }],
	])('%p -> %p', (input, expected) => {
		expect(parseMoney(input)).toEqual(expected);
	});

	it.each(['', 'abc', 'twelve euros', '1.2.3,4,5', '12,', 'NaN', null, undefined, {}, Infinity, '1 2', '1,23,4.5'])(
		'refuses %p',
		(input) => {
			expect(parseMoney(input)).toBeUndefined();
		},
	);
});

describe('extractOrder', () => {
	it('reads an order nested in the trigger event data of an automation call', () => {
		const { order, problems } = extractOrder({
			contact_id: 7,
			email: 'a@b.c',
			event_data: {
				id: 'ORD-1',
				amount: '€1,234.50',
				products: [{ productId: 'P1', name: 'Chair', quantity: 2, price: 600 }, { productId: 'P2', price: '34.50' }],
				first_order: 'true',
			},
		});
		expect(problems).toEqual([]);
		expect(order).toEqual({
			id: 'ORD-1',
			value: 1234.5,
			currency: 'EUR',
			products: [
				expect.objectContaining({ id: 'P1', name: 'Chair', quantity: 2, price: 600 }),
				expect.objectContaining({ id: 'P2', price: 34.5 }),
			],
			firstOrder: true,
		});
	});

	it('prefers an explicit currency field and derives firstOrder from orders_count', () => {
		const { order } = extractOrder({ order: { order_id: 9, total: '1.234,50', currency: 'eur', orders_count: 3 } });
		expect(order).toMatchObject({ id: '9', value: 1234.5, currency: 'EUR', firstOrder: false });
	});

	it('sums product prices when no total is sent (cart items)', () => {
		const { order } = extractOrder({
			eventdata: { id: 'cart:abc', data: { currency: 'USD', url: 'https://shop/cart', items: [{ name: 'A', price: 10, quantity: 3 }] } },
		});
		expect(order).toMatchObject({ id: 'abc', value: 30, currency: 'USD', url: 'https://shop/cart' });
	});

	it('reports an unreadable value and missing order data', () => {
		expect(extractOrder({ order: { id: 1, amount: 'lots' } }).problems[0]).toMatch(/order value "lots" is not an amount/);
		expect(extractOrder({ email: 'a@b.c' })).toEqual({ problems: [expect.stringMatching(/no order or cart data/)] });
	});
});

describe('applyThreshold', () => {
	it('passes at or above the minimum, not below', () => {
		expect(applyThreshold({ value: 500, products: [] }, { minimum: 500 })).toEqual({ passes: true });
		expect(applyThreshold({ value: 499.99, products: [] }, { minimum: 500 })).toEqual({ passes: false, reason: 'below_threshold' });
	});
	it('does not compare other currencies or missing values', () => {
		expect(applyThreshold({ value: 9999, currency: 'USD', products: [] }, { minimum: 500, currency: 'eur' })).toEqual({
			passes: false,
			reason: 'currency_mismatch',
		});
		expect(applyThreshold({ products: [] }, { minimum: 1 })).toEqual({ passes: false, reason: 'no_value' });
	});
});
