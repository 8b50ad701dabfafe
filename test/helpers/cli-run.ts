// Runs the real `kiln` command (bin/kiln.js, as a user would) in a child process with pipes, and the tmux
// helpers for the tests that need a real terminal.

import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './test-server.ts';

export const KILN_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../packages/cli/bin/kiln.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: no KLING_* from the developer's shell, and a HOME without a kiln config. */
export function cliEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: tempDir('kiln-home-'), LANG: 'C.UTF-8' };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export function runCli(args: string[], options: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KILN_BIN, ...args], { env: options.env ?? cliEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The path of tmux; throws (never skips) when it is missing, saying what to install. Tests install nothing. */
export function requireTmux(): string {
  const found = (spawnSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).stdout ?? '').trim();
  if (!found) {
    throw new Error('tmux is required for the terminal tests and is not installed: install it (Debian: apt-get install -y tmux); .ci/run does');
  }
  return found;
}

export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
