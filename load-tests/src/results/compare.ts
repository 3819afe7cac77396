// Baseline vs candidate: per-endpoint deltas for latency percentiles, rate and error rate, each
// flagged when it exceeds run-to-run noise (noise.ts) on an endpoint with enough requests to judge,
// ranked by how far beyond noise they go, and the two runs' thresholds side by side.

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

/**
 * Fewer requests than this on either side and an endpoint's changes are shown but never flagged:
 * below it a percentile rests on one or two requests (p95 of 20 requests is the slowest one), so a
 * single slow request would read as a regression.
 */
export const MIN_REQUESTS_TO_JUDGE = 30;

export type EndpointDelta = {
  name: string;
  /** Requests on each side; null where the run has no such endpoint. */
  requests: { base: number | null; candidate: number | null };
  /** Both sides have at least MIN_REQUESTS_TO_JUDGE requests; otherwise nothing here is flagged. */
  judged: boolean;
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
  /** The minimum sample count this comparison judged by (MIN_REQUESTS_TO_JUDGE). */
  minRequests: number;
  /** Flagged cells in the bad direction, totals included. */
  regressions: number;
  /** Every flagged change of a judged row (the totals as ALL_REQUESTS), largest beyond noise first. */
  changes: Change[];
  /** What changed most: the top changes, at most one per endpoint and kind (latency, rate, errors). */
  biggestChanges: Change[];
};

/** The figures ranked; p90 is not shown in the tables and max is a single request. */
export const RANKED_METRICS = ['p50Ms', 'p95Ms', 'p99Ms', 'ratePerSec', 'errorRate'] as const;
export type RankedMetric = (typeof RANKED_METRICS)[number];

export type Change = {
  endpoint: string;
  metric: RankedMetric;
  delta: Delta;
  /** |change| ÷ the noise band (1 = at its edge): one scale for latency, rate and error rate. */
  noiseMultiple: number;
  /** The bad direction: slower, fewer requests/s, more errors. */
  worse: boolean;
};

export const BIGGEST_CHANGES = 3;
/** The totals row's name, in `totals` and in changes. */
export const ALL_REQUESTS = '(all)';

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

type Side =
  | { requests: number; latency: LatencyStats; ratePerSec: number; errorRate: number | null }
  | undefined;

const unjudged = (d: Delta): Delta => ({ ...d, significant: false, regression: false });

function endpointDelta(name: string, b: Side, c: Side, noise: NoiseBand): EndpointDelta {
  const judged = (b?.requests ?? 0) >= MIN_REQUESTS_TO_JUDGE && (c?.requests ?? 0) >= MIN_REQUESTS_TO_JUDGE;
  const judge = judged ? (d: Delta) => d : unjudged;
  const lat = (k: keyof Omit<LatencyStats, 'count' | 'avgMs'>) =>
    judge(relativeDelta(b?.latency[k] ?? null, c?.latency[k] ?? null, noise.latencyPct, true));
  return {
    name,
    requests: { base: b?.requests ?? null, candidate: c?.requests ?? null },
    judged,
    p50Ms: lat('p50Ms'),
    p90Ms: lat('p90Ms'),
    p95Ms: lat('p95Ms'),
    p99Ms: lat('p99Ms'),
    maxMs: lat('maxMs'),
    ratePerSec: judge(relativeDelta(b?.ratePerSec ?? null, c?.ratePerSec ?? null, noise.ratePct, false)),
    errorRate: judge(absoluteDelta(b?.errorRate ?? null, c?.errorRate ?? null, noise.errorRateAbs)),
  };
}

function noiseMultiple(metric: RankedMetric, d: Delta, noise: NoiseBand): number {
  if (metric === 'errorRate') return Math.abs((d.candidate ?? 0) - (d.base ?? 0)) / noise.errorRateAbs;
  const band = metric === 'ratePerSec' ? noise.ratePct : noise.latencyPct;
  return Math.abs(d.deltaPct ?? 0) / band;
}

const kind = (m: RankedMetric) => (m === 'ratePerSec' || m === 'errorRate' ? m : 'latency');

/**
 * Flagged changes, largest beyond noise first; ties go to the worse change, then to the endpoint
 * with more requests (the surer one), then by name and metric so the order is stable.
 */
export function rankChanges(endpoints: readonly EndpointDelta[], noise: NoiseBand): Change[] {
  const fewest = new Map(
    endpoints.map((e) => [e.name, Math.min(e.requests.base ?? 0, e.requests.candidate ?? 0)]),
  );
  return endpoints
    .flatMap((e) =>
      RANKED_METRICS.filter((m) => e[m].significant).map(
        (metric): Change => ({
          endpoint: e.name,
          metric,
          delta: e[metric],
          noiseMultiple: noiseMultiple(metric, e[metric], noise),
          worse: e[metric].regression,
        }),
      ),
    )
    .sort(
      (a, b) =>
        b.noiseMultiple - a.noiseMultiple ||
        Number(b.worse) - Number(a.worse) ||
        fewest.get(b.endpoint)! - fewest.get(a.endpoint)! ||
        a.endpoint.localeCompare(b.endpoint) ||
        RANKED_METRICS.indexOf(a.metric) - RANKED_METRICS.indexOf(b.metric),
    );
}

/** The top `n` ranked changes, one per endpoint and kind (an endpoint's p50, p95 and p99 rising together are one change). */
export function biggestChanges(ranked: readonly Change[], n = BIGGEST_CHANGES): Change[] {
  const seen = new Set<string>();
  const top: Change[] = [];
  for (const c of ranked) {
    const key = `${c.endpoint}\u0000${kind(c.metric)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    top.push(c);
    if (top.length === n) break;
  }
  return top;
}

/** Endpoints with the largest change first, then the unchanged, then those too small to judge. */
function rankEndpoints(endpoints: readonly EndpointDelta[], ranked: readonly Change[]): EndpointDelta[] {
  const position = new Map<string, number>();
  ranked.forEach((c, i) => {
    if (!position.has(c.endpoint)) position.set(c.endpoint, i);
  });
  const order = (e: EndpointDelta) => position.get(e.name) ?? (e.judged ? ranked.length : ranked.length + 1);
  return [...endpoints].sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
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
  const unranked = names.map((name) =>
    endpointDelta(
      name,
      base.endpoints.find((e) => e.name === name),
      candidate.endpoints.find((e) => e.name === name),
      noise,
    ),
  );
  const totals = endpointDelta(ALL_REQUESTS, base.totals, candidate.totals, noise);
  // The totals rank too: in a short run they may be the only row with enough requests to judge.
  const changes = rankChanges([totals, ...unranked], noise);
  const endpoints = rankEndpoints(unranked, changes);
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
    minRequests: MIN_REQUESTS_TO_JUDGE,
    regressions,
    changes,
    biggestChanges: biggestChanges(changes),
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
