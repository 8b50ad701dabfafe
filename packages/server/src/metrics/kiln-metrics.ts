// What kiln counts for its operator, in Prometheus form (`GET /metrics`): HTTP requests, tasks, jobs, renders,
// callbacks and stored bytes. Each server has its own registry, so two servers in one process (tests, tools) never
// mix their figures; Node's process metrics are per process and kept in one shared registry (process-metrics.ts).
// prom-client is pinned to 15.1.3 in the package: its 15.x line supports Node 20 (engines ^16 || ^18 || >=20).

import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { processMetricsText, startProcessMetrics } from './process-metrics.ts';
import { RequestSeries } from './request-series.ts';

import type { QueueStat } from '../store/jobs.ts';
export type { QueueStat };

/** What a task metric is labelled with: never its id, only the bounded facts about it. */
export interface TaskLabels {
  family: string;
  engine: string;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const JOB_KINDS = ['advance', 'callback'];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export class KilnMetrics {
  readonly registry = new Registry();

  private readonly requests = new RequestSeries(this.registry, LATENCY_BUCKETS, {
    counter: 'kiln_http_requests_total', histogram: 'kiln_http_request_duration_seconds',
  }, {
    counter: 'HTTP requests answered, by method, route pattern and status code',
    histogram: 'Time from request to answer, by method, route pattern and status code',
  });
  private readonly tasksCreated = new Counter({
    name: 'kiln_tasks_created_total', help: 'Tasks accepted, by family and engine',
    labelNames: ['family', 'engine'] as const, registers: [this.registry],
  });
  private readonly tasksFinished = new Counter({
    name: 'kiln_tasks_finished_total', help: 'Tasks that reached succeed or failed, by family, engine and status',
    labelNames: ['family', 'engine', 'status'] as const, registers: [this.registry],
  });
  private readonly jobRun = new Histogram({
    name: 'kiln_job_run_seconds', help: 'Time one job run held its worker, by job kind',
    labelNames: ['kind'] as const, buckets: JOB_BUCKETS, registers: [this.registry],
  });
  private readonly render = new Histogram({
    name: 'kiln_render_seconds', help: 'Time the engine took to make a task\'s outputs, by family and engine',
    labelNames: ['family', 'engine'] as const, buckets: JOB_BUCKETS, registers: [this.registry],
  });
  private readonly callbackAttempts = new Counter({
    name: 'kiln_callback_attempts_total', help: 'Callback deliveries tried', registers: [this.registry],
  });
  private readonly callbackFailures = new Counter({
    name: 'kiln_callback_failures_total', help: 'Callback deliveries that failed (each is retried until it is dead)', registers: [this.registry],
  });
  private readonly callbackDead = new Counter({
    name: 'kiln_callback_dead_letters_total', help: 'Callbacks given up on and kept as dead jobs', registers: [this.registry],
  });
  private readonly storageBytes = new Counter({
    name: 'kiln_storage_bytes_written_total', help: 'Bytes of task outputs written to storage', registers: [this.registry],
  });

  /**
   * @param queueStats read on each scrape (one query), so the figures are the queue's, shared by every process,
   * rather than what this process happened to see.
   */
  constructor(queueStats: () => Promise<QueueStat[]>, now: () => number = Date.now) {
    startProcessMetrics();
    // Both gauges come from one query: the first gauge collected reads it, the second reuses that answer. When the
    // store cannot answer, the gauges show nothing (an absent series) rather than an empty queue, and the rest of
    // the scrape still works.
    let pending: Promise<QueueStat[] | undefined> | undefined;
    const read = () => (pending ??= queueStats().catch(() => undefined).finally(() => setImmediate(() => { pending = undefined; })));
    const queueGauge = (name: string, help: string, value: (s: QueueStat) => number | undefined) => new Gauge({
      name, help, labelNames: ['kind'] as const, registers: [this.registry],
      async collect() {
        this.reset();
        const stats = await read();
        if (!stats) return;
        // Kinds with no job show 0 rather than disappearing, so an alert sees the queue drain.
        for (const kind of JOB_KINDS) this.set({ kind }, 0);
        for (const s of stats) {
          const v = value(s);
          if (v !== undefined) this.set({ kind: s.kind }, v);
        }
      },
    });
    queueGauge('kiln_queue_depth', 'Jobs waiting or running, by job kind', (s) => s.depth);
    queueGauge('kiln_queue_oldest_job_age_seconds', 'Age of the oldest waiting or running job, by job kind',
      (s) => (s.oldestCreatedAt === null ? undefined : Math.max(0, (now() - s.oldestCreatedAt) / 1000)));
  }

  /**
   * One answered request; `route` is the pattern the router matched (never the raw URL, which carries ids). Called
   * for every request, hence counted apart from prom-client (request-series.ts).
   */
  request(method: string, route: string, statusCode: number, seconds: number): void {
    this.requests.observe(method, route, statusCode, seconds);
  }

  taskCreated(task: TaskLabels): void {
    this.tasksCreated.inc({ family: task.family, engine: task.engine });
  }

  taskFinished(task: TaskLabels, status: string): void {
    this.tasksFinished.inc({ family: task.family, engine: task.engine, status });
  }

  jobRan(kind: string, seconds: number): void {
    this.jobRun.observe({ kind }, seconds);
  }

  rendered(task: TaskLabels, seconds: number): void {
    this.render.observe({ family: task.family, engine: task.engine }, seconds);
  }

  callbackAttempted(outcome: 'delivered' | 'failed' | 'dead'): void {
    this.callbackAttempts.inc();
    if (outcome !== 'delivered') this.callbackFailures.inc();
    if (outcome === 'dead') this.callbackDead.inc();
  }

  bytesStored(bytes: number): void {
    if (bytes > 0) this.storageBytes.inc(bytes);
  }

  /** The text a scrape answers: kiln's figures, then Node's process metrics. */
  async text(): Promise<string> {
    return (await this.registry.metrics()) + (await processMetricsText());
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
