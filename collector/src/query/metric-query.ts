// The one query builder over the telemetry tables, shared by the dashboard and the alert engine.
// Every value from outside goes through query_params ({name:Type}); identifiers come only from
// the fixed table map below, never from input.
import {
  type Buckets,
  histogramQuantile,
  histogramQuantileBounds,
  mergeBuckets,
  type QuantileBounds,
} from './histogram.ts';

export type MetricKind = 'histogram' | 'sum' | 'gauge';

export type FilterOp = '=' | '!=' | '>' | '>=' | '<' | '<=';
export interface AttributeFilter {
  key: string;
  op: FilterOp;
  value: string | number;
}

export interface MetricSelector {
  metric: string;
  serviceName?: string | undefined;
  where?: AttributeFilter[] | undefined;
}

export interface TimeWindow {
  /** Unix milliseconds or Date; the window is [from, to). */
  from: number | Date;
  to: number | Date;
}

export interface SqlQuery {
  query: string;
  query_params: Record<string, unknown>;
}

const ms = (t: number | Date) => (typeof t === 'number' ? Math.round(t) : t.getTime());

/** WHERE clause for a selector and window; `prefix` keeps parameter names unique when combined. */
export function whereClause(sel: MetricSelector, window: TimeWindow, prefix = 'w'): SqlQuery {
  const params: Record<string, unknown> = {
    [`${prefix}_metric`]: sel.metric,
    [`${prefix}_from`]: ms(window.from),
    [`${prefix}_to`]: ms(window.to),
  };
  const parts = [
    `MetricName = {${prefix}_metric:String}`,
    `TimeUnix >= fromUnixTimestamp64Milli({${prefix}_from:Int64})`,
    `TimeUnix < fromUnixTimestamp64Milli({${prefix}_to:Int64})`,
  ];
  if (sel.serviceName) {
    params[`${prefix}_service`] = sel.serviceName;
    parts.push(`ServiceName = {${prefix}_service:String}`);
  }
  const filter = attributeCondition(sel.where ?? [], `${prefix}_a`);
  if (filter.query) parts.push(filter.query);
  Object.assign(params, filter.query_params);
  return { query: parts.join(' AND '), query_params: params };
}

/** Attribute filters: equality compares strings; ordering compares numbers. */
export function attributeCondition(filters: AttributeFilter[], prefix: string): SqlQuery {
  const params: Record<string, unknown> = {};
  const parts = filters.map((f, i) => {
    const key = `${prefix}${i}k`;
    const value = `${prefix}${i}v`;
    params[key] = f.key;
    const attr = `Attributes[{${key}:String}]`;
    if (f.op === '=' || f.op === '!=') {
      params[value] = String(f.value);
      return `${attr} ${f.op} {${value}:String}`;
    }
    const n = Number(f.value);
    if (!Number.isFinite(n))
      throw new RangeError(`filter ${f.key} ${f.op} needs a number, got ${String(f.value)}`);
    params[value] = n;
    return `toFloat64OrNull(${attr}) ${f.op} {${value}:Float64}`;
  });
  return { query: parts.join(' AND '), query_params: params };
}

export interface HistogramBucketRow {
  t: number;
  bounds: number[];
  counts: number[];
  count: number;
  sum: number;
  min: number;
  max: number;
  matching: number;
}

/** Rows of the same step and bounds (from different window parts) added up, ordered by step. */
export function mergeBucketRows(rows: HistogramBucketRow[]): HistogramBucketRow[] {
  const merged = new Map<string, HistogramBucketRow>();
  for (const row of rows) {
    const key = `${row.t}|${row.bounds.join(',')}`;
    const seen = merged.get(key);
    if (!seen) merged.set(key, { ...row, counts: [...row.counts] });
    else {
      row.counts.forEach((c, i) => {
        seen.counts[i] = (seen.counts[i] ?? 0) + c;
      });
      seen.count += row.count;
      seen.sum += row.sum;
      seen.matching += row.matching;
      seen.min = Math.min(seen.min, row.min);
      seen.max = Math.max(seen.max, row.max);
    }
  }
  return [...merged.values()].sort((a, b) => a.t - b.t);
}

/**
 * The aggregate columns of a histogram window (bounds, counts, count, sum, min, max, matching),
 * for queries that GROUP BY bounds plus their own keys; `matching` needs a condition or is 0.
 */
export function histogramAggregates(matchingCondition: string): string {
  return `ExplicitBounds AS bounds, sumForEach(BucketCounts) AS counts, sum(Count) AS count, sum(Sum) AS sum,
      min(Min) AS min, max(Max) AS max, ${matchingCondition ? `sumIf(Count, ${matchingCondition})` : '0'} AS matching`;
}

/** The aggregate columns of a gauge or sum window (n, total, mean, lo, hi, latest, part): see statOfValues. */
export function valueAggregates(partCondition: string): string {
  return `count() AS n, sum(Value) AS total, avg(Value) AS mean, min(Value) AS lo, max(Value) AS hi,
      argMax(Value, TimeUnix) AS latest, ${partCondition ? `sumIf(Value, ${partCondition})` : '0'} AS part`;
}

/** One JSON row of histogramAggregates (plus an optional step `t`) as numbers. */
export function histogramBucketRowOf(r: Record<string, unknown>): HistogramBucketRow {
  return {
    t: Number(r.t ?? 0),
    bounds: (r.bounds as unknown[]).map(Number),
    counts: (r.counts as unknown[]).map(Number),
    count: Number(r.count),
    sum: Number(r.sum),
    min: Number(r.min),
    max: Number(r.max),
    matching: Number(r.matching),
  };
}

export interface HistogramSummary {
  count: number;
  sum: number;
  matching: number;
  min: number;
  max: number;
  buckets: Buckets;
}

export function summarise(rows: HistogramBucketRow[]): HistogramSummary {
  return {
    count: rows.reduce((a, r) => a + r.count, 0),
    sum: rows.reduce((a, r) => a + r.sum, 0),
    matching: rows.reduce((a, r) => a + r.matching, 0),
    min: rows.length ? Math.min(...rows.map((r) => r.min)) : 0,
    max: rows.length ? Math.max(...rows.map((r) => r.max)) : 0,
    buckets: mergeBuckets(rows.map((r) => ({ bounds: r.bounds, counts: r.counts }))),
  };
}

export function quantileOf(summary: HistogramSummary, q: number): number | null {
  return histogramQuantile(summary.buckets, q, { min: summary.min, max: summary.max });
}

/** quantileOf with its error bound: the bucket the estimate lies in, narrowed by min and max. */
export function quantileBoundsOf(summary: HistogramSummary, q: number): QuantileBounds | null {
  return histogramQuantileBounds(summary.buckets, q, { min: summary.min, max: summary.max });
}
