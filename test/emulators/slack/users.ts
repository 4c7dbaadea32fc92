/**
 * The workspace's member directory. Explicitly added users are kept as objects; `generateUsers(n)` only records a range
 * and materialises each member from its index when a page, a lookup or an inspection needs it, so 100,000 members cost
 * a few bytes until read.
 */
import type { SlackUser, UserMix } from './types';

interface GeneratedRange {
	start: number; // first global index of this range
	n: number;
	mix: Required<UserMix>;
	prime: number;
	prefix: string; // id prefix, unique per range: `U9G<range><index>`
	emailDomain: string;
}

const FIRST_NAMES = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Elif', 'Farah', 'Goran', 'Hana', 'Ivan', 'Jae-won', 'Kofi', 'Lea', 'Mateo', 'Nia', "O'Brien", 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tomás', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoë'];
const LAST_NAMES = ['Almeida', 'Brown', 'Chen', 'van der Berg', 'Eriksson', 'Fernández', 'García Márquez', 'Hoffmann', 'Ito', 'Jansen', 'Kowalski', 'López', 'Müller', 'Nakamura', 'Okafor', 'Petrov', 'Quinn', 'Rossi', 'Smith', 'Tanaka', 'Umar', 'Vargas', 'Wang', 'Xu', 'Yilmaz', 'Zhang'];
const TIMEZONES: Array<[string, string, number]> = [
	['America/Los_Angeles', 'Pacific Standard Time', -28800],
	['America/New_York', 'Eastern Standard Time', -18000],
	['Europe/London', 'Greenwich Mean Time', 0],
	['Europe/Paris', 'Central European Time', 3600],
	['Asia/Kolkata', 'India Standard Time', 19800],
	['Asia/Tokyo', 'Japan Standard Time', 32400],
];
const TITLES = ['', 'Marketing Manager', 'Sales Lead', 'Support Engineer', 'CEO', 'Growth Analyst', ''];

function pickPrime(n: number): number {
	for (const p of [7919, 104729, 15485863]) if (n % p !== 0) return p;
	return 1;
}

export class UserDirectory {
	private explicit = new Map<string, SlackUser>();
	private order: string[] = [];
	private byEmail = new Map<string, string>();
	private ranges: GeneratedRange[] = [];
	private generatedCount = 0;

	constructor(private readonly teamId: string) {}

	add(user: SlackUser): SlackUser {
		const previous = this.explicit.get(user.id);
		if (previous?.profile.email) this.byEmail.delete(previous.profile.email.toLowerCase());
		if (!previous) this.order.push(user.id);
		this.explicit.set(user.id, user);
		if (user.profile.email) this.byEmail.set(user.profile.email.toLowerCase(), user.id);
		return user;
	}

	generate(n: number, mix: UserMix = {}): void {
		const full = { bots: mix.bots ?? 0, deleted: mix.deleted ?? 0, noEmail: mix.noEmail ?? 0 };
		if (full.bots + full.deleted + full.noEmail > n) throw new Error('generateUsers: bots + deleted + noEmail exceed n');
		const r = this.ranges.length;
		this.ranges.push({ start: this.generatedCount, n, mix: full, prime: pickPrime(n), prefix: `U9G${r.toString(36).toUpperCase()}X`, emailDomain: r === 0 ? 'example.com' : `r${r}.example.com` });
		this.generatedCount += n;
	}

	get size(): number {
		return this.explicit.size + this.generatedCount;
	}

	/** The member at a position of users.list's order: explicit users first (insertion order), then generated ones. */
	at(position: number): SlackUser | undefined {
		if (position < this.order.length) return this.explicit.get(this.order[position]);
		return this.generatedAt(position - this.explicit.size);
	}

	/** A page of the list order; iterates explicit users once and materialises only the generated members it returns. */
	slice(from: number, count: number): SlackUser[] {
		const out: SlackUser[] = [];
		const explicitSize = this.order.length;
		for (let p = from; p < explicitSize && out.length < count; p++) out.push(this.explicit.get(this.order[p]) as SlackUser);
		for (let p = Math.max(from, explicitSize); out.length < count && p < this.size; p++) {
			const u = this.generatedAt(p - explicitSize);
			if (u) out.push(u);
		}
		return out;
	}

	get(id: string): SlackUser | undefined {
		const u = this.explicit.get(id);
		if (u) return u;
		const m = /^U9G([0-9A-Z]+)X(\d+)$/.exec(id);
		if (!m) return undefined;
		const range = this.ranges[parseInt(m[1], 36)];
		const index = Number(m[2]);
		if (!range || index >= range.n || id !== this.idFor(range, index)) return undefined;
		return this.materialise(range, index);
	}

	findByEmail(email: string): SlackUser | undefined {
		const lower = email.toLowerCase();
		const id = this.byEmail.get(lower);
		if (id) return this.explicit.get(id);
		const m = /^user(\d+)@(.+)$/.exec(lower);
		if (!m) return undefined;
		const range = this.ranges.find((r) => r.emailDomain === m[2]);
		if (!range) return undefined;
		const u = this.materialise(range, Number(m[1]));
		return u && u.profile.email?.toLowerCase() === lower && !u.deleted ? u : undefined;
	}

	explicitUsers(): SlackUser[] {
		return [...this.explicit.values()];
	}

	private generatedAt(g: number): SlackUser | undefined {
		for (const range of this.ranges) {
			if (g < range.start + range.n) return this.materialise(range, g - range.start);
		}
		return undefined;
	}

	private idFor(range: GeneratedRange, index: number): string {
		return `${range.prefix}${String(index).padStart(6, '0')}`;
	}

	private materialise(range: GeneratedRange, index: number): SlackUser | undefined {
		if (index < 0 || index >= range.n) return undefined;
		// a fixed permutation of the indexes spreads bots / deleted / no-email members evenly through the list
		const k = (index * range.prime) % range.n;
		const { bots, deleted, noEmail } = range.mix;
		const kind = k < bots ? 'bot' : k < bots + deleted ? 'deleted' : k < bots + deleted + noEmail ? 'noEmail' : 'person';
		const id = this.idFor(range, index);
		const first = FIRST_NAMES[index % FIRST_NAMES.length];
		const last = LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length];
		const updated = 1_700_000_000 + index * 37;
		if (kind === 'bot') {
			const name = `bot${index}`;
			return {
				id, team_id: this.teamId, name, deleted: false, real_name: `Integration ${index}`, tz: 'America/Los_Angeles',
				tz_label: 'Pacific Standard Time', tz_offset: -28800, is_admin: false, is_owner: false, is_primary_owner: false,
				is_restricted: false, is_ultra_restricted: false, is_bot: true, is_app_user: false, updated,
				profile: { real_name: `Integration ${index}`, display_name: '', bot_id: `B9G${String(index).padStart(7, '0')}`, team: this.teamId },
			};
		}
		if (kind === 'deleted') {
			// deactivated members come back sparse: no tz, no is_admin
			return {
				id, team_id: this.teamId, name: `former${index}`, deleted: true, is_bot: false, is_app_user: false, updated,
				profile: { real_name: `${first} ${last}`, display_name: '', team: this.teamId },
			};
		}
		const [tz, tzLabel, tzOffset] = TIMEZONES[index % TIMEZONES.length];
		const realName = `${first} ${last}`;
		const title = TITLES[index % TITLES.length];
		const profile: SlackUser['profile'] = {
			real_name: realName, real_name_normalized: realName.normalize('NFD').replace(/[\u0300-\u036f]/g, ''),
			display_name: index % 3 === 0 ? '' : `${first.toLowerCase()}${index}`, first_name: first, last_name: last,
			phone: index % 4 === 0 ? `+33 6 12 ${String(index % 100).padStart(2, '0')} ${String((index * 7) % 100).padStart(2, '0')} 00` : '',
			title, status_text: index % 5 === 0 ? 'In a meeting' : '', status_emoji: index % 5 === 0 ? ':calendar:' : '', team: this.teamId,
		};
		if (kind !== 'noEmail') profile.email = `user${index}@${range.emailDomain}`;
		return {
			id, team_id: this.teamId, name: `user${index}`, deleted: false, real_name: realName, tz, tz_label: tzLabel, tz_offset: tzOffset,
			is_admin: index % 50 === 0, is_owner: index === 0, is_primary_owner: index === 0, is_restricted: index % 97 === 5,
			is_ultra_restricted: index % 197 === 5, is_bot: false, is_app_user: false, updated, profile,
		};
	}
}
