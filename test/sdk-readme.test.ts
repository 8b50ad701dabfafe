// The CLI example of packages/sdk/README.md, run as printed in the repository (only the server's address differs)
// against a kiln server started here. The five-line SDK example runs from a project that installed the packed
// packages, in packaging.test.ts.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { cliEnv } from './helpers/cli-run.ts';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const README = fs.readFileSync(path.join(ROOT, 'packages/sdk/README.md'), 'utf8');
const block = (lang: string) => new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(README)![1];

let server: TestServer;
let workDir: string;
beforeAll(async () => {
  server = await startTestServer();
  // Inside the repository (as the README says), so `npx kiln` resolves; .tmp/ is git-ignored.
  fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  workDir = fs.mkdtempSync(path.join(ROOT, '.tmp', 'readme-'));
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('packages/sdk/README.md', () => {
  it('the CLI example saves the video', async () => {
    const lines = block('sh').trim().split('\n');
    expect(lines[0]).toMatch(/^export KLING_API_KEY=/);
    const env = cliEnv({ KLING_API_KEY: server.creds.api_key, KLING_BASE_URL: server.url });
    const { stdout } = await run('sh', ['-c', lines.slice(1).join('\n')], { cwd: workDir, env, timeout: 90_000 });
    expect(stdout).toMatch(/^task \d+ submitted: text2video/);
    expect(stdout).toMatch(/saved out\/\d+-0\.mp4/);
    expect(fs.readdirSync(path.join(workDir, 'out')).length).toBeGreaterThanOrEqual(1);
  });
});
