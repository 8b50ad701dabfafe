// Runs the encode of a rendered video: one ffmpeg for a single shot; for a storyboard, one ffmpeg per part (an equal
// share of the timeline), each started as soon as its pictures are drawn, side by side, then joined without re-encoding.

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { RENDER_NICE } from './encode-settings.ts';
import { ffmpegPath } from './ffmpeg-paths.ts';
import { joinArgs, writeJoinList } from './join-shots.ts';
import { runProcess } from './run-process.ts';
import { videoArgs, type GraphSpec, type Segment } from './video-graph.ts';
import { planParts } from './video-parts.ts';

export interface EncodeJob {
  graph: GraphSpec;
  /** Resolves when the segment's pictures are on disk. */
  ready: (segment: Segment) => Promise<unknown>;
  /** A folder for the parts, removed by the caller. */
  work: string;
  signal?: AbortSignal;
}

// Cores a storyboard's parts are shared out between; beyond a few, other renders (renderConcurrency) use the rest.
const MAX_WORKERS = 4;

/**
 * Why parts in parallel: one ffmpeg over a whole storyboard could only start once every card was drawn, and its
 * frame-threaded x264 kept 2 cores less than busy while spending 15–20% more CPU than single-threaded x264 on the
 * same frames. Instead the timeline is cut into one equal part per core (planParts), each encoded by its own
 * single-threaded x264 as soon as its pictures are written. Every part has the same settings, so the concat demuxer
 * joins them into one stream without a re-encode; the soundtrack is copied in at the join, so it spans the cuts.
 * On 2 shared cores this took the 10 s three-shot render from ~1.4× to ~1.2× a plain encode (old and new code
 * measured in alternating runs; `npm run bench:render` records the current figure).
 */
export async function encodeVideo(job: EncodeJob): Promise<void> {
  const { graph, signal } = job;
  // An input's own sound (editing) is cut to length in the filter graph; edits are one shot anyway.
  if (graph.segments.length === 1 || graph.audioFrom) {
    await Promise.all(graph.segments.map(job.ready));
    await runProcess(ffmpegPath(), videoArgs(graph), { signal, nice: RENDER_NICE });
    return;
  }

  // One failed part stops the others: the render has failed either way.
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  const workers = Math.min(MAX_WORKERS, Math.max(2, availableParallelism()));
  // A storyboard with camera moves has a part per shot, possibly more than cores: they take turns.
  const slots = slotPool(workers);
  const parts = planParts(graph.segments, workers).map((part, i) => ({
    ...part,
    plain: join(job.work, `part-${i}.mp4`),
    marked: join(job.work, `part-${i}-marked.mp4`),
  }));
  try {
    const encodes = parts.map(async (part) => {
      const segments = part.segments.map((i) => graph.segments[i]);
      await Promise.all(segments.map(job.ready));
      const whole = part.start === 0 && part.end === segments.reduce((sum, s) => sum + s.frames, 0);
      await slots(() =>
        runProcess(
          ffmpegPath(),
          videoArgs({
            ...graph,
            segments,
            range: whole ? undefined : { start: part.start, end: part.end },
            threads: 1,
            audioFile: undefined,
            out: part.plain,
            watermark: graph.watermark && { ...graph.watermark, out: part.marked },
          }),
          { signal: stop.signal, nice: RENDER_NICE },
        ),
      );
    });
    await settleAll(encodes, stop);

    const outputs = [{ out: graph.out, parts: parts.map((p) => p.plain), list: join(job.work, 'parts.txt') }];
    if (graph.watermark) outputs.push({ out: graph.watermark.out, parts: parts.map((p) => p.marked), list: join(job.work, 'parts-marked.txt') });
    await settleAll(
      outputs.map(async (o) => {
        await writeJoinList(o.list, o.parts);
        await runProcess(ffmpegPath(), joinArgs({ list: o.list, audioFile: graph.audioFile, out: o.out }), { signal: stop.signal, nice: RENDER_NICE });
      }),
      stop,
    );
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Waits for every task; on the first failure aborts the rest, and throws that failure once all have ended. */
async function settleAll(tasks: Array<Promise<unknown>>, stop: AbortController): Promise<void> {
  let failure: { err: unknown } | undefined;
  await Promise.all(
    tasks.map((t) =>
      t.catch((err: unknown) => {
        failure ??= { err };
        stop.abort(err);
      }),
    ),
  );
  if (failure) throw failure.err;
}

/** Runs at most `size` functions at once, in the order they asked. */
function slotPool(size: number): <T>(run: () => Promise<T>) => Promise<T> {
  let busy = 0;
  const waiting: Array<() => void> = [];
  return async (run) => {
    // A finished run hands its slot straight to the next waiter, so `busy` never passes `size`.
    if (busy >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    else busy++;
    try {
      return await run();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else busy--;
    }
  };
}
