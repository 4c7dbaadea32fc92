/**
 * Items in the n8n layer: the per-item loop with Continue On Fail and its one failed-item shape, Slack error
 * translation for items (invalid_blocks pointers, unknown channel names).
 */
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { describeInvalidBlocks } from '../slack/blocks';
import { ChannelNotFound } from './channels';
import { slackErrorCode, toSlackNodeError } from './slackClient';

/** A NodeApiError for a Slack failure, with `invalid_blocks` pointers mapped to block index and type. */
export function slackError(ctx: IExecuteFunctions, error: unknown, o: { itemIndex?: number; channel?: string; action?: string; blocks?: unknown[] }): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof ChannelNotFound) {
		return new NodeOperationError(ctx.getNode(), `Channel #${error.channelName} not found`, {
			itemIndex: o.itemIndex,
			description: 'Check the name (without typos), or, for a private channel, invite the bot first (/invite @your-bot) and give the token the groups:read scope. You can also give the channel id (C...).',
		});
	}
	const apiError = toSlackNodeError(ctx.getNode(), error, { itemIndex: o.itemIndex, channel: o.channel, action: o.action });
	if (slackErrorCode(error) === 'invalid_blocks') {
		const lines = describeInvalidBlocks((error as { data?: { errors?: unknown } }).data?.errors, o.blocks);
		if (lines.length) apiError.description = `${apiError.description ?? ''}\n${lines.join('\n')}`.trim();
	}
	return apiError;
}

/**
 * The one shape of a failed item under Continue On Fail, for every action node: `ok: false`, `error` (what failed,
 * with the service's code) and `description` (what to do, or null), after any context fields, paired with its input.
 */
export function failedItem(i: number, error: Error & { description?: string | null }, extra: IDataObject = {}): INodeExecutionData {
	return {
		json: { ...extra, ok: false, error: error.message, description: error.description ?? null },
		pairedItem: { item: i },
	};
}

/** Turns whatever one item's work threw into the NodeApiError / NodeOperationError the user sees. */
export type ToNodeError = (error: unknown, itemIndex: number) => NodeApiError | NodeOperationError;

/**
 * The per-item loop of every action node: `fn`'s JSON (one object or several) becomes output items paired with the
 * input; a failure, translated by `toNodeError`, fails the node, or, with Continue On Fail, becomes a `failedItem`
 * while the other items go on.
 */
export async function forEachItem(
	ctx: IExecuteFunctions,
	fn: (i: number) => Promise<IDataObject | IDataObject[]>,
	toNodeError: ToNodeError,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	const count = ctx.getInputData().length;
	for (let i = 0; i < count; i++) {
		try {
			const result = await fn(i);
			for (const json of Array.isArray(result) ? result : [result]) out.push({ json, pairedItem: { item: i } });
		} catch (error) {
			const nodeError = error instanceof NodeApiError || error instanceof NodeOperationError ? error : toNodeError(error, i);
			if (!ctx.continueOnFail()) throw nodeError;
			out.push(failedItem(i, nodeError));
		}
	}
	return out;
}

/** `forEachItem` for Slack operations: Slack errors translated with the item's channel, action and blocks. */
export async function perItem(
	ctx: IExecuteFunctions,
	fn: (i: number) => Promise<IDataObject>,
	describe: (i: number) => { channel?: string; action?: string; blocks?: unknown[] } = () => ({}),
): Promise<INodeExecutionData[]> {
	const context = (i: number) => {
		try {
			return describe(i);
		} catch {
			return {}; // the description reads parameters that may be what failed: translate without it
		}
	};
	return await forEachItem(ctx, fn, (error, i) => slackError(ctx, error, { itemIndex: i, ...context(i) }));
}

