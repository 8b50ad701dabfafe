// Whatever a client sends, kiln answers with a Kling envelope and never a 5xx: fast-check throws thousands of
// generated bodies, headers, paths and methods at every route, and every route published in /openapi.json gets every
// hostile value in every field. Runs are a fixed number of requests from a fixed seed, so a failure reproduces
// (KILN_FUZZ_SEED picks another seed to explore further).

import fc from 'fast-check';
import { families } from '@kiln/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import {
  bodyWith, fieldPaths, HOSTILE_IDS, HOSTILE_JSON, HOSTILE_QUERY, HOSTILE_QUERY_EXTRAS, jsonText, operationsOf,
  POLLUTION_MARKER, prefixedPaths, queryText, type Operation,
} from './helpers/openapi-fuzz.ts';

const seed = Number(process.env.KILN_FUZZ_SEED ?? 20_251_107);
// Only a guard against a hang: the runs are a fixed number of requests, however long a loaded machine takes.
const HANG_GUARD_MS = 10 * 60_000;

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false }); });
afterAll(async () => { await server.close(); });

const fieldNames = [...new Set(families.flatMap((f) => Object.keys(f.request.properties)))];
const prefixes = ['/v1', '/kling/v1', '/v1/ai/x/kling'];
const suffixes = families.map((f) => f.path.replace(/^\/v1/, ''));

// Bodies that look like requests: known field names with values of any shape, plus arbitrary JSON.
const anyValue = fc.oneof(
  fc.jsonValue(),
  fc.string(),
  fc.integer(),
  fc.constantFrom('16:9', '9:16', '1:1', 'auto', 'std', 'pro', '4k', '5', '10', 'on', 'off', 'customize', 'kling-v3', 'kling-video-o1', 'https://example.com/a.png', 'data:image/png;base64,AA'),
  fc.array(fc.dictionary(fc.constantFrom('image_url', 'image', 'type', 'element_id', 'video_url', 'refer_type', 'index', 'prompt', 'duration'), fc.jsonValue()), { maxLength: 8 }),
);
const requestLike = fc.dictionary(fc.constantFrom(...fieldNames), anyValue, { maxKeys: 10 });
const rawBody = fc.oneof(
  requestLike.map((b) => JSON.stringify(b)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constant('{"element_id": 99999999999999999999999999, "n": 1e400}'),
  fc.constant(''),
);
const path = fc.oneof(
  fc.tuple(fc.constantFrom(...prefixes), fc.constantFrom(...suffixes), fc.option(fc.oneof(fc.stringMatching(/^\d{1,20}$/), fc.string()), { nil: undefined }))
    .map(([p, s, id]) => (id === undefined ? p + s : `${p}${s}/${encodeURIComponent(id)}`)),
  fc.string().map((s) => '/' + encodeURIComponent(s)),
);
const query = fc.option(
  fc.dictionary(fc.constantFrom('pageNum', 'pageSize', 'external_task_id', 'x'), fc.oneof(fc.string(), fc.integer().map(String)), { maxKeys: 3 }),
  { nil: undefined },
);

// Header values a client can actually send (printable ASCII; anything else is refused by HTTP clients).
const headerText = fc.string({ unit: 'grapheme-ascii' }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));

describe('robustness', () => {
  it('answers every generated request with an envelope and a non-5xx status', async () => {
    const authorization = fc.oneof(
      fc.constant(`Bearer ${server.creds.api_key}`),
      fc.constant(`Bearer ${server.creds.api_key}`),
      headerText,
      headerText.map((s) => `Bearer ${s}`),
      fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map(([a, b, c]) => `Bearer ${a}.${b}.${c}`),
    );
    const contentType = fc.oneof(fc.constant('application/json'), fc.constant('application/json; charset=utf-8'), fc.constant('text/plain'), headerText);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH'), path, query, rawBody, authorization, contentType,
        async (method, url, q, body, auth, type) => {
          const search = q ? '?' + new URLSearchParams(q).toString() : '';
          const res = await server.kiln.app.inject({
            method: method as any,
            url: url + search,
            headers: { authorization: auth, 'content-type': type },
            payload: method === 'GET' ? undefined : body,
          });
          expect(res.statusCode).toBeLessThan(500);
          const json = res.json();
          expect(typeof json.code).toBe('number');
          expect(typeof json.message).toBe('string');
          expect(typeof json.request_id).toBe('string');
          if (res.statusCode === 200) expect(json.code).toBe(0);
          else expect(json.code).not.toBe(0);
        },
      ),
      { numRuns: 4000, seed },
    );
  }, HANG_GUARD_MS);

  it('answers every generated create body on every family with 0, 1200, 1201, 1203 or 1303', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...families), requestLike, async (family, body) => {
        const res = await server.kiln.app.inject({
          method: 'POST', url: family.path, headers: { authorization: `Bearer ${server.creds.api_key}` }, payload: body,
        });
        expect(res.statusCode).toBeLessThan(500);
        expect([0, 1200, 1201, 1203, 1303]).toContain(res.json().code);
      }),
      { numRuns: 3000, seed },
    );
  }, HANG_GUARD_MS);
});

/** What a user would notice about one answer, or undefined when it is a proper Kling answer. */
function problemOf(res: { statusCode: number; body: string }): string | undefined {
  const excerpt = res.body.slice(0, 160);
  if (res.statusCode >= 500) return `HTTP ${res.statusCode}: ${excerpt}`;
  let json: any;
  try { json = JSON.parse(res.body); } catch { return `HTTP ${res.statusCode}, not JSON: ${excerpt}`; }
  if (typeof json?.code !== 'number' || typeof json.message !== 'string' || typeof json.request_id !== 'string') {
    return `HTTP ${res.statusCode}, not a Kling envelope: ${excerpt}`;
  }
  if ((res.statusCode === 200) !== (json.code === 0)) return `HTTP ${res.statusCode} with code ${json.code}`;
  return undefined;
}

describe('every route in /openapi.json', () => {
  let operations: Operation[];
  beforeAll(async () => {
    const res = await server.kiln.app.inject({ method: 'GET', url: '/openapi.json' });
    operations = operationsOf(res.json());
  });

  const send = (method: string, url: string, body?: string) => server.kiln.app.inject({
    method: method as any,
    url,
    headers: { authorization: `Bearer ${server.creds.api_key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    payload: body,
  });
  // A path with its parameters filled: a plausible numeric id unless the test gives one.
  const fill = (path: string, id = '1') => path.replace(/\{[^}]+\}/g, id);

  it('reads the synchronous endpoints and the task families from the served document', () => {
    const paths = new Set(operations.map((op) => `${op.method} ${op.path}`));
    expect(paths).toContain('POST /v1/videos/identify-face');
    expect(paths).toContain('POST /account/billing/package');
    expect(paths).toContain('GET /v1/videos/omni-video/{id}');
    expect(operations.length).toBeGreaterThanOrEqual(19 + 3 * families.length);
  });

  it('answers every hostile value in every field, query parameter and path parameter with an envelope, never a 5xx', async () => {
    // Failures are grouped by what went wrong and with which value, each group with one request that reproduces it.
    const failures = new Map<string, { count: number; example: string }>();
    let requests = 0;
    const codes = new Map<number, number>();
    const check = async (field: string, value: string, method: string, url: string, body?: string) => {
      requests++;
      const res = await send(method, url, body);
      const problem = problemOf(res);
      if (!problem) {
        codes.set(res.json().code, (codes.get(res.json().code) ?? 0) + 1);
        return;
      }
      const kind = `${value} → ${problem.replace(/\/[^\s'"]*/g, '<path>').slice(0, 90)}`;
      const seen = failures.get(kind) ?? { count: 0, example: `${method} ${url.slice(0, 100)} ${field} = ${value}: ${problem}` };
      failures.set(kind, { ...seen, count: seen.count + 1 });
    };
    for (const op of operations) {
      const url = fill(op.path);
      if (op.body) {
        for (const [name, hostile] of Object.entries(HOSTILE_JSON)) {
          await check('the body', name, op.method, url, hostile);
          for (const field of fieldPaths(op.body)) await check(field.join('.'), name, op.method, url, bodyWith(op.body, field, hostile));
        }
      }
      for (const param of op.query) {
        for (const [name, hostile] of Object.entries(HOSTILE_QUERY)) await check(`?${param.name}`, name, op.method, `${url}?${param.name}=${hostile}`);
      }
      if (op.method === 'GET') {
        for (const extra of HOSTILE_QUERY_EXTRAS) await check('the query', extra.slice(0, 40), op.method, `${url}?${extra}`);
      }
      if (op.path.includes('{')) {
        for (const [name, id] of Object.entries(HOSTILE_IDS)) await check('the id', name, op.method, fill(op.path, id));
      }
    }
    expect(requests).toBeGreaterThan(1_000);
    // The values reached validation (1201) and past it (0): the sweep is not stopped at the door by auth or routing.
    expect(codes.get(1201)).toBeGreaterThan(requests / 2);
    expect(codes.get(0)).toBeGreaterThan(0);
    const report = [...failures].map(([kind, { count, example }]) => `${count}× ${kind}\n    e.g. ${example.slice(0, 400)}`);
    expect(report, `${[...failures.values()].reduce((n, f) => n + f.count, 0)} of ${requests} answers were 5xx or not Kling envelopes`).toEqual([]);
  }, HANG_GUARD_MS);

  it('answers generated requests mixing hostile values at any depth with an envelope, never a 5xx', async () => {
    const request = fc.constantFrom(...operations).chain((op) => fc.record({
      op: fc.constant(op),
      path: fc.constantFrom(...prefixedPaths(op.path)),
      id: fc.oneof(fc.stringMatching(/^\d{1,19}$/), fc.constantFrom(...Object.values(HOSTILE_IDS))),
      query: queryText(op.query),
      body: op.body ? fc.option(jsonText(op.body), { nil: undefined, freq: 10 }) : fc.constant(undefined),
    }));
    await fc.assert(
      fc.asyncProperty(request, async ({ op, path, id, query, body }) => {
        const url = fill(path, id) + (query ? `?${query}` : '');
        const problem = problemOf(await send(op.method, url, body));
        expect(problem, `${op.method} ${url.slice(0, 200)} ${body?.slice(0, 300) ?? ''}`).toBeUndefined();
      }),
      { numRuns: 3000, seed },
    );
  }, HANG_GUARD_MS);

  it('stays up and unpolluted afterwards: a real connection still gets the document and a create still succeeds', async () => {
    expect(({} as Record<string, unknown>)[POLLUTION_MARKER]).toBeUndefined();
    const doc = await fetch(`${server.url}/openapi.json`);
    expect(doc.status).toBe(200);
    const created = await server.api('POST', '/v1/videos/text2video', { body: { prompt: 'a red fox in the snow' } });
    expect(created.json.code).toBe(0);
    expect(created.json.data.task_status).toBe('submitted');
  });
});
