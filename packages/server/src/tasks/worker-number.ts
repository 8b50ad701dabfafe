// Holds this process's worker number (store/workers.ts) for as long as it runs: claimed at start, renewed by a
// heartbeat, given to the task id generator, freed at shutdown. A process that was frozen so long that its number was
// claimed by another claims a fresh one at its next beat.

import type { Db } from '../store/open.ts';
import { claimWorkerNumber, releaseWorkerNumber, renewWorkerNumber, WORKER_HEARTBEAT_MS } from '../store/workers.ts';
import { newLeaseOwner } from '../store/jobs.ts';
import { useWorkerNumber } from './ids.ts';

export interface HeldWorkerNumber {
  readonly number: () => number;
  stop(): Promise<void>;
}

export async function holdWorkerNumber(db: Db, onError: (error: unknown) => void): Promise<HeldWorkerNumber> {
  const owner = newLeaseOwner();
  let number = await claimWorkerNumber(db, owner);
  useWorkerNumber(number);
  const beat = async () => {
    try {
      if (await renewWorkerNumber(db, number, owner)) return;
      number = await claimWorkerNumber(db, owner);
      useWorkerNumber(number);
    } catch (error) {
      onError(error);
    }
  };
  const timer = setInterval(() => void beat(), WORKER_HEARTBEAT_MS);
  timer.unref();
  return {
    number: () => number,
    async stop() {
      clearInterval(timer);
      await releaseWorkerNumber(db, number, owner).catch(onError);
    },
  };
}
