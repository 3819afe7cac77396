// One run's KPIs as an experiment reads them: the run's recorded figures (the store's exact
// percentiles when the launcher had a sample store, else k6's summary) and the target's cache
// hit rate over the run, from its counters read before and after.
import type { RunResult } from '../run-state.ts';
import { ENDPOINT_KPIS, KPI_IDS, type KpiId } from './settings.ts';

export type RunKpis = Record<KpiId, number | null>;

export function runKpis(result: RunResult | undefined, cacheHitRate: number | null): RunKpis {
  const stats = result?.stats ?? null;
  const endpointP95 = (name: string | undefined) =>
    result?.perEndpoint?.find((e) => e.name === name && e.count > 0)?.p95Ms ?? null;
  const out = {} as RunKpis;
  for (const id of KPI_IDS) {
    switch (id) {
      case 'p95Ms':
      case 'p99Ms':
      case 'errorRate':
        out[id] = stats ? stats[id] : null;
        break;
      case 'reqRate':
        out[id] = stats && stats.reqRate > 0 ? stats.reqRate : null;
        break;
      case 'cacheHitRate':
        out[id] = cacheHitRate;
        break;
      default:
        out[id] = endpointP95(ENDPOINT_KPIS[id]);
    }
  }
  return out;
}
