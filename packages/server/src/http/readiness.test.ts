import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkReadiness, storageProbe } from './readiness.ts';

afterEach(() => { vi.useRealTimers(); });

describe('checkReadiness', () => {
  it('names each failed part with its error code, never its message', async () => {
    const result = await checkReadiness([
      { name: 'store', check: async () => undefined },
      { name: 'storage', check: async () => { throw Object.assign(new Error('EACCES: permission denied, open \'/secret/place\''), { code: 'EACCES' }); } },
      { name: 'queue', check: async () => { throw new Error('some message'); } },
    ]);
    expect(result.ready).toBe(false);
    expect(result.checks).toEqual({ store: 'ok', storage: 'failed (EACCES)', queue: 'failed' });
  });

  it('answers when a probe hangs, counting it as failed', async () => {
    vi.useFakeTimers();
    const pending = checkReadiness([{ name: 'store', check: () => new Promise(() => {}) }]);
    await vi.advanceTimersByTimeAsync(3_000);
    expect((await pending).checks).toEqual({ store: 'failed (TIMEOUT)' });
  });

  it('storage probe leaves nothing behind', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-ready-'));
    await storageProbe(dir).check();
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });
});
