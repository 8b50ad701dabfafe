// Timing profiles of the simulator: how long a task waits in the queue and how long it "generates".
//
// - instant: no waiting; a task ends as soon as its media is rendered.
// - fast (default): a short queue (0.2–0.5 s); the render itself is the generation time. A 5 s video ends in
//   about one to two seconds.
// - realistic: waits shaped like Kling's. Kling publishes no queue or generation times; the figures below are
//   kiln's estimates from public user reports of the official API (video tasks typically finish in 1–5 minutes,
//   longer for pro/4k and long durations; image tasks in 10–60 s) and are meant to exercise a client's polling,
//   timeouts and callbacks, not to predict Kling.
//
// Times are drawn from a generator seeded with the task id, so a task's timing is the same after a restart.

import type { AnyOutputPlan, TimingProfile } from '@kiln/contract';

export interface TaskTiming {
  queueMs: number;
  generationMs: number;
}

export function sampleTiming(profile: TimingProfile, plan: AnyOutputPlan, seed: string): TaskTiming {
  const random = seededRandom(seed);
  const between = (min: number, max: number) => Math.round(min + random() * (max - min));
  if (profile === 'instant') return { queueMs: 0, generationMs: 0 };
  if (profile === 'fast') return { queueMs: between(200, 500), generationMs: 0 };
  if (plan.kind === 'video') {
    // Queue 5–40 s; generation ≈ 40 s + 12 s per output second, ×1.5 for 1080p and ×3 for 4k, ±25 %.
    const scale = plan.resolution === '4k' ? 3 : plan.resolution === 'pro' ? 1.5 : 1;
    const base = (40_000 + 12_000 * plan.seconds) * scale;
    return { queueMs: between(5_000, 40_000), generationMs: between(base * 0.75, base * 1.25) };
  }
  if (plan.kind === 'image') {
    // Images: queue 2–10 s; generation ≈ 10 s + 3 s per image (×2 at 4k), ±25 %.
    const base = (10_000 + 3_000 * plan.count) * (plan.resolution === '4k' ? 2 : 1);
    return { queueMs: between(2_000, 10_000), generationMs: between(base * 0.75, base * 1.25) };
  }
  // Everything else (audio, voices, elements, edits): queue 2–10 s, generation 10–40 s.
  return { queueMs: between(2_000, 10_000), generationMs: between(10_000, 40_000) };
}

/** A small deterministic generator (mulberry32) seeded from a string. */
export function seededRandom(seed: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
