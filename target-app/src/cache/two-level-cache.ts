// Read-through cache in two levels: L1 an in-process LRU (per instance), L2 Redis shared by every
// instance when REDIS_URL is set. Redis failures are counted and treated as misses, never surfaced.
import type { Context, Tracer } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import { withRedisSpan } from '../telemetry/redis-spans.ts';
import type { CacheMetrics } from './cache-metrics.ts';
import { LruCache } from './lru.ts';

export const CACHE_KINDS = ['car', 'search', 'makes', 'similar', 'recommendations'] as const;
export type CacheKind = (typeof CACHE_KINDS)[number];
export type CacheLevel = 'l1' | 'l2';

/** TTL per kind: car details, search results, and every other API response. */
export type CacheTtls = { carMs: number; searchMs: number; otherMs: number };

export type CacheOptions = {
  l1MaxEntries: number;
  /** L1's byte budget (estimated as the JSON length of each value); absent → entries only. */
  l1MaxBytes?: number | undefined;
  ttls: CacheTtls;
  /** L2; absent → L1 only. */
  redis?: Redis | undefined;
  /** Namespace of this deployment's keys in Redis. */
  keyPrefix: string;
  /** Read on every call, so the chaos switch takes effect at once. */
  enabled: () => boolean;
  /**
   * Whether L2 is used (read on every call; the redisL2 optimisation switch). Off → L1 and the
   * loader only; invalidations still reach Redis, so nothing stale is there when it is back on.
   */
  l2Enabled?: () => boolean;
  metrics: CacheMetrics;
  /** Makes a CLIENT span per Redis command under the caller's span (when getOrLoad is given one). */
  tracer?: Tracer | undefined;
};

export type TwoLevelCache = {
  /** The cached value, else `load()`'s (stored unless undefined, e.g. a 404). */
  getOrLoad<T>(
    kind: CacheKind,
    key: string,
    load: () => Promise<T | undefined>,
    parent?: Context,
  ): Promise<T | undefined>;
  /**
   * Like getOrLoad, but keeps the value's JSON text in both levels and returns it: a cached response
   * goes out without being serialised again (serialising took a fifth of the CPU of a cached
   * search). Text, not Buffers: strings live in the V8 heap under its cap, while evicted Buffers
   * held memory outside it until a GC (RSS 191 → 214 MB in the bench). Same keys, TTLs,
   * invalidation and metrics as getOrLoad under the same kind.
   */
  getOrLoadJson(
    kind: CacheKind,
    key: string,
    load: () => Promise<unknown>,
    parent?: Context,
  ): Promise<string | undefined>;
  /** Drops one entry from both levels (a write to one car). */
  invalidate(kind: CacheKind, key: string): Promise<void>;
  /**
   * Drops a whole kind (e.g. recommendations after a favourite changes). Other instances' L1 copies
   * live on until their TTL: L1 TTLs bound that staleness.
   */
  invalidateKind(kind: CacheKind): Promise<void>;
};

function ttlOf(ttls: CacheTtls, kind: CacheKind): number {
  switch (kind) {
    case 'car':
      return ttls.carMs;
    case 'search':
      return ttls.searchMs;
    case 'makes':
    case 'similar':
    case 'recommendations':
      return ttls.otherMs;
  }
}

/** UTF-16 code units of the value's JSON: close to what V8 keeps for the strings inside it. */
const bytesOfJson = (json: string | undefined) => (json?.length ?? 0) * 2;
const jsonBytes = (value: unknown) => bytesOfJson(JSON.stringify(value));

export function createTwoLevelCache(options: CacheOptions): TwoLevelCache {
  const { redis, metrics, keyPrefix } = options;
  const l1 = new LruCache<unknown>(
    options.l1MaxEntries,
    Date.now,
    options.l1MaxBytes === undefined ? undefined : { maxBytes: options.l1MaxBytes, sizeOf: jsonBytes },
  );
  // Concurrent misses for one key share a single load (no stampede on the database).
  const loading = new Map<string, Promise<unknown>>();
  const redisUp = (): boolean => redis?.status === 'ready';
  const l2On = (): boolean => redis !== undefined && (options.l2Enabled?.() ?? true);
  const target =
    redis === undefined ? undefined : { host: redis.options.host ?? '', port: redis.options.port ?? 6379 };

  async function timed<T>(level: CacheLevel, kind: CacheKind, op: string, work: () => T | Promise<T>) {
    const started = performance.now();
    try {
      return await work();
    } finally {
      metrics.duration(level, kind, op, (performance.now() - started) / 1000);
    }
  }

  /** An L2 entry as the caller keeps it in L1 (value and its size), from the JSON Redis holds. */
  type Decode = (json: string) => { value: unknown; bytes: number };
  const decodeValue: Decode = (json) => ({ value: JSON.parse(json), bytes: bytesOfJson(json) });
  const keepJson: Decode = (json) => ({ value: json, bytes: bytesOfJson(json) });

  async function readL2(
    kind: CacheKind,
    key: string,
    decode: Decode,
    parent: Context | undefined,
  ): Promise<{ value: unknown; bytes: number } | undefined> {
    if (redis === undefined || !l2On()) return undefined;
    if (!redisUp()) {
      metrics.error(kind, 'get');
      return undefined;
    }
    try {
      const stored = await timed('l2', kind, 'get', () =>
        withRedisSpan(options.tracer, parent, 'GET', target, () => redis.get(`${keyPrefix}${key}`)),
      );
      return stored === null ? undefined : decode(stored);
    } catch {
      metrics.error(kind, 'get');
      return undefined;
    }
  }

  async function writeL2(
    kind: CacheKind,
    key: string,
    json: string,
    ttlMs: number,
    parent: Context | undefined,
  ): Promise<void> {
    if (redis === undefined || !l2On()) return;
    if (!redisUp()) {
      metrics.error(kind, 'set');
      return;
    }
    try {
      await timed('l2', kind, 'set', () =>
        withRedisSpan(options.tracer, parent, 'SET', target, () =>
          redis.set(`${keyPrefix}${key}`, json, 'PX', ttlMs),
        ),
      );
    } catch {
      metrics.error(kind, 'set');
    }
  }

  /**
   * L1, else one shared lookup per key (concurrent misses don't stampede the database): L2, else
   * `load()`, stored in both levels unless undefined. `asJson`: `load` yields JSON text, which both
   * levels keep as it is.
   */
  async function cached(
    kind: CacheKind,
    key: string,
    load: () => Promise<unknown>,
    asJson: boolean,
    parent: Context | undefined,
  ): Promise<unknown> {
    const fullKey = `${kind}:${key}`;
    const fromL1 = await timed('l1', kind, 'get', () => l1.get(fullKey));
    if (fromL1 !== undefined) {
      metrics.hit('l1', kind);
      return fromL1;
    }
    metrics.miss('l1', kind);
    const pending = loading.get(fullKey);
    if (pending !== undefined) return pending;
    const ttlMs = ttlOf(options.ttls, kind);
    const lookup = async (): Promise<unknown> => {
      const fromL2 = await readL2(kind, fullKey, asJson ? keepJson : decodeValue, parent);
      if (fromL2 !== undefined) {
        metrics.hit('l2', kind);
        l1.set(fullKey, fromL2.value, ttlMs, fromL2.bytes);
        return fromL2.value;
      }
      if (l2On()) metrics.miss('l2', kind);
      const loaded = await load();
      if (loaded === undefined) return undefined;
      // Serialised once (if at all), for both the L1 size estimate and the L2 copy.
      const json = asJson
        ? (loaded as string)
        : !l2On() && options.l1MaxBytes === undefined
          ? undefined
          : JSON.stringify(loaded);
      l1.set(fullKey, loaded, ttlMs, json === undefined ? undefined : bytesOfJson(json));
      if (json !== undefined) await writeL2(kind, fullKey, json, ttlMs, parent);
      return loaded;
    };
    const started = lookup().finally(() => loading.delete(fullKey));
    loading.set(fullKey, started);
    return started;
  }

  return {
    async getOrLoad<T>(kind: CacheKind, key: string, load: () => Promise<T | undefined>, parent?: Context) {
      if (!options.enabled()) return load();
      return (await cached(kind, key, load, false, parent)) as T | undefined;
    },
    async getOrLoadJson(kind, key, load, parent) {
      const loadJson = async () => {
        const loaded = await load();
        return loaded === undefined ? undefined : JSON.stringify(loaded);
      };
      if (!options.enabled()) return loadJson();
      return (await cached(kind, key, loadJson, true, parent)) as string | undefined;
    },
    async invalidate(kind, key) {
      const fullKey = `${kind}:${key}`;
      l1.delete(fullKey);
      if (redis === undefined || !redisUp()) return;
      await redis.del(`${keyPrefix}${fullKey}`).catch(() => metrics.error(kind, 'delete'));
    },
    async invalidateKind(kind) {
      l1.deletePrefix(`${kind}:`);
      if (redis === undefined || !redisUp()) return;
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}${kind}:*`, 'COUNT', 500);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } catch {
        metrics.error(kind, 'delete');
      }
    },
  };
}
