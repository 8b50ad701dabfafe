// The defaults an operator gets without setting anything: kiln listens on loopback only, fetches private addresses
// only while it does, trusts no proxy, and logs JSON unless a person watches the terminal.

import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config.ts';
import { prettyLine } from './metrics/pretty-log.ts';

describe('configuration defaults', () => {
  it('listens on 127.0.0.1 and, there, fetches private URLs (a developer machine)', () => {
    const config = configFromEnv({}, false);
    expect(config.host).toBe('127.0.0.1');
    expect(config.allowPrivateUrls).toBe(true);
  });

  it('refuses private URLs by default once it listens on the network, unless the operator allows them', () => {
    expect(configFromEnv({ HOST: '0.0.0.0' }, false).allowPrivateUrls).toBe(false);
    expect(configFromEnv({ HOST: '10.0.0.5' }, false).allowPrivateUrls).toBe(false);
    expect(configFromEnv({ HOST: '0.0.0.0', KILN_ALLOW_PRIVATE_URLS: 'true' }, false).allowPrivateUrls).toBe(true);
    expect(configFromEnv({ HOST: '::1' }, false).allowPrivateUrls).toBe(true);
    expect(configFromEnv({ HOST: 'localhost', KILN_ALLOW_PRIVATE_URLS: 'false' }, false).allowPrivateUrls).toBe(false);
  });

  it('trusts no proxy unless told: on, off, or the proxies\' addresses', () => {
    expect(configFromEnv({}, false).trustProxy).toBe(false);
    expect(configFromEnv({ KILN_TRUST_PROXY: 'true' }, false).trustProxy).toBe(true);
    expect(configFromEnv({ KILN_TRUST_PROXY: 'off' }, false).trustProxy).toBe(false);
    expect(configFromEnv({ KILN_TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }, false).trustProxy).toBe('10.0.0.0/8,127.0.0.1');
  });

  it('logs pretty lines on a terminal and JSON elsewhere; KILN_LOG_FORMAT decides when set', () => {
    expect(configFromEnv({}, true).logFormat).toBe('pretty');
    expect(configFromEnv({}, false).logFormat).toBe('json');
    expect(configFromEnv({ KILN_LOG_FORMAT: 'json' }, true).logFormat).toBe('json');
    expect(configFromEnv({ KILN_LOG_FORMAT: 'pretty' }, false).logFormat).toBe('pretty');
    expect(() => configFromEnv({ KILN_LOG_FORMAT: 'xml' }, false)).toThrow(/KILN_LOG_FORMAT must be json or pretty/);
  });

  it('keeps results 30 days, as Kling does, unless KILN_RETENTION_DAYS says otherwise', () => {
    expect(configFromEnv({}, false).retentionDays).toBe(30);
    expect(configFromEnv({ KILN_RETENTION_DAYS: '7' }, false).retentionDays).toBe(7);
    expect(configFromEnv({ KILN_RETENTION_DAYS: '0' }, false).retentionDays).toBe(0);
  });
});

describe('pretty log lines', () => {
  const time = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

  it('shows an access line as method, route, status and time, then its fields', () => {
    const line = prettyLine(JSON.stringify({ level: 30, time, pid: 1, hostname: 'h', msg: 'request', request_id: 'r-1', tenant_id: 't', method: 'GET', route: '/v1/videos/text2video/:id', status: 200, ms: 1.25, client: '203.0.113.7' }));
    expect(line).toBe('03:04:05.678 INFO  GET /v1/videos/text2video/:id 200 1.25ms  request_id=r-1 tenant_id=t client=203.0.113.7');
  });

  it('shows a task transition with its fields, and an error with its stack below', () => {
    expect(prettyLine(JSON.stringify({ level: 30, time, msg: 'task status', task_id: '9', from: 'submitted', to: 'processing' })))
      .toBe('03:04:05.678 INFO  task status  task_id=9 from=submitted to=processing');
    const error = prettyLine(JSON.stringify({ level: 50, time, msg: 'job failed unexpectedly', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' } }));
    expect(error.split('\n')).toEqual(['03:04:05.678 ERROR job failed unexpectedly', '    Error: boom', '        at x']);
  });
});
