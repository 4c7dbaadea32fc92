/** Real-engine test harness: see README.md in this folder. */
export { runWorkflow, buildWorkflow, describeNodeType } from './engine';
export type { RunResult, RunWorkflowOptions, WorkflowJson, WorkflowNodeJson } from './engine';
export { testCredential } from './credentials';
export type { CredentialTestResult } from './credentials';
export { triggerHooks, startTriggerServer, runPoll, parseWebhookBody } from './trigger';
export type {
	Delivery,
	HookCallResult,
	PollOptions,
	PollResult,
	TriggerHooks,
	TriggerOptions,
	TriggerServer,
	TriggerServerOptions,
} from './trigger';
export { scheduleItem } from './fixtures/ScheduleTrigger.node';
export {
	PACKAGE_NAME,
	newLogScope,
	safeJson,
	loadAllPackageNodeTypes,
	clearLogs,
	echoLogLines,
	getLogLines,
	loadPackageCredentialType,
	loadPackageNodeType,
	HarnessCredentialsHelper,
	HarnessNodeTypes,
} from './core';
export type { CredentialsInput, LogLine } from './core';
export { nodeContext } from './context';
