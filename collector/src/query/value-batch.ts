// Gauge and sum statistics of many selectors in one query on the raw tables (there is no gauge
// rollup): the same grouping as the histogram batch (stat-batch.ts), with valueAggregates'
// columns added up here. Each selector's row equals valueAggregates over its rows alone.
import type { ClickHouseClient } from '@clickhouse/client';
import type { SqlQuery, TimeWindow } from './metric-query.ts';
import {
  type BatchSelector,
  belongs,
  ms,
  type Needs,
  paramTable,
  requestsGroupingPlan,
  stepColumn,
  timeRange,
} from './stat-batch.ts';

export interface ValueSelector extends BatchSelector {
  kind: 'gauge' | 'sum';
}

export interface ValueBatchRequest {
  selectors: readonly ValueSelector[];
  window: TimeWindow;
  stepSeconds?: number | undefined;
}

/** Several requests' gauge/sum groups in one query (a `q` column names the request). */
export function valueBatchesQuery(requests: readonly ValueBatchRequest[]): SqlQuery & { needs: Needs[] } {
  const { params, param } = paramTable();
  const { needs, ...plan } = requestsGroupingPlan(requests, param);
  const selects = requests.flatMap((r, q) => {
    params[`q${q}_from`] = ms(r.window.from);
    params[`q${q}_to`] = ms(r.window.to);
    if (r.stepSeconds) params[`q${q}_step`] = r.stepSeconds;
    return (['gauge', 'sum'] as const)
      .filter((kind) => r.selectors.some((s) => s.kind === kind))
      .map(
        (kind) => `SELECT ${q} AS q, '${kind}' AS kind, MetricName AS metric, ServiceName AS service,
      ${stepColumn(r.stepSeconds, `q${q}_step`)} AS t${plan.columns},
      count() AS n, sum(Value) AS total, min(Value) AS lo, max(Value) AS hi,
      argMax(Value, TimeUnix) AS latest, toUnixTimestamp64Nano(max(TimeUnix)) AS latestAt
    FROM ${kind === 'sum' ? 'otel_metrics_sum' : 'otel_metrics_gauge'}
    WHERE ${timeRange(`q${q}`)} AND (${plan.where})
    GROUP BY metric, service, t${plan.keys}`,
      );
  });
  return { query: selects.join('\n    UNION ALL\n    '), query_params: params, needs };
}

/** Every gauge/sum selector's groups per step (or over the window), for queryValueBatch. */
export function valueBatchQuery(
  selectors: readonly ValueSelector[],
  window: TimeWindow,
  stepSeconds?: number,
): SqlQuery & { needs: Needs } {
  const { needs, ...query } = valueBatchesQuery([{ selectors, window, stepSeconds }]);
  return { ...query, needs: needs[0] ?? [] };
}

type ValueTotals = {
  n: number;
  total: number;
  lo: number;
  hi: number;
  latest: number;
  latestAt: bigint;
  part: number;
};

/** One selector's groups added up per step into valueAggregates rows (see queryValueBatch). */
function valueRowsOf(
  groups: Record<string, unknown>[],
  sel: ValueSelector,
  need: { where: number[]; numerator: number[] },
): Map<number, Record<string, unknown>> {
  const byStep = new Map<number, ValueTotals>();
  for (const g of groups) {
    if (g.kind !== sel.kind || !belongs(g, sel, need.where)) continue;
    const t = Number(g.t ?? 0);
    const total = Number(g.total);
    const inPart = need.numerator.length > 0 && need.numerator.every((f) => Number(g[`f${f}`]) === 1);
    const latestAt = BigInt(String(g.latestAt));
    const seen = byStep.get(t);
    if (!seen) {
      byStep.set(t, {
        n: Number(g.n),
        total,
        lo: Number(g.lo),
        hi: Number(g.hi),
        latest: Number(g.latest),
        latestAt,
        part: inPart ? total : 0,
      });
      continue;
    }
    seen.n += Number(g.n);
    seen.total += total;
    seen.lo = Math.min(seen.lo, Number(g.lo));
    seen.hi = Math.max(seen.hi, Number(g.hi));
    if (latestAt > seen.latestAt) {
      seen.latest = Number(g.latest);
      seen.latestAt = latestAt;
    }
    if (inPart) seen.part += total;
  }
  return new Map(
    [...byStep].map(([t, v]) => [
      t,
      { n: v.n, total: v.total, mean: v.total / v.n, lo: v.lo, hi: v.hi, latest: v.latest, part: v.part },
    ]),
  );
}

/** Each request's selectors' value rows (see queryValueBatch), from one store query. */
export async function queryValueBatches(
  client: ClickHouseClient,
  requests: readonly ValueBatchRequest[],
): Promise<Map<number, Record<string, unknown>>[][]> {
  if (requests.every((r) => r.selectors.length === 0)) return requests.map(() => []);
  const { needs, ...query } = valueBatchesQuery(requests);
  const result = await client.query({ ...query, format: 'JSONEachRow' });
  const groups = await result.json<Record<string, unknown>>();
  return requests.map((r, q) => {
    const own = groups.filter((g) => Number(g.q) === q);
    return r.selectors.map((sel, i) => valueRowsOf(own, sel, needs[q]?.[i] ?? { where: [], numerator: [] }));
  });
}

/**
 * Each selector's valueAggregates row (n, total, mean, lo, hi, latest, part) keyed by step start
 * (0 without a step), by selector index; a step without points has no row.
 */
export async function queryValueBatch(
  client: ClickHouseClient,
  selectors: readonly ValueSelector[],
  window: TimeWindow,
  stepSeconds?: number,
): Promise<Map<number, Record<string, unknown>>[]> {
  const [rows = []] = await queryValueBatches(client, [{ selectors, window, stepSeconds }]);
  return rows;
}
