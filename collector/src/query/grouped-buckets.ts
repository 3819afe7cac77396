// Histogram buckets per group and step, the rollups chosen inside: one request object in
// (metric, filters, window, `by` keys, optional step and `matching` filters), SQL and rows out.
// The ungrouped reads (histogramBucketsQuery / queryHistogramBuckets, by = []) are the same query.
import type { ClickHouseClient } from '@clickhouse/client';
import {
  type AttributeFilter,
  attributeCondition,
  type HistogramBucketRow,
  histogramAggregates,
  histogramBucketRowOf,
  type MetricSelector,
  mergeBucketRows,
  type SqlQuery,
  type TimeWindow,
  whereClause,
} from './metric-query.ts';
import {
  type HistogramSource,
  histogramRollupAggregates,
  histogramSourceTable,
  planWindowSources,
  type SourcePart,
} from './rollup-source.ts';

type Client = Pick<ClickHouseClient, 'query'>;

/**
 * The SELECT columns for `by` keys (`service` means the ServiceName column; other keys are
 * attributes, passed as query parameters) and their aliases g0, g1, … for GROUP BY.
 */
export function groupColumns(by: string[]): {
  select: string[];
  names: string[];
  params: Record<string, string>;
} {
  const params: Record<string, string> = {};
  const names = by.map((_, i) => `g${i}`);
  const select = by.map((key, i) => {
    if (key === 'service') return `ServiceName AS g${i}`;
    params[`gk${i}`] = key;
    return `Attributes[{gk${i}:String}] AS g${i}`;
  });
  return { select, names, params };
}

export const groupOf = (names: string[], row: Record<string, unknown>) => names.map((n) => String(row[n]));
export const groupBy = (keys: string[]) => (keys.length > 0 ? `GROUP BY ${keys.join(', ')}` : '');

export interface GroupedBucketsRequest extends MetricSelector {
  window: TimeWindow;
  /** Attribute keys (`service` = the ServiceName column); [] = one group. */
  by: string[];
  /** Sum per step of this many seconds (rows carry the step start as `t`); unset = the whole window. */
  stepSeconds?: number | undefined;
  /** Observations that also pass these filters are counted as `matching` (e.g. 5xx answers). */
  countWhere?: AttributeFilter[] | undefined;
  /** `auto` (default): rollups where they tile the window and step exactly. */
  source?: HistogramSource | 'auto' | undefined;
}

export type GroupedBucketRow = HistogramBucketRow & { group: string[] };

/** Histogram buckets summed per group, step and bucket layout: one SELECT per window part. */
export function groupedBucketsQuery(req: GroupedBucketsRequest): SqlQuery {
  const parts: SourcePart[] =
    req.source === undefined || req.source === 'auto'
      ? planWindowSources(req.window, req.stepSeconds)
      : [{ source: req.source, window: { from: +req.window.from, to: +req.window.to } }];
  const matching = attributeCondition(req.countWhere ?? [], 'm');
  const groups = groupColumns(req.by);
  const step = req.stepSeconds
    ? 'toUnixTimestamp64Milli(toDateTime64(toStartOfInterval(TimeUnix, toIntervalSecond({step:UInt32})), 3))'
    : '0';
  const params: Record<string, unknown> = {
    ...matching.query_params,
    ...groups.params,
    ...(req.stepSeconds ? { step: req.stepSeconds } : {}),
  };
  const selects = parts.map((part, i) => {
    const where = whereClause(req, part.window, parts.length === 1 ? 'w' : `w${i}`);
    Object.assign(params, where.query_params);
    const columns =
      part.source === 'raw' ? histogramAggregates(matching.query) : histogramRollupAggregates(matching.query);
    return `SELECT ${[...groups.select, `${step} AS t`, columns].join(', ')}
    FROM ${histogramSourceTable(part.source)}
    WHERE ${where.query}
    ${groupBy([...groups.names, 't', 'bounds'])}`;
  });
  // Several parts may each return a row for the same (group, t, bounds): the reader merges them.
  const query =
    selects.length === 1 ? `${selects[0]}\n    ORDER BY t` : selects.join('\n    UNION ALL\n    ');
  return { query, query_params: params };
}

/** Bucket rows per group (rows of one group, step and layout merged), ordered by step. */
export async function queryGroupedBuckets(
  client: Client,
  req: GroupedBucketsRequest,
): Promise<GroupedBucketRow[]> {
  const result = await client.query({ ...groupedBucketsQuery(req), format: 'JSONEachRow' });
  const rows = await result.json<Record<string, unknown>>();
  const names = groupColumns(req.by).names;
  const byGroup = Map.groupBy(rows, (r) => JSON.stringify(groupOf(names, r)));
  return [...byGroup].flatMap(([key, members]) => {
    const group = JSON.parse(key) as string[];
    return mergeBucketRows(members.map(histogramBucketRowOf)).map((row) => ({ ...row, group }));
  });
}

/**
 * Buckets summed per time step (or over the whole window when stepSeconds is unset), one group.
 * `matching` counts observations that also pass `countWhere` (for error ratios).
 */
export function histogramBucketsQuery(
  sel: MetricSelector,
  window: TimeWindow,
  stepSeconds?: number,
  countWhere?: AttributeFilter[],
  source: HistogramSource | 'auto' = 'auto',
): SqlQuery {
  return groupedBucketsQuery({ ...sel, window, by: [], stepSeconds, countWhere, source });
}

export async function queryHistogramBuckets(
  client: Client,
  sel: MetricSelector,
  window: TimeWindow,
  stepSeconds?: number,
  countWhere?: AttributeFilter[],
  source: HistogramSource | 'auto' = 'auto',
): Promise<HistogramBucketRow[]> {
  const rows = await queryGroupedBuckets(client, { ...sel, window, by: [], stepSeconds, countWhere, source });
  return rows.map(({ group: _, ...row }) => row);
}
