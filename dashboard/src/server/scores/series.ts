// KPI values per step over a window, for the score trend and the chart behind a KPI: bucketed
// (GROUP BY step) batch queries rather than one query per KPI and step, since the embedded store
// runs one query at a time. A KPI whose metric has no data simply has no values.
import {
  type BatchSelector,
  statOfHistogram,
  statOfValues,
  summarise,
  type ValueSelector,
} from 'collector/query';
import { scaledRange, type ValueRange } from '../../lib/histogram-estimate.ts';
import type { KpiConfig, StatQuery } from '../../scores/model.ts';
import { quotientOf, statPartsOf, type Window } from './measure.ts';
import {
  groupHistogramParts,
  histogramOutcome,
  type KpiSource,
  serviceNameOf,
  statKey,
} from './stat-batch.ts';

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

/** A KPI's value in one step, in its display unit, with its error bound when it is a histogram percentile. */
export interface StepReading {
  value: number | null;
  range: ValueRange | null;
}

const NO_READING: StepReading = { value: null, range: null };

/** Each step's reading of the KPI (value null = no data in that step). */
export async function kpiReadingsByStep(
  kpi: KpiConfig,
  steps: Steps,
  source: KpiSource,
): Promise<StepReading[]> {
  const [readings] = await kpiStepReadings([kpi], steps, source);
  return readings ?? [];
}

/** Each KPI's values per step (kpiStepReadings without the bounds). */
export async function kpiTrends(
  kpis: readonly KpiConfig[],
  steps: Steps,
  source: KpiSource,
): Promise<StepValues[]> {
  const readings = await kpiStepReadings(kpis, steps, source);
  return readings.map((own) => own.map((r) => r.value));
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
 * Each KPI's readings per step, with two bucketed (GROUP BY step) queries for all of them: every
 * histogram part in one (parts on the same metric, service and filters share a selector, a
 * ratio's numerator as its `matching`), every gauge and sum part in the other. Values equal
 * measuring each step on its own; a KPI read from one histogram has no value in a step without
 * observations (a rate would read 0 there).
 */
async function kpiStepReadings(
  kpis: readonly KpiConfig[],
  steps: Steps,
  source: KpiSource,
): Promise<StepReading[][]> {
  const stepMs = steps.stepSeconds * 1000;
  const first = steps.starts[0];
  if (first === undefined) return kpis.map(() => []);
  const window: Window = { from: first, to: (steps.starts.at(-1) ?? first) + stepMs };
  const parts = [...new Map(kpis.flatMap(partsOf).map((p) => [statKey(p), p])).values()];

  const histogramIndex = new Map<string, number>();
  const selectors: BatchSelector[] = [];
  for (const group of groupHistogramParts(parts.filter((p) => p.kind === 'histogram'))) {
    for (const q of group.byNumerator) {
      const serviceName = serviceNameOf(group.service, source);
      selectors.push({ metric: group.metric, serviceName, where: group.where, numerator: q.numerator });
      for (const part of q.parts) histogramIndex.set(statKey(part), selectors.length - 1);
    }
  }
  const valueParts = parts.filter((p) => p.kind !== 'histogram');
  const valueIndex = new Map(valueParts.map((p, i) => [statKey(p), i]));
  const valueSelectors: ValueSelector[] = valueParts.map((p) => ({
    kind: p.kind === 'sum' ? 'sum' : 'gauge',
    metric: p.metric,
    serviceName: serviceNameOf(p.service, source),
    where: p.where,
    numerator: p.numerator,
  }));
  const [histogramRows, valueRows] = await Promise.all([
    source.reads.histograms({ selectors, window, stepSeconds: steps.stepSeconds }),
    source.reads.values({ selectors: valueSelectors, window, stepSeconds: steps.stepSeconds }),
  ]);
  // Each selector's summary per step start.
  const summaries = histogramRows.map((rows) => {
    const byStep = new Map<number, typeof rows>();
    for (const row of rows) byStep.set(row.t, [...(byStep.get(row.t) ?? []), row]);
    return new Map([...byStep].map(([t, own]) => [t, summarise(own)]));
  });
  const empty = summarise([]);
  const summaryOf = (p: StatQuery, t: number) =>
    summaries[histogramIndex.get(statKey(p)) ?? -1]?.get(t) ?? empty;
  const partValue = (p: StatQuery, t: number): number | null =>
    p.kind === 'histogram'
      ? statOfHistogram(summaryOf(p, t), p.stat, steps.stepSeconds)
      : statOfValues(valueRows[valueIndex.get(statKey(p)) ?? -1]?.get(t), p.stat, steps.stepSeconds);

  const readingOf = (kpi: KpiConfig, t: number): StepReading => {
    const scale = (v: number | null) => (v === null || !Number.isFinite(v) ? null : v * (kpi.scale ?? 1));
    const q = kpi.query;
    if (q.type === 'quotient') return { value: scale(quotientOf(q, (p) => partValue(p, t))), range: null };
    const [part] = partsOf(kpi);
    if (!part || (part.kind === 'histogram' && summaryOf(part, t).count === 0)) return NO_READING;
    if (part.kind !== 'histogram') return { value: scale(partValue(part, t)), range: null };
    const { value, bounds } = histogramOutcome(summaryOf(part, t), part.stat, steps.stepSeconds);
    const scaled = scale(value);
    return { value: scaled, range: scaled === null ? null : scaledRange(bounds, kpi.scale ?? 1) };
  };
  return kpis.map((kpi) => steps.starts.map((t) => readingOf(kpi, t)));
}
