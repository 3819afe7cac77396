// One computation of a live snapshot at a time, shared by every viewer. The embedded store runs
// one query at a time per process, so N viewers each reading the same snapshot would queue N
// times the queries: instead, a read already under way is joined (single flight) and a finished
// one is reused until it is `ttlMs` old (the stream's refresh interval), then read afresh.

interface Entry<T> {
  value: Promise<T>;
  /** When the read finished (unix ms); undefined while it runs. */
  doneAt: number | undefined;
}

export interface SnapshotCache {
  /** `read()`'s result for `key`: joined while in flight, reused while younger than `ttlMs`. */
  get<T>(key: string, ttlMs: number, read: () => Promise<T>): Promise<T>;
  /** Drops `key`'s snapshot, so the next viewer reads afresh (after a change the viewer made). */
  invalidate(key: string): void;
  /** How many reads have run (joins and reuses not counted): for tests and benchmarks. */
  readonly reads: number;
}

export function createSnapshotCache(clock: () => number = Date.now): SnapshotCache {
  const entries = new Map<string, Entry<unknown>>();
  let reads = 0;
  return {
    get<T>(key: string, ttlMs: number, read: () => Promise<T>): Promise<T> {
      const seen = entries.get(key) as Entry<T> | undefined;
      if (seen && (seen.doneAt === undefined || clock() - seen.doneAt < ttlMs)) return seen.value;
      reads += 1;
      const entry: Entry<T> = { value: read(), doneAt: undefined };
      entries.set(key, entry);
      entry.value.then(
        () => {
          entry.doneAt = clock();
        },
        () => {
          // A failed read is not kept: the next viewer tries again.
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      return entry.value;
    },
    invalidate(key: string): void {
      entries.delete(key);
    },
    get reads() {
      return reads;
    },
  };
}

// One cache per Services object (each test starts its own), so nothing is shared across stores.
const caches = new WeakMap<object, SnapshotCache>();

export function snapshotCacheOf(owner: object): SnapshotCache {
  let cache = caches.get(owner);
  if (!cache) {
    cache = createSnapshotCache();
    caches.set(owner, cache);
  }
  return cache;
}
