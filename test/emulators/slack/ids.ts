/** Identifier formats as Slack issues them (uppercase base-36 ids with a type prefix, `ts` strings with 6-digit microseconds). */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** `C` + 10 chars for channels, `U` users, `B` bots, `A` apps, `V` views, `Q` scheduled messages, `Ev` events. */
export function slackId(prefix: string, length = 10): string {
	const bytes = randomBytes(length);
	let out = prefix;
	for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] % ALPHABET.length];
	return out;
}

export function hex(bytes: number): string {
	return randomBytes(bytes).toString('hex');
}

export function digits(length: number): string {
	const bytes = randomBytes(length);
	let out = String(1 + (bytes[0] % 9));
	for (let i = 1; i < length; i++) out += String(bytes[i] % 10);
	return out;
}

/** Real trigger ids look like `398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c`. */
export function triggerId(): string {
	return `${digits(12)}.${digits(11)}.${hex(16)}`;
}

/** Message timestamps: `seconds.micro` strings, strictly increasing within the emulator. */
export class TsClock {
	private lastMicros = 0;

	next(nowMs = Date.now()): string {
		let micros = nowMs * 1000;
		if (micros <= this.lastMicros) micros = this.lastMicros + 1;
		this.lastMicros = micros;
		return microsToTs(micros);
	}
}

function microsToTs(micros: number): string {
	const sec = Math.floor(micros / 1e6);
	const frac = Math.round(micros - sec * 1e6);
	return `${sec}.${String(frac).padStart(6, '0')}`;
}
