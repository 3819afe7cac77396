// Many selectors' aggregates in one store query per table, for readers that need a dozen
// statistics at once (the dashboard's scores). The embedded store runs one query at a time and
// plans each one at a cost, so the number and size of queries is what a snapshot costs. The
// query stays small: it narrows rows by metric and service only, groups them by metric, service
// and one flag per distinct attribute filter (and step), and the selectors' aggregates are
// added up here from the groups whose flags they require. Each selector's result equals what
// histogramBucketsQuery / valueAggregates give for it alone.
import type { ClickHouseClient } from '@clickhouse/client';
import { rollupSeconds } from '../store/schema-rollups.ts';
import {
  type AttributeFilter,
  type HistogramBucketRow,
  type MetricSelector,
  mergeBucketRows,
  type SqlQuery,
  type TimeWindow,
} from './metric-query.ts';
import { histogramSourceTable, type SourcePart } from './rollup-source.ts';

export interface BatchSelector extends MetricSelector {
  /** Observations (histogram) or values (gauge, sum) that also match these count as `matching` / `part`. */
  numerator?: AttributeFilter[] | undefined;
}

export const ms = (t: number | Date) => (typeof t === 'number' ? Math.round(t) : t.getTime());

/**
 * The window cut into parts each read from one table: the 1 min rollup for the stretch it tiles,
 * the 10 s rollup for what it tiles of the rest, raw rows only for the sub-10 s edges. Unlike
 * planWindowSources, short windows use rollups too: raw rows are what costs here (the raw tables
 * are ordered by hour, then attributes, so any raw window reads its whole hour). With a step,
 * only rollups whose bucket divides the step are used.
 */
export function planBatchSources(window: TimeWindow, stepSeconds?: number): SourcePart[] {
  const levels = (['1m', '10s'] as const).filter(
    (r) =>
      stepSeconds === undefined || (Number.isInteger(stepSeconds) && stepSeconds % rollupSeconds[r] === 0),
  );
  const plan = (from: number, to: number, [level, ...finer]: typeof levels): SourcePart[] => {
    if (from >= to) return [];
    if (!level) return [{ source: 'raw', window: { from, to } }];
    const res = rollupSeconds[level] * 1000;
    const start = Math.ceil(from / res) * res;
    const end = Math.floor(to / res) * res;
    if (end <= start) return plan(from, to, finer);
    return [
      ...plan(from, start, finer),
      { source: level, window: { from: start, to: end } },
      ...plan(end, to, finer),
    ];
  };
  return plan(ms(window.from), ms(window.to), levels);
}

/** Query params named by value, so each distinct value is one param. */
export function paramTable() {
  const params: Record<string, unknown> = {};
  const names = new Map<string, string>();
  const param = (type: 'String' | 'Float64' | 'Array(String)', value: string | number | string[]) => {
    const id = `${type}:${JSON.stringify(value)}`;
    let name = names.get(id);
    if (!name) {
      name = `b${names.size}`;
      names.set(id, name);
      params[name] = value;
    }
    return `{${name}:${type}}`;
  };
  return { params, param };
}

type Param = ReturnType<typeof paramTable>['param'];

/** attributeCondition's semantics (equality compares strings, ordering numbers) for one filter. */
function filterCondition(f: AttributeFilter, param: Param): string {
  const attr = `Attributes[${param('String', f.key)}]`;
  if (f.op === '=' || f.op === '!=') return `${attr} ${f.op} ${param('String', String(f.value))}`;
  const n = Number(f.value);
  if (!Number.isFinite(n))
    throw new RangeError(`filter ${f.key} ${f.op} needs a number, got ${String(f.value)}`);
  // NULL (no such attribute, or not a number) fails the filter, as it does in a WHERE clause.
  return `coalesce(toFloat64OrNull(${attr}) ${f.op} ${param('Float64', n)}, 0)`;
}

const filterId = (f: AttributeFilter) => JSON.stringify([f.key, f.op, String(f.value)]);

/**
 * The selectors' distinct (metric, service) pairs as a WHERE condition, their distinct filters
 * as flag columns, and for each selector the flags it requires (where) and counts (numerator).
 */
function groupingPlan(selectors: readonly BatchSelector[], param: Param) {
  const flags = new Map<string, string>();
  const flagOf = (f: AttributeFilter) => {
    const id = filterId(f);
    if (!flags.has(id)) flags.set(id, filterCondition(f, param));
    return [...flags.keys()].indexOf(id);
  };
  const metrics = new Set<string>();
  const services = new Set<string>();
  let anyService = false;
  const needs = selectors.map((sel) => {
    metrics.add(sel.metric);
    if (sel.serviceName) services.add(sel.serviceName);
    else anyService = true;
    return { where: (sel.where ?? []).map(flagOf), numerator: (sel.numerator ?? []).map(flagOf) };
  });
  // A superset of the selectors' (metric, service) pairs, as two IN lists: cheaper to plan than
  // an OR per pair; rows of other pairs form groups that no selector takes.
  const where = [`MetricName IN ${param('Array(String)', [...metrics])}`];
  if (!anyService) where.push(`ServiceName IN ${param('Array(String)', [...services])}`);
  const flagColumns = [...flags.values()].map((condition, i) => `${condition} AS f${i}`);
  return {
    where: where.join(' AND '),
    columns: flagColumns.length ? `, ${flagColumns.join(', ')}` : '',
    keys: flagColumns.map((_, i) => `, f${i}`).join(''),
    needs,
  };
}

/** groupingPlan over several requests' selectors, with the needs split back per request. */
export function requestsGroupingPlan(
  requests: readonly { selectors: readonly BatchSelector[] }[],
  param: Param,
) {
  const plan = groupingPlan(
    requests.flatMap((r) => r.selectors),
    param,
  );
  let offset = 0;
  const needs = requests.map((r) => {
    const own = plan.needs.slice(offset, offset + r.selectors.length);
    offset += r.selectors.length;
    return own;
  });
  return { ...plan, needs };
}

/** Whether a group row belongs to the selector: its metric, service and every required flag. */
export function belongs(row: Record<string, unknown>, sel: BatchSelector, flags: number[]): boolean {
  return (
    row.metric === sel.metric &&
    (!sel.serviceName || row.service === sel.serviceName) &&
    flags.every((f) => Number(row[`f${f}`]) === 1)
  );
}

export const stepColumn = (stepSeconds: number | undefined, param = 'step') =>
  stepSeconds
    ? `toUnixTimestamp64Milli(toDateTime64(toStartOfInterval(TimeUnix, toIntervalSecond({${param}:UInt32})), 3))`
    : '0';

export const timeRange = (prefix: string) =>
  `TimeUnix >= fromUnixTimestamp64Milli({${prefix}_from:Int64}) AND TimeUnix < fromUnixTimestamp64Milli({${prefix}_to:Int64})`;

const histogramColumns = {
  raw: 'sumForEach(BucketCounts) AS counts, sum(Count) AS count, sum(Sum) AS sum, min(Min) AS min, max(Max) AS max',
  rollup:
    'sumForEachMerge(BucketCounts) AS counts, sumMerge(Count) AS count, sumMerge(Sum) AS sum, minMerge(Min) AS min, maxMerge(Max) AS max',
};

export interface BatchRequest {
  selectors: readonly BatchSelector[];
  window: TimeWindow;
  stepSeconds?: number | undefined;
}

export type Needs = { where: number[]; numerator: number[] }[];

/**
 * Several requests' histogram groups in one query (a `q` column names the request): they share
 * params and flag columns, each reads its own window parts with its own step.
 */
export function histogramBatchesQuery(requests: readonly BatchRequest[]): SqlQuery & { needs: Needs[] } {
  const { params, param } = paramTable();
  const { needs, ...plan } = requestsGroupingPlan(requests, param);
  const selects = requests.flatMap((r, q) => {
    if (r.stepSeconds) params[`q${q}_step`] = r.stepSeconds;
    return planBatchSources(r.window, r.stepSeconds).map((part, j) => {
      params[`q${q}p${j}_from`] = part.window.from;
      params[`q${q}p${j}_to`] = part.window.to;
      return `SELECT ${q} AS q, MetricName AS metric, ServiceName AS service, ${stepColumn(r.stepSeconds, `q${q}_step`)} AS t,
      ExplicitBounds AS bounds${plan.columns}, ${histogramColumns[part.source === 'raw' ? 'raw' : 'rollup']}
    FROM ${histogramSourceTable(part.source)}
    WHERE ${timeRange(`q${q}p${j}`)} AND (${plan.where})
    GROUP BY metric, service, t, bounds${plan.keys}`;
    });
  });
  return { query: selects.join('\n    UNION ALL\n    '), query_params: params, needs };
}

/** The selectors' histogram groups per step (or over the window), for queryHistogramBatch. */
export function histogramBatchQuery(
  selectors: readonly BatchSelector[],
  window: TimeWindow,
  stepSeconds?: number,
): SqlQuery & { needs: Needs } {
  const { needs, ...query } = histogramBatchesQuery([{ selectors, window, stepSeconds }]);
  return { ...query, needs: needs[0] ?? [] };
}

/** Each request's selectors' histogram rows (ordered by step), from one store query. */
export async function queryHistogramBatches(
  client: ClickHouseClient,
  requests: readonly BatchRequest[],
): Promise<HistogramBucketRow[][][]> {
  if (requests.every((r) => r.selectors.length === 0)) return requests.map(() => []);
  const { needs, ...query } = histogramBatchesQuery(requests);
  const result = await client.query({ ...query, format: 'JSONEachRow' });
  const groups = await result.json<Record<string, unknown>>();
  return requests.map((r, q) => {
    const own = groups.filter((g) => Number(g.q) === q);
    return r.selectors.map((sel, i) => {
      const need = needs[q]?.[i] ?? { where: [], numerator: [] };
      const rows = own
        .filter((g) => belongs(g, sel, need.where))
        .map((g) => {
          const count = Number(g.count);
          return {
            t: Number(g.t ?? 0),
            bounds: (g.bounds as unknown[]).map(Number),
            counts: (g.counts as unknown[]).map(Number),
            count,
            sum: Number(g.sum),
            min: Number(g.min),
            max: Number(g.max),
            matching:
              need.numerator.length && need.numerator.every((f) => Number(g[`f${f}`]) === 1) ? count : 0,
          };
        });
      return mergeBucketRows(rows);
    });
  });
}

/** Each selector's histogram rows (ordered by step; `matching` from its numerator), by selector index. */
export async function queryHistogramBatch(
  client: ClickHouseClient,
  selectors: readonly BatchSelector[],
  window: TimeWindow,
  stepSeconds?: number,
): Promise<HistogramBucketRow[][]> {
  const [rows = []] = await queryHistogramBatches(client, [{ selectors, window, stepSeconds }]);
  return rows;
}
