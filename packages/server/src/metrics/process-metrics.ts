// Node's own metrics (CPU, memory, event loop lag, GC, handles) for `GET /metrics`. They describe the process, not
// one server in it, so they are collected once per process, in a registry of their own, however many servers start.

import { collectDefaultMetrics, Registry } from 'prom-client';

let registry: Registry | undefined;

/** Starts collecting (GC counts and event loop lag are observed from then on); later calls do nothing. */
export function startProcessMetrics(): Registry {
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}

export function processMetricsText(): Promise<string> {
  return startProcessMetrics().metrics();
}
