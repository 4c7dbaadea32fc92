/**
 * Unit tests of the runtime machinery that need no n8n: the REST client against a fake server (cookie, errors,
 * publication polling), the Community Nodes install steps on a real tarball, locks, phases, environment hygiene,
 * and how the npm start commands are derived from workflow parameters.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cleanNpmEnv, installPackageIntoUserFolder, N8nClient, N8nHttpError, packPackage, Phases, RuntimeError, withLock, type Runtime } from './n8n-runtime';
import { fillPlaceholders } from './stack';
import { deliveryKind, demoValue, firstActionId, firstOf, modalFields, notifyChannel } from './try-it';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

async function fakeN8n(handler: Handler): Promise<{ url: string; server: Server }> {
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => handler(req, body, res));
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}) => {
	res.writeHead(status, { 'content-type': 'application/json', ...headers });
	res.end(JSON.stringify(body));
};

describe('N8nClient', () => {
	let server: Server | undefined;
	afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

	test('keeps the n8n-auth cookie from login, sends it back, and unwraps {data}', async () => {
		const seen: Array<string | undefined> = [];
		const fake = await fakeN8n((req, body, res) => {
			seen.push(req.headers.cookie);
			if (req.url === '/rest/login') {
				expect(JSON.parse(body)).toEqual({ emailOrLdapLoginId: 'o@example.com', password: 'Secret-123' });
				return json(res, 200, { data: { id: 'u1' } }, { 'set-cookie': ['n8n-auth=abc.def; Path=/; HttpOnly', 'other=1'] });
			}
			json(res, 200, { data: [{ id: 'w1', name: 'A' }] });
		});
		server = fake.server;
		const client = new N8nClient(fake.url);
		await client.login('o@example.com', 'Secret-123');
		expect(client.cookie).toBe('n8n-auth=abc.def');
		expect(await client.workflows()).toEqual([{ id: 'w1', name: 'A' }]);
		expect(seen).toEqual([undefined, 'n8n-auth=abc.def']);
	});

	test('a non-2xx answer becomes an N8nHttpError with the status and n8n message', async () => {
		const fake = await fakeN8n((_req, _body, res) => json(res, 400, { code: 400, message: 'Workflow with id x exists already.' }));
		server = fake.server;
		const error = (await new N8nClient(fake.url).request('POST', '/rest/workflows', { id: 'x' }).catch((e: unknown) => e)) as N8nHttpError;
		expect(error).toBeInstanceOf(N8nHttpError);
		expect(error.status).toBe(400);
		expect(error.message).toContain('exists already');
	});

	test('activateWorkflow waits through in_progress until published', async () => {
		const statuses = ['in_progress', 'in_progress', 'published'];
		const calls: string[] = [];
		const fake = await fakeN8n((req, body, res) => {
			calls.push(`${req.method} ${req.url}`);
			if (req.url === '/rest/workflows/w1' && req.method === 'GET') return json(res, 200, { data: { id: 'w1', name: 'Flow', versionId: 'v7' } });
			if (req.url === '/rest/workflows/w1/activate') {
				expect(JSON.parse(body)).toEqual({ versionId: 'v7' });
				return json(res, 200, { data: { id: 'w1' } });
			}
			const status = statuses.shift() ?? 'published';
			json(res, 200, { data: { status, liveVersionId: null, pendingVersionId: null, triggers: [] } });
		});
		server = fake.server;
		const result = await new N8nClient(fake.url).activateWorkflow('w1');
		expect(result.status).toBe('published');
		expect(calls.filter((c) => c.endsWith('/publication-status'))).toHaveLength(3);
	});

	test('activateWorkflow fails with the trigger error n8n reports', async () => {
		const fake = await fakeN8n((req, _body, res) => {
			if (req.method === 'GET' && req.url === '/rest/workflows/w1') return json(res, 200, { data: { id: 'w1', name: 'Flow', versionId: 'v1' } });
			if (req.url?.endsWith('/activate')) return json(res, 200, { data: {} });
			json(res, 200, { data: { status: 'failed', liveVersionId: null, pendingVersionId: null, triggers: [{ nodeId: 'n1', status: 'failed', errorMessage: 'Brevo answered 401 unauthorized' }] } });
		});
		server = fake.server;
		await expect(new N8nClient(fake.url).activateWorkflow('w1')).rejects.toThrow(/activate workflow Flow: publication failed: n1: Brevo answered 401 unauthorized/);
	});
});

describe('installPackageIntoUserFolder (the Community Nodes install steps)', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'runtime-test-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	test('unpacks into nodes/node_modules/<name>, drops dev/peer/optional dependencies, records the ledger', async () => {
		const src = join(dir, 'src');
		mkdirSync(join(src, 'dist', 'nodes', 'Demo'), { recursive: true });
		writeFileSync(join(src, 'dist', 'nodes', 'Demo', 'Demo.node.js'), 'exports.Demo = class Demo {};\n');
		writeFileSync(
			join(src, 'package.json'),
			JSON.stringify({
				name: 'n8n-nodes-runtime-test',
				version: '1.2.3',
				files: ['dist'],
				n8n: { n8nNodesApiVersion: 1, nodes: ['dist/nodes/Demo/Demo.node.js'], credentials: [] },
				peerDependencies: { 'n8n-workflow': '*' },
				devDependencies: { typescript: '5.9' },
				optionalDependencies: { fsevents: '*' },
			}),
		);
		const pkg = await packPackage(join(dir, 'pack'), src);
		expect(pkg).toEqual(expect.objectContaining({ name: 'n8n-nodes-runtime-test', version: '1.2.3', nodes: ['dist/nodes/Demo/Demo.node.js'] }));
		const runtime: Runtime = { node: process.execPath, binDir: dirname(process.execPath), n8nBin: '', n8nVersion: 'test' };
		const userFolder = join(dir, 'user');
		const installed = await installPackageIntoUserFolder(runtime, userFolder, pkg);
		expect(installed).toBe(join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-runtime-test'));
		const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
		expect(manifest.devDependencies).toBeUndefined();
		expect(manifest.peerDependencies).toBeUndefined();
		expect(manifest.optionalDependencies).toBeUndefined();
		expect(manifest.n8n.nodes).toEqual(['dist/nodes/Demo/Demo.node.js']);
		expect(existsSync(join(installed, 'dist', 'nodes', 'Demo', 'Demo.node.js'))).toBe(true);
		const ledger = JSON.parse(readFileSync(join(userFolder, '.n8n', 'nodes', 'package.json'), 'utf8'));
		expect(ledger).toEqual({ name: 'installed-nodes', private: true, dependencies: { 'n8n-nodes-runtime-test': '1.2.3' } });
	});

	test('npm pack refuses a package whose listed node file is missing', async () => {
		writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'n8n-nodes-x', version: '1.0.0', n8n: { nodes: ['dist/nodes/X/X.node.js'] } }));
		await expect(packPackage(join(dir, 'pack'), dir)).rejects.toThrow(/missing[\s\S]*dist\/nodes\/X\/X\.node\.js/);
	});
});

describe('withLock', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'lock-test-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	test('a second holder waits until the first releases', async () => {
		const order: string[] = [];
		let release!: () => void;
		// withLock takes the lock synchronously (mkdir) before its first await
		const first = withLock(join(dir, 'l'), () => new Promise<void>((r) => (release = () => (order.push('first done'), r()))));
		const second = withLock(join(dir, 'l'), async () => void order.push('second ran'));
		release();
		await Promise.all([first, second]);
		expect(order).toEqual(['first done', 'second ran']);
		expect(existsSync(join(dir, 'l'))).toBe(false);
	});

	test('a lock left by a dead process is taken over', async () => {
		const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
		mkdirSync(join(dir, 'l'));
		writeFileSync(join(dir, 'l', 'pid'), String(dead));
		await expect(withLock(join(dir, 'l'), async () => 'ran', 5_000)).resolves.toBe('ran');
	});
});

describe('Phases and environment', () => {
	test('records each phase, marks failures and rethrows them', async () => {
		const lines: string[] = [];
		const phases = new Phases('[t]', (l) => lines.push(l));
		await phases.run('one', async () => 1);
		await expect(phases.run('two', async () => Promise.reject(new RuntimeError('step', 'broke')))).rejects.toThrow('step: broke');
		expect(phases.timings.map((t) => [t.name, t.ok])).toEqual([
			['one', true],
			['two', false],
		]);
		expect(phases.summary()).toMatch(/! two/);
		expect(lines.some((l) => l.includes('two: FAILED'))).toBe(true);
	});

	test('cleanNpmEnv drops what an outer `npm run` exports (ignore-scripts from .npmrc)', () => {
		process.env.npm_config_ignore_scripts = 'true';
		try {
			const env = cleanNpmEnv({ EXTRA: '1' });
			expect(env.npm_config_ignore_scripts).toBeUndefined();
			expect(env.EXTRA).toBe('1');
			expect(env.PATH).toBe(process.env.PATH);
		} finally {
			delete process.env.npm_config_ignore_scripts;
		}
	});
});

describe('npm start commands from workflow parameters', () => {
	test('placeholders the sticky notes ask to replace get random secrets, other values stay', () => {
		const workflow = { nodes: [{ name: 'Brevo Event Trigger', parameters: { sharedSecret: 'REPLACE_ME_with_openssl_rand_hex_24', event: 'order_placed' } }] };
		const secrets = fillPlaceholders(workflow);
		expect(secrets['Brevo Event Trigger.sharedSecret']).toMatch(/^[0-9a-f]{48}$/);
		expect(workflow.nodes[0].parameters.sharedSecret).toBe(secrets['Brevo Event Trigger.sharedSecret']);
		expect(workflow.nodes[0].parameters.event).toBe('order_placed');
	});

	test('action ids, callback ids and commands come from the trigger filters', () => {
		expect(firstActionId('subscribe_newsletter')).toBe('subscribe_newsletter');
		expect(firstActionId('/^lead_/')).toBe('lead_vip');
		expect(firstActionId('')).toBe('demo_button');
		expect(firstOf('add_lead_to_brevo, other', 'x')).toBe('add_lead_to_brevo');
		expect(firstOf(undefined, '/brevo')).toBe('/brevo');
	});

	test('Brevo delivery kinds follow the trigger event and the registered webhook type', () => {
		expect(deliveryKind({ event: 'new_subscriber' }, 'marketing')).toBe('list_addition');
		expect(deliveryKind({ event: 'unsubscribed' }, 'marketing')).toBe('marketing.unsubscribed');
		expect(deliveryKind({ event: 'unsubscribed' }, 'transactional')).toBe('unsubscribed');
		expect(deliveryKind({ event: 'raw', rawEvents: ['marketing:hardBounce'] }, 'marketing')).toBe('marketing.hard_bounce');
		expect(deliveryKind({ event: 'raw', rawEvents: ['marketing:listAddition'] }, 'marketing')).toBe('list_addition');
	});

	test('modal fields and the target channel are read from the workflow', () => {
		const nodes = [
			{ name: 'T', type: 'x', typeVersion: 1, parameters: {} },
			{ name: 'C', type: 'y', typeVersion: 1, parameters: { email: '={{ $json.values.email }}', name: "={{ $('T').item.json.values.first_name }}" } },
			{ name: 'N', type: 'z', typeVersion: 1, parameters: { defaultChannel: { __rl: true, mode: 'name', value: '#sales' } } },
		];
		expect(modalFields(nodes)).toEqual(['email', 'first_name']);
		expect(notifyChannel(nodes)).toBe('sales');
		expect(demoValue('email')).toBe('lena@example.com');
		expect(demoValue('first_name')).toBe('Lena');
	});
});
