// One documented create request per new-standard endpoint, as the vendor pages print them (new-standard.md §3;
// the 2.6 i2v and 3.0 Omni bodies are copied from their pages' request examples, the others follow each page's
// tables with the pages' own sample URLs). Tests that must hold for every endpoint start from these.

const RELEASE = 'https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-tob-release_note';
const IMG = `${RELEASE}/image_7.1.png`;
const VIDEO = `${RELEASE}/video_7.1.mp4`;
const PARROT = 'Change the color of the parrot’s feathers to match the reference image. Keep all other elements of the video unchanged.';
const OPTIONS = { callback_url: 'https://xxx/callback', external_task_id: '' };

export const NEW_STANDARD_EXAMPLES: Record<string, Record<string, unknown>> = {
  'text-to-video/kling-3.0-turbo': {
    prompt: 'shot 1, 2, a red fox trots across fresh snow; shot 2, 3, the fox looks back at the camera;',
    settings: { resolution: '1080p', aspect_ratio: '16:9', duration: 5 },
    options: { ...OPTIONS, watermark_info: { enabled: false } },
  },
  'text-to-video/kling-3.0': {
    prompt: 'A lighthouse on a cliff at dusk, waves crashing below',
    settings: { multi_shot: false, audio: 'native', resolution: '1080p', aspect_ratio: '16:9', duration: 5 },
    options: OPTIONS,
  },
  'text-to-video/kling-2.6': {
    prompt: 'A street musician plays violin in the rain',
    settings: { audio: 'native', resolution: '1080p', aspect_ratio: '9:16', duration: 5 },
    options: OPTIONS,
  },
  'text-to-video/kling-2.5-turbo': {
    prompt: 'A paper boat drifts down a gutter stream',
    settings: { resolution: '720p', aspect_ratio: '1:1', duration: 10 },
    options: OPTIONS,
  },
  'image-to-video/kling-3.0-turbo': {
    contents: [{ type: 'prompt', text: 'The girl turns and smiles' }, { type: 'first_frame', url: `${RELEASE}/image_25.png` }],
    settings: { resolution: '720p', duration: 5 },
    options: { ...OPTIONS, watermark_info: { enabled: false } },
  },
  'image-to-video/kling-3.0': {
    contents: [
      { type: 'prompt', text: '@Zhang walks from the first frame to the last' },
      { type: 'first_frame', url: IMG },
      { type: 'last_frame', url: IMG },
      { type: 'element', element_id: '163', id: 'Zhang' },
    ],
    settings: { multi_shot: false, audio: 'native', resolution: '1080p', duration: 5 },
    options: OPTIONS,
  },
  // The page's request example, verbatim.
  'image-to-video/kling-2.6': {
    contents: [
      { type: 'prompt', text: 'A girl sat on the train, looking out the window with a melancholic expression, her head swaying with the train, @1 whispers softly.' },
      { type: 'first_frame', url: `${RELEASE}/image_25.png` },
      { type: 'voice', voice_id: '891495440020668439', id: '1' },
    ],
    settings: { audio: 'native', resolution: '1080p', duration: 5 },
    options: { ...OPTIONS, watermark_info: { enabled: true } },
  },
  'image-to-video/kling-2.5-turbo': {
    contents: [{ type: 'prompt', text: 'The flower opens' }, { type: 'first_frame', url: IMG }, { type: 'last_frame', url: IMG }],
    settings: { resolution: '1080p', duration: 5 },
    options: OPTIONS,
  },
  // The page's request example ("Only prompt"), verbatim: no aspect_ratio, the documented default 16:9 applies.
  'omni-video/kling-3.0-omni': {
    contents: [{ type: 'prompt', text: PARROT }],
    settings: { resolution: '1080p', duration: 5, audio: 'native', multi_shot: false },
    options: OPTIONS,
  },
  'omni-video/kling-o1': {
    contents: [
      { type: 'element', element_id: '163', id: 'element_1' },
      { type: 'prompt', text: '@element_1 stands where @image_1 shows' },
      { type: 'first_frame', url: IMG, id: 'image_1' },
      { type: 'refer_image', url: IMG, id: 'image_2' },
    ],
    settings: { resolution: '1080p', aspect_ratio: '16:9', duration: 3 },
    options: OPTIONS,
  },
  'motion-control/kling-3.0': {
    contents: [
      { type: 'prompt', text: 'The character dances on a stage' },
      { type: 'image', url: IMG },
      { type: 'video', url: VIDEO },
    ],
    settings: { character_orientation: 'image', audio: 'original', resolution: '720p' },
    options: OPTIONS,
  },
  'motion-control/kling-2.6': {
    contents: [{ type: 'image', url: IMG }, { type: 'video', url: VIDEO }],
    settings: { character_orientation: 'video', resolution: '1080p' },
    options: OPTIONS,
  },
};

/** 3.0 Omni's other documented scenarios (the page's "More Scenario Examples"), verbatim. */
export const OMNI_3_SCENARIOS: Record<string, Record<string, unknown>> = {
  'first_frame & refer_image': {
    contents: [{ type: 'prompt', text: PARROT }, { type: 'first_frame', url: IMG, id: 'image_1' }, { type: 'refer_image', url: IMG, id: 'image_2' }],
    settings: { resolution: '1080p', duration: 5, audio: 'native', multi_shot: false },
    options: OPTIONS,
  },
  'first_frame & last_frame & element': {
    contents: [
      { type: 'prompt', text: PARROT },
      { type: 'first_frame', url: IMG, id: 'image_1' },
      { type: 'last_frame', url: IMG, id: 'image_2' },
      { type: 'element', element_id: '162', id: 'element_1' },
      { type: 'element', element_id: '163', id: 'element_2' },
    ],
    settings: { resolution: '1080p', duration: 5, audio: 'native', multi_shot: true },
    options: OPTIONS,
  },
  feature_video: {
    contents: [{ type: 'prompt', text: PARROT }, { type: 'feature_video', url: VIDEO, id: 'video_1' }],
    settings: { resolution: '4k', audio: 'off', multi_shot: true },
    options: OPTIONS,
  },
  base_video: {
    contents: [{ type: 'prompt', text: PARROT }, { type: 'base_video', url: VIDEO, id: 'video_1' }],
    settings: { resolution: '1080p', audio: 'original', multi_shot: false },
    options: OPTIONS,
  },
};
