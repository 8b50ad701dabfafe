// Runs a child process without a shell and turns a failure into an Error that says what went wrong.

import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { basename } from 'node:path';

export interface RunOptions {
  signal?: AbortSignal;
  /** Keep stdout (ffprobe's JSON, raw frames); off by default so a chatty process cannot fill memory. */
  captureStdout?: boolean;
  /** A nice value (0–19) for background work that must not slow whatever else runs here. */
  nice?: number;
}

export interface RunResult {
  /** Empty unless captureStdout was set. */
  stdout: Buffer;
  stderr: string;
}

// Enough of ffmpeg's stderr to hold the real error, which comes last, after the banner and stream listing.
const STDERR_KEEP = 16 * 1024;
const STDERR_LINES_IN_ERROR = 8;

export function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const name = basename(command);
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(abortError(name, options.signal));
      return;
    }
    // SIGKILL, not SIGTERM: an aborted render's output is thrown away, and ffmpeg given SIGTERM first finishes the file.
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal, killSignal: 'SIGKILL' });
    if (options.nice && child.pid !== undefined) {
      // Set right after the spawn (it survives the exec), before the program starts its worker threads, which inherit
      // it. Best effort: a process that already ended, or a system that refuses, still gets its work done.
      try {
        setPriority(child.pid, options.nice);
      } catch {
        // ignored
      }
    }
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (options.captureStdout) stdout.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > 2 * STDERR_KEEP) stderr = stderr.slice(-STDERR_KEEP);
    });
    child.on('error', (err) => {
      // An abort is reported here the moment the kill is sent, while the child may still be writing: a caller that then
      // removes its output would race the child's last writes. A started child is waited for ('close' answers instead).
      if (options.signal?.aborted && child.pid !== undefined) return;
      if (options.signal?.aborted) reject(abortError(name, options.signal));
      else reject(new Error(`${name} could not start: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      if (options.signal?.aborted) {
        reject(abortError(name, options.signal));
      } else if (code === 0) {
        resolve({ stdout: Buffer.concat(stdout), stderr: stderr.slice(-STDERR_KEEP) });
      } else {
        const how = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
        const tail = stderr.trim().split('\n').slice(-STDERR_LINES_IN_ERROR).join('\n');
        reject(new Error(`${name} ${how}${tail ? `:\n${tail}` : ''}`));
      }
    });
  });
}

function abortError(name: string, signal: AbortSignal): Error {
  const reason = signal.reason instanceof Error ? signal.reason.message : 'aborted';
  return new Error(`${name} was aborted (${reason})`, { cause: signal.reason });
}
