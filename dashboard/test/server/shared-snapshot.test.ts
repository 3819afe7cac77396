import { expect, it, vi } from 'vitest';
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

it('refreshes ahead while watched: a viewer after the interval gets the new snapshot at once', async () => {
  vi.useFakeTimers();
  try {
    const cache = createSnapshotCache(Date.now, { refreshAhead: true, keepWarmMs: 10_000 });
    let reads = 0;
    // Each read takes 300 ms of (fake) time.
    const read = () => new Promise<number>((resolve) => setTimeout(() => resolve(++reads), 300));
    const first = cache.get('k', 2000, read);
    await vi.advanceTimersByTimeAsync(300);
    expect(await first).toBe(1);
    // Before it expires, the background read has started and finished: no viewer waits for it.
    await vi.advanceTimersByTimeAsync(2000);
    expect(reads).toBe(2);
    expect(await cache.get('k', 2000, read)).toBe(2);
    // Nobody asks any more: after keepWarmMs the refreshing stops and the snapshot expires.
    await vi.advanceTimersByTimeAsync(30_000);
    const settled = reads;
    expect(settled).toBeLessThanOrEqual(8);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(reads).toBe(settled);
  } finally {
    vi.useRealTimers();
  }
});

it('without sharing, every viewer reads its own snapshot', async () => {
  const cache = createSnapshotCache(fakeClock().now, { share: false });
  let reads = 0;
  const read = async () => ++reads;
  expect(await Promise.all([cache.get('k', 2000, read), cache.get('k', 2000, read)])).toEqual([1, 2]);
  expect(cache.reads).toBe(2);
});
