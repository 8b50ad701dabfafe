// Every endpoint of the legacy API (spec §2–§6) is in the contract, so openapi.json served by kiln lists it. The list
// below is written from the spec's section headings and tables, not from the contract, so a family or action missing
// from the contract fails here.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/** Task families: create (POST path), query (GET path/{id}) and list (GET path). */
const TASK_FAMILIES = [
  '/v1/videos/omni-video', // §2.1
  '/v1/videos/text2video', // §2.2
  '/v1/videos/image2video', // §2.3
  '/v1/videos/multi-image2video', // §2.4
  '/v1/videos/motion-control', // §2.5
  '/v1/videos/multi-elements', // §2.6
  '/v1/videos/video-extend', // §2.7
  '/v1/videos/advanced-lip-sync', // §2.8
  '/v1/videos/lip-sync', // §2.8 (old lip-sync)
  '/v1/videos/avatar/image2video', // §2.9
  '/v1/videos/effects', // §2.10
  '/v1/audio/text-to-audio', // §3.1
  '/v1/audio/video-to-audio', // §3.2
  '/v1/general/custom-voices', // §4.1
  '/v1/general/advanced-custom-elements', // §4.2
  '/v1/general/ai-multi-shot', // §4.3
  '/v1/images/omni-image', // §5.1
  '/v1/images/generations', // §5.2
  '/v1/images/multi-image2image', // §5.3
  '/v1/images/editing/expand', // §5.4
  '/v1/images/kolors-virtual-try-on', // §5.5
];

/** Synchronous endpoints: [method, path]. */
const SYNCHRONOUS: [string, string][] = [
  ['post', '/v1/videos/multi-elements/init-selection'], // §2.6
  ['post', '/v1/videos/multi-elements/add-selection'],
  ['post', '/v1/videos/multi-elements/delete-selection'],
  ['post', '/v1/videos/multi-elements/clear-selection'],
  ['post', '/v1/videos/multi-elements/preview-selection'],
  ['post', '/v1/videos/identify-face'], // §2.8
  ['post', '/v1/videos/image-recognize'], // §2.11
  ['post', '/v1/audio/tts'], // §3.3
  ['get', '/v1/general/presets-voices'], // §4.1
  ['post', '/v1/general/delete-voices'],
  ['get', '/v1/general/advanced-presets-elements'], // §4.2
  ['post', '/v1/general/delete-elements'],
  ['post', '/v1/general/delete-advanced-elements'],
  ['post', '/v1/general/custom-elements'], // §4.2 (old elements API)
  ['get', '/v1/general/custom-elements'],
  ['get', '/v1/general/presets-elements'],
  ['get', '/account/costs'], // §6.1
  ['post', '/account/billing/balance'], // §6.2
  ['post', '/account/billing/package'],
];

let server: TestServer;
let paths: Record<string, Record<string, unknown>>;

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  const res = await server.api('GET', '/openapi.json', { token: null });
  expect(res.status).toBe(200);
  paths = res.json.paths;
});
afterAll(() => server?.close());

describe('openapi.json covers spec §2–§6', () => {
  it.each(TASK_FAMILIES)('%s: create, query and list', (path) => {
    expect(Object.keys(paths[path] ?? {}).sort()).toEqual(['get', 'post']);
    expect(paths[`${path}/{id}`]?.get).toBeDefined();
  });

  it.each(SYNCHRONOUS)('%s %s', (method, path) => {
    expect(paths[path]?.[method]).toBeDefined();
  });

  it('custom voices list pages up to 1000 items, task lists up to 500', () => {
    const pageSize = (path: string) =>
      (paths[path].get as { parameters: { name: string; schema: { maximum: number } }[] }).parameters.find((p) => p.name === 'pageSize')!.schema.maximum;
    expect(pageSize('/v1/general/custom-voices')).toBe(1000);
    expect(pageSize('/v1/videos/omni-video')).toBe(500);
  });
});

/** The new standard's endpoints (new-standard.md §1.3), written from the spec's table. */
const NEW_STANDARD_CREATES = [
  '/text-to-video/kling-3.0-turbo', '/image-to-video/kling-3.0-turbo', '/text-to-video/kling-3.0', '/image-to-video/kling-3.0',
  '/omni-video/kling-3.0-omni', '/omni-video/kling-o1', '/motion-control/kling-3.0', '/motion-control/kling-2.6',
  '/text-to-video/kling-2.6', '/image-to-video/kling-2.6', '/text-to-video/kling-2.5-turbo', '/image-to-video/kling-2.5-turbo',
];

describe('openapi.json covers the new standard (new-standard.md §1.3)', () => {
  it.each(NEW_STANDARD_CREATES)('POST %s with its request schema', (path) => {
    const post = paths[path]?.post as { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } };
    expect(post).toBeDefined();
    const props = Object.keys(post.requestBody.content['application/json'].schema.properties);
    expect(props).toEqual(path.startsWith('/text-to-video/') ? ['prompt', 'settings', 'options'] : ['contents', 'settings', 'options']);
  });
  it('GET and POST /tasks', () => {
    expect(Object.keys(paths['/tasks'] ?? {}).sort()).toEqual(['get', 'post']);
  });
});
