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

/** A tenant's prepaid resource pack (spec §6.1): units that succeeded tasks of its type use up. */
export interface ResourcePacksTable {
  id: string;
  tenant_id: string;
  name: string;
  /** video | image | try-on */
  type: string;
  /** decreasing_total | constant_period */
  pack_type: string;
  total_quantity: number;
  remaining_quantity: number;
  purchase_time: number;
  effective_time: number;
  invalid_time: number;
}

/** Every output a task produced, by its id, so later requests can refer to it (video_id, audio_id). */
export interface OutputsTable {
  id: string;
  tenant_id: string;
  task_id: string;
  /** video | audio | image */
  kind: string;
  seconds: number | null;
  file: string;
  created_at: number;
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
  resource_packs: ResourcePacksTable;
  outputs: OutputsTable;
  settings: SettingsTable;
}
