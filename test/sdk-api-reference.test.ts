// The SDK's API reference (`npm run docs:api`, linked from the README): TypeDoc builds it from the types and doc
// comments without a warning (every type a public signature names is documented), and it documents the client.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-api-docs-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('the API reference', () => {
  it('is generated from the SDK by the npm script the README links, with no warnings', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts['docs:api']).toMatch(/^typedoc /);
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain('[API reference](docs/api/index.html)');
    const args = pkg.scripts['docs:api'].split(' ').slice(1);
    await exec(path.join(ROOT, 'node_modules/.bin/typedoc'), [...args, '--treatWarningsAsErrors', '--logLevel', 'Warn', '--out', out],
      { cwd: ROOT, timeout: 180_000 });
    const page = (dir: string, name: string) => fs.readFileSync(path.join(out, dir, name), 'utf8');
    expect(page('classes', 'index.Kling.html')).toContain('families');
    // The options' doc comments are there: defaults and the log level.
    expect(page('interfaces', 'index.ClientOptions.html')).toContain('KLING_API_KEY');
    expect(page('interfaces', 'index.ClientOptions.html')).toContain('logLevel');
    expect(page('classes', 'index.FamilyResource.html')).toContain('createAndWait');
    const files = fs.readdirSync(path.join(out, 'functions'));
    expect(files).toContain('node.download.html');
    expect(files).toContain('index.verifyCallback.html');
  }, 200_000);
});
