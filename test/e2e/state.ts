/** What globalSetup hands to the tests (written to a JSON file; tests run in another module context). */
export interface E2EState {
	n8n: { baseUrl: string; userFolder: string; databaseFile: string; logFile: string; node: string; version: string };
	owner: { email: string; password: string };
	pkg: { name: string; version: string; nodes: string[]; credentials: string[] };
	slack: { url: string; apiUrl: string; botToken: string; teamId: string };
	brevo: { url: string; apiUrl: string; apiKey: string };
	/** the HTTPS egress proxy n8n runs behind (test/e2e/proxy.ts); its calls: `egressProxy('forwarded')` */
	proxy?: { url: string; caFile: string; hosts: string[] };
	signingSecret: string;
	demo: { slack?: { channels: Record<string, string>; users: string[] }; brevo?: { lists: Record<string, number>; campaigns: Record<string, number>; contacts: number[] } };
	examples: Array<{ file: string; id: string; name: string; active: boolean; error?: string; secrets: Record<string, string> }>;
	/** per example, the requests behind the command `npm start` prints */
	tryIt: Array<{ example: string; workflowId: string; lines: string[]; requests: Array<{ url: string; bodyFile: string }> }>;
	controlUrl: string;
}

export const STATE_ENV = 'N8N_E2E_STATE_FILE';
