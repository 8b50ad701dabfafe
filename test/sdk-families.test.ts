// The SDK against a real kiln server, for every family the contract defines: the generated surface, create and
// wait, query by task id and by external id, one page and every page.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { families, familyGroups } from '@kiln/contract';
import { FamilyResource, taskOutputs, type Kling } from '@kiln/sdk';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { clientFor, familiesWithoutSample, sampleRequests } from './helpers/sdk-samples.ts';

let server: TestServer;
let client: Kling;
let samples: Record<string, Record<string, unknown>>;
beforeAll(async () => {
  server = await startTestServer();
  client = clientFor(server);
  samples = await sampleRequests(server);
});
afterAll(async () => { await server?.close(); });

describe('the SDK surface comes from the contract', () => {
  it('has client.<group>.<family> with the same methods for every family', () => {
    for (const [group, members] of Object.entries(familyGroups)) {
      for (const [key, family] of Object.entries(members)) {
        const resource = (client as any)[group][key];
        expect(resource, `client.${group}.${key}`).toBeInstanceOf(FamilyResource);
        expect(resource.family).toBe(family);
        for (const method of ['create', 'get', 'list', 'listAll', 'wait', 'createAndWait', 'recover', 'validate']) {
          expect(typeof resource[method], `client.${group}.${key}.${method}`).toBe('function');
        }
      }
    }
    expect(client.families().map((r) => r.family.name)).toEqual(families.map((f) => f.name));
  });

  it('has a sample request for every family (add one to test/helpers/sdk-samples.ts for a new family)', () => {
    expect(familiesWithoutSample(samples)).toEqual([]);
  });
});

describe.each(families.map((f) => [f.name, f] as const))('%s', (name, family) => {
  it('creates, waits until succeed, and finds the task by id, external id, page and iterator', async () => {
    const resource = client.family(family)!;
    if (!samples[name]) throw new Error(`no sample request for ${name}: add one to test/helpers/sdk-samples.ts`);
    const seen: string[] = [];
    const task = await resource.createAndWait(samples[name] as never, { onUpdate: (t) => seen.push(t.task_status) });
    expect(task.task_status).toBe('succeed');
    expect(seen[0]).toBe('submitted');
    expect(seen.at(-1)).toBe('succeed');
    const list = [family.result].flat()[0];
    const outputs = (task.task_result as Record<string, any[]> | undefined)?.[list] ?? [];
    expect(outputs.length).toBeGreaterThan(0);
    // Videos and images have `url`; audios `url_mp3`/`url_wav`; multi-shot views `url_1`…; voices `trial_url`;
    // elements their images or video: all served by kiln.
    const files = taskOutputs(task);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);

    // Every create carries an external_task_id, generated when the caller gives none.
    const external = task.task_info.external_task_id!;
    expect(external).toMatch(/^kiln-sdk-[0-9a-f-]{36}$/);
    expect((await resource.get(task.task_id)).task_id).toBe(task.task_id);
    expect((await resource.get(external)).task_id).toBe(task.task_id);
    expect((await resource.recover(external))?.task_id).toBe(task.task_id);

    const page = await resource.list({ pageNum: 1, pageSize: 10 });
    expect(page.map((t) => t.task_id)).toContain(task.task_id);
    const all: string[] = [];
    for await (const t of resource.listAll({ pageSize: 1 })) all.push(t.task_id);
    expect(all).toContain(task.task_id);
    expect(new Set(all).size).toBe(all.length);
  });
});
