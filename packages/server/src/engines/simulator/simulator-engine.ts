// The simulator engine: renders real media that follows the request (sizes, durations, frames, audio), with
// ffmpeg in child processes and sharp on its own threads, so the API's event loop stays free while it works.

import path from 'node:path';
import type { OutputPlan } from '@kiln/contract';
import type { TaskRow } from '../../store/tasks.ts';
import type { StoredResult } from '../../tasks/stored-result.ts';
import { TaskFailure, type Engine, type EngineContext } from '../engine.ts';

export class SimulatorEngine implements Engine {
  readonly name = 'simulator';

  async produce(task: TaskRow, plan: OutputPlan, context: EngineContext): Promise<StoredResult> {
    try {
      // Loaded on first use: an API-only process never pays for sharp and the renderers.
      const { renderVideo } = await import('./media/render-video.ts');
      const { renderImages } = await import('./media/render-image.ts');
      if (plan.kind === 'video') {
        const file = 'video.mp4';
        const watermarkFile = plan.watermark ? 'video-watermark.mp4' : undefined;
        const out = await renderVideo(plan, path.join(context.outputDir, file), {
          fetchImage: context.fetchImage,
          watermarkFile: watermarkFile && path.join(context.outputDir, watermarkFile),
        });
        // Video ids are numeric strings like task ids; one video per task, so the task id serves.
        return { videos: [{ id: task.id, file, watermarkFile, seconds: out.seconds }] };
      }
      const images = await renderImages(plan, context.outputDir, { fetchImage: context.fetchImage });
      return {
        images: images.map((img) => ({
          index: img.index,
          file: path.basename(img.file),
          watermarkFile: img.watermarkFile && path.basename(img.watermarkFile),
        })),
        series: task.family === 'omni-image' ? plan.series : undefined,
      };
    } catch (error) {
      if (error instanceof TaskFailure) throw error;
      // Input images that cannot be fetched or decoded fail the task, as Kling does, with the reason.
      if (error instanceof Error && /image/i.test(error.message)) throw new TaskFailure(error.message);
      throw error;
    }
  }
}
