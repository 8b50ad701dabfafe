import { describe, expect, it } from 'vitest';
import { KilnMetrics } from './kiln-metrics.ts';
import { countedDelivery } from './counted-callbacks.ts';

const value = async (metrics: KilnMetrics, name: string) =>
  (await metrics.registry.getSingleMetric(name)!.get()).values;

describe('KilnMetrics', () => {
  it('reads queue depth and oldest age with one query per scrape, and each scrape afresh', async () => {
    let queries = 0;
    let now = 100_000;
    const metrics = new KilnMetrics(async () => {
      queries++;
      return [{ kind: 'advance', depth: 4, oldestCreatedAt: 40_000 }];
    }, () => now);
    let text = await metrics.text();
    expect(queries).toBe(1);
    expect(text).toContain('kiln_queue_depth{kind="advance"} 4');
    expect(text).toContain('kiln_queue_depth{kind="callback"} 0');
    expect(text).toContain('kiln_queue_oldest_job_age_seconds{kind="advance"} 60');
    now = 130_000;
    await new Promise((resolve) => setImmediate(resolve));
    text = await metrics.text();
    expect(queries).toBe(2);
    expect(text).toContain('kiln_queue_oldest_job_age_seconds{kind="advance"} 90');
  });

  it('still answers a scrape when the queue cannot be read, without claiming an empty queue', async () => {
    const metrics = new KilnMetrics(async () => { throw new Error('database is closed'); });
    metrics.taskCreated({ family: 'omni-video', engine: 'simulator' });
    const text = await metrics.text();
    expect(text).toContain('kiln_tasks_created_total{family="omni-video",engine="simulator"} 1');
    expect(text).not.toMatch(/^kiln_queue_depth\{/m);
  });

  it('counts callback attempts, failures and dead letters from each delivery outcome', async () => {
    const metrics = new KilnMetrics(async () => []);
    await countedDelivery(metrics, async () => ({ done: true }));
    await countedDelivery(metrics, async () => ({ retryAt: 1, error: 'HTTP 500' }));
    await countedDelivery(metrics, async () => ({ dead: 'gave up' }));
    await expect(countedDelivery(metrics, async () => { throw new Error('store down'); })).rejects.toThrow('store down');
    expect((await value(metrics, 'kiln_callback_attempts_total'))[0].value).toBe(4);
    expect((await value(metrics, 'kiln_callback_failures_total'))[0].value).toBe(3);
    expect((await value(metrics, 'kiln_callback_dead_letters_total'))[0].value).toBe(1);
  });

  it('keeps two servers\' figures apart and shows Node process metrics in each', async () => {
    const a = new KilnMetrics(async () => []);
    const b = new KilnMetrics(async () => []);
    a.bytesStored(1234);
    expect(await a.text()).toContain('kiln_storage_bytes_written_total 1234');
    const textB = await b.text();
    expect(textB).toContain('kiln_storage_bytes_written_total 0');
    expect(textB).toContain('process_resident_memory_bytes');
  });
});
