/** List > Add Contacts: 150 emails per Brevo call, one outcome per item. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeMembership, membershipDescription } from './membership';

export const description: INodeProperties[] = membershipDescription('add');

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await executeMembership(this, this.getInputData(), 'add');
}
