// KPI values per step over a window, for the score trend and the chart behind a KPI: one bucketed
// (GROUP BY step) query per distinct series rather than one query per step, since the embedded
// store runs one query at a time. Callers query only KPIs whose metrics are present.
import type { SeriesPoint } from 'collector';
import type { KpiConfig, StatQuery } from '../../scores/model.ts';
import type { Services } from '../services.ts';
import { readValueSeries } from '../telemetry-queries.ts';
import { measureKpi, quotientOf, statPartsOf, type Window } from './measure.ts';
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

const SERIES_FIELD = {
  p50: 'p50',
  p95: 'p95',
  p99: 'p99',
  avg: 'avg',
  rate: 'rate',
  count: 'count',
  ratio: 'errorRate',
} as const satisfies Partial<Record<string, keyof SeriesPoint>>;
type SeriesStat = keyof typeof SERIES_FIELD;
const isSeriesStat = (stat: string): stat is SeriesStat => Object.hasOwn(SERIES_FIELD, stat);

type StepValues = (number | null)[];

/** Each step's value of the KPI in its display unit (null = no data in that step). */
export async function kpiValuesByStep(kpi: KpiConfig, steps: Steps, services: Services): Promise<StepValues> {
  const [values] = await kpiTrends([kpi], steps, services);
  return values ?? [];
}

/**
 * Each KPI's values per step, with one bucketed query per distinct series: histogram KPIs on the
 * same metric, service and filters share one series (a ratio's numerator as its error filter),
 * gauge and sum parts one GROUP BY step query each, deduplicated across KPIs. Values equal
 * measuring each step on its own.
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

  // Histogram stats (and peak-rate, whose per-step value is the step's rate) as series parts.
  const asSeriesPart = (kpi: KpiConfig): StatQuery | null => {
    const q = kpi.query;
    if (q.type === 'stat' && q.kind === 'histogram' && isSeriesStat(q.stat)) return q;
    if (q.type === 'peak-rate') return { ...q, kind: 'histogram', stat: 'rate' };
    return null;
  };
  const valueParts = (kpi: KpiConfig): StatQuery[] | null => {
    const parts = statPartsOf(kpi.query);
    return kpi.query.type !== 'peak-rate' && parts.every((p) => p.kind !== 'histogram') ? parts : null;
  };

  const seriesByKey = new Map<string, Promise<Map<number, SeriesPoint>>>();
  for (const group of groupHistogramParts(kpis.flatMap((k) => asSeriesPart(k) ?? []))) {
    for (const q of group.byNumerator) {
      const read = queries
        .queryHistogramSeries(client, {
          metric: group.metric,
          serviceName: serviceNameOf(group.service, services),
          where: group.where,
          window,
          stepSeconds: steps.stepSeconds,
          errorWhere: q.numerator,
        })
        .then((points) => new Map(points.map((p) => [p.t, p])));
      for (const part of q.parts) seriesByKey.set(statKey(part), read);
    }
  }
  const valuesByKey = new Map<string, Promise<Map<number, Record<string, unknown>>>>();
  for (const part of kpis.flatMap((k) => valueParts(k) ?? [])) {
    const key = JSON.stringify([
      part.metric,
      part.kind,
      part.service,
      part.where ?? [],
      part.numerator ?? [],
    ]);
    if (valuesByKey.has(key)) continue;
    valuesByKey.set(
      key,
      readValueSeries(client, queries, {
        metric: part.metric,
        kind: part.kind === 'sum' ? 'sum' : 'gauge',
        serviceName: serviceNameOf(part.service, services),
        where: part.where,
        numerator: part.numerator,
        window,
        stepSeconds: steps.stepSeconds,
      }),
    );
  }
  const valueRowsOf = (p: StatQuery) =>
    valuesByKey.get(JSON.stringify([p.metric, p.kind, p.service, p.where ?? [], p.numerator ?? []]));

  return Promise.all(
    kpis.map(async (kpi): Promise<StepValues> => {
      const scale = (v: number | null) => (v === null || !Number.isFinite(v) ? null : v * (kpi.scale ?? 1));
      const seriesPart = asSeriesPart(kpi);
      if (seriesPart) {
        const byT = await (seriesByKey.get(statKey(seriesPart)) as Promise<Map<number, SeriesPoint>>);
        const field = SERIES_FIELD[seriesPart.stat as SeriesStat];
        return steps.starts.map((t) => {
          const p = byT.get(t);
          // A step without observations has no value, whatever the field (rate would read 0).
          return p && p.count > 0 ? scale(p[field] as number | null) : null;
        });
      }
      const parts = valueParts(kpi);
      if (parts) {
        const rows = new Map(
          await Promise.all(parts.map(async (p) => [statKey(p), await valueRowsOf(p)] as const)),
        );
        return steps.starts.map((t) => {
          const partValue = (p: StatQuery) =>
            queries.statOfValues(rows.get(statKey(p))?.get(t), p.stat, steps.stepSeconds);
          const q = kpi.query;
          return scale(
            q.type === 'quotient' ? quotientOf(q, partValue) : q.type === 'stat' ? partValue(q) : null,
          );
        });
      }
      // Anything else (histogram stats a series lacks, mixed quotients): step by step.
      return Promise.all(steps.starts.map((t) => measureKpi(kpi, { from: t, to: t + stepMs }, services)));
    }),
  );
}
