/**
 * The suite's control plane, served by the jest process that ran globalSetup (it owns n8n and the emulators):
 * tests run in their own module context (or worker), so they reach the stack over loopback HTTP.
 *
 *   POST /n8n/restart | /n8n/stop | /n8n/start          n8n on the same user folder
 *   POST /slack/<method>   body: JSON array of arguments  calls the in-process Slack emulator (builders, state, ...)
 *   POST /brevo/<method>   body: JSON array of arguments  calls the in-process Brevo emulator
 *   POST /proxy/<method>   body: JSON array of arguments  calls the HTTPS egress proxy (forwarded, refused, reset)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Stack } from '../../scripts/lib/stack';

export async function startControlServer(stack: Stack): Promise<{ url: string; close(): Promise<void> }> {
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', async () => {
			const reply = (status: number, body: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body === undefined ? null : body));
			};
			try {
				const [, target, method] = (req.url ?? '').split('?')[0].split('/');
				const text = Buffer.concat(chunks).toString('utf8');
				const args = text ? JSON.parse(text) : [];
				if (target === 'n8n') {
					if (method === 'restart') await stack.restartN8n();
					else if (method === 'stop') await stack.n8n.stop();
					else if (method === 'start') {
						await stack.n8n.start();
						await stack.client.login(stack.owner.email, stack.owner.password);
					} else return reply(404, { error: `unknown n8n action ${method}` });
					return reply(200, { ok: true, pid: stack.n8n.pid });
				}
				if (target === 'slack' || target === 'brevo' || target === 'proxy') {
					if (target === 'proxy' && !stack.proxy) return reply(404, { error: 'n8n runs without the egress proxy' });
					const emulator = (target === 'slack' ? stack.slack : target === 'brevo' ? stack.brevo : stack.proxy) as unknown as Record<string, unknown>;
					const fn = emulator[method];
					if (typeof fn !== 'function' || method === 'close') return reply(404, { error: `the ${target === 'proxy' ? 'egress proxy' : `${target} emulator`} has no method ${method}` });
					if (!Array.isArray(args)) return reply(400, { error: 'body must be a JSON array of arguments' });
					return reply(200, await (fn as (...a: unknown[]) => unknown).apply(emulator, args));
				}
				reply(404, { error: `unknown control route ${req.url}` });
			} catch (error) {
				reply(500, { error: error instanceof Error ? error.message : String(error) });
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
