/**
 * A local TLS-terminating HTTPS egress proxy for the end-to-end suite: n8n runs with `HTTPS_PROXY` pointing here and
 * `NODE_EXTRA_CA_CERTS` trusting a throwaway CA, so credentials with the DEFAULT base URLs (https://slack.com/api/,
 * https://api.brevo.com/v3) reach the local emulators - but only if the package's HTTP calls honour the proxy.
 *
 *   const proxy = await startEgressProxy({ dir, routes: egressRoutes(slack.apiUrl, brevo.apiUrl) });
 *   env: proxy.env()   // HTTPS_PROXY, https_proxy, NO_PROXY, no_proxy, NODE_EXTRA_CA_CERTS
 *   proxy.forwarded()  // [{host: 'slack.com', method: 'POST', path: '/api/chat.postMessage', status: 200, ...}]
 *   proxy.refused()    // [{kind: 'connect', target: 'api.n8n.io:443', ...}]
 *
 * - Certificates: `openssl` (/usr/bin/openssl) makes a CA and one leaf per routed host (SAN = the host), in a fresh
 *   temp folder under `dir`. Nothing is installed system-wide.
 * - `CONNECT <routed host>:443` -> `200 Connection Established`, then TLS is terminated here with that host's leaf
 *   certificate and every HTTP/1.1 request inside the tunnel is forwarded over plain HTTP to the emulator, with the
 *   route's path prefix rewritten (`/api/<method>` -> `<slack apiUrl><method>`, `/v3/<path>` -> `<brevo apiUrl>/<path>`).
 *   A path outside the prefix gets 404 and is counted as refused.
 * - Any other CONNECT (other host or port) and any plain-HTTP proxy request (`GET http://host/...`) get 403 and are
 *   counted as refused: nothing leaves the machine.
 *
 * No n8n imports: the unit tests (test/e2e-proxy.test.ts) drive it with Node's https and the in-process emulators.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';

export const OPENSSL = process.env.OPENSSL ?? '/usr/bin/openssl';

export interface EgressRoute {
	/** public path prefix, e.g. `/api/` for https://slack.com/api/ */
	prefix: string;
	/** where that prefix maps to, e.g. the Slack emulator's `apiUrl` (`http://127.0.0.1:PORT/api/`) */
	target: string;
}

export interface ForwardedCall {
	host: string;
	method: string;
	/** path and query as the client sent it to the public host */
	path: string;
	/** the emulator URL it was forwarded to */
	forwardedTo: string;
	/** the emulator's status code (0 when the emulator could not be reached: the client got 502) */
	status: number;
	at: string;
}

export interface RefusedCall {
	/** `connect`: a CONNECT to a host/port we do not route; `http`: a plain-HTTP proxy request; `path`: a tunnelled request outside the route's prefix */
	kind: 'connect' | 'http' | 'path';
	/** `host:port` of a CONNECT, the absolute URL of a plain request, or `host` + path */
	target: string;
	method: string;
	at: string;
}

export interface EgressProxyOptions {
	/** a temp folder for the CA and leaf certificates is created inside (e.g. the run's .cache/e2e/run-<pid>) */
	dir: string;
	/** routed hosts (port 443 only) */
	routes: Record<string, EgressRoute>;
	/** listening port on 127.0.0.1 (0 = ephemeral, the default) */
	port?: number;
}

export interface EgressProxy {
	/** `http://127.0.0.1:<port>` (what HTTPS_PROXY gets) */
	url: string;
	port: number;
	/** PEM of the throwaway CA that signed the leaf certificates (what NODE_EXTRA_CA_CERTS gets) */
	caFile: string;
	caPem: string;
	certDir: string;
	hosts: string[];
	forwarded(filter?: { host?: string }): ForwardedCall[];
	refused(): RefusedCall[];
	/** forget recorded calls (not the certificates) */
	reset(): void;
	/**
	 * The environment n8n needs to use this proxy: HTTPS_PROXY / https_proxy, NO_PROXY / no_proxy for loopback (n8n's
	 * own calls to the emulators' 127.0.0.1 URLs and the tests' calls to n8n stay direct), NODE_EXTRA_CA_CERTS.
	 */
	env(): Record<string, string>;
	close(): Promise<void>;
}

/** The two public API hosts mapped to the emulators (`slackApiUrl` ends with `/api/`, `brevoApiUrl` with `/v3`). */
export function egressRoutes(slackApiUrl: string, brevoApiUrl: string): Record<string, EgressRoute> {
	return {
		'slack.com': { prefix: '/api/', target: slackApiUrl.endsWith('/') ? slackApiUrl : `${slackApiUrl}/` },
		'api.brevo.com': { prefix: '/v3/', target: brevoApiUrl.endsWith('/') ? brevoApiUrl : `${brevoApiUrl}/` },
	};
}

/** Where a tunnelled request goes: the route's target + the path after the prefix (query kept), or undefined. */
export function rewrite(route: EgressRoute, path: string): string | undefined {
	const bare = route.prefix.replace(/\/$/, '');
	let rest: string;
	if (path.startsWith(route.prefix)) rest = path.slice(route.prefix.length);
	else if (path === bare || path.startsWith(`${bare}?`)) rest = path.slice(bare.length);
	else return undefined;
	return `${route.target}${rest}`;
}

function openssl(args: string[], cwd: string): void {
	try {
		execFileSync(OPENSSL, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
	} catch (error) {
		const e = error as { stderr?: Buffer; message: string };
		throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString().trim() || e.message}`);
	}
}

export interface GeneratedCertificates {
	dir: string;
	caFile: string;
	caPem: string;
	leaves: Record<string, { cert: string; key: string }>;
}

/** A throwaway CA (valid 2 days) and one leaf per host signed by it, with the host as its only SAN. */
export function generateCertificates(parentDir: string, hosts: string[]): GeneratedCertificates {
	mkdirSync(parentDir, { recursive: true });
	const dir = mkdtempSync(join(parentDir, 'egress-proxy-'));
	const curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	openssl(
		[
			'req', '-x509', ...curve, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-sha256',
			'-subj', '/CN=n8n-nodes-slack-brevo e2e egress proxy CA (throwaway)',
			'-addext', 'basicConstraints=critical,CA:TRUE',
			'-addext', 'keyUsage=critical,keyCertSign,cRLSign',
			'-addext', 'subjectKeyIdentifier=hash',
		],
		dir,
	);
	const leaves: GeneratedCertificates['leaves'] = {};
	for (const host of hosts) {
		const ext = join(dir, `${host}.ext`);
		writeFileSync(
			ext,
			[
				`subjectAltName=DNS:${host}`,
				'basicConstraints=critical,CA:FALSE',
				'keyUsage=critical,digitalSignature,keyEncipherment',
				'extendedKeyUsage=serverAuth',
				'subjectKeyIdentifier=hash',
				'authorityKeyIdentifier=keyid,issuer',
			].join('\n'),
		);
		openssl(['req', ...curve, '-keyout', `${host}.key`, '-out', `${host}.csr`, '-subj', `/CN=${host}`], dir);
		openssl(
			[
				'x509', '-req', '-in', `${host}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-out', `${host}.pem`, '-days', '2', '-sha256',
				'-set_serial', `0x${randomBytes(12).toString('hex')}`, '-extfile', ext,
			],
			dir,
		);
		leaves[host] = { cert: readFileSync(join(dir, `${host}.pem`), 'utf8'), key: readFileSync(join(dir, `${host}.key`), 'utf8') };
	}
	const caFile = join(dir, 'ca.pem');
	return { dir, caFile, caPem: readFileSync(caFile, 'utf8'), leaves };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

export async function startEgressProxy(options: EgressProxyOptions): Promise<EgressProxy> {
	const hosts = Object.keys(options.routes);
	const certs = generateCertificates(options.dir, hosts);
	const contexts = new Map<string, SecureContext>(hosts.map((h) => [h, createSecureContext({ cert: certs.leaves[h].cert, key: certs.leaves[h].key })]));
	let forwarded: ForwardedCall[] = [];
	let refused: RefusedCall[] = [];
	const tunnelHost = new WeakMap<object, string>();
	const sockets = new Set<Socket>();
	const track = (socket: Socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	};

	/** Requests decrypted inside a tunnel: rewritten and forwarded to the emulator over plain HTTP. */
	const inner: Server = createServer((req, res) => forward(req, res));
	inner.keepAliveTimeout = 5_000;

	function forward(req: IncomingMessage, res: ServerResponse): void {
		const host = tunnelHost.get(req.socket) ?? '';
		const route = options.routes[host];
		const path = req.url ?? '/';
		const method = req.method ?? 'GET';
		const target = route ? rewrite(route, path) : undefined;
		if (!target) {
			refused.push({ kind: 'path', target: `${host}${path}`, method, at: new Date().toISOString() });
			req.resume();
			res.writeHead(404, { 'content-type': 'text/plain' });
			res.end(`egress proxy: https://${host}${path} is outside ${route?.prefix ?? '(no route)'}\n`);
			return;
		}
		const call: ForwardedCall = { host, method, path, forwardedTo: target, status: 0, at: new Date().toISOString() };
		forwarded.push(call);
		const headers: Record<string, string | string[]> = {};
		for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
		const upstream = httpRequest(target, { method, headers }, (answer) => {
			call.status = answer.statusCode ?? 0;
			const back: Record<string, string | string[]> = {};
			for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) back[k] = v;
			res.writeHead(answer.statusCode ?? 502, back);
			answer.pipe(res);
		});
		upstream.on('error', (error) => {
			if (res.headersSent) {
				res.destroy(error);
				return;
			}
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`egress proxy: ${target} unreachable: ${error.message}\n`);
		});
		req.pipe(upstream);
	}

	const outer: Server = createServer((req, res) => {
		// a plain-HTTP proxy request (`GET http://host/path`) or anything that is not CONNECT
		refused.push({ kind: 'http', target: req.url ?? '', method: req.method ?? '', at: new Date().toISOString() });
		req.resume();
		res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' });
		res.end('egress proxy: only CONNECT to the routed hosts is allowed\n');
	});
	outer.on('connection', track);
	outer.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
		const target = req.url ?? '';
		const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
		const host = match?.[1].toLowerCase() ?? '';
		const port = Number(match?.[2]);
		socket.on('error', () => undefined);
		const context = contexts.get(host);
		if (!context || port !== 443) {
			refused.push({ kind: 'connect', target, method: 'CONNECT', at: new Date().toISOString() });
			socket.end('HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\negress proxy: CONNECT refused\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head.length > 0) socket.unshift(head);
		const tls = new TLSSocket(socket, { isServer: true, secureContext: context, ALPNProtocols: ['http/1.1'] });
		tls.on('error', () => socket.destroy());
		tunnelHost.set(tls, host);
		track(tls);
		inner.emit('connection', tls);
	});

	await new Promise<void>((resolve, reject) => {
		outer.once('error', reject);
		outer.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const port = (outer.address() as AddressInfo).port;
	const url = `http://127.0.0.1:${port}`;
	return {
		url,
		port,
		caFile: certs.caFile,
		caPem: certs.caPem,
		certDir: certs.dir,
		hosts,
		forwarded: (filter = {}) => forwarded.filter((c) => !filter.host || c.host === filter.host),
		refused: () => [...refused],
		reset: () => {
			forwarded = [];
			refused = [];
		},
		env: () => ({
			HTTPS_PROXY: url,
			https_proxy: url,
			NO_PROXY: '127.0.0.1,localhost',
			no_proxy: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: certs.caFile,
		}),
		close: async () => {
			for (const socket of sockets) socket.destroy();
			inner.close();
			await new Promise<void>((resolve) => outer.close(() => resolve()));
		},
	};
}
