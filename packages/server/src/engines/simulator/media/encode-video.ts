// Runs the encode of a rendered video: one ffmpeg for a single shot; for a storyboard, one ffmpeg per shot, started
// as soon as that shot's pictures are drawn and run side by side, then joined without re-encoding.

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { RENDER_NICE } from './encode-settings.ts';
import { ffmpegPath } from './ffmpeg-paths.ts';
import { joinArgs, writeJoinList } from './join-shots.ts';
import { runProcess } from './run-process.ts';
import { videoArgs, type GraphSpec, type Segment } from './video-graph.ts';

export interface EncodeJob {
  graph: GraphSpec;
  /** Resolves when the segment's pictures are on disk. */
  ready: (segment: Segment) => Promise<unknown>;
  /** A folder for the parts, removed by the caller. */
  work: string;
  signal?: AbortSignal;
}

/**
 * Why shots in parallel: one ffmpeg keeps about 1.4 of 2 cores busy (x264's frame threads wait on each other and on
 * the single filter thread), and it could only start once every card was drawn. Separate encodes start as their
 * pictures arrive and together fill the cores. Every part uses the same GraphSpec settings, so the concat demuxer
 * joins them into one stream with no re-encode; the soundtrack is copied in at the join, so it spans the cuts.
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
  const slots = slotPool(Math.max(2, availableParallelism()));
  const parts = graph.segments.map((_, i) => ({ plain: join(job.work, `shot-${i}.mp4`), marked: join(job.work, `shot-${i}-marked.mp4`) }));
  try {
    const encodes = graph.segments.map(async (segment, i) => {
      await job.ready(segment);
      await slots(() =>
        runProcess(
          ffmpegPath(),
          videoArgs({
            ...graph,
            segments: [segment],
            audioFile: undefined,
            out: parts[i].plain,
            watermark: graph.watermark && { ...graph.watermark, out: parts[i].marked },
          }),
          { signal: stop.signal, nice: RENDER_NICE },
        ),
      );
    });
    await settleAll(encodes, stop);

    const outputs = [{ out: graph.out, parts: parts.map((p) => p.plain), list: join(job.work, 'shots.txt') }];
    if (graph.watermark) outputs.push({ out: graph.watermark.out, parts: parts.map((p) => p.marked), list: join(job.work, 'shots-marked.txt') });
    await settleAll(
      outputs.map(async (o) => {
        await writeJoinList(o.list, o.parts);
        await runProcess(ffmpegPath(), joinArgs({ list: o.list, audioFile: graph.audioFile, out: o.out }), { signal: stop.signal });
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
