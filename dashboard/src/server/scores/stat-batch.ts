// Many KPI statistics over one window with as few store queries as possible (the embedded store
// runs one query at a time, so their number is the cost): all histogram stats in one batched
// query, all gauge and sum stats in another. Histogram stats that read the same metric, service
// and filters share one selector — percentiles, averages and rates come from the same buckets,
// only a ratio's numerator needs its own `matching` — and identical gauge/sum stats are asked
// once. Each value is the one queryStat would give.
import {
  type AttributeFilter,
  type BatchSelector,
  type HistogramSummary,
  type QuantileBounds,
  type QuantileStat,
  quantileBoundsOf,
  quantileStats,
  type Stat,
  statOfHistogram,
  statOfValues,
  summarise,
  type ValueSelector,
} from 'collector/query';
import type { ServiceRef, StatQuery } from '../../scores/model.ts';
import type { BatchReads } from '../batch-reads.ts';

export interface Window {
  from: number;
  to: number;
}

/** A part's value; `bounds` when it is a histogram percentile (an estimate: the bucket it lies in). */
export type StatOutcome = { value: number | null; bounds?: QuantileBounds | null } | { error: Error };

const isQuantile = (stat: Stat): stat is QuantileStat => Object.hasOwn(quantileStats, stat);

/** A histogram stat's value, with its error bound when the stat is a percentile. */
export function histogramOutcome(
  summary: HistogramSummary,
  stat: Stat,
  seconds: number,
): { value: number | null; bounds?: QuantileBounds | null } {
  const value = statOfHistogram(summary, stat, seconds);
  if (!isQuantile(stat) || value === null) return { value };
  return { value, bounds: quantileBoundsOf(summary, quantileStats[stat]) };
}

/** What KPIs are measured from: the store's batch reads, and whom `service: target` means. */
export interface KpiSource {
  /** service.name of the system under test. */
  targetServiceName: string;
  reads: BatchReads;
}

export const serviceNameOf = (ref: ServiceRef, source: KpiSource) =>
  ref === 'target' ? source.targetServiceName : ref;

/** Identifies a stat part (with its resolved service): equal keys give equal values. */
export const statKey = (part: StatQuery) =>
  JSON.stringify([part.metric, part.kind, part.stat, part.service, part.where ?? [], part.numerator ?? []]);

/** Histogram parts grouped by selector: each group's queries, one per distinct ratio numerator. */
export function groupHistogramParts(parts: StatQuery[]): {
  metric: string;
  service: ServiceRef;
  where: AttributeFilter[] | undefined;
  byNumerator: { numerator: AttributeFilter[] | undefined; parts: StatQuery[] }[];
}[] {
  const groups = new Map<string, { first: StatQuery; parts: StatQuery[] }>();
  for (const part of parts) {
    const key = JSON.stringify([part.metric, part.service, part.where ?? []]);
    const group = groups.get(key) ?? { first: part, parts: [] };
    group.parts.push(part);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ first, parts: members }) => {
    const byNumerator = new Map<string, { numerator: AttributeFilter[] | undefined; parts: StatQuery[] }>();
    for (const p of members.filter((m) => m.stat === 'ratio')) {
      const key = JSON.stringify(p.numerator ?? []);
      const entry = byNumerator.get(key) ?? { numerator: p.numerator, parts: [] };
      entry.parts.push(p);
      byNumerator.set(key, entry);
    }
    const queries = [...byNumerator.values()];
    // Stats other than ratio do not read `matching`: they ride along with the first query.
    const others = members.filter((m) => m.stat !== 'ratio');
    if (others.length > 0) {
      if (queries[0]) queries[0].parts.push(...others);
      else queries.push({ numerator: undefined, parts: others });
    }
    return { metric: first.metric, service: first.service, where: first.where, byNumerator: queries };
  });
}

/** A (service, metric) pair of a kind's table: presence is judged per pair, as hasMetrics asks. */
export const presenceKey = (service: string, metric: string) => `${service}\u0000${metric}`;

export interface StatsRead {
  /** Every part's outcome by statKey. */
  stats: Map<string, StatOutcome>;
  /** presenceKey()s of the parts' (service, metric) pairs with any row in the window. */
  present: Set<string>;
}

/**
 * Every part's value over the window, by statKey, and which of their metrics have data at all:
 * one query for all histogram parts and one for all gauge and sum parts, whatever their number
 * (a part of each selector's rows per statistic, a metric without filters for presence). A
 * failed query fails only its own parts.
 */
export async function readStats(source: KpiSource, parts: StatQuery[], window: Window): Promise<StatsRead> {
  const seconds = (window.to - window.from) / 1000;
  const unique = [...new Map(parts.map((p) => [statKey(p), p])).values()];
  const stats = new Map<string, StatOutcome>();
  const present = new Set<string>();
  const failAll = (members: StatQuery[], error: unknown) => {
    for (const p of members) stats.set(statKey(p), { error: error as Error });
  };

  // Histograms: one selector per distinct (metric, service, filters, ratio numerator), plus an
  // unfiltered one per metric whose every selector filters (for presence).
  const histogramParts = unique.filter((p) => p.kind === 'histogram');
  const selectors: BatchSelector[] = [];
  const members: StatQuery[][] = [];
  const presenceOf = new Map<string, number>();
  for (const group of groupHistogramParts(histogramParts)) {
    const serviceName = serviceNameOf(group.service, source);
    for (const q of group.byNumerator) {
      selectors.push({ metric: group.metric, serviceName, where: group.where, numerator: q.numerator });
      members.push(q.parts);
      if (!group.where?.length) presenceOf.set(presenceKey(serviceName, group.metric), selectors.length - 1);
    }
  }
  for (const group of groupHistogramParts(histogramParts)) {
    const key = presenceKey(serviceNameOf(group.service, source), group.metric);
    if (presenceOf.has(key)) continue;
    selectors.push({ metric: group.metric, serviceName: serviceNameOf(group.service, source) });
    members.push([]);
    presenceOf.set(key, selectors.length - 1);
  }
  // Gauges and sums: one selector per distinct part (its statistic comes from the same row).
  const valueParts = unique.filter((p) => p.kind !== 'histogram');
  const valueSelectors: ValueSelector[] = valueParts.map((p) => ({
    kind: p.kind === 'sum' ? 'sum' : 'gauge',
    metric: p.metric,
    serviceName: serviceNameOf(p.service, source),
    where: p.where,
    numerator: p.numerator,
  }));
  const valuePresenceOf = new Map<string, number>();
  for (const [i, s] of valueSelectors.entries()) {
    const key = presenceKey(s.serviceName ?? '', s.metric);
    if (!s.where?.length) valuePresenceOf.set(key, i);
  }
  for (const s of [...valueSelectors]) {
    const key = presenceKey(s.serviceName ?? '', s.metric);
    if (valuePresenceOf.has(key)) continue;
    valueSelectors.push({ kind: s.kind, metric: s.metric, serviceName: s.serviceName });
    valuePresenceOf.set(key, valueSelectors.length - 1);
  }

  await Promise.all([
    source.reads.histograms({ selectors, window }).then(
      (rowsBySelector) => {
        const summaries = rowsBySelector.map((rows) => summarise(rows));
        for (const [key, i] of presenceOf) if ((summaries[i]?.count ?? 0) > 0) present.add(key);
        members.forEach((parts, i) => {
          const summary = summaries[i];
          for (const p of parts) {
            try {
              stats.set(statKey(p), summary ? histogramOutcome(summary, p.stat, seconds) : { value: null });
            } catch (error) {
              stats.set(statKey(p), { error: error as Error });
            }
          }
        });
      },
      (error) => failAll(histogramParts, error),
    ),
    source.reads.values({ selectors: valueSelectors, window }).then(
      (rowsBySelector) => {
        for (const [key, i] of valuePresenceOf)
          if (Number(rowsBySelector[i]?.get(0)?.n ?? 0) > 0) present.add(key);
        valueParts.forEach((p, i) => {
          try {
            stats.set(statKey(p), {
              value: statOfValues(rowsBySelector[i]?.get(0), p.stat, seconds),
            });
          } catch (error) {
            stats.set(statKey(p), { error: error as Error });
          }
        });
      },
      (error) => failAll(valueParts, error),
    ),
  ]);
  return { stats, present };
}
