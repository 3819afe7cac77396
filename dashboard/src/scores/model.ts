// What a score configuration is made of: categories, their KPIs (what to query, in which unit,
// which way is better), each KPI's two control points and weights. The values live in config.ts.
import type { AttributeFilter, MetricKind, Stat } from 'collector/query';

export type Direction = 'lower-is-better' | 'higher-is-better';
/** How a KPI reads: `ratio` values are 0..1 and show as percentages. */
export type KpiUnit = 'ms' | 'ratio' | 'req/s' | 'MB' | 'unitless';

/** `target` is the system under test (TARGET_SERVICE_NAME); anything else a literal service.name. */
export type ServiceRef = 'target' | (string & {});

export interface StatQuery {
  metric: string;
  kind: MetricKind;
  stat: Stat;
  service: ServiceRef;
  where?: AttributeFilter[];
  /** For `ratio`: the observations that count towards the share. */
  numerator?: AttributeFilter[];
}

export type KpiQuery =
  | ({ type: 'stat' } & StatQuery)
  /** The highest request rate over any `stepSeconds` in the window (a histogram's count). */
  | { type: 'peak-rate'; metric: string; service: ServiceRef; where?: AttributeFilter[]; stepSeconds: number }
  /** Σ numerator / Σ denominator, each a stat (e.g. hits / (hits + misses)); no data if any part has none. */
  | { type: 'quotient'; numerator: StatQuery[]; denominator: StatQuery[] };

export interface KpiConfig {
  /** Unique across categories, used in URLs: `api.p95`. */
  id: string;
  name: string;
  query: KpiQuery;
  /** Multiplies the stored value into `unit` (seconds → ms: 1000). Default 1. */
  scale?: number;
  unit: KpiUnit;
  direction: Direction;
  /** Scores 90: the plan's target. */
  good: number;
  /** Scores 50. */
  poor: number;
  weight: number;
}

export interface CategoryConfig {
  id: string;
  name: string;
  weight: number;
  kpis: KpiConfig[];
}

export function findKpi(
  id: string,
  categories: readonly CategoryConfig[],
): { category: CategoryConfig; kpi: KpiConfig } | undefined {
  for (const category of categories) {
    const kpi = category.kpis.find((k) => k.id === id);
    if (kpi) return { category, kpi };
  }
  return undefined;
}
