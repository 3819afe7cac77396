// The arithmetic of an experiment's results: a KPI's mean over a variant's repeats with its 95 %
// confidence interval (Student t, n − 1 df), an optimisation's effect (with vs without it) with its
// interval, and the verdict against the plan's claim. Pure functions, no I/O.
//
// Effect intervals, stated: a relative KPI (latency, rate) is compared as the ratio of means
// with/without; its interval is the delta method's on the log scale — ln R ± t·se with
// se² = s₁²/(n₁m₁²) + s₂²/(n₂m₂²) — with Welch–Satterthwaite degrees of freedom (rounded down),
// exponentiated back. An absolute KPI (a share: error rate, hit rate) is compared as the
// difference of means with Welch's interval. Either way the noise is the spread between repeats.
import { tQuantile975 } from '../results/noise.ts';
import type { Claim } from './definition.ts';
import { KPIS, type KpiId } from './settings.ts';

export type MeanInterval = {
  n: number;
  mean: number;
  /** Sample standard deviation; null with one value. */
  sd: number | null;
  /** 95 % confidence interval of the mean; null with one value. */
  low: number | null;
  high: number | null;
};

/** Mean and 95 % CI (Student t, n − 1 df) of the finite values; null when there are none. */
export function meanInterval(values: readonly (number | null | undefined)[]): MeanInterval | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { n, mean, sd: null, low: null, high: null };
  const sd = Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = tQuantile975(n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, low: mean - half, high: mean + half };
}

export type Effect = {
  kind: 'relative' | 'absolute';
  /** relative: with ÷ without − 1 (−0.7 = 70 % less); absolute: with − without. */
  change: number;
  changeLow: number;
  changeHigh: number;
  /**
   * The change the KPI's better way round: positive = better with the optimisation (a 70 %
   * latency reduction is 0.7; a hit rate 0.2 higher is 0.2).
   */
  improvement: number;
  improvementLow: number;
  improvementHigh: number;
  /** Welch–Satterthwaite degrees of freedom (Infinity when neither side varies). */
  df: number;
};

/** Welch–Satterthwaite df of two variance terms a = s₁²/n₁ (scaled alike), b = s₂²/n₂. */
function welchDf(a: number, n1: number, b: number, n2: number): number {
  const den = a ** 2 / (n1 - 1) + b ** 2 / (n2 - 1);
  return den === 0 ? Number.POSITIVE_INFINITY : (a + b) ** 2 / den;
}

const tOf = (df: number) => (Number.isFinite(df) ? tQuantile975(df) : 1.96);

/**
 * The effect of having the optimisation on `kpi`: `withIt` vs `without` (each a variant's
 * interval over its repeats). Null when either side has fewer than two values, or a relative
 * KPI's means are not both above zero.
 */
export function effectOf(
  kpi: KpiId,
  withIt: MeanInterval | null,
  without: MeanInterval | null,
): Effect | null {
  if (!withIt || !without || withIt.sd === null || without.sd === null) return null;
  const { better, effect: kind } = KPIS[kpi];
  const sign = better === 'lower' ? -1 : 1;
  if (kind === 'relative') {
    if (withIt.mean <= 0 || without.mean <= 0) return null;
    const a = withIt.sd ** 2 / (withIt.n * withIt.mean ** 2);
    const b = without.sd ** 2 / (without.n * without.mean ** 2);
    const df = welchDf(a, withIt.n, b, without.n);
    const logRatio = Math.log(withIt.mean / without.mean);
    const half = tOf(df) * Math.sqrt(a + b);
    const change = Math.exp(logRatio) - 1;
    const changeLow = Math.exp(logRatio - half) - 1;
    const changeHigh = Math.exp(logRatio + half) - 1;
    return orient({ kind, change, changeLow, changeHigh, df }, sign);
  }
  const a = withIt.sd ** 2 / withIt.n;
  const b = without.sd ** 2 / without.n;
  const df = welchDf(a, withIt.n, b, without.n);
  const change = withIt.mean - without.mean;
  const half = tOf(df) * Math.sqrt(a + b);
  return orient({ kind, change, changeLow: change - half, changeHigh: change + half, df }, sign);
}

function orient(e: Omit<Effect, 'improvement' | 'improvementLow' | 'improvementHigh'>, sign: 1 | -1): Effect {
  const ends = [sign * e.changeLow, sign * e.changeHigh];
  return {
    ...e,
    improvement: sign * e.change,
    improvementLow: Math.min(...ends),
    improvementHigh: Math.max(...ends),
  };
}

export const VERDICTS = ['confirmed', 'smaller', 'none', 'worse', 'no data'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * The measured effect against the claim. worse: significantly worse (the whole interval on the
 * wrong side of 0). none: the interval includes 0 (not above the noise). Otherwise significantly
 * better, and: change — confirmed when the interval reaches the claimed improvement, else smaller;
 * level — confirmed when the with-variant's interval reaches the claimed level, else smaller;
 * direction — confirmed. No claim judges the direction alone.
 */
export function verdictOf(
  effect: Effect | null,
  claim: Claim | undefined,
  withIt: MeanInterval | null,
): Verdict {
  if (!effect) return 'no data';
  if (effect.improvementHigh < 0) return 'worse';
  if (effect.improvementLow <= 0) return 'none';
  if (!claim) return 'confirmed';
  switch (claim.kind) {
    case 'change':
      return effect.improvementHigh >= claim.improvementPct / 100 ? 'confirmed' : 'smaller';
    case 'level': {
      if (!withIt || withIt.low === null || withIt.high === null) return 'no data';
      const reached =
        KPIS[claim.kpi].better === 'lower' ? withIt.low <= claim.value : withIt.high >= claim.value;
      return reached ? 'confirmed' : 'smaller';
    }
    case 'direction':
      return 'confirmed';
    default:
      return claim satisfies never;
  }
}
