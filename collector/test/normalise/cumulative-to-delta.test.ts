import { describe, expect, it } from 'vitest';
import { CumulativeToDelta } from '../../src/index.ts';

const point = (value: number, time: bigint, start = 100n) => ({
  attributes: {},
  startTimeUnixNano: start,
  timeUnixNano: time,
  value,
  flags: 0,
  exemplars: [],
});

describe('CumulativeToDelta', () => {
  it('uses the first point of an old series as baseline, then emits differences', () => {
    const c = new CumulativeToDelta({ startedAtUnixNano: 1_000n });
    expect(c.sum('s', point(10, 200n))).toBeNull();
    expect(c.sum('s', point(15, 300n))).toMatchObject({ value: 5, startTimeUnixNano: 200n });
    expect(c.sum('s', point(15, 400n))).toMatchObject({ value: 0 });
  });
  it('emits the first point whole when the series started after the collector', () => {
    const c = new CumulativeToDelta({ startedAtUnixNano: 50n });
    expect(c.sum('s', point(10, 200n))).toMatchObject({ value: 10 });
  });
  it('treats a drop or a new start time as a reset', () => {
    const c = new CumulativeToDelta({ startedAtUnixNano: 1_000n });
    c.sum('s', point(10, 200n));
    expect(c.sum('s', point(3, 300n))).toMatchObject({ value: 3 });
    expect(c.sum('s', point(8, 400n, 350n))).toMatchObject({ value: 8 });
  });
  it('drops out-of-order points without moving the baseline', () => {
    const c = new CumulativeToDelta({ startedAtUnixNano: 1_000n });
    c.sum('s', point(10, 300n));
    expect(c.sum('s', point(5, 200n))).toBeNull();
    expect(c.sum('s', point(12, 400n))).toMatchObject({ value: 2 });
  });
  it('subtracts histogram buckets and keeps memory bounded', () => {
    const c = new CumulativeToDelta({ startedAtUnixNano: 1_000n, maxSeries: 3 });
    const h = (counts: number[], time: bigint) => ({
      ...point(0, time),
      count: counts.reduce((a, b) => a + b, 0),
      sum: counts.length,
      bucketCounts: counts,
      explicitBounds: [1],
      min: 0,
      max: 0,
    });
    c.histogram('h', h([1, 1], 200n));
    expect(c.histogram('h', h([3, 2], 300n))).toMatchObject({ count: 3, bucketCounts: [2, 1] });
    for (let i = 0; i < 10; i++) c.sum(`s${i}`, point(1, 200n));
    expect(c.seriesCount).toBeLessThanOrEqual(3);
  });
});
