import { fingerprint, FingerprintStore, stableStringify, stateBytes } from '../../../../nodes/shared/sync/diff';

describe('fingerprint', () => {
	it('ignores key order and differs on any change', () => {
		const a = { email: 'a@b.co', attributes: { FIRSTNAME: 'Ada', LASTNAME: 'L' }, listIds: [3] };
		const b = { listIds: [3], attributes: { LASTNAME: 'L', FIRSTNAME: 'Ada' }, email: 'a@b.co' };
		expect(stableStringify(a)).toBe(stableStringify(b));
		expect(fingerprint(a)).toBe(fingerprint(b));
		expect(fingerprint(a)).toHaveLength(8);
		expect(fingerprint({ ...a, listIds: [4] })).not.toBe(fingerprint(a));
		expect(fingerprint({ ...a, attributes: { FIRSTNAME: 'Ada', LASTNAME: 'M' } })).not.toBe(fingerprint(a));
	});
});

describe('FingerprintStore', () => {
	it('round-trips through static data and compares', () => {
		const s1 = FingerprintStore.load(undefined);
		expect(s1.compare('U1', 'aaaaaaaa')).toBe('new');
		s1.confirm('U1', 'aaaaaaaa');
		s1.confirm('U2', 'bbbbbbbb');
		const saved = s1.serialize(true, '2026-01-01T00:00:00.000Z');
		expect(saved).toEqual({ v: 1, fp: 'U1=aaaaaaaa,U2=bbbbbbbb', completedAt: '2026-01-01T00:00:00.000Z' });

		const s2 = FingerprintStore.load(JSON.parse(JSON.stringify(saved)));
		expect(s2.previousSize).toBe(2);
		expect(s2.compare('U1', 'aaaaaaaa')).toBe('unchanged');
		expect(s2.compare('U2', 'cccccccc')).toBe('changed');
	});

	it('drops users not seen after a complete run, keeps them after an interrupted one', () => {
		const s = FingerprintStore.load({ v: 1, fp: 'U1=aaaaaaaa,U2=bbbbbbbb,U3=cccccccc' });
		s.confirm('U1', 'dddddddd');
		s.keepPrevious('U2'); // failed this run: the old fingerprint stays, so the next run resends
		expect(s.serialize(true).fp).toBe('U1=dddddddd,U2=bbbbbbbb');
		expect(s.serialize(false).fp).toBe('U1=dddddddd,U2=bbbbbbbb,U3=cccccccc');
	});

	it('treats unreadable state as none', () => {
		expect(FingerprintStore.load({ v: 2, fp: 'U1=x' }).previousSize).toBe(0);
		expect(FingerprintStore.load('garbage').previousSize).toBe(0);
		expect(FingerprintStore.load({ v: 1, fp: 'U1=aaaaaaaa,<bad>,U2=bbbbbbbb' }).previousSize).toBe(2);
	});

	it('stays small at 100,000 users (about 20 bytes per user)', () => {
		const s = FingerprintStore.load(undefined);
		for (let i = 0; i < 100_000; i++) s.confirm(`U${(1e9 + i).toString(36).toUpperCase()}`, fingerprint({ i }));
		const bytes = stateBytes(s.serialize(true));
		expect(bytes).toBeLessThan(2_200_000);
		expect(bytes / 100_000).toBeLessThan(22);
	});
});
