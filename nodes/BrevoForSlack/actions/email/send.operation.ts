/** Email > Send Transactional: `POST /smtp/email`, from a Brevo template with params, or with given content. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getBrevoClient } from '../../../shared/n8n/brevoClient';
import { forOperation, jsonObjectParam, perItem, requireEmail } from '../common';
import { isValidEmail } from '../../../shared/sync/filters';
import { numberParam, optionParam, textParam, toJsonObject, toText, toTextList } from '../../../shared/n8n/params';

export const description: INodeProperties[] = forOperation('email', 'send', [
	{
		displayName: 'To Email',
		name: 'toEmail',
		type: 'string',
		default: '={{ $json.user?.email }}',
		required: true,
		placeholder: 'name@example.com',
		description: 'Recipient. Default: the Slack user who clicked or submitted.',
	},
	{ displayName: 'To Name', name: 'toName', type: 'string', default: '={{ $json.user?.real_name ?? $json.user?.name ?? "" }}' },
	{
		displayName: 'Content',
		name: 'content',
		type: 'options',
		default: 'template',
		options: [
			{ name: 'Brevo Template', value: 'template', description: 'A template made in Brevo, filled with params' },
			{ name: 'Subject and Body', value: 'content' },
		],
	},
	{
		displayName: 'Template ID',
		name: 'templateId',
		type: 'number',
		default: 0,
		required: true,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { content: ['template'] } },
		description: 'Brevo > Campaigns > Templates shows the ID (#)',
	},
	{
		displayName: 'Params (JSON)',
		name: 'params',
		type: 'json',
		default: '={{ $json.values ?? {} }}',
		displayOptions: { show: { content: ['template'] } },
		description: 'Values for {{ params.x }} in the template. Default: the submitted modal\'s values.',
	},
	{ displayName: 'Sender Email', name: 'senderEmail', type: 'string', default: '', placeholder: 'news@yourdomain.com', displayOptions: { show: { content: ['content'] } }, required: true, description: 'A sender verified in Brevo' },
	{ displayName: 'Sender Name', name: 'senderName', type: 'string', default: '', displayOptions: { show: { content: ['content'] } } },
	{ displayName: 'Subject', name: 'subject', type: 'string', default: '', required: true, displayOptions: { show: { content: ['content'] } } },
	{
		displayName: 'HTML Body',
		name: 'htmlContent',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		displayOptions: { show: { content: ['content'] } },
		description: 'HTML of the email; leave empty to send the text body only',
	},
	{ displayName: 'Text Body', name: 'textContent', type: 'string', typeOptions: { rows: 4 }, default: '', displayOptions: { show: { content: ['content'] } } },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Tags', name: 'tags', type: 'string', default: '', description: 'Comma-separated tags (they show in Brevo\'s logs and webhooks)' },
			{ displayName: 'Reply-To Email', name: 'replyTo', type: 'string', default: '' },
		],
	},
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const brevo = await getBrevoClient(this);
	return await perItem(this, () => 'sending a transactional email', async (i) => {
		const email = requireEmail(this, 'toEmail', 'To Email', i);
		const toName = textParam(this, 'toName', 'To Name', i);
		const content = optionParam(this, 'content', 'Content', i, ['template', 'content'], 'template');
		const o = toJsonObject(this, this.getNodeParameter('options', i, {}), i, 'Options');
		const body: IDataObject = { to: [{ email, ...(toName ? { name: toName } : {}) }] };
		if (content === 'template') {
			body.templateId = numberParam(this, 'templateId', 'Template ID', i, { integer: true, min: 1 });
			const params = jsonObjectParam(this, 'params', 'Params (JSON)', i);
			if (Object.keys(params).length) body.params = params;
		} else {
			const senderEmail = textParam(this, 'senderEmail', 'Sender Email', i);
			if (!isValidEmail(senderEmail.toLowerCase())) {
				throw new NodeOperationError(this.getNode(), `Sender Email "${senderEmail}" is not a valid email address`, {
					itemIndex: i,
					description: 'Use a sender you verified in Brevo (Senders, Domains & Dedicated IPs).',
				});
			}
			const senderName = textParam(this, 'senderName', 'Sender Name', i);
			body.sender = { email: senderEmail, ...(senderName ? { name: senderName } : {}) };
			body.subject = textParam(this, 'subject', 'Subject', i, { trim: false });
			const html = textParam(this, 'htmlContent', 'HTML Body', i, { trim: false });
			const text = textParam(this, 'textContent', 'Text Body', i, { trim: false });
			if (!html && !text) {
				throw new NodeOperationError(this.getNode(), 'The email has no body', { itemIndex: i, description: 'Fill HTML Body or Text Body.' });
			}
			if (!String(body.subject).trim()) throw new NodeOperationError(this.getNode(), 'Subject is empty', { itemIndex: i });
			if (html) body.htmlContent = html;
			if (text) body.textContent = text;
		}
		const tags = toTextList(this, o.tags, i, 'Options > Tags');
		if (tags.length) body.tags = tags;
		const replyTo = toText(this, o.replyTo, i, 'Options > Reply-To Email').trim();
		if (replyTo) body.replyTo = { email: replyTo };
		const r = await brevo.request<{ messageId?: string }>({ method: 'POST', path: '/smtp/email', body });
		return { sent: true, email, messageId: r?.messageId ?? null, ...(body.templateId ? { templateId: body.templateId as number } : {}) };
	});
}
