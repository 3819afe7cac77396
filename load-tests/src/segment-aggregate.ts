// One result from the end-of-test summaries of a run split over several k6 processes (execution
// segments). Counts and rates add up exactly; percentiles cannot be merged from summaries, so each is
// the worst segment's (an upper bound) — exact cross-segment percentiles come from the store by run id.
import type { EndpointStats, RunStats, ThresholdResult } from './run-state.ts';
import {
  type K6Summary,
  perEndpointFromSummary,
  statsFromSummary,
  thresholdsFromSummary,
} from './summary.ts';

export type AggregatedResult = {
  segments: number;
  stats: RunStats;
  /** k6 evaluates thresholds per process: an expression passes only if it passed in every segment. */
  thresholds: ThresholdResult[];
  thresholdsPassed: boolean;
  perEndpoint: EndpointStats[];
  /** How p50…p99 were combined: the highest of the segments' values. */
  percentiles: 'max-of-segments';
};

const maxOf = (values: (number | null)[]): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length > 0 ? Math.max(...present) : null;
};

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** Mean of per-segment ratios weighted by each segment's number of samples. */
const weighted = (pairs: [ratio: number | null, weight: number][]): number | null => {
  const present = pairs.filter((p): p is [number, number] => p[0] !== null && p[1] > 0);
  const total = sum(present.map(([, w]) => w));
  return total > 0 ? sum(present.map(([r, w]) => r * w)) / total : null;
};

function checkCount(summary: K6Summary): number {
  const v = summary.metrics.checks?.values;
  return (v?.passes ?? 0) + (v?.fails ?? 0);
}

export function aggregateSummaries(summaries: readonly K6Summary[]): AggregatedResult {
  if (summaries.length === 0) throw new Error('no segment summaries to aggregate');
  const stats = summaries.map(statsFromSummary);
  const combined: RunStats = {
    httpReqs: sum(stats.map((s) => s.httpReqs)),
    // The segments run at the same time, so their rates add up.
    reqRate: sum(stats.map((s) => s.reqRate)),
    errorRate: weighted(stats.map((s) => [s.errorRate, s.httpReqs])) ?? 0,
    checksRate: weighted(summaries.map((sm, i) => [stats[i]!.checksRate, checkCount(sm)])),
    p50Ms: maxOf(stats.map((s) => s.p50Ms)),
    p90Ms: maxOf(stats.map((s) => s.p90Ms)),
    p95Ms: maxOf(stats.map((s) => s.p95Ms)),
    p99Ms: maxOf(stats.map((s) => s.p99Ms)),
    maxMs: maxOf(stats.map((s) => s.maxMs)),
    iterations: sum(stats.map((s) => s.iterations)),
    durationMs: Math.max(...stats.map((s) => s.durationMs)),
    dataReceived: sum(stats.map((s) => s.dataReceived)),
    dataSent: sum(stats.map((s) => s.dataSent)),
  };

  const thresholds = new Map<string, ThresholdResult>();
  for (const t of summaries.flatMap(thresholdsFromSummary)) {
    const key = `${t.metric} ${t.expr}`;
    const seen = thresholds.get(key);
    thresholds.set(key, { ...t, ok: (seen?.ok ?? true) && t.ok });
  }

  const endpoints = new Map<string, EndpointStats>();
  for (const e of summaries.flatMap(perEndpointFromSummary)) {
    const seen = endpoints.get(e.name);
    endpoints.set(
      e.name,
      seen ? { name: e.name, count: seen.count + e.count, p95Ms: maxOf([seen.p95Ms, e.p95Ms]) } : e,
    );
  }

  const thresholdList = [...thresholds.values()];
  return {
    segments: summaries.length,
    stats: combined,
    thresholds: thresholdList,
    thresholdsPassed: thresholdList.every((t) => t.ok),
    perEndpoint: [...endpoints.values()].sort((a, b) => a.name.localeCompare(b.name)),
    percentiles: 'max-of-segments',
  };
}
