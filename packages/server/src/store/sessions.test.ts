// A session's state is changed by compare-and-swap: a mark another process added between a call's read of the state
// and its write is kept, not overwritten with the state that call read. The other process's writes are made on the
// same connection while the call runs.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SelectQueryNode, TableNode, type KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrate } from './migrations.ts';
import type { Database } from './schema.ts';
import { openSession, updateSessionState } from './sessions.ts';
import { KilnSqliteDialect } from './sqlite-dialect.ts';

let dir: string;
let sqlite: SQLite.Database;
let db: Kysely<Database>;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-sessions-'));
  sqlite = new SQLite(path.join(dir, 'kiln.db'));
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** After each of the first `budget` reads of editing_sessions, "another process" adds its own mark to the state. */
function otherProcessMarks(budget: number): KyselyPlugin {
  const reads = new Set<unknown>();
  let made = 0;
  return {
    transformQuery(args) {
      const node = args.node;
      if (SelectQueryNode.is(node) && node.from?.froms.some((f) => TableNode.is(f) && f.table.identifier.name === 'editing_sessions')) {
        reads.add(args.queryId);
      }
      return node;
    },
    async transformResult(args) {
      if (reads.delete(args.queryId) && made < budget) {
        made++;
        const { state_json } = sqlite.prepare('SELECT state_json FROM editing_sessions WHERE id = ?').get('s1') as { state_json: string };
        const state = JSON.parse(state_json) as { marks: string[] };
        sqlite.prepare('UPDATE editing_sessions SET state_json = ? WHERE id = ?').run(JSON.stringify({ marks: [...state.marks, `other-${made}`] }), 's1');
      }
      return args.result;
    },
  };
}

it('keeps the marks another process added while a call was changing the state', async () => {
  const base = new Kysely<Database>({ dialect: new KilnSqliteDialect(sqlite) });
  await migrate(base);
  await openSession(base, {
    id: 's1', tenantId: 't1', kind: 'multi-elements', source: {}, state: { marks: [] }, now: Date.now(),
    video: { seconds: 5, width: 640, height: 360, fps: 24, frames: 120, hasAudio: false },
  });
  db = base.withPlugin(otherProcessMarks(3));
  for (const mark of ['mine-1', 'mine-2']) {
    await updateSessionState<{ marks: string[] }, void>(db, 't1', 's1', (state) => ({ state: { marks: [...state.marks, mark] }, result: undefined }));
  }
  const row = await db.selectFrom('editing_sessions').select('state_json').executeTakeFirstOrThrow();
  expect((JSON.parse(row.state_json) as { marks: string[] }).marks.sort()).toEqual(['mine-1', 'mine-2', 'other-1', 'other-2', 'other-3']);
});
