// Measures each KPI of the score configuration over a time window through the collector's shared
// query builder (collector/query, as batch reads), and scores the result. Every query takes its values as
// query_params inside the builder; nothing here builds SQL.
import { scaledRange, type ValueRange } from '../../lib/histogram-estimate.ts';
import { SCORE_CATEGORIES } from '../../scores/config.ts';
import type { CategoryConfig, KpiConfig, KpiQuery, StatQuery } from '../../scores/model.ts';
import { buildScoreReport, type ScoreReport } from '../../scores/report.ts';
import { type BatchReads, directBatchReads } from '../batch-reads.ts';
import type { Services } from '../services.ts';
import {
  type KpiSource,
  presenceKey,
  readStats,
  type StatOutcome,
  serviceNameOf,
  statKey,
  type Window,
} from './stat-batch.ts';

export type { KpiSource, Window };

/** The services' store and target as a KPI source; reads sent one by one unless given. */
export const kpiSourceOf = (
  services: Pick<Services, 'config' | 'store'>,
  reads: BatchReads = directBatchReads(services.store.client),
): KpiSource => ({ targetServiceName: services.config.targetServiceName, reads });

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
  source: KpiSource,
): Promise<number | null> {
  const stepSeconds = peakStepSeconds(query, window);
  const selector = {
    metric: query.metric,
    serviceName: serviceNameOf(query.service, source),
    where: query.where,
  };
  const [rows = []] = await source.reads.histograms({ selectors: [selector], window, stepSeconds });
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

/** A stat KPI's error bound in its unit when its value is a histogram percentile; otherwise null. */
function rangeFromStats(kpi: KpiConfig, stats: Map<string, StatOutcome>): ValueRange | null {
  if (kpi.query.type !== 'stat') return null;
  const outcome = stats.get(statKey(kpi.query));
  return outcome && 'bounds' in outcome ? scaledRange(outcome.bounds, kpi.scale ?? 1) : null;
}

async function rawValue(query: KpiQuery, window: Window, source: KpiSource): Promise<number | null> {
  if (query.type === 'peak-rate') return peakRate(query, window, source);
  return valueFromStats(query, (await readStats(source, statPartsOf(query), window)).stats);
}

const inUnit = (kpi: KpiConfig, value: number | null) =>
  value === null || !Number.isFinite(value) ? null : value * (kpi.scale ?? 1);

/** A KPI's value in its display unit over the window; null when its metric has no data there. */
export async function measureKpi(kpi: KpiConfig, window: Window, source: KpiSource): Promise<number | null> {
  return inUnit(kpi, await rawValue(kpi.query, window, source));
}

/** Whether every metric the KPI reads has data in the window (otherwise it is "no data"). */
export function hasMetrics(kpi: KpiConfig, present: ReadonlySet<string>, source: KpiSource): boolean {
  const q = kpi.query;
  const parts = q.type === 'quotient' ? [...q.numerator, ...q.denominator] : [q];
  return parts.every((p) => present.has(presenceKey(serviceNameOf(p.service, source), p.metric)));
}

/** Every KPI measured over the window and scored. A KPI whose query fails is reported, not zeroed. */
export async function scoreWindow(
  source: KpiSource,
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
      source,
      kpis.flatMap((k) => (k.query.type === 'peak-rate' ? [presencePart(k.query)] : statPartsOf(k.query))),
      window,
    ),
    Promise.all(
      peakKpis.map((q) =>
        peakRate(q, window, source).then(
          (value) => ({ value }),
          (error: Error) => ({ error }),
        ),
      ),
    ),
  ]);
  const values = kpis.map((kpi) => {
    if (!hasMetrics(kpi, present, source)) return null;
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
  const ranges = new Map(kpis.map((kpi) => [kpi.id, rangeFromStats(kpi, stats)]));
  return { ...buildScoreReport(categories, byId, window, ranges), errors };
}
