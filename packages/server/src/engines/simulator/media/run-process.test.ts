// Child processes: failures must say which command failed, how, and what it printed last.

import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from './run-process.ts';

const node = process.execPath;

describe('runProcess', () => {
  it('returns stdout when asked to keep it', async () => {
    const { stdout } = await runProcess(node, ['-e', 'process.stdout.write("hi")'], { captureStdout: true });
    expect(stdout.toString()).toBe('hi');
  });

  it('passes arguments verbatim, with no shell in between', async () => {
    const arg = '$(echo no) ; `x` "quoted" \'single\'';
    const { stdout } = await runProcess(node, ['-e', 'process.stdout.write(process.argv[1])', arg], { captureStdout: true });
    expect(stdout.toString()).toBe(arg);
  });

  it('rejects with the command name, exit code and the last stderr lines', async () => {
    const script = 'for (let i = 0; i < 50; i++) console.error("line " + i); process.exit(3)';
    const error = await runProcess(node, ['-e', script]).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^node exited with code 3:\n/);
    expect((error as Error).message).toContain('line 49');
    expect((error as Error).message).not.toContain('line 10\n');
  });

  it('rejects when the command does not exist', async () => {
    await expect(runProcess('/nonexistent/ffmpeg', [])).rejects.toThrow(/^ffmpeg could not start: .*ENOENT/);
  });

  it('stops the process when the signal aborts, and rejects only once it has ended, having written nothing more', async () => {
    const controller = new AbortController();
    // A child that would live ten minutes, recognisable by a marker in its arguments, and that, like ffmpeg, would
    // still write its output for a while if asked politely to stop.
    const marker = `kiln-abort-${randomUUID()}`;
    const late = join(tmpdir(), `${marker}.late`);
    const script = `process.on('SIGTERM', () => setTimeout(() => { require('node:fs').writeFileSync(${JSON.stringify(late)}, 'x'); process.exit(); }, 200)); setTimeout(() => {}, 600000)`;
    const run = runProcess(node, ['-e', script, marker], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('task cancelled')), 100);
    await expect(run).rejects.toThrow('node was aborted (task cancelled)');
    // Already gone when the run rejects, so a caller removing the child's output cannot race its last writes.
    expect(runningWith(marker)).toBe(false);
    expect(existsSync(late)).toBe(false);
    await expect(runProcess(node, ['-e', ''], { signal: controller.signal })).rejects.toThrow('was aborted');
  });

  it('runs background work at the nice value asked for, so it yields the CPU to the API', async () => {
    // The child reports its own priority a moment after starting, once the parent has lowered it.
    const script = "setTimeout(() => process.stdout.write(String(require('node:os').getPriority())), 200)";
    const { stdout } = await runProcess(node, ['-e', script], { nice: 10, captureStdout: true });
    expect(stdout.toString()).toBe('10');
  });
});

/** Whether a process whose command line contains `marker` is running (Linux /proc, where CI runs). */
function runningWith(marker: string): boolean {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).some((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
    } catch {
      return false; // ended while we looked
    }
  });
}
