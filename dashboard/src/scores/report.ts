// Measured KPI values → KPI, category and overall scores. A KPI without a value is "no data": it
// is left out of its category's mean (never counted as 0 or 100), and a category with no KPI
// measured is left out of the overall score the same way.
import type { ValueRange } from '../lib/histogram-estimate.ts';
import { type Band, bandOf, kpiScore } from './curve.ts';
import type { CategoryConfig, Direction, KpiUnit } from './model.ts';

export interface KpiScore {
  id: string;
  name: string;
  unit: KpiUnit;
  direction: Direction;
  good: number;
  poor: number;
  weight: number;
  /** In `unit`; null = no data. */
  value: number | null;
  /** The value's error bound in `unit` when it is an estimate (a histogram percentile); null otherwise. */
  range: ValueRange | null;
  /** 0..100 (unrounded); null = no data. */
  score: number | null;
  /** Category points this KPI costs: (100 − score) × its share of the measured weight. */
  cost: number | null;
}

export interface CategoryScore {
  id: string;
  name: string;
  weight: number;
  score: number | null;
  band: Band | null;
  /** KPIs with data first, the costliest first; then those without data. */
  kpis: KpiScore[];
  measured: number;
}

export interface ScoreReport {
  from: number;
  to: number;
  overall: number | null;
  band: Band | null;
  categories: CategoryScore[];
}

/** Weighted mean of the items that have a score; null when none has. */
export function weightedMean(items: readonly { score: number | null; weight: number }[]): number | null {
  let sum = 0;
  let weights = 0;
  for (const item of items) {
    if (item.score === null || item.weight <= 0) continue;
    sum += item.score * item.weight;
    weights += item.weight;
  }
  return weights > 0 ? sum / weights : null;
}

const byCost = (a: KpiScore, b: KpiScore) =>
  a.cost === null ? (b.cost === null ? 0 : 1) : b.cost === null ? -1 : b.cost - a.cost;

/**
 * Scores every category from KPI values by id (a missing or non-finite value is "no data"), each
 * with its error bound from `ranges` when it is an estimate.
 */
export function buildScoreReport(
  categories: readonly CategoryConfig[],
  values: ReadonlyMap<string, number | null>,
  window: { from: number; to: number },
  ranges: ReadonlyMap<string, ValueRange | null> = new Map(),
): ScoreReport {
  const scored: CategoryScore[] = categories.map((category) => {
    const kpis = category.kpis.map((kpi) => {
      const raw = values.get(kpi.id);
      const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
      return {
        id: kpi.id,
        name: kpi.name,
        unit: kpi.unit,
        direction: kpi.direction,
        good: kpi.good,
        poor: kpi.poor,
        weight: kpi.weight,
        value,
        range: value === null ? null : (ranges.get(kpi.id) ?? null),
        score: value === null ? null : kpiScore(kpi, value),
        cost: null as number | null,
      };
    });
    const measuredWeight = kpis.reduce((w, k) => (k.score === null ? w : w + k.weight), 0);
    for (const k of kpis) {
      if (k.score !== null && measuredWeight > 0) k.cost = ((100 - k.score) * k.weight) / measuredWeight;
    }
    const score = weightedMean(kpis);
    return {
      id: category.id,
      name: category.name,
      weight: category.weight,
      score,
      band: score === null ? null : bandOf(score),
      kpis: kpis.sort(byCost),
      measured: kpis.filter((k) => k.score !== null).length,
    };
  });
  const overall = weightedMean(scored);
  return { ...window, overall, band: overall === null ? null : bandOf(overall), categories: scored };
}
