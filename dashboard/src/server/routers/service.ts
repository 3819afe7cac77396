// The Service page: latency percentiles per route over time, throughput, errors by status and
// route, the latency distribution and the slowest traces, streamed every 5 s; one trace's spans.

import { TRPCError } from '@trpc/server';
import { quantileBoundsOf, seriesFromBuckets, summarise } from 'collector/query';
import { z } from 'zod';
import { routeRangeKey, type TrafficPoint, toTrafficPoints } from '../../lib/chart-data.ts';
import { type RangeMs, rangeMsOf } from '../../lib/histogram-estimate.ts';
import { chartWindowOf, TIME_RANGE_KEYS, type TimeRange } from '../../lib/time-range.ts';
import { layoutWaterfall, type Waterfall } from '../../lib/waterfall.ts';
import { polled } from '../live.ts';
import type { Services } from '../services.ts';
import { snapshotCacheOf } from '../shared-snapshot.ts';
import {
  type ErrorGroup,
  readErrorsByStatus,
  readRouteBuckets,
  readSlowestTraces,
  readTraceSpans,
  type TraceSummary,
} from '../telemetry-queries.ts';
import { router, viewerProcedure } from '../trpc.ts';

export const SERVICE_INTERVAL_MS = 5000;

export interface RouteStats {
  route: string;
  count: number;
  rate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Each percentile's error bound: the histogram bucket its estimate lies in (ms). */
  p50RangeMs: RangeMs | null;
  p95RangeMs: RangeMs | null;
  p99RangeMs: RangeMs | null;
  errorRate: number | null;
}

/** One step of the per-route chart: each route's p95 in ms under its name, its bound under routeRangeKey(name). */
export type RouteP95Point = { t: number } & Record<string, number | RangeMs | null>;

export interface DistributionBar {
  /** Upper bound in ms; null for the overflow bucket. */
  leMs: number | null;
  label: string;
  count: number;
}

export interface ServiceSnapshot {
  at: number;
  range: TimeRange;
  route: string | null;
  from: number;
  to: number;
  stepSeconds: number;
  routes: RouteStats[];
  /** The chosen route (or all but /health): percentiles, rate and 5xx share per step. */
  points: TrafficPoint[];
  routeP95: RouteP95Point[];
  errors: ErrorGroup[];
  distribution: DistributionBar[];
  slowest: TraceSummary[];
  error: string | null;
}

const ms = (s: number | null) => (s === null ? null : s * 1000);
/** A bucket bound, compact enough for an axis label: 5, 250, 1s, 2.5s (ms unless marked). */
const boundLabel = (leMs: number) => (leMs >= 1000 ? `${leMs / 1000}s` : `${leMs}`);

const MAX_ROUTES = 12;

export async function readService(
  services: Services,
  range: TimeRange,
  route: string | null,
  now: number,
): Promise<ServiceSnapshot> {
  const { store, config } = services;
  const client = store.client;
  const chart = chartWindowOf(range, now);
  const window = { from: chart.from, to: chart.to };
  const service = config.targetServiceName;
  const base = { at: now, range, route, ...chart };
  try {
    const [rows, errors, slowest] = await Promise.all([
      readRouteBuckets(client, service, window, chart.stepSeconds),
      readErrorsByStatus(client, service, window),
      readSlowestTraces(client, service, window, route),
    ]);
    const byRoute = Map.groupBy(rows, (r) => r.route);
    const seconds = (window.to - window.from) / 1000;
    const routes: RouteStats[] = [...byRoute.entries()]
      .map(([name, own]) => {
        const s = summarise(own);
        const [p50, p95, p99] = [
          quantileBoundsOf(s, 0.5),
          quantileBoundsOf(s, 0.95),
          quantileBoundsOf(s, 0.99),
        ];
        return {
          route: name,
          count: s.count,
          rate: s.count / seconds,
          p50Ms: ms(p50?.value ?? null),
          p95Ms: ms(p95?.value ?? null),
          p99Ms: ms(p99?.value ?? null),
          p50RangeMs: rangeMsOf(p50),
          p95RangeMs: rangeMsOf(p95),
          p99RangeMs: rangeMsOf(p99),
          errorRate: s.count > 0 ? s.matching / s.count : null,
        };
      })
      .sort((a, b) => b.count - a.count || a.route.localeCompare(b.route))
      .slice(0, MAX_ROUTES);
    const chosen = route === null ? rows : (byRoute.get(route) ?? []);
    const stepMs = chart.stepSeconds * 1000;
    const steps: number[] = [];
    for (let t = Math.floor(window.from / stepMs) * stepMs; t < window.to; t += stepMs) steps.push(t);
    return {
      ...base,
      routes,
      points: toTrafficPoints(seriesFromBuckets(chosen, window, chart.stepSeconds)),
      routeP95: steps.map((t) => {
        const point = { t } as RouteP95Point;
        for (const r of routes) {
          const own = (byRoute.get(r.route) ?? []).filter((row) => row.t === t);
          const p95 = own.length ? quantileBoundsOf(summarise(own), 0.95) : null;
          point[r.route] = ms(p95?.value ?? null);
          point[routeRangeKey(r.route)] = rangeMsOf(p95);
        }
        return point;
      }),
      errors: errors.filter((e) => e.route !== '/health' && (route === null || e.route === route)),
      distribution: distributionOf(summarise(chosen).buckets),
      slowest,
      error: null,
    };
  } catch (error) {
    return {
      ...base,
      routes: [],
      points: [],
      routeP95: [],
      errors: [],
      distribution: [],
      slowest: [],
      error: `store query failed: ${(error as Error).message}`,
    };
  }
}

function distributionOf(buckets: { bounds: number[]; counts: number[] }): DistributionBar[] {
  const toMs = (le: number) => Math.round(le * 1e6) / 1000;
  const lastMs = toMs(buckets.bounds.at(-1) ?? 0);
  const bars = buckets.counts.map((count, i) => {
    const le = buckets.bounds[i];
    const leMs = le === undefined ? null : toMs(le);
    return { leMs, label: leMs === null ? `>${boundLabel(lastMs)}` : `≤${boundLabel(leMs)}`, count };
  });
  return trimEmptyTail(bars);
}

/** Drops empty buckets above the highest one with observations (and below the lowest). */
function trimEmptyTail(bars: DistributionBar[]): DistributionBar[] {
  const first = bars.findIndex((b) => b.count > 0);
  if (first === -1) return [];
  const last = bars.findLastIndex((b) => b.count > 0);
  return bars.slice(Math.max(0, first - 1), last + 1);
}

export const serviceRouter = router({
  live: viewerProcedure
    .input(
      z.object({
        range: z.enum(TIME_RANGE_KEYS as [TimeRange, ...TimeRange[]]),
        route: z.string().min(1).max(300).nullable(),
      }),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      // Shared like the Overview's streams: viewers of the same range and route get one snapshot.
      const shared = snapshotCacheOf(ctx.services);
      const key = `service.live:${input.range}:${JSON.stringify(input.route)}`;
      const read = () =>
        shared.get(key, SERVICE_INTERVAL_MS, () =>
          readService(ctx.services, input.range, input.route, Date.now()),
        );
      yield* polled(read, SERVICE_INTERVAL_MS, signal);
    }),

  trace: viewerProcedure
    .input(z.object({ traceId: z.string().regex(/^[0-9a-f]{32}$/, 'a trace id is 32 hex digits') }))
    .query(async ({ ctx, input }): Promise<Waterfall & { traceId: string }> => {
      const spans = await readTraceSpans(ctx.services.store.client, input.traceId);
      if (spans.length === 0)
        throw new TRPCError({ code: 'NOT_FOUND', message: `no spans stored for trace ${input.traceId}` });
      return { traceId: input.traceId, ...layoutWaterfall(spans) };
    }),
});
