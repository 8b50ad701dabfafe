// Output files of a task, whatever its result lists are called, with stable names.

import { describe, expect, it } from 'vitest';
import type { TaskObject } from '@kiln/contract';
import { taskOutputs } from './outputs.ts';

const base = { task_id: '900', task_status: 'succeed', task_info: {}, created_at: 1, updated_at: 2 } as const;

describe('taskOutputs', () => {
  it('names videos and images by task id and index, keeping the URL extension', () => {
    const task: TaskObject = {
      ...base,
      task_result: {
        videos: [{ id: 'v', url: 'https://cdn.example/a/b.mov?sig=1', watermark_url: 'https://cdn.example/w.mp4', duration: '5' }],
        images: [{ index: 0, url: 'https://cdn.example/x.jpg' }, { index: 1, url: 'https://cdn.example/y' }],
        series_images: [{ index: 0, url: 'https://cdn.example/x.jpg' }],
      },
    };
    expect(taskOutputs(task).map((o) => [o.kind, o.fileName])).toEqual([
      ['video', '900-0.mov'], ['image', '900-0.jpg'], ['image', '900-1.png'],
    ]);
    expect(taskOutputs(task, { watermarked: true }).map((o) => o.fileName)).toEqual(['900-0-watermark.mp4']);
  });

  it('reads result lists it has never heard of (families added later)', () => {
    const task = { ...base, task_result: { audios: [{ id: 'a', url: 'https://cdn.example/s.wav' }] } } as unknown as TaskObject;
    expect(taskOutputs(task)).toEqual([expect.objectContaining({ kind: 'audio', fileName: '900-0.wav' })]);
  });
});
