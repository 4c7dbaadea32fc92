/**
 * Boundaries of the incremental sync state (mutation testing, issue 18): what a saved entry must look like to be
 * read, which store wins on merge, and what is saved when nothing is known.
 */
import { createHash } from 'node:crypto';

import { fingerprint, FINGERPRINT_LENGTH, FingerprintStore, stableStringify, stateBytes } from '../../../../nodes/shared/sync/diff';

describe('fingerprint', () => {
	it('is the first 8 base64url characters of the SHA-256 of the stable JSON', () => {
		const contact = { email: 'a@b.co', attributes: { B: 1, A: 'x' } };
		const full = createHash('sha256').update(stableStringify(contact)).digest('base64url');
		expect(FINGERPRINT_LENGTH).toBe(8);
		expect(fingerprint(contact)).toBe(full.slice(0, 8));
	});
});

describe('FingerprintStore.load: what counts as a saved entry', () => {
	it('reads user ids of upper-case letters and digits and fingerprints of base64url characters', () => {
		const s = FingerprintStore.load({ v: 1, fp: 'U1=aZ09_-xy,W0ABC=AAAAAAAA' });
		expect(s.previousOf('U1')).toBe('aZ09_-xy');
		expect(s.previousOf('W0ABC')).toBe('AAAAAAAA');
	});

	it('skips an entry with anything before the id or after the fingerprint, a lower-case id, or an empty side', () => {
		const s = FingerprintStore.load({ v: 1, fp: 'xU1=aaaaaaaa,u2=bbbbbbbb,U3=cc cccccc,U4=dddddddd!,=eeeeeeee,U6=,U7=gggggggg' });
		expect(s.previousSize).toBe(1);
		expect(s.previousOf('U7')).toBe('gggggggg');
		expect(s.previousOf('U1')).toBeUndefined();
	});

	it('reads nothing from an empty string, a non-string, another version or no object', () => {
		expect(FingerprintStore.load({ v: 1, fp: '' }).previousSize).toBe(0);
		expect(FingerprintStore.load({ v: 1, fp: ['U1=aaaaaaaa'] }).previousSize).toBe(0);
		expect(FingerprintStore.load({ v: '1', fp: 'U1=aaaaaaaa' }).previousSize).toBe(0);
		expect(FingerprintStore.load(null).previousSize).toBe(0);
		expect(FingerprintStore.load({ v: 1, fp: 'U1=aaaaaaaa' }).previousSize).toBe(1);
	});
});

describe('FingerprintStore: confirm, keepPrevious and serialize', () => {
	it('keepPrevious of a user never recorded records nothing', () => {
		const s = FingerprintStore.load({ v: 1, fp: 'U1=aaaaaaaa' });
		s.keepPrevious('U9');
		s.keepPrevious('U1');
		expect(s.size).toBe(1);
		expect(s.serialize(true)).toEqual({ v: 1, fp: 'U1=aaaaaaaa' });
	});

	it('after an interrupted run, this run\'s fingerprint replaces the earlier one of the same user', () => {
		const s = FingerprintStore.load({ v: 1, fp: 'U1=aaaaaaaa,U2=bbbbbbbb' });
		s.confirm('U2', 'zzzzzzzz');
		s.confirm('U3', 'cccccccc');
		expect(s.serialize(false).fp).toBe('U1=aaaaaaaa,U2=zzzzzzzz,U3=cccccccc');
		expect(s.previousOf('U2')).toBe('bbbbbbbb');
	});

	it('saves no completedAt unless given, and an empty list as an empty string', () => {
		const s = FingerprintStore.load(undefined);
		expect(s.serialize(true)).toEqual({ v: 1, fp: '' });
		expect(Object.keys(s.serialize(true))).toEqual(['v', 'fp']);
		expect(s.serialize(true, '')).toEqual({ v: 1, fp: '' });
		expect(s.serialize(false, '2026-12-03T00:00:00.000Z')).toEqual({ v: 1, fp: '', completedAt: '2026-12-03T00:00:00.000Z' });
	});

	it('stateBytes counts the UTF-8 bytes of the JSON n8n stores', () => {
		expect(stateBytes({ v: 1, fp: '' })).toBe('{"v":1,"fp":""}'.length);
		expect(stateBytes({ v: 1, fp: '', completedAt: 'é' })).toBe(Buffer.byteLength('{"v":1,"fp":"","completedAt":"é"}'));
		expect(stateBytes({ v: 1, fp: '', completedAt: 'é' })).toBe(JSON.stringify({ v: 1, fp: '', completedAt: 'é' }).length + 1);
	});
});
