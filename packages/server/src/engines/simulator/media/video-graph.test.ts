// The ffmpeg command line: one output per file, audio only when there is a soundtrack, exact frame counts.

import { describe, expect, it } from 'vitest';
import { videoArgs, type GraphSpec } from './video-graph.ts';

const spec = (over: Partial<GraphSpec> = {}): GraphSpec => ({
  width: 1280,
  height: 720,
  fps: 24,
  barHeight: 6,
  segments: [{ card: '/w/card-0.png', frames: 120, barColour: '0x112233' }],
  out: '/w/out.mp4',
  ...over,
});

const valueAfter = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('videoArgs', () => {
  it('encodes one H.264 MP4 with the exact frame count and no audio by default', () => {
    const args = videoArgs(spec());
    expect(args.at(-1)).toBe('/w/out.mp4');
    expect(valueAfter(args, '-frames:v')).toBe('120');
    expect(valueAfter(args, '-r')).toBe('24');
    expect(valueAfter(args, '-c:v')).toBe('libx264');
    expect(args).not.toContain('-c:a');
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
  });

  it('stream-copies the soundtrack into every output', () => {
    const args = videoArgs(
      spec({ audioFile: '/cache/tone.m4a', watermark: { png: '/w/wm.png', left: 10, top: 600, out: '/w/marked.mp4' } }),
    );
    const outputs = args.filter((a) => a.endsWith('.mp4') && !a.startsWith('/cache'));
    expect(outputs).toEqual(['/w/out.mp4', '/w/marked.mp4']);
    expect(args.filter((a) => a === '-c:a')).toHaveLength(2);
    expect(args.filter((a) => a === '2:a')).toHaveLength(2);
    expect(valueAfter(args, '-filter_complex')).toContain('overlay=x=10:y=600');
  });

  it('joins shots with concat, each shot lasting its own frames', () => {
    const args = videoArgs(
      spec({
        segments: [
          { card: '/w/a.png', frames: 48, barColour: '0x111111' },
          { card: '/w/b.png', frames: 72, barColour: '0x222222' },
        ],
      }),
    );
    const graph = valueAfter(args, '-filter_complex');
    // The card's distinct frames (one per bar step, 8 a second), repeated to exactly the shot's frames.
    expect(graph).toContain('loop=loop=15:');
    expect(graph).toContain('trim=end_frame=48,');
    expect(graph).toContain('loop=loop=23:');
    expect(graph).toContain('trim=end_frame=72,');
    expect(graph).toContain('concat=n=2:v=1:a=0');
    expect(valueAfter(args, '-frames:v')).toBe('120');
  });

  it('holds the first and end images around the card within the shot’s frames', () => {
    const args = videoArgs(
      spec({
        segments: [
          {
            card: '/w/card.png',
            frames: 120,
            barColour: '0x1',
            intro: { png: '/w/first.png', frames: 12 },
            outro: { png: '/w/last.png', frames: 12 },
          },
        ],
      }),
    );
    expect(args.filter((a) => a.endsWith('.png'))).toEqual(['/w/first.png', '/w/card.png', '/w/last.png']);
    const graph = valueAfter(args, '-filter_complex');
    expect(graph).toContain('[0:v]format=yuv420p,loop=loop=11:');
    expect(graph).toContain('[1:v]format=yuv420p,loop=loop=31:');
    expect(graph).toContain('setpts=N*3,fps=24,tpad=stop=-1:stop_mode=clone,trim=end_frame=96,setpts=N');
    expect(graph).toContain('[2:v]format=yuv420p,loop=loop=11:');
    expect(graph).toContain('[in0][s0][out0]concat=n=3:v=1:a=0[cat]');
    expect(valueAfter(args, '-frames:v')).toBe('120');
  });

  it('draws the text layer over a moving layer from the end of the hold, the bar starting there too', () => {
    const args = videoArgs(
      spec({
        segments: [
          {
            card: '',
            frames: 120,
            barColour: '0x1',
            moving: { input: '/w/scene.png', filters: 'format=yuv420p,zoompan=d=120', overlay: '/w/text.png', overlayFrom: 12 },
          },
        ],
      }),
    );
    expect(args.filter((a) => a.endsWith('.png'))).toEqual(['/w/scene.png', '/w/text.png']);
    const graph = valueAfter(args, '-filter_complex');
    expect(graph).toContain('[0:v]format=yuv420p,zoompan=d=120,trim=end_frame=120,settb=1/24,setpts=N,setsar=1[m0]');
    expect(graph).toContain("[m0][t0]overlay=0:0:enable='gte(n,12)'[c0]");
    expect(graph).toContain("overlay=x='-w+w*(n+1-12)/108'");
  });

  it('opens an input video once for its pictures and its sound, encoding the sound to the exact length', () => {
    const args = videoArgs(
      spec({
        segments: [{ card: '', frames: 120, barColour: '0x1', moving: { input: '/w/in.mp4', filters: 'fps=24', overlay: '/w/text.png', overlayFrom: 12 } }],
        audioFrom: { input: '/w/in.mp4', seconds: 5 },
        watermark: { png: '/w/wm.png', left: 10, top: 600, out: '/w/marked.mp4' },
      }),
    );
    expect(args.filter((a) => a === '-i')).toHaveLength(3);
    const graph = valueAfter(args, '-filter_complex');
    expect(graph).toContain('[0:a]aresample=48000,apad,atrim=end=5,asplit=2[a0][a1]');
    expect(args.filter((a) => a === 'aac')).toHaveLength(2);
    expect(args).not.toContain('copy');
  });
});

describe('videoArgs for one part of a video', () => {
  it('starts drawing where the part starts, the bar where it is by then, and encodes only the range', () => {
    // 120 card frames in 40 bar steps of 3 frames; the part is frames 61–119.
    const args = videoArgs(spec({ range: { start: 61, end: 120 }, threads: 1 }));
    const graph = valueAfter(args, '-filter_complex');
    expect(graph).toContain('loop=loop=19:');
    expect(graph).toContain("overlay=x='-w+w*(n+1+20)/40'");
    expect(graph).toContain('tpad=stop=-1:stop_mode=clone,trim=start_frame=1:end_frame=60,setpts=N');
    expect(graph).toContain('trim=start_frame=0:end_frame=59,settb=1/24,setpts=N,setsar=1[range]');
    expect(valueAfter(args, '-frames:v')).toBe('59');
    expect(valueAfter(args, '-threads')).toBe('1');
  });

  it('makes and drops the frames before a part that starts inside a hold', () => {
    const args = videoArgs(
      spec({ segments: [{ card: '/w/card.png', frames: 120, barColour: '0x1', intro: { png: '/w/first.png', frames: 12 } }], range: { start: 6, end: 60 } }),
    );
    const graph = valueAfter(args, '-filter_complex');
    expect(graph).toContain('[in0]');
    expect(graph).toContain('trim=start_frame=6:end_frame=60,settb=1/24');
    expect(valueAfter(args, '-frames:v')).toBe('54');
  });
});
