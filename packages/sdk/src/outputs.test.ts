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

  it('finds the media of voices and elements: trial audio, element images and video, a bound voice', () => {
    const task = {
      ...base,
      task_result: {
        voices: [{ voice_id: 'v1', voice_name: 'Ada', trial_url: 'https://cdn.example/trial.mp3', owned_by: '7' }],
        elements: [{
          element_id: '42',
          element_image_list: { frontal_image: 'https://cdn.example/front.png', refer_images: [{ image_url: 'https://cdn.example/side.png' }] },
          element_video_list: { refer_videos: [{ video_url: 'https://cdn.example/walk.mp4' }] },
          element_voice_info: { voice_id: 'v1', trial_url: 'https://cdn.example/bound.mp3' },
          tag_list: [{ tag_id: 'o_102', tag_name: 'Character' }],
        }],
      },
    } as unknown as TaskObject;
    expect(taskOutputs(task).map((o) => [o.kind, o.fileName])).toEqual([
      ['voice', '900-0.mp3'],
      ['element', '900-0-1.png'], ['element', '900-0-2.png'], ['element', '900-0-3.mp4'], ['element', '900-0-4.mp3'],
    ]);
  });
});
