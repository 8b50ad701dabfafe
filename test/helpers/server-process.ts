// A kiln server as its own process (`npm start`'s entry point), for tests that kill it or start a second one on the
// same data directory. Started when it says it listens, or failed when it exits first: events, however long a loaded
// machine takes to boot. Every process started is killed with SIGKILL after each test.

import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterEach } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  listening: boolean;
  exitCode: number | null;
  output: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts a server on `dataDir` with `apiKey` as its default tenant's key; resolves once it listens or exits. */
export async function startServerProcess(
  dataDir: string, apiKey: string, env: Record<string, string> = {}, port?: number,
): Promise<ServerProcess> {
  const chosenPort = port ?? await freePort();
  const child = spawn(process.execPath, ['--conditions=@kiln/source', '--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(chosenPort), HOST: '127.0.0.1', KILN_DATA_DIR: dataDir, KILN_API_KEY: apiKey, KILN_LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve) => {
    const onData = (d: Buffer) => {
      output += d;
      if (output.includes('listening')) resolve({ child, port: chosenPort, listening: true, exitCode: null, output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => resolve({ child, port: chosenPort, listening: false, exitCode: code, output }));
  });
}
