import { describe, expect, it } from 'vitest';
import type { TSchema } from '@sinclair/typebox';
import { families } from './families/index.ts';
import { validateCreate } from './validate.ts';
import { KlingError } from './errors.ts';
import { DOCUMENTED_EXAMPLES } from './testing/documented-examples.ts';
import type { AnyFamily } from './family.ts';
import { arrayItems, objectVariants, requiredIn, withAbsentOptionals } from './testing/unset-samples.ts';

/** Paths (as key lists) of every optional field the example sends, at every depth. */
function sentOptionals(schema: TSchema, value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) {
    const items = arrayItems(schema);
    return value.flatMap((item, i) => items.flatMap((s) => sentOptionals(s, item, [...at, i])));
  }
  if (typeof value !== 'object' || value === null) return [];
  const variants = objectVariants(schema);
  const paths: (string | number)[][] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const declaring = variants.filter((v) => Object.hasOwn(v.properties, key));
    if (!declaring.length) continue;
    if (!requiredIn(declaring, key)) paths.push([...at, key]);
    for (const v of declaring) paths.push(...sentOptionals(v.properties[key], child, [...at, key]));
  }
  return paths;
}

function edited(value: unknown, path: (string | number)[], edit: (parent: any, key: string | number) => void): unknown {
  const copy = structuredClone(value) as any;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  edit(parent, path[path.length - 1]);
  return copy;
}

/** What a client would see: the validated body and model, or the refusal. */
function outcome(family: AnyFamily, body: unknown) {
  try {
    const { body: valid, model } = validateCreate(family, body);
    return { valid, model, plan: family.plan(valid as any), units: family.units(valid as any), slots: family.slots(valid as any) };
  } catch (error) {
    if (error instanceof KlingError) return { code: error.code, message: error.message };
    throw error;
  }
}

describe('null and "" in an optional field mean "not given", for every family', () => {
  it('every family has a documented example, and it is accepted', () => {
    for (const family of families) {
      const example = DOCUMENTED_EXAMPLES[family.name];
      expect(example, `documented example of ${family.name}`).toBeDefined();
      expect(outcome(family, example), family.name).toHaveProperty('valid');
    }
  });

  it.each(families.map((f) => [f.name, f] as const))('%s: every optional field it does not send, sent as null or "", changes nothing', (_name, family) => {
    const example = DOCUMENTED_EXAMPLES[family.name];
    const expected = outcome(family, example);
    for (const unset of [null, ''] as const) {
      const sent = withAbsentOptionals(family.request, example, unset) as Record<string, unknown>;
      // The helper really added fields (a family with no optional fields would make this test vacuous).
      expect(Object.keys(sent).length).toBeGreaterThan(Object.keys(example).length);
      expect(outcome(family, sent)).toEqual(expected);
    }
  });

  it.each(families.map((f) => [f.name, f] as const))('%s: each optional field it sends, sent as null or "", behaves as the field left out', (_name, family) => {
    const example = DOCUMENTED_EXAMPLES[family.name];
    for (const path of sentOptionals(family.request, example)) {
      const without = outcome(family, edited(example, path, (parent, key) => { delete parent[key]; }));
      for (const unset of [null, ''] as const) {
        const sent = edited(example, path, (parent, key) => { parent[key] = unset; });
        expect(outcome(family, sent), `${path.join('.')} = ${JSON.stringify(unset)}`).toEqual(without);
      }
    }
  });

  it.each(families.map((f) => [f.name, f] as const))('%s: a required field sent as null is refused, saying it must not be null', (_name, family) => {
    const example = DOCUMENTED_EXAMPLES[family.name];
    const required = ((family.request as any).required ?? []) as string[];
    for (const key of required.filter((k) => k in example)) {
      expect(outcome(family, { ...example, [key]: null })).toEqual({ code: 1201, message: `${key} must not be null` });
    }
  });
});

describe('null at depth', () => {
  it('image2video: Kling\'s Python client sends image_tail, camera_control.config and fidelity fields as null', () => {
    const image2video = families.find((f) => f.name === 'image2video')!;
    const sent = {
      model_name: 'kling-v1-5', image: DOCUMENTED_EXAMPLES.image2video.image, image_tail: null, prompt: 'a fox', negative_prompt: null,
      cfg_scale: null, mode: 'pro', duration: null, callback_url: null, external_task_id: null, static_mask: null,
      dynamic_masks: null, camera_control: { type: 'simple', config: { horizontal: null, zoom: 5, pan: null } },
      watermark_info: null, image_fidelity: null, human_fidelity: null,
    };
    const { body } = validateCreate(image2video, sent);
    expect(body).not.toHaveProperty('image_tail');
    expect(body.camera_control).toEqual({ type: 'simple', config: { zoom: 5 } });
    expect(body.duration).toBe('5');
    expect(body.cfg_scale).toBe(0.5);
  });

  it('a required field inside an item sent as null names the item', () => {
    const multi = families.find((f) => f.name === 'multi-image2video')!;
    expect(() => validateCreate(multi, { image_list: [{ image: null }], prompt: 'a' })).toThrow(/^image_list\[0\]\.image must not be null$/);
  });
});
