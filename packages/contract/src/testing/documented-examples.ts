// One documented create request per family, as Kling's pages print it (sources in brackets, as in the family
// tests; `xxx` placeholders filled with the pages' own sample URLs). Tests that must hold for every family (null and
// "" meaning "not given", fuzzing) start from these. A family added to the contract needs an entry here.

import { DOCUMENTED_STORYBOARD } from './documented-storyboard.ts';

const CDN = 'https://p2-kling.klingai.com/kcdn/cdn-kcdn112452/kling-qa-test';
const IMG = `${CDN}/multi-4.png`;
const TAIL = `${CDN}/video_effects/1.png`;
const VIDEO = `${CDN}/dance.mp4`;
const SOUND = `${CDN}/go-to-world.mp3`;

export const DOCUMENTED_EXAMPLES: Record<string, Record<string, unknown>> = {
  // [OFF], [004 «Video Omni»]
  'omni-video': {
    model_name: 'kling-video-o1', prompt: 'Make the person in <<<image_1>>> wave to the camera',
    image_list: [{ image_url: IMG }], duration: '5', mode: 'pro', aspect_ratio: '16:9', callback_url: '', external_task_id: '',
  },
  // [OFF] "Text To Video with Multiple Shot"
  text2video: {
    model_name: 'kling-v3', prompt: '', multi_prompt: DOCUMENTED_STORYBOARD, multi_shot: true, shot_type: 'customize',
    duration: '15', mode: 'pro', sound: 'on', aspect_ratio: '9:16', callback_url: '', external_task_id: '',
  },
  // [OFF], [004 «Image to Video»]
  image2video: {
    model_name: 'kling-v2-6', image: IMG, image_tail: TAIL, prompt: 'Camera zooms out, the girl smiles', negative_prompt: '',
    duration: '5', mode: 'pro', sound: 'off', callback_url: '', external_task_id: '',
  },
  // [OFF], [004 «Reference to Video»]
  'multi-image2video': {
    model_name: 'kling-v1-6', image_list: [{ image: IMG }, { image: TAIL }],
    prompt: 'A white Bichon Frise wearing a red Northeast-style floral cotton jacket, licking its paw', negative_prompt: '',
    mode: 'pro', duration: '5', aspect_ratio: '16:9', callback_url: '', external_task_id: '',
  },
  // [VD], [004 «Video Effects»]
  effects: { effect_scene: 'color_mixing', input: { image: IMG } },
  // [OFF], [004 «Avatar»]
  'avatar/image2video': {
    image: IMG, sound_file: SOUND, mode: 'std', external_task_id: '', callback_url: '',
    prompt: 'While talking, excitedly shaking head, finally reaching out and making a fist, deciding to set off, hopping happily',
  },
  // [OFF], [004 «Motion Control»]
  'motion-control': {
    model_name: 'kling-v2-6', image_url: IMG, prompt: 'The girl is wearing a loose gray T-shirt and denim shorts',
    video_url: VIDEO, keep_original_sound: 'yes', character_orientation: 'image', mode: 'pro', callback_url: '', external_task_id: 'xxx',
  },
  // [OFF], [004 «Extend Video»]
  'video-extend': { prompt: 'A puppy appears', video_id: '743211632612511839', negative_prompt: '', callback_url: '' },
  // [OFF], [004 «Multi-elements to video»]
  'multi-elements': {
    model_name: 'kling-v1-6', session_id: '847570360458960960', edit_mode: 'removal', image_list: [],
    prompt: 'Delete the chick from <<<video_1>>>', negative_prompt: '', mode: 'std', duration: '5', callback_url: '', external_task_id: '',
  },
  // [OFF], [004 «Lip Sync»]
  'advanced-lip-sync': {
    session_id: '850508686686064678',
    face_choose: [{ face_id: '0', sound_file: SOUND, sound_insert_time: 1000, sound_start_time: 0, sound_end_time: 3000, sound_volume: 2, original_audio_volume: 2 }],
    external_task_id: '', callback_url: '',
  },
  // [DMX] transcribed example shape
  'lip-sync': {
    input: { video_url: VIDEO, mode: 'text2video', text: '你好', voice_id: 'genshin_vindi2', voice_language: 'zh', voice_speed: 1.0 },
    callback_url: '',
  },
  // [VD], [003], [004 «Image Omni»]
  'omni-image': {
    model_name: 'kling-image-o1', prompt: 'Merge all the people in the images into the <<<object_1>>> image',
    element_list: [{ element_id: '829836802793406551' }], image_list: [{ image: IMG }, { image: TAIL }],
    resolution: '2k', n: 1, aspect_ratio: '3:2',
  },
  // [VD], [004 «Image Generation»]
  generations: {
    model_name: 'kling-v2-1', prompt: 'Generate a Pixar-style puppy', negative_prompt: '', image: IMG, n: 2,
    external_task_id: '', callback_url: '',
  },
  // [VD], [004 «Reference to Image»]
  'multi-image2image': {
    model_name: 'kling-v2-1', prompt: 'Wearing a flowing red dress on the grassland, in Ghibli style.', negative_prompt: '',
    subject_image_list: [{ subject_image: IMG }, { subject_image: TAIL }], scene_image: IMG, style_image: TAIL, n: 2, aspect_ratio: '9:16',
  },
  // [OFF-old], [004 «Extend Image»]
  'editing/expand': {
    up_expansion_ratio: 0.1495, down_expansion_ratio: 0.1495, left_expansion_ratio: 0.6547, right_expansion_ratio: 0.6547,
    prompt: '', image: IMG, n: 2, external_task_id: '',
  },
  // [004 «Virtual Try-On»]
  'kolors-virtual-try-on': { model_name: 'kolors-virtual-try-on-v1-5', human_image: IMG, cloth_image: TAIL, callback_url: '', external_task_id: '' },
  // [OFF], [004 «Text to Audio»]
  'text-to-audio': { prompt: 'Fireworks sound during Chinese New Year celebration', duration: 3, external_task_id: '', callback_url: '' },
  // [OFF], [004 «Video to Audio»]
  'video-to-audio': { video_url: VIDEO, external_task_id: '', callback_url: '' },
  // [VD], [004 «AI Multi-Shot»]
  'ai-multi-shot': { element_frontal_image: IMG, external_task_id: '', callback_url: '' },
  // [OFF], [004 «Voice Clone»]
  'custom-voices': { video_id: '', voice_url: SOUND, voice_name: 'Custom Voice', callback_url: '' },
  // [OFF], [004 «Element»]
  'advanced-custom-elements': {
    element_name: 'Ann', element_description: 'a girl', reference_type: 'image_refer',
    element_image_list: { frontal_image: IMG, refer_images: [{ image_url: TAIL }, { image_url: IMG }] },
    element_voice_id: '850087542757535834', callback_url: 'https://example.com/kling-callback', external_task_id: '',
    tag_list: [{ tag_id: 'o_102' }],
  },
};
