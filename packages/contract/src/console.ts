// The kiln console's HTTP surface: endpoints kiln adds beside the Kling API so a browser (or any client) can sign in,
// look at tasks across every family, callback deliveries and usage. Shapes and limits live here once; the server
// answers with them, the dashboard reads them, and openapi.json documents them (console-openapi.ts).

import type { TaskObject, TaskStatus } from './task.ts';

/** The cookie a console sign-in sets (HttpOnly, SameSite=Strict, Path=/). */
export const CONSOLE_COOKIE = 'kiln_console';

/**
 * Requests that change data and are authenticated by the cookie must carry this header. A cross-site page can make
 * a browser send the cookie (SameSite=Strict already refuses that) but cannot add a custom header without a CORS
 * preflight, which kiln never grants: the two together make cookie sessions CSRF-safe.
 */
export const CONSOLE_CSRF_HEADER = 'x-kiln-console';

/** How long a console session lasts from sign-in; signing in again makes a new one. A working day, like most consoles. */
export const CONSOLE_SESSION_HOURS = 12;
export const CONSOLE_SESSION_MS = CONSOLE_SESSION_HOURS * 3600_000;

/** A tenant may send one test callback this often: Kling's console allows one per 6 s (spec §1.9). */
export const TEST_CALLBACK_INTERVAL_SECONDS = 6;

/** After a rotation the previous webhook secret still signs callbacks this long, as Kling documents (spec §1.9). */
export const WEBHOOK_ROTATION_GRACE_DAYS = 7;
export const WEBHOOK_ROTATION_GRACE_MS = WEBHOOK_ROTATION_GRACE_DAYS * 86_400_000;

/** Task lists: page size bounds of GET /kiln/tasks and GET /admin/tasks. */
export const CONSOLE_TASK_PAGE = { default: 50, max: 200 } as const;

/** Usage: the period GET /kiln/usage may cover, in days ending today (UTC). */
export const USAGE_DAYS = { default: 14, max: 90 } as const;

/** Who a console session (or a bearer credential) is. */
export type ConsoleRole = 'tenant' | 'operator';

export interface ConsoleSessionInfo {
  role: ConsoleRole;
  /** The tenant signed in; null for the operator. */
  tenant: { id: string; name: string } | null;
  expires_at: number;
}

/** One task as task lists show it, whichever family made it. */
export interface ConsoleTaskSummary {
  task_id: string;
  tenant_id: string;
  family: string;
  /** The family's title ("Text to Video"). */
  family_title: string;
  /** Where the Kling API answers this task: GET {path}/{task_id}. */
  path: string;
  model: string | null;
  status: TaskStatus;
  status_msg: string;
  external_task_id: string | null;
  created_at: number;
  updated_at: number;
  /** Units the task costs (charged when it succeeds; failed tasks cost nothing). */
  units: number;
  /** Seconds of the first video or audio it produced, once it succeeded. */
  duration: number | null;
}

export interface ConsoleTaskPage {
  tasks: ConsoleTaskSummary[];
  /** Pass as `before` to get the next (older) page; null on the last page. */
  next_before: string | null;
}

export interface TimelineStep {
  status: TaskStatus;
  at: number;
}

export interface ConsoleTaskDetail {
  summary: ConsoleTaskSummary;
  /** The create request's body as kiln stored it. */
  request: unknown;
  /** What a Kling client gets from GET {path}/{task_id}. */
  answer: TaskObject;
  timeline: TimelineStep[];
  callback_url: string | null;
  /** The engine carrying the task out: simulator or relay. */
  engine: string;
  /** For a relayed task: the upstream account, the upstream's task id once it accepted, and the external id sent. */
  relay: { upstream: string; upstream_task_id: string | null; external_task_id: string } | null;
}

export type CallbackTrigger = 'event' | 'replay' | 'test';

export interface CallbackAttempt {
  id: number;
  task_id: string;
  /** The Standard Webhooks `webhook-id`: the same on every retry and replay of one event. */
  event_id: string;
  trigger: CallbackTrigger;
  url: string;
  attempted_at: number;
  latency_ms: number;
  /** The receiver's HTTP status; null when none came (see error). */
  http_status: number | null;
  error: string | null;
  /** The `webhook-signature` header sent; null when the tenant has no webhook secret. */
  signature: string | null;
  body: string;
}

export interface UsageSeries {
  /** The family's title ("Text to Video"), or the product charged for synchronous calls. */
  family: string;
  model: string;
  /** Units per day, one number per entry of `days`. */
  units: number[];
}

export interface ConsoleUsage {
  /** UTC days, oldest first, as YYYY-MM-DD. */
  days: string[];
  series: UsageSeries[];
  total: number;
}

export interface ConcurrencyUse {
  pack: string;
  used: number;
  limit: number;
}
