/**
 * Incremental sync state: Slack user id -> short fingerprint of the contact last written to Brevo. No n8n imports.
 *
 * It lives in the workflow's static data (saved by n8n after production executions, so it survives restarts and
 * works in queue mode) and must stay small: one entry is `<user id>=<8 characters>` (about 20 bytes), packed into a
 * single string, so 100,000 users take about 2 MB. The fingerprint is 48 bits of a SHA-256 over the contact as it
 * would be sent (email, attributes, target lists): comparing it with the stored one for the same user, a change
 * goes unnoticed with probability 2^-48.
 *
 * A fingerprint is recorded only once Brevo confirmed the contact; a contact that failed keeps its previous
 * fingerprint (or none), so the next run sends it again.
 */

import { stableStringify } from '../util';
import { createHash } from 'node:crypto';

export const FINGERPRINT_LENGTH = 8;

export { stableStringify };

export function fingerprint(contact: unknown): string {
	return createHash('sha256').update(stableStringify(contact)).digest('base64url').slice(0, FINGERPRINT_LENGTH);
}

export interface SyncState {
	v: 1;
	/** `id=fp` entries joined with `,`. */
	fp: string;
	/** When the last complete run finished (ISO), for the summary. */
	completedAt?: string;
}

const ENTRY = /^([A-Z0-9]+)=([A-Za-z0-9_-]+)$/;

export class FingerprintStore {
	private readonly previous = new Map<string, string>();
	private readonly next = new Map<string, string>();

	/** Reads what an earlier run saved; anything unreadable counts as no state (everything is sent again). */
	static load(saved: unknown): FingerprintStore {
		const store = new FingerprintStore();
		const state = saved as Partial<SyncState> | undefined;
		if (state && state.v === 1 && typeof state.fp === 'string' && state.fp !== '') {
			for (const entry of state.fp.split(',')) {
				const m = ENTRY.exec(entry);
				if (m) store.previous.set(m[1], m[2]);
			}
		}
		return store;
	}

	get previousSize(): number {
		return this.previous.size;
	}

	get size(): number {
		return this.next.size;
	}

	/** The fingerprint recorded for a user by an earlier run. */
	previousOf(userId: string): string | undefined {
		return this.previous.get(userId);
	}

	/** 'new' (never written by this sync), 'changed' or 'unchanged'. */
	compare(userId: string, fp: string): 'new' | 'changed' | 'unchanged' {
		const before = this.previous.get(userId);
		if (before === undefined) return 'new';
		return before === fp ? 'unchanged' : 'changed';
	}

	/** Brevo holds this contact as fingerprinted (written now, or unchanged since an earlier run). */
	confirm(userId: string, fp: string): void {
		this.next.set(userId, fp);
	}

	/** The contact was not written this run: keep what an earlier run recorded, so a rerun compares against it. */
	keepPrevious(userId: string): void {
		const before = this.previous.get(userId);
		if (before !== undefined) this.next.set(userId, before);
	}

	/**
	 * The state to save. After a complete run, users not seen (left the workspace, now filtered out) are dropped;
	 * after an interrupted run, earlier entries of users not reached yet are kept.
	 */
	serialize(complete: boolean, completedAt?: string): SyncState {
		const merged = complete ? this.next : new Map([...this.previous, ...this.next]);
		const parts: string[] = [];
		for (const [id, fp] of merged) parts.push(`${id}=${fp}`);
		const state: SyncState = { v: 1, fp: parts.join(',') };
		if (completedAt) state.completedAt = completedAt;
		return state;
	}
}

/** Size of the saved state in bytes, as n8n stores it (JSON). */
export function stateBytes(state: SyncState): number {
	return Buffer.byteLength(JSON.stringify(state), 'utf8');
}
