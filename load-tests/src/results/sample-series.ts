// A run's percentiles over time and its latency distribution from its request samples
// (cp_run_samples), for reports of runs whose percentiles come from samples (run-percentiles.ts):
// each step's figures are exact, computed the same way as the run's.
import { RUN_SAMPLES_TABLE, type StoreClient } from '../run-store.ts';
import type { DistributionBucket } from './latency.ts';
import type { SeriesPoint } from './run-report.ts';

/** Steps of `stepSeconds` over [from, to): every step listed, empty ones with nulls. */
export async function sampleSeries(
  client: StoreClient,
  runId: string,
  window: { from: number; to: number },
  stepSeconds: number,
): Promise<SeriesPoint[]> {
  const result = await client.query({
    query: `SELECT intDiv(toUnixTimestamp64Milli(TimeUnix), {stepMs:Int64}) * {stepMs:Int64} AS t,
        count() AS n, quantilesExactInclusive(0.5, 0.95, 0.99)(DurationMs) AS q
      FROM ${RUN_SAMPLES_TABLE}
      WHERE RunId = {runId:String}
        AND TimeUnix >= fromUnixTimestamp64Milli({from:Int64}) AND TimeUnix < fromUnixTimestamp64Milli({to:Int64})
      GROUP BY t`,
    query_params: { runId, stepMs: stepSeconds * 1000, from: window.from, to: window.to },
    format: 'JSONEachRow',
  });
  const rows = new Map(
    (await result.json<{ t: string; n: string; q: number[] }>()).map((r) => [Number(r.t), r]),
  );
  const stepMs = stepSeconds * 1000;
  const points: SeriesPoint[] = [];
  for (let t = Math.floor(window.from / stepMs) * stepMs; t < window.to; t += stepMs) {
    const r = rows.get(t);
    const n = r ? Number(r.n) : 0;
    points.push({
      t,
      requests: n,
      ratePerSec: n / stepSeconds,
      p50Ms: r?.q[0] ?? null,
      p95Ms: r?.q[1] ?? null,
      p99Ms: r?.q[2] ?? null,
    });
  }
  return points;
}

/** Buckets per quarter octave (2^(k/4) ms wide), as exponential histograms at scale 2 draw them. */
export async function sampleDistribution(client: StoreClient, runId: string): Promise<DistributionBucket[]> {
  const result = await client.query({
    query: `SELECT floor(log2(greatest(DurationMs, 0.001)) * 4) AS k, count() AS n
      FROM ${RUN_SAMPLES_TABLE} WHERE RunId = {runId:String} GROUP BY k ORDER BY k`,
    query_params: { runId },
    format: 'JSONEachRow',
  });
  return (await result.json<{ k: number; n: string }>()).map((r) => ({
    lowerMs: 2 ** (Number(r.k) / 4),
    upperMs: 2 ** ((Number(r.k) + 1) / 4),
    count: Number(r.n),
  }));
}
