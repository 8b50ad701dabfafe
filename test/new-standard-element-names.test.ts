// `@Name` references in new-standard prompts (spec new-standard.md §2.5, §9 C14): where an endpoint takes elements, an
// `@` token that names no content item must name one of the caller's elements (a preset or its own, not deleted),
// exactly; otherwise HTTP 400 / 1201 naming the prompt's field and the unknown name. Workers are off.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomElement, markElementDeleted } from '../packages/server/src/store/custom-assets.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false }); });
afterAll(async () => { await server.close(); });

const IMG = 'https://example.com/a.png';
const OMNI = '/omni-video/kling-3.0-omni';
const omni = (text: string, more: object[] = []) => ({ contents: [{ type: 'prompt', text }, ...more], settings: { aspect_ratio: '1:1' } });

let nextId = 700000000000000100n;
async function addElement(name: string, tenantId = server.creds.tenant_id): Promise<string> {
  const id = String(nextId++);
  const now = Date.now();
  await addCustomElement(server.kiln.db, {
    id, tenant_id: tenantId, task_id: null, name, description: 'a test element',
    reference_type: 'image_refer', detail_json: '{}', voice_id: null, status: 'succeed', created_at: now, updated_at: now,
  });
  return id;
}

describe('@Name references', () => {
  it('refuses a name the tenant has no element of, naming the prompt item and the name', async () => {
    const res = await server.api('POST', OMNI, { body: omni('@Ghost walks into the room') });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      code: 1201, message: "contents[0].text: @Ghost names no content item and none of your elements (you have no element named 'Ghost')",
    });
    // The field is wherever the prompt item is.
    const i2v = await server.api('POST', '/image-to-video/kling-3.0', {
      body: { contents: [{ type: 'first_frame', url: IMG }, { type: 'prompt', text: 'a close-up of @Ghost' }] },
    });
    expect(i2v.status).toBe(400);
    expect(i2v.json.message).toMatch(/^contents\[1\]\.text: @Ghost names no content item and none of your elements/);
  });

  it("accepts the names of the tenant's own elements and of presets, several words long, followed by punctuation", async () => {
    const ann = await addElement('Ann Lee');
    const withItem = await server.api('POST', OMNI, { body: omni("@Ann Lee, smiling, throws @Corgi's ball", [{ type: 'element', element_id: ann, id: 'element_1' }]) });
    expect(withItem.json.code, withItem.json.message).toBe(0);
    // A name resolves against the tenant's elements, whether or not the request lists the element.
    const bare = await server.api('POST', '/image-to-video/kling-3.0', {
      body: { contents: [{ type: 'prompt', text: '@Ann Lee waves' }, { type: 'first_frame', url: IMG }] },
    });
    expect(bare.json.code, bare.json.message).toBe(0);
    const chinese = await addElement('张三');
    const noSpaces = await server.api('POST', OMNI, { body: omni('@张三走进房间', [{ type: 'element', element_id: chinese, id: 'element_1' }]) });
    expect(noSpaces.json.code, noSpaces.json.message).toBe(0);
  });

  it("refuses a deleted element's name, another tenant's, and a name in the wrong case (saying which it likely meant)", async () => {
    const boat = await addElement('Old Boat');
    expect((await server.api('POST', OMNI, { body: omni('@Old Boat sails') })).json.code).toBe(0);
    await markElementDeleted(server.kiln.db, server.creds.tenant_id, boat);
    const deleted = await server.api('POST', OMNI, { body: omni('@Old Boat sails') });
    expect(deleted.status).toBe(400);
    expect(deleted.json.message).toMatch(/you have no element named 'Old'/);

    const other = await server.addTenant('names-other', { video: 10 });
    await addElement('Theirs', other.tenant_id);
    expect((await server.api('POST', OMNI, { body: omni('@Theirs runs') })).json.message).toMatch(/you have no element named 'Theirs'/);
    expect((await server.api('POST', OMNI, { body: omni('@Theirs runs'), token: other.api_key })).json.code).toBe(0);

    await addElement('Marco');
    const lower = await server.api('POST', OMNI, { body: omni('@marco runs') });
    expect(lower.status).toBe(400);
    expect(lower.json.message).toBe(
      "contents[0].text: @marco names no content item and none of your elements (you have no element named 'marco'); names match exactly, case included: did you mean @Marco?",
    );
  });

  it('leaves alone content ids, e-mail addresses, and @ on endpoints that take no elements', async () => {
    const ids = await server.api('POST', OMNI, { body: omni('@hero looks like @pic; mail a@b.com', [{ type: 'refer_image', url: IMG, id: 'pic' }, { type: 'element', element_id: '163', id: 'hero' }]) });
    expect(ids.json.code, ids.json.message).toBe(0);
    // Kling 2.5 Turbo image-to-video takes no elements: `@Ghost` there is text.
    const noElements = await server.api('POST', '/image-to-video/kling-2.5-turbo', {
      body: { contents: [{ type: 'prompt', text: '@Ghost waves' }, { type: 'first_frame', url: IMG }] },
    });
    expect(noElements.json.code, noElements.json.message).toBe(0);
  });
});
