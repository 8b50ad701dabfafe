// The line at the top of every simulated video frame: what was rendered, so a user checking a request (`--mode pro`,
// `sound on`, a storyboard) can read the answer off the picture.

/** What the request asked for, as the caller knows it; the renderer itself only sees the plan. */
export interface RenderedAs {
  /** The model that produced the task, e.g. "kling-v2-6". */
  model?: string;
  /** The request's mode ("std", "pro"), as sent or defaulted. */
  mode?: string;
}

export interface LabelFacts {
  /** Absent when the caller did not say (a picture rendered as part of another output): then neither is sound shown. */
  renderedAs?: RenderedAs;
  /** Whether this render writes a soundtrack. */
  sound: boolean;
  editing: boolean;
  /** 0-based. */
  shot: number;
  shots: number;
  seconds: number;
  width: number;
  height: number;
}

/**
 * e.g. "KILN · kling-v2-6 · pro · sound on · SHOT 2 OF 3 · 3 S · 1920×1080". Model and mode are shown as the API
 * spells them (lower case), so they read exactly as in the request; the rest stays in capitals as before.
 */
export function videoLabel(f: LabelFacts): string {
  const parts = ['KILN'];
  if (f.renderedAs) {
    // Sound is only named beside the model and mode: a caller that adds the soundtrack later (talking videos)
    // renders a silent picture here, and "sound off" would be wrong on its final video.
    if (f.renderedAs.model) parts.push(f.renderedAs.model);
    if (f.renderedAs.mode) parts.push(f.renderedAs.mode);
    parts.push(f.sound ? 'sound on' : 'sound off');
  }
  if (f.editing) parts.push('EDIT OF THE INPUT VIDEO');
  if (f.shots > 1) parts.push(`SHOT ${f.shot + 1} OF ${f.shots}`);
  parts.push(formatSeconds(f.seconds), `${f.width}×${f.height}`);
  return parts.join(' · ');
}

function formatSeconds(seconds: number): string {
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} S`;
}
