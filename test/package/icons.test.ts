/**
 * Themed icons: every node and credential declares `icon: { light: 'file:x.svg', dark: 'file:x.dark.svg' }` (n8n-workflow's
 * `Themed<IconFile>`; n8n serves it as a themed iconUrl), the dark file is the same drawing as the light one with only
 * its colours changed, and nothing in it vanishes on n8n's dark canvas. Checked on the sources, so no build is needed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** dist/nodes/X/X.node.js -> nodes/X/X.node.ts */
const sources: string[] = [...pkg.n8n.nodes, ...pkg.n8n.credentials].map((e: string) => e.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

// About the background behind a node's icon in n8n's dark theme.
const DARK_CANVAS = '#2e2e2e';

function iconOf(source: string): { light: string; dark: string } {
	const text = fs.readFileSync(path.join(root, source), 'utf8');
	const icons = [...text.matchAll(/\bicon(?:: Icon)?\s*[:=]\s*\{ light: 'file:([^']+)', dark: 'file:([^']+)' \}/g)];
	const single = /\bicon(?:: Icon)?\s*[:=]\s*'file:/.test(text);
	if (icons.length !== 1 || single) throw new Error(`${source}: expected one themed icon, found ${icons.length} (single-file icon: ${single})`);
	return { light: icons[0][1], dark: icons[0][2] };
}

function luminance(hex: string): number {
	const h = hex.replace('#', '');
	const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
	const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (hi + 0.05) / (lo + 0.05);
}

const COLOUR_ATTR = /\b(fill|stroke)="([^"]*)"/g;
const normalise = (color: string) => (color.toLowerCase() === '#fff' ? '#ffffff' : color.toLowerCase());

describe.each(sources)('%s', (source) => {
	const dir = path.dirname(path.join(root, source));

	it('declares a themed icon whose two files exist and differ', () => {
		const { light, dark } = iconOf(source);
		expect(dark).toBe(light.replace(/\.svg$/, '.dark.svg'));
		expect(fs.existsSync(path.join(dir, light))).toBe(true);
		expect(fs.existsSync(path.join(dir, dark))).toBe(true);
	});

	it('dark variant: the same drawing, colours only', () => {
		const { light, dark } = iconOf(source);
		const shape = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8').replace(COLOUR_ATTR, '$1=""');
		expect(shape(dark)).toBe(shape(light));
	});

	it('dark variant: every stroke reads on the dark canvas, and a very dark fill is outlined', () => {
		const { dark } = iconOf(source);
		const svg = fs.readFileSync(path.join(dir, dark), 'utf8');
		for (const [element] of svg.matchAll(/<(?:rect|circle|path|g|ellipse|polygon|line)\b[^>]*>/g)) {
			const stroke = element.match(/\bstroke="(#[0-9a-fA-F]{3,6})"/)?.[1];
			const fill = element.match(/\bfill="(#[0-9a-fA-F]{3,6})"/)?.[1];
			if (stroke) expect({ element, contrast: contrast(normalise(stroke), DARK_CANVAS) >= 3 }).toEqual({ element, contrast: true });
			if (fill && contrast(normalise(fill), DARK_CANVAS) < 1.5) expect({ element, outlined: Boolean(stroke) }).toEqual({ element, outlined: true });
		}
	});
});
