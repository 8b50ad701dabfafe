// POST /v1/audio/tts (spec §3.3): speaks the text with a preset or the caller's custom voice and answers at once with
// the finished audio, in the task shape Kling documents. The MP3 lasts what the contract's plan says for the text and
// speed; its id is registered as an output so avatar and advanced-lip-sync can name it as `audio_id`.

import { KlingError } from '@kiln/contract';
import type { AudioPlan } from '@kiln/contract';
import { renderSpeech, type VoiceTimbre } from '../engines/simulator/media/render-audio.ts';
import { RESULT_LIFETIME_MS } from '../storage/local-storage.ts';
import { findCustomVoice } from '../store/custom-assets.ts';
import { registerOutputs } from '../store/outputs.ts';
import type { Tenant } from '../store/tenants.ts';
import { newTaskId } from '../tasks/ids.ts';
import { actionNamed, chargeCall, ensureUnits, mediaDir, mediaUrl, removeMediaDir, storeMedia, type ActionDeps } from './deps.ts';
import { customTimbre, presetVoice } from './voice-library.ts';

const TTS_FILES = ['tts.mp3', 'tts.wav'];

export interface TtsRequest {
  text: string;
  voice_id: string;
  voice_language?: 'zh' | 'en';
  voice_speed?: number | string;
}

export async function tts(deps: ActionDeps, tenant: Tenant, req: TtsRequest, now = Date.now()) {
  const action = actionNamed('tts');
  const plan = action.plan!(req) as AudioPlan;
  const speech = plan.speech!;
  const timbre = await voiceFor(deps, tenant, speech.voiceId, speech.language);
  const units = action.units?.(req) ?? 0;
  await ensureUnits(deps, tenant, units);

  const taskId = newTaskId(now);
  const audioId = newTaskId(now);
  const seconds = plan.seconds ?? 1;
  const dir = mediaDir(deps, taskId);
  try {
    // The WAV is kept beside the MP3 for the renderers that later take this audio as input.
    await renderSpeech({ text: speech.text, seconds, voice: timbre, seed: speech.voiceId }, dir, 'tts', ['mp3', 'wav']);
    await storeMedia(deps, taskId, TTS_FILES);
    const deducted = await chargeCall(deps, tenant, units, (trx) =>
      registerOutputs(trx, tenant.id, taskId, { audios: [{ id: audioId, mp3File: 'tts.mp3', wavFile: 'tts.wav', seconds }] }, now),
    { action: 'tts', taskId, at: now });
    const done = Date.now();
    return {
      task_id: taskId,
      task_status: 'succeed',
      task_status_msg: '',
      task_result: {
        audios: [{ id: audioId, url: mediaUrl(deps, taskId, 'tts.mp3', now + RESULT_LIFETIME_MS), duration: String(seconds) }],
      },
      final_unit_deduction: deducted,
      created_at: now,
      updated_at: done,
    };
  } catch (error) {
    await removeMediaDir(deps, taskId, TTS_FILES);
    throw error;
  }
}

/** A preset voice that speaks the language, or one of the caller's custom voices that is not deleted. */
async function voiceFor(deps: ActionDeps, tenant: Tenant, voiceId: string, language: 'zh' | 'en'): Promise<VoiceTimbre> {
  const preset = presetVoice(voiceId);
  if (preset) {
    if (!preset.languages.includes(language)) {
      throw new KlingError(1201,
        `voice_language: voice '${voiceId}' speaks ${preset.languages.map((l) => `'${l}'`).join(' and ')}, not '${language}' (voice_language defaults to 'zh')`);
    }
    return preset.timbre;
  }
  const custom = await findCustomVoice(deps.db, tenant.id, voiceId);
  if (!custom) {
    throw new KlingError(1201,
      `voice_id: no voice '${voiceId}'; use a preset voice (GET /v1/general/presets-voices) or one of your custom voices`);
  }
  if (custom.status === 'deleted') throw new KlingError(1201, `voice_id: voice '${voiceId}' has been deleted`);
  if (custom.language && custom.language !== language) {
    throw new KlingError(1201, `voice_language: voice '${voiceId}' speaks '${custom.language}', not '${language}'`);
  }
  return customTimbre(voiceId);
}
