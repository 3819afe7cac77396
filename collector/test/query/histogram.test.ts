import { describe, expect, it } from 'vitest';
import { histogramQuantile, histogramQuantileBounds, mergeBuckets } from '../../src/index.ts';

describe('histogramQuantile', () => {
  const bounds = [0.1, 0.2, 0.5, 1];
  it('interpolates inside the bucket that holds the rank', () => {
    // 100 observations: 50 ≤ 0.1, 40 in (0.1, 0.2], 10 in (0.2, 0.5]
    const buckets = { bounds, counts: [50, 40, 10, 0, 0] };
    expect(histogramQuantile(buckets, 0.5)).toBeCloseTo(0.1);
    expect(histogramQuantile(buckets, 0.7)).toBeCloseTo(0.15);
    expect(histogramQuantile(buckets, 0.95)).toBeCloseTo(0.35);
  });
  it('is null without observations, and clamps to the observed max', () => {
    expect(histogramQuantile({ bounds, counts: [0, 0, 0, 0, 0] }, 0.95)).toBeNull();
    expect(histogramQuantile({ bounds, counts: [0, 0, 10, 0, 0] }, 0.99, { max: 0.3 })).toBe(0.3);
  });
  it('answers the observed max (or the last bound) for the overflow bucket', () => {
    expect(histogramQuantile({ bounds, counts: [0, 0, 0, 0, 4] }, 0.5, { max: 3.2 })).toBe(3.2);
    expect(histogramQuantile({ bounds, counts: [0, 0, 0, 0, 4] }, 0.5)).toBe(1);
  });
});

describe('histogramQuantileBounds', () => {
  const bounds = [0.1, 0.2, 0.5, 1];
  const buckets = { bounds, counts: [50, 40, 10, 0, 0] };
  it('bounds the estimate by the bucket that holds the rank', () => {
    expect(histogramQuantileBounds(buckets, 0.7)).toEqual({
      value: expect.closeTo(0.15),
      lower: 0.1,
      upper: 0.2,
    });
    expect(histogramQuantileBounds(buckets, 0.95)).toEqual({
      value: expect.closeTo(0.35),
      lower: 0.2,
      upper: 0.5,
    });
    expect(histogramQuantileBounds(buckets, 0.3)).toEqual({
      value: expect.closeTo(0.06),
      lower: 0,
      upper: 0.1,
    });
  });
  it('gives the same value as histogramQuantile, always inside its bound', () => {
    const layouts = [
      { bounds, counts: [50, 40, 10, 0, 0] },
      { bounds, counts: [0, 3, 0, 7, 2] },
      { bounds, counts: [1, 0, 0, 0, 9] },
    ];
    for (const b of layouts) {
      for (const observed of [undefined, { min: 0.05, max: 0.7 }, { min: 0.15, max: 3 }]) {
        for (const q of [0, 0.1, 0.5, 0.9, 0.95, 0.99, 1]) {
          const bound = histogramQuantileBounds(b, q, observed)!;
          expect(bound.value).toBe(histogramQuantile(b, q, observed));
          expect(bound.lower).toBeLessThanOrEqual(bound.value);
          expect(bound.upper).toBeGreaterThanOrEqual(bound.value);
        }
      }
    }
  });
  it('narrows the bucket to the observed min and max', () => {
    // All 10 observations in (0.2, 0.5], really between 0.25 and 0.3.
    const narrow = { bounds, counts: [0, 0, 10, 0, 0] };
    expect(histogramQuantileBounds(narrow, 0.99, { min: 0.25, max: 0.3 })).toEqual({
      value: 0.3,
      lower: 0.25,
      upper: 0.3,
    });
    expect(histogramQuantileBounds(narrow, 0.1, { min: 0.25, max: 0.3 })).toEqual({
      value: 0.25,
      lower: 0.25,
      upper: 0.3,
    });
    // 0 means "not recorded": no clamp.
    expect(histogramQuantileBounds(narrow, 0.5, { min: 0, max: 0 })).toEqual({
      value: expect.closeTo(0.35),
      lower: 0.2,
      upper: 0.5,
    });
  });
  it('bounds the overflow bucket by the last bound and the observed max, open above without one', () => {
    const overflow = { bounds, counts: [0, 0, 0, 0, 4] };
    expect(histogramQuantileBounds(overflow, 0.5, { max: 3.2 })).toEqual({
      value: 3.2,
      lower: 1,
      upper: 3.2,
    });
    expect(histogramQuantileBounds(overflow, 0.5)).toEqual({
      value: 1,
      lower: 1,
      upper: Number.POSITIVE_INFINITY,
    });
  });
  it('is null without observations', () => {
    expect(histogramQuantileBounds({ bounds, counts: [0, 0, 0, 0, 0] }, 0.95)).toBeNull();
    expect(histogramQuantileBounds({ bounds: [], counts: [] }, 0.5)).toBeNull();
  });
});

describe('mergeBuckets', () => {
  it('adds histograms with equal bounds', () => {
    expect(
      mergeBuckets([
        { bounds: [1, 2], counts: [1, 2, 3] },
        { bounds: [1, 2], counts: [1, 1, 1] },
      ]),
    ).toEqual({
      bounds: [1, 2],
      counts: [2, 3, 4],
    });
  });
  it('counts buckets of different layouts under their own upper bounds', () => {
    expect(
      mergeBuckets([
        { bounds: [1, 2], counts: [1, 2, 3] },
        { bounds: [1.5], counts: [4, 5] },
      ]),
    ).toEqual({
      bounds: [1, 1.5, 2],
      counts: [1, 4, 2, 8],
    });
  });
});
