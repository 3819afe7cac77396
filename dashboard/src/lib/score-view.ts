// How scores and KPI values read on screen: whole points, the band's name, values in their unit.
import type { Band } from '../scores/curve.ts';
import type { KpiUnit } from '../scores/model.ts';
import { formatMs, formatPercent, formatRate, NO_DATA } from './format.ts';

export type { Band };

/** A 0..100 score as whole points, or "no data". */
export function formatScore(score: number | null | undefined): string {
  return typeof score === 'number' && Number.isFinite(score) ? String(Math.round(score)) : NO_DATA;
}

export const BAND_LABEL: Record<Band, string> = {
  good: '90–100 good',
  average: '50–89 needs work',
  poor: '0–49 poor',
};

export function formatKpiValue(value: number | null | undefined, unit: KpiUnit): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return NO_DATA;
  switch (unit) {
    case 'ms':
      return formatMs(value);
    case 'ratio':
      return formatPercent(value);
    case 'req/s':
      return formatRate(value);
    case 'MB':
      return `${value >= 100 ? value.toFixed(0) : value.toPrecision(3)} MB`;
    case 'unitless':
      return value === 0 ? '0' : value.toPrecision(3);
    default: {
      const unknownUnit: never = unit;
      throw new Error(`unknown unit ${String(unknownUnit)}`);
    }
  }
}

/** The target as a condition: "< 200 ms", "> 1,000 req/s". */
export function formatTarget(
  kpi: { good: number; unit: KpiUnit; direction: 'lower-is-better' | 'higher-is-better' },
  which: 'good' | 'poor' = 'good',
  value: number = kpi.good,
): string {
  const op =
    kpi.direction === 'lower-is-better' ? (which === 'good' ? '≤' : '>') : which === 'good' ? '≥' : '<';
  return `${op} ${formatKpiValue(value, kpi.unit)}`;
}

/** Points a KPI costs its category: "−12.3", or "—" when it costs nothing or has no data. */
export function formatCost(cost: number | null | undefined): string {
  if (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0.05) return '—';
  return `−${cost.toFixed(1)}`;
}
