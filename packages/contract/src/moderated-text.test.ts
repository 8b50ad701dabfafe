import { describe, expect, it } from 'vitest';
import { moderatedTexts } from './moderated-text.ts';

describe('moderatedTexts', () => {
  it('finds prompts, negative prompts, shot prompts, sound prompts and speech text, each with its field', () => {
    const body = {
      prompt: 'a fox', negative_prompt: 'blur', image: 'https://example.com/a.png', external_task_id: 'prompt',
      multi_prompt: [{ index: 1, prompt: 'shot one', duration: '2' }, { index: 2, prompt: 'shot two', duration: '3' }],
      bgm_prompt: 'piano', input: { text: 'hello', voice_id: 'v1' }, empty_prompt: '',
    };
    expect(moderatedTexts(body)).toEqual([
      { field: 'prompt', text: 'a fox' },
      { field: 'negative_prompt', text: 'blur' },
      { field: 'multi_prompt[0].prompt', text: 'shot one' },
      { field: 'multi_prompt[1].prompt', text: 'shot two' },
      { field: 'bgm_prompt', text: 'piano' },
      { field: 'input.text', text: 'hello' },
    ]);
  });
});
