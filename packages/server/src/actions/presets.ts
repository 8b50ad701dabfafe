// GET /v1/general/presets-voices and GET /v1/general/advanced-presets-elements (spec §4.1, §4.2): the simulator's
// small official libraries, paged with pageNum/pageSize, in Kling's list shape (one task-like item per voice or
// element). Their media (trial MP3s, element images) are rendered on first listing and kept in the data directory.

import path from 'node:path';
import fs from 'node:fs/promises';
import { elementTagName } from '@kiln/contract';
import { presetElementPng, VIEW_NAMES } from '../engines/simulator/media/preset-art.ts';
import { RESULT_LIFETIME_MS } from '../storage/local-storage.ts';
import { mediaUrl, type ActionDeps } from './deps.ts';
import { PRESET_ELEMENTS, type PresetElement } from './element-library.ts';
import { PRESET_FOLDER, PRESET_VOICES, PRESETS_MADE_AT, presetTrialFile, presetVoice, renderOnce, type PresetVoice } from './voice-library.ts';

export interface PageQuery {
  pageNum: number;
  pageSize: number;
}

const page = <T>(items: readonly T[], q: PageQuery) => items.slice((q.pageNum - 1) * q.pageSize, q.pageNum * q.pageSize);

const taskPart = (taskId: string) => ({
  task_id: taskId,
  task_status: 'succeed',
  task_status_msg: '',
  created_at: PRESETS_MADE_AT,
  updated_at: PRESETS_MADE_AT,
});

export async function presetsVoices(deps: ActionDeps, q: PageQuery) {
  return Promise.all(page(PRESET_VOICES, q).map(async (voice) => ({
    // Stable, distinct, numeric ids, as Kling's list items carry.
    ...taskPart(String(PRESETS_MADE_AT * 1000 + PRESET_VOICES.indexOf(voice) + 1)),
    task_result: { voices: [await voiceInfo(deps, voice)] },
  })));
}

async function voiceInfo(deps: ActionDeps, voice: PresetVoice) {
  const file = await presetTrialFile(deps, voice);
  return {
    voice_id: voice.voice_id,
    voice_name: voice.voice_name,
    // Re-signed on every listing; each link lasts as long as a result's.
    trial_url: mediaUrl(deps, PRESET_FOLDER, file, Date.now() + RESULT_LIFETIME_MS),
    owned_by: 'kling',
  };
}

export async function advancedPresetsElements(deps: ActionDeps, q: PageQuery) {
  return Promise.all(page(PRESET_ELEMENTS, q).map(async (element) => ({
    ...taskPart(String(PRESETS_MADE_AT * 1000 + 500 + element.element_id)),
    task_info: { external_task_id: null },
    task_result: { elements: [await elementInfo(deps, element)] },
    final_unit_deduction: '0',
  })));
}

async function elementInfo(deps: ActionDeps, element: PresetElement) {
  const expires = Date.now() + RESULT_LIFETIME_MS;
  const images = await Promise.all(Array.from({ length: element.views }, async (_, view) => {
    const name = `element-${element.element_id}-${VIEW_NAMES[view]}.png`;
    await renderOnce(deps, name, async (dir, partial) => {
      await fs.writeFile(path.join(dir, `${partial}.png`), await presetElementPng(element.element_name, element.silhouette, view));
      return `${partial}.png`;
    });
    return mediaUrl(deps, PRESET_FOLDER, name, expires);
  }));
  const voice = element.voice_id ? presetVoice(element.voice_id) : undefined;
  return {
    element_id: element.element_id,
    element_name: element.element_name,
    element_description: element.element_description,
    reference_type: 'image_refer',
    element_image_list: { frontal_image: images[0], refer_images: images.slice(1).map((image_url) => ({ image_url })) },
    element_video_list: {},
    element_voice_info: voice ? await voiceInfo(deps, voice) : {},
    tag_list: element.tags.map((tag_id) => ({ tag_id, tag_name: elementTagName(tag_id) })),
    owned_by: 'kling',
    status: 'succeed',
  };
}

