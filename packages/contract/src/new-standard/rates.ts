// Units per generated second of the new-standard models (spec new-standard.md §5.5, API.md §1.10), as data. The
// legacy families price the same models by `mode` and `sound`; these tables price them by resolution and audio.

import type { NewStandardResolution } from './endpoint.ts';

export type RateRow = Partial<Record<NewStandardResolution, number>>;

export const NEW_STANDARD_RATES = {
  /** Always with native audio. */
  'kling-3.0-turbo': { '720p': 0.8, '1080p': 1.0 },
  'kling-3.0': { off: { '720p': 0.6, '1080p': 0.8, '4k': 3.0 }, native: { '720p': 0.9, '1080p': 1.2, '4k': 3.0 } },
  'kling-3.0-motion': { '720p': 0.9, '1080p': 1.2 },
  'kling-3.0-omni': {
    off: { '720p': 0.6, '1080p': 0.8, '4k': 3.0 },
    native: { '720p': 0.8, '1080p': 1.0, '4k': 3.0 },
    withVideo: { '720p': 0.9, '1080p': 1.2, '4k': 3.0 },
  },
  'kling-o1': { noVideo: { '720p': 0.6, '1080p': 0.8 }, withVideo: { '720p': 0.9, '1080p': 1.2 } },
  // Native audio is 1080p only on 2.6; "voice control" is the with-voice rate.
  'kling-2.6': { off: { '720p': 0.3, '1080p': 0.5 }, native: { '1080p': 1.0 }, voice: { '1080p': 1.2 } },
  'kling-2.6-motion': { '720p': 0.5, '1080p': 0.8 },
  'kling-2.5-turbo': { '720p': 0.3, '1080p': 0.5 },
} as const satisfies Record<string, RateRow | Record<string, RateRow>>;

/** A row's rate at a resolution; a resolution the row lacks is a contract bug (rules refuse such requests first). */
export function rateAt(row: RateRow, resolution: NewStandardResolution): number {
  const rate = row[resolution];
  if (rate === undefined) throw new Error(`no new-standard rate for ${resolution}`);
  return rate;
}
