// `task_info.parent_video` of a relayed task made from another video (video-extend, video-to-audio, lip-sync, and the
// tasks made in an editing session, whose parent is the session's video): the upstream shows its own id and URL for
// it; kiln shows the parent as the tenant knows it, as the simulator does. A parent the tenant named by `video_id` is
// one of kiln's stored outputs: its kiln id and kiln's URL for it, which lasts as long as the parent. A parent
// uploaded by `video_url` is shown with the URL the client gave.

import { given, RESULT_LIFETIME_MS, type TaskObject } from '@kiln/contract';
import type { Output } from '../../store/outputs.ts';
import type { SessionSource } from './owners.ts';
import { isHandedThrough, type ParentVideo } from '../../tasks/stored-result.ts';

/** A tenant's stored video by kiln id (store/outputs.ts findOutput). */
export type StoredOutput = (tenantId: string, id: string) => Promise<Output | undefined>;

/**
 * The parent to show. `named`: kiln's ids of the ids the request named, by upstream id; `session`: the video of the
 * session the request names, as the tenant opened it.
 */
export async function relayedParentVideo(
  upstreamTask: TaskObject, request: Record<string, unknown>, tenantId: string,
  named: ReadonlyMap<string, string>, session: SessionSource | undefined, storedOutput: StoredOutput | undefined,
): Promise<ParentVideo | undefined> {
  const shown = upstreamTask.task_info?.parent_video;
  if (!shown) return undefined;
  const seconds = Number(shown.duration ?? 0);
  const id = shown.id ? named.get(String(shown.id)) ?? (given(session?.video_id) ? session.video_id : undefined) : undefined;
  const output = id !== undefined ? await storedOutput?.(tenantId, id) : undefined;
  if (id !== undefined && output) {
    const parentSeconds = output.seconds ?? seconds;
    // An output handed through (`--results passthrough`) is the upstream's URL itself.
    if (isHandedThrough(output.file)) return { id, seconds: parentSeconds, url: output.file };
    return { id, seconds: parentSeconds, taskId: output.task_id, file: output.file, expiresAt: output.created_at + RESULT_LIFETIME_MS };
  }
  // Uploaded, or a parent kiln no longer keeps: never the upstream's id or URL.
  const input = request.input as Record<string, unknown> | undefined;
  const url = [request.video_url, input?.video_url, session?.video_url].find((u): u is string => given(u as string)) ?? '';
  return { id: id ?? '', seconds, url };
}
