import { describe, expect, it } from 'vitest';
import { familyByName } from '@kiln/contract';
import { kilnIdsOf, toUpstreamIds, withKilnIds } from './id-map.ts';
import { heldKey } from './owners.ts';

const omniImage = familyByName('omni-image')!;
const lipSync = familyByName('lip-sync')!;

describe('kiln ids and the upstream\'s', () => {
  it('sends each id the upstream holds as its own, in a copy, keeping a number a number and presets as they are', () => {
    const body = { model_name: 'kling-v3', prompt: 'a', element_list: [{ element_id: 900001 }, { element_id: 'preset-7' }, { element_id: 'k-2' }] };
    const held = new Map([[heldKey('element', '900001'), '555'], [heldKey('element', 'k-2'), 'up-2']]);
    const sent = toUpstreamIds(body, omniImage.references, held);
    expect(sent.element_list).toEqual([{ element_id: 555 }, { element_id: 'preset-7' }, { element_id: 'up-2' }]);
    expect(body.element_list[0]).toEqual({ element_id: 900001 });
  });

  it('finds an id inside an object (the old lip-sync\'s input.video_id), and leaves a body naming none untouched', () => {
    const body = { input: { video_id: 'kiln-v', mode: 'text2video', text: 'hi', voice_id: 'genshin_vindi2', voice_language: 'zh' } };
    const sent = toUpstreamIds(body, lipSync.references, new Map([[heldKey('video', 'kiln-v'), 'up-v']]));
    expect((sent.input as Record<string, unknown>).video_id).toBe('up-v');
    expect(toUpstreamIds(body, lipSync.references, new Map([[heldKey('video', 'kiln-v'), 'kiln-v']]))).toBe(body);
  });

  it('answers with kiln\'s id wherever the upstream names one the request named', () => {
    const kilnIds = kilnIdsOf(new Map([[heldKey('session', 'k-s'), 'up-s']]));
    expect(withKilnIds({ status: 0, session_id: 'up-s', nested: [{ session_id: 'up-s', other: 'up-s' }] }, kilnIds))
      .toEqual({ status: 0, session_id: 'k-s', nested: [{ session_id: 'k-s', other: 'up-s' }] });
  });
});
