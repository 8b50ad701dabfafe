// Task ids: numeric strings of 18–19 digits, ordered by creation time, like Kling's ("743211632612511839").
// Layout (63 bits): milliseconds since 2020-01-01 | 6 bits of process id | 16-bit sequence. The process bits are
// random so several processes sharing one store do not collide.

const EPOCH = 1_577_836_800_000n;
const processBits = BigInt(Math.floor(Math.random() * 64));
let lastMs = 0n;
let sequence = 0n;

export function newTaskId(now = Date.now()): string {
  let ms = BigInt(now) - EPOCH;
  if (ms < lastMs) ms = lastMs; // the clock stepped back: keep ids increasing
  if (ms === lastMs) {
    sequence = (sequence + 1n) & 0xffffn;
    if (sequence === 0n) ms = lastMs + 1n; // 65,536 ids in one millisecond: borrow the next one
  } else {
    sequence = 0n;
  }
  lastMs = ms;
  return ((ms << 22n) | (processBits << 16n) | sequence).toString();
}
