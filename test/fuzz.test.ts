// Whatever a client sends, kiln answers with a Kling envelope and never a 5xx: fast-check throws thousands of
// generated bodies, headers, paths and methods at every route.

import fc from 'fast-check';
import { families } from '@kiln/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

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
      { numRuns: 4000 },
    );
  });

  it('answers every generated create body on every family with 0, 1200, 1201, 1203 or 1303', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...families), requestLike, async (family, body) => {
        const res = await server.kiln.app.inject({
          method: 'POST', url: family.path, headers: { authorization: `Bearer ${server.creds.api_key}` }, payload: body,
        });
        expect(res.statusCode).toBeLessThan(500);
        expect([0, 1200, 1201, 1203, 1303]).toContain(res.json().code);
      }),
      { numRuns: 3000 },
    );
  });
});
