// The Engine port's behaviour suite, run against every engine kiln has; and what only the simulator does with a task's
// clock (its fast-forward is the simulator's own, read from the task, not added by the runner).

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { familyByName, validateCreate } from '@kiln/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type Db } from '../store/open.ts';
import type { TaskRow } from '../store/tasks.ts';
import type { Tenant } from '../store/tenants.ts';
import { MISSING_IMAGE, runEngineCases } from './engine-cases.ts';
import { RelayEngine } from './relay/relay-engine.ts';
import { ScriptedUpstream } from './relay/scripted-upstream.ts';
import { UpstreamRegistry } from './relay/upstream-registry.ts';
import { EngineRegistry } from './registry.ts';
import { readSimulatedTask, SimulatorEngine } from './simulator/simulator-engine.ts';

runEngineCases('simulator', async ({ dataDir }) => {
  const db = await openSqliteStore(dataDir);
  return { engine: new SimulatorEngine(db, 'fast'), close: () => db.destroy() };
});

// The relay in front of a Kling account in memory: the same cases, the upstream doing what the simulator does here.
runEngineCases('relay', async () => {
  const upstream = new ScriptedUpstream([MISSING_IMAGE]);
  const config = { name: 'scripted', baseUrl: upstream.baseUrl, pathStyle: 'official' as const, apiKey: 'scripted-key' };
  return { engine: new RelayEngine(new UpstreamRegistry(async () => [config]), { fetch: upstream.fetch }) };
});

describe('the simulator task clock', () => {
  let dir: string;
  let db: Db;
  let simulator: SimulatorEngine;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiln-sim-clock-'));
    db = await openSqliteStore(dir);
    simulator = new SimulatorEngine(db, 'fast');
  });
  afterEach(async () => {
    await db.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const tenant = { id: 'tenant-1', timing_profile: null } as Tenant;
  async function submitted(headers: Record<string, string> = {}, offsetMs = 0): Promise<TaskRow> {
    const family = familyByName('generations')!;
    const { body } = validateCreate(family, { prompt: 'a kite' });
    const engine_json = await simulator.admit({ taskId: '77', tenant, family, body, headers });
    return {
      id: '77', tenant_id: 'tenant-1', family: 'generations', external_task_id: null, status: 'submitted', status_msg: '', model: null,
      pack: 'image', slots: 1, units: 1, engine: 'simulator', request_json: JSON.stringify(body), result_json: null, callback_url: null,
      watermark: 0, engine_json, processing_at: null, time_offset_ms: offsetMs, created_at: 1_000_000, updated_at: 1_000_000,
    };
  }
  const context = (now: number) => ({
    family: familyByName('generations')!, now, outputDir: dir, mediaFile: async () => undefined,
    fetchInput: async () => Buffer.alloc(0),
    fetchOutput: async () => undefined,
  });

  it('adds a fast-forwarded task\'s offset to real time itself', async () => {
    const task = await submitted({}, 60_000);
    expect(await simulator.step(task, context(task.created_at))).toEqual({ kind: 'start' });
  });

  it('answers waits in real time, so the runner schedules them as they are', async () => {
    const task = await submitted({}, 100);
    const { queueMs } = readSimulatedTask(task);
    expect(await simulator.step(task, context(task.created_at))).toEqual({ kind: 'wait', until: task.created_at + queueMs - 100 });
  });

  it('is asked for media faults through the task\'s engine; other engines\' tasks have none', async () => {
    const engines = new EngineRegistry([simulator]);
    const faulty = await submitted({ 'x-kiln-simulate': 'media=slow' });
    expect(engines.mediaFault(faulty)).toBe('slow');
    expect(engines.mediaFault({ ...faulty, engine: 'relay' })).toBeUndefined();
  });
});
