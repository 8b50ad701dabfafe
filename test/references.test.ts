// The stored data a create names, checked before anything is admitted (spec §2, §4, §11): voices and elements
// (presets, the caller's own, deleted, another tenant's, element kinds by family and model), editing sessions (own,
// kind, expiry, video length against duration) and lip-sync faces (the face is the session's, the sound fits the
// video and overlaps the face, the crop ends within the audio). Served families are called over HTTP; families not
// served yet are checked through the same code, from their contract definitions. Creates that pass are parked with
// `X-Kiln-Simulate: stuck`: nothing here waits for a render.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyByName, KlingError, validateCreate, type AnyFamily } from '@kiln/contract';
import { advancedCustomElements } from '../packages/contract/src/families/advanced-custom-elements.ts';
import { advancedLipSync } from '../packages/contract/src/families/advanced-lip-sync.ts';
import { generations } from '../packages/contract/src/families/generations.ts';
import { image2video } from '../packages/contract/src/families/image2video.ts';
import { motionControl } from '../packages/contract/src/families/motion-control.ts';
import { multiElements } from '../packages/contract/src/families/multi-elements.ts';
import { omniImage } from '../packages/contract/src/families/omni-image.ts';
import { omniVideo } from '../packages/contract/src/families/omni-video.ts';
import { addCustomElement, addCustomVoice } from '../packages/server/src/store/custom-assets.ts';
import { findSession, updateSessionState } from '../packages/server/src/store/sessions.ts';
import { TaskStore } from '../packages/server/src/store/tasks.ts';
import { checkReferences } from '../packages/server/src/tasks/references.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { expireSession, makeVideo, storeVideo } from './helpers/action-fixtures.ts';

let server: TestServer;
let me: Caller;
let other: Caller;
interface Caller { api_key: string; tenant_id: string }

beforeAll(async () => {
  server = await startTestServer();
  me = server.creds;
  other = await server.addTenant('other-references');
});
afterAll(async () => { await server.close(); });

const IMG = 'https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test/multi-1.png';
const VIDEO_URL = 'https://example.com/reference.mp4';

/** Creates a task as `caller` and answers Kling's code and message (0 when the task was created). */
async function create(family: AnyFamily, body: object, caller: Caller = me): Promise<{ code: number; message: string }> {
  if (familyByName(family.name)) {
    const res = await server.api('POST', family.path, { body, token: caller.api_key, headers: { 'x-kiln-simulate': 'stuck' } });
    if (res.json.code !== 0) expect(res.status).toBe(res.json.code === 1203 ? 404 : 400);
    return { code: res.json.code, message: res.json.message };
  }
  // Not served yet: the create's own checks, in the order TaskService runs them.
  try {
    await checkReferences(new TaskStore(server.kiln.db), caller.tenant_id, family, validateCreate(family, body).body);
    return { code: 0, message: 'SUCCEED' };
  } catch (error) {
    if (error instanceof KlingError) return { code: error.code, message: error.message };
    throw error;
  }
}
const accepted = async (family: AnyFamily, body: object, caller?: Caller) => expect(await create(family, body, caller)).toEqual({ code: 0, message: 'SUCCEED' });
async function refused(family: AnyFamily, body: object, code: number, message: RegExp, caller?: Caller): Promise<string> {
  const answer = await create(family, body, caller);
  expect(answer).toEqual({ code, message: expect.stringMatching(message) });
  return answer.message;
}
/** Another tenant's id must read word for word like an id that never existed. */
const sameAsUnknown = (theirs: string, theirId: string, unknown: string, unknownId: string) =>
  expect(theirs.replaceAll(theirId, 'ID')).toBe(unknown.replaceAll(unknownId, 'ID'));

let nextId = 829836802793406000n;
const newId = () => String(nextId++);
const now = Date.now();
async function voice(owner: Caller): Promise<string> {
  const id = newId();
  await addCustomVoice(server.kiln.db, {
    id, tenant_id: owner.tenant_id, task_id: null, name: 'Mine', language: null, trial_file: null, status: 'succeed', created_at: now, updated_at: now,
  });
  return id;
}
async function element(owner: Caller, kind: 'image_refer' | 'video_refer'): Promise<string> {
  const id = newId();
  await addCustomElement(server.kiln.db, {
    id, tenant_id: owner.tenant_id, task_id: null, name: 'Mine', description: 'mine', reference_type: kind, detail_json: '{}',
    voice_id: null, status: 'succeed', created_at: now, updated_at: now,
  });
  return id;
}
const deleted = async (what: 'voice' | 'element', id: string) => {
  const res = await server.api('POST', `/v1/general/delete-${what}s`, { body: { [`${what}_id`]: id } });
  expect(res.json.data.task_status).toBe('succeed');
};

describe('voices', () => {
  const i2v = (...voiceIds: string[]) => ({
    model_name: 'kling-v3', image: IMG, prompt: 'The man<<<voice_1>>> says hello', sound: 'on', voice_list: voiceIds.map((voice_id) => ({ voice_id })),
  });

  it('image2video takes a preset voice and the caller\'s own custom voice', async () => {
    await accepted(image2video, i2v('oversea_male1', await voice(me)));
  });

  it("refuses an unknown voice naming the item; another tenant's reads the same", async () => {
    const unknown = await refused(image2video, i2v('oversea_male1', '12345'), 1201,
      /^voice_list\[1\]\.voice_id: no voice '12345'; use a preset voice \(GET \/v1\/general\/presets-voices\) or one of your custom voices$/);
    const theirs = await voice(other);
    sameAsUnknown(await refused(image2video, i2v('oversea_male1', theirs), 1201, /^voice_list\[1\]\.voice_id: no voice/), theirs, unknown, '12345');
    await accepted(image2video, i2v(theirs), other);
  });

  it('tells the owner a deleted voice was deleted', async () => {
    const id = await voice(me);
    await deleted('voice', id);
    await refused(image2video, i2v(id), 1201, new RegExp(`^voice_list\\[0\\]\\.voice_id: voice '${id}' has been deleted$`));
  });

  it('advanced-custom-elements binds a preset or own voice (element_voice_id), not an unknown or deleted one', async () => {
    const body = (element_voice_id: string) => ({
      element_name: 'Ann', element_description: 'a girl', reference_type: 'image_refer',
      element_image_list: { frontal_image: IMG, refer_images: [{ image_url: IMG }] }, element_voice_id,
    });
    await accepted(advancedCustomElements, body('ai_shatang'));
    const mine = await voice(me);
    await accepted(advancedCustomElements, body(mine));
    await accepted(advancedCustomElements, body(''));
    await refused(advancedCustomElements, body(await voice(other)), 1201, /^element_voice_id: no voice '\d+'/);
    await deleted('voice', mine);
    await refused(advancedCustomElements, body(mine), 1201, /^element_voice_id: voice '\d+' has been deleted/);
  });
});

describe('elements', () => {
  const v3omni = (...ids: (string | number)[]) => ({
    model_name: 'kling-v3-omni', prompt: 'dance', aspect_ratio: '16:9', element_list: ids.map((element_id) => ({ element_id })),
  });

  it('omni-video takes a preset (as a JSON number or a string) and the caller\'s own elements of both kinds', async () => {
    await accepted(omniVideo, v3omni(160, '159', await element(me, 'image_refer'), await element(me, 'video_refer')));
  });

  it('keeps a long id sent as a bare JSON number exact, and finds the element by it', async () => {
    const id = await element(me, 'image_refer');
    const res = await server.api('POST', omniVideo.path, {
      rawBody: `{"model_name":"kling-v3-omni","prompt":"walks","aspect_ratio":"16:9","element_list":[{"element_id":${id}}]}`,
      headers: { 'x-kiln-simulate': 'stuck' },
    });
    expect(res.json.code).toBe(0);
    const unknown = await server.api('POST', omniVideo.path, {
      rawBody: `{"model_name":"kling-v3-omni","prompt":"walks","aspect_ratio":"16:9","element_list":[{"element_id":${BigInt(id) + 100000n}}]}`,
    });
    expect(unknown.json.message).toBe(`element_list[0].element_id: no element ${BigInt(id) + 100000n}; use a preset element (GET /v1/general/advanced-presets-elements) or one of your custom elements`);
  });

  it("refuses an unknown element naming the item; another tenant's reads the same; a deleted one is said deleted", async () => {
    const unknown = await refused(omniVideo, v3omni(160, 999), 1201, /^element_list\[1\]\.element_id: no element 999; use a preset element/);
    const theirs = await element(other, 'image_refer');
    sameAsUnknown(await refused(omniVideo, v3omni(160, theirs), 1201, /^element_list\[1\]\.element_id: no element/), theirs, unknown, '999');
    await accepted(omniVideo, v3omni(theirs), other);
    const mine = await element(me, 'image_refer');
    await deleted('element', mine);
    await refused(omniVideo, v3omni(mine), 1201, new RegExp(`^element_list\\[0\\]\\.element_id: element ${mine} has been deleted$`));
  });

  it('omni-video: no video character next to a reference video, a multi-image element is fine', async () => {
    const withVideo = (id: string) => ({ ...v3omni(id), video_list: [{ video_url: VIDEO_URL, refer_type: 'feature' }] });
    const character = await element(me, 'video_refer');
    await refused(omniVideo, withVideo(character), 1201, new RegExp(
      `^element_list\\[0\\]\\.element_id: element ${character} is a video-character element \\(video_refer\\); with a reference video \\(video_list\\) only multi-image elements \\(image_refer\\) are accepted$`));
    await accepted(omniVideo, withVideo(await element(me, 'image_refer')));
  });

  it('kling-video-o1 takes multi-image elements only (presets are multi-image)', async () => {
    const o1 = (id: string | number) => ({ ...v3omni(id), model_name: 'kling-video-o1' });
    await refused(omniVideo, o1(await element(me, 'video_refer')), 1201,
      /^element_list\[0\]\.element_id: element \d+ is a video-character element \(video_refer\); kling-video-o1 takes multi-image elements \(image_refer\) only$/);
    await accepted(omniVideo, o1(await element(me, 'image_refer')));
    await accepted(omniVideo, o1(162));
  });

  it('omni-image and generations take multi-image elements only', async () => {
    const character = await element(me, 'video_refer');
    const multi = await element(me, 'image_refer');
    const cases = [
      [omniImage, (id: string) => ({ model_name: 'kling-v3-omni', prompt: 'a poster', element_list: [{ element_id: id }] })],
      [generations, (id: string) => ({ model_name: 'kling-v3', prompt: 'a poster', element_list: [{ element_id: id }] })],
    ] as const;
    for (const [family, body] of cases) {
      await refused(family, body(character), 1201,
        new RegExp(`^element_list\\[0\\]\\.element_id: element ${character} is a video-character element \\(video_refer\\); ${family.name} takes multi-image elements \\(image_refer\\) only$`));
      await accepted(family, body(multi));
      await refused(family, body('31337'), 1201, /^element_list\[0\]\.element_id: no element 31337/);
    }
  });

  it('image2video and motion-control on kling-v3 take both kinds', async () => {
    for (const kind of ['video_refer', 'image_refer'] as const) {
      const id = await element(me, kind);
      await accepted(image2video, { model_name: 'kling-v3', image: IMG, prompt: 'walks', element_list: [{ element_id: id }] });
      await accepted(motionControl, {
        model_name: 'kling-v3', image_url: IMG, video_url: VIDEO_URL, character_orientation: 'video', mode: 'std', element_list: [{ element_id: id }],
      });
    }
    await refused(motionControl, {
      model_name: 'kling-v3', image_url: IMG, video_url: VIDEO_URL, character_orientation: 'video', mode: 'std', element_list: [{ element_id: 4242 }],
    }, 1201, /^element_list\[0\]\.element_id: no element 4242/);
  });
});

describe('multi-elements sessions', () => {
  const initSelection = async (seconds: number, caller: Caller = me) => {
    const video_id = await storeVideo(server, caller.tenant_id, await makeVideo({ seconds, width: 320, height: 240 }));
    const res = await server.api('POST', '/v1/videos/multi-elements/init-selection', { body: { video_id }, token: caller.api_key });
    expect(res.json.code).toBe(0);
    return res.json.data.session_id as string;
  };
  const edit = (session_id: string, duration: string) => ({ session_id, edit_mode: 'removal', prompt: 'remove <<<video_1>>> the cat', duration });

  it("a 2–5 s session's video suits duration 5 only, a 7–10 s one duration 10 only", async () => {
    const [short, long] = await Promise.all([initSelection(5), initSelection(8)]);
    await accepted(multiElements, edit(short, '5'));
    await refused(multiElements, edit(short, '10'), 1201, /^session_id: the video lasts 5 s; it must last 7–10 s for duration '10'$/);
    await accepted(multiElements, edit(long, '10'));
    await refused(multiElements, edit(long, '5'), 1201, /^session_id: the video lasts 8 s; it must last 2–5 s for duration '5'$/);
  });

  it("refuses another tenant's session like an unknown one, an expired one and a lip-sync session (1201)", async () => {
    const unknown = await refused(multiElements, edit('777', '5'), 1201, /^session_id: no session '777'; open one with multi-elements\/init-selection$/);
    const theirs = await initSelection(5, other);
    sameAsUnknown(await refused(multiElements, edit(theirs, '5'), 1201, /^session_id: no session/), theirs, unknown, '777');
    await accepted(multiElements, edit(theirs, '5'), other);

    const old = await initSelection(5);
    await expireSession(server, old);
    await refused(multiElements, edit(old, '5'), 1201, /^session_id: session '\d+' expired at .* \(sessions are valid for 24 hours\)/);

    const video_id = await storeVideo(server, me.tenant_id, await makeVideo({ seconds: 5, width: 320, height: 240 }));
    const faces = (await server.api('POST', '/v1/videos/identify-face', { body: { video_id } })).json.data.session_id;
    await refused(multiElements, edit(faces, '5'), 1201, /^session_id: session '\d+' was opened by identify-face, not by multi-elements\/init-selection$/);
  });
});

describe('lip-sync sessions and faces', () => {
  let session: string;
  let audioId: string;
  beforeAll(async () => {
    const video_id = await storeVideo(server, me.tenant_id, await makeVideo({ seconds: 8, width: 320, height: 240 }));
    const faces = await server.api('POST', '/v1/videos/identify-face', { body: { video_id } });
    session = faces.json.data.session_id;
    const tts = await server.api('POST', '/v1/audio/tts', { body: { text: 'Throughout my time in college, several memorable event left a significant impact on my life', voice_id: 'oversea_male1', voice_language: 'en' } });
    expect(tts.json.data.task_result.audios[0].duration).toBe('3.8');
    audioId = tts.json.data.task_result.audios[0].id;
    // Whether identify-face sees a second person depends on the video's bytes (identify-face.ts, placeFaces); this
    // session is given one, on screen from 6 s to the end, as identify-face places them.
    const state = JSON.parse((await findSession(server.kiln.db, me.tenant_id, session))!.state_json);
    expect(state.faces.map((f: any) => [f.face_id, f.start_ms, f.end_ms])).toContainEqual(['0', 0, 8000]);
    state.faces = [state.faces[0], { ...state.faces[0], face_id: '1', start_ms: 6000, end_ms: 8000, image_file: 'face-1.png' }];
    await updateSessionState(server.kiln.db, me.tenant_id, session, () => ({ state, result: undefined }));
  });
  const sync = (face: object, session_id = session) => ({
    session_id,
    face_choose: [{ face_id: '0', audio_id: audioId, sound_start_time: 0, sound_end_time: 3000, sound_insert_time: 0, ...face }],
  });

  it('takes a face of the session with a sound that fits the video', async () => {
    await accepted(advancedLipSync, sync({}));
    // Last 3 s of the video, crop ending exactly at the audio's end (3.8 s).
    await accepted(advancedLipSync, sync({ sound_start_time: 800, sound_end_time: 3800, sound_insert_time: 5000 }));
  });

  it('refuses a face the session does not have', async () => {
    await refused(advancedLipSync, sync({ face_id: '7' }), 1201, /^face_choose\[0\]\.face_id: session '\d+' has no face '7'; identify-face found '0', '1'$/);
  });

  it('refuses a sound that would run past the end of the video', async () => {
    await refused(advancedLipSync, sync({ sound_insert_time: 5001 }), 1201,
      /^face_choose\[0\]\.sound_insert_time: the sound, inserted at 5001 ms, plays 5001–8001 ms, past the end of the session's video \(8000 ms\)$/);
  });

  it('needs the sound to overlap the face by at least 2 s, both sides of the edge', async () => {
    await refused(advancedLipSync, sync({ face_id: '1', sound_insert_time: 3000 }), 1201,
      /^face_choose\[0\]\.sound_insert_time: the sound, inserted at 3000 ms, plays 3000–6000 ms and face '1' is on screen 6000–8000 ms; they must overlap at least 2000 ms \(got 0 ms\)$/);
    await refused(advancedLipSync, sync({ face_id: '1', sound_insert_time: 4999 }), 1201, /they must overlap at least 2000 ms \(got 1999 ms\)$/);
    await accepted(advancedLipSync, sync({ face_id: '1', sound_insert_time: 5000 }));
  });

  it('refuses a crop ending past the end of the audio', async () => {
    await refused(advancedLipSync, sync({ sound_start_time: 1000, sound_end_time: 3801 }), 1201,
      /^face_choose\[0\]\.sound_end_time: 3801 ms is past the end of audio '\d+', which lasts 3800 ms$/);
  });

  it("refuses another tenant's session like an unknown one, an expired one, and a selection session", async () => {
    const unknown = await refused(advancedLipSync, sync({}, '555'), 1201, /^session_id: no session '555'; open one with identify-face$/);
    sameAsUnknown(await refused(advancedLipSync, sync({}), 1201, /^session_id: no session/, other), session, unknown, '555');

    const video_id = await storeVideo(server, me.tenant_id, await makeVideo({ seconds: 5, width: 320, height: 240 }));
    const selection = (await server.api('POST', '/v1/videos/multi-elements/init-selection', { body: { video_id } })).json.data.session_id;
    await refused(advancedLipSync, sync({}, selection), 1201, /^session_id: session '\d+' was opened by multi-elements\/init-selection, not by identify-face$/);
    const old = (await server.api('POST', '/v1/videos/identify-face', { body: { video_id } })).json.data.session_id;
    await accepted(advancedLipSync, sync({}, old));
    await expireSession(server, old);
    await refused(advancedLipSync, sync({}, old), 1201, /^session_id: session '\d+' expired at /);
  });
});
