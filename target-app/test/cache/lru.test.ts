import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/cache/lru.ts';

describe('LruCache', () => {
  it('evicts the least recently used entry beyond its bound', () => {
    const lru = new LruCache<number>(2);
    lru.set('a', 1, 1_000);
    lru.set('b', 2, 1_000);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3, 1_000);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
    expect(lru.size).toBe(2);
  });

  it('expires entries after their TTL and drops a prefix', () => {
    let now = 0;
    const lru = new LruCache<string>(10, () => now);
    lru.set('car:1', 'x', 100);
    lru.set('search:1', 'y', 1_000);
    now = 100;
    expect(lru.get('car:1')).toBeUndefined();
    lru.deletePrefix('search:');
    expect(lru.get('search:1')).toBeUndefined();
  });

  it('keeps its estimated bytes under the budget, oldest out first, and refuses an oversized value', () => {
    const lru = new LruCache<string>(1_000, Date.now, { maxBytes: 100, sizeOf: (v) => String(v).length });
    for (const key of ['a', 'b', 'c']) lru.set(key, 'x'.repeat(40), 1_000);
    expect([lru.get('a'), lru.size, lru.bytes]).toEqual([undefined, 2, 80]);
    lru.set('huge', 'x'.repeat(101), 1_000);
    expect([lru.get('huge'), lru.size, lru.bytes]).toEqual([undefined, 2, 80]);
    lru.set('b', 'x'.repeat(10), 1_000); // replacing an entry releases its old size
    lru.deletePrefix('c');
    expect([lru.size, lru.bytes]).toEqual([1, 10]);
    lru.clear();
    expect(lru.bytes).toBe(0);
  });

  it('takes a size the caller measured already instead of measuring again', () => {
    const lru = new LruCache<string>(1_000, Date.now, { maxBytes: 100, sizeOf: () => 1 });
    lru.set('a', 'x', 1_000, 60);
    lru.set('b', 'y', 1_000, 60);
    expect([lru.get('a'), lru.size, lru.bytes]).toEqual([undefined, 1, 60]);
  });
});
