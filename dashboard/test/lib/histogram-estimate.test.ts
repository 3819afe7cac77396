import { expect, it } from 'vitest';
import {
  estimateTitle,
  formatBound,
  rangeIn,
  rangeMsOf,
  scaledRange,
  withBound,
} from '../../src/lib/histogram-estimate.ts';
import { formatKpiValue } from '../../src/lib/score-view.ts';

it('scales bounds into the figure unit, an open upper end as null', () => {
  expect(scaledRange({ value: 0.412, lower: 0.4, upper: 0.425 }, 1000)).toEqual([400, 425]);
  expect(rangeMsOf({ value: 0.5, lower: 0.5, upper: Number.POSITIVE_INFINITY })).toEqual([500, null]);
  expect(scaledRange(null, 1000)).toBeNull();
  expect(scaledRange(undefined, 1)).toBeNull();
});

it('states a bound as a range, naming the unit once when both ends share it', () => {
  expect(formatBound([400, 425])).toBe('within 400–425 ms');
  expect(formatBound([25, 50])).toBe('within 25.0–50.0 ms');
  expect(formatBound([500, 1200])).toBe('within 500 ms–1.20 s');
  expect(formatBound([1000, 2500])).toBe('within 1.00–2.50 s');
  expect(formatBound([500, null])).toBe('above 500 ms');
});

it('states nothing when there is no bound or the bound pins the value', () => {
  expect(formatBound(null)).toBeNull();
  expect(formatBound(undefined)).toBeNull();
  expect(formatBound([120, 120])).toBeNull();
});

it('formats with the figure’s own unit', () => {
  const ratio = (v: number) => formatKpiValue(v, 'ratio');
  expect(formatBound([0.1, 0.25], ratio)).toBe('within 10.0–25.0 %');
  expect(estimateTitle([0.1, 0.25], ratio)).toBe(
    'estimated from histogram buckets: between 10.0 % and 25.0 %',
  );
});

it('puts the bound beside a value for tooltips', () => {
  expect(withBound(412, [400, 425])).toBe('412 ms (within 400–425 ms)');
  expect(withBound(412, null)).toBe('412 ms');
  expect(withBound(120, [120, 120])).toBe('120 ms');
});

it('reads a range from an untyped chart row only when it is one', () => {
  expect(rangeIn({ r: [1, 2] }, 'r')).toEqual([1, 2]);
  expect(rangeIn({ r: [1, null] }, 'r')).toEqual([1, null]);
  expect(rangeIn({ r: null }, 'r')).toBeNull();
  expect(rangeIn({ r: 3 }, 'r')).toBeNull();
  expect(rangeIn({ r: ['a', 2] }, 'r')).toBeNull();
  expect(rangeIn({ r: [1, 2] }, undefined)).toBeNull();
  expect(rangeIn(null, 'r')).toBeNull();
});
