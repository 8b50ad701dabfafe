// Bounds how often one repeated message is reported: workers poll every 250 ms, and while the disk is full every
// poll fails the same way; one line per window, with the number of repeats left out, says as much as thousands.

export class RepeatLimiter {
  private readonly seen = new Map<string, { reportedAt: number; suppressed: number }>();

  constructor(
    private readonly windowMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether to report `key` now: undefined when it was reported less than a window ago (the repeat is counted),
   * otherwise how many repeats were left out since it was last reported.
   */
  admit(key: string): number | undefined {
    const now = this.now();
    const entry = this.seen.get(key);
    if (entry && now - entry.reportedAt < this.windowMs) {
      entry.suppressed++;
      return undefined;
    }
    const suppressed = entry?.suppressed ?? 0;
    this.seen.set(key, { reportedAt: now, suppressed: 0 });
    // Distinct messages are few (they name no ids); the bound only guards against a message that does.
    if (this.seen.size > 1_000) this.seen.delete(this.seen.keys().next().value!);
    return suppressed;
  }
}
