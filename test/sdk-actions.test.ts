// The SDK's synchronous endpoints (the contract's actions) against a real kiln server: a method per action named by
// one rule, each called for real with a valid request, local validation with the server's own messages, provider
// paths, retries that never re-send a POST the server may have received (nor bill it twice), and abort.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions, familyGroups } from '@kiln/contract';
import { actionEntries, InvalidRequestError, KlingAbortError, KlingConnectionError, type Kling } from '@kiln/sdk';
import { unitsLeft as unitsLeftOf } from '../packages/server/src/store/resource-packs.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { clientFor } from './helpers/sdk-samples.ts';
import { countingFetch, startProxy, type LoopbackProxy } from './helpers/sdk-proxy.ts';
import { rejection } from './helpers/rejection.ts';
import { actionsWithoutSample, sampleFor } from './helpers/action-samples.ts';
import { probeUrl } from './helpers/action-fixtures.ts';

let server: TestServer;
let client: Kling;
let proxy: LoopbackProxy;
beforeAll(async () => {
  server = await startTestServer();
  client = clientFor(server);
  proxy = await startProxy(server.url);
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

const byName = actions.map((a) => [a.name, a] as const);
const posts = byName.filter(([, a]) => a.method === 'POST');

/** Every unit left in the tenant's packs: a billed call lowers it by its units. */
const unitsLeft = () => unitsLeftOf(server.kiln.db, server.creds.tenant_id);

describe('the SDK surface comes from the contract', () => {
  it('has a method for every action, in the action\'s group, that knows its definition and path', () => {
    for (const action of actions) {
      const method = client.action(action.name);
      expect(method, action.name).toBeTypeOf('function');
      expect(method!.action).toBe(action);
      expect(method!.path).toBe(action.path);
      const { group, key } = actionEntries().find((e) => e.action === action)!;
      expect((client as any)[group][key], `client.${group}.${key}`).toBe(method);
    }
    expect(client.actions().map((m) => m.action)).toEqual([...actions]);
  });

  it('takes each method name from the contract, never over a family', () => {
    const names = Object.fromEntries(actionEntries().map((e) => [e.action.name, `${e.group}.${e.key}`]));
    expect(names).toMatchObject({
      'identify-face': 'videos.identifyFace',
      'multi-elements/init-selection': 'videos.multiElementsInitSelection',
      'multi-elements/preview-selection': 'videos.multiElementsPreviewSelection',
      tts: 'audio.tts',
      'delete-voices': 'general.deleteVoices',
      'presets-voices': 'general.presetsVoices',
      'account/costs': 'account.costs',
      // Two actions of one path (the old elements API), told apart by what they do.
      'custom-elements': 'general.createCustomElement',
      'list-custom-elements': 'general.listCustomElements',
      'account/billing/package': 'account.billingPackage',
    });
    for (const { group, key } of actionEntries()) expect((familyGroups as Record<string, object>)[group] ?? {}).not.toHaveProperty(key);
  });

  it('has a sample for every action (add one to test/helpers/action-samples.ts for a new action)', () => {
    expect(actionsWithoutSample()).toEqual([]);
  });

  it('types each method from its request schema (checked by tsc)', () => {
    // Never called: tsc fails this file when a method loses its name or its request type.
    const typeOnly = async (k: Kling) => {
      await k.audio.tts({ text: 'hi', voice_id: 'oversea_male1', voice_language: 'en' });
      await k.videos.identifyFace({ video_id: '1' });
      await k.general.presetsVoices();
      await k.account.costs({ start_time: 0, end_time: 1 });
      // @ts-expect-error voice_id, not voiceId
      await k.general.deleteVoices({ voiceId: '1' });
      // @ts-expect-error end_time is required
      await k.account.costs({ start_time: 0 });
    };
    expect(typeOnly).toBeTypeOf('function');
  });
});

describe.each(byName)('%s', (name, action) => {
  it('answers the data of a valid request', async () => {
    const { params, answer } = await sampleFor(name).valid(server);
    const data = await client.action(action)!(params);
    expect(data).toMatchObject(answer as object);
  });

  it('refuses an invalid request locally with the server\'s own error; warn mode sends it and reports', async () => {
    const { invalid } = sampleFor(name);
    const counter = countingFetch();
    const local = await rejection(clientFor(server, { fetch: counter.fetch }).action(name)!(invalid));
    expect(counter.calls).toHaveLength(0);
    expect(local).toBeInstanceOf(InvalidRequestError);
    expect([local.local, local.code]).toEqual([true, 1201]);

    const warnings: string[] = [];
    const remote = await rejection(clientFor(server, { validation: 'warn', onWarning: (w) => warnings.push(w) }).action(name)!(invalid));
    expect(remote).toBeInstanceOf(InvalidRequestError);
    expect([remote.local, remote.httpStatus, remote.message]).toEqual([false, local.httpStatus, local.message]);
    expect(remote.requestId).toBeTruthy();
    expect(warnings).toEqual([`${name}: ${local.message} (sent anyway: validation is 'warn')`]);
  });
});

describe('typed methods', () => {
  it('client.audio.tts speaks a real MP3 of the answered length', async () => {
    const data = await client.audio.tts({ text: 'The typed method speaks', voice_id: 'oversea_male1', voice_language: 'en' });
    const audio = data.task_result.audios[0];
    const probed = await probeUrl(audio.url);
    expect(probed.format).toBe('mp3');
    expect(Math.abs(probed.durationSeconds - Number(audio.duration))).toBeLessThan(0.05);
  });

  it('client.general.presetsVoices() takes no params and pages like the API (default 30)', async () => {
    const voiceIds = (page: any[]) => page.map((v) => v.task_result.voices[0].voice_id);
    const all = await client.general.presetsVoices();
    const second = await client.general.presetsVoices({ pageNum: 2, pageSize: 1 });
    expect(voiceIds(second)).toEqual([voiceIds(all)[1]]);
    expect(all.length).toBeGreaterThan(1);
    expect(all.length).toBeLessThanOrEqual(30);
  });
});

describe('providers', () => {
  it('sends to the reseller paths (/kling/v1, /v1/ai/{endpoint}/kling) and keeps /account/costs as it is', async () => {
    const counter = countingFetch();
    const prefixed = clientFor(server, { provider: { kind: 'kling-prefix' }, fetch: counter.fetch });
    await prefixed.general.presetsVoices({ pageSize: 1 });
    await prefixed.account.costs({ start_time: 0, end_time: Date.now() });
    const routed = clientFor(server, { provider: { kind: 'ai-endpoint', endpoint: 'MaaS_KeLing' }, fetch: counter.fetch });
    const deleted = await routed.general.deleteVoices((await sampleFor('delete-voices').valid(server)).params as { voice_id: string });
    expect(deleted.task_status).toBe('succeed');
    expect(counter.calls.map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual([
      'GET /kling/v1/general/presets-voices', 'GET /account/costs', 'POST /v1/ai/MaaS_KeLing/kling/general/delete-voices',
    ]);
  });
});

describe('retries', () => {
  it.each(posts)('%s: a POST whose answer was lost is not sent again, and bills once', async (name, action) => {
    const { params } = await sampleFor(name).valid(server);
    const before = await unitsLeft();
    proxy.seen.length = 0;
    proxy.decide = (_, index) => (index === 0 ? 'drop-answer' : 'forward');
    const lost = await rejection(clientFor(server, { baseUrl: proxy.url, maxRetries: 3 }).action(name)!(params));
    expect(lost).toBeInstanceOf(KlingConnectionError);
    expect(lost.requestSent).toBe(true);
    expect(lost.message).toMatch(/may have reached the server .* never re-sent/);
    expect(proxy.seen.map((r) => r.url)).toEqual([action.path]);
    expect(before - (await unitsLeft())).toBeCloseTo(action.units?.(params) ?? 0, 5);
  });

  it('a GET is retried after a lost answer and a 503, as reads are', async () => {
    proxy.seen.length = 0;
    proxy.decide = (_, index) => (index === 0 ? 'drop-answer' : index === 1 ? { respond: { status: 503, body: 'busy' } } : 'forward');
    const data = await clientFor(server, { baseUrl: proxy.url, maxRetries: 3 }).account.costs({ start_time: 0, end_time: Date.now() });
    expect(data.code).toBe(0);
    expect(proxy.seen).toHaveLength(3);
  });

  it('a POST refused with 503 is not retried; the error is a ServerError with the status', async () => {
    proxy.seen.length = 0;
    proxy.decide = () => ({ respond: { status: 503, body: 'busy' } });
    const error = await rejection(clientFor(server, { baseUrl: proxy.url, maxRetries: 3 }).audio.tts({ text: 'hi', voice_id: 'oversea_male1' }));
    expect([error.constructor.name, error.httpStatus]).toEqual(['ServerError', 503]);
    expect(proxy.seen).toHaveLength(1);
  });
});

describe('abort', () => {
  it('sends nothing when the signal has fired, and stops a call in flight', async () => {
    const counter = countingFetch();
    const tts = clientFor(server, { fetch: counter.fetch }).audio.tts;
    const aborted = await rejection(tts({ text: 'hi', voice_id: 'oversea_male1' }, { signal: AbortSignal.abort() }));
    expect(aborted).toBeInstanceOf(KlingAbortError);
    expect(counter.calls).toHaveLength(0);

    // Aborted once the request has reached the server (the proxy saw it), while its answer trickles in.
    const controller = new AbortController();
    proxy.decide = () => {
      setImmediate(() => controller.abort());
      return { slow: { chunk: 1, everyMs: 200 } };
    };
    const costs = clientFor(server, { baseUrl: proxy.url }).account.costs;
    const stopped = await rejection(costs({ start_time: 0, end_time: Date.now() }, { signal: controller.signal }));
    expect(stopped).toBeInstanceOf(KlingAbortError);
    expect(stopped.requestSent).toBe(true);
  });
});
