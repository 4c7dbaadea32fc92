/**
 * Credential connection tests the way n8n's editor runs them ("Test" in the credential modal): the credential
 * type's declarative `test.request` becomes the routing of a temporary node run by n8n-core's RoutingNode, so
 * `baseURL` / `url` expressions, `authenticate` and `ignoreHttpStatusErrors` behave as in n8n; then `rules` decide.
 */
import { CredentialTestContext, ExecuteContext, RoutingNode } from 'n8n-core';
import {
	Workflow,
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type ICredentialTestFunction,
	type ICredentialTestRequest,
	type ICredentialType,
	type IDataObject,
	type INode,
	type INodeCredentialTestResult,
	type INodeType,
} from 'n8n-workflow';

import {
	HarnessCredentialsHelper,
	HarnessNodeTypes,
	buildAdditionalData,
	loadAllPackageNodeTypes,
	newLogScope,
	resolveCredentialType,
	type CredentialTypeSource,
	type LogLine,
	type NodeTypeLike,
	type NodeTypeSource,
} from './core';

export interface CredentialTestResult extends INodeCredentialTestResult {
	/** Log lines written during the test (to assert that no secret leaked). */
	logs: LogLine[];
}

function getPath(obj: unknown, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>((acc, key) => (acc && typeof acc === 'object' ? (acc as IDataObject)[key] : undefined), obj);
}

type Found = { fn: ICredentialTestFunction } | { request: ICredentialTestRequest; nodeType?: INodeType } | undefined;

/**
 * Where n8n finds a credential's test: the credential type's own `test`, else the first node declaring the credential
 * with `testedBy` (a `methods.credentialTest` function name, or a request).
 */
function findTest(credentialType: ICredentialType, candidates: NodeTypeLike[]): Found {
	if (credentialType.test) return { request: credentialType.test };
	for (const candidate of candidates) {
		const versions: INodeType[] =
			'nodeVersions' in candidate
				? Object.keys(candidate.nodeVersions)
						.map(Number)
						.sort((a, b) => b - a)
						.map((v) => candidate.nodeVersions[v])
				: [candidate];
		for (const nodeType of versions) {
			const declared = nodeType.description.credentials?.find(
				(c) => c.name === credentialType.name && c.testedBy !== undefined,
			);
			if (!declared) continue;
			if (typeof declared.testedBy === 'string') {
				const fn = nodeType.methods?.credentialTest?.[declared.testedBy];
				if (fn) return { fn };
				continue;
			}
			return { request: declared.testedBy!, nodeType };
		}
	}
	return undefined;
}

/**
 * Runs a credential type's connection test with the given (decrypted) data, as n8n's editor does.
 * `status` is `OK` or `Error`; `message` is what the editor would show. The test is the credential type's own
 * `test`, else a `testedBy` on one of this package's nodes (or `opts.nodeTypes`): a `methods.credentialTest`
 * function (called with n8n-core's CredentialTestContext) or a request.
 */
export async function testCredential(
	typeName: string,
	data: ICredentialDataDecryptedObject,
	opts: {
		credentialTypes?: Record<string, CredentialTypeSource>;
		nodeTypes?: Record<string, NodeTypeSource>;
		testFunction?: ICredentialTestFunction;
	} = {},
): Promise<CredentialTestResult> {
	const scope = newLogScope();
	const result = await scope.run(async () => await credentialTest(typeName, data, opts));
	return { ...result, logs: scope.lines() };
}

async function credentialTest(
	typeName: string,
	data: ICredentialDataDecryptedObject,
	opts: {
		credentialTypes?: Record<string, CredentialTypeSource>;
		nodeTypes?: Record<string, NodeTypeSource>;
		testFunction?: ICredentialTestFunction;
	} = {},
): Promise<INodeCredentialTestResult> {
	const done = (r: INodeCredentialTestResult) => r;
	const credentialType = resolveCredentialType(typeName, opts.credentialTypes);
	const nodeTypesForHelper = new HarnessNodeTypes();
	const helper = new HarnessCredentialsHelper({}, nodeTypesForHelper, opts.credentialTypes);
	const decrypted = helper.withDefaults(typeName, data);
	const credentialsDecrypted = { id: 'harness-credential', name: `${typeName} (harness)`, type: typeName, data: decrypted };

	const extraNodes = Object.values(new HarnessNodeTypes(opts.nodeTypes ?? {}).all());
	const found: Found = opts.testFunction
		? { fn: opts.testFunction }
		: (findTest(credentialType, extraNodes) ??
			(credentialType.test ? undefined : findTest(credentialType, loadAllPackageNodeTypes().types)));
	if (!found) return done({ status: 'Error', message: 'No testing function found for this credential.' });
	if ('fn' in found) {
		const context = new CredentialTestContext(buildAdditionalData(helper, { mode: 'internal' }));
		return done(await found.fn.call(context, credentialsDecrypted));
	}
	const test = found.request;

	const baseDescription = found.nodeType?.description;
	const nodeType: INodeType = {
		description: {
			...(baseDescription ?? {}),
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Temp-Node' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: typeName, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' },
			],
		},
	};
	const nodeTypes = new HarnessNodeTypes({ 'harness.credentialTest': nodeType });
	const credentialsHelper = new HarnessCredentialsHelper({ [typeName]: data }, nodeTypes, opts.credentialTypes);
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'harness.credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [typeName]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = buildAdditionalData(credentialsHelper, { mode: 'internal' });
	const inputData = { main: [[{ json: {} }]] };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData({ resultData: { runData: {} } }),
		0,
		[],
		inputData,
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, credentialsDecrypted);

	let response: Awaited<ReturnType<RoutingNode['runNode']>>;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } })
			.cause;
		if (cause?.response) {
			const statusCode = cause.response.status;
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === statusCode) {
					return done({ status: 'Error', message: rule.properties.message });
				}
			}
			if (statusCode < 199 || statusCode > 299) {
				return done({
					status: 'Error',
					message: cause.response.statusText || `Received HTTP status code: ${statusCode}`,
				});
			}
		} else if (cause?.code) {
			return done({ status: 'Error', message: cause.code });
		}
		return done({ status: 'Error', message: String((error as Error).message) });
	}
	for (const rule of test.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const body = response?.[0]?.[0]?.json;
			if (getPath(body, rule.properties.key) === rule.properties.value) {
				return done({ status: 'Error', message: rule.properties.message });
			}
		}
	}
	return done({ status: 'OK', message: 'Connection successful!' });
}
