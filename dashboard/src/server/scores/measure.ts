// Measures each KPI of the score configuration over a time window through the collector's shared
// query builder (services.queries), and scores the result. Every query takes its values as
// query_params inside the builder; nothing here builds SQL.
import { SCORE_CATEGORIES } from '../../scores/config.ts';
import type { CategoryConfig, KpiConfig, KpiQuery, StatQuery } from '../../scores/model.ts';
import { buildScoreReport, type ScoreReport } from '../../scores/report.ts';
import type { Services } from '../services.ts';
import {
  presenceKey,
  readStats,
  type StatOutcome,
  serviceNameOf,
  statKey,
  type Window,
} from './stat-batch.ts';

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

/** The peak-rate KPI's step (coarser for long windows keeps the query small; the peak then averages over more). */
const peakStepSeconds = (query: Extract<KpiQuery, { type: 'peak-rate' }>, window: Window) =>
  Math.max(query.stepSeconds, Math.ceil((window.to - window.from) / 1000 / 600));

/** The highest per-step request rate in the window; null without observations. */
async function peakRate(
  query: Extract<KpiQuery, { type: 'peak-rate' }>,
  window: Window,
  services: Services,
): Promise<number | null> {
  const stepSeconds = peakStepSeconds(query, window);
  const selector = {
    metric: query.metric,
    serviceName: serviceNameOf(query.service, services),
    where: query.where,
  };
  const [rows = []] = await services.queries.queryHistogramBatch(
    services.store.client,
    [selector],
    window,
    stepSeconds,
  );
  const counts = new Map<number, number>();
  for (const row of rows) counts.set(row.t, (counts.get(row.t) ?? 0) + row.count);
  const counted = [...counts.values()].filter((c) => c > 0);
  return counted.length === 0 ? null : Math.max(...counted) / stepSeconds;
}

/** The part a peak-rate KPI adds to the stats batch: only so its metric's presence is known. */
const presencePart = (query: Extract<KpiQuery, { type: 'peak-rate' }>): StatQuery => ({
  metric: query.metric,
  kind: 'histogram',
  stat: 'rate',
  service: query.service,
  ...(query.where ? { where: query.where } : {}),
});

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
  return valueFromStats(query, (await readStats(services, statPartsOf(query), window)).stats);
}

const inUnit = (kpi: KpiConfig, value: number | null) =>
  value === null || !Number.isFinite(value) ? null : value * (kpi.scale ?? 1);

/** A KPI's value in its display unit over the window; null when its metric has no data there. */
export async function measureKpi(kpi: KpiConfig, window: Window, services: Services): Promise<number | null> {
  return inUnit(kpi, await rawValue(kpi.query, window, services));
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
  // Two queries for every stat part (and each metric's presence), whatever their number, plus
  // one series query per peak-rate KPI (the default configuration has one).
  const peakKpis = kpis.flatMap((k) => (k.query.type === 'peak-rate' ? [k.query] : []));
  const [{ stats, present }, peaks] = await Promise.all([
    readStats(
      services,
      kpis.flatMap((k) => (k.query.type === 'peak-rate' ? [presencePart(k.query)] : statPartsOf(k.query))),
      window,
    ),
    Promise.all(
      peakKpis.map((q) =>
        peakRate(q, window, services).then(
          (value) => ({ value }),
          (error: Error) => ({ error }),
        ),
      ),
    ),
  ]);
  const values = kpis.map((kpi) => {
    if (!hasMetrics(kpi, present, services)) return null;
    try {
      if (kpi.query.type !== 'peak-rate') return inUnit(kpi, valueFromStats(kpi.query, stats));
      const peak = peaks[peakKpis.indexOf(kpi.query)];
      if (!peak || 'error' in peak) throw peak?.error ?? new Error('peak rate not read');
      return inUnit(kpi, peak.value);
    } catch (error) {
      errors.push(`${kpi.id}: ${(error as Error).message}`);
      return null;
    }
  });
  const byId = new Map(kpis.map((kpi, i) => [kpi.id, values[i] ?? null]));
  return { ...buildScoreReport(categories, byId, window), errors };
}
