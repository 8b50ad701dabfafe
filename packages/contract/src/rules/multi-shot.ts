// Multi-shot rules shared by omni-video, text2video and image2video (spec §11 rule 5).

import type { Rule } from '../family.ts';
import type { Shot } from '../plan.ts';
import { isTrue } from '../fields.ts';

export interface MultiShotRequest {
  /** A boolean; text2video/image2video also accept "true"/"false" as Kling's own i2v example sends. */
  multi_shot?: boolean | 'true' | 'false';
  shot_type?: 'customize' | 'intelligence';
  prompt?: string;
  multi_prompt?: { index: number; prompt: string; duration: string | number }[];
  duration?: string | number;
}

const customize = (req: MultiShotRequest) => isTrue(req.multi_shot) && req.shot_type === 'customize';

export interface MultiShotOptions {
  /** The prompt may be empty for a single-shot request (image2video: [OFF-old] lists prompt as optional). */
  singleShotPromptOptional?: boolean;
}

export function multiShotRules<Req extends MultiShotRequest>(options: MultiShotOptions = {}): Rule<Req, never>[] {
  return [
    {
      id: 'shot-type-required',
      text: 'shot_type is required when multi_shot is true',
      check: (req) => {
        if (isTrue(req.multi_shot) && !req.shot_type) return "shot_type is required when multi_shot is true ('customize' or 'intelligence')";
      },
    },
    {
      id: 'prompt-required',
      text: 'prompt is required unless multi_shot is true with shot_type customize',
      check: (req) => {
        if (options.singleShotPromptOptional && !isTrue(req.multi_shot)) return;
        if (!customize(req) && !req.prompt?.trim()) {
          return isTrue(req.multi_shot)
            ? "prompt is required when shot_type is 'intelligence'"
            : 'prompt is required when multi_shot is false';
        }
      },
    },
    {
      id: 'multi-prompt-required',
      text: 'multi_prompt (1–6 shots) is required when shot_type is customize',
      check: (req) => {
        if (customize(req) && !req.multi_prompt?.length) {
          return "multi_prompt must hold 1 to 6 shots when multi_shot is true and shot_type is 'customize'";
        }
      },
    },
    {
      id: 'multi-prompt-durations',
      text: 'each shot lasts at least 1 s and the shots add up to duration',
      check: (req) => {
        if (!customize(req) || !req.multi_prompt?.length) return;
        const total = Number(req.duration);
        let sum = 0;
        for (const [i, shot] of req.multi_prompt.entries()) {
          const seconds = Number(shot.duration);
          if (seconds < 1) return `multi_prompt[${i}].duration must be at least 1 second`;
          if (seconds > total) return `multi_prompt[${i}].duration must not exceed duration (${total})`;
          sum += seconds;
        }
        if (sum !== total) return `multi_prompt durations add up to ${sum} seconds but duration is ${total}`;
      },
    },
  ];
}

/** The storyboard a customized multi-shot request asks for; empty for single-shot requests. */
export function shotsOf(req: MultiShotRequest): Shot[] {
  if (!customize(req) || !req.multi_prompt) return [];
  return [...req.multi_prompt]
    .sort((a, b) => a.index - b.index)
    .map((s) => ({ prompt: s.prompt, seconds: Number(s.duration) }));
}
