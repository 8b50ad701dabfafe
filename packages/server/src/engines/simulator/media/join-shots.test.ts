// The join of separately encoded shots: the list the concat demuxer reads, and a copy with no re-encode.

import { describe, expect, it } from 'vitest';
import { joinArgs, joinList } from './join-shots.ts';

const valueAfter = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('joinList', () => {
  it('lists the parts in order, quoting paths as the concat demuxer reads them', () => {
    expect(joinList(['/w/shot-0.mp4', "/w/it's/shot-1.mp4"])).toBe("file '/w/shot-0.mp4'\nfile '/w/it'\\''s/shot-1.mp4'\n");
  });
});

describe('joinArgs', () => {
  it('copies the video, adds the soundtrack as a copied stream, and writes an MP4 that starts playing early', () => {
    const args = joinArgs({ list: '/w/shots.txt', audioFile: '/cache/tone.m4a', out: '/w/out.mp4' });
    expect(valueAfter(args, '-f')).toBe('concat');
    expect(valueAfter(args, '-c')).toBe('copy');
    expect(args.filter((a) => a === '-map')).toHaveLength(2);
    expect(valueAfter(args, '-movflags')).toBe('+faststart');
    expect(args.at(-1)).toBe('/w/out.mp4');
  });

  it('writes no audio stream without a soundtrack', () => {
    const args = joinArgs({ list: '/w/shots.txt', out: '/w/out.mp4' });
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
    expect(args.filter((a) => a === '-map')).toHaveLength(1);
  });
});
