// Everything an exported report shows: the run's results, its percentiles over time and its
// latency distribution, all from the store by run id.
import { mergeExpHistograms, queryExpHistogram, queryHistogramSeries } from 'collector/query';
import { readRun, type StoreClient } from '../run-store.ts';
import type { DistributionBucket } from './latency.ts';
import { latencyOfExponential } from './latency.ts';
import { queryRunResults, type RunResults, type RunResultsOptions, telemetryWindow } from './run-results.ts';
import { sampleDistribution, sampleSeries } from './sample-series.ts';
import { groupKey, histogramByGroup } from './store-queries.ts';

export type SeriesPoint = {
  /** Step start, unix ms. */
  t: number;
  requests: number;
  ratePerSec: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
};

export type RunReport = {
  generatedAt: number;
  results: RunResults;
  stepSeconds: number;
  series: SeriesPoint[];
  distribution: DistributionBucket[];
};

// k6 exports about once a second and each point is stamped with its export time, so 1 s steps
// would show false gaps (and doubled steps) from export jitter: 2 s is the finest step.
const NICE_STEPS = [2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];

/** A step that gives at most ~120 points over the run. */
export function reportStep(durationSec: number): number {
  return NICE_STEPS.find((s) => durationSec / s <= 120) ?? 3600;
}

export async function queryRunReport(
  client: StoreClient,
  runId: string,
  opts: RunResultsOptions = {},
): Promise<RunReport> {
  const now = opts.now ?? Date.now();
  const [results, run] = await Promise.all([
    queryRunResults(client, runId, { ...opts, now }),
    readRun(client, runId),
  ]);
  const stepSeconds = reportStep(results.durationSec);
  const sel = {
    metric: 'http_req_duration',
    serviceName: 'k6',
    where: [{ key: 'run_id', op: '=' as const, value: runId }],
  };
  // The series covers the run itself (not the export slack around it).
  const start = run.startedAt ?? run.createdAt;
  const window = {
    from: Math.floor(start / 1000) * 1000,
    to: Math.min(telemetryWindow(run, now).to, (run.endedAt ?? now) + stepSeconds * 1000),
  };
  // The same source as the run's percentiles (samples when the store has them all).
  if (results.percentiles.source === 'samples')
    return {
      generatedAt: now,
      results,
      stepSeconds,
      series: await sampleSeries(client, runId, window, stepSeconds),
      distribution: await sampleDistribution(client, runId),
    };
  const series =
    results.percentiles.source === 'exponential'
      ? await exponentialSeries(client, sel, window, stepSeconds)
      : (await queryHistogramSeries(client, { ...sel, window, stepSeconds })).map((p) => ({
          t: p.t,
          requests: p.count,
          ratePerSec: p.rate,
          p50Ms: p.p50,
          p95Ms: p.p95,
          p99Ms: p.p99,
        }));
  const overall = await histogramByGroup(client, sel, telemetryWindow(run, now), []);
  return {
    generatedAt: now,
    results,
    stepSeconds,
    series,
    distribution: overall.groups.get(groupKey([]))?.distribution() ?? [],
  };
}

async function exponentialSeries(
  client: StoreClient,
  sel: Parameters<typeof queryExpHistogram>[1],
  window: { from: number; to: number },
  stepSeconds: number,
): Promise<SeriesPoint[]> {
  const rows = await queryExpHistogram(client, sel, window, { stepSeconds });
  const byStep = Map.groupBy(rows, (r) => r.t);
  const points: SeriesPoint[] = [];
  const stepMs = stepSeconds * 1000;
  for (let t = Math.floor(window.from / stepMs) * stepMs; t < window.to; t += stepMs) {
    const h = latencyOfExponential(mergeExpHistograms(byStep.get(t) ?? []));
    const has = h.count > 0;
    points.push({
      t,
      requests: h.count,
      ratePerSec: h.count / stepSeconds,
      p50Ms: has ? h.quantile(0.5) : null,
      p95Ms: has ? h.quantile(0.95) : null,
      p99Ms: has ? h.quantile(0.99) : null,
    });
  }
  return points;
}
