/**
 * What the editor should show, derived from the node descriptions n8n serves to its editor (`/types/nodes.json`, i.e.
 * the installed package) with n8n-workflow's own displayOptions evaluation, and what the READMEs document.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeHelpers, type INodeParameters, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';

import { ROOT } from '../../scripts/lib/n8n-runtime';
import { e2e, n8n } from '../e2e/support';

/** The package's nodes: where their README is and how a user finds them in the nodes panel. */
export const NODES = [
	// `entry`: the name the nodes panel lists. n8n lists a trigger whose events are grouped as actions under its
	// name without " Trigger" (Brevo Event Trigger -> "Brevo Event").
	{ name: 'slackInteractionTrigger', dir: 'SlackInteractionTrigger', entry: 'Slack Interaction Trigger', searches: ['Slack'] },
	{ name: 'brevoEventTrigger', dir: 'BrevoEventTrigger', entry: 'Brevo Event', searches: ['Brevo', 'Sendinblue'] },
	{ name: 'brevoCampaignTrigger', dir: 'BrevoCampaignTrigger', entry: 'Brevo Campaign Trigger', searches: ['Brevo', 'Sendinblue'] },
	{ name: 'slackNotify', dir: 'SlackNotify', entry: 'Slack Notify', searches: ['Slack', 'Brevo', 'Sendinblue'] },
	{ name: 'brevoForSlack', dir: 'BrevoForSlack', entry: 'Brevo for Slack', searches: ['Brevo', 'Slack', 'Sendinblue'] },
	{ name: 'slackSchedule', dir: 'SlackSchedule', entry: 'Slack Schedule', searches: ['Slack', 'Brevo', 'Sendinblue'] },
] as const;

export type PackageNode = (typeof NODES)[number];

let types: INodeTypeDescription[] | undefined;

/** This package's node descriptions as n8n serves them to the editor. */
export async function descriptionOf(name: string): Promise<INodeTypeDescription> {
	if (!types) types = await (await n8n()).request<INodeTypeDescription[]>('GET', '/types/nodes.json');
	const full = `${e2e().pkg.name}.${name}`;
	const found = types.find((t) => t.name === full);
	if (!found) throw new Error(`n8n does not serve the node type ${full}`);
	return found;
}

/** One way to set a node up: the values of the parameters that switch what it shows, with their option labels. */
export interface Variant {
	key: string;
	/** parameter name -> option value */
	values: Record<string, string>;
	/** parameter name -> option label (what is clicked in the dropdown) */
	labels: Record<string, string>;
}

const node = { typeVersion: 1 };

function shown(d: INodeTypeDescription, values: INodeParameters, p: INodeProperties): boolean {
	return NodeHelpers.displayParameter(values, p, node, d);
}

/** Every resource / operation (action nodes) or event (Brevo Event Trigger); one variant for the other triggers. */
export function variants(d: INodeTypeDescription): Variant[] {
	const switches = ['resource', 'operation', 'event'];
	let out: Variant[] = [{ key: '', values: {}, labels: {} }];
	for (const name of switches) {
		const next: Variant[] = [];
		for (const v of out) {
			const prop = d.properties.find((p) => p.name === name && p.type === 'options' && shown(d, v.values, p));
			if (!prop) {
				next.push(v);
				continue;
			}
			// n8n adds "Custom API Call" (__CUSTOM_API_CALL__) to the nodes whose credential can authenticate its HTTP
			// Request node: not an operation of the package
			for (const o of (prop.options ?? []) as Array<{ name: string; value: string }>) {
				if (o.value === '__CUSTOM_API_CALL__') continue;
				next.push({ key: [v.key, o.value].filter(Boolean).join('/'), values: { ...v.values, [name]: o.value }, labels: { ...v.labels, [name]: o.name } });
			}
		}
		out = next;
	}
	return out;
}

/** The node's parameters with defaults for a variant, as the editor holds them on a fresh node. */
export function parameterValues(d: INodeTypeDescription, v: Variant): INodeParameters {
	return NodeHelpers.getNodeParameters(d.properties, { ...v.values }, true, false, node as never, d) ?? {};
}

/** The top-level parameters the panel should show for a variant (labels in order), and its notices. */
export function expectedPanel(d: INodeTypeDescription, v: Variant): { labels: string[]; notices: string[]; properties: INodeProperties[] } {
	const values = parameterValues(d, v);
	const visible = d.properties.filter((p) => p.type !== 'hidden' && shown(d, values, p));
	return {
		labels: visible.filter((p) => p.type !== 'notice').map((p) => p.displayName),
		notices: visible.filter((p) => p.type === 'notice').map((p) => p.displayName),
		properties: visible.filter((p) => p.type !== 'notice'),
	};
}

export function readme(dir: string): string {
	return readFileSync(join(ROOT, 'nodes', dir, 'README.md'), 'utf8');
}

/**
 * The README's "In the editor" section: one line per variant, `- **<labels>**: Param, Param, ...`
 * (e.g. `- **Scheduled Message / Schedule**: Routing Rules, Send To, ...`). Returns label-key -> parameter names.
 */
export function documentedPanels(text: string): Map<string, string[]> {
	const section = /^## In the editor\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(text)?.[1] ?? '';
	const out = new Map<string, string[]>();
	for (const m of section.matchAll(/^- \*\*(.+?)\*\*: (.+)$/gm)) out.set(m[1].trim(), m[2].split(/,\s*/).map((s) => s.trim().replace(/\.$/, '')));
	return out;
}

/** The key a variant has in the README's "In the editor" list: its option labels joined by " / ", or "Parameters". */
export function variantTitle(v: Variant): string {
	const labels = Object.values(v.labels);
	return labels.length ? labels.join(' / ') : 'Parameters';
}

/** Every loader-fed field of a parameter: the parameter itself, or the fields of a fixedCollection's rows. */
export function loaderFields(p: INodeProperties): Array<{ row?: string; field: INodeProperties; method: string; kind: 'loadOptions' | 'listSearch' }> {
	const out: Array<{ row?: string; field: INodeProperties; method: string; kind: 'loadOptions' | 'listSearch' }> = [];
	const direct = (field: INodeProperties, row?: string) => {
		if (typeof field.typeOptions?.loadOptionsMethod === 'string') out.push({ row, field, method: field.typeOptions.loadOptionsMethod, kind: 'loadOptions' });
		for (const mode of field.modes ?? []) {
			if (typeof mode.typeOptions?.searchListMethod === 'string') out.push({ row, field, method: mode.typeOptions.searchListMethod, kind: 'listSearch' });
		}
	};
	direct(p);
	if (p.type === 'fixedCollection') {
		for (const row of (p.options ?? []) as Array<{ name: string; values?: INodeProperties[] }>) for (const f of row.values ?? []) direct(f, row.name);
	}
	return out;
}

/** The entries each loader must list, read from the emulators' seeded demo data over their own APIs. */
export async function loaderExpectations(): Promise<Record<string, string[]>> {
	const { brevo } = e2e();
	const response = await fetch(`${brevo.apiUrl}/contacts/lists?limit=50`, { headers: { 'api-key': brevo.apiKey, accept: 'application/json' } });
	const lists = ((await response.json()) as { lists: Array<{ id: number; name: string }> }).lists;
	const channels = ['#alerts', '#marketing', '#sales', '#support'];
	return {
		getChannels: channels,
		getChannelOptions: channels,
		getLists: lists.map((l) => `${l.name} (#${l.id})`),
	};
}
