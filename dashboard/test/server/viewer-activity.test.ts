import { describe, expect, test } from 'vitest';
import { createSnapshotCache } from '../../src/server/shared-snapshot.ts';
import {
  coalesceWindow,
  createViewerActivity,
  longestCoalesceMs,
  VIEWER_PRESENT_MS,
} from '../../src/server/viewer-activity.ts';

describe('viewer activity and the collector window it picks', () => {
  test('a viewer is present for a minute after their last request', () => {
    let now = 1_000_000;
    const viewers = createViewerActivity(() => now);
    expect(viewers.present).toBe(false);
    viewers.note();
    now += VIEWER_PRESENT_MS - 1;
    expect(viewers.present).toBe(true);
    now += 1;
    expect(viewers.present).toBe(false);
  });

  test('the window is COLLECTOR_COALESCE_MS while watched, the longer one otherwise, and off stays off', () => {
    let now = 0;
    const viewers = createViewerActivity(() => now);
    const window = coalesceWindow(
      { COLLECTOR_COALESCE_MS: 5000, COLLECTOR_COALESCE_UNWATCHED_MS: 15_000 },
      viewers,
    );
    expect(window()).toBe(15_000);
    viewers.note();
    expect(window()).toBe(5000);
    now += VIEWER_PRESENT_MS;
    expect(window()).toBe(15_000);
    // Never shorter than the watched window, and no coalescing when it is off.
    expect(
      coalesceWindow({ COLLECTOR_COALESCE_MS: 20_000, COLLECTOR_COALESCE_UNWATCHED_MS: 15_000 }, viewers)(),
    ).toBe(20_000);
    expect(
      coalesceWindow({ COLLECTOR_COALESCE_MS: 0, COLLECTOR_COALESCE_UNWATCHED_MS: 15_000 }, viewers)(),
    ).toBe(0);
    expect(longestCoalesceMs({ COLLECTOR_COALESCE_MS: 5000, COLLECTOR_COALESCE_UNWATCHED_MS: 15_000 })).toBe(
      15_000,
    );
    expect(longestCoalesceMs({ COLLECTOR_COALESCE_MS: 0, COLLECTOR_COALESCE_UNWATCHED_MS: 15_000 })).toBe(0);
  });

  test("a live stream's snapshot request counts as a viewer", async () => {
    let now = 0;
    const viewers = createViewerActivity(() => now);
    const cache = createSnapshotCache(() => now, { onAsk: () => viewers.note() });
    await cache.get('overview', 1000, async () => 1);
    expect(viewers.present).toBe(true);
    now += VIEWER_PRESENT_MS;
    expect(viewers.present).toBe(false);
    // Reused from the cache, still a viewer asking.
    await cache.get('overview', 10 * VIEWER_PRESENT_MS, async () => 2);
    expect(viewers.present).toBe(true);
  });
});
