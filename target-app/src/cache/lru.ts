// L1: a bounded in-process LRU with per-entry expiry. A Map keeps insertion order, so re-inserting on
// a hit moves the entry to the young end and the first key is always the least recently used.
// Bounded by entries and, when given a size per entry, by bytes: search pages with facets are tens
// of kilobytes each, so an entry count alone let the heap grow past the service's memory budget.

type Entry<V> = { value: V; expiresAt: number; bytes: number };

export type LruBytes = { maxBytes: number; sizeOf: (value: unknown) => number };

export class LruCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #bytes: LruBytes | undefined;
  #totalBytes = 0;

  constructor(maxEntries: number, now: () => number = Date.now, bytes?: LruBytes) {
    this.#maxEntries = maxEntries;
    this.#now = now;
    this.#bytes = bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Estimated bytes held (0 without a size function). */
  get bytes(): number {
    return this.#totalBytes;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.#now()) {
      this.#totalBytes -= entry.bytes;
      return undefined;
    }
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** `knownBytes`: the value's size when the caller has it already (saves measuring it again). */
  set(key: string, value: V, ttlMs: number, knownBytes?: number): void {
    this.delete(key);
    const bytes = this.#bytes === undefined ? 0 : (knownBytes ?? this.#bytes.sizeOf(value));
    // An entry larger than the whole budget would only evict everything else: don't keep it.
    if (this.#bytes !== undefined && bytes > this.#bytes.maxBytes) return;
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs, bytes });
    this.#totalBytes += bytes;
    const maxBytes = this.#bytes?.maxBytes ?? Number.POSITIVE_INFINITY;
    while (this.#entries.size > this.#maxEntries || this.#totalBytes > maxBytes) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#totalBytes -= entry.bytes;
  }

  /** Removes every key starting with `prefix` (a kind's whole namespace). */
  deletePrefix(prefix: string): void {
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#totalBytes = 0;
  }
}
