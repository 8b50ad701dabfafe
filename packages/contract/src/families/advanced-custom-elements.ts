// Elements — POST /v1/general/advanced-custom-elements (spec §4.2): a reusable subject ("element") made from a frontal
// image and 1–3 other views (image_refer) or from one short video of a person (video_refer), usable by omni-video,
// image2video, omni-image and generations. Deleting and the preset list are actions (actions/general.ts).

import { Type, type Static } from '@sinclair/typebox';
import { defineFamily, NO_MODEL } from '../family.ts';
import { commonTaskFields, given, imageSource, oneOf, optionalId, videoUrl } from '../fields.ts';
import type { ElementPlan } from '../plan-more.ts';
import type { MediaLimits } from '../media-limits.ts';

/**
 * The video of a video character element (spec §4.2): mp4/mov, at most 200 MB, 16:9 or 9:16, "1080P". Kiln reads
 * "1080P" as Kling's working resolution, not a demand on the upload: each side 720–2160 px, as for other reference
 * videos (permissive on input). Its 3–8 s are the reference's window.
 */
export const ELEMENT_VIDEO_LIMITS = {
  formats: ['mp4', 'mov'], maxBytes: 200 * 1024 * 1024, minEdge: 720, maxEdge: 2160, aspects: ['16:9', '9:16'],
} as const satisfies MediaLimits;

/** Element tags: the ids a request sends, and the names answers show beside them. */
export const ELEMENT_TAG_NAMES = {
  o_101: 'Hottest', o_102: 'Character', o_103: 'Animal', o_104: 'Item', o_105: 'Costume', o_106: 'Scene', o_107: 'Effect', o_108: 'Others',
} as const;
export const ELEMENT_TAGS = Object.keys(ELEMENT_TAG_NAMES) as (keyof typeof ELEMENT_TAG_NAMES)[];

/** A tag's name; an id kiln does not know shows as itself. */
export const elementTagName = (id: string): string => (ELEMENT_TAG_NAMES as Record<string, string>)[id] ?? id;

const request = Type.Object({
  element_name: Type.String({ minLength: 1, maxLength: 20 }),
  element_description: Type.String({ minLength: 1, maxLength: 100 }),
  reference_type: oneOf(['video_refer', 'image_refer'] as const),
  // Required for image_refer; ignored for video_refer.
  element_image_list: Type.Optional(Type.Object({
    frontal_image: imageSource(),
    refer_images: Type.Array(Type.Object({ image_url: imageSource() }), { minItems: 1, maxItems: 3 }),
  })),
  // Required for video_refer ("invalid when referencing images": ignored for image_refer). One 3–8 s video.
  element_video_list: Type.Optional(Type.Object({
    refer_videos: Type.Array(Type.Object({ video_url: videoUrl({ limits: ELEMENT_VIDEO_LIMITS }) }), { minItems: 1, maxItems: 1 }),
  })),
  // Binding a voice was for video elements only, and for multi-image elements too since 03/23/2026 (character
  // images): kiln accepts it for both.
  element_voice_id: Type.Optional(optionalId()),
  tag_list: Type.Optional(Type.Array(Type.Object({
    tag_id: oneOf(ELEMENT_TAGS, { rule: `must be a tag id: ${ELEMENT_TAGS.join(', ')}` }),
  }))),
  ...commonTaskFields(),
});
type Req = Static<typeof request>;

const isImageRefer = (req: Req) => req.reference_type === 'image_refer';

export const advancedCustomElements = defineFamily({
  name: 'advanced-custom-elements',
  group: 'general',
  title: 'Elements',
  path: '/v1/general/advanced-custom-elements',
  pack: 'video',
  request,
  defaultModel: NO_MODEL,
  models: { [NO_MODEL]: {} },
  result: 'elements',
  rules: [
    {
      id: 'image-refer-images',
      text: "element_image_list (frontal_image and 1–3 refer_images) is required when reference_type is 'image_refer'",
      check: (req) => {
        if (isImageRefer(req) && !req.element_image_list) {
          return "element_image_list (frontal_image and 1 to 3 refer_images) is required when reference_type is 'image_refer'";
        }
      },
    },
    {
      id: 'video-refer-video',
      text: "element_video_list (one refer_videos item) is required when reference_type is 'video_refer'",
      check: (req) => {
        if (!isImageRefer(req) && !req.element_video_list) {
          return "element_video_list (one refer_videos item) is required when reference_type is 'video_refer'";
        }
      },
    },
  ],
  references: [
    { field: 'element_voice_id', kind: 'voice', note: 'a preset voice or one of the caller\'s custom voices' },
    {
      field: 'element_video_list.refer_videos[].video_url',
      kind: 'video-url',
      seconds: [3, 8],
      note: 'a realistic humanoid; speech in it makes and binds a custom voice',
    },
  ],
  slots: () => 1,
  // No element price is published (spec §1.10 lists none): kiln does not bill element creation.
  units: () => 0,
  plan: (req): ElementPlan => {
    const images = isImageRefer(req) && req.element_image_list
      ? [req.element_image_list.frontal_image, ...req.element_image_list.refer_images.map((i) => i.image_url)]
      : [];
    return {
      kind: 'element',
      name: req.element_name,
      description: req.element_description,
      referenceType: req.reference_type,
      images,
      videos: isImageRefer(req) ? [] : (req.element_video_list?.refer_videos ?? []).map((v) => v.video_url),
      voiceId: given(req.element_voice_id) ? req.element_voice_id : undefined,
      tags: (req.tag_list ?? []).map((t) => t.tag_id),
    };
  },
});
