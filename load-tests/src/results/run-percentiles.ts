// The one computation of a run's latency figures — overall, per endpoint (k6's `name` tag) and per
// segment — that every reader uses (results, report, re-judged thresholds, compare, exports, CLI,
// the launcher's final figures). Source: the run's request samples in cp_run_samples, exact with
// k6's own formula (R-7: linear between the samples around rank p·(n−1), ClickHouse's
// quantileExactInclusive, named once in collector/src/query/run-sample-quantile.ts, which the alert
// rule LoadRunLatencyThresholdFailing uses too), merged across segments. Only when the store lacks
// samples of the run (k6 run without them, or an ingest that failed) do k6's histograms answer, as a
// stated estimate.
// Why samples: bench/accuracy (histograms are off by tens of % for endpoints with few requests).
import { RUN_SAMPLE_QUANTILES, type TimeWindow } from 'collector/query';
import type { PercentileOrigin, RunResult } from '../run-state.ts';
import { RUN_SAMPLES_TABLE, type StoreClient } from '../run-store.ts';
import { type LatencyStats, latencyStats } from './latency.ts';
import { describePercentiles } from './percentile-origin.ts';
import { groupKey, histogramByGroup } from './store-queries.ts';

/**
 * `errorBound`: the largest relative error of a percentile — 0 for samples (exact); for exponential
 * histograms the width of a bucket at their coarsest scale (interpolation stays inside it); null for
 * explicit buckets (up to a whole bucket's width, which can be several times the value) or no data.
 */
export type RunPercentiles = PercentileOrigin & {
  overall: LatencyStats;
  byName: Map<string, LatencyStats>;
  /** Per execution segment ("0:1/2"); empty for a run of one process or from histograms. */
  bySegment: Map<string, LatencyStats>;
};

export type RunPercentilesOptions = {
  /** Where the run's histogram points can be (its telemetry window), for the fallback. */
  window: TimeWindow;
  /**
   * Requests k6 counted (its summary's http_reqs): samples are used only when the store holds at
   * least that many. Unknown (a run still going, or without a summary) → whatever samples there are.
   */
  expectedRequests?: number | null;
};

type SampleRow = {
  g: number;
  Name: string;
  Segment: string;
  n: string;
  total: number;
  max: number;
  q: number[];
};

const QUANTILES = [0.5, 0.9, 0.95, 0.99] as const;

const statsOf = (r: SampleRow): LatencyStats => {
  const count = Number(r.n);
  const [p50, p90, p95, p99] = r.q;
  return {
    count,
    avgMs: r.total / count,
    p50Ms: p50 ?? null,
    p90Ms: p90 ?? null,
    p95Ms: p95 ?? null,
    p99Ms: p99 ?? null,
    maxMs: r.max,
  };
};

/** Exact figures from the run's samples; null when the store holds none. */
async function fromSamples(client: StoreClient, runId: string): Promise<RunPercentiles | null> {
  // grouping(Name, Segment): bit set = that column aggregated over (1 → per Name, 2 → per Segment, 3 → all).
  const result = await client.query({
    query: `SELECT Name, Segment, grouping(Name, Segment) AS g, count() AS n, sum(DurationMs) AS total,
        max(DurationMs) AS max, ${RUN_SAMPLE_QUANTILES}(${QUANTILES.join(', ')})(DurationMs) AS q
      FROM ${RUN_SAMPLES_TABLE} WHERE RunId = {runId:String}
      GROUP BY GROUPING SETS ((), (Name), (Segment))`,
    query_params: { runId },
    format: 'JSONEachRow',
  });
  const rows = await result.json<SampleRow>();
  const overall = rows.find((r) => r.g === 3);
  if (!overall || Number(overall.n) === 0) return null;
  const segments = rows.filter((r) => r.g === 2 && r.Segment !== '');
  return {
    source: 'samples',
    errorBound: 0,
    description: describePercentiles({ source: 'samples', errorBound: 0 }),
    overall: statsOf(overall),
    byName: new Map(rows.filter((r) => r.g === 1).map((r) => [r.Name, statsOf(r)])),
    bySegment: new Map(segments.map((r) => [r.Segment, statsOf(r)])),
  };
}

/** Relative width of the widest bucket of base-2 exponential histograms at `scale`. */
export const exponentialErrorBound = (scale: number): number => 2 ** (2 ** -scale) - 1;

/** The estimate from k6's histograms of the run (the fallback; bench/accuracy holds it against samples). */
export async function histogramPercentiles(
  client: StoreClient,
  runId: string,
  window: TimeWindow,
): Promise<RunPercentiles> {
  const sel = {
    metric: 'http_req_duration',
    serviceName: 'k6',
    where: [{ key: 'run_id', op: '=' as const, value: runId }],
  };
  const [perName, overall] = await Promise.all([
    histogramByGroup(client, sel, window, ['name']),
    histogramByGroup(client, sel, window, []),
  ]);
  const all = overall.groups.get(groupKey([]));
  const errorBound = overall.kind === 'exponential' && all ? exponentialErrorBound(all.scale ?? 0) : null;
  return {
    source: overall.kind,
    errorBound,
    description: describePercentiles({ source: overall.kind, errorBound }),
    overall: latencyStats(all),
    byName: new Map(
      [...perName.groups].map(([key, h]) => [(JSON.parse(key) as string[])[0] ?? '', latencyStats(h)]),
    ),
    bySegment: new Map(),
  };
}

/** A run's percentiles from its samples when the store has them all, else from its histograms. */
export async function queryRunPercentiles(
  client: StoreClient,
  runId: string,
  opts: RunPercentilesOptions,
): Promise<RunPercentiles> {
  const exact = await fromSamples(client, runId);
  const expected = opts.expectedRequests ?? null;
  if (exact && (expected === null || exact.overall.count >= expected)) return exact;
  return histogramPercentiles(client, runId, opts.window);
}

/** k6's result with its percentiles replaced by the store's (the run list then shows the report's figures). */
export function withRunPercentiles(result: RunResult, p: RunPercentiles): RunResult {
  if (p.source === 'none' || !result.stats) return result;
  const o = p.overall;
  return {
    ...result,
    stats: {
      ...result.stats,
      p50Ms: o.p50Ms,
      p90Ms: o.p90Ms,
      p95Ms: o.p95Ms,
      p99Ms: o.p99Ms,
      maxMs: o.maxMs,
    },
    ...(result.perEndpoint
      ? {
          perEndpoint: result.perEndpoint.map((e) => {
            const stats = p.byName.get(e.name);
            return stats ? { ...e, p95Ms: stats.p95Ms } : e;
          }),
        }
      : {}),
    percentiles: { source: p.source, errorBound: p.errorBound, description: p.description },
  };
}

/**
 * A finished run's result with the store's percentiles, for the launcher to record: k6's own are kept
 * (and `warn` told) when the store cannot answer. `since`: when the run started (its window's start).
 */
export async function resultWithRunPercentiles(
  client: StoreClient,
  runId: string,
  result: RunResult,
  since: number,
  warn: (message: string, err?: unknown) => void,
): Promise<RunResult> {
  try {
    const p = await queryRunPercentiles(client, runId, {
      window: { from: since - 60_000, to: Date.now() + 60_000 },
      expectedRequests: result.stats?.httpReqs ?? null,
    });
    return withRunPercentiles(result, p);
  } catch (err) {
    warn(`run ${runId}: the store's percentiles could not be read; k6's own are kept`, err);
    return result;
  }
}
