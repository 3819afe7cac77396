// KPI values per step over a window, for the score trend and the chart behind a KPI: bucketed
// (GROUP BY step) batch queries rather than one query per KPI and step, since the embedded store
// runs one query at a time. A KPI whose metric has no data simply has no values.
import type { BatchSelector, ValueSelector } from 'collector';
import type { KpiConfig, StatQuery } from '../../scores/model.ts';
import type { Services } from '../services.ts';
import { quotientOf, statPartsOf, type Window } from './measure.ts';
import { groupHistogramParts, serviceNameOf, statKey } from './stat-batch.ts';

export interface Steps {
  /** Step starts, unix ms, oldest first; each step is [t, t + stepSeconds). */
  starts: number[];
  stepSeconds: number;
}

/** `count` whole steps ending at the last complete one before `now`. */
export function stepsEnding(now: number, spanSeconds: number, count: number): Steps {
  const stepSeconds = Math.max(1, Math.round(spanSeconds / count));
  const stepMs = stepSeconds * 1000;
  const end = Math.floor(now / stepMs) * stepMs;
  return { stepSeconds, starts: Array.from({ length: count }, (_, i) => end - (count - i) * stepMs) };
}

type StepValues = (number | null)[];

/** Each step's value of the KPI in its display unit (null = no data in that step). */
export async function kpiValuesByStep(kpi: KpiConfig, steps: Steps, services: Services): Promise<StepValues> {
  const [values] = await kpiTrends([kpi], steps, services);
  return values ?? [];
}

/** A peak-rate KPI per step reads the step's request rate. */
const partsOf = (kpi: KpiConfig): StatQuery[] =>
  kpi.query.type === 'peak-rate'
    ? [
        {
          metric: kpi.query.metric,
          kind: 'histogram',
          stat: 'rate',
          service: kpi.query.service,
          ...(kpi.query.where ? { where: kpi.query.where } : {}),
        },
      ]
    : statPartsOf(kpi.query);

/**
 * Each KPI's values per step, with two bucketed (GROUP BY step) queries for all of them: every
 * histogram part in one (parts on the same metric, service and filters share a selector, a
 * ratio's numerator as its `matching`), every gauge and sum part in the other. Values equal
 * measuring each step on its own; a KPI read from one histogram has no value in a step without
 * observations (a rate would read 0 there).
 */
export async function kpiTrends(
  kpis: readonly KpiConfig[],
  steps: Steps,
  services: Services,
): Promise<StepValues[]> {
  const stepMs = steps.stepSeconds * 1000;
  const first = steps.starts[0];
  if (first === undefined) return kpis.map(() => []);
  const window: Window = { from: first, to: (steps.starts.at(-1) ?? first) + stepMs };
  const { queries } = services;
  const client = services.store.client;
  const parts = [...new Map(kpis.flatMap(partsOf).map((p) => [statKey(p), p])).values()];

  const histogramIndex = new Map<string, number>();
  const selectors: BatchSelector[] = [];
  for (const group of groupHistogramParts(parts.filter((p) => p.kind === 'histogram'))) {
    for (const q of group.byNumerator) {
      const serviceName = serviceNameOf(group.service, services);
      selectors.push({ metric: group.metric, serviceName, where: group.where, numerator: q.numerator });
      for (const part of q.parts) histogramIndex.set(statKey(part), selectors.length - 1);
    }
  }
  const valueParts = parts.filter((p) => p.kind !== 'histogram');
  const valueIndex = new Map(valueParts.map((p, i) => [statKey(p), i]));
  const valueSelectors: ValueSelector[] = valueParts.map((p) => ({
    kind: p.kind === 'sum' ? 'sum' : 'gauge',
    metric: p.metric,
    serviceName: serviceNameOf(p.service, services),
    where: p.where,
    numerator: p.numerator,
  }));
  const [histogramRows, valueRows] = await Promise.all([
    queries.queryHistogramBatch(client, selectors, window, steps.stepSeconds),
    queries.queryValueBatch(client, valueSelectors, window, steps.stepSeconds),
  ]);
  // Each selector's summary per step start.
  const summaries = histogramRows.map((rows) => {
    const byStep = new Map<number, typeof rows>();
    for (const row of rows) byStep.set(row.t, [...(byStep.get(row.t) ?? []), row]);
    return new Map([...byStep].map(([t, own]) => [t, queries.summarise(own)]));
  });
  const empty = queries.summarise([]);
  const summaryOf = (p: StatQuery, t: number) =>
    summaries[histogramIndex.get(statKey(p)) ?? -1]?.get(t) ?? empty;
  const partValue = (p: StatQuery, t: number): number | null =>
    p.kind === 'histogram'
      ? queries.statOfHistogram(summaryOf(p, t), p.stat, steps.stepSeconds)
      : queries.statOfValues(valueRows[valueIndex.get(statKey(p)) ?? -1]?.get(t), p.stat, steps.stepSeconds);

  return kpis.map((kpi): StepValues => {
    const scale = (v: number | null) => (v === null || !Number.isFinite(v) ? null : v * (kpi.scale ?? 1));
    const q = kpi.query;
    return steps.starts.map((t) => {
      if (q.type === 'quotient') return scale(quotientOf(q, (p) => partValue(p, t)));
      const [part] = partsOf(kpi);
      if (!part) return null;
      if (part.kind === 'histogram' && summaryOf(part, t).count === 0) return null;
      return scale(partValue(part, t));
    });
  });
}
