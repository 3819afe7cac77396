import { describe, expect, it } from 'vitest';
import {
  chartWindowOf,
  currentWindowOf,
  DEFAULT_TIME_RANGE,
  parseTimeRange,
} from '../../src/lib/time-range.ts';

describe('parseTimeRange', () => {
  it('reads the ranges the picker offers', () => {
    expect(parseTimeRange('5m')).toBe('5m');
    expect(parseTimeRange('15m')).toBe('15m');
    expect(parseTimeRange('60m')).toBe('60m');
  });

  it('falls back to the default for anything else in the URL', () => {
    for (const bad of [null, undefined, '', '7m', '5M', 'constructor', '__proto__']) {
      expect(parseTimeRange(bad)).toBe(DEFAULT_TIME_RANGE);
    }
  });

  it('takes the first of repeated parameters', () => {
    expect(parseTimeRange(['60m', '5m'])).toBe('60m');
  });
});

describe('chartWindowOf', () => {
  const now = Date.UTC(2026, 10, 22, 12, 7, 33, 250);

  it('covers the range in whole steps that end at the last complete step', () => {
    const w = chartWindowOf('5m', now);
    expect(w.stepSeconds).toBe(5);
    expect(w.to).toBe(Date.UTC(2026, 10, 22, 12, 7, 30));
    expect(w.to - w.from).toBe(300_000);
    expect(w.from % 5000).toBe(0);
  });

  it('leaves out a step whose last export may still be in flight', () => {
    // 12:07:31 is 1 s into a step, within the 2 s export allowance: the step before it is still open.
    expect(chartWindowOf('5m', Date.UTC(2026, 10, 22, 12, 7, 31)).to).toBe(Date.UTC(2026, 10, 22, 12, 7, 25));
  });

  it('keeps about 60 points for every range', () => {
    for (const range of ['5m', '15m', '60m'] as const) {
      const w = chartWindowOf(range, now);
      expect((w.to - w.from) / (w.stepSeconds * 1000)).toBe(60);
    }
  });
});

it('the current figures cover the last minute up to now', () => {
  expect(currentWindowOf(1_000_000)).toEqual({ from: 940_000, to: 1_000_000 });
});
