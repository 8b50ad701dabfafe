// For the SDK and CLI tests of the synchronous endpoints: a valid request per action of the contract, made ready on
// a test server (stored videos, open sessions with a mark, custom voices and elements of the caller), with the shape
// its answer must have, and a request the contract refuses. An action added to the contract needs an entry here.

import { expect } from 'vitest';
import { actions } from '@kiln/contract';
import { addCustomElement, addCustomVoice } from '../../packages/server/src/store/custom-assets.ts';
import { makeImage, makeVideo, storeVideo } from './action-fixtures.ts';
import type { TestServer } from './test-server.ts';

export interface ActionSample {
  /** A request the server accepts (made fresh for every call: a delete needs something new to delete). */
  params: Record<string, unknown>;
  /** What the answer's `data` holds (toMatchObject). */
  answer: unknown;
}

export interface ActionSampleSource {
  valid: (server: TestServer) => Promise<ActionSample>;
  /** A request local validation and the server both refuse with 1201. */
  invalid: Record<string, unknown>;
}

const ID = expect.stringMatching(/^\d{18,19}$/);
const URL_ = expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/media\//);
const POINTS = [{ x: 0.5, y: 0.5 }];

/** An 18-digit id no other sample uses. */
const freshId = () => `8${String(Date.now()).slice(-9)}${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

/** The id of a 5 s video of the server's default tenant (a length init-selection and identify-face take). */
async function videoId(server: TestServer): Promise<string> {
  return storeVideo(server, server.creds.tenant_id, await makeVideo({ seconds: 5 }));
}

/** A multi-elements session with one mark on frame 0. */
async function markedSession(server: TestServer): Promise<string> {
  const opened = await server.api('POST', '/v1/videos/multi-elements/init-selection', { body: { video_id: await videoId(server) } });
  if (opened.json.code !== 0) throw new Error(`init-selection: ${opened.json.message}`);
  const session = opened.json.data.session_id;
  const mark = { session_id: session, frame_index: 0, points: POINTS };
  const marked = await server.api('POST', '/v1/videos/multi-elements/add-selection', { body: mark });
  if (marked.json.code !== 0) throw new Error(`add-selection: ${marked.json.message}`);
  return session;
}

async function customVoice(server: TestServer): Promise<string> {
  const id = freshId();
  const now = Date.now();
  await addCustomVoice(server.kiln.db, {
    id, tenant_id: server.creds.tenant_id, task_id: null, name: 'Mine', language: null, trial_file: null, status: 'succeed',
    created_at: now, updated_at: now,
  });
  return id;
}

async function customElement(server: TestServer): Promise<string> {
  const id = freshId();
  const now = Date.now();
  await addCustomElement(server.kiln.db, {
    id, tenant_id: server.creds.tenant_id, task_id: null, name: 'Mine', description: 'mine', reference_type: 'image_refer',
    detail_json: '{}', voice_id: null, status: 'succeed', created_at: now, updated_at: now,
  });
  return id;
}

/** An old-API element: a frontal image and one other view. */
async function legacyElement(): Promise<Record<string, unknown>> {
  const image = (await makeImage(600, 900)).toString('base64');
  return { element_name: 'Mine', element_description: 'mine', element_frontal_image: image, element_refer_list: [{ image_url: image }] };
}

const selectionStep = (answer: Record<string, unknown> = {}): ActionSampleSource => ({
  valid: async (server) => ({ params: { session_id: await markedSession(server) }, answer: { status: 0, session_id: ID, ...answer } }),
  invalid: { session_id: '' },
});

const deleted = { task_id: ID, task_status: 'succeed' };

export const actionSamples: Record<string, ActionSampleSource> = {
  'multi-elements/init-selection': {
    valid: async (server) => ({
      params: { video_id: await videoId(server) },
      answer: { status: 0, session_id: ID, fps: 24, original_duration: 5000, width: 1280, height: 720, total_frame: 120, normalized_video: URL_ },
    }),
    invalid: {},
  },
  'multi-elements/add-selection': {
    valid: async (server) => {
      const opened = await server.api('POST', '/v1/videos/multi-elements/init-selection', { body: { video_id: await videoId(server) } });
      const session = opened.json.data.session_id;
      return {
        params: { session_id: session, frame_index: 10, points: POINTS },
        answer: {
          status: 0, session_id: session, res: { frame_index: 10, rle_mask_list: [expect.objectContaining({ rle_mask: expect.anything() })] },
        },
      };
    },
    invalid: { session_id: '1', frame_index: 0, points: [{ x: 1.5, y: 0 }] },
  },
  'multi-elements/delete-selection': {
    valid: async (server) => {
      const session = await markedSession(server);
      return { params: { session_id: session, frame_index: 0, points: POINTS }, answer: { status: 0, session_id: session, res: { frame_index: 0 } } };
    },
    invalid: { session_id: '1', frame_index: -1, points: POINTS },
  },
  'multi-elements/clear-selection': selectionStep(),
  'multi-elements/preview-selection': selectionStep({ res: { video: URL_, video_cover: URL_, tracking_output: URL_ } }),
  'identify-face': {
    valid: async (server) => ({
      params: { video_id: await videoId(server) },
      answer: { session_id: ID, final_unit_deduction: '0.05', face_data: [{ face_id: '0', face_image: URL_, start_time: 0, end_time: 5000 }] },
    }),
    invalid: { video_id: '123', video_url: 'https://example.com/v.mp4' },
  },
  'image-recognize': {
    valid: async () => ({
      params: { image: (await makeImage(600, 900)).toString('base64') },
      answer: {
        final_unit_deduction: '0.1',
        task_result: { images: ['object_seg', 'head_seg', 'face_seg', 'cloth_seg'].map((type) => ({ type, is_contain: true, url: URL_ })) },
      },
    }),
    invalid: { image: 'data:image/png;base64,AAAA' },
  },
  tts: {
    valid: async () => ({
      params: { text: 'Hello from the synchronous endpoints', voice_id: 'oversea_male1', voice_language: 'en' },
      answer: {
        task_id: ID, task_status: 'succeed', task_result: { audios: [{ id: ID, url: URL_, duration: expect.stringMatching(/^\d+(\.\d)?$/) }] },
      },
    }),
    invalid: { voice_id: 'oversea_male1' },
  },
  'delete-voices': {
    valid: async (server) => ({ params: { voice_id: await customVoice(server) }, answer: deleted }),
    invalid: {},
  },
  'delete-elements': {
    valid: async (server) => ({ params: { element_id: await customElement(server) }, answer: deleted }),
    invalid: { element_id: 'abc' },
  },
  'delete-advanced-elements': {
    valid: async (server) => ({ params: { element_id: await customElement(server) }, answer: deleted }),
    invalid: { element_id: -1 },
  },
  'presets-voices': {
    valid: async () => ({
      params: { pageNum: 1, pageSize: 3 },
      answer: [1, 2, 3].map(() => expect.objectContaining({
        task_result: { voices: [expect.objectContaining({ voice_id: expect.any(String), owned_by: 'kling' })] },
      })),
    }),
    invalid: { pageSize: 0 },
  },
  'advanced-presets-elements': {
    valid: async () => ({
      params: { pageNum: 1, pageSize: 2 },
      answer: [1, 2].map(() => expect.objectContaining({ task_result: { elements: [expect.objectContaining({ owned_by: 'kling' })] } })),
    }),
    invalid: { pageNum: 1001 },
  },
  'custom-elements': {
    valid: async () => ({
      params: await legacyElement(),
      answer: { element_id: expect.anything(), element_name: 'Mine', element_refer_list: [expect.anything()] },
    }),
    invalid: { element_name: 'Mine', element_description: 'mine' },
  },
  'list-custom-elements': {
    valid: async (server) => {
      const made = await server.api('POST', '/v1/general/custom-elements', { body: await legacyElement() });
      if (made.json.code !== 0) throw new Error(`custom-elements: ${made.json.message}`);
      const listed = expect.arrayContaining([expect.objectContaining({ element_id: made.json.data.element_id })]);
      return { params: { pageNum: 1, pageSize: 500 }, answer: listed };
    },
    invalid: { pageSize: 0 },
  },
  'presets-elements': {
    valid: async () => ({ params: { pageNum: 1, pageSize: 2 }, answer: [1, 2].map(() => expect.objectContaining({ owned_by: 'kling' })) }),
    invalid: { pageNum: 0 },
  },
  'account/costs': {
    valid: async () => ({
      params: { start_time: 0, end_time: Date.now() },
      answer: { code: 0, resource_pack_subscribe_infos: expect.arrayContaining([expect.objectContaining({ status: 'online' })]) },
    }),
    invalid: { start_time: 0 },
  },
  'account/billing/package': {
    valid: async (server) => {
      const start = Date.now() - 1000;
      const spoken = await server.api('POST', '/v1/audio/tts', { body: { text: 'billed', voice_id: 'oversea_male1', voice_language: 'en' } });
      return {
        params: { start_time: start, end_time: Date.now() + 1000 },
        answer: { result: { detail: expect.arrayContaining([expect.objectContaining({ task_id: spoken.json.data.task_id })]) }, has_more: false },
      };
    },
    invalid: { start_time: 5, end_time: 1 },
  },
  'account/billing/balance': {
    // Kiln bills resource packs only: the cash balance list is empty.
    valid: async () => ({ params: { start_time: 0, end_time: Date.now() }, answer: { result: { detail: [], count: 0 }, has_more: false } }),
    invalid: { start_time: 0 },
  },
};

/** Actions of the contract with no sample above. */
export const actionsWithoutSample = () => actions.map((a) => a.name).filter((name) => !(name in actionSamples));

export function sampleFor(name: string): ActionSampleSource {
  const sample = actionSamples[name];
  if (!sample) throw new Error(`no sample for the action '${name}': add one to test/helpers/action-samples.ts`);
  return sample;
}
