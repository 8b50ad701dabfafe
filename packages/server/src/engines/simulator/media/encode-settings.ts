// The encoder settings every rendered video uses, in one place so benchmarks can encode a baseline the same way.

/**
 * H.264 in the fastest preset. Simulated frames are mostly static, and under CRF x264 gives near-empty P-frames a
 * QP far below the keyframe's (12 against 20), so it re-codes every text edge in every frame: a card with a prompt
 * encoded ~2× slower than a flat colour. A QP floor at the keyframe's level keeps static blocks skipped (100% skip)
 * with no visible change, since nothing finer than the keyframe was ever shown.
 */
export const VIDEO_CODEC_ARGS = [
  '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23', '-x264-params', 'qpmin=20', '-pix_fmt', 'yuv420p',
] as const;

/** MP4 with the index up front, so players can start before the download ends. */
export const CONTAINER_ARGS = ['-movflags', '+faststart', '-f', 'mp4'] as const;

export const AUDIO_SAMPLE_RATE = 48_000;

/**
 * The nice value video encodes run at. The API shares the machine (and, embedded, the process) with the renderers:
 * four 1080p encodes keep every core busy with a dozen x264 threads, and at equal priority a request could wait a
 * whole scheduler period (20+ ms) for a core. At nice 10 the API's thread preempts them when it wakes. On an
 * otherwise idle machine a render is exactly as fast; the render bench runs its baseline encode at the same value.
 */
export const RENDER_NICE = 10;
