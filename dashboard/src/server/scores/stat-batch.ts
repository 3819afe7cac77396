// Many KPI statistics over one window with as few store queries as possible (the embedded store
// runs one query at a time, so their number is the cost). Histogram stats that read the same
// metric, service and filters share one bucket query — percentiles, averages and rates come from
// the same buckets, only a ratio's numerator needs its own `matching` column — and identical
// gauge/sum stats are asked once. Each value is the one queryStat would give.
import type { AttributeFilter, Stat } from 'collector';
import type { ServiceRef, StatQuery } from '../../scores/model.ts';
import type { Services } from '../services.ts';

export interface Window {
  from: number;
  to: number;
}

export type StatOutcome = { value: number | null } | { error: Error };

export const serviceNameOf = (ref: ServiceRef, services: Services) =>
  ref === 'target' ? services.config.targetServiceName : ref;

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

/** Every part's value over the window, by statKey; a failed query fails only its own parts. */
export async function readStats(
  services: Services,
  parts: StatQuery[],
  window: Window,
): Promise<Map<string, StatOutcome>> {
  const { queries } = services;
  const client = services.store.client;
  const seconds = (window.to - window.from) / 1000;
  const unique = [...new Map(parts.map((p) => [statKey(p), p])).values()];
  const out = new Map<string, StatOutcome>();
  const settle = async (members: StatQuery[], read: () => Promise<(p: StatQuery) => number | null>) => {
    try {
      const partValue = await read();
      for (const p of members) out.set(statKey(p), { value: partValue(p) });
    } catch (error) {
      for (const p of members) out.set(statKey(p), { error: error as Error });
    }
  };
  const histogramReads = groupHistogramParts(unique.filter((p) => p.kind === 'histogram')).flatMap((group) =>
    group.byNumerator.map((q) =>
      settle(q.parts, async () => {
        const selector = {
          metric: group.metric,
          serviceName: serviceNameOf(group.service, services),
          where: group.where,
        };
        const rows = await queries.queryHistogramBuckets(client, selector, window, undefined, q.numerator);
        const summary = queries.summarise(rows);
        return (p) => queries.statOfHistogram(summary, p.stat as Stat, seconds);
      }),
    ),
  );
  const valueReads = unique
    .filter((p) => p.kind !== 'histogram')
    .map((p) =>
      settle([p], async () => {
        const value = await queries.queryStat(client, {
          metric: p.metric,
          kind: p.kind,
          stat: p.stat,
          serviceName: serviceNameOf(p.service, services),
          where: p.where,
          numerator: p.numerator,
          window,
        });
        return () => value;
      }),
    );
  await Promise.all([...histogramReads, ...valueReads]);
  return out;
}
