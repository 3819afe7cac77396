// Telemetry of the system under test: latency percentiles, request rate and error rate from the
// OpenTelemetry HTTP server histogram (the API's traffic only), streamed to the Overview every 2 s.
import {
  type AttributeFilter,
  type HistogramBucketRow,
  quantileBoundsOf,
  type SeriesPoint,
  seriesFromBuckets,
  statOfHistogram,
  summarise,
} from 'collector/query';
import { z } from 'zod';
import { API_TRAFFIC } from '../../lib/api-traffic.ts';
import { type TrafficPoint, toTrafficPoints } from '../../lib/chart-data.ts';
import { type RangeMs, rangeMsOf } from '../../lib/histogram-estimate.ts';
import {
  CURRENT_WINDOW_SECONDS,
  chartWindowOf,
  type QueryWindow,
  TIME_RANGE_KEYS,
  type TimeRange,
} from '../../lib/time-range.ts';
import { coalescedBatchReads } from '../batch-reads.ts';
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
  /** Each percentile's error bound: the histogram bucket its estimate lies in (ms). */
  p50RangeMs: RangeMs | null;
  p95RangeMs: RangeMs | null;
  p99RangeMs: RangeMs | null;
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
  p50RangeMs: null,
  p95RangeMs: null,
  p99RangeMs: null,
  reqRate: null,
  errorRate: null,
};

/** Percentiles, rate and 5xx share per step of the chart, as queryHistogramSeries gives them. */
function seriesOf(rows: HistogramBucketRow[], chart: QueryWindow): SeriesPoint[] {
  return seriesFromBuckets(rows, chart, chart.stepSeconds);
}

export async function readTraffic(
  services: Services,
  range: TimeRange,
  now: number,
): Promise<TrafficSnapshot> {
  const { store, config } = services;
  const chart = chartWindowOf(range, now);
  const selector = {
    metric: HTTP_DURATION_METRIC,
    serviceName: config.targetServiceName,
    where: [...API_TRAFFIC],
  };
  try {
    // The current minute up to the last whole 10 s, so the 10 s rollup serves it without raw rows.
    const end = Math.floor(now / 10_000) * 10_000;
    const window = { from: end - CURRENT_WINDOW_SECONDS * 1000, to: end };
    // One query: the chart's steps and the current window's buckets (from which every big
    // number — percentiles, rate, 5xx share — is derived exactly as queryStat would).
    const batched = coalescedBatchReads(store.client);
    const withErrors = { ...selector, numerator: serverErrors };
    const [[stepRows = []], [buckets = []]] = await Promise.all([
      batched.histograms({ selectors: [withErrors], window: chart, stepSeconds: chart.stepSeconds }),
      batched.histograms({ selectors: [withErrors], window }),
    ]);
    const series = seriesOf(stepRows, chart);
    const summary = summarise(buckets);
    const seconds = (window.to - window.from) / 1000;
    const stat = (s: 'p50' | 'p95' | 'p99' | 'rate' | 'ratio') => statOfHistogram(summary, s, seconds);
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
        p50RangeMs: rangeMsOf(quantileBoundsOf(summary, 0.5)),
        p95RangeMs: rangeMsOf(quantileBoundsOf(summary, 0.95)),
        p99RangeMs: rangeMsOf(quantileBoundsOf(summary, 0.99)),
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
