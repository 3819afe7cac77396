// How much a figure moves between runs that should be alike: the band a comparison must exceed to
// be flagged. From history when the scenario has ≥ 3 earlier finished runs with the same
// parameters: the 95 % prediction interval for one more run, from the coefficient of variation
// (sample stddev / mean) of their k6 p95 and request rate — t(0.975, n−1) × CV × √(1 + 1/n), Student's
// t because a spread estimated from a handful of runs is itself uncertain (3 runs: 4.97 × CV; 10: 2.37 ×;
// many: 1.96 ×) — never below 2 %. Otherwise a fixed ±10 %. Error rates use an absolute band: 0.1
// percentage point, the plan's whole error budget.
import type { StoredRun } from '../run-store.ts';

export const MIN_HISTORY_RUNS = 3;
export const FIXED_NOISE_PCT = 10;
export const MIN_NOISE_PCT = 2;
/** Error-rate changes are compared in absolute terms (a share, 0.001 = 0.1 percentage point). */
export const ERROR_RATE_NOISE = 0.001;

export type NoiseBand = {
  source: 'history' | 'fixed';
  /** Earlier comparable runs the band was computed from (0 for fixed). */
  runs: number;
  /** Relative band for latency percentiles, in %. */
  latencyPct: number;
  /** Relative band for request rate, in %. */
  ratePct: number;
  errorRateAbs: number;
};

/** Student's t two-sided 95 % quantiles t(0.975, df) for df = 1…30; beyond, the normal 1.96. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
/** t(0.975, df) for a whole df ≥ 1 (a fractional Welch df is rounded down: the wider interval). */
export const tQuantile975 = (df: number) => T_975[Math.max(1, Math.floor(df)) - 1] ?? 1.96;

/** Half-width of the 95 % prediction interval for one more run, as a multiple of the CV. */
export const predictionFactor = (runs: number) => tQuantile975(runs - 1) * Math.sqrt(1 + 1 / runs);

function coefficientOfVariation(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (mean === 0) return 0;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance) / mean;
}

/** Runs comparable with `candidate`: same scenario and parameters, finished, created before it. */
export function comparableRuns(runs: readonly StoredRun[], candidate: StoredRun): StoredRun[] {
  const params = JSON.stringify(candidate.params);
  return runs.filter(
    (r) =>
      r.id !== candidate.id &&
      r.scenario === candidate.scenario &&
      r.state === 'finished' &&
      r.createdAt <= candidate.createdAt &&
      JSON.stringify(r.params) === params &&
      r.result?.stats?.p95Ms != null &&
      r.result.stats.reqRate > 0,
  );
}

export function noiseBand(history: readonly StoredRun[]): NoiseBand {
  const stats = history.flatMap((r) => (r.result?.stats ? [r.result.stats] : []));
  if (stats.length < MIN_HISTORY_RUNS)
    return {
      source: 'fixed',
      runs: 0,
      latencyPct: FIXED_NOISE_PCT,
      ratePct: FIXED_NOISE_PCT,
      errorRateAbs: ERROR_RATE_NOISE,
    };
  const factor = predictionFactor(stats.length);
  const band = (values: number[]) => Math.max(MIN_NOISE_PCT, 100 * factor * coefficientOfVariation(values));
  return {
    source: 'history',
    runs: stats.length,
    latencyPct: band(stats.map((s) => s.p95Ms ?? 0)),
    ratePct: band(stats.map((s) => s.reqRate)),
    errorRateAbs: ERROR_RATE_NOISE,
  };
}
