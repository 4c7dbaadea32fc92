/**
 * Parameter readers of the n8n layer: each names the field at fault and what to do, and copes with any value type an
 * expression can produce.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeParameterResourceLocator } from 'n8n-workflow';

/** Reads a string parameter and refuses it empty, naming the field. */
export function requiredString(ctx: IExecuteFunctions, name: string, label: string, i: number, hint: string): string {
	const v = String(ctx.getNodeParameter(name, i, '') ?? '').trim();
	if (v === '') throw new NodeOperationError(ctx.getNode(), `${label} is empty`, { itemIndex: i, description: hint });
	return v;
}

/** The value of a resource locator parameter (or of a plain string one), trimmed. */
export function locatorValue(ctx: IExecuteFunctions, name: string, i: number): string {
	const v = ctx.getNodeParameter(name, i, '') as INodeParameterResourceLocator | string;
	return String(typeof v === 'object' && v !== null ? (v.value ?? '') : (v ?? '')).trim();
}

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

/**
 * getNodeParameter for many items, evaluating a parameter once when it holds no expression (its value is then the
 * same for every item). Resolving expressions per item dominates the cost of a 1,000-item run otherwise.
 */
export function itemParameters(ctx: IExecuteFunctions): <T>(name: string, i: number, fallback: T) => T {
	const raw = ctx.getNode().parameters as IDataObject;
	const constant = new Map<string, unknown>();
	return <T>(name: string, i: number, fallback: T): T => {
		const top = name.split('.')[0];
		if (!hasExpression(raw[top])) {
			if (!constant.has(name)) constant.set(name, ctx.getNodeParameter(name, 0, fallback as never));
			return constant.get(name) as T;
		}
		return ctx.getNodeParameter(name, i, fallback as never) as T;
	};
}
