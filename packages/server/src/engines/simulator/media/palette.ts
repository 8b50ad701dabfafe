// Deterministic colours for a prompt, so the same request always looks the same and different requests look different.

/** FNV-1a, 32-bit: stable across runs and platforms, unlike anything seeded. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Palette {
  hue: number;
  /** Flat background: flat areas cost x264 almost nothing, which keeps renders close to a plain encode. */
  background: string;
  /** A lighter shade of the same hue for shapes on the background. */
  shade: string;
  /** A bright colour for the progress bar and highlights. */
  accent: string;
  /** Text drawn on the background: white on the dark tone, a deep shade of the hue on the light one. */
  ink: string;
}

/** Dark cards carry white text; light ones dark text. Consecutive shots of a storyboard alternate between them. */
export type Tone = 'dark' | 'light';

// The golden angle spreads consecutive variants (shots, image indexes) far apart on the colour wheel.
const GOLDEN_ANGLE = 137.508;

/** The palette for a prompt; `variant` (shot or image index) turns the hue so siblings differ even with equal prompts. */
export function paletteFor(text: string, variant = 0): Palette {
  const hue = (hashText(text) % 360 + variant * GOLDEN_ANGLE) % 360;
  return {
    hue,
    // Dark enough for white text to stay legible at any hue.
    background: hsl(hue, 0.5, 0.28),
    shade: hsl(hue, 0.45, 0.38),
    accent: hsl((hue + 40) % 360, 0.9, 0.62),
    ink: '#ffffff',
  };
}

/**
 * The palette of shot `shot` of a storyboard. Scene-cut detectors (ffmpeg's `scene` score, PySceneDetect's content
 * detector) weigh brightness far above hue: a cut between two dark cards of different hues changes the mean luma by
 * ~30 of 255, a score of ~0.1 where 0.3 is the usual threshold. So shots alternate between a deep dark tone (white
 * text, like a single-shot card but darker) and a pale light one (dark text): at every hue, a cut between them moves
 * the background's luma by more than 150 and the discs' by more than 90.
 */
export function shotPalette(key: string, shot: number, tone: Tone): Palette {
  const base = paletteFor(key, shot);
  const { hue } = base;
  if (tone === 'dark') return { ...base, background: hsl(hue, 0.5, 0.2), shade: hsl(hue, 0.45, 0.3) };
  return {
    hue,
    background: hsl(hue, 0.6, 0.92),
    shade: hsl(hue, 0.5, 0.84),
    // Deep enough to read as a bar on the pale card and on the dark track under it.
    accent: hsl((hue + 40) % 360, 0.9, 0.42),
    ink: hsl(hue, 0.6, 0.12),
  };
}

/**
 * The tone of each shot: alternating, starting dark. When the first shot opens on a picture (the first-frame image)
 * of mean luma `openingLuma` (0–255), it counts as that picture's tone, so the second shot contrasts with it.
 */
export function shotTones(count: number, openingLuma?: number): Tone[] {
  const first: Tone = openingLuma !== undefined && openingLuma >= 128 ? 'light' : 'dark';
  const second: Tone = first === 'dark' ? 'light' : 'dark';
  return Array.from({ length: count }, (_, i) => (i % 2 === 0 ? first : second));
}

/** HSL (hue in degrees, s and l in 0..1) to #rrggbb. */
export function hsl(h: number, s: number, l: number): string {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
  const hex = (v: number) => Math.round((v + m) * 255).toString(16).padStart(2, '0');
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}
