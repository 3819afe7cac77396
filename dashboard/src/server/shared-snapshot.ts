// One computation of a live snapshot at a time, shared by every viewer. The embedded store runs
// one query at a time per process, so N viewers each reading the same snapshot would queue N
// times the queries: instead, a read already under way is joined (single flight) and a finished
// one is reused until it is `ttlMs` old (the stream's refresh interval), then read afresh.
// With `refreshAhead`, a snapshot someone asked for recently is read again in the background
// shortly before it expires, so viewers get a finished snapshot (at most one interval old)
// instead of waiting for the store; only the first viewer after a quiet spell waits.

import type { ViewerActivity } from './viewer-activity.ts';

interface Entry<T> {
  value: Promise<T>;
  /** When the read finished (unix ms); undefined while it runs. */
  doneAt: number | undefined;
  /** How long the read took (ms), once finished: how early the next one must start. */
  tookMs: number;
  read: () => Promise<T>;
  ttlMs: number;
  /** The replacement being read in the background, if any. */
  next: Promise<T> | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface SnapshotCache {
  /** `read()`'s result for `key`: joined while in flight, reused while younger than `ttlMs`. */
  get<T>(key: string, ttlMs: number, read: () => Promise<T>): Promise<T>;
  /** Drops `key`'s snapshot, so the next viewer reads afresh (after a change the viewer made). */
  invalidate(key: string): void;
  /** How many reads have run (joins and reuses not counted): for tests and benchmarks. */
  readonly reads: number;
}

export interface SnapshotCacheOptions {
  /** false: every get reads (no joining, no reuse), to measure what a snapshot costs. */
  share?: boolean;
  /** Read a snapshot again before it expires while it was asked for within `keepWarmMs`. */
  refreshAhead?: boolean;
  keepWarmMs?: number;
  /** Called at every `get` (a viewer's stream asking): the process's viewer activity. */
  onAsk?: () => void;
}

/** A background read starts this long before expiry, at least (plus twice the last read's time). */
const MIN_LEAD_MS = 100;

export function createSnapshotCache(
  clock: () => number = Date.now,
  { share = true, refreshAhead = false, keepWarmMs = 60_000, onAsk }: SnapshotCacheOptions = {},
): SnapshotCache {
  const entries = new Map<string, Entry<unknown>>();
  const lastAsked = new Map<string, number>();
  let reads = 0;

  function schedule(key: string, entry: Entry<unknown>): void {
    if (!refreshAhead || entries.get(key) !== entry || entry.doneAt === undefined) return;
    const lead = Math.min(entry.ttlMs / 2, Math.max(MIN_LEAD_MS, 2 * entry.tookMs));
    const delay = Math.max(0, entry.doneAt + entry.ttlMs - lead - clock());
    entry.timer = setTimeout(() => refresh(key, entry), delay);
    entry.timer.unref?.();
  }

  /** Reads `entry`'s snapshot again; the new value replaces it once finished. */
  function refresh(key: string, entry: Entry<unknown>): void {
    entry.timer = undefined;
    if (entries.get(key) !== entry) return;
    if (clock() - (lastAsked.get(key) ?? 0) > keepWarmMs) {
      // Nobody watched for a while: let the snapshot expire rather than keep the store busy.
      lastAsked.delete(key);
      return;
    }
    reads += 1;
    const started = clock();
    const next = entry.read();
    entry.next = next;
    next.then(
      () => {
        if (entries.get(key) !== entry) return;
        const replacement: Entry<unknown> = {
          ...entry,
          value: next,
          doneAt: clock(),
          tookMs: clock() - started,
          next: undefined,
          timer: undefined,
        };
        entries.set(key, replacement);
        schedule(key, replacement);
      },
      () => {
        // A failed background read changes nothing: the snapshot expires and a viewer reads.
        entry.next = undefined;
      },
    );
  }

  function start<T>(key: string, ttlMs: number, read: () => Promise<T>): Promise<T> {
    reads += 1;
    const started = clock();
    const entry: Entry<T> = {
      value: read(),
      doneAt: undefined,
      tookMs: 0,
      read,
      ttlMs,
      next: undefined,
      timer: undefined,
    };
    const previous = entries.get(key);
    if (previous?.timer) clearTimeout(previous.timer);
    entries.set(key, entry as Entry<unknown>);
    entry.value.then(
      () => {
        entry.doneAt = clock();
        entry.tookMs = entry.doneAt - started;
        schedule(key, entry as Entry<unknown>);
      },
      () => {
        // A failed read is not kept: the next viewer tries again.
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    return entry.value;
  }

  return {
    get<T>(key: string, ttlMs: number, read: () => Promise<T>): Promise<T> {
      onAsk?.();
      if (!share) {
        reads += 1;
        return read();
      }
      lastAsked.set(key, clock());
      const seen = entries.get(key) as Entry<T> | undefined;
      if (seen && (seen.doneAt === undefined || clock() - seen.doneAt < ttlMs)) return seen.value;
      // Expired while its background read runs: join that read rather than start another.
      if (seen?.next) return seen.next as Promise<T>;
      return start(key, ttlMs, read);
    },
    invalidate(key: string): void {
      const entry = entries.get(key);
      if (entry?.timer) clearTimeout(entry.timer);
      entries.delete(key);
    },
    get reads() {
      return reads;
    },
  };
}

// One cache per Services object (each test starts its own), so nothing is shared across stores.
const caches = new WeakMap<object, SnapshotCache>();

/**
 * The live streams' cache for these services: shared and refreshed ahead, unless the process
 * runs with LIVE_SNAPSHOTS=fresh (every viewer computes its own snapshot; benchmarks use it).
 */
export function snapshotCacheOf(owner: {
  config?: { liveSnapshots?: 'shared' | 'fresh' };
  viewers?: ViewerActivity;
}): SnapshotCache {
  let cache = caches.get(owner);
  if (!cache) {
    const fresh = owner.config?.liveSnapshots === 'fresh';
    const viewers = owner.viewers;
    cache = createSnapshotCache(Date.now, {
      share: !fresh,
      refreshAhead: !fresh,
      ...(viewers ? { onAsk: () => viewers.note() } : {}),
    });
    caches.set(owner, cache);
  }
  return cache;
}
