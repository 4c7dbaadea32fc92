/**
 * The e2e suite's TLS-terminating egress proxy (test/e2e/proxy.ts) against the in-process emulators: real HTTPS
 * requests to https://slack.com/api/... and https://api.brevo.com/v3/... tunnelled with CONNECT, trusting only the
 * proxy's throwaway CA, land in the emulators; everything else is refused and counted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { startBrevoEmulator, type BrevoEmulator } from './emulators/brevo';
import { startSlackEmulator, type SlackEmulator } from './emulators/slack';
import { egressRoutes, rewrite, startEgressProxy, type EgressProxy } from './e2e/proxy';

let slack: SlackEmulator;
let brevo: BrevoEmulator;
let proxy: EgressProxy;
let dir: string;
let marketing: string;

beforeAll(async () => {
	slack = await startSlackEmulator();
	brevo = await startBrevoEmulator();
	marketing = slack.seedDemo().channels.marketing;
	brevo.seedDemo();
	dir = mkdtempSync(join(tmpdir(), 'e2e-proxy-test-'));
	proxy = await startEgressProxy({ dir, routes: egressRoutes(slack.apiUrl, brevo.apiUrl) });
});

afterAll(async () => {
	await proxy?.close();
	await slack?.close();
	await brevo?.close();
	rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => proxy.reset());

/** CONNECT host:port through the proxy; resolves with the proxy's status and the raw tunnel socket. */
function connectTunnel(target: string): Promise<{ status: number; socket: Socket }> {
	return new Promise((resolve, reject) => {
		const req = httpRequest({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: target, headers: { host: target } });
		req.once('connect', (res, socket) => resolve({ status: res.statusCode ?? 0, socket }));
		req.once('error', reject);
		req.end();
	});
}

interface Answer {
	status: number;
	body: string;
	json: any;
}

/** An HTTPS request to `https://<host><path>` through a CONNECT tunnel, verifying the certificate against `ca`. */
async function viaProxy(host: string, path: string, o: { method?: string; headers?: Record<string, string>; body?: string; ca?: string | null } = {}): Promise<Answer> {
	const tunnel = await connectTunnel(`${host}:443`);
	if (tunnel.status !== 200) {
		tunnel.socket.destroy();
		throw new Error(`CONNECT ${host}:443 -> ${tunnel.status}`);
	}
	return await new Promise<Answer>((resolve, reject) => {
		const req = httpsRequest(
			{
				host,
				path,
				method: o.method ?? 'GET',
				headers: { ...(o.body ? { 'content-length': String(Buffer.byteLength(o.body)) } : {}), ...o.headers },
				// ca null: Node's default roots only
				createConnection: () => tlsConnect({ socket: tunnel.socket, servername: host, ...(o.ca === null ? {} : { ca: o.ca ?? proxy.caPem }) }),
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (c: string) => (body += c));
				res.on('end', () => {
					let json: unknown;
					try {
						json = JSON.parse(body);
					} catch {
						json = undefined;
					}
					tunnel.socket.destroy();
					resolve({ status: res.statusCode ?? 0, body, json });
				});
			},
		);
		req.once('error', (error) => {
			tunnel.socket.destroy();
			reject(error);
		});
		req.end(o.body);
	});
}

describe('rewrite', () => {
	const routes = egressRoutes('http://127.0.0.1:1/api/', 'http://127.0.0.1:2/v3');
	test('maps the public prefix onto the emulator URL, query kept', () => {
		expect(rewrite(routes['slack.com'], '/api/chat.postMessage')).toBe('http://127.0.0.1:1/api/chat.postMessage');
		expect(rewrite(routes['api.brevo.com'], '/v3/contacts?limit=1&offset=0')).toBe('http://127.0.0.1:2/v3/contacts?limit=1&offset=0');
		expect(rewrite(routes['api.brevo.com'], '/v3')).toBe('http://127.0.0.1:2/v3/');
	});
	test('paths outside the prefix are not routed', () => {
		expect(rewrite(routes['slack.com'], '/apix/auth.test')).toBeUndefined();
		expect(rewrite(routes['api.brevo.com'], '/v2/contacts')).toBeUndefined();
		expect(rewrite(routes['api.brevo.com'], '/')).toBeUndefined();
	});
});

describe('egress proxy', () => {
	test('env() is what n8n needs: the proxy for https, loopback direct, the CA trusted', () => {
		expect(proxy.env()).toEqual({
			HTTPS_PROXY: proxy.url,
			https_proxy: proxy.url,
			NO_PROXY: '127.0.0.1,localhost',
			no_proxy: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: proxy.caFile,
		});
		expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}`);
		expect(proxy.certDir.startsWith(dir)).toBe(true);
	});

	test('https://slack.com/api/<method> reaches the Slack emulator (auth, JSON body, write recorded)', async () => {
		const auth = await viaProxy('slack.com', '/api/auth.test', { method: 'POST', headers: { authorization: `Bearer ${slack.botToken}` } });
		expect(auth.status).toBe(200);
		expect(auth.json).toMatchObject({ ok: true, team_id: slack.teamId });
		const text = `via the proxy ${Date.now()}`;
		const posted = await viaProxy('slack.com', '/api/chat.postMessage', {
			method: 'POST',
			headers: { authorization: `Bearer ${slack.botToken}`, 'content-type': 'application/json; charset=utf-8' },
			body: JSON.stringify({ channel: marketing, text }),
		});
		expect(posted.json).toMatchObject({ ok: true, channel: marketing });
		expect(slack.messages(marketing).some((m) => m.text === text)).toBe(true);
		expect(proxy.forwarded().map(({ host, method, path, status }) => ({ host, method, path, status }))).toEqual([
			{ host: 'slack.com', method: 'POST', path: '/api/auth.test', status: 200 },
			{ host: 'slack.com', method: 'POST', path: '/api/chat.postMessage', status: 200 },
		]);
		expect(proxy.forwarded()[1].forwardedTo).toBe(`${slack.apiUrl}chat.postMessage`);
		expect(proxy.refused()).toEqual([]);
	});

	test('https://api.brevo.com/v3/<path> reaches the Brevo emulator (api-key header, query, write recorded)', async () => {
		const headers = { 'api-key': brevo.apiKey, accept: 'application/json' };
		const account = await viaProxy('api.brevo.com', '/v3/account', { headers });
		expect(account.status).toBe(200);
		const email = `proxy.${Date.now()}@example.com`;
		const created = await viaProxy('api.brevo.com', '/v3/contacts', {
			method: 'POST',
			headers: { ...headers, 'content-type': 'application/json' },
			body: JSON.stringify({ email, updateEnabled: true }),
		});
		expect(created.status).toBe(201);
		expect(brevo.contact(email)).toBeDefined();
		const listed = await viaProxy('api.brevo.com', '/v3/contacts?limit=1&offset=0', { headers });
		expect(listed.status).toBe(200);
		expect(listed.json.contacts).toHaveLength(1);
		const wrongKey = await viaProxy('api.brevo.com', '/v3/account', { headers: { 'api-key': 'xkeysib-wrong' } });
		expect(wrongKey.status).toBe(401);
		expect(proxy.forwarded({ host: 'api.brevo.com' }).map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
			'GET /v3/account 200',
			'POST /v3/contacts 201',
			'GET /v3/contacts?limit=1&offset=0 200',
			'GET /v3/account 401',
		]);
		expect(brevo.requests({ path: '/v3/contacts' }).some((r) => r.method === 'POST')).toBe(true);
	});

	test('the leaf certificates are only trusted through the throwaway CA, and name their host', async () => {
		// Node's default roots do not include the CA: the handshake fails, nothing is forwarded
		await expect(viaProxy('slack.com', '/api/auth.test', { method: 'POST', ca: null })).rejects.toThrow(
			/self[- ]signed|unable to (get|verify)|certificate/i,
		);
		// a tunnel to api.brevo.com presents api.brevo.com's certificate, not slack.com's
		const tunnel = await connectTunnel('api.brevo.com:443');
		const peer = await new Promise<{ subjectaltname?: string }>((resolve, reject) => {
			const tls = tlsConnect({ socket: tunnel.socket, servername: 'api.brevo.com', ca: proxy.caPem }, () => {
				resolve(tls.getPeerCertificate());
				tls.destroy();
			});
			tls.once('error', reject);
		});
		expect(peer.subjectaltname).toBe('DNS:api.brevo.com');
		expect(proxy.forwarded()).toEqual([]);
	});

	test('other hosts, other ports, plain-HTTP proxying and paths outside the prefix are refused and counted', async () => {
		for (const target of ['example.com:443', 'hooks.slack.com:443', 'slack.com:80', 'api.brevo.com:8443']) {
			const tunnel = await connectTunnel(target);
			tunnel.socket.destroy();
			expect([target, tunnel.status]).toEqual([target, 403]);
		}
		const plain = await new Promise<number>((resolve, reject) => {
			const req = httpRequest({ host: '127.0.0.1', port: proxy.port, path: 'http://slack.com/api/auth.test', headers: { host: 'slack.com' } }, (res) => {
				res.resume();
				resolve(res.statusCode ?? 0);
			});
			req.once('error', reject);
			req.end();
		});
		expect(plain).toBe(403);
		const outside = await viaProxy('slack.com', '/not-the-api', { headers: { authorization: `Bearer ${slack.botToken}` } });
		expect(outside.status).toBe(404);
		expect(proxy.refused().map(({ kind, target, method }) => ({ kind, target, method }))).toEqual([
			{ kind: 'connect', target: 'example.com:443', method: 'CONNECT' },
			{ kind: 'connect', target: 'hooks.slack.com:443', method: 'CONNECT' },
			{ kind: 'connect', target: 'slack.com:80', method: 'CONNECT' },
			{ kind: 'connect', target: 'api.brevo.com:8443', method: 'CONNECT' },
			{ kind: 'http', target: 'http://slack.com/api/auth.test', method: 'GET' },
			{ kind: 'path', target: 'slack.com/not-the-api', method: 'GET' },
		]);
		expect(proxy.forwarded()).toEqual([]);
	});

	test('several requests on one kept-alive tunnel are each forwarded', async () => {
		const tunnel = await connectTunnel('slack.com:443');
		const tls = tlsConnect({ socket: tunnel.socket, servername: 'slack.com', ca: proxy.caPem });
		let connections = 0;
		const agent = new HttpsAgent({ keepAlive: true, maxSockets: 1 });
		(agent as unknown as { createConnection: () => unknown }).createConnection = () => {
			connections += 1;
			return tls;
		};
		const call = (method: string) =>
			new Promise<any>((resolve, reject) => {
				const req = httpsRequest(
					{ host: 'slack.com', path: `/api/${method}`, method: 'POST', headers: { authorization: `Bearer ${slack.botToken}` }, agent },
					(res) => {
						let body = '';
						res.on('data', (c) => (body += c));
						res.on('end', () => resolve(JSON.parse(body)));
					},
				);
				req.once('error', reject);
				req.end();
			});
		expect(await call('auth.test')).toMatchObject({ ok: true });
		expect(await call('conversations.list')).toMatchObject({ ok: true });
		agent.destroy();
		tls.destroy();
		expect(connections).toBe(1);
		expect(proxy.forwarded().map((c) => c.path)).toEqual(['/api/auth.test', '/api/conversations.list']);
	});
});
