import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { getBrevoClient, toBrevoNodeError, type BrevoGateway } from '../shared/n8n/brevoClient';
import {
	campaignItem,
	initialState,
	isState,
	latestSent,
	queryWindow,
	selectNewCampaigns,
	type SentCampaign,
} from './campaigns';

const PAGE = 100;
/** A runaway guard: 20 pages are 2,000 campaigns sent inside one look-back window. */
const MAX_PAGES = 20;

async function listSent(
	ctx: IPollFunctions,
	brevo: BrevoGateway,
	window: { startDate: string; endDate: string } | undefined,
	maxPages: number,
): Promise<SentCampaign[]> {
	const out: SentCampaign[] = [];
	for (let page = 0; page < maxPages; page++) {
		let response;
		try {
			response = await brevo.getEmailCampaigns({
				status: 'sent',
				statistics: 'globalStats',
				limit: PAGE,
				offset: page * PAGE,
				sort: 'desc',
				excludeHtmlContent: true,
				...(window ?? {}),
			});
		} catch (error) {
			throw toBrevoNodeError(ctx.getNode(), error, { action: 'listing sent email campaigns' });
		}
		const campaigns = (response.campaigns ?? []) as unknown as SentCampaign[];
		out.push(...campaigns);
		const count = typeof response.count === 'number' ? response.count : 0;
		if (campaigns.length < PAGE || out.length >= count) break;
	}
	return out;
}

export class BrevoCampaignTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Brevo Campaign Trigger',
		name: 'brevoCampaignTrigger',
		icon: { light: 'file:brevoCampaignTrigger.svg', dark: 'file:brevoCampaignTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		description: 'Starts the workflow once for each newly sent Brevo email campaign, with its global statistics',
		subtitle: 'campaign_sent',
		defaults: { name: 'Brevo Campaign Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'slackBrevoBrevoApi', required: true }],
		properties: [
			{
				displayName:
					'Brevo has no webhook for sent campaigns: this node asks Brevo on the schedule above (one API call per poll). Brevo allows about 100 such calls per hour per account, shared with other tools: poll every 5 minutes or less often. The first poll after activation only notes the time: campaigns sent earlier are not emitted.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Minimum Age (Minutes)',
						name: 'minAgeMinutes',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 300 },
						default: 0,
						description:
							'Emit a campaign only once it was sent at least this long ago, so its statistics (delivered, opens, clicks) have had time to build up',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const brevo = await getBrevoClient(this);
		const now = new Date();

		if (this.getMode() === 'manual') {
			// "Fetch test event": the most recently sent campaign, without touching the saved state.
			const latest = latestSent(await listSent(this, brevo, undefined, 1));
			return latest ? [[{ json: campaignItem(latest, now) as IDataObject }]] : null;
		}

		const staticData = this.getWorkflowStaticData('node');
		if (!isState(staticData.campaignPoll)) {
			staticData.campaignPoll = initialState(now) as unknown as IDataObject;
			return null;
		}
		const state = staticData.campaignPoll;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const minAgeMs = Math.max(0, Number(options.minAgeMinutes ?? 0)) * 60_000;
		const campaigns = await listSent(this, brevo, queryWindow(state, now), MAX_PAGES);
		const { emit, next } = selectNewCampaigns(state, campaigns, now, minAgeMs);
		staticData.campaignPoll = next as unknown as IDataObject;
		if (emit.length === 0) return null;
		return [emit.map((c) => ({ json: campaignItem(c, now) as IDataObject }))];
	}
}
