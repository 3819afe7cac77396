// KPI values per step over a window, for the score trend and the chart behind a KPI. Histogram
// KPIs take one series query each (the shared builder's per-step percentiles, averages, rates and
// ratios); anything else is measured slice by slice. Only KPIs whose metrics are present in the
// window are queried at all: the rest are "no data" without asking the store.
import type { SeriesPoint } from 'collector';
import type { KpiConfig } from '../../scores/model.ts';
import type { Services } from '../services.ts';
import { measureKpi, type Window } from './measure.ts';

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

/** Each step's value of the KPI in its display unit (null = no data in that step). */
export async function kpiValuesByStep(
  kpi: KpiConfig,
  steps: Steps,
  services: Services,
): Promise<(number | null)[]> {
  const stepMs = steps.stepSeconds * 1000;
  const first = steps.starts[0];
  if (first === undefined) return [];
  const window: Window = { from: first, to: (steps.starts.at(-1) ?? first) + stepMs };
  const q = kpi.query;
  const serviceName = (ref: string) => (ref === 'target' ? services.config.targetServiceName : ref);
  const scale = (v: number | null) => (v === null || !Number.isFinite(v) ? null : v * (kpi.scale ?? 1));

  const seriesOf = async (field: keyof SeriesPoint, metric: string, service: string, req: object) => {
    const points = await services.queries.queryHistogramSeries(services.store.client, {
      metric,
      serviceName: serviceName(service),
      window,
      stepSeconds: steps.stepSeconds,
      ...req,
    });
    const byT = new Map(points.map((p) => [p.t, p]));
    return steps.starts.map((t) => {
      const p = byT.get(t);
      // A step without observations has no value, whatever the field (rate would read 0).
      return p && p.count > 0 ? scale(p[field] as number | null) : null;
    });
  };
  if (q.type === 'stat' && q.kind === 'histogram' && isSeriesStat(q.stat)) {
    return seriesOf(SERIES_FIELD[q.stat], q.metric, q.service, { where: q.where, errorWhere: q.numerator });
  }
  if (q.type === 'peak-rate') {
    // Per step the rate is the step's mean: finer peaks than the step are not visible here.
    return seriesOf('rate', q.metric, q.service, { where: q.where });
  }
  return Promise.all(steps.starts.map((t) => measureKpi(kpi, { from: t, to: t + stepMs }, services)));
}
