// The simulator's media toolkit: render plans to real files, probe them, load input images.

export { ffmpegPath, ffprobePath } from './ffmpeg-paths.ts';
export { runProcess, type RunOptions, type RunResult } from './run-process.ts';
export { probeMedia, type ProbedMedia, type ProbedVideo, type ProbedAudio } from './probe.ts';
export { loadImageInput, fetchImage, fetchLimited, MAX_IMAGE_BYTES, type ImageFetcher, type LoadedImage } from './load-image.ts';
export { MAX_VIDEO_BYTES, type VideoFetcher } from './reference-video.ts';
export { renderVideo, type RenderedVideo, type VideoRenderOptions } from './render-video.ts';
export { renderImages, type RenderedImage, type ImageRenderOptions } from './render-image.ts';
export { VIDEO_CODEC_ARGS, CONTAINER_ARGS, RENDER_NICE } from './encode-settings.ts';
export { renderSound, type RenderedSound } from './render-sound.ts';
export { renderExpand, type ExpandedImage } from './render-expand.ts';
export { renderTryOn, type TryOnImage } from './render-try-on.ts';
export { renderMultiView, type RenderedViewSet } from './render-multi-view.ts';
export { renderDub, type DubbedVideo } from './render-dub.ts';
export { renderTalking, type TalkingVideo } from './render-talking.ts';
export { renderExtension, type ExtendedVideo } from './render-extend.ts';
