// The behaviour every engine owes the task runner, as one suite an engine's test runs with its own factory:
// `runEngineCases('simulator', make)`. The cases drive the engine as the runner does (admit, then steps over a task
// row, applying each step) on a clock of their own, so no case waits for real time.

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { familyByName, validateCreate } from '@kiln/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskRow } from '../store/tasks.ts';
import type { Tenant } from '../store/tenants.ts';
import { TaskFailure, type Engine, type Step, type StepContext } from './engine.ts';
import { SCRIPTED_OUTPUTS } from './relay/scripted-upstream.ts';

export interface EngineCaseEnv {
  /** A fresh directory for this case: the engine's store, if it keeps one, and the tasks' output folders. */
  dataDir: string;
}

export interface EngineUnderTest {
  engine: Engine;
  close?: () => Promise<void>;
}

/** A URL the cases' input fetcher answers as a missing file (HTTP 404). */
export const MISSING_IMAGE = 'https://inputs.example/missing.png';

const tenant: Tenant = {
  id: 'tenant-1', name: 'cases', api_key_hash: '', access_key: 'ak', secret_key: 'sk', webhook_secret: null,
  limit_video: 5, limit_image: 5, limit_try_on: 5, timing_profile: null, engine: 'simulator', created_at: 0,
};

export function runEngineCases(name: string, make: (env: EngineCaseEnv) => Promise<EngineUnderTest>): void {
  describe(`the ${name} engine`, () => {
    let dataDir: string;
    let made: EngineUnderTest;
    let nextId = 1_000_000;
    beforeEach(async () => {
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiln-engine-cases-'));
      made = await make({ dataDir });
    });
    afterEach(async () => {
      await made.close?.();
      await fs.rm(dataDir, { recursive: true, force: true });
    });

    /** A task as the service stores it after the engine admitted it. */
    async function admitted(familyName: string, input: Record<string, unknown>): Promise<TaskRow> {
      const family = familyByName(familyName)!;
      const { body, model } = validateCreate(family, input);
      const id = String(nextId++);
      const state = await made.engine.admit({ taskId: id, tenant, family, body, headers: {} });
      const now = Date.now();
      return {
        id, tenant_id: tenant.id, family: family.name, external_task_id: null, status: 'submitted', status_msg: '', model,
        pack: family.pack, slots: family.slots(body), units: family.units(body), engine: made.engine.name,
        request_json: JSON.stringify(body), result_json: null, callback_url: null, watermark: 0, engine_json: state,
        processing_at: null, time_offset_ms: 0, created_at: now, updated_at: now,
      };
    }

    function context(task: TaskRow, now: number): StepContext {
      return {
        family: familyByName(task.family)!,
        now,
        outputDir: path.join(dataDir, 'media', task.id),
        mediaFile: async () => undefined,
        fetchInput: async (url) => {
          throw new Error(url === MISSING_IMAGE ? 'HTTP 404 Not Found' : `no such input in these cases: ${url}`);
        },
        // The relay keeps its upstream's outputs; the scripted upstream's are served here.
        fetchOutput: async (url, file) => {
          if (!url.startsWith(SCRIPTED_OUTPUTS)) throw new Error(`no such output in these cases: ${url}`);
          await fs.writeFile(file, `output ${url}`);
        },
      };
    }

    /** One step over the row, as the runner asks it; a TaskFailure becomes a `fail` step. */
    async function stepOf(task: TaskRow, now: number): Promise<Step> {
      try {
        return await made.engine.step(task, context(task, now));
      } catch (error) {
        if (error instanceof TaskFailure) return { kind: 'fail', message: error.message };
        throw error;
      }
    }

    /** The row after a step, as the runner writes it. Waits move the cases' clock, never real time. */
    function apply(task: TaskRow, step: Step, now: number): { task: TaskRow; now: number } {
      const next = { ...task, updated_at: task.updated_at + 1, ...(step.state !== undefined ? { engine_json: step.state } : {}) };
      switch (step.kind) {
        // The runner stores a step's state whatever its kind, a wait's too (the relay's, after sending).
        case 'wait': return { task: next, now: Math.max(now, step.until) };
        case 'start': return { task: { ...next, status: 'processing', processing_at: now }, now };
        case 'store': return { task: { ...next, result_json: JSON.stringify(step.result) }, now };
        case 'succeed': return { task: { ...next, status: 'succeed' }, now };
        case 'fail': return { task: { ...next, status: 'failed', status_msg: step.message, result_json: null }, now };
        default: return { task: next, now };
      }
    }

    /** Steps until the task ends (or parks), with the kinds of the steps taken. */
    async function run(task: TaskRow, until?: (step: Step) => boolean): Promise<{ task: TaskRow; now: number; kinds: string[]; last?: Step }> {
      let now = task.created_at;
      const kinds: string[] = [];
      for (let i = 0; i < 50 && task.status !== 'succeed' && task.status !== 'failed'; i++) {
        const step = await stepOf(task, now);
        kinds.push(step.kind);
        if (until?.(step)) return { task, now, kinds, last: step };
        if (step.kind === 'park') break;
        ({ task, now } = apply(task, step, now));
      }
      return { task, now, kinds };
    }

    const quick = { prompt: 'a red kite over a beach', n: 1 };

    it('admits a task with its state for the task (JSON)', async () => {
      const task = await admitted('generations', quick);
      expect(typeof task.engine_json).toBe('string');
      expect(() => JSON.parse(task.engine_json!)).not.toThrow();
    });

    it('takes a quick task from submitted to processing, then stores its result and succeeds', async () => {
      const { task, kinds } = await run(await admitted('generations', quick));
      const taken = kinds.filter((kind) => kind !== 'wait' && kind !== 'save');
      expect(taken).toEqual(['start', 'store', 'succeed']);
      expect(task.status).toBe('succeed');
      expect(JSON.parse(task.result_json!).images).toHaveLength(1);
    });

    it('fails a task whose input cannot be read, with a message naming the field', async () => {
      const { task } = await run(await admitted('image2video', { model_name: 'kling-v1', image: MISSING_IMAGE, prompt: 'waves' }));
      expect(task.status).toBe('failed');
      expect(task.status_msg).toMatch(/^image\b/);
      expect(task.status_msg).toContain('404');
      expect(task.result_json).toBeNull();
    });

    it('makes one result when a step is asked again after a crash', async () => {
      const before = await run(await admitted('generations', quick), (step) => step.kind === 'store');
      const first = before.last as Extract<Step, { kind: 'store' }>;
      const outputDir = context(before.task, before.now).outputDir;
      const filesAfterFirst = (await fs.readdir(outputDir)).sort();

      // The worker died before the result was written: the same row is stepped again.
      const again = await stepOf(before.task, before.now);
      expect(again.kind).toBe('store');
      expect((again as typeof first).result).toEqual(first.result);
      expect((await fs.readdir(outputDir)).sort()).toEqual(filesAfterFirst);

      // Once the result is written, asking again never makes another one.
      const stored = apply(before.task, again, before.now);
      const rest = await run(stored.task);
      expect(rest.kinds).not.toContain('store');
      expect(rest.task.status).toBe('succeed');
      expect(JSON.parse(rest.task.result_json!)).toEqual(first.result);
    });
  });
}
