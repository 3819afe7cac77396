// Exponential-histogram quantiles: points of different scales and offsets merge, and the estimate
// stays within one bucket's relative width of the exact quantile — where explicit buckets are wide.
import { expect, test } from 'vitest';
import {
  type ExpHistogramRow,
  expBucketBounds,
  expHistogramBuckets,
  expHistogramQuantile,
  mergeExpHistograms,
} from '../../src/query/exp-histogram.ts';
import { histogramQuantile } from '../../src/query/histogram.ts';

/** Bucketises values the way an OTel SDK does at a fixed scale: index = ceil(log2(v) * 2^s) - 1. */
function point(values: number[], scale: number): ExpHistogramRow {
  const indices = values.map((v) => Math.ceil(Math.log2(v) * 2 ** scale) - 1);
  const offset = Math.min(...indices);
  const counts = new Array<number>(Math.max(...indices) - offset + 1).fill(0);
  for (const i of indices) counts[i - offset]! += 1;
  return {
    group: [],
    t: 0,
    scale,
    offset,
    counts,
    zeroCount: 0,
    count: values.length,
    sum: values.reduce((a, b) => a + b, 0),
    min: Math.min(...values),
    max: Math.max(...values),
    matching: 0,
  };
}

const exact = (sorted: number[], q: number) => sorted[Math.ceil(q * sorted.length) - 1]!;

// Latencies spread 120–260 ms: the p95 sits inside k6's default explicit bucket 100–250.
const a = Array.from({ length: 600 }, (_, i) => 120 + ((i * 37) % 600) / 5);
const b = Array.from({ length: 400 }, (_, i) => 150 + ((i * 53) % 400) / 3.5);

test('merged points of different scales give quantiles within one bucket of the exact value', () => {
  const merged = mergeExpHistograms([point(a, 5), point(b, 3)]);
  expect(merged.scale).toBe(3);
  expect(merged.count).toBe(1000);
  const all = [...a, ...b].sort((x, y) => x - y);
  const width = 2 ** (2 ** -3) - 1; // relative width of a bucket at scale 3 ≈ 9 %
  for (const q of [0.5, 0.9, 0.95, 0.99]) {
    const got = expHistogramQuantile(merged, q)!;
    expect(Math.abs(got - exact(all, q)) / exact(all, q)).toBeLessThan(width);
  }
  expect(expHistogramQuantile(merged, 1)).toBe(Math.max(...all));
});

test('at the SDK scale the p95 is far closer than explicit buckets give', () => {
  const sorted = [...a].sort((x, y) => x - y);
  const truth = exact(sorted, 0.95);
  const exp = expHistogramQuantile(mergeExpHistograms([point(a, 6)]), 0.95)!;
  // k6's default explicit bounds around this range.
  const bounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000];
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const v of a)
    counts[bounds.findIndex((u) => v <= u) === -1 ? bounds.length : bounds.findIndex((u) => v <= u)]! += 1;
  const explicit = histogramQuantile({ bounds, counts }, 0.95, { min: sorted[0]!, max: sorted.at(-1)! })!;
  expect(Math.abs(exp - truth) / truth).toBeLessThan(0.012);
  expect(Math.abs(explicit - truth)).toBeGreaterThan(5 * Math.abs(exp - truth));
});

test('no observations is no data; zero-bucket observations count as 0', () => {
  expect(expHistogramQuantile(mergeExpHistograms([]), 0.95)).toBeNull();
  const zeros = { ...point([1, 2], 2), zeroCount: 8, count: 10, min: 0 };
  expect(expHistogramQuantile(mergeExpHistograms([zeros]), 0.5)).toBe(0);
  expect(expHistogramQuantile(mergeExpHistograms([zeros]), 0.95)).toBeGreaterThan(1);
});

test('the distribution coarsens to wider buckets that still add up', () => {
  const merged = mergeExpHistograms([point(a, 6), point(b, 6)]);
  const bars = expHistogramBuckets(merged, 2);
  expect(bars.reduce((s, x) => s + x.count, 0)).toBe(1000);
  for (const bar of bars) expect(bar.upper / bar.lower).toBeCloseTo(2 ** 0.25, 6);
  expect(expBucketBounds(0, 0)).toEqual({ lower: 1, upper: 2 });
});
