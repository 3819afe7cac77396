// Quantiles from OTel exponential (base-2) histograms in otel_metrics_exponential_histogram.
// Buckets at scale s have base 2^(2^-s); bucket i holds values in (base^i, base^(i+1)], so the
// relative error of an estimate is bounded by the bucket width (≈ 0.7 % at scale 7, 4.4 % at 4),
// far tighter than explicit buckets around a threshold. Points of different scales merge by
// downscaling to the coarsest (index i at scale s is index i >> (s - S) at scale S). Only positive
// buckets are read: the latencies and sizes this serves are never negative.
import type { ClickHouseClient } from '@clickhouse/client';
import {
  type AttributeFilter,
  attributeCondition,
  type MetricSelector,
  type SqlQuery,
  type TimeWindow,
  whereClause,
} from './metric-query.ts';

export const EXP_HISTOGRAM_TABLE = 'otel_metrics_exponential_histogram';

export interface ExpHistogramQueryOptions {
  /** Attribute keys to group by (one result row set per distinct combination). */
  by?: string[] | undefined;
  /** Step in seconds for a series; unset → the whole window is one step (t = 0). */
  stepSeconds?: number | undefined;
  /** `matching` counts observations that also pass these filters (for error ratios). */
  countWhere?: AttributeFilter[] | undefined;
}

/** Points summed per group, step, scale and offset (sumForEach pads shorter arrays). */
export interface ExpHistogramRow {
  group: string[];
  t: number;
  scale: number;
  offset: number;
  counts: number[];
  zeroCount: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  matching: number;
}

export interface ExpHistogramSummary {
  scale: number;
  /** Bucket index → count, at `scale`. */
  buckets: Map<number, number>;
  zeroCount: number;
  count: number;
  sum: number;
  matching: number;
  min: number;
  max: number;
}

export function expHistogramQuery(
  sel: MetricSelector,
  window: TimeWindow,
  opts: ExpHistogramQueryOptions = {},
): SqlQuery {
  const where = whereClause(sel, window);
  const matching = attributeCondition(opts.countWhere ?? [], 'm');
  const by = opts.by ?? [];
  const groupParams: Record<string, string> = {};
  const groupCols = by.map((key, i) => {
    groupParams[`gk${i}`] = key;
    return `Attributes[{gk${i}:String}] AS g${i}`;
  });
  const step = opts.stepSeconds
    ? 'toUnixTimestamp64Milli(toDateTime64(toStartOfInterval(TimeUnix, toIntervalSecond({step:UInt32})), 3))'
    : '0';
  const keys = [...by.map((_, i) => `g${i}`), 't', 'scale', 'offset'];
  return {
    query: `SELECT ${[...groupCols, `${step} AS t`].join(', ')}, Scale AS scale, PositiveOffset AS offset,
      sumForEach(PositiveBucketCounts) AS counts, sum(ZeroCount) AS zero, sum(Count) AS count, sum(Sum) AS sum,
      minIf(Min, Count > 0) AS min, max(Max) AS max,
      ${matching.query ? `sumIf(Count, ${matching.query})` : '0'} AS matching
    FROM ${EXP_HISTOGRAM_TABLE}
    WHERE ${where.query}
    GROUP BY ${keys.join(', ')}
    ORDER BY t`,
    query_params: {
      ...where.query_params,
      ...matching.query_params,
      ...groupParams,
      ...(opts.stepSeconds ? { step: opts.stepSeconds } : {}),
    },
  };
}

export async function queryExpHistogram(
  client: ClickHouseClient,
  sel: MetricSelector,
  window: TimeWindow,
  opts: ExpHistogramQueryOptions = {},
): Promise<ExpHistogramRow[]> {
  const result = await client.query({ ...expHistogramQuery(sel, window, opts), format: 'JSONEachRow' });
  const rows = await result.json<Record<string, unknown>>();
  const by = opts.by ?? [];
  return rows.map((r) => ({
    group: by.map((_, i) => String(r[`g${i}`] ?? '')),
    t: Number(r.t ?? 0),
    scale: Number(r.scale),
    offset: Number(r.offset),
    counts: (r.counts as unknown[]).map(Number),
    zeroCount: Number(r.zero),
    count: Number(r.count),
    sum: Number(r.sum),
    min: Number(r.min),
    max: Number(r.max),
    matching: Number(r.matching),
  }));
}

/** Merges points (any scales and offsets) into one histogram at the coarsest scale among them. */
export function mergeExpHistograms(rows: readonly ExpHistogramRow[]): ExpHistogramSummary {
  const withBuckets = rows.filter((r) => r.counts.some((c) => c > 0));
  const scale = withBuckets.length ? Math.min(...withBuckets.map((r) => r.scale)) : 0;
  const buckets = new Map<number, number>();
  for (const r of withBuckets) {
    const shift = r.scale - scale;
    for (const [i, c] of r.counts.entries()) {
      if (c === 0) continue;
      // Arithmetic shift floors negative indices too, as downscaling requires.
      const index = (r.offset + i) >> shift;
      buckets.set(index, (buckets.get(index) ?? 0) + c);
    }
  }
  const counted = rows.filter((r) => r.count > 0);
  return {
    scale,
    buckets,
    zeroCount: rows.reduce((a, r) => a + r.zeroCount, 0),
    count: rows.reduce((a, r) => a + r.count, 0),
    sum: rows.reduce((a, r) => a + r.sum, 0),
    matching: rows.reduce((a, r) => a + r.matching, 0),
    min: counted.length ? Math.min(...counted.map((r) => r.min)) : 0,
    max: counted.length ? Math.max(...counted.map((r) => r.max)) : 0,
  };
}

/** Lower and upper bound of bucket `index` at `scale`. */
export function expBucketBounds(index: number, scale: number): { lower: number; upper: number } {
  const perDoubling = 2 ** scale;
  return { lower: 2 ** (index / perDoubling), upper: 2 ** ((index + 1) / perDoubling) };
}

/**
 * The q-quantile: the bucket holding the rank-th observation, interpolated log-linearly inside it
 * (buckets are exponential, so that is the even spread), clamped to the observed min and max.
 */
export function expHistogramQuantile(h: ExpHistogramSummary, q: number): number | null {
  const total = h.zeroCount + [...h.buckets.values()].reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  const rank = Math.min(Math.max(q, 0), 1) * total;
  if (rank <= h.zeroCount) return 0;
  let cumulative = h.zeroCount;
  let estimate = h.max;
  for (const index of [...h.buckets.keys()].sort((a, b) => a - b)) {
    const c = h.buckets.get(index)!;
    if (cumulative + c >= rank) {
      const { lower, upper } = expBucketBounds(index, h.scale);
      estimate = lower * (upper / lower) ** ((rank - cumulative) / c);
      break;
    }
    cumulative += c;
  }
  if (h.count > 0) estimate = Math.min(Math.max(estimate, h.min), h.max);
  return estimate;
}

/** The distribution as ascending buckets, coarsened to at most `maxScale` (fewer, wider bars). */
export function expHistogramBuckets(
  h: ExpHistogramSummary,
  maxScale = 2,
): { lower: number; upper: number; count: number }[] {
  const scale = Math.min(h.scale, maxScale);
  const shift = h.scale - scale;
  const coarse = new Map<number, number>();
  for (const [index, c] of h.buckets) coarse.set(index >> shift, (coarse.get(index >> shift) ?? 0) + c);
  const out = [...coarse.keys()]
    .sort((a, b) => a - b)
    .map((index) => ({ ...expBucketBounds(index, scale), count: coarse.get(index)! }));
  return h.zeroCount > 0 ? [{ lower: 0, upper: 0, count: h.zeroCount }, ...out] : out;
}
