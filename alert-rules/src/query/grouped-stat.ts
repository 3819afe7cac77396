// A statistic per group of attribute values (a rule's `by`), built on the collector's shared
// query builder (whereClause, attributeCondition, summarise): the collector's queryStat answers
// one value per window, this answers one per group, with the same arithmetic.
import {
  type AttributeFilter,
  attributeCondition,
  type HistogramBucketRow,
  type MetricKind,
  quantileOf,
  quantileStats,
  type Stat,
  type Store,
  summarise,
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
}

export interface GroupValue {
  /** Grouping key → value, in the order of `by`. */
  group: Record<string, string>;
  value: number | null;
}

const tables: Record<MetricKind, string> = {
  histogram: 'otel_metrics_histogram',
  sum: 'otel_metrics_sum',
  gauge: 'otel_metrics_gauge',
};

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

export async function queryGroupedStat(client: Client, req: GroupedStatRequest): Promise<GroupValue[]> {
  const where = whereClause(req, req.window);
  const numerator = attributeCondition(req.numerator ?? [], 'n');
  const groups = groupColumns(req.by);
  const part = numerator.query
    ? `sumIf(${req.kind === 'histogram' ? 'Count' : 'Value'}, ${numerator.query})`
    : '0';
  const columns =
    req.kind === 'histogram'
      ? `ExplicitBounds AS bounds, sumForEach(BucketCounts) AS counts, sum(Count) AS count, sum(Sum) AS sum,
         min(Min) AS min, max(Max) AS max, ${part} AS matching`
      : `count() AS n, sum(Value) AS total, avg(Value) AS mean, min(Value) AS lo, max(Value) AS hi,
         argMax(Value, TimeUnix) AS latest, ${part} AS part`;
  const result = await client.query({
    query: `SELECT ${groups.select}, ${columns} FROM ${tables[req.kind]} WHERE ${where.query}
      GROUP BY ${[...groups.names, ...(req.kind === 'histogram' ? ['bounds'] : [])].join(', ')}`,
    query_params: { ...where.query_params, ...numerator.query_params, ...groups.params },
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown>>();
  const byGroup = Map.groupBy(rows, (r) => JSON.stringify(groups.names.map((n) => String(r[n]))));
  const seconds = (req.window.to - req.window.from) / 1000;
  return [...byGroup].map(([key, members]) => {
    const values = JSON.parse(key) as string[];
    const group = Object.fromEntries(req.by.map((k, i) => [k, values[i] ?? '']));
    const value =
      req.kind === 'histogram'
        ? histogramValue(req.stat, members, seconds)
        : valueStat(req.stat, members[0]!, seconds);
    return { group, value: value === null || Number.isNaN(value) ? null : value };
  });
}

function histogramValue(stat: Stat, rows: Record<string, unknown>[], seconds: number): number | null {
  const summary = summarise(
    rows.map(
      (r): HistogramBucketRow => ({
        t: 0,
        bounds: (r.bounds as unknown[]).map(Number),
        counts: (r.counts as unknown[]).map(Number),
        count: Number(r.count),
        sum: Number(r.sum),
        min: Number(r.min),
        max: Number(r.max),
        matching: Number(r.matching),
      }),
    ),
  );
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
      return summary.count / seconds;
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

function valueStat(stat: Stat, row: Record<string, unknown>, seconds: number): number | null {
  const n = (k: string) => Number(row[k]);
  switch (stat) {
    case 'sum':
      return n('total');
    case 'rate':
      return n('total') / seconds;
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
