/**
 * The emulated Brevo account: contacts, lists, attributes, webhooks, tracked events, sent emails, import
 * processes, campaigns. Plain data + the account's rules (identifier uniqueness, attribute typing, SMS
 * format); no HTTP here, so the rules are unit-tested directly.
 * Every rule here has its source (doc page, OpenAPI path, SDK type, public issue) or `guess` in
 * test/emulators/CONTRACT.md, "Brevo REST rules and sources".
 */
import type { Order } from './routes/orders';
import { fail, MESSAGES } from './errors';

export type AttributeCategory = 'normal' | 'transactional' | 'category' | 'calculated' | 'global';
export type AttributeType = 'text' | 'date' | 'float' | 'boolean' | 'id' | 'category' | 'multiple-choice' | 'user';

export interface Attribute {
	name: string;
	category: AttributeCategory;
	type?: AttributeType;
	enumeration?: Array<{ value: number; label: string }>;
	multiCategoryOptions?: string[];
	calculatedValue?: string;
}

export interface Contact {
	id: number;
	email?: string;
	ext_id?: string;
	attributes: Record<string, unknown>;
	listIds: number[];
	listUnsubscribed: number[];
	emailBlacklisted: boolean;
	smsBlacklisted: boolean;
	createdAt: string;
	modifiedAt: string;
}

export interface Folder {
	id: number;
	name: string;
}

export interface List {
	id: number;
	name: string;
	folderId: number;
	createdAt: string;
}

export type WebhookType = 'transactional' | 'marketing' | 'inbound';

export interface Webhook {
	id: number;
	url: string;
	description?: string;
	events: string[];
	type: WebhookType;
	batched: boolean;
	channel: 'email' | 'sms';
	domain?: string;
	auth?: { type?: string; token?: string };
	headers?: Array<{ key: string; value: string }>;
	createdAt: string;
	modifiedAt: string;
}

export interface TrackedEvent {
	event_name: string;
	identifiers: Record<string, unknown>;
	contact_properties?: Record<string, unknown>;
	event_properties?: Record<string, unknown>;
	event_date: string;
	object?: unknown;
	contactId?: number;
	receivedAt: string;
}

export interface SentEmail {
	messageId: string;
	request: Record<string, unknown>;
	scheduledAt?: string;
	sentAt: string;
}

/** @getbrevo/brevo 6 `GetProcessResponse.Status` (the OpenAPI enum lacks `in_process`, the SDK has both). */
export type ProcessStatus = 'queued' | 'in_process' | 'processing' | 'completed' | 'failed' | 'cancelled';

/** The import report categories of `info.import` (@getbrevo/brevo 6 `GetProcessResponse.Info.Import`). */
export const IMPORT_REPORT_CATEGORIES = [
	'invalid_emails',
	'duplicate_contact_id',
	'duplicate_ext_id',
	'duplicate_email_id',
	'duplicate_phone_id',
	'duplicate_whatsapp_id',
	'duplicate_landline_number_id',
] as const;
export type ImportReportCategory = (typeof IMPORT_REPORT_CATEGORIES)[number];

/** One record an import rejected: the row as sent (EMAIL and attributes) and why. */
export interface ImportReportRow {
	cells: Record<string, string>;
	reason: string;
}

export interface Process {
	id: number;
	name: 'IMPORTUSER' | string;
	status: ProcessStatus;
	created_at: string;
	completed_at?: string;
	error?: string;
	/**
	 * `info.import`: per category the URL of a CSV report of the rejected records, or null when there are none
	 * (@getbrevo/brevo 6 types: "URL to CSV file containing invalid email addresses, or null if none";
	 * https://developers.brevo.com/reference/get-process: "Completed import processes include CSV report URLs").
	 * The shared OpenAPI copy still types them as integer counts; the SDK and the reference page are newer.
	 */
	info?: { import?: Record<string, string | null> };
	/** the rejected records per category, served at the `info.import` URLs; not part of the API shape */
	reports?: Partial<Record<ImportReportCategory, ImportReportRow[]>>;
	/** unguessable part of the report URLs (they are pre-signed: no api-key) */
	reportToken?: string;
	/** the import request, kept to run it; not part of the API shape */
	request?: Record<string, unknown>;
	/** name of the key that started it (for the contact webhooks it causes) */
	apiKeyName?: string;
	/** what the import did, for tests */
	result?: { created: number; updated: number; skipped: number; invalid: number; listIds: number[] };
}

export interface GlobalStats {
	sent: number;
	delivered: number;
	uniqueViews: number;
	viewed: number;
	uniqueClicks: number;
	clickers: number;
	hardBounces: number;
	softBounces: number;
	unsubscriptions: number;
	complaints: number;
	deferred: number;
	trackableViews: number;
	trackableViewsRate: number;
	estimatedViews: number;
	opensRate: number;
	appleMppOpens: number;
	returnBounce: number;
}

export type CampaignStatus = 'draft' | 'sent' | 'archive' | 'queued' | 'suspended' | 'in_process' | 'inReview';

export interface Campaign {
	id: number;
	name: string;
	subject: string;
	type: 'classic' | 'trigger';
	status: CampaignStatus;
	sentDate?: string;
	scheduledAt?: string;
	createdAt: string;
	modifiedAt: string;
	listIds: number[];
	tag?: string;
	sender: { id: number; name: string; email: string };
	stats: GlobalStats;
}

export interface Template {
	id: number;
	name: string;
	subject: string;
	sender: { name: string; email: string };
}

export const STANDARD_ATTRIBUTES: Attribute[] = [
	{ name: 'FIRSTNAME', category: 'normal', type: 'text' },
	{ name: 'LASTNAME', category: 'normal', type: 'text' },
	{ name: 'SMS', category: 'normal', type: 'text' },
	{ name: 'WHATSAPP', category: 'normal', type: 'text' },
	{ name: 'LANDLINE_NUMBER', category: 'normal', type: 'text' },
	{ name: 'OPT_IN', category: 'normal', type: 'boolean' },
	{
		name: 'DOUBLE_OPT-IN',
		category: 'category',
		type: 'category',
		enumeration: [
			{ value: 1, label: 'Yes' },
			{ value: 2, label: 'No' },
		],
	},
];

/** Attributes that identify a contact and must be unique in the account (Brevo answers `duplicate_parameter`). */
export const PHONE_ATTRIBUTES = ['SMS', 'WHATSAPP', 'LANDLINE_NUMBER'] as const;

export function emptyStats(): GlobalStats {
	return {
		sent: 0,
		delivered: 0,
		uniqueViews: 0,
		viewed: 0,
		uniqueClicks: 0,
		clickers: 0,
		hardBounces: 0,
		softBounces: 0,
		unsubscriptions: 0,
		complaints: 0,
		deferred: 0,
		trackableViews: 0,
		trackableViewsRate: 0,
		estimatedViews: 0,
		opensRate: 0,
		appleMppOpens: 0,
		returnBounce: 0,
	};
}

/**
 * Brevo wants the country code on phone numbers: `91xxxxxxxxxx`, `+91xxxxxxxxxx` or `0091xxxxxxxxxx`.
 * A national number (leading single 0) or something that is not a number is refused. Returns `+<digits>`.
 */
export function normalisePhone(raw: unknown): string | undefined {
	if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
	const compact = String(raw).replace(/[\s().-]/g, '');
	let digits: string;
	if (/^\+\d+$/.test(compact)) digits = compact.slice(1);
	else if (/^00\d+$/.test(compact)) digits = compact.slice(2);
	else if (/^[1-9]\d+$/.test(compact)) digits = compact;
	else return undefined;
	if (digits.startsWith('0') || digits.length < 8 || digits.length > 15) return undefined;
	return `+${digits}`;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Converts a value for a typed attribute, or returns undefined when Brevo would ignore it
 * ("Values that don't match the attribute type ... will be ignored", createContact docs).
 */
export function coerceAttributeValue(attr: Attribute, value: unknown): { ok: true; value: unknown } | { ok: false } {
	if (value === null || value === '') return { ok: true, value: '' }; // empty clears, as in imports
	switch (attr.type ?? 'text') {
		case 'text':
		case 'id':
		case 'user':
			return typeof value === 'string' || typeof value === 'number' ? { ok: true, value: String(value) } : { ok: false };
		case 'float':
			if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
			if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return { ok: true, value: Number(value) };
			return { ok: false };
		case 'boolean':
			if (typeof value === 'boolean') return { ok: true, value };
			if (value === 'true' || value === 'false') return { ok: true, value: value === 'true' };
			return { ok: false };
		case 'date':
			if (typeof value === 'string' && DATE_RE.test(value) && !Number.isNaN(Date.parse(value.slice(0, 10)))) {
				return { ok: true, value: value.slice(0, 10) };
			}
			return { ok: false };
		case 'category': {
			const hit = attr.enumeration?.find((e) => e.value === Number(value) || e.label === value);
			return hit ? { ok: true, value: hit.value } : { ok: false };
		}
		case 'multiple-choice': {
			const values = Array.isArray(value) ? value : [value];
			if (values.every((v) => typeof v === 'string' && (attr.multiCategoryOptions ?? []).includes(v))) {
				return { ok: true, value: values };
			}
			return { ok: false };
		}
		default:
			return { ok: false };
	}
}

export interface ContactWrite {
	email?: string;
	ext_id?: string;
	attributes?: Record<string, unknown>;
	listIds?: number[];
	unlinkListIds?: number[];
	emailBlacklisted?: boolean;
	smsBlacklisted?: boolean;
}

export type IdentifierType =
	| 'email_id'
	| 'contact_id'
	| 'ext_id'
	| 'phone_id'
	| 'whatsapp_id'
	| 'landline_number_id';

export class BrevoState {
	apiKeys = new Map<string, { name: string }>();
	account = {
		organization_id: '64b7f1a2c3d4e5f6a7b8c9d0',
		user_id: 1034567,
		enterprise: false,
		companyName: 'Emulated Brevo Account',
		email: 'owner@example.com',
		firstName: 'Ada',
		lastName: 'Owner',
		address: { city: 'Paris', country: 'France', street: '1 rue de la Paix', zipCode: '75002' },
		dateTimePreferences: { timezone: 'Europe/Paris', timeFormat: '24', dateFormat: 'dd-mm-yyyy' },
		plan: [{ type: 'free', creditsType: 'sendLimit', credits: 300 }],
		relay: { enabled: true, data: { userName: 'owner@example.com', relay: 'smtp-relay.brevo.com', port: 587 } },
		marketingAutomation: { enabled: true, key: 'emulatorautomationkey01' },
	};
	contacts = new Map<number, Contact>();
	folders = new Map<number, Folder>();
	lists = new Map<number, List>();
	attributes: Attribute[] = [];
	webhooks = new Map<number, Webhook>();
	events: TrackedEvent[] = [];
	emails: SentEmail[] = [];
	processes = new Map<number, Process>();
	campaigns = new Map<number, Campaign>();
	templates = new Map<number, Template>();
	orders = new Map<string, Order>();
	private seq = { contact: 0, list: 0, folder: 0, webhook: 0, process: 0, campaign: 0, template: 0 };

	constructor(readonly now: () => number = Date.now) {
		this.reset();
	}

	reset(): void {
		const keys = new Map(this.apiKeys);
		this.contacts.clear();
		this.index.clear();
		this.folders.clear();
		this.lists.clear();
		this.webhooks.clear();
		this.events = [];
		this.emails = [];
		this.processes.clear();
		this.campaigns.clear();
		this.templates.clear();
		this.orders.clear();
		this.seq = { contact: 0, list: 0, folder: 0, webhook: 0, process: 0, campaign: 0, template: 0 };
		this.attributes = STANDARD_ATTRIBUTES.map((a) => ({ ...a }));
		this.apiKeys = keys;
		this.addFolder({ name: 'Your first folder' });
		this.addTemplate({ name: 'Default template', subject: 'Hello {{contact.FIRSTNAME}}' });
	}

	iso(ms = this.now()): string {
		return new Date(ms).toISOString();
	}

	// ---------- folders, lists, templates ----------
	addFolder(f: { id?: number; name: string }): Folder {
		const id = f.id ?? ++this.seq.folder;
		this.seq.folder = Math.max(this.seq.folder, id);
		const folder = { id, name: f.name };
		this.folders.set(id, folder);
		return folder;
	}

	addList(l: { id?: number; name: string; folderId?: number }): List {
		const id = l.id ?? ++this.seq.list;
		this.seq.list = Math.max(this.seq.list, id);
		const folderId = l.folderId ?? [...this.folders.keys()][0] ?? this.addFolder({ name: 'Your first folder' }).id;
		const list = { id, name: l.name, folderId, createdAt: this.iso() };
		this.lists.set(id, list);
		return list;
	}

	listStats(listId: number): { totalSubscribers: number; totalBlacklisted: number; uniqueSubscribers: number } {
		let total = 0;
		let blacklisted = 0;
		for (const c of this.contacts.values()) {
			if (!c.listIds.includes(listId)) continue;
			total++;
			if (c.emailBlacklisted) blacklisted++;
		}
		return { totalSubscribers: total, totalBlacklisted: blacklisted, uniqueSubscribers: total };
	}

	addTemplate(t: { id?: number; name: string; subject?: string; sender?: { name: string; email: string } }): Template {
		const id = t.id ?? ++this.seq.template;
		this.seq.template = Math.max(this.seq.template, id);
		const tpl = {
			id,
			name: t.name,
			subject: t.subject ?? t.name,
			sender: t.sender ?? { name: 'Emulated Sender', email: 'sender@example.com' },
		};
		this.templates.set(id, tpl);
		return tpl;
	}

	// ---------- attributes ----------
	attribute(name: string): Attribute | undefined {
		return this.attributes.find((a) => a.name === name);
	}

	addAttribute(a: {
		name: string;
		category?: AttributeCategory;
		type?: AttributeType;
		enumeration?: Attribute['enumeration'];
		multiCategoryOptions?: string[];
	}): Attribute {
		const attr: Attribute = {
			name: a.name.toUpperCase(),
			category: a.category ?? 'normal',
			type: a.type ?? (a.category === 'category' ? 'category' : 'text'),
		};
		if (a.enumeration) attr.enumeration = a.enumeration;
		if (a.multiCategoryOptions) attr.multiCategoryOptions = a.multiCategoryOptions;
		this.attributes = this.attributes.filter((x) => x.name !== attr.name);
		this.attributes.push(attr);
		return attr;
	}

	/**
	 * Keeps only attributes that exist (upper-case names), are writable on a contact (normal / category) and whose
	 * value fits the type; everything else is dropped silently, as Brevo does. Phone attributes are validated and
	 * refused loudly (400 `invalid_parameter`), since Brevo does.
	 */
	cleanAttributes(input: Record<string, unknown> | undefined): Record<string, unknown> {
		const out: Record<string, unknown> = {};
		for (const [name, value] of Object.entries(input ?? {})) {
			const attr = this.attribute(name);
			if (!attr || (attr.category !== 'normal' && attr.category !== 'category')) continue;
			if ((PHONE_ATTRIBUTES as readonly string[]).includes(name) && value !== '' && value !== null) {
				const phone = normalisePhone(value);
				if (!phone) throw fail.invalid(MESSAGES.invalidPhone);
				out[name] = phone;
				continue;
			}
			const coerced = coerceAttributeValue(attr, value);
			if (coerced.ok) out[name] = coerced.value;
		}
		return out;
	}

	// ---------- contacts ----------
	/** Unique identifiers -> contact (`email:`, `ext:`, `SMS:`...), so lookups stay O(1) for 100k-contact imports. */
	private index = new Map<string, Contact>();

	private indexKeys(c: Contact): string[] {
		const keys: string[] = [];
		if (c.email) keys.push(`email:${c.email}`);
		if (c.ext_id) keys.push(`ext:${c.ext_id}`);
		for (const name of PHONE_ATTRIBUTES) {
			const v = c.attributes[name];
			if (typeof v === 'string' && v) keys.push(`${name}:${v}`);
		}
		return keys;
	}

	private addToIndex(c: Contact): void {
		for (const k of this.indexKeys(c)) this.index.set(k, c);
	}

	private removeFromIndex(c: Contact): void {
		for (const k of this.indexKeys(c)) if (this.index.get(k) === c) this.index.delete(k);
	}

	/** Rebuilds the identifier index after contacts were changed in place (e.g. an attribute deleted). */
	reindex(): void {
		this.index.clear();
		for (const c of this.contacts.values()) this.addToIndex(c);
	}

	findByEmail(email: string): Contact | undefined {
		return this.index.get(`email:${email.trim().toLowerCase()}`);
	}

	findByExtId(extId: string): Contact | undefined {
		return this.index.get(`ext:${extId}`);
	}

	findByAttribute(name: string, value: string): Contact | undefined {
		if ((PHONE_ATTRIBUTES as readonly string[]).includes(name)) return this.index.get(`${name}:${value}`);
		for (const c of this.contacts.values()) if (c.attributes[name] === value) return c;
		return undefined;
	}

	/**
	 * Resolves `/contacts/{identifier}`. Without identifierType Brevo takes an email (has `@`), a contact id (all
	 * digits) or, for GET, an SMS value; other identifiers need identifierType.
	 */
	findContact(identifier: string, type?: IdentifierType): Contact | undefined {
		const id = identifier.trim();
		switch (type) {
			case 'email_id':
				return this.findByEmail(id);
			case 'contact_id':
				return /^\d+$/.test(id) ? this.contacts.get(Number(id)) : undefined;
			case 'ext_id':
				return this.findByExtId(id);
			case 'phone_id': {
				const p = normalisePhone(id);
				return p ? this.findByAttribute('SMS', p) : undefined;
			}
			case 'whatsapp_id': {
				const p = normalisePhone(id);
				return p ? this.findByAttribute('WHATSAPP', p) : undefined;
			}
			case 'landline_number_id': {
				const p = normalisePhone(id);
				return p ? this.findByAttribute('LANDLINE_NUMBER', p) : undefined;
			}
			default:
				if (id.includes('@')) return this.findByEmail(id);
				if (/^\d+$/.test(id)) return this.contacts.get(Number(id));
				if (/^\+\d+$/.test(id)) {
					const p = normalisePhone(id);
					return p ? this.findByAttribute('SMS', p) : undefined;
				}
				return undefined;
		}
	}

	/** Which unique identifiers of `w` already belong to another contact than `self`. */
	private conflicts(w: { email?: string; ext_id?: string; attributes: Record<string, unknown> }, self?: Contact): string[] {
		const out: string[] = [];
		if (w.email) {
			const other = this.findByEmail(w.email);
			if (other && other !== self) out.push('email');
		}
		if (w.ext_id) {
			const other = this.findByExtId(w.ext_id);
			if (other && other !== self) out.push('ext_id');
		}
		for (const name of PHONE_ATTRIBUTES) {
			const v = w.attributes[name];
			if (typeof v === 'string' && v) {
				const other = this.findByAttribute(name, v);
				if (other && other !== self) out.push(name);
			}
		}
		return out;
	}

	private checkLists(ids: number[] | undefined): void {
		for (const id of ids ?? []) {
			if (!this.lists.has(id)) throw fail.notFound('List ID does not exist');
		}
	}

	/**
	 * POST /contacts. Returns the new contact (201) or `{ updated }` when updateEnabled matched an existing one (204).
	 */
	createContact(w: ContactWrite & { updateEnabled?: boolean }): { contact: Contact; created: boolean } {
		const attributes = this.cleanAttributes(w.attributes);
		const email = w.email?.trim().toLowerCase() || undefined;
		const hasPhone = PHONE_ATTRIBUTES.some((n) => typeof attributes[n] === 'string' && attributes[n]);
		if (!email && !w.ext_id && !hasPhone) {
			throw fail.missing('email, ext_id or SMS is required to create a contact');
		}
		const existing =
			(email && this.findByEmail(email)) ||
			(w.ext_id && this.findByExtId(w.ext_id)) ||
			PHONE_ATTRIBUTES.map((n) =>
				typeof attributes[n] === 'string' && attributes[n] ? this.findByAttribute(n, attributes[n] as string) : undefined,
			).find(Boolean);
		if (existing) {
			if (!w.updateEnabled) {
				const dups = this.conflicts({ email, ext_id: w.ext_id, attributes });
				throw fail.duplicate(MESSAGES.duplicateOnCreate(dups[0] ?? 'email'), dups);
			}
			this.updateContact(existing, { ...w, email, attributes: w.attributes });
			return { contact: existing, created: false };
		}
		const dups = this.conflicts({ email, ext_id: w.ext_id, attributes });
		if (dups.length) throw fail.duplicate(MESSAGES.duplicateOnCreate(dups[0]), dups);
		this.checkLists(w.listIds);
		const now = this.iso();
		const contact: Contact = {
			id: ++this.seq.contact,
			email,
			ext_id: w.ext_id,
			attributes: Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== '')),
			listIds: [...new Set(w.listIds ?? [])],
			listUnsubscribed: [],
			emailBlacklisted: w.emailBlacklisted ?? false,
			smsBlacklisted: w.smsBlacklisted ?? false,
			createdAt: now,
			modifiedAt: now,
		};
		this.contacts.set(contact.id, contact);
		this.addToIndex(contact);
		return { contact, created: true };
	}

	/** PUT /contacts/{identifier} (and the update half of upserts, batch and imports). */
	updateContact(contact: Contact, w: ContactWrite, o: { emptyClears?: boolean } = { emptyClears: true }): Contact {
		const attributes = this.cleanAttributes(w.attributes);
		const email = w.email?.trim().toLowerCase() || undefined;
		const dups = this.conflicts({ email, ext_id: w.ext_id, attributes }, contact);
		if (dups.length) throw fail.duplicate(MESSAGES.duplicateOnUpdate(dups[0]), dups);
		this.checkLists(w.listIds);
		this.checkLists(w.unlinkListIds);
		// a new email can be given as the EMAIL attribute (Brevo's way of changing a contact's email)
		const newEmail = typeof w.attributes?.EMAIL === 'string' ? w.attributes.EMAIL.trim().toLowerCase() : email;
		if (newEmail && newEmail !== contact.email) {
			const other = this.findByEmail(newEmail);
			if (other && other !== contact) throw fail.duplicate(MESSAGES.duplicateOnUpdate('email'), ['email']);
		}
		this.removeFromIndex(contact);
		if (newEmail) contact.email = newEmail;
		if (w.ext_id !== undefined) contact.ext_id = w.ext_id || undefined;
		for (const [k, v] of Object.entries(attributes)) {
			if (v === '') {
				if (o.emptyClears) delete contact.attributes[k];
			} else contact.attributes[k] = v;
		}
		if (w.listIds) contact.listIds = [...new Set([...contact.listIds, ...w.listIds])];
		if (w.unlinkListIds) contact.listIds = contact.listIds.filter((id) => !w.unlinkListIds!.includes(id));
		if (w.emailBlacklisted !== undefined) contact.emailBlacklisted = w.emailBlacklisted;
		if (w.smsBlacklisted !== undefined) contact.smsBlacklisted = w.smsBlacklisted;
		contact.modifiedAt = this.iso();
		this.addToIndex(contact);
		return contact;
	}

	deleteContact(contact: Contact): void {
		this.removeFromIndex(contact);
		this.contacts.delete(contact.id);
	}

	/**
	 * Seeding helper (admin / tests): the rules of POST /contacts apply (unknown attributes dropped, phone format,
	 * unique identifiers); lists that do not exist yet are created.
	 */
	seedContact(c: {
		email?: string;
		ext_id?: string;
		attributes?: Record<string, unknown>;
		listIds?: number[];
		sms?: string;
		emailBlacklisted?: boolean;
		createdAt?: string;
	}): Contact {
		for (const id of c.listIds ?? []) if (!this.lists.has(id)) this.addList({ id, name: `List ${id}` });
		const attributes = { ...(c.attributes ?? {}) };
		if (c.sms) attributes.SMS = c.sms;
		const { contact } = this.createContact({
			email: c.email,
			ext_id: c.ext_id,
			attributes,
			listIds: c.listIds,
			emailBlacklisted: c.emailBlacklisted,
		});
		if (c.createdAt) {
			contact.createdAt = c.createdAt;
			contact.modifiedAt = c.createdAt;
		}
		return contact;
	}

	/** The GET /contacts/{identifier} shape. */
	contactView(c: Contact, withStats = false): Record<string, unknown> {
		const attributes: Record<string, unknown> = { ...c.attributes };
		if (c.ext_id) attributes.EXT_ID = c.ext_id;
		const view: Record<string, unknown> = {
			email: c.email,
			id: c.id,
			emailBlacklisted: c.emailBlacklisted,
			smsBlacklisted: c.smsBlacklisted,
			createdAt: c.createdAt,
			modifiedAt: c.modifiedAt,
			attributes,
			listIds: [...c.listIds],
		};
		if (c.email === undefined) delete view.email;
		if (c.listUnsubscribed.length) view.listUnsubscribed = [...c.listUnsubscribed];
		if (withStats) view.statistics = {};
		return view;
	}

	// ---------- webhooks ----------
	nextWebhookId(): number {
		return ++this.seq.webhook;
	}

	// ---------- processes ----------
	nextProcessId(): number {
		return ++this.seq.process;
	}

	// ---------- campaigns ----------
	addCampaign(c: {
		id?: number;
		name: string;
		subject?: string;
		status?: CampaignStatus;
		type?: 'classic' | 'trigger';
		sentDate?: string;
		createdAt?: string;
		listIds?: number[];
		tag?: string;
		stats?: Partial<GlobalStats>;
	}): Campaign {
		const id = c.id ?? ++this.seq.campaign;
		this.seq.campaign = Math.max(this.seq.campaign, id);
		const status = c.status ?? 'draft';
		const sentDate = c.sentDate ?? (status === 'sent' ? this.iso() : undefined);
		const createdAt = c.createdAt ?? sentDate ?? this.iso();
		const stats = { ...emptyStats(), ...(c.stats ?? {}) };
		if (c.stats && c.stats.opensRate === undefined && stats.delivered > 0) {
			stats.opensRate = Math.round((stats.uniqueViews / stats.delivered) * 10000) / 100;
		}
		const campaign: Campaign = {
			id,
			name: c.name,
			subject: c.subject ?? c.name,
			type: c.type ?? 'classic',
			status,
			sentDate,
			createdAt,
			modifiedAt: sentDate ?? createdAt,
			listIds: c.listIds ?? [],
			tag: c.tag,
			sender: { id: 1, name: 'Emulated Sender', email: 'sender@example.com' },
			stats,
		};
		this.campaigns.set(id, campaign);
		return campaign;
	}
}
