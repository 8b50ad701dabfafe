// A TTS audio an upstream made for a relay tenant, kept as kiln keeps its own: copied into storage under a folder of
// its own and registered as the tenant's output (so `audio_id` resolves in later requests), answered with kiln's
// signed URL, which outlives the upstream's.

import path from 'node:path';
import { RESULT_LIFETIME_MS } from '@kiln/contract';
import { registerOutputs } from '../store/outputs.ts';
import type { Tenant } from '../store/tenants.ts';
import { mediaDir, mediaUrl, removeMediaDir, storeMedia, type ActionDeps } from './deps.ts';

/** A speech file is a few MB at most; this bounds what an upstream's answer can make kiln download. */
const MAX_SPEECH_BYTES = 100 * 1024 * 1024;

export async function keepRelayedAudio(
  deps: ActionDeps & { fetchOutput: (url: string, file: string, maxBytes: number) => Promise<void> },
  tenant: Tenant, folder: string, audio: { id: string; url: string; seconds: number }, now: number,
): Promise<string> {
  const name = 'tts.mp3';
  try {
    await deps.fetchOutput(audio.url, path.join(mediaDir(deps, folder), name), MAX_SPEECH_BYTES);
    await storeMedia(deps, folder, [name]);
    // The MP3 stands for the WAV the simulator keeps beside its own speech: ffmpeg reads either.
    await deps.db.transaction().execute((trx) =>
      registerOutputs(trx, tenant.id, folder, { audios: [{ id: audio.id, mp3File: name, wavFile: name, seconds: audio.seconds }] }, now));
  } catch (error) {
    await removeMediaDir(deps, folder, [name]);
    throw error;
  }
  return mediaUrl(deps, folder, name, now + RESULT_LIFETIME_MS);
}
