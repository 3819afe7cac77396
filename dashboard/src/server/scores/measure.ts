// Measures each KPI of the score configuration over a time window through the collector's shared
// query builder (services.queries), and scores the result. Every query takes its values as
// query_params inside the builder; nothing here builds SQL.
import { SCORE_CATEGORIES } from '../../scores/config.ts';
import type { CategoryConfig, KpiConfig, KpiQuery, StatQuery } from '../../scores/model.ts';
import { buildScoreReport, type ScoreReport } from '../../scores/report.ts';
import type { Services } from '../services.ts';
import { readPresentMetrics } from '../telemetry-queries.ts';
import { readStats, type StatOutcome, serviceNameOf, statKey, type Window } from './stat-batch.ts';

export type { Window };

/** The stat parts a KPI reads (peak-rate reads a series instead: none). */
export function statPartsOf(query: KpiQuery): StatQuery[] {
  switch (query.type) {
    case 'stat':
      return [query];
    case 'quotient':
      return [...query.numerator, ...query.denominator];
    case 'peak-rate':
      return [];
    default: {
      const unknownQuery: never = query;
      throw new Error(`unknown KPI query ${JSON.stringify(unknownQuery)}`);
    }
  }
}

/** Σ numerator / Σ denominator from the parts' values; null if any part has none. */
export function quotientOf(
  query: Extract<KpiQuery, { type: 'quotient' }>,
  partValue: (part: StatQuery) => number | null,
): number | null {
  const sum = (parts: StatQuery[]) => {
    const values = parts.map(partValue);
    return values.some((v) => v === null) ? null : values.reduce<number>((a, v) => a + (v ?? 0), 0);
  };
  const top = sum(query.numerator);
  const bottom = sum(query.denominator);
  return top === null || bottom === null || bottom === 0 ? null : top / bottom;
}

async function peakRate(
  query: Extract<KpiQuery, { type: 'peak-rate' }>,
  window: Window,
  services: Services,
): Promise<number | null> {
  // Coarser steps for long windows keep the query small; the peak then averages over more.
  const stepSeconds = Math.max(query.stepSeconds, Math.ceil((window.to - window.from) / 1000 / 600));
  const points = await services.queries.queryHistogramSeries(services.store.client, {
    metric: query.metric,
    serviceName: serviceNameOf(query.service, services),
    where: query.where,
    window,
    stepSeconds,
  });
  const counted = points.filter((p) => p.count > 0);
  return counted.length === 0 ? null : Math.max(...counted.map((p) => p.rate));
}

/** The KPI's stored value from its parts' outcomes (throws the first failed part's error). */
function valueFromStats(query: KpiQuery, stats: Map<string, StatOutcome>): number | null {
  const partValue = (part: StatQuery) => {
    const outcome = stats.get(statKey(part));
    if (!outcome) throw new Error(`no value read for ${part.metric}`);
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  };
  if (query.type === 'quotient') return quotientOf(query, partValue);
  if (query.type === 'stat') return partValue(query);
  throw new Error(`KPI query ${query.type} is not read from stats`);
}

async function rawValue(query: KpiQuery, window: Window, services: Services): Promise<number | null> {
  if (query.type === 'peak-rate') return peakRate(query, window, services);
  return valueFromStats(query, await readStats(services, statPartsOf(query), window));
}

const inUnit = (kpi: KpiConfig, value: number | null) =>
  value === null || !Number.isFinite(value) ? null : value * (kpi.scale ?? 1);

/** A KPI's value in its display unit over the window; null when its metric has no data there. */
export async function measureKpi(kpi: KpiConfig, window: Window, services: Services): Promise<number | null> {
  return inUnit(kpi, await rawValue(kpi.query, window, services));
}

const presenceKey = (service: string, metric: string) => `${service}\u0000${metric}`;

/** The (service, metric) pairs with any data point in the window: one cheap query for all KPIs. */
export async function presentMetrics(services: Services, window: Window): Promise<Set<string>> {
  const found = await readPresentMetrics(services.store.client, window);
  return new Set(found.map((r) => presenceKey(r.service, r.metric)));
}

/** Whether every metric the KPI reads has data in the window (otherwise it is "no data"). */
export function hasMetrics(kpi: KpiConfig, present: ReadonlySet<string>, services: Services): boolean {
  const q = kpi.query;
  const parts = q.type === 'quotient' ? [...q.numerator, ...q.denominator] : [q];
  return parts.every((p) => present.has(presenceKey(serviceNameOf(p.service, services), p.metric)));
}

/** Every KPI measured over the window and scored. A KPI whose query fails is reported, not zeroed. */
export async function scoreWindow(
  services: Services,
  window: Window,
  categories: readonly CategoryConfig[] = SCORE_CATEGORIES,
): Promise<ScoreReport & { errors: string[] }> {
  const kpis = categories.flatMap((c) => c.kpis);
  const errors: string[] = [];
  const present = await presentMetrics(services, window);
  const measured = kpis.filter((kpi) => hasMetrics(kpi, present, services));
  // All stat parts in one batch: KPIs on the same histogram share its query.
  const stats = await readStats(
    services,
    measured.flatMap((k) => statPartsOf(k.query)),
    window,
  );
  const values = await Promise.all(
    kpis.map(async (kpi) => {
      if (!measured.includes(kpi)) return null;
      try {
        const raw =
          kpi.query.type === 'peak-rate'
            ? await peakRate(kpi.query, window, services)
            : valueFromStats(kpi.query, stats);
        return inUnit(kpi, raw);
      } catch (error) {
        errors.push(`${kpi.id}: ${(error as Error).message}`);
        return null;
      }
    }),
  );
  const byId = new Map(kpis.map((kpi, i) => [kpi.id, values[i] ?? null]));
  return { ...buildScoreReport(categories, byId, window), errors };
}
