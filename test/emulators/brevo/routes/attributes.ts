/**
 * Contact attributes: list, create (201), update, delete. Names are upper case in Brevo.
 * Every rule here has its source (doc page, OpenAPI path, SDK type, public issue) or `guess` in
 * test/emulators/CONTRACT.md, "Brevo REST rules and sources".
 */
import { fail } from '../errors';
import type { Route } from '../router';
import type { AttributeCategory, AttributeType } from '../state';

const NAME_RE = /^[A-Za-z][A-Za-z0-9_-]*$/;

export const attributeRoutes: Route[] = [
	{
		method: 'GET',
		specPath: '/contacts/attributes',
		handler: (ctx) => ({
			status: 200,
			body: {
				attributes: ctx.state.attributes.map((a) => {
					const view: Record<string, unknown> = { name: a.name, category: a.category };
					if (a.type) view.type = a.type;
					if (a.enumeration) view.enumeration = a.enumeration;
					if (a.multiCategoryOptions) view.multiCategoryOptions = a.multiCategoryOptions;
					if (a.calculatedValue) view.calculatedValue = a.calculatedValue;
					return view;
				}),
			},
		}),
	},
	{
		method: 'POST',
		specPath: '/contacts/attributes/{attributeCategory}/{attributeName}',
		handler: (ctx) => {
			const category = ctx.pathParams.attributeCategory as AttributeCategory;
			const name = ctx.pathParams.attributeName.toUpperCase();
			const b = (ctx.body ?? {}) as Record<string, any>;
			if (!NAME_RE.test(name)) {
				throw fail.invalid('Attribute name must start with a letter and contain only letters, digits, - and _');
			}
			if (ctx.state.attribute(name)) throw fail.invalid('Attribute name already exists');
			let type = b.type as AttributeType | undefined;
			if (category === 'normal' && !type) type = 'text';
			if (category === 'normal' && type && !['text', 'date', 'float', 'boolean', 'multiple-choice'].includes(type)) {
				throw fail.invalid(`type ${type} is not allowed for a normal attribute`);
			}
			if (category === 'category') {
				if (!Array.isArray(b.enumeration) || !b.enumeration.length) throw fail.missing('enumeration is missing');
				type = 'category';
			}
			if (type === 'multiple-choice' && (!Array.isArray(b.multiCategoryOptions) || !b.multiCategoryOptions.length)) {
				throw fail.missing('multiCategoryOptions is missing');
			}
			if ((category === 'calculated' || category === 'global') && !b.value) throw fail.missing('value is missing');
			const attr = ctx.state.addAttribute({
				name,
				category,
				type,
				enumeration: b.enumeration,
				multiCategoryOptions: b.multiCategoryOptions,
			});
			if (b.value) attr.calculatedValue = String(b.value);
			return { status: 201 };
		},
	},
	{
		method: 'PUT',
		specPath: '/contacts/attributes/{attributeCategory}/{attributeName}',
		handler: (ctx) => {
			const attr = ctx.state.attribute(ctx.pathParams.attributeName.toUpperCase());
			if (!attr || attr.category !== ctx.pathParams.attributeCategory) throw fail.notFound('Attribute not found');
			const b = (ctx.body ?? {}) as Record<string, any>;
			if (b.enumeration) attr.enumeration = b.enumeration;
			if (b.multiCategoryOptions) attr.multiCategoryOptions = b.multiCategoryOptions;
			if (b.value) attr.calculatedValue = String(b.value);
			return { status: 204 };
		},
	},
	{
		method: 'DELETE',
		specPath: '/contacts/attributes/{attributeCategory}/{attributeName}',
		handler: (ctx) => {
			const name = ctx.pathParams.attributeName.toUpperCase();
			const attr = ctx.state.attribute(name);
			if (!attr || attr.category !== ctx.pathParams.attributeCategory) throw fail.notFound('Attribute not found');
			ctx.state.attributes = ctx.state.attributes.filter((a) => a !== attr);
			for (const c of ctx.state.contacts.values()) delete c.attributes[name];
			ctx.state.reindex();
			return { status: 204 };
		},
	},
];
