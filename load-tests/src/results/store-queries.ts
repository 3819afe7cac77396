// Grouped reads of a run's k6 telemetry, built on the collector's shared query builder (its WHERE
// clause, aggregate columns and quantile arithmetic); group keys travel as query parameters.
import {
  histogramAggregates,
  histogramBucketRowOf,
  type MetricSelector,
  mergeExpHistograms,
  queryExpHistogram,
  summarise,
  type TimeWindow,
  valueAggregates,
  whereClause,
} from 'collector';
import type { StoreClient } from '../run-store.ts';
import { type LatencyHistogram, latencyOfExplicit, latencyOfExponential } from './latency.ts';

function groupColumns(by: string[]): { select: string; names: string[]; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const names = by.map((_, i) => `g${i}`);
  const select = by
    .map((key, i) => {
      params[`gk${i}`] = key;
      return `Attributes[{gk${i}:String}] AS g${i}`;
    })
    .join(', ');
  return { select, names, params };
}

const keyOf = (values: string[]) => JSON.stringify(values);

/** Sum of a monotonic delta counter per group (`by` attribute keys), over the window. */
export async function sumByGroup(
  client: StoreClient,
  sel: MetricSelector,
  window: TimeWindow,
  by: string[],
): Promise<{ group: string[]; total: number }[]> {
  const where = whereClause(sel, window);
  const groups = groupColumns(by);
  const result = await client.query({
    query: `SELECT ${[groups.select, valueAggregates('')].filter(Boolean).join(', ')}
      FROM otel_metrics_sum WHERE ${where.query} ${groups.names.length ? `GROUP BY ${groups.names.join(', ')}` : ''}`,
    query_params: { ...where.query_params, ...groups.params },
    format: 'JSONEachRow',
  });
  // Without GROUP BY an empty window still yields one row (n = 0).
  const rows = (await result.json<Record<string, unknown>>()).filter((r) => Number(r.n) > 0);
  return rows.map((r) => ({ group: groups.names.map((n) => String(r[n])), total: Number(r.total) }));
}

/** Explicit-bucket histograms per group (GROUP BY the keys and the bucket layout). */
async function explicitByGroup(
  client: StoreClient,
  sel: MetricSelector,
  window: TimeWindow,
  by: string[],
): Promise<Map<string, LatencyHistogram>> {
  const where = whereClause(sel, window);
  const groups = groupColumns(by);
  const result = await client.query({
    query: `SELECT ${[groups.select, histogramAggregates('')].filter(Boolean).join(', ')} FROM otel_metrics_histogram
      WHERE ${where.query} GROUP BY ${[...groups.names, 'bounds'].join(', ')}`,
    query_params: { ...where.query_params, ...groups.params },
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown>>();
  const byGroup = Map.groupBy(rows, (r) => keyOf(groups.names.map((n) => String(r[n]))));
  return new Map(
    [...byGroup].map(([key, members]) => [
      key,
      latencyOfExplicit(summarise(members.map(histogramBucketRowOf))),
    ]),
  );
}

async function exponentialByGroup(
  client: StoreClient,
  sel: MetricSelector,
  window: TimeWindow,
  by: string[],
): Promise<Map<string, LatencyHistogram>> {
  const rows = await queryExpHistogram(client, sel, window, { by });
  const byGroup = Map.groupBy(rows, (r) => keyOf(r.group));
  return new Map(
    [...byGroup].map(([key, members]) => [key, latencyOfExponential(mergeExpHistograms(members))]),
  );
}

export type HistogramKind = 'exponential' | 'explicit';

/**
 * A k6 Trend per group, from whichever table the run exported it to: exponential histograms when
 * k6 ran with base2_exponential_bucket_histogram (far tighter percentiles), explicit otherwise.
 */
export async function histogramByGroup(
  client: StoreClient,
  sel: MetricSelector,
  window: TimeWindow,
  by: string[],
): Promise<{ kind: HistogramKind | 'none'; groups: Map<string, LatencyHistogram> }> {
  const exp = await exponentialByGroup(client, sel, window, by);
  if (exp.size > 0) return { kind: 'exponential', groups: exp };
  const explicit = await explicitByGroup(client, sel, window, by);
  return { kind: explicit.size > 0 ? 'explicit' : 'none', groups: explicit };
}

export const groupKey = keyOf;
export const parseGroupKey = (key: string): string[] => JSON.parse(key) as string[];
