// Cumulative exponential histograms → delta: downscaling merges buckets exactly, a scale change
// between points is handled, shrinking buckets are resets, and the first point is a baseline.
import { describe, expect, it } from 'vitest';
import { CumulativeToDelta } from '../../src/index.ts';
import { downscale } from '../../src/normalise/exponential-delta.ts';
import type { ExponentialHistogramPoint } from '../../src/otlp/model.ts';

/** Bucket index of |v| at a scale: bucket i holds (2^(i/2^s), 2^((i+1)/2^s)]. */
const indexOf = (v: number, scale: number) => Math.ceil(Math.log2(Math.abs(v)) * 2 ** scale) - 1;

function histogramOf(values: number[], scale: number, time: bigint, start = 100n): ExponentialHistogramPoint {
  const side = (sign: 1 | -1) => {
    const idx = values.filter((v) => Math.sign(v) === sign).map((v) => indexOf(v, scale));
    if (idx.length === 0) return { offset: 0, bucketCounts: [] };
    const offset = Math.min(...idx);
    const counts = new Array<number>(Math.max(...idx) - offset + 1).fill(0);
    for (const i of idx) counts[i - offset]!++;
    return { offset, bucketCounts: counts };
  };
  return {
    attributes: {},
    startTimeUnixNano: start,
    timeUnixNano: time,
    count: values.length,
    sum: values.reduce((a, b) => a + b, 0),
    scale,
    zeroCount: values.filter((v) => v === 0).length,
    positive: side(1),
    negative: side(-1),
    min: Math.min(...values),
    max: Math.max(...values),
    flags: 0,
    exemplars: [],
  };
}

/** Counts per bucket index, so histograms with different offsets or trailing zeros compare equal. */
const byIndex = (b: { offset: number; bucketCounts: number[] }) =>
  Object.fromEntries(b.bucketCounts.map((c, j) => [b.offset + j, c]).filter(([, c]) => c !== 0));

let seed = 99;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const values = (n: number, spread: number) =>
  Array.from({ length: n }, () => (rnd() < 0.1 ? -1 : 1) * 2 ** (rnd() * spread - spread / 4) * 1.0001);

describe('downscale', () => {
  it('equals bucketing the same values at the lower scale, negative indexes included', () => {
    const v = values(500, 12).filter((x) => x > 0);
    for (const [from, by] of [
      [5, 1],
      [5, 3],
      [3, 3],
      [2, 5],
    ] as const) {
      const high = histogramOf(v, from, 1n).positive;
      expect(byIndex(downscale(high, by))).toEqual(byIndex(histogramOf(v, from - by, 1n).positive));
    }
  });
});

describe('CumulativeToDelta.exponentialHistogram', () => {
  it('subtracts points at one scale; the first point of an old series is a baseline', () => {
    const c = new CumulativeToDelta({ startedAtUnixNano: 1_000n });
    const a = values(200, 6);
    const b = values(100, 6);
    expect(c.exponentialHistogram('s', histogramOf(a, 4, 200n))).toBeNull();
    const delta = c.exponentialHistogram('s', histogramOf([...a, ...b], 4, 300n));
    const expected = histogramOf(b, 4, 300n);
    expect(delta).toMatchObject({ count: 100, scale: 4, startTimeUnixNano: 200n, zeroCount: 0 });
    expect(delta!.sum).toBeCloseTo(expected.sum, 9);
    expect(byIndex(delta!.positive)).toEqual(byIndex(expected.positive));
    expect(byIndex(delta!.negative)).toEqual(byIndex(expected.negative));
  });

  it('downscales when the scale drops between points (the SDK widened its range)', () => {
    const c = new CumulativeToDelta({ startedAtUnixNano: 1_000n });
    const a = values(300, 4);
    const b = [...values(200, 20), 0, 0];
    c.exponentialHistogram('s', histogramOf(a, 5, 200n));
    const delta = c.exponentialHistogram('s', histogramOf([...a, ...b], 2, 300n));
    const expected = histogramOf(b, 2, 300n);
    expect(delta).toMatchObject({ count: 202, scale: 2, zeroCount: 2 });
    expect(byIndex(delta!.positive)).toEqual(byIndex(expected.positive));
    expect(byIndex(delta!.negative)).toEqual(byIndex(expected.negative));
  });

  it('treats shrinking buckets, a lower count or a new start as a reset, and drops out-of-order points', () => {
    const c = new CumulativeToDelta({ startedAtUnixNano: 1_000n });
    c.exponentialHistogram('s', histogramOf([1.5, 3, 3], 3, 200n));
    const restarted = histogramOf([5, 6], 3, 300n);
    expect(c.exponentialHistogram('s', restarted)).toBe(restarted);
    expect(c.exponentialHistogram('s', histogramOf([5, 6, 7], 3, 250n))).toBeNull();
    const moved = histogramOf([5, 6, 100, 100], 3, 400n, 350n);
    expect(c.exponentialHistogram('s', moved)).toBe(moved);
    // Same count but a bucket moved: not a valid continuation.
    const shifted = histogramOf([5, 6, 100, 1.1], 3, 500n, 350n);
    expect(c.exponentialHistogram('s', shifted)).toBe(shifted);
  });

  it('emits a new series whole when it started after the collector', () => {
    const c = new CumulativeToDelta({ startedAtUnixNano: 50n });
    expect(c.exponentialHistogram('s', histogramOf([2, 4], 3, 200n))).toMatchObject({ count: 2 });
  });
});
