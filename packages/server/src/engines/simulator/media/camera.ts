// Camera moves (`camera_control`) as ffmpeg filters on a video's background layer: how far and how fast the view
// travels, zooms, rolls or turns, and how large a canvas the background needs so the view never runs off its edge.

import type { CameraMove } from '@kiln/contract';

/**
 * A move in the view's terms, per second. Every axis describes the camera, as Kling's documentation does, so the
 * picture moves the other way: a camera moving right slides the scene left.
 */
export interface Motion {
  /** ln of the magnification per second: > 0 narrows the view (the scene grows), < 0 widens it. */
  zoom: number;
  /** View centre travel in frame widths (x, + = right) and heights (y, + = down) per second. */
  x: number;
  y: number;
  /** View roll in radians per second, + = clockwise (the scene turns counter-clockwise). */
  roll: number;
  /** Keystone per second for a turning camera (pan: left/right, tilt: up/down): the share of the near edge cut away. */
  turn?: { axis: 'x' | 'y'; rate: number };
}

// Speeds at |amount| = 10; the amount scales them linearly ("magnitude = speed"). Chosen so a 5 s video at full
// strength moves a quarter frame, zooms ~1.5×, rolls 15°: clearly visible, never so far that the card is lost.
const SHIFT = 0.05;
const ZOOM = 0.08;
const ROLL = (3 * Math.PI) / 180;
const TURN_SHIFT = 0.06;
const TURN_KEYSTONE = 0.03;

/**
 * Axis meanings follow Kling's parameter descriptions: horizontal − left / + right; vertical − down / + up; zoom
 * − narrower / + wider field of view; roll − counter-clockwise / + clockwise. Sources disagree on pan and tilt
 * (spec §9): kiln follows the current reading, pan = rotation about the y-axis (− left / + right) and tilt =
 * rotation about the x-axis (− down / + up).
 */
export function motionOf(camera: CameraMove): Motion {
  const still: Motion = { zoom: 0, x: 0, y: 0, roll: 0 };
  switch (camera.type) {
    // The named moves have no strength of their own; each is a distinct mix at a moderate speed.
    case 'down_back': return { ...still, zoom: -0.05, y: 0.03 };
    case 'forward_up': return { ...still, zoom: 0.05, y: -0.03 };
    case 'right_turn_forward': return { ...still, zoom: 0.04, x: 0.04 };
    case 'left_turn_forward': return { ...still, zoom: 0.04, x: -0.04 };
    case 'simple': break;
  }
  const k = (camera.amount ?? 0) / 10;
  switch (camera.axis) {
    case 'horizontal': return { ...still, x: SHIFT * k };
    case 'vertical': return { ...still, y: -SHIFT * k };
    case 'zoom': return { ...still, zoom: -ZOOM * k };
    case 'roll': return { ...still, roll: ROLL * k };
    case 'pan': return { ...still, x: TURN_SHIFT * k, turn: { axis: 'x', rate: TURN_KEYSTONE * k } };
    case 'tilt': return { ...still, y: -TURN_SHIFT * k, turn: { axis: 'y', rate: -TURN_KEYSTONE * k } };
    default: return still;
  }
}

export interface CameraLayer {
  /** The background canvas to draw, in pixels: the frame (at workScale) in its centre, more scene around it. */
  canvas: { width: number; height: number };
  /**
   * The size the canvas is drawn at, relative to the output. Rotating and warping resample every pixel of every
   * frame (≈ 4× the cost of the whole encode at 1080p), so those moves work at half size and scale up at the end;
   * the sharp text layer drawn on top hides the softer background.
   */
  workScale: 1 | 0.5;
  /** Filters from the canvas still (one frame) to exactly `frames` frames of the output size. */
  filters: string;
}

const MAX_CANVAS = 2;
const MAX_ROLL = Math.PI / 4;
const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));
const num = (n: number) => Number(n.toFixed(6)).toString();

/** The moving background for `frames` frames of width × height. The first frame shows the canvas centre unmoved. */
export function cameraLayer(camera: CameraMove, width: number, height: number, fps: number, frames: number): CameraLayer {
  const m = motionOf(camera);
  const seconds = frames / fps;
  if (m.roll !== 0) return rollLayer(m.roll, width, height, fps, frames, seconds);

  // The view at the end is the widest reach: 1/magnification of the frame, shifted by the travel.
  const reach = Math.exp(-m.zoom * seconds);
  // Capped so a long video does not need a huge canvas; zoompan holds the view at the canvas edge past that.
  const canvasScale = Math.min(MAX_CANVAS, Math.max(1, reach + 2 * Math.abs(m.x) * seconds, reach + 2 * Math.abs(m.y) * seconds));
  const workScale = m.turn ? 0.5 : 1;
  const w = even(width * workScale);
  const h = even(height * workScale);
  const cw = even(w * canvasScale);
  const ch = even(h * canvasScale);
  // zoompan crops iw/zoom × ih/zoom: starting at the canvas/frame ratio shows the frame-sized centre 1:1.
  const z0 = cw / w;
  const t = `(on/${fps})`;
  const zoom = `${num(z0)}*exp(${num(m.zoom)}*${t})`;
  const x = `iw/2-iw/zoom/2+${num(m.x)}*${t}*iw/${num(z0)}`;
  const y = `ih/2-ih/zoom/2+${num(m.y)}*${t}*ih/${num(z0)}`;
  const filters = [`format=yuv420p`, `zoompan=z='${zoom}':x='${x}':y='${y}':d=${frames}:s=${w}x${h}:fps=${fps}`];
  if (m.turn) {
    filters.push(keystone(m.turn, fps), `scale=${width}:${height}:flags=bilinear`);
  }
  return { canvas: { width: cw, height: ch }, workScale, filters: filters.join(',') };
}

/**
 * A turning camera: besides sliding, the side it turns away from comes nearer. The near edge samples a shorter span
 * of the frame (it is magnified), so all samples stay inside the picture and nothing is smeared in from outside.
 */
function keystone(turn: NonNullable<Motion['turn']>, fps: number): string {
  const q = `min(0.3,${num(Math.abs(turn.rate))}*in/${fps})`;
  // Turning right (+x) magnifies the left edge; left magnifies the right edge. Tilting up (−y rate) magnifies the
  // bottom edge; down magnifies the top edge. Corners: 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right.
  const c = { x0: '0', y0: '0', x1: 'W', y1: '0', x2: '0', y2: 'H', x3: 'W', y3: 'H' };
  if (turn.axis === 'x' && turn.rate > 0) Object.assign(c, { y0: `H*${q}`, y2: `H*(1-${q})` });
  if (turn.axis === 'x' && turn.rate < 0) Object.assign(c, { y1: `H*${q}`, y3: `H*(1-${q})` });
  if (turn.axis === 'y' && turn.rate < 0) Object.assign(c, { x2: `W*${q}`, x3: `W*(1-${q})` });
  if (turn.axis === 'y' && turn.rate > 0) Object.assign(c, { x0: `W*${q}`, x1: `W*(1-${q})` });
  return `perspective=${Object.entries(c).map(([k, v]) => `${k}='${v}'`).join(':')}:eval=frame`;
}

function rollLayer(rate: number, width: number, height: number, fps: number, frames: number, seconds: number): CameraLayer {
  // The frame turned by the largest angle must fit inside the canvas.
  const a = Math.min(MAX_ROLL, Math.abs(rate) * seconds);
  const canvasScale = Math.max(
    (width * Math.cos(a) + height * Math.sin(a)) / width,
    (width * Math.sin(a) + height * Math.cos(a)) / height,
  );
  const w = even(width / 2);
  const h = even(height / 2);
  const filters = [
    'format=yuv420p',
    `loop=loop=${frames - 1}:size=1:start=0`,
    `settb=1/${fps}`,
    'setpts=N',
    // ffmpeg turns the picture clockwise for a positive angle; a clockwise camera turns the scene the other way.
    `rotate=a='${rate > 0 ? '-' : ''}min(${num(a)},${num(Math.abs(rate))}*t)':ow=${w}:oh=${h}`,
    `scale=${width}:${height}:flags=bilinear`,
  ];
  return { canvas: { width: even(w * canvasScale), height: even(h * canvasScale) }, workScale: 0.5, filters: filters.join(',') };
}
