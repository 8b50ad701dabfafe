// The six-shot storyboard of Kling's multi-shot examples (omni-video, text2video, image2video pages): 15 s in all.

export const DOCUMENTED_STORYBOARD = [
  { index: 1, prompt: 'Two friends talking under a streetlight at night.  Warm glow, casual poses, no dialogue.', duration: '2' },
  { index: 2, prompt: 'A runner sprinting through a forest, leaves flying.  Low-angle shot, focus on movement.', duration: '3' },
  { index: 3, prompt: 'A woman hugging a cat, smiling.  Soft sunlight, cozy home setting, emphasize warmth.', duration: '3' },
  { index: 4, prompt: 'A door creaking open, shadowy hallway.  Dark tones, minimal details, eerie mood.', duration: '3' },
  { index: 5, prompt: 'A man slipping on a banana peel, shocked expression.  Exaggerated pose, bright colors.', duration: '3' },
  { index: 6, prompt: 'A sunset over mountains, small figure walking away.  Wide angle, peaceful atmosphere.', duration: '1' },
];
