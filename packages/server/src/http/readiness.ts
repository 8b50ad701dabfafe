// Readiness: whether this process can serve, checked for real on each call. The store answers a query over a table,
// the queue answers a query over its jobs, and storage takes (and gives back) a small probe object. A probe that
// hangs counts as failed after a few seconds, so a load balancer's check always gets an answer.

import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../store/open.ts';
import { checkQueueReadable } from '../store/jobs.ts';
import { checkStoreReadable } from '../store/tenants.ts';

export interface ReadinessProbe {
  name: string;
  check: () => Promise<unknown>;
}

export interface Readiness {
  ready: boolean;
  /** Each part: "ok", or "failed" with the error's code when it has one (never a path or a message). */
  checks: Record<string, string>;
  errors: { part: string; error: unknown }[];
}

const PROBE_TIMEOUT_MS = 3_000;

export async function checkReadiness(probes: ReadinessProbe[]): Promise<Readiness> {
  const results = await Promise.all(probes.map(async (probe) => {
    try {
      await withTimeout(probe.check(), PROBE_TIMEOUT_MS);
      return { part: probe.name, error: undefined };
    } catch (error) {
      return { part: probe.name, error: error ?? new Error('failed') };
    }
  }));
  const checks: Record<string, string> = {};
  for (const r of results) checks[r.part] = r.error === undefined ? 'ok' : failure(r.error);
  const errors = results.filter((r) => r.error !== undefined) as Readiness['errors'];
  return { ready: errors.length === 0, checks, errors };
}

export function storeProbe(db: Db): ReadinessProbe {
  return { name: 'store', check: () => checkStoreReadable(db) };
}

export function queueProbe(db: Db): ReadinessProbe {
  return { name: 'queue', check: () => checkQueueReadable(db) };
}

/** Writes and removes a probe object beside the media, where outputs are written. */
export function storageProbe(root: string): ReadinessProbe {
  return {
    name: 'storage',
    check: async () => {
      const file = path.join(root, `.ready-${randomUUID()}`);
      await fs.writeFile(file, 'ok');
      await fs.rm(file, { force: true });
    },
  };
}

function failure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? `failed (${code})` : 'failed';
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
