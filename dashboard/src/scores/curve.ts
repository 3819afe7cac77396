// KPI value → score with Lighthouse's log-normal curve. `getLogNormalScore` follows Lighthouse's
// shared/statistics.js exactly (same erf approximation, same clamping at the control points), so a
// value at p10 scores exactly 0.9 and at the median exactly 0.5.
import type { Direction, KpiUnit } from './model.ts';

// The exact doubles bounding each band, as Lighthouse uses them.
const MIN_PASSING_SCORE = 0.9;
const MAX_AVERAGE_SCORE = 0.8999999999999999;
const MIN_AVERAGE_SCORE = 0.5;
const MAX_FAILING_SCORE = 0.49999999999999994;
/** Closest double to erfc⁻¹(2 × 1/10). */
const INVERSE_ERFC_ONE_FIFTH = 0.9061938024368232;

/** Gauss error function, Abramowitz and Stegun formula 7.1.26 (as in Lighthouse). */
function erf(x: number): number {
  const sign = Math.sign(x);
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - y * Math.exp(-ax * ax));
}

/**
 * The share of a log-normal distribution above `value` (0..1), the distribution fixed by `p10`
 * (scores 0.9) and `median` (scores 0.5). Lower values are better; values ≤ 0 score 1.
 */
export function getLogNormalScore({ median, p10 }: { median: number; p10: number }, value: number): number {
  if (median <= 0) throw new RangeError('median must be greater than zero');
  if (p10 <= 0) throw new RangeError('p10 must be greater than zero');
  if (p10 >= median) throw new RangeError('p10 must be less than the median');
  if (value <= 0) return 1;
  const xLogRatio = Math.log(Math.max(Number.MIN_VALUE, value / median));
  const p10LogRatio = -Math.log(Math.max(Number.MIN_VALUE, p10 / median));
  const standardizedX = (xLogRatio * INVERSE_ERFC_ONE_FIFTH) / p10LogRatio;
  const complementaryPercentile = (1 - erf(standardizedX)) / 2;
  if (value <= p10) return Math.max(MIN_PASSING_SCORE, Math.min(1, complementaryPercentile));
  if (value <= median)
    return Math.max(MIN_AVERAGE_SCORE, Math.min(MAX_AVERAGE_SCORE, complementaryPercentile));
  return Math.max(0, Math.min(MAX_FAILING_SCORE, complementaryPercentile));
}

export interface ControlPoints {
  /** The value that scores 90. */
  good: number;
  /** The value that scores 50. */
  poor: number;
}

/**
 * Maps a KPI onto the "lower is better" scale the curve needs. Higher-is-better KPIs are turned
 * around so the curve keeps its shape: a ratio (0..1, e.g. cache hits) by its complement (the miss
 * ratio: 80 % hits scores like 20 % misses), anything else (e.g. throughput) by its reciprocal
 * (time per request: 1,000 req/s scores like 1 ms/req), so doubling throughput earns as much as
 * halving a latency would. Both keep the control points exact.
 */
function lowerIsBetter(direction: Direction, unit: KpiUnit): (x: number) => number {
  if (direction === 'lower-is-better') return (x) => x;
  return unit === 'ratio' ? (x) => 1 - x : (x) => 1 / x;
}

/** A KPI's score, 0..100 (unrounded), from its value and control points. */
export function kpiScore(
  kpi: ControlPoints & { direction: Direction; unit: KpiUnit },
  value: number,
): number {
  const flip = lowerIsBetter(kpi.direction, kpi.unit);
  return 100 * getLogNormalScore({ p10: flip(kpi.good), median: flip(kpi.poor) }, flip(value));
}

export type Band = 'good' | 'average' | 'poor';

/** Lighthouse's bands on a 0..100 score: 90–100 good, 50–89 average, 0–49 poor. */
export function bandOf(score: number): Band {
  const rounded = Math.round(score);
  if (rounded >= 90) return 'good';
  if (rounded >= 50) return 'average';
  return 'poor';
}
