// @kiln/sdk — a client for the Kling AI API (official, resellers and kiln), typed from @kiln/contract. Runs in
// Node 20+, browsers and edge runtimes; file helpers are in `@kiln/sdk/node`.

export { Kling, type ClientOptions, type FamilyResources } from './client.ts';
export {
  FamilyResource, type CallOptions, type CreateOptions, type ListOptions, type TaskRef, type ValidationMode, type WaitOptions,
} from './family-resource.ts';
export * from './errors.ts';
export { verifyCallback, type HeaderBag, type VerifyOptions } from './webhooks.ts';
export { taskOutputs, type TaskOutput } from './outputs.ts';
export {
  resolveProvider, familyPath, KILN_LOCAL_URL, KLING_BEIJING_URL, KLING_SINGAPORE_URL,
  type Provider, type ProviderName, type ProviderSpec, type ResolvedProvider,
} from './providers.ts';
export type { TokenProvider } from './credentials.ts';
export type { PollPolicy } from './poller.ts';
export type { RetryPolicy } from './retry.ts';
export type { CreatedTask, RequestOf, TaskObject, TaskResult, TaskStatus } from '@kiln/contract';
