// Node's own metrics (CPU, memory, event loop lag, GC, handles) for `GET /metrics`. They describe the process, not
// one server in it, so they are collected once per process, in a registry of their own, however many servers start.

import { collectDefaultMetrics, Registry } from 'prom-client';

let registry: Registry | undefined;

export function processMetricsText(): Promise<string> {
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
  }
  return registry.metrics();
}
