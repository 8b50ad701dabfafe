// Table shapes of kiln's store. Times are Unix milliseconds; JSON columns hold text.

import type { Generated } from 'kysely';

export interface TenantsTable {
  id: string;
  name: string;
  api_key_hash: string;
  access_key: string;
  /** Kept as given: it is the HMAC key that verifies the tenant's JWTs. */
  secret_key: string;
  webhook_secret: string | null;
  limit_video: number;
  limit_image: number;
  limit_try_on: number;
  /** The simulator timing profile of this tenant; null follows the server's. */
  timing_profile: string | null;
  created_at: number;
}

export interface TasksTable {
  id: string;
  tenant_id: string;
  family: string;
  external_task_id: string | null;
  status: string;
  status_msg: string;
  model: string | null;
  pack: string;
  slots: number;
  units: number;
  engine: string;
  request_json: string;
  result_json: string | null;
  callback_url: string | null;
  watermark: number;
  /** Engine-specific state of the task (the simulator's timing and faults), JSON. */
  engine_json: string | null;
  /** When the task entered processing (ms). */
  processing_at: number | null;
  /** How far the task's clock runs ahead of real time (simulator time control). */
  time_offset_ms: number;
  created_at: number;
  updated_at: number;
}

export interface JobsTable {
  id: Generated<number>;
  /** `advance` moves a task along its engine; `callback` delivers one status change. */
  kind: string;
  task_id: string;
  payload_json: string | null;
  status: string;
  run_at: number;
  locked_until: number | null;
  attempts: number;
  last_error: string | null;
  created_at: number;
}

/** Slots held by a tenant's unfinished tasks, per pack type: admission and release are single-row updates. */
export interface PackUsageTable {
  tenant_id: string;
  pack: string;
  used: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Database {
  tenants: TenantsTable;
  tasks: TasksTable;
  jobs: JobsTable;
  pack_usage: PackUsageTable;
  settings: SettingsTable;
}
