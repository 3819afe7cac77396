// Invalidation (the API writes such as favourites will use) against a real Redis.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheMetrics } from '../../src/cache/cache-metrics.ts';
import { createTwoLevelCache, type TwoLevelCache } from '../../src/cache/two-level-cache.ts';
import { connectTestRedis, deleteKeys } from '../support/redis.ts';

const PREFIX = `ta-invalidate-test-${process.pid}:`;
const ttls = { carMs: 60_000, searchMs: 60_000, otherMs: 60_000 };
let redis: Redis;
const counted: string[] = [];
const metrics: CacheMetrics = {
  hit: (level, kind) => counted.push(`hit:${level}:${kind}`),
  miss: (level, kind) => counted.push(`miss:${level}:${kind}`),
  error: (kind, op) => counted.push(`error:${kind}:${op}`),
  duration: () => {},
};

function newCache(): TwoLevelCache {
  return createTwoLevelCache({
    l1MaxEntries: 100,
    ttls,
    redis,
    keyPrefix: PREFIX,
    enabled: () => true,
    metrics,
  });
}

beforeAll(async () => {
  redis = await connectTestRedis();
});

afterAll(async () => {
  await deleteKeys(redis, PREFIX);
  redis?.disconnect();
});

describe('TwoLevelCache invalidation', () => {
  it('drops one entry, then a whole kind, from both levels', async () => {
    const cache = newCache();
    let loads = 0;
    const load = async () => ({ n: ++loads });
    await cache.getOrLoad('car', '1', load);
    await cache.getOrLoad('recommendations', 'a', load);
    await cache.getOrLoad('recommendations', 'b', load);
    expect(await cache.getOrLoad('car', '1', load)).toEqual({ n: 1 });

    await cache.invalidate('car', '1');
    expect(await redis.exists(`${PREFIX}car:1`)).toBe(0);
    expect(await cache.getOrLoad('car', '1', load)).toEqual({ n: 4 });

    await cache.invalidateKind('recommendations');
    expect(await redis.keys(`${PREFIX}recommendations:*`)).toEqual([]);
    expect(await cache.getOrLoad('recommendations', 'a', load)).toEqual({ n: 5 });
    // Another instance (empty L1) reads the untouched car entry from L2.
    expect(await newCache().getOrLoad('car', '1', load)).toEqual({ n: 4 });
    expect(counted).toContain('hit:l2:car');
    expect(counted.filter((c) => c.startsWith('error'))).toEqual([]);
  });

  it('shares one load between concurrent misses', async () => {
    const cache = newCache();
    let loads = 0;
    const slow = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { slow: true };
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => cache.getOrLoad('similar', 'x', slow)));
    expect(results).toEqual(Array(5).fill({ slow: true }));
    expect(loads).toBe(1);
  });

  it('keeps responses as JSON text in both levels, with the same invalidation', async () => {
    const cache = newCache();
    let loads = 0;
    const load = async () => ({ items: [{ id: 7, city: 'München' }], n: ++loads });
    const first = await cache.getOrLoadJson('search', 'response:q', load);
    expect(JSON.parse(first!)).toEqual({ items: [{ id: 7, city: 'München' }], n: 1 });
    // L1 hands back the very text it stored; Redis holds the same JSON for other instances.
    expect(await cache.getOrLoadJson('search', 'response:q', load)).toBe(first);
    expect(await redis.get(`${PREFIX}search:response:q`)).toBe(first);
    const other = await newCache().getOrLoadJson('search', 'response:q', load);
    expect(other).toBe(first);
    expect(loads).toBe(1);

    await cache.invalidateKind('search');
    expect(await redis.exists(`${PREFIX}search:response:q`)).toBe(0);
    const again = await cache.getOrLoadJson('search', 'response:q', load);
    expect(JSON.parse(again!).n).toBe(2);
    expect(await cache.getOrLoadJson('search', 'response:none', async () => undefined)).toBeUndefined();
  });
});
