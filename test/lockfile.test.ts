// `npm install` on a fresh clone leaves `git status` clean: package-lock.json is exactly what npm writes for the
// committed manifests. npm resolves the tree from the manifests alone (--package-lock-only, metadata from its cache
// or the registry, no install scripts) in a scratch copy, and the lock it writes must be the committed one.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-lockfile-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('package-lock.json', () => {
  it('is what npm install writes for the manifests, so installing changes nothing', async () => {
    const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const manifests = ['package.json', 'package-lock.json', ...root.workspaces.map((w: string) => `${w}/package.json`)];
    for (const file of manifests) {
      fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(scratch, file));
    }
    await exec('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: scratch, timeout: 120_000, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir() },
    });
    const written = fs.readFileSync(path.join(scratch, 'package-lock.json'), 'utf8');
    // Compared as text: a reordered key is a rewrite too, and shows in git status.
    expect(written === fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'), 'npm rewrote package-lock.json: run npm install and commit it').toBe(true);
  }, 150_000);

  it('declares every dependency whose install script must run (npm warns about the others)', async () => {
    const { stdout } = await exec('npm', ['install-scripts', 'ls', '--json'], { cwd: ROOT, timeout: 60_000 });
    const pending = (JSON.parse(stdout).allowScripts as { name: string }[]).map((p) => p.name);
    expect(pending, 'add them to allowScripts in package.json once reviewed').toEqual([]);
  }, 90_000);
});
