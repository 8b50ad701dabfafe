import { describe, expect, it } from 'vitest';
import type { TaskObject } from '@kiln/contract';
import { relayedParentVideo } from './parent-video.ts';

const upstreamTask = (parent: { id: string; url: string; duration: string }) =>
  ({ task_id: 'up-t', task_status: 'succeed', task_info: { parent_video: parent }, created_at: 0, updated_at: 0 }) as TaskObject;
const theirs = { id: 'up-v', url: 'https://upstream.example/v.mp4', duration: '5' };
const stored = { id: 'k-v', tenant_id: 't', task_id: 'k-t', kind: 'video', seconds: 5, file: 'video-0.mp4', created_at: 1_000 };

describe("a relayed task's parent_video", () => {
  it("is kiln's stored video when the request named it, never the upstream's id or URL", async () => {
    const parent = await relayedParentVideo(upstreamTask(theirs), { video_id: 'k-v' }, 't', new Map([['up-v', 'k-v']]), undefined, async (_t, id) => (id === 'k-v' ? stored : undefined));
    expect(parent).toEqual({ id: 'k-v', seconds: 5, taskId: 'k-t', file: 'video-0.mp4', expiresAt: 1_000 + 30 * 86_400_000 });
  });

  it("is the session's video for a task made in a session; an uploaded one (an empty video_id beside it) shows the client's URL", async () => {
    const fromSession = await relayedParentVideo(upstreamTask(theirs), { session_id: 'k-s' }, 't', new Map(), { video_id: 'k-v' }, async () => stored);
    expect(fromSession).toMatchObject({ id: 'k-v', taskId: 'k-t' });
    const uploaded = await relayedParentVideo(upstreamTask({ ...theirs, id: '' }), { session_id: 'k-s' }, 't', new Map(), { video_url: 'https://client.example/mine.mp4' }, async () => undefined);
    expect(uploaded).toEqual({ id: '', seconds: 5, url: 'https://client.example/mine.mp4' });
    const unknown = await relayedParentVideo(upstreamTask(theirs), { video_id: '', video_url: 'https://client.example/v.mp4' }, 't', new Map(), undefined, async () => undefined);
    expect(unknown).toEqual({ id: '', seconds: 5, url: 'https://client.example/v.mp4' });
  });
});
