// The packages as their users get them: `npm pack` of @kiln/contract, @kiln/sdk and @kiln/cli (each builds itself in
// `prepack`), the tarballs installed into a project and a global prefix outside the repository, then used there
// with plain `node`, `tsc` and the `kiln` binary against a kiln server started here. Nothing of the repository's
// own setup (the `@kiln/source` condition, tsx, its tsconfig) reaches these processes.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const exec = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const PACKAGES = ['@kiln/contract', '@kiln/sdk', '@kiln/cli'] as const;
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

/** How a user's shell reaches the registry, where a machine needs it: a proxy, and the certificates it trusts. */
const NETWORK_VARIABLES = [
  'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
];
const networkEnv = Object.fromEntries(NETWORK_VARIABLES.filter((name) => process.env[name]).map((name) => [name, process.env[name]!]));

/** What a user's shell has: PATH, HOME (npm's cache) and its network settings, none of the variables `npm test` or vitest set. */
const userEnv = (extra: Record<string, string> = {}): Record<string, string> =>
  ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir(), LANG: 'C.UTF-8', ...networkEnv, ...extra });

const run = (cmd: string, args: string[], cwd: string, extra: Record<string, string> = {}) =>
  exec(cmd, args, { cwd, env: userEnv(extra), timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });

/** Runs a command that is expected to fail; resolves with its exit code and output. */
const runFailing = (cmd: string, args: string[], cwd: string, extra: Record<string, string> = {}) =>
  run(cmd, args, cwd, extra).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

interface Packed { name: string; filename: string; files: { path: string }[] }

let scratch: string;
let packed: Packed[];
let tarballs: Record<(typeof PACKAGES)[number], string>;
let app: string;
let kilnBin: string;
let server: TestServer;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-packaging-'));
  // One `npm pack` for the three: each prepack builds its package (tsc -b builds @kiln/contract once).
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', scratch, ...PACKAGES.flatMap((p) => ['-w', p])], ROOT);
  packed = JSON.parse(stdout.slice(stdout.indexOf('[')));
  tarballs = Object.fromEntries(packed.map((p) => [p.name, path.join(scratch, p.filename)])) as typeof tarballs;

  // A user's project: only the tarballs (their own dependencies come from the registry, or npm's cache).
  app = path.join(scratch, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  const npmInstall = ['install', '--no-audit', '--no-fund', '--prefer-offline'];
  await run('npm', [...npmInstall, tarballs['@kiln/contract'], tarballs['@kiln/sdk']], app);
  // `npm i -g` into a prefix of its own: the CLI with the SDK it depends on, as from the registry.
  const prefix = path.join(scratch, 'global');
  await run('npm', [...npmInstall, '--global', '--prefix', prefix, ...PACKAGES.map((p) => tarballs[p])], scratch);
  kilnBin = path.join(prefix, 'bin', 'kiln');

  server = await startTestServer();
}, 600_000);

afterAll(async () => {
  await server?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('the packed tarballs', () => {
  it('hold built JavaScript and declarations (ESM and CommonJS), no TypeScript sources and no tests', () => {
    expect(packed.map((p) => p.name).sort()).toEqual([...PACKAGES].sort());
    for (const p of packed) {
      const files = p.files.map((f) => f.path);
      expect(files.filter((f) => /\.test\.|(^|\/)src\/|(^|\/)testing\/|\.tsbuildinfo$/.test(f)), p.name).toEqual([]);
      expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), p.name).toEqual([]);
    }
    const sdk = packed.find((p) => p.name === '@kiln/sdk')!.files.map((f) => f.path);
    for (const f of ['dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/package.json',
      'dist/esm/node/index.js', 'dist/cjs/node/index.js', 'README.md']) expect(sdk).toContain(f);
    const cli = packed.find((p) => p.name === '@kiln/cli')!.files.map((f) => f.path);
    expect(cli.sort()).toEqual(['bin/kiln.js', 'dist/main.js', 'package.json']);
  });

  it('declare what publishing needs; the CLI depends on the SDK only', () => {
    for (const name of ['@kiln/contract', '@kiln/sdk']) {
      const manifest = readJson(path.join(app, 'node_modules', name, 'package.json'));
      expect(manifest.private, name).toBeUndefined();
      expect(manifest, name).toMatchObject({ license: expect.any(String), engines: { node: expect.any(String) }, sideEffects: false });
      expect(manifest.repository?.url, name).toMatch(/^git\+https:/);
    }
    const cli = readJson(path.join(scratch, 'global/lib/node_modules/@kiln/cli/package.json'));
    expect(Object.keys(cli.dependencies).sort()).toEqual(['@kiln/sdk', 'commander']);
  });
});

describe('@kiln/sdk installed in a project', () => {
  it('is imported and required by plain node, and both forms talk to kiln', async () => {
    fs.writeFileSync(path.join(app, 'esm.mjs'), `
      import { Kling, KlingApiError } from '@kiln/sdk';
      import { download } from '@kiln/sdk/node';
      import { familyGroups } from '@kiln/contract';
      const kling = new Kling({ baseUrl: process.argv[2], apiKey: 'wrong-key' });
      const failure = await kling.videos.text2video.get('1').catch((e) => e);
      console.log(JSON.stringify({ download: typeof download, groups: Object.keys(familyGroups),
        api: failure instanceof KlingApiError, code: failure.code }));
    `);
    fs.writeFileSync(path.join(app, 'cjs.cjs'), `
      const { Kling } = require('@kiln/sdk');
      const { download } = require('@kiln/sdk/node');
      const { familyGroups } = require('@kiln/sdk/contract');
      const kling = new Kling({ baseUrl: process.argv[2], apiKey: process.env.KLING_API_KEY });
      kling.videos.text2video.create({ prompt: 'a red fox', duration: '5' }).then((task) => console.log(JSON.stringify({
        download: typeof download, groups: Object.keys(familyGroups), id: task.task_id, status: task.task_status })));
    `);
    const esm = JSON.parse((await run('node', ['esm.mjs', server.url], app)).stdout);
    expect(esm).toMatchObject({ download: 'function', api: true, code: 1002 });
    expect(esm.groups).toContain('videos');
    const cjs = JSON.parse((await run('node', ['cjs.cjs', server.url], app, { KLING_API_KEY: server.creds.api_key })).stdout);
    expect(cjs).toMatchObject({ download: 'function', id: expect.stringMatching(/^\d+$/), status: 'submitted' });
    expect(cjs.groups).toContain('videos');
  });

  it('type-checks with tsc under NodeNext and under Bundler resolution, strict, and in a web project without Node\'s types', async () => {
    fs.writeFileSync(path.join(app, 'consumer.ts'), `
      import { Kling, KlingApiError, type TaskObject } from '@kiln/sdk';
      import { download } from '@kiln/sdk/node';
      import { familyGroups } from '@kiln/contract';
      const kling = new Kling({ baseUrl: 'http://127.0.0.1:8080', apiKey: 'key' });
      export async function fox(): Promise<string> {
        const task: TaskObject = await kling.videos.text2video.createAndWait({ prompt: 'a fox', duration: '5' });
        // @ts-expect-error task_id is a string: were the types missing (any), this line would be an error itself
        const id: number = task.task_id;
        const [file] = await download(task, 'out');
        return \`\${file?.path} \${id} \${KlingApiError.name} \${Object.keys(familyGroups)}\`;
      }
    `);
    fs.writeFileSync(path.join(app, 'consumer.cts'), `
      import sdk = require('@kiln/sdk');
      import node = require('@kiln/sdk/node');
      export const client: sdk.Kling = new sdk.Kling({ apiKey: 'key' });
      export const save: typeof node.download = node.download;
    `);
    // A browser app: @kiln/sdk alone, a File as the image, and no @types/node at all.
    fs.writeFileSync(path.join(app, 'web.ts'), `
      import { Kling, toBase64, type TaskObject } from '@kiln/sdk';
      const kling = new Kling({ baseUrl: 'https://kiln.example.com', apiKey: 'key' });
      export const animate = (file: File): Promise<TaskObject> => kling.videos.image2video.createAndWait({ image: file, duration: '5' });
      export const text = (blob: Blob): Promise<string> => toBase64(blob);
    `);
    // skipLibCheck off, so the packages' own declarations are checked too; @types/node as a Node project has it.
    const options = (module: string, resolution: string, types: string[]) => ({
      compilerOptions: {
        module, moduleResolution: resolution, target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false,
        lib: ['ES2022', 'DOM'], types, typeRoots: [path.join(ROOT, 'node_modules/@types')],
      },
    });
    fs.writeFileSync(path.join(app, 'tsconfig.nodenext.json'), JSON.stringify({ ...options('NodeNext', 'NodeNext', ['node']), files: ['consumer.ts', 'consumer.cts'] }));
    fs.writeFileSync(path.join(app, 'tsconfig.bundler.json'), JSON.stringify({ ...options('ESNext', 'Bundler', ['node']), files: ['consumer.ts'] }));
    fs.writeFileSync(path.join(app, 'tsconfig.web.json'), JSON.stringify({ ...options('ESNext', 'Bundler', []), files: ['web.ts'] }));
    const check = (config: string) => runFailing('node', [TSC, '-p', config], app);
    const results = await Promise.all(['nodenext', 'bundler', 'web'].map((c) => check(`tsconfig.${c}.json`)));
    for (const result of results) {
      expect(result.stdout + result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
  }, 300_000); // tsc reads all of @types/node (skipLibCheck off): a minute or more on two busy cores

  it("runs the README's five-line example as printed", async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'packages/sdk/README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)![1];
    expect(example.trim().split('\n')).toHaveLength(5);
    // The project README shows the same program.
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(example);
    expect(readme).toContain('node fox.mjs');
    fs.writeFileSync(path.join(app, 'fox.mjs'), example.replaceAll('http://127.0.0.1:8080', server.url));
    const { stdout } = await run('node', ['fox.mjs'], app, { KLING_API_KEY: server.creds.api_key });
    expect(stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/\d+\/\S+\.mp4\S* /);
    expect(fs.readdirSync(path.join(app, 'out'))).toEqual([expect.stringMatching(/^\d+-0\.mp4$/)]);
  });
});

describe('@kiln/cli installed with npm i -g', () => {
  it('prints its version', async () => {
    const { stdout } = await run(kilnBin, ['--version'], scratch);
    expect(stdout.trim()).toBe(readJson(path.join(ROOT, 'packages/cli/package.json')).version);
  });

  it('creates a task against a running kiln and saves the video', async () => {
    const env = { KLING_API_KEY: server.creds.api_key, KLING_BASE_URL: server.url };
    const { stdout } = await run(kilnBin, ['video', 'text', '--prompt', 'a red fox', '--duration', '5', '--wait', '-o', 'cli-out'], scratch, env);
    expect(stdout).toMatch(/^task \d+ submitted: text2video/);
    expect(fs.readdirSync(path.join(scratch, 'cli-out'))).toEqual([expect.stringMatching(/^\d+-0\.mp4$/)]);
  });

  it('says how to get the server for the operator commands', async () => {
    const operatorCommands = [['serve'], ['tenant', 'list'], ['key', 'list', 'default'], ['backup', 'copy.db'],
      ['migrate-store', '--from', '.kiln', '--to', 'postgres://127.0.0.1/kiln']];
    for (const args of operatorCommands) {
      const { code, stdout, stderr } = await runFailing(kilnBin, args, scratch);
      expect(code, args.join(' ')).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain(`\`kiln ${args[0]}\``);
      expect(stderr).toMatch(/@kiln\/server\) is not installed/);
      expect(stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|at .*\.js:\d+/);
    }
  });

  it('answers a wrong flag with the error and one usage line, and a missing --image file by name', async () => {
    const wrong = await runFailing(kilnBin, ['video', 'text', '--prompt', 'x', '--bogus'], scratch);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split('\n')).toEqual([
      "error: unknown option '--bogus'",
      'usage: kiln video text [options]  (kiln video text --help for more)',
    ]);
    const missing = await runFailing(kilnBin, ['video', 'image', '--image', 'photos/cat.png', '--duration', '5'], scratch,
      { KLING_API_KEY: server.creds.api_key, KLING_BASE_URL: server.url });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--image: file not found: photos/cat.png');
  });
});
