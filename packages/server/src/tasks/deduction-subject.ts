// What a unit deduction was for (spec §6.2 detail items): the task or synchronous call billed, described the way
// Kling's deduction details describe it, from the task's stored request (through its family's plan) and result.

import { actions, familyByName, type AnyOutputPlan } from '@kiln/contract';
import type { TaskRow } from '../store/tasks.ts';
import type { StoredResult } from './stored-result.ts';

/** What a charge pays for: a task that succeeded, or a synchronous call (TTS, image-recognize, identify-face). */
export type Billed =
  | { task: TaskRow }
  | { call: { action: string; taskId: string; at: number } };

export interface DeductionSubject {
  task_id: string;
  product_function: string;
  model_name: string;
  resolution: string;
  duration: string;
  refer_video_input: boolean;
  video_sound: string;
  voice_control: boolean;
  task_created_at: number;
  /** A task is billed the moment it shows as succeeded (its updated_at); a call when it is charged (unset). */
  deduction_time?: number;
}

/**
 * The video fields are "only applicable to video generation tasks": other outputs get '' and false, and a call
 * has no model (Kling names none for TTS or image recognition).
 */
const NOT_VIDEO = { resolution: '', duration: '', refer_video_input: false, video_sound: '', voice_control: false };

export function deductionSubject(billed: Billed): DeductionSubject {
  if ('call' in billed) {
    const { action, taskId, at } = billed.call;
    const title = actions.find((a) => a.name === action)?.title ?? action;
    return { ...NOT_VIDEO, task_id: taskId, product_function: title, model_name: '', task_created_at: at };
  }
  const task = billed.task;
  const family = familyByName(task.family);
  const request = JSON.parse(task.request_json) as Record<string, any>;
  let plan: AnyOutputPlan | undefined;
  try {
    plan = family?.plan(request);
  } catch {
    // A stored request always validated once; should a family's plan change under it, the row is still written.
  }
  const result = task.result_json ? (JSON.parse(task.result_json) as StoredResult) : {};
  return {
    task_id: task.id,
    product_function: family?.title ?? task.family,
    model_name: task.model ?? '',
    task_created_at: task.created_at,
    deduction_time: task.updated_at,
    ...(plan ? outputFacts(plan, request, result) : NOT_VIDEO),
  };
}

/** Legacy `mode` as Kling maps it: std → 720p, pro → 1080p. */
const VIDEO_RESOLUTION: Record<string, string> = { std: '720p', pro: '1080p', '4k': '4k' };

function outputFacts(plan: AnyOutputPlan, request: Record<string, any>, result: StoredResult) {
  // The length the task shows for its (first) video: the rendered one, which may differ from the asked.
  const duration = result.videos?.length ? String(result.videos[0].seconds) : '';
  // Legacy voice_list, or new-standard `voice` content items.
  const voice_control = (Array.isArray(request.voice_list) && request.voice_list.length > 0)
    || (Array.isArray(request.contents) && request.contents.some((c: { type?: unknown }) => c?.type === 'voice'));
  switch (plan.kind) {
    case 'video':
      return {
        resolution: VIDEO_RESOLUTION[plan.resolution], duration, voice_control,
        refer_video_input: plan.referenceVideo !== undefined,
        video_sound: plan.referenceVideo?.keepSound ? 'original' : plan.audio ? 'native' : 'off',
      };
    case 'sourced-video':
      return {
        // video-extend follows its parent's model and mode, which its own request does not say.
        resolution: plan.inherit === 'all' ? '' : VIDEO_RESOLUTION[plan.resolution], duration, voice_control,
        refer_video_input: true,
        video_sound: plan.keepSourceSound ? 'original' : plan.audio ? 'native' : 'off',
      };
    case 'talking-video':
      // Avatar and lip-sync speak the sound the client gave: the video carries that sound, not a generated one.
      return {
        resolution: plan.resolution ? VIDEO_RESOLUTION[plan.resolution] : '', duration, voice_control,
        refer_video_input: plan.sessionId !== undefined, video_sound: 'original',
      };
    case 'effect-video':
      return { resolution: VIDEO_RESOLUTION[plan.resolution], duration, voice_control, refer_video_input: false, video_sound: 'off' };
    case 'image':
      // Images are priced by resolution too (1K/2K vs 4K): the detail says which.
      return { ...NOT_VIDEO, resolution: plan.resolution };
    default:
      return NOT_VIDEO;
  }
}
