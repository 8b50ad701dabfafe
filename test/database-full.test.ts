// While the database cannot write (a full disk), a create is refused with a Kling 5000 that says nothing was
// stored or billed, the real cause (SQLITE_FULL) is what surfaces rather than a failed rollback, and creates work
// again once there is room.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillStore, freeStore } from '../packages/server/src/store/full-disk.ts';
import { openSqliteStore } from '../packages/server/src/store/open.ts';
import { TaskStore, type TaskRow } from '../packages/server/src/store/tasks.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const T2I = '/v1/images/generations';

describe('a create while the database is full', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers 5000 in the Kling envelope, and creates work again once there is room', async () => {
    await fillStore(server.kiln.db);
    let refused;
    // The pages there are fill up after a few creates; then every create needs a page the disk does not have.
    for (let i = 0; i < 200 && !refused; i++) {
      const res = await server.api('POST', T2I, { body: { prompt: `a long prompt to fill pages ${i} `.repeat(60) } });
      if (res.json.code !== 0) refused = res;
    }
    expect(refused?.status).toBe(500);
    expect(refused?.json).toMatchObject({ code: 5000, message: 'internal error: the task could not be stored; nothing was billed, please retry later' });
    expect(typeof refused?.json.request_id).toBe('string');

    await freeStore(server.kiln.db);
    expect((await server.api('POST', T2I, { body: { prompt: 'room again' } })).json.code).toBe(0);
  });
});

describe('the store under a full disk', () => {
  it('reports SQLITE_FULL, not "cannot rollback - no transaction is active"', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-full-'));
    const db = await openSqliteStore(dir);
    try {
      const tasks = new TaskStore(db);
      await fillStore(db);
      const now = Date.now();
      const row: TaskRow = {
        id: '1', tenant_id: 't', family: 'text2video', external_task_id: null, status: 'submitted', status_msg: '', model: null,
        pack: 'video', slots: 1, units: 1, engine: 'simulator', request_json: JSON.stringify({ prompt: 'x'.repeat(20_000) }), result_json: null,
        callback_url: null, watermark: 0, engine_json: null, processing_at: null, time_offset_ms: 0, created_at: now, updated_at: now,
      };
      const error = await tasks.insertIfAdmitted(row, 5).then(() => undefined, (e) => e);
      expect(error?.code).toBe('SQLITE_FULL');
      expect(error?.message).not.toMatch(/cannot rollback/);
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
