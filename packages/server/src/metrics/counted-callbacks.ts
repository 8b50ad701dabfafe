// Counts callback deliveries by their outcome: every attempt, each failed one (it will be retried) and each given up.

import type { JobOutcome } from '../queue/worker-pool.ts';
import type { KilnMetrics } from './kiln-metrics.ts';

export async function countedDelivery(metrics: KilnMetrics, deliver: () => Promise<JobOutcome>): Promise<JobOutcome> {
  let outcome: JobOutcome;
  try {
    outcome = await deliver();
  } catch (error) {
    // A delivery that threw (the store could not be read) is retried by the pool: a failed attempt.
    metrics.callbackAttempted('failed');
    throw error;
  }
  metrics.callbackAttempted('done' in outcome ? 'delivered' : 'dead' in outcome ? 'dead' : 'failed');
  return outcome;
}
