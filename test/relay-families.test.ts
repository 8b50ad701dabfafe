// Every family through the relay: a relay kiln in front of a simulator kiln standing in for Kling. Each family's
// sample request succeeds on the relay with exactly one upstream task under kiln's external id; its outputs are kept
// in the relay's storage (its URLs are the relay's own, and they still answer once the upstream's copies are gone);
// and what a relayed task or call made (a video, a voice, an element, an editing session, a TTS audio) is usable in
// follow-ups, which go to that account.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions, familyByName } from '@kiln/contract';
import { sampleFor } from './helpers/action-samples.ts';
import { makeImage } from './helpers/action-fixtures.ts';
import { startTestServer, waitForTask, type TestServer } from './helpers/test-server.ts';
import { sampleRequests } from './helpers/sdk-samples.ts';

let upstream: TestServer;
let relay: TestServer;
let samples: Record<string, Record<string, unknown>>;

beforeAll(async () => {
  upstream = await startTestServer({ timing: 'instant' });
  relay = await startTestServer({
    timing: 'instant',
    upstream: { name: 'default', baseUrl: upstream.url, pathStyle: 'official', apiKey: upstream.creds.api_key },
    relayListIntervalMs: 200,
    relayPollDelayMs: () => 200,
  });
  samples = await sampleRequests(relay);
}, 180_000);

afterAll(async () => {
  await relay?.close();
  await upstream?.close();
});


/** The ids anywhere in a task result or answer that a later request may name (not Kling's preset voices). */
function idsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(idsIn);
  if (!value || typeof value !== 'object' || (value as { owned_by?: unknown }).owned_by === 'kling') return [];
  return Object.entries(value).flatMap(([key, v]) =>
    ['id', 'video_id', 'audio_id', 'voice_id', 'element_id', 'session_id'].includes(key) && (typeof v === 'string' || typeof v === 'number') ? [String(v)] : idsIn(v));
}

/** The upstream's own view of the task the relay sent it for a relay task (by kiln's external id). */
async function upstreamTaskOf(route: string, relayTaskId: string) {
  const listed = (await upstream.api('GET', `/kiln/tasks?page_size=200&q=kiln-${relayTaskId}`)).json.data.tasks as any[];
  const [sent] = listed.filter((t) => t.external_task_id === `kiln-${relayTaskId}`);
  return { task: (await upstream.api('GET', `${route}/${sent.task_id}`)).json.data, request: (await upstream.api('GET', `/kiln/tasks/${sent.task_id}`)).json.data.request };
}

/** Every http(s) URL anywhere in a value. */
function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^https?:\/\//.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(urlsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(urlsIn);
  return [];
}

describe('every family through the relay', () => {
  const names = () => Object.keys(samples);
  it('has a sample for every family', () => {
    expect(names().length).toBeGreaterThan(20);
  });

  it.each([
    'text2video', 'image2video', 'multi-image2video', 'omni-video', 'generations', 'omni-image', 'multi-image2image',
    'effects', 'editing/expand', 'kolors-virtual-try-on', 'text-to-audio', 'ai-multi-shot', 'video-to-audio', 'video-extend',
    'motion-control', 'avatar/image2video', 'lip-sync', 'custom-voices', 'advanced-custom-elements',
    // Their editing sessions were opened on the relay (identify-face, init-selection), which opened them upstream.
    'advanced-lip-sync', 'multi-elements',
  ])('%s: succeeds with one upstream task, outputs kept on the relay', async (name) => {
    const family = familyByName(name)!;
    const route = family.path;
    const created = await relay.api('POST', route, { body: samples[name] });
    expect(created.json.code, created.json.message).toBe(0);
    const id = created.json.data.task_id;
    const done = await waitForTask(relay, route, id, 120_000);
    expect(done.json.data.task_status_msg ?? '', name).toBe('');
    expect(done.json.data.task_status).toBe('succeed');
    const mine = (await upstream.api('GET', `/kiln/tasks?page_size=200&q=kiln-${id}`)).json.data.tasks as any[];
    const upstreamTasks = mine.filter((t) => t.external_task_id === `kiln-${id}`);
    expect(upstreamTasks).toHaveLength(1);
    const urls = urlsIn(done.json.data.task_result);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url.startsWith(relay.url), url).toBe(true);
    // Its ids are kiln's: none of the upstream's is shown (the upstream's are kept for the follow-ups).
    const theirTask = (await upstreamTaskOf(route, id)).task;
    const shown = idsIn(done.json.data.task_result);
    const theirs = idsIn(theirTask.task_result);
    expect(theirs.length, name).toBe(shown.length);
    for (const upstreamId of theirs) expect(shown, name).not.toContain(upstreamId);
    // A task made from another video shows it as the tenant knows it: kiln's id and URL, or the URL the client gave.
    const theirParent = theirTask.task_info.parent_video;
    expect(done.json.data.task_info.parent_video === undefined, name).toBe(theirParent === undefined);
    if (theirParent) {
      const parent = done.json.data.task_info.parent_video;
      expect(parent.duration, name).toBe(theirParent.duration);
      // The video named, or the one the session (opened on the relay on video-extend's sample video) was opened on.
      const sample = samples[name] as { video_id?: string; video_url?: string; input?: { video_id?: string }; session_id?: string };
      const videoId = sample.video_id ?? sample.input?.video_id ?? (sample.session_id ? samples['video-extend'].video_id as string : undefined);
      if (videoId) {
        expect([parent.id, parent.url.startsWith(relay.url)], name).toEqual([videoId, true]);
        expect((await fetch(parent.url)).status, parent.url).toBe(200);
      } else {
        expect([parent.id, parent.url], name).toEqual(['', sample.video_url]);
      }
    }
    // The upstream's own files gone (Kling deletes them after 30 days): the relay's URLs still answer.
    fs.rmSync(path.join(upstream.dataDir, 'media', upstreamTasks[0].task_id), { recursive: true, force: true });
    for (const url of urls) expect((await fetch(url)).status, url).toBe(200);
  }, 180_000);

  it('a relayed element and voice are the tenant\'s: listed, and usable in a later task that goes to the same account', async () => {
    const elementTask = await relay.api('POST', familyByName('advanced-custom-elements')!.path, { body: samples['advanced-custom-elements'] });
    const element = (await waitForTask(relay, familyByName('advanced-custom-elements')!.path, elementTask.json.data.task_id, 120_000)).json.data;
    const elementId = String(element.task_result.elements[0].element_id);
    const generations = familyByName('generations')!.path;
    const poster = await relay.api('POST', generations, { body: { model_name: 'kling-v3', prompt: 'a poster', element_list: [{ element_id: elementId }] } });
    expect(poster.json.code, poster.json.message).toBe(0);
    expect((await waitForTask(relay, generations, poster.json.data.task_id, 120_000)).json.data.task_status).toBe('succeed');
    // Upstream, the poster's task names the element by the id the upstream gave it, not kiln's.
    const upstreamElementId = String((await upstreamTaskOf(familyByName('advanced-custom-elements')!.path, elementTask.json.data.task_id)).task.task_result.elements[0].element_id);
    expect(upstreamElementId).not.toBe(elementId);
    const { request } = await upstreamTaskOf(generations, poster.json.data.task_id);
    expect(request.element_list).toEqual([{ element_id: upstreamElementId }]);


    const voiceTask = await relay.api('POST', familyByName('custom-voices')!.path, { body: samples['custom-voices'] });
    const voice = (await waitForTask(relay, familyByName('custom-voices')!.path, voiceTask.json.data.task_id, 120_000)).json.data;
    const voiceId = voice.task_result.voices[0].voice_id;
    const listed = await relay.api('GET', '/v1/general/custom-voices?pageNum=1&pageSize=500');
    expect(JSON.stringify(listed.json.data)).toContain(voiceId);

    // An element bound to that voice: the upstream is sent its own id for the voice, and the element shows kiln's.
    const upstreamVoiceId = (await upstreamTaskOf(familyByName('custom-voices')!.path, voiceTask.json.data.task_id)).task.task_result.voices[0].voice_id;
    const route = familyByName('advanced-custom-elements')!.path;
    const voiced = await relay.api('POST', route, { body: { ...samples['advanced-custom-elements'], element_name: 'Voiced', element_voice_id: voiceId } });
    expect(voiced.json.code, voiced.json.message).toBe(0);
    const made = (await waitForTask(relay, route, voiced.json.data.task_id, 120_000)).json.data.task_result.elements[0];
    expect(made.element_voice_info.voice_id).toBe(voiceId);
    expect((await upstreamTaskOf(route, voiced.json.data.task_id)).request.element_voice_id).toBe(upstreamVoiceId);
  }, 240_000);

  it('carries TTS upstream: real speech kept on the relay, billed as the upstream billed, its audio_id usable', async () => {
    const body = { text: 'A short line read by a preset voice.', voice_id: 'oversea_male1', voice_language: 'en' };
    const before = (await upstream.api('GET', '/account/costs?start_time=0&end_time=' + Date.now())).json.data.resource_pack_subscribe_infos;
    const res = await relay.api('POST', '/v1/audio/tts', { body });
    expect(res.json.code, res.json.message).toBe(0);
    const audio = res.json.data.task_result.audios[0];
    expect(audio.url.startsWith(relay.url)).toBe(true);
    expect((await fetch(audio.url)).status).toBe(200);
    // The upstream made it (its packs moved) and the relay charged what the upstream said.
    const after = (await upstream.api('GET', '/account/costs?start_time=0&end_time=' + Date.now())).json.data.resource_pack_subscribe_infos;
    expect(JSON.stringify(after)).not.toBe(JSON.stringify(before));
    expect(Number(res.json.data.final_unit_deduction)).toBeGreaterThan(0);
    // The audio id is the tenant's: an avatar task naming it is accepted and goes to the account that holds it, under
    // the account's id for it (which kiln's is not).
    const avatar = await relay.api('POST', '/v1/videos/avatar/image2video', { body: { image: samples['avatar/image2video'].image, audio_id: audio.id, mode: 'std' } });
    expect(avatar.json.code, avatar.json.message).toBe(0);
    expect((await waitForTask(relay, '/v1/videos/avatar/image2video', avatar.json.data.task_id, 120_000)).json.data.task_status).toBe('succeed');
    const { request } = await upstreamTaskOf('/v1/videos/avatar/image2video', avatar.json.data.task_id);
    expect(request.audio_id).toEqual(expect.any(String));
    expect(request.audio_id).not.toBe(audio.id);
  }, 180_000);

  it('refuses, naming the session, a task on a session kiln opened before the tenant relayed', async () => {
    const tenant = await relay.addTenant('was-simulated', { video: 10 });
    const token = tenant.api_key;
    const video = await relay.api('POST', '/v1/videos/text2video', { token, body: { model_name: 'kling-v1-6', prompt: 'a source', mode: 'std', duration: '5' } });
    const made = (await waitForTask(relay, '/v1/videos/text2video', video.json.data.task_id, 60_000, token)).json.data.task_result.videos[0];
    const session = (await relay.api('POST', '/v1/videos/identify-face', { token, body: { video_id: made.id } })).json.data.session_id;
    await relay.api('PATCH', '/admin/tenants/was-simulated', { token: relay.kiln.adminToken, body: { engine: 'relay' } });
    const lipSync = { ...samples['advanced-lip-sync'], session_id: session };
    const res = await relay.api('POST', familyByName('advanced-lip-sync')!.path, { token, body: lipSync });
    expect([res.status, res.json.code]).toEqual([400, 1201]);
    expect(res.json.message).toMatch(new RegExp(`^session_id: session '${session}' was opened by kiln, not through the relay`));
  }, 120_000);

  // Every synchronous endpoint answers a relay tenant as kiln's own do (the answers the action tests expect), whether
  // carried out upstream (TTS, identify-face, selections, recognition, presets, deletes) or by kiln (packs and bills).
  // (The selection calls' samples open sessions on videos kiln stored itself, which no upstream knows: they are
  // driven on a relayed video below.)
  const onKilnVideos = ['identify-face', 'multi-elements/init-selection', 'multi-elements/add-selection', 'multi-elements/delete-selection', 'multi-elements/clear-selection', 'multi-elements/preview-selection'];
  it.each(actions.filter((a) => !onKilnVideos.includes(a.name)).map((a) => [a.name, a] as const))('%s answers a relay tenant as documented', async (_name, action) => {
    const sample = await sampleFor(action.name).valid(relay);
    const query = new URLSearchParams(Object.entries(sample.params).map(([k, v]) => [k, String(v)])).toString();
    const res = action.method === 'GET' ? await relay.api('GET', `${action.path}?${query}`) : await relay.api('POST', action.path, { body: sample.params });
    expect(res.json.code, `${action.name}: ${res.json.message}`).toBe(0);
    expect(res.json.data).toMatchObject(sample.answer as object);
    // Media a call made is kept on the relay, not linked from the upstream.
    if (['tts', 'image-recognize', 'custom-elements'].includes(action.name)) {
      for (const url of urlsIn(res.json.data)) expect(url.startsWith(relay.url), url).toBe(true);
    }
  }, 120_000);

  it('carries the selection calls on a relayed session to the account that opened it', async () => {
    const video = samples['video-extend'].video_id;
    const opened = await relay.api('POST', '/v1/videos/multi-elements/init-selection', { body: { video_id: video } });
    expect(opened.json.code, opened.json.message).toBe(0);
    const session = opened.json.data.session_id;
    const step = async (name: string, extra: Record<string, unknown> = {}) => {
      const res = await relay.api('POST', `/v1/videos/multi-elements/${name}`, { body: { session_id: session, ...extra } });
      expect(res.json.code, `${name}: ${res.json.message}`).toBe(0);
      return res.json.data;
    };
    // Each answer names the session as the tenant knows it.
    expect((await step('add-selection', { frame_index: 0, points: [{ x: 0.5, y: 0.5 }] })).session_id).toBe(session);
    expect(JSON.stringify(await step('preview-selection'))).toContain('http');
    await step('delete-selection', { frame_index: 0, points: [{ x: 0.5, y: 0.5 }] });
    await step('clear-selection');
    // The session id is kiln's: the upstream, which did each step under its own, does not know it.
    const upstreamSide = await upstream.api('POST', '/v1/videos/multi-elements/clear-selection', { body: { session_id: session } });
    expect(upstreamSide.json.code, upstreamSide.json.message).toBe(1203);
    // An unknown session is refused as kiln's own calls refuse it.
    const unknown = await relay.api('POST', '/v1/videos/multi-elements/add-selection', { body: { session_id: '123456789012345678', frame_index: 0, points: [{ x: 0.5, y: 0.5 }] } });
    expect(unknown.json.code).toBe(1203);
  }, 120_000);

  it('makes an element of the old elements API upstream: kept on the relay, the tenant\'s alone, used and deleted where it is', async () => {
    const image = (await makeImage(600, 900)).toString('base64');
    const body = { element_name: 'Lantern', element_description: 'a paper lantern', element_frontal_image: image, element_refer_list: [{ image_url: image }, { image_url: image }] };
    const made = await relay.api('POST', '/v1/general/custom-elements', { body });
    expect(made.json.code, made.json.message).toBe(0);
    const element = made.json.data;
    const listed = async (server: TestServer, token?: string, id = element.element_id) =>
      ((await server.api('GET', '/v1/general/custom-elements?pageNum=1&pageSize=500', { token })).json.data as any[]).find((e) => e.element_id === id);
    // The upstream account made it, under an id of its own: the tenant got kiln's.
    const upstreamElement = ((await upstream.api('GET', '/v1/general/custom-elements?pageNum=1&pageSize=500')).json.data as any[]).find((e) => e.element_name === 'Lantern');
    expect(upstreamElement.element_id).not.toBe(element.element_id);
    expect(await listed(upstream)).toBeUndefined();
    // Its images are the relay's copies, which outlive the upstream's files.
    const urls = [element.element_frontal_image, ...element.element_refer_list.map((r: any) => r.image_url)];
    expect(urls).toHaveLength(3);
    fs.rmSync(path.join(upstream.dataDir, 'media', String(upstreamElement.element_id)), { recursive: true, force: true });
    for (const url of urls) {
      expect(url.startsWith(relay.url), url).toBe(true);
      expect((await fetch(url)).status, url).toBe(200);
    }
    // The relay lists it as the tenant's own, and no other tenant's, though the account holds both.
    expect(await listed(relay)).toMatchObject({ element_name: 'Lantern', owned_by: element.owned_by });
    const other = await relay.addTenant('other-elements', { image: 10 });
    await relay.api('PATCH', '/admin/tenants/other-elements', { token: relay.kiln.adminToken, body: { engine: 'relay' } });
    expect(await listed(relay, other.api_key)).toBeUndefined();

    // A task naming it goes to the account that holds it.
    const generations = familyByName('generations')!.path;
    const poster = await relay.api('POST', generations, { body: { model_name: 'kling-v3', prompt: 'a poster', element_list: [{ element_id: String(element.element_id) }] } });
    expect(poster.json.code, poster.json.message).toBe(0);
    expect((await waitForTask(relay, generations, poster.json.data.task_id, 120_000)).json.data.task_status).toBe('succeed');

    // Deleted through the relay: gone upstream and from the tenant's list.
    const deleted = await relay.api('POST', '/v1/general/delete-elements', { body: { element_id: String(element.element_id) } });
    expect(deleted.json.code, deleted.json.message).toBe(0);
    expect(await listed(upstream, undefined, upstreamElement.element_id)).toBeUndefined();
    expect(await listed(relay)).toBeUndefined();
    // Deleting again (a client's retry) answers as the first time.
    const again = await relay.api('POST', '/v1/general/delete-elements', { body: { element_id: String(element.element_id) } });
    expect(again.json.code, again.json.message).toBe(0);
  }, 180_000);

  it('deletes a relayed voice upstream too: the account no longer lists it, and kiln shows it deleted', async () => {
    const voiceTask = await relay.api('POST', familyByName('custom-voices')!.path, { body: samples['custom-voices'] });
    const voice = (await waitForTask(relay, familyByName('custom-voices')!.path, voiceTask.json.data.task_id, 120_000)).json.data.task_result.voices[0];
    const upstreamVoiceId = (await upstreamTaskOf(familyByName('custom-voices')!.path, voiceTask.json.data.task_id)).task.task_result.voices[0].voice_id;
    expect(upstreamVoiceId).not.toBe(voice.voice_id);
    const status = async (server: TestServer, id: string) =>
      ((await server.api('GET', '/v1/general/custom-voices?pageNum=1&pageSize=500')).json.data as any[])
        .flatMap((t) => t.task_result?.voices ?? []).find((v: any) => v.voice_id === id);
    expect(await status(upstream, upstreamVoiceId)).toBeDefined();
    const res = await relay.api('POST', '/v1/general/delete-voices', { body: { voice_id: voice.voice_id } });
    expect(res.json.code, res.json.message).toBe(0);
    const tts = await relay.api('POST', '/v1/audio/tts', { body: { text: 'gone', voice_id: voice.voice_id, voice_language: 'en' } });
    expect([tts.json.code, tts.json.message], JSON.stringify(tts.json)).toEqual([1201, `voice_id: voice '${voice.voice_id}' has been deleted`]);
    const upstreamTts = await upstream.api('POST', '/v1/audio/tts', { body: { text: 'gone', voice_id: upstreamVoiceId, voice_language: 'en' } });
    expect([upstreamTts.json.code, upstreamTts.json.message]).toEqual([1201, `voice_id: voice '${upstreamVoiceId}' has been deleted`]);
    // Deleting again (a client's retry) answers as the first time: it is gone upstream and in kiln alike.
    const again = await relay.api('POST', '/v1/general/delete-voices', { body: { voice_id: voice.voice_id } });
    expect(again.json.code, again.json.message).toBe(0);
  }, 180_000);

  it("names kiln's ids, never the upstream's, in a refusal the upstream gave, and refuses a face the session lacks itself", async () => {
    const voiceTask = await relay.api('POST', familyByName('custom-voices')!.path, { body: samples['custom-voices'] });
    const voice = (await waitForTask(relay, familyByName('custom-voices')!.path, voiceTask.json.data.task_id, 120_000)).json.data.task_result.voices[0];
    const upstreamVoiceId = (await upstreamTaskOf(familyByName('custom-voices')!.path, voiceTask.json.data.task_id)).task.task_result.voices[0].voice_id;
    // Deleted on the account behind kiln's back: kiln still has it, the upstream refuses it, quoting its own id.
    expect((await upstream.api('POST', '/v1/general/delete-voices', { body: { voice_id: upstreamVoiceId } })).json.code).toBe(0);
    const tts = await relay.api('POST', '/v1/audio/tts', { body: { text: 'gone', voice_id: voice.voice_id, voice_language: 'en' } });
    expect([tts.status, tts.json.code, tts.json.message]).toEqual([400, 1201, `voice_id: voice '${voice.voice_id}' has been deleted`]);

    const session = samples['advanced-lip-sync'].session_id as string;
    const lipSync = { ...samples['advanced-lip-sync'], face_choose: [{ ...(samples['advanced-lip-sync'].face_choose as object[])[0], face_id: '9' }] };
    const res = await relay.api('POST', familyByName('advanced-lip-sync')!.path, { body: lipSync });
    expect([res.status, res.json.code]).toEqual([400, 1201]);
    expect(res.json.message).toMatch(new RegExp(`^face_choose\\[0\\]\\.face_id: session '${session}' has no face '9'; identify-face found '0'`));
  }, 180_000);

  it("never lets one relay tenant use another's relayed voice or video, though the upstream account holds both", async () => {
    const other = await relay.addTenant('other-relay', { video: 10 });
    await relay.api('PATCH', '/admin/tenants/other-relay', { token: relay.kiln.adminToken, body: { engine: 'relay' } });
    const voiceTask = await relay.api('POST', familyByName('custom-voices')!.path, { body: samples['custom-voices'] });
    const voice = (await waitForTask(relay, familyByName('custom-voices')!.path, voiceTask.json.data.task_id, 120_000)).json.data.task_result.voices[0];
    const tts = await relay.api('POST', '/v1/audio/tts', { token: other.api_key, body: { text: 'not mine', voice_id: voice.voice_id, voice_language: 'en' } });
    expect([tts.status, tts.json.code]).toEqual([400, 1201]);
    expect(tts.json.message).toMatch(/^voice_id: /);
    const face = await relay.api('POST', '/v1/videos/identify-face', { token: other.api_key, body: { video_id: samples['video-extend'].video_id } });
    expect([face.status, face.json.code]).toEqual([400, 1201]);
    expect(face.json.message).toMatch(/^video_id: no video/);
  }, 180_000);
});
