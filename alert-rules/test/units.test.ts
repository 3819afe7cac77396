import { describe, expect, it } from 'vitest';
import { formatValue, isKnownUnit, metricUnit, statUnit } from '../src/units.ts';

describe('formatValue', () => {
  it.each([
    // What on-call saw, and what it reads now.
    [0.2513, 's', '251 ms'],
    [0.1, 's', '100 ms'],
    [448.8636363636364, 'ms', '449 ms'],
    [5.994e8, 'By', '599.4 MB'],
    [0.1963, '1', '19.6 %'],
    // Times: 3 significant digits, the scale chosen after rounding.
    [1.2749, 's', '1.27 s'],
    [0.9996, 's', '1 s'],
    [0.0834, 's', '83.4 ms'],
    [0.000_42, 's', '420 µs'],
    [12.3, 'us', '12.3 µs'],
    [90, 's', '1m 30s'],
    [3_725, 's', '1h 2m'],
    [2_500, 'ms', '2.5 s'],
    [0, 'ms', '0 ms'],
    [-0.05, 's', '-50 ms'],
    // Bytes: SI prefixes as the plan writes its targets, 4 significant digits.
    [200_000_000, 'By', '200 MB'],
    [1536, 'KiBy', '1.573 MB'],
    [999.96, 'By', '1 kB'],
    [0, 'By', '0 B'],
    // Ratios as percentages, 3 significant digits.
    [0.001, '1', '0.1 %'],
    [0.0005, '1', '0.05 %'],
    [0.009_900_990_099, '1', '0.99 %'],
    [1, '1', '100 %'],
    [0, '1', '0 %'],
    [42.42, '%', '42.4 %'],
    // Counts and unknown units: whole numbers exactly, others to 4 significant digits.
    [12_345, '{row}', '12,345'],
    [0.123456, undefined, '0.1235'],
    [2_500_000, '{request}', '2.5M'],
    // Rates: the unit of what is counted, per second.
    [12.3456, '{request}/s', '12.35/s'],
    [1_500_000, 'By/s', '1.5 MB/s'],
  ])('%s %s → %s', (value, unit, text) => expect(formatValue(value, unit)).toBe(text));

  it('says "no data" for a missing value and keeps infinities readable', () => {
    expect(formatValue(null, 's')).toBe('no data');
    expect(formatValue(undefined, 'By')).toBe('no data');
    expect(formatValue(Number.NaN, '1')).toBe('no data');
    expect(formatValue(Number.POSITIVE_INFINITY, 's')).toBe('+Inf');
  });
});

describe('the unit of what a rule compares', () => {
  it('comes from the statistic and the metric’s OTel unit', () => {
    expect(metricUnit('http.server.request.duration')).toBe('s');
    expect(metricUnit('process.memory.usage')).toBe('By');
    expect(metricUnit('my.own.metric')).toBeUndefined();
    expect(statUnit('p95', 'histogram', 's')).toBe('s');
    expect(statUnit('avg', 'gauge', 'By')).toBe('By');
    expect(statUnit('ratio', 'histogram', 's')).toBe('1');
    expect(statUnit('count', 'gauge', 'ms')).toBe('{count}');
    expect(statUnit('rate', 'histogram', 's')).toBe('{count}/s');
    expect(statUnit('rate', 'sum', 'By')).toBe('By/s');
    expect(statUnit('max', 'gauge', undefined)).toBeUndefined();
  });

  it('is one the formatter knows', () => {
    for (const unit of ['s', 'ms', 'By', 'MiBy', '1', '%', '{row}', '{request}/s', 'By/s'])
      expect(isKnownUnit(unit), unit).toBe(true);
    for (const unit of ['bytes', 'seconds', 'MB', '', '{}']) expect(isKnownUnit(unit), unit).toBe(false);
  });
});
