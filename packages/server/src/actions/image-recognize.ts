// POST /v1/videos/image-recognize (spec §2.11): the subject, head (with hair), face (without hair) and clothing masks
// of an image, as PNGs at the image's size, each with whether it was found. The image is read for real and held to
// the standard limits; the masks are the simulator's fixed shapes (engines/simulator/media/segment-image.ts).

import { imageLimitBroken, KlingError } from '@kiln/contract';
import { loadImageInput, MAX_IMAGE_BYTES } from '../engines/simulator/media/load-image.ts';
import { segmentImage } from '../engines/simulator/media/segment-image.ts';
import { RESULT_LIFETIME_MS } from '../storage/local-storage.ts';
import type { Tenant } from '../store/tenants.ts';
import { newTaskId } from '../tasks/ids.ts';
import { actionNamed, chargeCall, ensureUnits, inputError, mediaUrl, putMedia, removeMediaDir, type ActionDeps } from './deps.ts';

export async function imageRecognize(deps: ActionDeps, tenant: Tenant, req: { image: string }, now = Date.now()) {
  const units = actionNamed('image-recognize').units?.(req) ?? 0;
  await ensureUnits(deps, tenant, units);
  let image;
  try {
    image = await loadImageInput(req.image, (url) => deps.fetchInput(url, MAX_IMAGE_BYTES), 'image');
  } catch (error) {
    throw inputError('image', error);
  }
  const broken = imageLimitBroken({ format: image.format, bytes: image.buffer.length, width: image.width, height: image.height });
  if (broken) throw new KlingError(1201, `image: ${broken}`);

  // The masks are kept like a task's results: in a folder of their own, for 30 days.
  const folder = newTaskId(now);
  const names: string[] = [];
  try {
    const segments = await segmentImage(image.width, image.height);
    for (const s of segments) {
      names.push(`${s.type}.png`);
      await putMedia(deps, folder, `${s.type}.png`, s.png);
    }
    const deducted = await chargeCall(deps, tenant, units, undefined, { action: 'image-recognize', taskId: folder, at: now });
    return {
      final_unit_deduction: deducted,
      task_result: {
        images: segments.map((s) => ({
          type: s.type,
          is_contain: s.isContain,
          url: mediaUrl(deps, folder, `${s.type}.png`, now + RESULT_LIFETIME_MS),
        })),
      },
    };
  } catch (error) {
    await removeMediaDir(deps, folder, names);
    throw error;
  }
}
