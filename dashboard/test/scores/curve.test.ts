// The curve pinned against Lighthouse's own examples (lighthouse shared/test/statistics-test.js:
// the {median 7300, p10 3785} curve, and the band edges at the control points).
import { describe, expect, it } from 'vitest';
import { bandOf, getLogNormalScore, kpiScore } from '../../src/scores/curve.ts';

const plusOneUlp = (v: number) => {
  const f64 = new Float64Array([v]);
  new BigInt64Array(f64.buffer)[0]! += 1n;
  return f64[0]!;
};
const minusOneUlp = (v: number) => {
  const f64 = new Float64Array([v]);
  new BigInt64Array(f64.buffer)[0]! -= 1n;
  return f64[0]!;
};

describe('getLogNormalScore', () => {
  it("matches Lighthouse's published curve", () => {
    const params = { median: 7300, p10: 3785 };
    expect(getLogNormalScore(params, 7300)).toBe(0.5);
    expect(getLogNormalScore(params, 3785)).toBe(0.9);
    expect(getLogNormalScore(params, 0)).toBe(1);
    expect(getLogNormalScore(params, 1000)).toBeCloseTo(1.0, 2);
    expect(getLogNormalScore(params, 2500)).toBeCloseTo(0.98, 2);
    expect(getLogNormalScore(params, 5000)).toBeCloseTo(0.77, 2);
    expect(getLogNormalScore(params, 7500)).toBeCloseTo(0.48, 2);
    expect(getLogNormalScore(params, 10000)).toBeCloseTo(0.27, 2);
    expect(getLogNormalScore(params, 30000)).toBeCloseTo(0.0, 2);
    expect(getLogNormalScore(params, 1_000_000)).toBe(0);
  });

  it('scores every non-positive value 1', () => {
    for (const v of [-100_000, -1, 0]) expect(getLogNormalScore({ median: 1000, p10: 500 }, v)).toBe(1);
  });

  it('refuses control points that do not make a curve', () => {
    expect(() => getLogNormalScore({ median: 0, p10: 500 }, 50)).toThrow('median must be greater than zero');
    expect(() => getLogNormalScore({ median: 500, p10: 0 }, 50)).toThrow('p10 must be greater than zero');
    expect(() => getLogNormalScore({ median: 500, p10: 500 }, 50)).toThrow(
      'p10 must be less than the median',
    );
  });

  for (const { p10, median } of [
    { p10: 200, median: 600 },
    { p10: 3387, median: 5800 },
    { p10: 0.1, median: 0.25 },
    { p10: 28 * 1024, median: 128 * 1024 },
    { p10: 99.56000000000073, median: 99.56000000000074 },
  ]) {
    it(`lands on the right side of each band edge for {p10: ${p10}, median: ${median}}`, () => {
      const params = { p10, median };
      expect(getLogNormalScore(params, minusOneUlp(p10))).toBeGreaterThanOrEqual(0.9);
      expect(getLogNormalScore(params, p10)).toBe(0.9);
      expect(getLogNormalScore(params, plusOneUlp(p10))).toBeLessThan(0.9);
      expect(getLogNormalScore(params, minusOneUlp(median))).toBeGreaterThanOrEqual(0.5);
      expect(getLogNormalScore(params, median)).toBe(0.5);
      expect(getLogNormalScore(params, plusOneUlp(median))).toBeLessThan(0.5);
      expect(getLogNormalScore(params, Number.MAX_VALUE)).toBeGreaterThanOrEqual(0);
    });
  }
});

describe('kpiScore', () => {
  it('puts a lower-is-better KPI at 90 on its target and 50 on its poor value', () => {
    const p95 = { direction: 'lower-is-better', unit: 'ms', good: 200, poor: 500 } as const;
    expect(kpiScore(p95, 200)).toBe(90);
    expect(kpiScore(p95, 500)).toBe(50);
    expect(kpiScore(p95, 100)).toBeGreaterThan(90);
    expect(kpiScore(p95, 1000)).toBeLessThan(50);
  });

  it('turns a higher-is-better ratio around by its complement', () => {
    const hits = { direction: 'higher-is-better', unit: 'ratio', good: 0.8, poor: 0.5 } as const;
    expect(kpiScore(hits, 0.8)).toBe(90);
    expect(kpiScore(hits, 0.5)).toBe(50);
    expect(kpiScore(hits, 1)).toBe(100);
    // 80 % hits scores exactly as a 20 % miss ratio would against {p10 0.2, median 0.5}.
    expect(kpiScore(hits, 0.7)).toBeCloseTo(100 * getLogNormalScore({ p10: 0.2, median: 0.5 }, 0.3), 10);
  });

  it('turns higher-is-better throughput around by its reciprocal', () => {
    const rps = { direction: 'higher-is-better', unit: 'req/s', good: 1000, poor: 500 } as const;
    expect(kpiScore(rps, 1000)).toBe(90);
    expect(kpiScore(rps, 500)).toBe(50);
    expect(kpiScore(rps, 2000)).toBeGreaterThan(90);
    expect(kpiScore(rps, 0)).toBe(0);
  });
});

describe('bandOf', () => {
  it('uses the 0–49 / 50–89 / 90–100 bands on the rounded score', () => {
    expect(bandOf(49.4)).toBe('poor');
    expect(bandOf(49.5)).toBe('average');
    expect(bandOf(89.4)).toBe('average');
    expect(bandOf(89.5)).toBe('good');
    expect(bandOf(100)).toBe('good');
  });
});
