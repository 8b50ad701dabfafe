import { describe, expect, it } from 'vitest';
import { familyByName } from '@kiln/contract';
import { kilnIdsOf, kilnText, toUpstreamIds, withKilnIds } from './id-map.ts';
import { heldKey, namedUpstream, type OwnerOf } from './owners.ts';
import type { UpstreamConfig } from './upstream.ts';

const omniImage = familyByName('omni-image')!;
const lipSync = familyByName('lip-sync')!;
const advancedLipSync = familyByName('advanced-lip-sync')!;

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

  it("sends an identify-face session's faces as the upstream numbered them, and refuses ids of two accounts in one request", async () => {
    const ownerOf: OwnerOf = async (_tenant, kind, id) =>
      kind === 'session' && id === 'k-s' ? { upstream: 'a', upstreamId: 'up-s', faces: { 0: 'face-a', 1: 'face-b' } }
        : kind === 'audio' && id === 'k-audio' ? { upstream: 'b', upstreamId: 'up-audio' } : undefined;
    const upstreams = { byName: async (name: string) => ({ name }) as UpstreamConfig };
    const body = { session_id: 'k-s', face_choose: [{ face_id: '1', sound_file: 'https://a/s.mp3', sound_start_time: 0, sound_end_time: 3000, sound_insert_time: 0 }] };
    const found = await namedUpstream({ ownerOf, upstreams }, 't', advancedLipSync.references, body);
    if ('unknownSession' in found) throw new Error('the session is known');
    expect(found.upstream?.name).toBe('a');
    const sent = toUpstreamIds(body, advancedLipSync.references, found.held);
    expect([sent.session_id, (sent.face_choose as { face_id: string }[])[0].face_id]).toEqual(['up-s', 'face-b']);

    const mixed = { session_id: 'k-s', face_choose: [{ face_id: '0', audio_id: 'k-audio', sound_start_time: 0, sound_end_time: 3000, sound_insert_time: 0 }] };
    await expect(namedUpstream({ ownerOf, upstreams }, 't', advancedLipSync.references, mixed)).rejects.toMatchObject({ code: 1201, message: expect.stringMatching(/^face_choose\[0\]\.audio_id: 'k-audio' and session_id 'k-s' were made on two different upstream accounts/) });
  });

  it("shows kiln's ids in an upstream's message, whole ids only, and never takes a face number for an id", () => {
    const kilnIds = kilnIdsOf(new Map([[heldKey('voice', 'k-v'), '8801'], [heldKey('face', '0'), '1']]));
    expect([...kilnIds]).toEqual([['8801', 'k-v']]);
    expect(kilnText("voice_id: voice '8801' has been deleted; 88012 and x8801 are others (1)", kilnIds))
      .toBe("voice_id: voice 'k-v' has been deleted; 88012 and x8801 are others (1)");
    // In one pass: an upstream id that is another's kiln id is not replaced twice.
    expect(kilnText('111 and 222', new Map([['111', '222'], ['222', '333']]))).toBe('222 and 333');
    expect(kilnText('id 5 here', new Map([['', 'x'], ['5', '$&']]))).toBe('id $& here');
  });

  it("refuses a face the relayed session does not have, whatever its name", async () => {
    const ownerOf: OwnerOf = async (_tenant, kind) => (kind === 'session' ? { upstream: 'a', upstreamId: 'up-s', faces: { 0: 'face-a' } } : undefined);
    const upstreams = { byName: async (name: string) => ({ name }) as UpstreamConfig };
    for (const faceId of ['1', 'constructor']) {
      const body = { session_id: 'k-s', face_choose: [{ face_id: faceId, sound_file: 'https://a/s.mp3', sound_start_time: 0, sound_end_time: 3000, sound_insert_time: 0 }] };
      await expect(namedUpstream({ ownerOf, upstreams }, 't', advancedLipSync.references, body))
        .rejects.toMatchObject({ code: 1201, message: `face_choose[0].face_id: session 'k-s' has no face '${faceId}'; identify-face found '0'` });
    }
  });

  it('refuses an id whose account was removed since, without naming the account', async () => {
    const ownerOf: OwnerOf = async () => ({ upstream: 'kling-sg-private', upstreamId: 'up-v' });
    const body = { input: { video_id: 'k-v', mode: 'text2video', text: 'hi', voice_id: 'genshin_vindi2', voice_language: 'zh' } };
    const refused = namedUpstream({ ownerOf, upstreams: { byName: async () => undefined } }, 't', lipSync.references, body);
    await expect(refused).rejects.toMatchObject({ code: 1201, message: "input.video_id: 'k-v' was made on an upstream account this server no longer relays to, so it cannot be used; nothing was billed" });
  });
});
