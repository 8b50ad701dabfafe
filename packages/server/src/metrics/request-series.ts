// The per-request figures (`kiln_http_requests_total` and `kiln_http_request_duration_seconds`), counted in plain
// arrays and read into Prometheus form only when scraped. prom-client validates and hashes the labels of every
// observation, even through a child kept with labels(): at a task query's rate that was a sixteenth of the
// server's time. Counting here costs three map lookups and an array increment.

import type { Registry } from 'prom-client';

interface Series {
  labels: { method: string; route: string; status_code: number };
  count: number;
  sum: number;
  /** Observations at or below each bucket's bound (not cumulative: summed when read). */
  buckets: Float64Array;
}

type MetricValue = { value: number; labels: Record<string, string | number>; metricName?: string };

export class RequestSeries {
  /** route → method → status code → series: keys the request already carries, so no key is built per request. */
  private readonly byRoute = new Map<string, Map<string, Map<number, Series>>>();

  constructor(registry: Registry, private readonly bounds: readonly number[], names: { counter: string; histogram: string }, help: { counter: string; histogram: string }) {
    const all = () => [...this.byRoute.values()].flatMap((m) => [...m.values()]).flatMap((m) => [...m.values()]);
    const counter = {
      name: names.counter, help: help.counter, type: 'counter', aggregator: 'sum',
      get: async () => ({ ...counter, values: all().map((s): MetricValue => ({ labels: s.labels, value: s.count })) }),
    };
    const histogram = {
      name: names.histogram, help: help.histogram, type: 'histogram', aggregator: 'sum',
      get: async () => ({ ...histogram, values: all().flatMap((s) => this.histogramValues(s, names.histogram)) }),
    };
    // The registry takes any object with a name and get() in its metric shape; prom-client's own metric types
    // are classes, hence the cast.
    registry.registerMetric(counter as any);
    registry.registerMetric(histogram as any);
  }

  observe(method: string, route: string, statusCode: number, seconds: number): void {
    let byMethod = this.byRoute.get(route);
    if (!byMethod) this.byRoute.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(statusCode);
    if (!series) {
      series = { labels: { method, route, status_code: statusCode }, count: 0, sum: 0, buckets: new Float64Array(this.bounds.length) };
      byStatus.set(statusCode, series);
    }
    series.count += 1;
    series.sum += seconds;
    for (let i = 0; i < this.bounds.length; i++) {
      if (seconds <= this.bounds[i]) {
        series.buckets[i] += 1;
        break;
      }
    }
  }

  private histogramValues(s: Series, name: string): MetricValue[] {
    let cumulative = 0;
    const values: MetricValue[] = this.bounds.map((bound, i) => {
      cumulative += s.buckets[i];
      return { metricName: `${name}_bucket`, labels: { le: bound, ...s.labels }, value: cumulative };
    });
    values.push({ metricName: `${name}_bucket`, labels: { le: '+Inf', ...s.labels }, value: s.count });
    values.push({ metricName: `${name}_sum`, labels: s.labels, value: s.sum });
    values.push({ metricName: `${name}_count`, labels: s.labels, value: s.count });
    return values;
  }
}
