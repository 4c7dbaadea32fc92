/**
 * The GitHub Actions workflows (.github/workflows/*.yml) cannot run here, so what matters in them is checked on their
 * parsed YAML: every file parses; the publish workflow publishes to npm with provenance (n8n requires it for every
 * community node published from 1 May 2026 on) only from a published release, after a lockfile install and the
 * build, with the OIDC permission provenance needs and nothing broader; CI runs .ci/run on Node 20.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';

const root = path.resolve(__dirname, '../..');
const dir = path.join(root, '.github', 'workflows');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}
interface Job {
	'runs-on': string;
	permissions?: Record<string, string>;
	steps: Step[];
}
interface Workflow {
	name: string;
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)) : [];
const load = (file: string) => yaml.load(fs.readFileSync(path.join(dir, file), 'utf8')) as Workflow;

/** The shell commands of a run step, one per line, comments and line continuations folded. */
function commands(step: Step): string[] {
	return (step.run ?? '')
		.replace(/\\\n/g, ' ')
		.split('\n')
		.map((l) => l.trim())
		.filter((l) => l && !l.startsWith('#'));
}

function stepIndex(steps: Step[], test: (command: string) => boolean): number {
	return steps.findIndex((s) => commands(s).some(test));
}

const isPublish = (c: string) => /^npm publish\b/.test(c);
const isBuild = (c: string) => /^npm run build\b/.test(c);
const isLockfileInstall = (c: string) => /^npm ci\b/.test(c);
// `npm install` / `npm i` / `npm add` of the project (resolves versions again, may rewrite the lockfile); a global
// tool install (`npm install -g`) is not a project install.
const isLooseInstall = (c: string) => /^npm (install|i|add|isntall)\b/.test(c) && !/\s(-g|--global)\b/.test(c);

it('there are the two workflows, and each parses as a workflow', () => {
	expect(files.sort()).toEqual(['ci.yml', 'publish.yml']);
	for (const file of files) {
		const wf = load(file);
		expect(typeof wf.name).toBe('string');
		expect(wf.on).toEqual(expect.any(Object));
		expect(Object.keys(wf.jobs).length).toBeGreaterThan(0);
		for (const job of Object.values(wf.jobs)) {
			expect(job['runs-on']).toMatch(/^ubuntu-/);
			expect(job.steps.length).toBeGreaterThan(0);
			for (const step of job.steps) expect(Boolean(step.uses) !== Boolean(step.run)).toBe(true);
		}
	}
});

it.each(files)('%s installs dependencies only from the lockfile (npm ci, never npm install)', (file) => {
	for (const job of Object.values(load(file).jobs)) {
		for (const step of job.steps) {
			for (const command of commands(step)) expect({ file, command, loose: isLooseInstall(command) }).toEqual({ file, command, loose: false });
		}
		const usesCi = job.steps.some((s) => commands(s).some(isLockfileInstall)) || job.steps.some((s) => commands(s).includes('.ci/run'));
		expect(usesCi).toBe(true);
	}
});

describe('publish.yml', () => {
	const wf = () => load('publish.yml');
	const job = () => {
		const jobs = Object.values(wf().jobs);
		expect(jobs).toHaveLength(1);
		return jobs[0];
	};
	const steps = () => job().steps;

	it('runs only when a GitHub release is published (not on pushes or pull requests)', () => {
		expect(Object.keys(wf().on)).toEqual(['release']);
		expect(wf().on.release).toEqual({ types: ['published'] });
	});

	it('may mint an OIDC token for provenance and only read the repository', () => {
		const permissions = { ...wf().permissions, ...job().permissions };
		expect(permissions).toEqual({ contents: 'read', 'id-token': 'write' });
	});

	it('sets up Node 22 or later against the npm registry', () => {
		const setup = steps().find((s) => s.uses?.startsWith('actions/setup-node@'));
		expect(setup).toBeDefined();
		expect(Number(String(setup!.with?.['node-version']).match(/\d+/)?.[0])).toBeGreaterThanOrEqual(22);
		expect(setup!.with?.['registry-url']).toBe('https://registry.npmjs.org');
		expect(steps().findIndex((s) => s.uses?.startsWith('actions/checkout@'))).toBe(0);
	});

	it('publishes once, public, with --provenance, after npm ci and npm run build', () => {
		const publishSteps = steps().filter((s) => commands(s).some(isPublish));
		expect(publishSteps).toHaveLength(1);
		const [publish] = commands(publishSteps[0]).filter(isPublish);
		expect(publish).toMatch(/\s--provenance\b/);
		expect(publish).toMatch(/\s--access public\b/);
		const install = stepIndex(steps(), isLockfileInstall);
		const build = stepIndex(steps(), isBuild);
		const published = stepIndex(steps(), isPublish);
		expect(install).toBeGreaterThan(-1);
		expect(build).toBeGreaterThan(install);
		expect(published).toBeGreaterThan(build);
		expect(published).toBe(steps().length - 1);
	});

	it('authenticates with the NPM_TOKEN secret or, when it is unset, npm trusted publishing; no token in the file', () => {
		const publish = steps().find((s) => commands(s).some(isPublish))!;
		expect(publish.env?.NODE_AUTH_TOKEN).toBe('${{ secrets.NPM_TOKEN }}');
		expect(fs.readFileSync(path.join(dir, 'publish.yml'), 'utf8')).not.toMatch(/npm_[A-Za-z0-9]{20,}/);
	});

	it('refuses a release tag that does not match package.json, and checks the package before publishing', () => {
		const text = steps()
			.flatMap(commands)
			.join('\n');
		expect(text).toMatch(/GITHUB_REF_NAME" != "v\$version"/);
		const published = stepIndex(steps(), isPublish);
		expect(stepIndex(steps(), (c) => /^npx jest test\/package\b/.test(c))).toBeGreaterThan(stepIndex(steps(), isBuild));
		expect(stepIndex(steps(), (c) => /^npx jest test\/package\b/.test(c))).toBeLessThan(published);
		// every npm script the workflow runs exists in package.json
		for (const command of steps().flatMap(commands)) {
			const script = command.match(/^npm run ([\w:-]+)/)?.[1];
			if (script) expect({ script, defined: script in pkg.scripts }).toEqual({ script, defined: true });
		}
		expect(stepIndex(steps(), (c) => /^npm run scan\b/.test(c))).toBeLessThan(published);
	});

	it('package.json names this GitHub repository (npm checks provenance against repository.url)', () => {
		expect(pkg.repository.url).toMatch(/^(git\+)?https:\/\/github\.com\/[^/]+\/[^/]+?(\.git)?$/);
		expect(pkg.publishConfig?.provenance === false).toBe(false);
		expect(pkg.private).not.toBe(true);
	});
});

describe('ci.yml', () => {
	const wf = () => load('ci.yml');

	it('runs on pushes to main and on pull requests', () => {
		expect(wf().on).toEqual({ push: { branches: ['main'] }, pull_request: null });
	});

	it('runs .ci/run on ubuntu with Node 20, with read-only permissions', () => {
		expect(wf().permissions).toEqual({ contents: 'read' });
		const jobs = Object.values(wf().jobs);
		expect(jobs).toHaveLength(1);
		const [job] = jobs;
		expect(job['runs-on']).toBe('ubuntu-latest');
		const setup = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
		expect(String(setup?.with?.['node-version'])).toBe('20');
		expect(job.steps.findIndex((s) => s.uses?.startsWith('actions/checkout@'))).toBe(0);
		expect(commands(job.steps[job.steps.length - 1])).toEqual(['.ci/run']);
		// Ubuntu runners have Google Chrome, not Debian's chromium: the editor suite is pointed at it
		expect(job.steps[job.steps.length - 1].env).toEqual({ CHROMIUM_PATH: '/usr/bin/google-chrome' });
		// .ci/run is executable in git (the step calls it directly)
		expect(fs.statSync(path.join(root, '.ci', 'run')).mode & 0o111).not.toBe(0);
	});
});
