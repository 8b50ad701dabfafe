// @kiln/sdk — a client for the Kling AI API (official, resellers and kiln), typed from @kiln/contract. Runs in
// Node 20+, browsers and edge runtimes; file helpers are in `@kiln/sdk/node`.

export { Kling, type ClientGroups, type ClientOptions, type FamilyResources } from './client.ts';
export type { ActionData, ActionMethod, ActionOptions } from './action-method.ts';
export { actionEntries, type ActionEntry } from './action-names.ts';
export type { ActionMethods, ActionRequest } from './action-types.ts';
export {
  FamilyResource, type CallOptions, type CreateOptions, type ListOptions, type TaskRef, type ValidationMode, type WaitOptions,
} from './family-resource.ts';
export * from './errors.ts';
export { isFileInput, toBase64, type FileInput, type WithFileInputs } from './file-inputs.ts';
export { LOG_LEVELS, type Logger, type LogLevel } from './log.ts';
export type { ResponseInfo } from './transport.ts';
export {
  TasksResource, NewStandardTaskFailedError, NewStandardWaitTimeoutError, asTaskObject,
  type TaskListQuery, type TaskPage, type TasksGetOptions, type TasksGetResult, type TaskWaitOptions,
} from './tasks.ts';
export { NewStandardProductResource, type NewStandardResources, type ProductApi } from './new-standard.ts';
export type * from './new-standard-types.ts';
export { verifyCallback, type HeaderBag, type VerifyOptions } from './webhooks.ts';
export { taskOutputs, type TaskOutput } from './outputs.ts';
export {
  resolveProvider, familyPath, actionPath, KILN_LOCAL_URL, KLING_BEIJING_URL, KLING_SINGAPORE_URL,
  type Provider, type ProviderName, type ProviderSpec, type ResolvedProvider,
} from './providers.ts';
export type { TokenProvider } from './credentials.ts';
export type { PollPolicy } from './poller.ts';
export type { RetryPolicy } from './retry.ts';
export type { CreatedTask, RequestOf, TaskObject, TaskResult, TaskStatus } from '@kiln/contract';
export type { NewStandardCreated, NewStandardOutput, NewStandardStatus, NewStandardTask, BillingEntry } from '@kiln/contract';
