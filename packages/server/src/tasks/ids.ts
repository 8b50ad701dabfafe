// Task ids: numeric strings of 18–19 digits, ordered by creation time, like Kling's ("743211632612511839").
// Layout (63 bits): milliseconds since 2020-01-01 | 8-bit worker number | 14-bit sequence. The worker number is
// assigned by the database to each running process (store/workers.ts), so processes sharing one store never make
// the same id; the sequence orders ids within a millisecond.

const EPOCH = 1_577_836_800_000n;
const WORKER_BITS = 8n;
const SEQUENCE_BITS = 14n;
const SEQUENCE_MASK = (1n << SEQUENCE_BITS) - 1n;

export class TaskIdGenerator {
  private lastMs = 0n;
  private sequence = 0n;
  private worker: bigint;

  constructor(workerNumber: number) {
    this.worker = TaskIdGenerator.checked(workerNumber);
  }

  /** A process that had to claim a new number (it lost its old one) keeps its clock and sequence. */
  setWorkerNumber(workerNumber: number): void {
    this.worker = TaskIdGenerator.checked(workerNumber);
  }

  next(now = Date.now()): string {
    let ms = BigInt(now) - EPOCH;
    if (ms < this.lastMs) ms = this.lastMs; // the clock stepped back: keep ids increasing
    if (ms === this.lastMs) {
      this.sequence = (this.sequence + 1n) & SEQUENCE_MASK;
      if (this.sequence === 0n) ms = this.lastMs + 1n; // 16,384 ids in one millisecond: borrow the next one
    } else {
      this.sequence = 0n;
    }
    this.lastMs = ms;
    return ((ms << (WORKER_BITS + SEQUENCE_BITS)) | (this.worker << SEQUENCE_BITS) | this.sequence).toString();
  }

  private static checked(n: number): bigint {
    if (!Number.isInteger(n) || n < 0 || n >= 2 ** Number(WORKER_BITS)) throw new RangeError(`worker number ${n} out of range`);
    return BigInt(n);
  }
}

// The process's generator. Until the server claims its number from the database (a tool or a test that never
// starts one), it uses a random number: such processes write no tasks another process could collide with.
const processIds = new TaskIdGenerator(Math.floor(Math.random() * 2 ** Number(WORKER_BITS)));

/** Gives this process's ids the worker number the database assigned it. */
export function useWorkerNumber(workerNumber: number): void {
  processIds.setWorkerNumber(workerNumber);
}

export function newTaskId(now = Date.now()): string {
  return processIds.next(now);
}
