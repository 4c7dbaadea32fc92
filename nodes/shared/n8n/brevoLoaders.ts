/**
 * The Brevo option loaders, each written once and registered by every node whose description names it: spread
 * `brevoLoadOptions` into the node's `methods.loadOptions` (a unit test checks every named loader is registered).
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { getBrevoClient, toBrevoNodeError } from '../brevo/client';

/** Every contact list of the account, as "Name (#id)" options, in Brevo's id order. */
async function getLists(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const brevo = await getBrevoClient(this, { maxRateLimitWaitMs: 10_000 });
	try {
		const lists = await brevo.allLists();
		return lists.map((l) => ({ name: `${l.name} (#${l.id})`, value: l.id }));
	} catch (error) {
		throw toBrevoNodeError(this.getNode(), error, { action: 'loading Brevo lists' });
	}
}

export const brevoLoadOptions = { getLists };
