// A statistic per group of attribute values (an alert rule's `by`, a run's counters per endpoint):
// one request object in, SQL and rows out, the rollups chosen inside. queryStat answers one value
// per window, this one per group. Long windows read the rollups for their aligned stretch and raw
// rows only for the edges, so an SLO's 6h and 3d windows stay cheap; the answer is the raw table's
// either way. Bucket rows per group and step (charts, run reports) are grouped-buckets.ts.
import type { ClickHouseClient } from '@clickhouse/client';
import { sumRollupTable } from '../store/schema-rollups.ts';
import { groupBy, groupColumns, groupOf } from './grouped-buckets.ts';
import {
  type AttributeFilter,
  attributeCondition,
  histogramAggregates,
  histogramBucketRowOf,
  type MetricKind,
  type SqlQuery,
  summarise,
  valueAggregates,
  whereClause,
} from './metric-query.ts';
import {
  histogramRollupAggregates,
  histogramSourceTable,
  planWindowSources,
  type SourcePart,
  sumRollupAggregates,
} from './rollup-source.ts';
import { type Stat, statOfHistogram, statOfValues } from './stats.ts';

type Client = Pick<ClickHouseClient, 'query'>;

export interface GroupedStatRequest {
  metric: string;
  kind: MetricKind;
  stat: Stat;
  serviceName?: string | undefined;
  where?: AttributeFilter[] | undefined;
  numerator?: AttributeFilter[] | undefined;
  /** Attribute keys; `service` means the ServiceName column. */
  by: string[];
  window: { from: number; to: number };
  /** `auto` (default): rollups where they tile the window exactly; `raw`: raw rows only. */
  source?: 'auto' | 'raw' | undefined;
}

export interface GroupValue {
  /** Grouping key → value, in the order of `by`. */
  group: Record<string, string>;
  value: number | null;
}

const rawTables: Record<MetricKind, string> = {
  histogram: 'otel_metrics_histogram',
  sum: 'otel_metrics_sum',
  gauge: 'otel_metrics_gauge',
};

/** Stats of a sum that need only its point count, total and matching part: the sum rollups hold them. */
const sumRollupStats = new Set<Stat>(['sum', 'rate', 'count', 'ratio']);

/** How a request is answered: histogram buckets, sum totals (rollup-able), or raw value aggregates. */
type Shape = 'histogram' | 'sumTotals' | 'values';

const shapeOf = (req: GroupedStatRequest): Shape =>
  req.kind === 'histogram'
    ? 'histogram'
    : req.kind === 'sum' && sumRollupStats.has(req.stat)
      ? 'sumTotals'
      : 'values';

function partsOf(req: GroupedStatRequest, shape: Shape): SourcePart[] {
  // Gauges have no rollups, and min/max/avg/last of a sum need its points, not their totals.
  if (shape === 'values' || req.source === 'raw') return [{ source: 'raw', window: req.window }];
  return planWindowSources(req.window);
}

function tableOf(req: GroupedStatRequest, shape: Shape, part: SourcePart): string {
  if (part.source === 'raw') return rawTables[req.kind];
  return shape === 'histogram' ? histogramSourceTable(part.source) : sumRollupTable(part.source);
}

function columnsOf(shape: Shape, part: SourcePart, numerator: string): string {
  const raw = part.source === 'raw';
  if (shape === 'histogram')
    return raw ? histogramAggregates(numerator) : histogramRollupAggregates(numerator);
  if (shape === 'values') return valueAggregates(numerator);
  return raw
    ? `count() AS n, sum(Value) AS total, ${numerator ? `sumIf(Value, ${numerator})` : '0'} AS part`
    : sumRollupAggregates(numerator);
}

/** The SQL of a grouped statistic: one SELECT per window part, joined with UNION ALL. */
export function groupedStatQuery(req: GroupedStatRequest): SqlQuery {
  const shape = shapeOf(req);
  const numerator = attributeCondition(req.numerator ?? [], 'n');
  const groups = groupColumns(req.by);
  const keys = [...groups.names, ...(shape === 'histogram' ? ['bounds'] : [])];
  const params: Record<string, unknown> = { ...numerator.query_params, ...groups.params };
  const parts = partsOf(req, shape);
  const selects = parts.map((part, i) => {
    const where = whereClause(req, part.window, parts.length === 1 ? 'w' : `w${i}`);
    Object.assign(params, where.query_params);
    return `SELECT ${[...groups.select, columnsOf(shape, part, numerator.query)].join(', ')}
      FROM ${tableOf(req, shape, part)} WHERE ${where.query}
      ${groupBy(keys)}`;
  });
  return { query: selects.join('\n      UNION ALL\n      '), query_params: params };
}

/** Rows of one group (several per group when parts or bounds differ) → its statistic. */
function groupStat(shape: Shape, members: Record<string, unknown>[], stat: Stat, seconds: number) {
  if (shape === 'histogram')
    return statOfHistogram(summarise(members.map(histogramBucketRowOf)), stat, seconds);
  if (shape === 'values') return statOfValues(members[0], stat, seconds);
  const total = (k: string) => members.reduce((a, r) => a + Number(r[k] ?? 0), 0);
  return statOfValues({ n: total('n'), total: total('total'), part: total('part') }, stat, seconds);
}

export async function queryGroupedStat(client: Client, req: GroupedStatRequest): Promise<GroupValue[]> {
  const shape = shapeOf(req);
  const groups = groupColumns(req.by);
  const result = await client.query({ ...groupedStatQuery(req), format: 'JSONEachRow' });
  const rows = await result.json<Record<string, unknown>>();
  // Without `by` an empty window still yields one row (n = 0): its value is null (count: 0).
  const byGroup = Map.groupBy(rows, (r) => JSON.stringify(groupOf(groups.names, r)));
  const seconds = (req.window.to - req.window.from) / 1000;
  return [...byGroup].map(([key, members]) => {
    const values = JSON.parse(key) as string[];
    const group = Object.fromEntries(req.by.map((k, i) => [k, values[i] ?? '']));
    const value = groupStat(shape, members, req.stat, seconds);
    return { group, value: value === null || Number.isNaN(value) ? null : value };
  });
}
