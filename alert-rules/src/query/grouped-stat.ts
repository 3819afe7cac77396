// A statistic per group of attribute values (a rule's `by`), built on the collector's shared
// query builder (its WHERE, aggregate columns and stat arithmetic): the collector's queryStat
// answers one value per window, this answers one per group.
import {
  type AttributeFilter,
  attributeCondition,
  histogramAggregates,
  histogramBucketRowOf,
  type MetricKind,
  type Stat,
  type Store,
  statOfHistogram,
  statOfValues,
  summarise,
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
  const columns =
    req.kind === 'histogram' ? histogramAggregates(numerator.query) : valueAggregates(numerator.query);
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
        ? statOfHistogram(summarise(members.map(histogramBucketRowOf)), req.stat, seconds)
        : statOfValues(members[0], req.stat, seconds);
    return { group, value: value === null || Number.isNaN(value) ? null : value };
  });
}
