// WAL checkpoints off the event loop. SQLite normally checkpoints inside the commit that fills the WAL, which
// then copies pages and fsyncs on the thread serving requests (measured: ~30 % of a create's SQLite time). Here a
// worker thread with its own connection checkpoints twice a second instead; the automatic checkpoint stays on at a
// high mark as a safety net should the worker stop.

import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next round will do it */ }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
`;

export function startCheckpointer(file: string, driverPath: string, intervalMs = 500): { stop: () => Promise<void> } {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver: driverPath, intervalMs } });
  worker.unref();
  return {
    stop: () => new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage('stop');
    }),
  };
}
