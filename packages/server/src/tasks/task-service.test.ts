// A create its engine sends on the spot (the relay, with room upstream): the client is answered as soon as the engine
// has sent it, and the task's new state is written just after. A database that cannot take that write does not turn
// an accepted task into an error for the client (who would retry and pay twice): the task keeps the state it had
// while sending, from which the relay recovers it by asking the upstream.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { familyByName } from '@kiln/contract';
import type { Engine } from '../engines/engine.ts';
import { EngineRegistry } from '../engines/registry.ts';
import { KilnMetrics } from '../metrics/kiln-metrics.ts';
import { MeteredTaskService } from '../metrics/metered-task-service.ts';
import { openFailingDb, type FailingDb } from '../store/failing-db.ts';
import { TaskStore } from '../store/tasks.ts';
import { createTenant, tenantByName, type Tenant } from '../store/tenants.ts';

const SENDING = JSON.stringify({ phase: 'sending' });
const SENT = JSON.stringify({ phase: 'sent', upstreamTaskId: 'up-1' });

let dir: string;
let store: FailingDb;
let tenant: Tenant;
let warnings: object[];
let service: MeteredTaskService;
let sends = 0;

const sendingEngine: Engine = {
  name: 'relay',
  admit: async () => SENDING,
  sendNow: async () => {
    sends++;
    return { state: SENT };
  },
  step: async () => ({ kind: 'wait', until: Date.now() + 60_000 }),
};

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-task-service-'));
  store = await openFailingDb(dir);
  await createTenant(store.db, { name: 'acme', engine: 'relay' });
  tenant = (await tenantByName(store.db, 'acme'))!;
  warnings = [];
  sends = 0;
  const log = { info: () => undefined, warn: (obj: object) => void warnings.push(obj) };
  service = new MeteredTaskService({ metrics: new KilnMetrics(async () => []), log }, new TaskStore(store.db), new EngineRegistry([sendingEngine]), () => undefined);
});
afterEach(async () => {
  await store.db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const text2video = familyByName('text2video')!;
const storedState = async (id: string) =>
  (await store.db.selectFrom('tasks').select('engine_json').where('id', '=', id).executeTakeFirstOrThrow()).engine_json;

describe('a create its engine sends at once', () => {
  it('answers with the sent task and then keeps its new state', async () => {
    const task = await service.create(tenant, text2video, { prompt: 'a kite over the dunes', duration: '5' });
    expect(task.status).toBe('submitted');
    expect(sends).toBe(1);
    await vi.waitFor(async () => expect(await storedState(task.id)).toBe(SENT));
    expect(warnings).toEqual([]);
  });

  it('answers with the task though its new state cannot be written, which leaves it recoverable and tells the log', async () => {
    store.failing = /^update "tasks" set "engine_json"/;
    const task = await service.create(tenant, text2video, { prompt: 'a kite over the dunes', duration: '5' });
    expect(task.status).toBe('submitted');
    await vi.waitFor(() => expect(warnings).toHaveLength(1));
    expect(warnings[0]).toMatchObject({ task_id: task.id, tenant_id: tenant.id });
    // Still `sending`: the relay's workers ask the upstream for it by external id once the create's time is up.
    expect(await storedState(task.id)).toBe(SENDING);
  });
});
