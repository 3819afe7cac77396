// Statistics over a window and series over time, built on metric-query.ts. A statistic with no
// data is null ("no data"), never 0.
import type { ClickHouseClient } from '@clickhouse/client';
import { sumRollupTable } from '../store/schema-rollups.ts';
import { queryHistogramBuckets } from './grouped-buckets.ts';
import type { QuantileBounds } from './histogram.ts';
import {
  type AttributeFilter,
  attributeCondition,
  type HistogramBucketRow,
  type HistogramSummary,
  type MetricKind,
  type MetricSelector,
  quantileBoundsOf,
  quantileOf,
  summarise,
  type TimeWindow,
  valueAggregates,
  whereClause,
} from './metric-query.ts';
import { planWindowSources, sumRollupAggregates } from './rollup-source.ts';

export const quantileStats = { p50: 0.5, p75: 0.75, p90: 0.9, p95: 0.95, p99: 0.99 } as const;
export type QuantileStat = keyof typeof quantileStats;
export type Stat = QuantileStat | 'avg' | 'min' | 'max' | 'count' | 'rate' | 'sum' | 'last' | 'ratio';
export const stats: readonly Stat[] = [
  'p50',
  'p75',
  'p90',
  'p95',
  'p99',
  'avg',
  'min',
  'max',
  'count',
  'rate',
  'sum',
  'last',
  'ratio',
];

export interface StatRequest extends MetricSelector {
  kind: MetricKind;
  stat: Stat;
  window: TimeWindow;
  /** For `ratio`: the share of observations (histogram) or of the sum that also match these filters. */
  numerator?: AttributeFilter[] | undefined;
}

const seconds = (w: TimeWindow) =>
  ((typeof w.to === 'number' ? w.to : w.to.getTime()) -
    (typeof w.from === 'number' ? w.from : w.from.getTime())) /
  1000;

export async function queryStat(client: ClickHouseClient, req: StatRequest): Promise<number | null> {
  if (req.kind === 'histogram') return histogramStat(client, req);
  return valueStat(client, req);
}

async function histogramStat(client: ClickHouseClient, req: StatRequest): Promise<number | null> {
  const summary = summarise(await queryHistogramBuckets(client, req, req.window, undefined, req.numerator));
  return statOfHistogram(summary, req.stat, seconds(req.window));
}

async function valueStat(client: ClickHouseClient, req: StatRequest): Promise<number | null> {
  if (req.kind === 'sum' && sumRollupStats.has(req.stat)) return sumStat(client, req);
  const where = whereClause(req, req.window);
  const table = req.kind === 'sum' ? 'otel_metrics_sum' : 'otel_metrics_gauge';
  const numerator = attributeCondition(req.numerator ?? [], 'n');
  const result = await client.query({
    query: `SELECT ${valueAggregates(numerator.query)} FROM ${table} WHERE ${where.query}`,
    query_params: { ...where.query_params, ...numerator.query_params },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<Record<string, unknown>>();
  return statOfValues(row, req.stat, seconds(req.window));
}

/** Stats of a sum that need only its total, point count and matching part: the rollups hold them. */
const sumRollupStats = new Set<Stat>(['sum', 'rate', 'count', 'ratio']);

/** A sum's window read from the sum rollups for its aligned stretch and raw rows for the edges. */
export function sumStatQuery(
  req: MetricSelector & { window: TimeWindow; numerator?: AttributeFilter[] | undefined },
) {
  const numerator = attributeCondition(req.numerator ?? [], 'n');
  const params: Record<string, unknown> = { ...numerator.query_params };
  const parts = planWindowSources(req.window).map((part, i) => {
    const where = whereClause(req, part.window, `w${i}`);
    Object.assign(params, where.query_params);
    return part.source === 'raw'
      ? `SELECT count() AS n, sum(Value) AS total, ${numerator.query ? `sumIf(Value, ${numerator.query})` : '0'} AS part
    FROM otel_metrics_sum WHERE ${where.query}`
      : `SELECT ${sumRollupAggregates(numerator.query)} FROM ${sumRollupTable(part.source)} WHERE ${where.query}`;
  });
  return { query: parts.join('\n    UNION ALL\n    '), query_params: params };
}

async function sumStat(client: ClickHouseClient, req: StatRequest): Promise<number | null> {
  const result = await client.query({ ...sumStatQuery(req), format: 'JSONEachRow' });
  const rows = await result.json<Record<string, unknown>>();
  const total = (k: string) => rows.reduce((a, r) => a + Number(r[k] ?? 0), 0);
  return statOfValues(
    { n: total('n'), total: total('total'), part: total('part') },
    req.stat,
    seconds(req.window),
  );
}

/** A histogram window's statistic (shared by window and per-group queries); null = no data. */
export function statOfHistogram(summary: HistogramSummary, stat: Stat, windowSeconds: number): number | null {
  if (summary.count === 0) return stat === 'count' || stat === 'rate' ? 0 : null;
  switch (stat) {
    case 'p50':
    case 'p75':
    case 'p90':
    case 'p95':
    case 'p99':
      return quantileOf(summary, quantileStats[stat]);
    case 'avg':
      return summary.sum / summary.count;
    case 'min':
      return summary.min;
    case 'max':
      return summary.max;
    case 'count':
      return summary.count;
    case 'rate':
      return summary.count / windowSeconds;
    case 'sum':
      return summary.sum;
    case 'ratio':
      return summary.matching / summary.count;
    case 'last':
      throw new RangeError('stat "last" applies to gauges and sums, not histograms');
    default: {
      const unknownStat: never = stat;
      throw new RangeError(`unknown stat ${String(unknownStat)}`);
    }
  }
}

/**
 * A gauge or sum window's statistic from one row of valueAggregates; null = no data.
 */
export function statOfValues(
  row: Record<string, unknown> | undefined,
  stat: Stat,
  windowSeconds: number,
): number | null {
  if (!row || Number(row.n) === 0) return stat === 'count' ? 0 : null;
  const n = (k: string) => Number(row[k]);
  switch (stat) {
    case 'sum':
      return n('total');
    case 'rate':
      return n('total') / windowSeconds;
    case 'avg':
      return n('mean');
    case 'min':
      return n('lo');
    case 'max':
      return n('hi');
    case 'last':
      return n('latest');
    case 'count':
      return n('n');
    case 'ratio':
      return n('total') === 0 ? null : n('part') / n('total');
    default:
      throw new RangeError(`stat ${stat} applies to histograms only`);
  }
}

export interface SeriesPoint {
  /** Step start, unix ms. */
  t: number;
  count: number;
  /** Observations per second in the step. */
  rate: number;
  avg: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Each percentile's error bound: the bucket its estimate lies in, narrowed by min and max. */
  bounds: { p50: QuantileBounds | null; p95: QuantileBounds | null; p99: QuantileBounds | null };
  /** Observations matching the error filter, and their share. */
  errors: number;
  errorRate: number | null;
}

export interface SeriesRequest extends MetricSelector {
  window: TimeWindow;
  stepSeconds: number;
  errorWhere?: AttributeFilter[] | undefined;
}

/** Latency percentiles, throughput and errors per step; empty steps are present with no data. */
export async function queryHistogramSeries(
  client: ClickHouseClient,
  req: SeriesRequest,
): Promise<SeriesPoint[]> {
  const rows = await queryHistogramBuckets(client, req, req.window, req.stepSeconds, req.errorWhere);
  return seriesFromBuckets(rows, req.window, req.stepSeconds);
}

/** Bucket rows grouped by step (`t`) as series points; steps without rows are present with no data. */
export function seriesFromBuckets(
  rows: readonly HistogramBucketRow[],
  window: TimeWindow,
  stepSeconds: number,
): SeriesPoint[] {
  const byStep = new Map<number, HistogramBucketRow[]>();
  for (const row of rows) byStep.set(row.t, [...(byStep.get(row.t) ?? []), row]);
  const stepMs = stepSeconds * 1000;
  const fromMs = typeof window.from === 'number' ? window.from : window.from.getTime();
  const toMs = typeof window.to === 'number' ? window.to : window.to.getTime();
  const points: SeriesPoint[] = [];
  for (let t = Math.floor(fromMs / stepMs) * stepMs; t < toMs; t += stepMs) {
    const summary = summarise(byStep.get(t) ?? []);
    const has = summary.count > 0;
    const bound = (q: number) => (has ? quantileBoundsOf(summary, q) : null);
    const bounds = { p50: bound(0.5), p95: bound(0.95), p99: bound(0.99) };
    points.push({
      t,
      count: summary.count,
      rate: summary.count / stepSeconds,
      avg: has ? summary.sum / summary.count : null,
      p50: bounds.p50?.value ?? null,
      p95: bounds.p95?.value ?? null,
      p99: bounds.p99?.value ?? null,
      bounds,
      errors: summary.matching,
      errorRate: has ? summary.matching / summary.count : null,
    });
  }
  return points;
}
