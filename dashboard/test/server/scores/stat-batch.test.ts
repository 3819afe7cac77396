import { summarise } from 'collector/query';
import { expect, it } from 'vitest';
import { histogramOutcome } from '../../../src/server/scores/stat-batch.ts';

/** 100 requests over the buckets (…, 0.1], (0.1, 0.25], (0.25, 0.5], (0.5, +∞) s; observed 20 ms … 400 ms. */
const summary = summarise([
  {
    t: 0,
    bounds: [0.1, 0.25, 0.5],
    counts: [80, 15, 5, 0],
    count: 100,
    sum: 9,
    min: 0.02,
    max: 0.4,
    matching: 3,
  },
]);

it('gives a percentile with its bound: the bucket holding the rank, narrowed by the observed max', () => {
  const p95 = histogramOutcome(summary, 'p95', 60);
  expect(p95.value).toBeCloseTo(0.25);
  expect(p95.bounds).toEqual({ value: p95.value, lower: 0.1, upper: 0.25 });
  const p99 = histogramOutcome(summary, 'p99', 60);
  expect(p99.bounds).toMatchObject({ lower: 0.25, upper: 0.4 });
  expect(p99.value!).toBeGreaterThanOrEqual(p99.bounds!.lower);
  expect(p99.value!).toBeLessThanOrEqual(p99.bounds!.upper);
});

it('gives no bound for figures read exactly, nor without data', () => {
  expect(histogramOutcome(summary, 'avg', 60)).toEqual({ value: 0.09 });
  expect(histogramOutcome(summary, 'ratio', 60)).toEqual({ value: 0.03 });
  expect(histogramOutcome(summary, 'rate', 60)).toEqual({ value: 100 / 60 });
  expect(histogramOutcome(summarise([]), 'p95', 60)).toEqual({ value: null });
});
