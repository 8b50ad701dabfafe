// The old lip-sync's uploaded video (input.video_url) that cannot be downloaded fails the task as every family's
// input does: naming the field and why, at once, not as an internal error after retries.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';

const OLD = '/v1/videos/lip-sync';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

it('fails with "input.video_url: could not download (…)" when the video URL is unreachable', async () => {
  const created = await server.api('POST', OLD, {
    body: { input: { video_url: 'http://127.0.0.1:9/gone.mp4', mode: 'text2video', text: 'one two three four', voice_id: 'oversea_male1', voice_language: 'en' } },
  });
  expect(created.json.code).toBe(0);
  const final = await waitForTask(server, OLD, created.json.data.task_id);
  expect(final.json.data.task_status).toBe('failed');
  expect(final.json.data.task_status_msg).toMatch(/^input\.video_url: could not download \(.+\)$/);
});
