// `kiln` in a real terminal (tmux): the live status line while waiting (status, ticking elapsed time, queue state),
// the download progress bar, and the same command through a pipe showing neither. tmux must be installed
// (.ci/run installs it); without it these tests fail saying so, they never skip.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from './helpers/test-server.ts';
import { startProxy, type LoopbackProxy } from './helpers/sdk-proxy.ts';
import { requireTmux, KILN_BIN, shellQuote } from './helpers/cli-run.ts';

const SOCKET = `kiln-test-${process.pid}`;
let tmux: string;
let stalled: TestServer;
let live: TestServer;
let slowMedia: LoopbackProxy;

beforeAll(async () => {
  tmux = requireTmux();
  slowMedia = await startProxy();
  [stalled, live] = await Promise.all([startTestServer({ workers: false }), startTestServer({ publicUrl: slowMedia.url })]);
  slowMedia.target = live.url;
  // Result files trickle in (1 kB every 60 ms), so the progress bar is on screen long enough to be seen.
  slowMedia.decide = (req) => (req.url.startsWith('/media/') ? { slow: { chunk: 1024, everyMs: 60 } } : 'forward');
});
afterAll(async () => {
  try { execFileSync(tmux, ['-L', SOCKET, 'kill-server'], { stdio: 'ignore' }); } catch { /* no server left */ }
  await Promise.all([stalled?.close(), live?.close(), slowMedia?.close()]);
});

/** Runs a shell command line in a fresh 120×30 tmux window; returns a function that reads the screen. */
function terminal(name: string, server: TestServer, commandLine: string): () => string {
  const env = [
    `PATH=${shellQuote(process.env.PATH ?? '')}`, `HOME=${shellQuote(tempDir('kiln-home-'))}`, 'LANG=C.UTF-8',
    `KLING_API_KEY=${server.creds.api_key}`, `KLING_BASE_URL=${server.url}`,
  ].join(' ');
  // The shells trap Ctrl-C (a trap, unlike an ignore, is not inherited), so only kiln sees it and the pane stays.
  const script = `trap : INT; env -i ${env} sh -c ${shellQuote(`trap : INT; ${commandLine}; echo "[exit $?]"`)}; sleep 600`;
  execFileSync(tmux, ['-L', SOCKET, 'new-session', '-d', '-s', name, '-x', '120', '-y', '30', script]);
  return () => execFileSync(tmux, ['-L', SOCKET, 'capture-pane', '-p', '-t', name], { encoding: 'utf8' });
}

async function until<T>(read: () => string, match: (screen: string) => T | null | undefined | false, timeoutMs = 60_000): Promise<{ value: T; screen: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const screen = read();
    const value = match(screen);
    if (value !== undefined && value !== null && value !== false) return { value: value as T, screen };
    if (Date.now() > deadline) throw new Error(`the terminal never showed what was expected; it shows:\n${screen}`);
    await new Promise((r) => setTimeout(r, 80));
  }
}

const kiln = `${shellQuote(process.execPath)} ${shellQuote(KILN_BIN)}`;
const omni = "video omni --prompt 'a kite' --aspect-ratio 16:9 --mode std --duration 3";

describe('in a terminal', () => {
  it('shows a live status line while waiting, with ticking time and queue state, and clears it at the end', async () => {
    const screen = terminal('waiting', stalled, `${kiln} ${omni} --wait --timeout 6`);
    const statusLine = /task (\d+)\s+submitted\s+(\d+\.\d)s\s+\(in queue\)/;
    const first = await until(screen, (s) => statusLine.exec(s));
    // The id is on screen before any waiting.
    expect(first.screen).toContain(`task ${first.value[1]} submitted: omni-video`);
    const later = await until(screen, (s) => {
      const m = statusLine.exec(s);
      return m && Number(m[2]) >= Number(first.value[2]) + 0.5 ? m : undefined;
    });
    expect(later.value[1]).toBe(first.value[1]);
    const end = await until(screen, (s) => s.includes('[exit 5]'));
    expect(end.screen).not.toMatch(/\(in queue\)/);
    expect(end.screen).toContain('may still complete');
    expect(end.screen).toContain(`kiln tasks wait ${first.value[1]} --family omni-video`);
  });

  it('Ctrl-C stops waiting, not the task, and says how to wait again (exit 130)', async () => {
    const screen = terminal('interrupt', stalled, `${kiln} ${omni} --wait`);
    const line = await until(screen, (s) => /task (\d+)\s+submitted\s+[\d.]+s\s+\(in queue\)/.exec(s));
    execFileSync(tmux, ['-L', SOCKET, 'send-keys', '-t', 'interrupt', 'C-c']);
    const end = await until(screen, (s) => s.includes('[exit 130]'));
    expect(end.screen).toContain(`task ${line.value[1]} goes on. Resume: kiln tasks wait ${line.value[1]} --family omni-video`);
    expect(end.screen).not.toMatch(/\(in queue\)/);
    const task = await stalled.api('GET', `/v1/videos/omni-video/${line.value[1]}`);
    expect(task.json.data.task_status).toBe('submitted');
  });

  it('shows a progress bar while downloading with -o, then where each file went', async () => {
    const dir = tempDir('kiln-tty-out-');
    const screen = terminal('download', live, `${kiln} ${omni} -o ${shellQuote(dir)}`);
    const bar = await until(screen, (s) => /-0\.mp4 [█░]+ (\d+)%\s+[\d.]+ kB \/ [\d.]+ kB/.exec(s));
    expect(Number(bar.value[1])).toBeLessThan(100);
    const end = await until(screen, (s) => s.includes('[exit 0]'));
    expect(end.screen).toMatch(/task \d+ succeed in [\d.]+s/);
    const saved = /saved (\S+-0\.mp4)/.exec(end.screen)?.[1];
    expect(saved && path.dirname(saved)).toBe(dir);
    expect(fs.statSync(saved!).size).toBeGreaterThan(1000);
    expect(end.screen).not.toMatch(/%|░/);
  });

  it('through a pipe shows no status line or bar, only the output', async () => {
    const screen = terminal('piped', live, `${kiln} ${omni} --wait --json 2>&1 | cat`);
    const seen: string[] = [];
    const end = await until(screen, (s) => {
      seen.push(s);
      return s.includes('[exit 0]');
    });
    for (const s of seen) expect(s).not.toMatch(/in queue|running\)|[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    const json = end.screen.split('\n').find((l) => l.startsWith('{'));
    expect(json).toBeTruthy();
  });
});
