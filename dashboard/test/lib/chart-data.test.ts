import type { SeriesPoint } from 'collector';
import { expect, it } from 'vitest';
import {
  appendLivePoint,
  countDefined,
  hasIsolatedPoints,
  maxOf,
  niceScale,
  toTrafficPoints,
} from '../../src/lib/chart-data.ts';

const point = (t: number, over: Partial<SeriesPoint> = {}): SeriesPoint => ({
  t,
  count: 0,
  rate: 0,
  avg: null,
  p50: null,
  p95: null,
  p99: null,
  bounds: { p50: null, p95: null, p99: null },
  errors: 0,
  errorRate: null,
  ...over,
});

it('charts latency in ms and keeps empty steps as gaps, not zeros', () => {
  const rows = toTrafficPoints([
    point(0),
    point(5000, { count: 10, rate: 2, p50: 0.012, p95: 0.25, p99: 1.5, errors: 1, errorRate: 0.1 }),
  ]);
  const noRanges = { p50RangeMs: null, p95RangeMs: null, p99RangeMs: null };
  expect(rows[0]).toEqual({
    t: 0,
    p50Ms: null,
    p95Ms: null,
    p99Ms: null,
    ...noRanges,
    rate: 0,
    errorRate: null,
  });
  expect(rows[1]).toEqual({
    t: 5000,
    p50Ms: 12,
    p95Ms: 250,
    p99Ms: 1500,
    ...noRanges,
    rate: 2,
    errorRate: 0.1,
  });
});

it("carries each step's percentile bounds in ms, an open bucket's upper end as null", () => {
  const [row] = toTrafficPoints([
    point(0, {
      count: 10,
      p95: 0.2,
      bounds: {
        p50: { value: 0.04, lower: 0.025, upper: 0.05 },
        p95: { value: 0.2, lower: 0.1, upper: 0.25 },
        p99: { value: 0.5, lower: 0.5, upper: Number.POSITIVE_INFINITY },
      },
    }),
  ]);
  expect(row?.p50RangeMs).toEqual([25, 50]);
  expect(row?.p95RangeMs).toEqual([100, 250]);
  expect(row?.p99RangeMs).toEqual([500, null]);
});

it('counts the rows that have a value', () => {
  const rows = toTrafficPoints([point(0), point(1, { count: 1, p95: 0.1, errorRate: 0 }), point(2)]);
  expect(countDefined(rows, 'p95Ms')).toBe(1);
  expect(countDefined(rows, 'rate')).toBe(3);
});

it('finds values a line cannot show (no defined neighbour)', () => {
  expect(hasIsolatedPoints([{ v: null }, { v: 1 }, { v: null }], 'v')).toBe(true);
  expect(hasIsolatedPoints([{ v: 1 }], 'v')).toBe(true);
  expect(hasIsolatedPoints([{ v: 1 }, { v: 2 }, { v: null }], 'v')).toBe(false);
  expect(hasIsolatedPoints([], 'v')).toBe(false);
});

it('appends live readings in time order, replacing a repeated one and capping the history', () => {
  let h = appendLivePoint([], { t: 1, p95Ms: 10, reqRate: 5 });
  h = appendLivePoint(h, { t: 2, p95Ms: 11, reqRate: 6 });
  h = appendLivePoint(h, { t: 2, p95Ms: 12, reqRate: 6 });
  h = appendLivePoint(h, { t: 1, p95Ms: 99, reqRate: 99 });
  expect(h).toEqual([
    { t: 1, p95Ms: 10, reqRate: 5 },
    { t: 2, p95Ms: 12, reqRate: 6 },
  ]);
  let capped: ReturnType<typeof appendLivePoint> = [];
  for (let t = 0; t < 10; t++) capped = appendLivePoint(capped, { t, p95Ms: t, reqRate: t }, 3);
  expect(capped.map((p) => p.t)).toEqual([7, 8, 9]);
});

it('scales the y axis to round ticks that cover the data', () => {
  expect(niceScale(12.9, 10)).toEqual({ top: 15, ticks: [0, 5, 10, 15] });
  expect(niceScale(23.6, 10)).toEqual({ top: 30, ticks: [0, 10, 20, 30] });
  expect(niceScale(1234, 1)).toEqual({ top: 1500, ticks: [0, 500, 1000, 1500] });
});

it('keeps a minimum height for flat or empty charts', () => {
  expect(niceScale(0, 10)).toEqual({ top: 10, ticks: [0, 2.5, 5, 7.5, 10] });
  expect(niceScale(0, 0.01).ticks).toEqual([0, 0.0025, 0.005, 0.0075, 0.01]);
  expect(niceScale(Number.NaN, 1).top).toBe(1);
});

it('finds the largest value across series', () => {
  expect(
    maxOf(
      [
        { a: 1, b: null },
        { a: null, b: 7 },
      ],
      ['a', 'b'],
    ),
  ).toBe(7);
  expect(maxOf<{ a: number | null }>([], ['a'])).toBe(0);
});
