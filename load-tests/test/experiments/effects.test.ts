import { describe, expect, it } from 'vitest';
import type { Claim } from '../../src/experiments/definition.ts';
import { effectOf, meanInterval, verdictOf } from '../../src/experiments/effects.ts';

const change = (improvementPct: number): Claim => ({
  kind: 'change',
  kpi: 'searchP95Ms',
  improvementPct,
  text: 'claim',
});

describe('meanInterval', () => {
  it('is the mean ± t(0.975, n−1) × s/√n', () => {
    // mean 20, s = 10, n = 3: half-width 4.303 × 10/√3 = 24.84
    const i = meanInterval([10, 20, 30]);
    expect(i?.mean).toBe(20);
    expect(i?.sd).toBeCloseTo(10, 10);
    expect(i?.low).toBeCloseTo(20 - 24.843, 2);
    expect(i?.high).toBeCloseTo(20 + 24.843, 2);
  });

  it('leaves out missing values; one value has no interval; none is null', () => {
    expect(meanInterval([5, null, Number.NaN])).toEqual({ n: 1, mean: 5, sd: null, low: null, high: null });
    expect(meanInterval([null, undefined])).toBeNull();
  });
});

describe('effectOf and verdictOf on known inputs', () => {
  const without = meanInterval([100, 102, 98]); // mean 100, s 2

  it('confirmed: a 70 % latency cut claimed, 70 % measured', () => {
    const withIt = meanInterval([30, 31, 29]);
    const e = effectOf('searchP95Ms', withIt, without);
    expect(e?.kind).toBe('relative');
    expect(e?.change).toBeCloseTo(-0.7, 10);
    expect(e?.improvement).toBeCloseTo(0.7, 10);
    // Delta method on ln R, Welch df: the interval straddles the claimed 0.7.
    expect(e!.improvementLow).toBeLessThan(0.7);
    expect(e!.improvementHigh).toBeGreaterThan(0.7);
    expect(verdictOf(e, change(70), withIt)).toBe('confirmed');
  });

  it('smaller: 20 % measured, significant, against a 70 % claim', () => {
    const withIt = meanInterval([80, 81, 79]);
    const e = effectOf('searchP95Ms', withIt, without);
    expect(e?.improvement).toBeCloseTo(0.2, 10);
    expect(e!.improvementLow).toBeGreaterThan(0);
    expect(e!.improvementHigh).toBeLessThan(0.7);
    expect(verdictOf(e, change(70), withIt)).toBe('smaller');
  });

  it('none: a difference inside the noise', () => {
    const noisy = meanInterval([60, 100, 140]);
    const withIt = meanInterval([90, 100, 95]);
    const e = effectOf('searchP95Ms', withIt, noisy);
    expect(e!.improvementLow).toBeLessThan(0);
    expect(e!.improvementHigh).toBeGreaterThan(0);
    expect(verdictOf(e, change(70), withIt)).toBe('none');
    expect(verdictOf(e, { kind: 'direction', kpi: 'p99Ms', text: 'stability' }, withIt)).toBe('none');
  });

  it('worse: significantly slower with the optimisation', () => {
    const withIt = meanInterval([150, 152, 148]);
    const e = effectOf('searchP95Ms', withIt, without);
    expect(e?.change).toBeCloseTo(0.5, 10);
    expect(e!.improvementHigh).toBeLessThan(0);
    expect(verdictOf(e, change(70), withIt)).toBe('worse');
  });

  it('shares compare as a difference (Welch); a level claim is judged on the with-variant', () => {
    const withIt = meanInterval([0.91, 0.93, 0.92]);
    const withoutL2 = meanInterval([0.6, 0.62, 0.61]);
    const e = effectOf('cacheHitRate', withIt, withoutL2);
    expect(e?.kind).toBe('absolute');
    expect(e?.change).toBeCloseTo(0.31, 10);
    // Welch: se = √(0.01²/3 + 0.01²/3), df = 4, t = 2.776
    expect(e!.changeHigh - e!.change).toBeCloseTo(2.776 * Math.sqrt((2 * 0.0001) / 3), 6);
    const level: Claim = { kind: 'level', kpi: 'cacheHitRate', value: 0.9, text: '90 % hit rate' };
    expect(verdictOf(e, level, withIt)).toBe('confirmed');
    const lower = meanInterval([0.7, 0.71, 0.72]);
    expect(verdictOf(effectOf('cacheHitRate', lower, withoutL2), level, lower)).toBe('smaller');
  });

  it('no data: fewer than two runs on a side, or a zero latency mean', () => {
    expect(effectOf('p95Ms', meanInterval([10]), without)).toBeNull();
    expect(verdictOf(null, change(50), null)).toBe('no data');
    expect(effectOf('p95Ms', meanInterval([0, 0]), without)).toBeNull();
  });

  it('higher-is-better rates: more requests per second is an improvement', () => {
    const e = effectOf('reqRate', meanInterval([120, 121, 119]), meanInterval([100, 101, 99]));
    expect(e?.improvement).toBeCloseTo(0.2, 10);
    expect(verdictOf(e, undefined, null)).toBe('confirmed');
  });
});
