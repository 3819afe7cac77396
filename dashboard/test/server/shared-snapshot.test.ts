import { expect, it } from 'vitest';
import { createSnapshotCache } from '../../src/server/shared-snapshot.ts';

function fakeClock() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

it('joins a read in flight and reuses it until it is as old as the interval', async () => {
  const clock = fakeClock();
  const cache = createSnapshotCache(clock.now);
  let reads = 0;
  const read = async () => ++reads;
  const [a, b] = await Promise.all([cache.get('k', 2000, read), cache.get('k', 2000, read)]);
  expect([a, b]).toEqual([1, 1]);
  clock.advance(1999);
  expect(await cache.get('k', 2000, read)).toBe(1);
  clock.advance(1);
  expect(await cache.get('k', 2000, read)).toBe(2);
  expect(cache.reads).toBe(2);
});

it('keeps keys apart, forgets a failed read and drops an invalidated one', async () => {
  const cache = createSnapshotCache(fakeClock().now);
  await expect(cache.get('a', 2000, async () => Promise.reject(new Error('store down')))).rejects.toThrow(
    'store down',
  );
  expect(await cache.get('a', 2000, async () => 'recovered')).toBe('recovered');
  expect(await cache.get('b', 2000, async () => 'other')).toBe('other');
  cache.invalidate('a');
  expect(await cache.get('a', 2000, async () => 'fresh')).toBe('fresh');
});
