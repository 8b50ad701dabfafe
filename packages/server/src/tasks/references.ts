// Checks, at create, the stored outputs a request names (`video_id`, `audio_id`): each must be one of the caller's
// own outputs of the last 30 days, and of a length the family accepts. Another tenant's id, an expired one and an
// unknown one are answered alike (1201 naming the field and the id), so nothing reveals another tenant's data.
// Uploaded media (video_url, sound_file) can only be measured once downloaded: the engine checks those.

import { given, KlingError, referencesOf, type AnyFamily, type InputReference } from '@kiln/contract';
import { checkLength } from '../actions/video-source.ts';
import type { TaskStore } from '../store/tasks.ts';
import { findOutput } from '../store/outputs.ts';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Throws the 1201 of the first bad reference. Returns the model of a parent video restricted by model (video-extend):
 * the new task inherits it, so its own output can be extended again under the same rule.
 */
export async function checkReferences(store: TaskStore, tenantId: string, family: AnyFamily, body: Record<string, unknown>): Promise<{ inheritedModel?: string }> {
  const db = store.db;
  let inheritedModel: string | undefined;
  for (const ref of referencesOf(family.references, body)) {
    if (ref.kind !== 'video' && ref.kind !== 'audio') continue;
    for (const { field, id } of idsAt(body, ref)) {
      const now = Date.now();
      // findOutput keeps 30 days; a shorter window of the reference narrows it.
      const output = await findOutput(db, tenantId, ref.kind, id, now);
      const tooOld = output && ref.maxAgeDays !== undefined && output.created_at <= now - ref.maxAgeDays * DAY_MS;
      if (!output || tooOld) {
        throw new KlingError(1201, `${field}: no ${ref.kind} '${id}' among your ${ref.kind}s of the last ${ref.maxAgeDays ?? 30} days`);
      }
      if (ref.seconds && output.seconds !== null) checkLength(field, output.seconds, ref.seconds);
      if (ref.families || ref.models) {
        // Some families take only outputs of certain families/models (video-extend: kling-v1.x text/image2video).
        const made = await store.byId(output.task_id);
        if (!made || (ref.families && !ref.families.includes(made.family)) || (ref.models && !ref.models.includes(made.model ?? ''))) {
          const of = [ref.families?.join('/'), ref.models && `models ${ref.models.join(', ')}`].filter(Boolean).join(' with ');
          throw new KlingError(1201, `${field}: the ${ref.kind} '${id}' was made by ${made ? `${made.family} (${made.model})` : 'another task'}; only ${of} ${ref.kind}s are accepted`);
        }
        if (ref.models && made.model) inheritedModel = made.model;
      }
    }
  }
  return { inheritedModel };
}

/** The ids a reference names in the body: `video_id`, or every item of `face_choose[].audio_id`. */
function idsAt(body: Record<string, unknown>, ref: InputReference): { field: string; id: string }[] {
  const [head, ...rest] = ref.field.split('[].');
  if (rest.length === 0) {
    const id = body[head];
    return typeof id === 'string' && given(id) ? [{ field: head, id }] : [];
  }
  const items = body[head];
  if (!Array.isArray(items)) return [];
  return items.flatMap((item, i) => {
    const id = item && typeof item === 'object' ? (item as Record<string, unknown>)[rest.join('[].')] : undefined;
    return typeof id === 'string' && given(id) ? [{ field: `${head}[${i}].${rest.join('[].')}`, id }] : [];
  });
}
