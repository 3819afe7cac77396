// Baseline vs candidate: per-endpoint deltas for latency percentiles, rate and error rate, each
// flagged when it exceeds run-to-run noise (noise.ts), and the two runs' thresholds side by side.

import type { ThresholdResult } from '../run-state.ts';
import { readRun, readScenarioRuns, type StoreClient } from '../run-store.ts';
import type { LatencyStats } from './latency.ts';
import { comparableRuns, type NoiseBand, noiseBand } from './noise.ts';
import { queryRunResults, type RunResults, type RunResultsOptions } from './run-results.ts';

export type Delta = {
  base: number | null;
  candidate: number | null;
  /** (candidate − base) / base in %; null when either is missing or base is 0. */
  deltaPct: number | null;
  /** Beyond the noise band (relative for latency and rate, absolute for error rate). */
  significant: boolean;
  /** significant and in the bad direction (slower, fewer requests/s, more errors). */
  regression: boolean;
};

export type EndpointDelta = {
  name: string;
  p50Ms: Delta;
  p90Ms: Delta;
  p95Ms: Delta;
  p99Ms: Delta;
  maxMs: Delta;
  ratePerSec: Delta;
  errorRate: Delta;
};

export type ThresholdPair = { metric: string; expr: string; base: boolean | null; candidate: boolean | null };

export type RunComparison = {
  base: RunResults;
  candidate: RunResults;
  noise: NoiseBand;
  /** All requests of each run, as one row. */
  totals: EndpointDelta;
  /** Union of both runs' endpoints (a side without the endpoint has nulls). */
  endpoints: EndpointDelta[];
  thresholds: ThresholdPair[];
  regressions: number;
};

const pct = (base: number | null, cand: number | null) =>
  base === null || cand === null || base === 0 ? null : ((cand - base) / base) * 100;

function relativeDelta(
  base: number | null,
  cand: number | null,
  bandPct: number,
  higherIsWorse: boolean,
): Delta {
  const deltaPct = pct(base, cand);
  const significant = deltaPct !== null && Math.abs(deltaPct) > bandPct;
  return {
    base,
    candidate: cand,
    deltaPct,
    significant,
    regression: significant && (higherIsWorse ? deltaPct > 0 : deltaPct < 0),
  };
}

function absoluteDelta(base: number | null, cand: number | null, band: number): Delta {
  const significant = base !== null && cand !== null && Math.abs(cand - base) > band;
  return {
    base,
    candidate: cand,
    deltaPct: pct(base, cand),
    significant,
    regression: significant && cand! > base!,
  };
}

type Side = { latency: LatencyStats; ratePerSec: number; errorRate: number | null } | undefined;

function endpointDelta(name: string, b: Side, c: Side, noise: NoiseBand): EndpointDelta {
  const lat = (k: keyof Omit<LatencyStats, 'count' | 'avgMs'>) =>
    relativeDelta(b?.latency[k] ?? null, c?.latency[k] ?? null, noise.latencyPct, true);
  return {
    name,
    p50Ms: lat('p50Ms'),
    p90Ms: lat('p90Ms'),
    p95Ms: lat('p95Ms'),
    p99Ms: lat('p99Ms'),
    maxMs: lat('maxMs'),
    ratePerSec: relativeDelta(b?.ratePerSec ?? null, c?.ratePerSec ?? null, noise.ratePct, false),
    errorRate: absoluteDelta(b?.errorRate ?? null, c?.errorRate ?? null, noise.errorRateAbs),
  };
}

function thresholdPairs(base: ThresholdResult[], cand: ThresholdResult[]): ThresholdPair[] {
  const pairs = new Map<string, ThresholdPair>();
  const key = (t: ThresholdResult) => `${t.metric}\u0000${t.expr}`;
  for (const t of base) pairs.set(key(t), { metric: t.metric, expr: t.expr, base: t.ok, candidate: null });
  for (const t of cand) {
    const p = pairs.get(key(t)) ?? { metric: t.metric, expr: t.expr, base: null, candidate: null };
    pairs.set(key(t), { ...p, candidate: t.ok });
  }
  return [...pairs.values()].sort((a, b) => a.metric.localeCompare(b.metric) || a.expr.localeCompare(b.expr));
}

/** Pure comparison of two runs' results under a noise band. */
export function compareResults(base: RunResults, candidate: RunResults, noise: NoiseBand): RunComparison {
  const names = [...new Set([...base.endpoints, ...candidate.endpoints].map((e) => e.name))].sort();
  const endpoints = names.map((name) =>
    endpointDelta(
      name,
      base.endpoints.find((e) => e.name === name),
      candidate.endpoints.find((e) => e.name === name),
      noise,
    ),
  );
  const totals = endpointDelta('(all)', base.totals, candidate.totals, noise);
  const regressions = [totals, ...endpoints]
    .flatMap((e) => [e.p50Ms, e.p90Ms, e.p95Ms, e.p99Ms, e.maxMs, e.ratePerSec, e.errorRate])
    .filter((d) => d.regression).length;
  return {
    base,
    candidate,
    noise,
    totals,
    endpoints,
    thresholds: thresholdPairs(base.thresholds, candidate.thresholds),
    regressions,
  };
}

/** Loads both runs' results from the store and the candidate scenario's history for the noise band. */
export async function compareRuns(
  client: StoreClient,
  baseId: string,
  candidateId: string,
  opts: RunResultsOptions = {},
): Promise<RunComparison> {
  const [base, candidate, candidateRun] = await Promise.all([
    queryRunResults(client, baseId, opts),
    queryRunResults(client, candidateId, opts),
    readRun(client, candidateId),
  ]);
  const history = comparableRuns(await readScenarioRuns(client, candidateRun.scenario), candidateRun);
  return compareResults(base, candidate, noiseBand(history));
}
