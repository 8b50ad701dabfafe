// `task_result.voices` and `task_result.elements` of custom-voices and advanced-custom-elements tasks (spec §4.1,
// §4.2), in the shape of the preset lists (actions/presets.ts): voices with their trial, elements with their media.

import type { ElementResult, VoiceResult } from '@kiln/contract';
import { creatorId } from '../accounts/creator-id.ts';
import type { StoredElement, StoredResult, StoredVoice } from './stored-result.ts';

/** `url(file)`: the signed URL of one of the task's files. */
export function assetResults(
  stored: StoredResult, tenantId: string, url: (file: string) => string,
): { voices?: VoiceResult[]; elements?: ElementResult[] } {
  const owner = () => creatorId(tenantId);
  const voice = (v: StoredVoice): VoiceResult => ({
    voice_id: v.id,
    voice_name: v.name,
    trial_url: url(v.trialFile),
    owned_by: v.preset ? 'kling' : owner(),
  });
  const element = (e: StoredElement): ElementResult => ({
    element_id: e.id,
    element_name: e.name,
    element_description: e.description,
    reference_type: e.referenceType,
    // The list of the other reference type, and an element without a voice, show `{}` as the preset list does.
    element_image_list: e.imageFiles.length
      ? { frontal_image: url(e.imageFiles[0]), refer_images: e.imageFiles.slice(1).map((f) => ({ image_url: url(f) })) }
      : {},
    element_video_list: e.videoFiles.length ? { refer_videos: e.videoFiles.map((f) => ({ video_url: url(f) })) } : {},
    element_voice_info: e.voice ? voice(e.voice) : {},
    tag_list: e.tags.map((t) => ({ tag_id: t.id, tag_name: t.name })),
    owned_by: owner(),
    status: e.deleted ? 'deleted' : 'succeed',
  });
  return {
    ...(stored.voices ? { voices: stored.voices.map(voice) } : {}),
    ...(stored.elements ? { elements: stored.elements.map(element) } : {}),
  };
}
