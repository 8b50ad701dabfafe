// Reads by key that arrive together go to the database as one query (PostgreSQL, where each query is a round trip
// with a system call on both sides, and the round trips were what a task GET spent its time on). A read waits at
// most until the next turn of the event loop; one that arrives while a batch is in flight goes into the next batch,
// so it always sees what was committed before it arrived.

const MAX_KEYS = 200;

export class ReadBatch<K, V> {
  private pending = new Map<K, { resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[]>();

  constructor(private readonly load: (keys: K[]) => Promise<Map<K, V>>) {}

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      let waiting = this.pending.get(key);
      if (!waiting) {
        this.pending.set(key, (waiting = []));
        if (this.pending.size === 1) setImmediate(() => void this.flush());
      }
      waiting.push({ resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += MAX_KEYS) {
      const chunk = keys.slice(i, i + MAX_KEYS);
      try {
        const found = await this.load(chunk);
        for (const key of chunk) for (const w of batch.get(key)!) w.resolve(found.get(key));
      } catch (error) {
        for (const key of chunk) for (const w of batch.get(key)!) w.reject(error);
      }
    }
  }
}
