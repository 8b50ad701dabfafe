// Media an upstream made for a relay tenant's synchronous call (a TTS audio, image-recognize's masks), kept as kiln
// keeps its own: copied into storage under a folder of the call, answered with kiln's signed URL, which outlives the
// upstream's. A TTS audio is also registered as the tenant's output, so `audio_id` resolves in later requests.

import path from 'node:path';
import { RESULT_LIFETIME_MS } from '@kiln/contract';
import type { Transaction } from 'kysely';
import type { Db } from '../store/open.ts';
import { registerOutputs } from '../store/outputs.ts';
import type { Database } from '../store/schema.ts';
import type { Tenant } from '../store/tenants.ts';
import { mediaDir, mediaUrl, removeMediaDir, storeMedia, type ActionDeps } from './deps.ts';

/** A call's media is a few MB at most; this bounds what an upstream's answer can make kiln download. */
const MAX_CALL_MEDIA_BYTES = 100 * 1024 * 1024;

export type RelayedMediaDeps = ActionDeps & { fetchOutput: (url: string, file: string, maxBytes: number) => Promise<void> };

/** Copies `url` into storage as `<folder>/<name>`; kiln's URL for it. */
export async function keepRelayedFile(deps: RelayedMediaDeps, folder: string, name: string, url: string, now: number): Promise<string> {
  try {
    await deps.fetchOutput(url, path.join(mediaDir(deps, folder), name), MAX_CALL_MEDIA_BYTES);
    await storeMedia(deps, folder, [name]);
  } catch (error) {
    await removeMediaDir(deps, folder, [name]);
    throw error;
  }
  return mediaUrl(deps, folder, name, now + RESULT_LIFETIME_MS);
}

/** Makes a kept TTS audio (`<folder>/tts.mp3`) one of the tenant's outputs, in the caller's transaction. */
export async function registerRelayedAudio(trx: Db, tenant: Tenant, folder: string, audio: { id: string; seconds: number }, now: number): Promise<void> {
  // The MP3 stands for the WAV the simulator keeps beside its own speech: ffmpeg reads either.
  await registerOutputs(trx as Transaction<Database>, tenant.id, folder, { audios: [{ id: audio.id, mp3File: 'tts.mp3', wavFile: 'tts.mp3', seconds: audio.seconds }] }, now);
}
