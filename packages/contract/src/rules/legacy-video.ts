// What the legacy video models (text2video, image2video, multi-image2video) share: the mode and duration checks
// against a model's capability row, the output class and frame rate each model renders (spec §8 "Resolution/
// frame-rate"), and the per-second unit rates (spec §1.10).

import type { Rule } from '../family.ts';
import { isTrue } from '../fields.ts';

export type VideoMode = 'std' | 'pro' | '4k';
export type VideoClass = 'std' | 'pro' | '4k';

export const FIVE_OR_TEN = [5, 10] as const;
export const THREE_TO_FIFTEEN = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] as const;

export interface LegacyVideoModel {
  modes: readonly VideoMode[];
  durations: readonly number[];
  /**
   * The masters (kling-v2-master, kling-v2-1-master) have no `mode` ([VD:kling-updates-api.md 05/13/2025]:
   * "kling-v2-master does not support mode"). Kiln reads "does not support" permissively: the field is accepted
   * (std or pro) and ignored, and the output is the class given here (§8: v2-master 720p, v2-1-master 1080p).
   */
  fixedOutput?: 'std' | 'pro';
  /** Whether `pro` renders 1080p; kling-v1 renders 720p in both modes (§8). */
  proIs1080p: boolean;
  /** §8: kling-v1/v1-5 (and v1-6 image-to-video) 30 fps, everything newer 24 fps. */
  fps: number;
}

export interface VideoRequest {
  model_name?: string;
  mode?: VideoMode;
  duration?: string | number;
}

export function outputClass(model: LegacyVideoModel, mode: VideoMode): VideoClass {
  if (model.fixedOutput) return model.fixedOutput;
  if (mode === '4k') return '4k';
  return mode === 'pro' && model.proIs1080p ? 'pro' : 'std';
}

/**
 * Units per generated second (spec §1.10). Rows exist for Kling 3.0, 2.6 and 2.5 Turbo; the older models
 * (v1, v1-5, v1-6, v2-master, v2-1, v2-1-master) have no published per-second rate, so kiln bills them like the
 * cheapest documented legacy row (2.5 Turbo: 0.3 at 720p, 0.5 at 1080p), by the class actually rendered.
 */
export function ratePerSecond(modelName: string, output: VideoClass, audio: boolean, voice: boolean): number {
  if (output === '4k') return 3.0;
  const hd = output === 'pro';
  if (modelName === 'kling-v3') return audio ? (hd ? 1.2 : 0.9) : hd ? 0.8 : 0.6;
  if (modelName === 'kling-v2-6' && audio) return voice ? 1.2 : 1.0;
  return hd ? 0.5 : 0.3;
}

/** `mode` and `duration` must be in the model's capability row. */
export function modeAndDurationRules<Req extends VideoRequest>(): Rule<Req, LegacyVideoModel>[] {
  return [
    {
      id: 'mode-supported',
      text: "mode must be supported by the model ('4k' only for kling-v3)",
      check: (req, model) => {
        if (!model.modes.includes(req.mode!)) {
          return `mode '${req.mode}' is not supported by ${req.model_name}; supported: ${model.modes.join(', ')}`;
        }
      },
    },
    {
      id: 'duration-supported',
      text: 'duration must be supported by the model (kling-v3: 3–15 s, older models: 5 or 10 s)',
      check: (req, model) => {
        if (!model.durations.includes(Number(req.duration))) {
          return `duration ${req.duration} is not supported by ${req.model_name}; supported: ${model.durations.join(', ')} seconds`;
        }
      },
    },
  ];
}

/** What text2video and image2video models say about native audio and multi-shot. */
export interface SoundAndShots {
  /** 'pro-only': kling-v2-6 generates audio in pro mode only (std is silent). */
  sound: 'none' | 'pro-only' | 'any';
  multiShot: boolean;
}

interface SoundAndShotsRequest extends VideoRequest {
  multi_shot?: boolean | 'true' | 'false';
  sound?: 'on' | 'off';
}

/**
 * Multi-shot is kling-v3's only (with start/end frames allowed since 05/07/2026, so only the model is checked);
 * sound 'on' needs kling-v2-6 in pro mode or kling-v3.
 */
export function soundAndShotRules<Req extends SoundAndShotsRequest>(): Rule<Req, SoundAndShots>[] {
  return [
    {
      id: 'multi-shot-model',
      text: 'multi_shot is supported by kling-v3 only',
      check: (req, model) => {
        if (isTrue(req.multi_shot) && !model.multiShot) return `multi_shot is not supported by ${req.model_name} (only kling-v3)`;
      },
    },
    {
      id: 'sound-model',
      text: "sound 'on' needs kling-v2-6 in pro mode or kling-v3",
      check: (req, model) => {
        if (req.sound !== 'on') return;
        if (model.sound === 'none') return `sound 'on' is not supported by ${req.model_name} (only kling-v2-6 and kling-v3)`;
        if (model.sound === 'pro-only' && req.mode !== 'pro') return `sound 'on' with ${req.model_name} requires mode 'pro'`;
      },
    },
  ];
}
