// Telemetry of the system under test: latency percentiles, request rate and error rate from the
// OpenTelemetry HTTP server histogram, streamed to the Overview every 2 s.
import type { AttributeFilter } from 'collector';
import { z } from 'zod';
import { type TrafficPoint, toTrafficPoints } from '../../lib/chart-data.ts';
import {
  CURRENT_WINDOW_SECONDS,
  chartWindowOf,
  currentWindowOf,
  TIME_RANGE_KEYS,
  type TimeRange,
} from '../../lib/time-range.ts';
import { polled } from '../live.ts';
import type { Services } from '../services.ts';
import { snapshotCacheOf } from '../shared-snapshot.ts';
import { router, viewerProcedure } from '../trpc.ts';

export const HTTP_DURATION_METRIC = 'http.server.request.duration';
const serverErrors: AttributeFilter[] = [{ key: 'http.response.status_code', op: '>=', value: 500 }];
export const OVERVIEW_INTERVAL_MS = 2000;

export interface CurrentTraffic {
  windowSeconds: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Requests per second over the window. */
  reqRate: number | null;
  /** Share of 5xx answers, 0..1; null without requests. */
  errorRate: number | null;
}

export interface TrafficSnapshot {
  at: number;
  range: TimeRange;
  from: number;
  to: number;
  stepSeconds: number;
  points: TrafficPoint[];
  current: CurrentTraffic;
  /** Set when the store could not be read; the numbers are then empty. */
  error: string | null;
}

const emptyCurrent: CurrentTraffic = {
  windowSeconds: CURRENT_WINDOW_SECONDS,
  p50Ms: null,
  p95Ms: null,
  p99Ms: null,
  reqRate: null,
  errorRate: null,
};

export async function readTraffic(
  services: Services,
  range: TimeRange,
  now: number,
): Promise<TrafficSnapshot> {
  const { store, queries, config } = services;
  const chart = chartWindowOf(range, now);
  const selector = { metric: HTTP_DURATION_METRIC, serviceName: config.targetServiceName };
  try {
    const window = currentWindowOf(now);
    // Two queries: the chart's series, and the current window's buckets from which every big
    // number (percentiles, rate, 5xx share) is derived exactly as queryStat would.
    const [series, buckets] = await Promise.all([
      queries.queryHistogramSeries(store.client, {
        ...selector,
        window: chart,
        stepSeconds: chart.stepSeconds,
        errorWhere: serverErrors,
      }),
      queries.queryHistogramBuckets(store.client, selector, window, undefined, serverErrors),
    ]);
    const summary = queries.summarise(buckets);
    const seconds = (window.to - window.from) / 1000;
    const stat = (s: 'p50' | 'p95' | 'p99' | 'rate' | 'ratio') =>
      queries.statOfHistogram(summary, s, seconds);
    const [p50, p95, p99, rate, ratio] = [stat('p50'), stat('p95'), stat('p99'), stat('rate'), stat('ratio')];
    const ms = (s: number | null) => (s === null ? null : s * 1000);
    return {
      at: now,
      range,
      ...chart,
      points: toTrafficPoints(series),
      current: {
        windowSeconds: CURRENT_WINDOW_SECONDS,
        p50Ms: ms(p50),
        p95Ms: ms(p95),
        p99Ms: ms(p99),
        reqRate: rate,
        errorRate: ratio,
      },
      error: null,
    };
  } catch (error) {
    return {
      at: now,
      range,
      ...chart,
      points: [],
      current: emptyCurrent,
      error: `store query failed: ${(error as Error).message}`,
    };
  }
}

export const metricsRouter = router({
  /** The Overview's charts and big numbers for a range, now and every 2 s after. */
  traffic: viewerProcedure
    .input(z.object({ range: z.enum(TIME_RANGE_KEYS as [TimeRange, ...TimeRange[]]) }))
    .subscription(async function* ({ input, ctx, signal }) {
      const shared = snapshotCacheOf(ctx.services);
      const read = () =>
        shared.get(`metrics.traffic:${input.range}`, OVERVIEW_INTERVAL_MS, () =>
          readTraffic(ctx.services, input.range, Date.now()),
        );
      yield* polled(read, OVERVIEW_INTERVAL_MS, signal);
    }),
});
