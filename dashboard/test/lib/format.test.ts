import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatCount,
  formatDuration,
  formatMs,
  formatPercent,
  formatRate,
  formatVus,
  NO_DATA,
} from '../../src/lib/format.ts';

describe('a missing value reads "no data", never 0', () => {
  it.each([formatMs, formatPercent, formatRate, formatCount, formatDuration])('%o', (format) => {
    expect(format(null)).toBe(NO_DATA);
    expect(format(undefined)).toBe(NO_DATA);
    expect(format(Number.NaN)).toBe(NO_DATA);
    expect(format(Number.POSITIVE_INFINITY)).toBe(NO_DATA);
  });
});

it('formats milliseconds with precision that suits the size', () => {
  expect(formatMs(0)).toBe('0.00 ms');
  expect(formatMs(0.4249)).toBe('0.42 ms');
  expect(formatMs(12.345)).toBe('12.3 ms');
  expect(formatMs(245.4)).toBe('245 ms');
  expect(formatMs(1250)).toBe('1.25 s');
});

it('formats ratios as percentages, keeping small error rates visible', () => {
  expect(formatPercent(0)).toBe('0 %');
  expect(formatPercent(0.0005)).toBe('0.05 %');
  expect(formatPercent(0.000001)).toBe('<0.01 %');
  expect(formatPercent(0.125)).toBe('12.5 %');
  expect(formatPercent(0.99999)).toBe('>99.9 %');
  expect(formatPercent(1)).toBe('100.0 %');
});

it('formats request rates', () => {
  expect(formatRate(0)).toBe('0 req/s');
  expect(formatRate(0.5)).toBe('0.50 req/s');
  expect(formatRate(42.17)).toBe('42.2 req/s');
  expect(formatRate(1234.4)).toBe('1,234 req/s');
});

it('formats durations and counts', () => {
  expect(formatDuration(850)).toBe('850 ms');
  expect(formatDuration(5000)).toBe('5.0 s');
  expect(formatDuration(125_000)).toBe('2m 05s');
  expect(formatDuration(3_720_000)).toBe('1h 02m');
  expect(formatCount(12345.2)).toBe('12,345');
});

it('says how long ago', () => {
  const now = 1_800_000_000_000;
  expect(formatAgo(now - 1000, now)).toBe('just now');
  expect(formatAgo(now - 42_000, now)).toBe('42 s ago');
  expect(formatAgo(now - 5 * 60_000, now)).toBe('5 min ago');
  expect(formatAgo(now - 3 * 3_600_000, now)).toBe('3 h ago');
  expect(formatAgo(null, now)).toBe('—');
});

it('counts virtual users', () => {
  expect(formatVus(1)).toBe('1 VU');
  expect(formatVus(20)).toBe('20 VUs');
  expect(formatVus(undefined)).toBe('? VUs');
});
