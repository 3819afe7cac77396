// A statistic per group of attribute values (a rule's `by`), built on the collector's shared
// query builder (its WHERE, aggregate columns, rollup plan and stat arithmetic): the collector's
// queryStat answers one value per window, this answers one per group. Long windows read the
// collector's rollups for their aligned stretch and raw rows only for the edges, as queryStat
// does, so an SLO's 6h and 3d windows stay cheap; the answer is the raw table's either way.
import {
  type AttributeFilter,
  attributeCondition,
  histogramAggregates,
  histogramBucketRowOf,
  histogramRollupAggregates,
  histogramSourceTable,
  type MetricKind,
  planWindowSources,
  type SourcePart,
  type SqlQuery,
  type Stat,
  type Store,
  statOfHistogram,
  statOfValues,
  summarise,
  sumRollupAggregates,
  sumRollupTable,
  valueAggregates,
  whereClause,
} from 'collector';

type Client = Store['client'];

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

function groupColumns(by: string[]): { select: string; names: string[]; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const names = by.map((_, i) => `g${i}`);
  const select = by
    .map((key, i) => {
      if (key === 'service') return `ServiceName AS g${i}`;
      params[`gk${i}`] = key;
      return `Attributes[{gk${i}:String}] AS g${i}`;
    })
    .join(', ');
  return { select, names, params };
}

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
  const groupBy = [...groups.names, ...(shape === 'histogram' ? ['bounds'] : [])].join(', ');
  const params: Record<string, unknown> = { ...numerator.query_params, ...groups.params };
  const parts = partsOf(req, shape);
  const selects = parts.map((part, i) => {
    const where = whereClause(req, part.window, parts.length === 1 ? 'w' : `w${i}`);
    Object.assign(params, where.query_params);
    return `SELECT ${groups.select}, ${columnsOf(shape, part, numerator.query)}
      FROM ${tableOf(req, shape, part)} WHERE ${where.query}
      GROUP BY ${groupBy}`;
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
  const byGroup = Map.groupBy(rows, (r) => JSON.stringify(groups.names.map((n) => String(r[n]))));
  const seconds = (req.window.to - req.window.from) / 1000;
  return [...byGroup].map(([key, members]) => {
    const values = JSON.parse(key) as string[];
    const group = Object.fromEntries(req.by.map((k, i) => [k, values[i] ?? '']));
    const value = groupStat(shape, members, req.stat, seconds);
    return { group, value: value === null || Number.isNaN(value) ? null : value };
  });
}
