// What the top line of a simulated video says: the request's model, mode and sound, then the shot and size.

import { describe, expect, it } from 'vitest';
import { videoLabel, type LabelFacts } from './frame-label.ts';

const facts = (over: Partial<LabelFacts> = {}): LabelFacts => ({
  sound: true,
  editing: false,
  shot: 0,
  shots: 1,
  seconds: 5,
  width: 1920,
  height: 1080,
  ...over,
});

describe('videoLabel', () => {
  it('names the model, mode and sound a request rendered with', () => {
    expect(videoLabel(facts({ renderedAs: { model: 'kling-v2-6', mode: 'pro' } }))).toBe('KILN · kling-v2-6 · pro · sound on · 5 S · 1920×1080');
    expect(videoLabel(facts({ renderedAs: { model: 'kling-v2-1', mode: 'std' }, sound: false, width: 1280, height: 720 }))).toBe(
      'KILN · kling-v2-1 · std · sound off · 5 S · 1280×720',
    );
  });

  it('names the shot of a storyboard and an edit', () => {
    expect(videoLabel(facts({ renderedAs: { model: 'kling-v3', mode: 'pro' }, sound: false, shot: 1, shots: 3, seconds: 2.5 }))).toBe(
      'KILN · kling-v3 · pro · sound off · SHOT 2 OF 3 · 2.5 S · 1920×1080',
    );
    expect(videoLabel(facts({ renderedAs: { model: 'kling-video-o1', mode: 'std' }, editing: true }))).toBe(
      'KILN · kling-video-o1 · std · sound on · EDIT OF THE INPUT VIDEO · 5 S · 1920×1080',
    );
  });

  it('leaves out what the caller does not know, and then the sound too', () => {
    expect(videoLabel(facts({ renderedAs: { mode: 'pro' } }))).toBe('KILN · pro · sound on · 5 S · 1920×1080');
    // A picture rendered silent for an output that gets its soundtrack later must not say "sound off".
    expect(videoLabel(facts({ sound: false }))).toBe('KILN · 5 S · 1920×1080');
  });
});
