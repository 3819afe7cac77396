import { describe, expect, it } from 'vitest';
import { histogramQuantile, mergeBuckets } from '../../src/index.ts';

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
