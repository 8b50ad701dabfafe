// Table shapes of kiln's store. Times are Unix milliseconds; JSON columns hold text.

import type { Generated } from 'kysely';

export interface TenantsTable {
  id: string;
  name: string;
  /** The credentials the tenant was made with, as made; requests are checked against tenant_keys only. */
  api_key_hash: string;
  access_key: string;
  secret_key: string;
  webhook_secret: string | null;
  limit_video: number;
  limit_image: number;
  limit_try_on: number;
  /** The simulator timing profile of this tenant; null follows the server's. */
  timing_profile: string | null;
  /** The engine the tenant's new tasks go to: `simulator` or `relay` (contract ENGINE_NAMES). */
  engine: string;
  created_at: number;
}

/** One named credential of a tenant: an API key or an access-key/secret-key pair, revocable on its own. */
export interface TenantKeysTable {
  id: string;
  tenant_id: string;
  /** Unique within the tenant ('default' and 'default-ak' are the ones it was made with). */
  name: string;
  /** api_key | access_key */
  kind: string;
  /** The API key's SHA-256 (the key itself is never stored), or the access key. */
  lookup: string;
  /** Kept as given for an AK/SK pair: it is the HMAC key that verifies the tenant's JWTs. Null for an API key. */
  secret_key: string | null;
  created_at: number;
  /** Updated at most once a minute per key, so a busy key costs no write per request. */
  last_used_at: number | null;
  /** Set when revoked: the key is refused from then on, and kept so listings show it. */
  revoked_at: number | null;
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

/** Added by migration 5, kept out of TasksTable so code that inserts tasks need not name it (null on insert). */
export interface TasksRetentionColumns {
  /** When the retention sweep removed the task's results and inputs from storage; null until then. */
  purged_at?: number | null;
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

/**
 * Columns added to jobs later, kept out of JobsTable so code that inserts jobs without them still compiles (old
 * rows have them null).
 */
export interface JobsTenantColumns {
  /** The task's tenant: workers are shared fairly between tenants, and a callback is signed with its secret. */
  tenant_id?: string | null;
  /** When the job was first claimed: a callback's retry window starts there, not when it was queued. */
  first_attempt_at?: number | null;
  /** The worker pool holding the lease (locked_until): only it extends the lease; others take it when it runs out. */
  locked_by?: string | null;
}

/** A running process's worker number, the part of its task ids that keeps them apart from other processes'. */
export interface WorkersTable {
  number: number;
  /** Who holds the number: a random id per process start. */
  owner: string;
  /** Renewed while the process runs; a number not renewed for long is free to claim again. */
  heartbeat_at: number;
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

/**
 * An editing session opened on a video (spec §2.6, §2.8): multi-elements (init-selection) or lip-sync (identify-face).
 * Valid 24 h. Its files live under the media folder named by the session id.
 */
export interface EditingSessionsTable {
  id: string;
  tenant_id: string;
  /** multi-elements | identify-face */
  kind: string;
  /** The session's (normalized) video, a file name in the session's media folder. */
  video_file: string;
  /** Where the video came from: {"video_id": …} or {"video_url": …}. */
  source_json: string;
  seconds: number;
  width: number;
  height: number;
  fps: number;
  total_frames: number;
  has_audio: number;
  /** What the session holds: marked frames and points (multi-elements) or the faces found (identify-face), JSON. */
  state_json: string;
  created_at: number;
  expires_at: number;
}

/** A tenant's custom voice (spec §4.1), made by a custom-voices task; deleting keeps the row as `deleted`. */
export interface CustomVoicesTable {
  id: string;
  tenant_id: string;
  /** The custom-voices task that made it, when a task did. */
  task_id: string | null;
  name: string;
  /** zh | en when known; null speaks either. */
  language: string | null;
  /** The trial audio, a file name in the task's media folder. */
  trial_file: string | null;
  /** succeed | deleted */
  status: string;
  created_at: number;
  updated_at: number;
}

/** A tenant's custom element (spec §4.2), made by an advanced-custom-elements task; deleting keeps it as `deleted`. */
export interface CustomElementsTable {
  id: string;
  tenant_id: string;
  task_id: string | null;
  name: string;
  description: string;
  /** image_refer | video_refer */
  reference_type: string;
  /** element_image_list, element_video_list and tag_list as made, JSON. */
  detail_json: string;
  voice_id: string | null;
  /** succeed | deleted */
  status: string;
  created_at: number;
  updated_at: number;
}

/**
 * Which element API made a custom element: 'advanced' or 'legacy' (the old synchronous custom-elements, spec §4.2).
 * Kept out of CustomElementsTable so code writing advanced elements need not name it (the column defaults to
 * 'advanced').
 */
export interface ElementLibraryColumn {
  library: Generated<string>;
}

/** What one charge took from one resource pack (spec §6.2 unit deduction details). */
export interface UnitDeductionsTable {
  id: Generated<number>;
  tenant_id: string;
  /** The task (or synchronous call) billed. */
  task_id: string;
  /** The tenant's name when charged: kiln gives each tenant one API key, named after the tenant. */
  api_key_name: string;
  /** Kling's words for what was made: the family's or the call's title ("Text to Video"). */
  product_function: string;
  model_name: string;
  /** 720p | 1080p | 4k for videos, 1k | 2k | 4k for images, '' otherwise. */
  resolution: string;
  /** The video's length in seconds as the task shows it ("5"), '' for other outputs. */
  duration: string;
  refer_video_input: number;
  /** native | original | off for videos, '' otherwise. */
  video_sound: string;
  voice_control: number;
  package_id: string;
  package_name: string;
  /** video | image | try-on */
  product_type: string;
  unit_before: number;
  amount: number;
  unit_after: number;
  /** When the task was created: what start_time / end_time select on. */
  task_created_at: number;
  deduction_time: number;
}

/** A signed-in console session (migration 0004): the cookie's value is kept only as its hash. */
export interface ConsoleSessionsTable {
  id_hash: string;
  /** tenant | operator */
  role: string;
  tenant_id: string | null;
  /** api_key | access_key | admin_token */
  credential_kind: string;
  /** The credential as the store looks it up: an API key's SHA-256, an access key, the admin token's SHA-256. */
  credential: string;
  created_at: number;
  expires_at: number;
}

/** One callback delivery attempt: what was sent and what the receiver answered (migration 0004). */
export interface CallbackAttemptsTable {
  id: Generated<number>;
  tenant_id: string;
  task_id: string;
  event_id: string;
  /** event | replay | test */
  trigger: string;
  url: string;
  attempted_at: number;
  latency_ms: number;
  http_status: number | null;
  error: string | null;
  signature: string | null;
  body: string;
}

/**
 * A rotated webhook secret, signing beside the new one until its grace ends (migration 0006). Kept out of
 * TenantsTable so code that inserts tenants need not name it.
 */
export interface WebhookRotationColumns {
  previous_webhook_secret?: string | null;
  previous_webhook_secret_until?: number | null;
}

/** An upstream Kling account of the relay (migration 0010). Secrets are ciphertexts (secret-box.ts). */
export interface UpstreamsTable {
  name: string;
  base_url: string;
  path_style: string;
  endpoint_path: string | null;
  endpoint_paths_json: string;
  concurrency_json: string;
  models_json: string;
  families_json: string;
  priority: number;
  results: string;
  access_key: string | null;
  api_key_enc: string | null;
  secret_key_enc: string | null;
  webhook_secret_enc: string | null;
  created_at: number;
  updated_at: number;
}

/** Migration 0011: the upstream's breaker (engines/relay/breaker.ts). */
export interface UpstreamHealthColumns {
  health_failures: number;
  health_open_until: number | null;
  health_cooldown_ms: number;
  health_reason: string | null;
}

/** Migration 0011: the pool limits the upstream's own 1303s set (engines/relay/pool-limit.ts), JSON. */
export interface UpstreamLimitColumns {
  lowered_limits_json: string;
}

/** Migration 0012: ids a relay tenant's synchronous calls got upstream, and the account that holds each. */
export interface RelayedIdsTable {
  tenant_id: string;
  /** session (identify-face, init-selection), audio (TTS) or element (custom-elements, the old elements API). */
  kind: string;
  id: string;
  upstream: string;
  detail_json: string;
  created_at: number;
}

export interface Database {
  tenants: TenantsTable & WebhookRotationColumns;
  tenant_keys: TenantKeysTable;
  tasks: TasksTable & TasksRetentionColumns;
  jobs: JobsTable & JobsTenantColumns;
  pack_usage: PackUsageTable;
  resource_packs: ResourcePacksTable;
  outputs: OutputsTable;
  settings: SettingsTable;
  editing_sessions: EditingSessionsTable;
  custom_voices: CustomVoicesTable;
  custom_elements: CustomElementsTable & ElementLibraryColumn;
  unit_deductions: UnitDeductionsTable;
  workers: WorkersTable;
  console_sessions: ConsoleSessionsTable;
  callback_attempts: CallbackAttemptsTable;
  upstreams: UpstreamsTable & UpstreamHealthColumns & UpstreamLimitColumns;
  relayed_ids: RelayedIdsTable;
}
