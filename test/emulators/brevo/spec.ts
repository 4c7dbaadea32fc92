/**
 * Request validation against Brevo's published OpenAPI definition (`openapi/brevo-openapi-v3.yml`, an unmodified
 * copy of the project's `shared/specs/brevo-openapi-v3.yml`).
 *
 * Loading cost matters because tests start emulators often: parsing the 1 MB YAML takes ~160 ms, so the
 * parsed definition is kept once per process and, across processes (each jest worker / test file), in a JSON
 * copy under the OS temp directory keyed by the YAML's size and mtime (JSON.parse of it takes a few ms).
 * Nothing is compiled up front: an operation's validators are compiled the first time it is called and cached.
 *
 * Patches from `specs/README.md`, applied in memory: `format: url` -> `uri`; the add-to-list `oneOf` branches get
 * `required: [emails] | [ids] | [extIds]`; `servers` gets its `/v3` prefix (paths here are matched after `/v3`).
 * One more of the same kind, not in the README: the remove-from-list `oneOf` (`emails | ids | all | extIds`).
 * And one that makes the definition as lenient as Brevo: `POST /events` property values may be booleans and floats
 * (the definition's own example and description, and the SDK's types, say so; its schema does not).
 * Every rule here has its source (doc page, OpenAPI path, SDK type, public issue) or `guess` in
 * test/emulators/CONTRACT.md, "Brevo REST rules and sources".
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as yaml from 'js-yaml';

/**
 * The definition validated against: `BREVO_OPENAPI_SPEC` if set, else the unmodified copy kept beside the emulator
 * (`openapi/brevo-openapi-v3.yml`, so a fresh clone has it), else the shared one this copy was taken from.
 */
export const DEFAULT_SPEC_PATH =
	process.env.BREVO_OPENAPI_SPEC ??
	[path.join(__dirname, 'openapi', 'brevo-openapi-v3.yml'), '/work/shared/specs/brevo-openapi-v3.yml'].find((f) =>
		fs.existsSync(f),
	) ??
	path.join(__dirname, 'openapi', 'brevo-openapi-v3.yml');

type Json = Record<string, any>;

export interface SpecViolation {
	code: 'invalid_parameter' | 'missing_parameter';
	message: string;
}

interface OperationValidators {
	params?: ValidateFunction;
	paramSchemas: Array<{ name: string; in: string; schema: Json; required: boolean }>;
	body?: ValidateFunction;
	bodyRequired: boolean;
}

let loadedSpec: { file: string; doc: Json } | undefined;
let ajv: Ajv | undefined;
const compiled = new Map<string, OperationValidators>();

/** Timings of the last load (ms), for the benchmark / report. */
export const specLoadStats = { source: '' as 'memory' | 'json-cache' | 'yaml' | '', ms: 0 };

export function loadSpec(file = DEFAULT_SPEC_PATH): Json {
	if (loadedSpec && loadedSpec.file === file) {
		specLoadStats.source = 'memory';
		specLoadStats.ms = 0;
		return loadedSpec.doc;
	}
	const started = process.hrtime.bigint();
	const stat = fs.statSync(file);
	const cacheFile = path.join(
		os.tmpdir(),
		`brevo-openapi-${stat.size}-${Math.trunc(stat.mtimeMs)}-p3.json`,
	);
	let doc: Json | undefined;
	try {
		doc = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Json;
		specLoadStats.source = 'json-cache';
	} catch {
		doc = patchSpec(yaml.load(fs.readFileSync(file, 'utf8')) as Json);
		specLoadStats.source = 'yaml';
		try {
			const tmp = `${cacheFile}.${process.pid}.tmp`;
			fs.writeFileSync(tmp, JSON.stringify(doc));
			fs.renameSync(tmp, cacheFile);
		} catch {
			// a read-only temp dir only costs the YAML parse next time
		}
	}
	specLoadStats.ms = Number(process.hrtime.bigint() - started) / 1e6;
	loadedSpec = { file, doc };
	compiled.clear();
	return doc;
}

/** The in-memory patches listed in specs/README.md. */
export function patchSpec(doc: Json): Json {
	const walk = (node: unknown): void => {
		if (Array.isArray(node)) return node.forEach(walk);
		if (!node || typeof node !== 'object') return;
		const obj = node as Json;
		if (obj.format === 'url') obj.format = 'uri';
		for (const key of Object.keys(obj)) walk(obj[key]);
	};
	walk(doc);
	// README patch 2, and the same defect in the remove body (its `{all}` branch, without `required`, matched any
	// object, so `{ids:[...]}` matched two branches and failed the oneOf): each branch requires its own key.
	for (const op of ['add', 'remove']) {
		const body = doc.paths?.[`/contacts/lists/{listId}/contacts/${op}`]?.post?.requestBody?.content?.[
			'application/json'
		]?.schema;
		if (!body?.oneOf) continue;
		for (const branch of body.oneOf as Json[]) {
			const key = ['emails', 'ids', 'extIds', 'all'].find((k) => branch.properties?.[k]);
			if (key) branch.required = [key];
		}
	}
	// POST /events: the definition allows only string | integer (| object | array) property values, yet its own
	// example sends `autoplayed: false`, its description lists "string, number, boolean (true/false), date", and
	// @getbrevo/brevo types the values `string | number | boolean | ...` (CreateEventRequest.EventProperties.Value,
	// ContactProperties.Value). Brevo accepts booleans and floats; so does the emulator.
	const eventBody = doc.paths?.['/events']?.post?.requestBody?.content?.['application/json']?.schema;
	for (const key of ['event_properties', 'contact_properties']) {
		const values = eventBody?.properties?.[key]?.additionalProperties;
		if (!Array.isArray(values?.anyOf)) continue;
		values.anyOf = (values.anyOf as Json[]).filter((t) => t.type !== 'integer');
		values.anyOf.push({ type: 'number' }, { type: 'boolean' });
	}
	if (Array.isArray(doc.servers)) {
		doc.servers = doc.servers.map((s: Json) => ({
			...s,
			url: String(s.url).endsWith('/v3') ? s.url : `${String(s.url).replace(/\/$/, '')}/v3`,
		}));
	}
	return doc;
}

function getAjv(): Ajv {
	if (ajv) return ajv;
	ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
	addFormats(ajv);
	// Formats the definition uses that JSON Schema does not define: documentation only, as Brevo treats them.
	for (const f of ['uuidv4', 'string', 'integer', 'datetime', 'int', 'float64', 'int16', 'objectID', 'mobile']) {
		ajv.addFormat(f, true);
	}
	return ajv;
}

/** Inline `#/components/...` references (request schemas are not recursive; a cycle becomes `{}`). */
function resolveRefs(node: unknown, doc: Json, seen: string[] = []): any {
	if (Array.isArray(node)) return node.map((n) => resolveRefs(n, doc, seen));
	if (!node || typeof node !== 'object') return node;
	const obj = node as Json;
	if (typeof obj.$ref === 'string') {
		const ref = obj.$ref as string;
		if (seen.includes(ref)) return {};
		const target = ref
			.replace(/^#\//, '')
			.split('/')
			.reduce<any>((acc, part) => acc?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
		return resolveRefs(target ?? {}, doc, [...seen, ref]);
	}
	const out: Json = {};
	for (const [k, v] of Object.entries(obj)) {
		if (k === 'example' || k === 'examples' || k === 'description') continue;
		out[k] = resolveRefs(v, doc, seen);
	}
	return out;
}

function validatorsFor(specPath: string, method: string, file?: string): OperationValidators | undefined {
	const key = `${method} ${specPath}`;
	const hit = compiled.get(key);
	if (hit) return hit;
	const doc = loadSpec(file);
	const op = doc.paths?.[specPath]?.[method.toLowerCase()];
	if (!op) return undefined;
	const params = [...(doc.paths[specPath].parameters ?? []), ...(op.parameters ?? [])].map((p: Json) =>
		resolveRefs(p, doc),
	) as Json[];
	const paramSchemas = params
		.filter((p) => p.in === 'path' || p.in === 'query')
		.map((p) => ({ name: String(p.name), in: String(p.in), schema: (p.schema ?? {}) as Json, required: !!p.required }));
	const v: OperationValidators = { paramSchemas, bodyRequired: !!op.requestBody?.required };
	if (paramSchemas.length) {
		const properties: Json = {};
		const required: string[] = [];
		for (const p of paramSchemas) {
			properties[p.name] = p.schema;
			if (p.required) required.push(p.name);
		}
		v.params = getAjv().compile({ type: 'object', properties, required });
	}
	const bodySchema = op.requestBody?.content?.['application/json']?.schema;
	if (bodySchema) v.body = getAjv().compile(resolveRefs(bodySchema, doc));
	compiled.set(key, v);
	return v;
}

/** Query/path values arrive as strings: convert them the way Brevo's API reads them before checking types. */
function coerceParam(raw: string | string[], schema: Json): unknown {
	const type = schema.type;
	if (type === 'array') {
		const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((r) => r.split(','));
		return parts.map((p) => coerceParam(p, schema.items ?? {}));
	}
	const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
	if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
	if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
	return value;
}

function jsonPath(instancePath: string): string {
	return instancePath
		.split('/')
		.filter(Boolean)
		.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
		.join('')
		.replace(/^\./, '');
}

/**
 * Turns Ajv's errors into Brevo's one-line message naming the field. For a failed `oneOf` whose branches only
 * disagree on the type, the accepted types are listed; otherwise the first branch's own error is the useful one
 * (e.g. "emails must NOT have more than 150 items" for the add-to-list body).
 */
function violationFrom(errors: ErrorObject[], where: 'body' | 'params'): SpecViolation {
	const last = errors[errors.length - 1];
	if (last.keyword === 'oneOf' || last.keyword === 'anyOf') {
		const branch = errors.slice(0, -1);
		if (branch.length && branch.every((e) => e.keyword === 'type' && e.instancePath === last.instancePath)) {
			const types = branch.map((e) => (e.params as { type: string }).type).join(', ');
			const subject = jsonPath(last.instancePath) || where;
			return { code: 'invalid_parameter', message: `${subject} must be one of the types ${types}` };
		}
	}
	const err = errors[0];
	const at = jsonPath(err.instancePath);
	if (err.keyword === 'required') {
		const missing = (err.params as { missingProperty: string }).missingProperty;
		return { code: 'missing_parameter', message: `${at ? `${at}.` : ''}${missing} is missing` };
	}
	let detail = err.message ?? 'is invalid';
	if (err.keyword === 'enum') {
		detail = `must be one of ${((err.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`;
	}
	return { code: 'invalid_parameter', message: `${at || where} ${detail}` };
}

export interface RequestToValidate {
	specPath: string; // e.g. `/contacts/{identifier}`
	method: string;
	pathParams: Record<string, string>;
	query: Record<string, string | string[]>;
	body: unknown;
	hasBody: boolean;
}

/**
 * Validates a request; returns the first violation (Brevo reports one problem at a time) or undefined.
 * Also returns the typed parameters so handlers read the same values the validator accepted.
 */
export function validateRequest(
	req: RequestToValidate,
	file?: string,
): { violation?: SpecViolation; params: Record<string, unknown> } {
	const v = validatorsFor(req.specPath, req.method, file);
	const params: Record<string, unknown> = {};
	if (!v) return { params };
	for (const p of v.paramSchemas) {
		const raw = p.in === 'path' ? req.pathParams[p.name] : req.query[p.name];
		if (raw === undefined || raw === '') continue;
		params[p.name] = coerceParam(raw, p.schema);
	}
	if (v.params && !v.params(params)) {
		return { violation: violationFrom(v.params.errors!, 'params'), params };
	}
	if (v.body) {
		if (!req.hasBody) {
			if (v.bodyRequired) return { violation: { code: 'missing_parameter', message: 'body is missing' }, params };
		} else if (!v.body(req.body)) {
			return { violation: violationFrom(v.body.errors!, 'body'), params };
		}
	}
	return { params };
}

/** Compiles nothing: tells whether the definition knows this operation (used by the router's self-check). */
export function specHasOperation(specPath: string, method: string, file?: string): boolean {
	return !!loadSpec(file).paths?.[specPath]?.[method.toLowerCase()];
}
