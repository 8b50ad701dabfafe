// Flags generated from the contract's request schemas, and the body they build back.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { families, familyByName, validateCreate } from '@kiln/sdk/contract';
import { buildBody, flagsFor } from './schema-flags.ts';

function parse(familyName: string, argv: string[]) {
  const family = familyByName(familyName)!;
  const flags = flagsFor(family.request, new Set(['json']));
  const command = new Command().exitOverride();
  for (const flag of flags) command.addOption(flag.option);
  command.parse(argv, { from: 'user' });
  return buildBody(flags, command.opts());
}

describe('flags from the schema', () => {
  it('gives every top-level field of every family a flag', () => {
    for (const family of families) {
      const flags = flagsFor(family.request, new Set()).map((f) => f.option.long);
      for (const field of Object.keys(family.request.properties)) expect(flags).toContain(`--${field.replace(/_/g, '-')}`);
    }
  });

  it('builds a body the contract accepts, with the JSON types the API documents', () => {
    const body = parse('text2video', [
      '--prompt', 'a fox', '--model-name', 'kling-v3', '--duration', '3', '--cfg-scale', '0.7', '--multi-shot',
      '--shot-type', 'customize', '--multi-prompt', '{"index":1,"prompt":"one","duration":"3"}', '--watermark-info-enabled',
    ]);
    expect(body).toEqual({
      prompt: 'a fox', model_name: 'kling-v3', duration: '3', cfg_scale: 0.7, multi_shot: true, shot_type: 'customize',
      multi_prompt: [{ index: 1, prompt: 'one', duration: '3' }], watermark_info: { enabled: true },
    });
    expect(() => validateCreate(familyByName('text2video')!, { ...body, prompt: undefined })).not.toThrow();
  });

  it('fills list items from plain values, keeps long element ids exact, and reads local image files as Base64', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-flags-')), 'a.png');
    fs.writeFileSync(file, Buffer.from([137, 80, 78, 71]));
    const body = parse('omni-image', [
      '--prompt', 'p', '--image-list', file, '--image-list', 'https://example.com/b.png',
      '--element-list', '829836802793406551', '--element-list', '160', '--n', '2', '--series-amount', 'auto',
    ]);
    expect(body).toEqual({
      prompt: 'p',
      image_list: [{ image: Buffer.from([137, 80, 78, 71]).toString('base64') }, { image: 'https://example.com/b.png' }],
      element_list: [{ element_id: '829836802793406551' }, { element_id: 160 }],
      n: 2,
      series_amount: 'auto',
    });
  });

  it('takes whole JSON items and objects, and leaves bad values for the contract to name', () => {
    const body = parse('omni-video', [
      '--image-list', '[{"image_url":"https://e.com/1.png","type":"first_frame"}]', '--watermark-info', '{"enabled":false}',
      '--watermark-info-enabled', '--mode', 'ultra',
    ]);
    expect(body).toEqual({
      image_list: [{ image_url: 'https://e.com/1.png', type: 'first_frame' }], watermark_info: { enabled: true }, mode: 'ultra',
    });
  });

  it('prefixes a field flag that would clash with a command option', () => {
    const flags = flagsFor({ type: 'object', properties: { json: { type: 'string' } } }, new Set(['json']));
    expect(flags[0].option.long).toBe('--body-json');
  });
});
