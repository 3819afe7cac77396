// Measures each KPI of the score configuration over a time window through the collector's shared
// query builder (services.queries), and scores the result. Every query takes its values as
// query_params inside the builder; nothing here builds SQL.
import type { StatRequest } from 'collector';
import { SCORE_CATEGORIES } from '../../scores/config.ts';
import type { CategoryConfig, KpiConfig, KpiQuery, ServiceRef, StatQuery } from '../../scores/model.ts';
import { buildScoreReport, type ScoreReport } from '../../scores/report.ts';
import type { Services } from '../services.ts';
import { readPresentMetrics } from '../telemetry-queries.ts';

export interface Window {
  from: number;
  to: number;
}

const serviceName = (ref: ServiceRef, services: Services) =>
  ref === 'target' ? services.config.targetServiceName : ref;

function statRequest(part: StatQuery, window: Window, services: Services): StatRequest {
  return {
    metric: part.metric,
    kind: part.kind,
    stat: part.stat,
    serviceName: serviceName(part.service, services),
    where: part.where,
    numerator: part.numerator,
    window,
  };
}

async function rawValue(query: KpiQuery, window: Window, services: Services): Promise<number | null> {
  const { queryStat, queryHistogramSeries } = services.queries;
  const client = services.store.client;
  switch (query.type) {
    case 'stat':
      return queryStat(client, statRequest(query, window, services));
    case 'peak-rate': {
      // Coarser steps for long windows keep the query small; the peak then averages over more.
      const stepSeconds = Math.max(query.stepSeconds, Math.ceil((window.to - window.from) / 1000 / 600));
      const points = await queryHistogramSeries(client, {
        metric: query.metric,
        serviceName: serviceName(query.service, services),
        where: query.where,
        window,
        stepSeconds,
      });
      const counted = points.filter((p) => p.count > 0);
      return counted.length === 0 ? null : Math.max(...counted.map((p) => p.rate));
    }
    case 'quotient': {
      const sum = async (parts: StatQuery[]) => {
        const values = await Promise.all(
          parts.map((p) => queryStat(client, statRequest(p, window, services))),
        );
        return values.some((v) => v === null) ? null : values.reduce<number>((a, v) => a + (v ?? 0), 0);
      };
      const [top, bottom] = await Promise.all([sum(query.numerator), sum(query.denominator)]);
      return top === null || bottom === null || bottom === 0 ? null : top / bottom;
    }
    default: {
      const unknownQuery: never = query;
      throw new Error(`unknown KPI query ${JSON.stringify(unknownQuery)}`);
    }
  }
}

/** A KPI's value in its display unit over the window; null when its metric has no data there. */
export async function measureKpi(kpi: KpiConfig, window: Window, services: Services): Promise<number | null> {
  const value = await rawValue(kpi.query, window, services);
  return value === null || !Number.isFinite(value) ? null : value * (kpi.scale ?? 1);
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
  return parts.every((p) => present.has(presenceKey(serviceName(p.service, services), p.metric)));
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
  const values = await Promise.all(
    kpis.map((kpi) =>
      (hasMetrics(kpi, present, services) ? measureKpi(kpi, window, services) : Promise.resolve(null)).catch(
        (error: unknown) => {
          errors.push(`${kpi.id}: ${(error as Error).message}`);
          return null;
        },
      ),
    ),
  );
  const byId = new Map(kpis.map((kpi, i) => [kpi.id, values[i] ?? null]));
  return { ...buildScoreReport(categories, byId, window), errors };
}
