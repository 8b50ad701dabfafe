// What a scrape shows of the per-request series: Prometheus' counter and histogram forms, cumulative buckets.

import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestSeries } from './request-series.ts';

describe('request series', () => {
  it('counts requests per method, route and status, with cumulative latency buckets', async () => {
    const registry = new Registry();
    const series = new RequestSeries(registry, [0.01, 0.1, 1], { counter: 'reqs_total', histogram: 'req_seconds' }, { counter: 'requests', histogram: 'latency' });
    series.observe('GET', '/v1/x/:id', 200, 0.005);
    series.observe('GET', '/v1/x/:id', 200, 0.05);
    series.observe('GET', '/v1/x/:id', 200, 5);
    series.observe('GET', '/v1/x/:id', 400, 0.001);
    series.observe('POST', '/v1/x', 200, 0.5);
    const text = await registry.metrics();
    const line = (name: string) => text.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1];
    expect(text).toContain('# TYPE reqs_total counter');
    expect(text).toContain('# TYPE req_seconds histogram');
    expect(line('reqs_total{method="GET",route="/v1/x/:id",status_code="200"}')).toBe('3');
    expect(line('reqs_total{method="GET",route="/v1/x/:id",status_code="400"}')).toBe('1');
    expect(line('reqs_total{method="POST",route="/v1/x",status_code="200"}')).toBe('1');
    const get200 = 'method="GET",route="/v1/x/:id",status_code="200"';
    expect(line(`req_seconds_bucket{le="0.01",${get200}}`)).toBe('1');
    expect(line(`req_seconds_bucket{le="0.1",${get200}}`)).toBe('2');
    expect(line(`req_seconds_bucket{le="1",${get200}}`)).toBe('2');
    expect(line(`req_seconds_bucket{le="+Inf",${get200}}`)).toBe('3');
    expect(line(`req_seconds_count{${get200}}`)).toBe('3');
    expect(Number(line(`req_seconds_sum{${get200}}`))).toBeCloseTo(5.055);
  });
});
