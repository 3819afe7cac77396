// Grouped reads of a run's k6 telemetry: callers of the collector's grouped statistics and
// grouped buckets (one query builder: WHERE, group columns, rollups, stat arithmetic), plus the
// exponential-histogram reader for runs exported with base2 exponential buckets.
import {
  type MetricSelector,
  mergeExpHistograms,
  queryExpHistogram,
  queryGroupedBuckets,
  queryGroupedStat,
  summarise,
  type TimeWindow,
} from 'collector/query';
import type { StoreClient } from '../run-store.ts';
import { type LatencyHistogram, latencyOfExplicit, latencyOfExponential } from './latency.ts';

const keyOf = (values: string[]) => JSON.stringify(values);

/** Sum of a monotonic delta counter per group (`by` attribute keys), over the window; empty groups left out. */
export async function sumByGroup(
  client: StoreClient,
  sel: MetricSelector,
  window: TimeWindow,
  by: string[],
): Promise<{ group: string[]; total: number }[]> {
  const groups = await queryGroupedStat(client, {
    ...sel,
    kind: 'sum',
    stat: 'sum',
    by,
    window: { from: +window.from, to: +window.to },
  });
  return groups.flatMap(({ group, value }) =>
    value === null ? [] : [{ group: by.map((k) => group[k] ?? ''), total: value }],
  );
}

/** Explicit-bucket histograms per group. */
async function explicitByGroup(
  client: StoreClient,
  sel: MetricSelector,
  window: TimeWindow,
  by: string[],
): Promise<Map<string, LatencyHistogram>> {
  const rows = await queryGroupedBuckets(client, { ...sel, window, by });
  const byGroup = Map.groupBy(rows, (r) => keyOf(r.group));
  return new Map([...byGroup].map(([key, members]) => [key, latencyOfExplicit(summarise(members))]));
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
