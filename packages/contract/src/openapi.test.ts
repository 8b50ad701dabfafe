import { describe, expect, it } from 'vitest';
import { buildOpenApi } from './openapi.ts';
import { families } from './families/index.ts';
import { actions } from './actions/index.ts';

const doc = buildOpenApi(families, actions) as any;
const bodyOf = (path: string) => doc.paths[path].post.requestBody.content['application/json'].schema;

describe('openapi.json shows each media field\'s limits', () => {
  it('as x-kling-limits data and in words', () => {
    const video = bodyOf('/v1/videos/motion-control').properties.video_url;
    expect(video['x-kling-limits']).toEqual({ formats: ['mp4', 'mov'], maxBytes: 100 * 1024 * 1024, minEdge: 340, maxEdge: 3850 });
    expect(video.description).toBe('mp4 or mov, ≤ 100 MB, each side 340–3850 px');
    expect(video).not.toHaveProperty('limits');
    const image = bodyOf('/v1/videos/motion-control').properties.image_url;
    expect(image.description).toBe('jpg, jpeg or png, ≤ 10 MB, each side 300–65536 px, ratio 1:2.5–2.5:1');
  });

  it('inside arrays, unions and synchronous endpoints too', () => {
    const omniVideo = bodyOf('/v1/videos/omni-video').properties.video_list.items.properties.video_url;
    expect(omniVideo.description).toBe('mp4 or mov, ≤ 200 MB, each side 720–2160 px, ≥ 3 s, 24–60 fps');
    const tail = bodyOf('/v1/videos/image2video').properties.image_tail.anyOf.find((s: any) => s['x-kling-limits']);
    expect(tail.description).toBe('jpg, jpeg or png, ≤ 10 MB, each side at least 300 px');
    const upload = bodyOf('/v1/videos/multi-elements/init-selection').properties.video_url.anyOf.find((s: any) => s['x-kling-limits']);
    expect(upload['x-kling-limits'].fps).toEqual([24, 30, 60]);
    expect(upload.description).toBe('mp4 or mov, ≤ 200 MB, each side 720–2160 px, 24, 30 or 60 fps');
  });
});
