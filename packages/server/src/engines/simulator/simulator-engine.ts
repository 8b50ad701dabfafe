// The simulator engine: a task waits in the queue and "generates" for as long as its timing profile says, fails or
// sticks when a test asked it to, and otherwise ends with real media that follows the request (sizes, durations,
// frames, audio), rendered by ffmpeg in child processes and sharp on its own threads, so the API's event loop stays
// free while it works.

import { KlingError, SOUND_FILE_LIMITS, type TimingProfile } from '@kiln/contract';
import type { Db } from '../../store/open.ts';
import type { TaskRow } from '../../store/tasks.ts';
import type { StoredResult } from '../../tasks/stored-result.ts';
import type { AdmitInput, Engine, MediaFault, Step, StepContext } from '../engine.ts';
import { SIMULATE_HEADER, parseDirectives, type Directives } from './directives.ts';
import { checkBase64Images, readUrlInputs } from './input-check.ts';
import { renderPlan } from './render-plan.ts';
import { findOutput } from '../../store/outputs.ts';
import { findCustomVoice } from '../../store/custom-assets.ts';
import { findSession } from '../../store/sessions.ts';
import { RESULT_LIFETIME_MS } from '../../storage/local-storage.ts';
import { blockedWordIn, directivesFromRules, loadRules, type SimulationRules } from './rules.ts';
import { sampleTiming } from './timing.ts';
import { inputReader, readStoredRequest } from '../../tasks/stored-inputs.ts';

/** What the simulator keeps per task (`engine_json`). */
export interface SimulatedTask extends Directives {
  profile: TimingProfile;
  queueMs: number;
  generationMs: number;
}

export function readSimulatedTask(task: TaskRow): SimulatedTask {
  return task.engine_json ? JSON.parse(task.engine_json) : { profile: 'fast', queueMs: 0, generationMs: 0 };
}

/** Kling's limit for an uploaded sound file (avatar sound_file), from the contract. */
const MAX_SOUND_BYTES = SOUND_FILE_LIMITS.maxBytes;

/** Rules change rarely; re-reading them once a second keeps creates cheap and every process current. */
const RULES_TTL_MS = 1_000;

export class SimulatorEngine implements Engine {
  readonly name = 'simulator';
  private rules: { value: SimulationRules; until: number } | undefined;

  constructor(private readonly db: Db, private readonly defaultProfile: TimingProfile) {}

  private async currentRules(): Promise<SimulationRules> {
    if (!this.rules || this.rules.until < Date.now()) {
      this.rules = { value: await loadRules(this.db), until: Date.now() + RULES_TTL_MS };
    }
    return this.rules.value;
  }

  /** Forgets the cached rules (after an operator changed them in this process). */
  rulesChanged(): void {
    this.rules = undefined;
  }

  async admit({ taskId, tenant, family, body, headers }: AdmitInput): Promise<string> {
    const header = headers[SIMULATE_HEADER];
    const asked = typeof header === 'string' && header.trim() ? parseDirectives(header) : {};
    const rules = await this.currentRules();
    const blocked = blockedWordIn(rules, body);
    if (blocked) throw new KlingError(1301, `content security policy triggered: ${blocked.field} contains a blocked word ('${blocked.word}')`);
    const directives: Directives = { ...directivesFromRules(rules, family.name), ...asked };
    if (directives.error !== undefined) throw new KlingError(directives.error, `simulated error ${directives.error} (${SIMULATE_HEADER})`);
    await checkBase64Images(family, body);

    const profile = (tenant.timing_profile as TimingProfile | null) ?? this.defaultProfile;
    const timing = sampleTiming(profile, family.plan(body), taskId);
    const state: SimulatedTask = { profile, ...timing, ...directives };
    state.queueMs += directives.delayMs ?? 0;
    delete state.delayMs;
    delete state.error;
    return JSON.stringify(state);
  }

  async step(task: TaskRow, context: StepContext): Promise<Step> {
    const state = readSimulatedTask(task);
    // The task's own clock: real time plus the fast-forward its controls applied (time_offset_ms); waits are
    // answered in real time, as the runner schedules them.
    const now = context.now + task.time_offset_ms;
    const waitUntil = (at: number): Step => ({ kind: 'wait', until: at - task.time_offset_ms });
    if (task.status === 'submitted') {
      const startAt = task.created_at + state.queueMs;
      return now >= startAt ? { kind: 'start' } : waitUntil(startAt);
    }
    if (state.stuck) return { kind: 'park' };
    const readyAt = (task.processing_at ?? task.created_at) + state.generationMs;
    if (state.fail) return now >= readyAt ? { kind: 'fail', message: state.fail.message } : waitUntil(readyAt);
    if (!task.result_json) return { kind: 'store', result: await this.render(task, context) };
    return now >= readyAt ? { kind: 'succeed' } : waitUntil(readyAt);
  }

  mediaFault(task: TaskRow): MediaFault | undefined {
    return readSimulatedTask(task).media;
  }

  private async render(task: TaskRow, context: StepContext): Promise<StoredResult> {
    // Large Base64 inputs were put into storage at create; they are read back here only.
    const body = await readStoredRequest(task.request_json, inputReader(task.id, context.mediaFile));
    // Inputs are downloaded once: the checks read them, and the renderer gets the same bytes (videos up to 200 MB).
    const downloads = new Map<string, Promise<Buffer>>();
    const fetchOnce = (url: string, maxBytes: number) => {
      let download = downloads.get(url);
      if (!download) downloads.set(url, (download = context.fetchInput(url, maxBytes)));
      return download;
    };
    await readUrlInputs(context.family, body, fetchOnce);
    const { MAX_IMAGE_BYTES, MAX_VIDEO_BYTES } = await import('./media/index.ts');
    return renderPlan(context.family.plan(body), {
      taskId: task.id,
      family: task.family,
      // The stored request has its defaults applied, so `mode` is what was rendered even when the client left it out.
      renderedAs: { model: task.model ?? undefined, mode: typeof body.mode === 'string' ? body.mode : undefined },
      outputDir: context.outputDir,
      fetchImage: (url) => fetchOnce(url, MAX_IMAGE_BYTES),
      fetchVideo: (url) => fetchOnce(url, MAX_VIDEO_BYTES),
      fetchAudio: (url) => fetchOnce(url, MAX_SOUND_BYTES),
      stored: async (kind, id) => {
        const output = await findOutput(this.db, task.tenant_id, kind, id);
        const file = output ? await context.mediaFile(output.task_id, output.file) : undefined;
        if (!output || !file || output.seconds === null) return undefined;
        const expiresAt = output.created_at + RESULT_LIFETIME_MS;
        return { file, taskId: output.task_id, name: output.file, seconds: output.seconds, expiresAt };
      },
      customVoice: (id) => findCustomVoice(this.db, task.tenant_id, id),
      session: async (id) => {
        const row = await findSession(this.db, task.tenant_id, id);
        const file = row ? await context.mediaFile(row.id, row.video_file) : undefined;
        return row && file ? { row, file } : undefined;
      },
    });
  }
}
