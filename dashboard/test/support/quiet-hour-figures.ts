// Every figure the dashboard shows for the quiet hour of quiet-hour.ts, read from one store by the
// dashboard's own code: the scores (scoreWindow, as scores.forWindow and the Overview ask), the
// Overview's traffic (readTraffic) and the Service page (readService) at the hour's end, and per
// route p50/p95/p99, error rate and request rate over other windows through readRouteBuckets —
// windows chosen so both the rollups and the raw table answer (see QUIET_HOUR_WINDOWS).
import type { Store } from 'collector';
import { type HistogramBucketRow, quantileOf, summarise } from 'collector/query';
import { coalescedBatchReads, directBatchReads } from '../../src/server/batch-reads.ts';
import { readTraffic } from '../../src/server/routers/metrics.ts';
import { readService, type ServiceSnapshot } from '../../src/server/routers/service.ts';
import { scoreWindow } from '../../src/server/scores/measure.ts';
import type { Services } from '../../src/server/services.ts';
import { readRouteBuckets } from '../../src/server/telemetry-queries.ts';
import { QUIET_HOUR_SERVICE } from './quiet-hour.ts';

const MINUTE = 60_000;

/** The windows read, relative to the hour's start t0, and the step of the route reads. */
export function quietHourWindows(t0: number) {
  return {
    /** The whole hour, minute-aligned: the 1 min rollup answers it. */
    hour: { from: t0, to: t0 + 60 * MINUTE, stepSeconds: 60 },
    /** The last 15 minutes: the 10 s rollup. */
    last15: { from: t0 + 45 * MINUTE, to: t0 + 60 * MINUTE, stepSeconds: 60 },
    /** 7 minutes on no boundary: raw rows only. */
    odd7: { from: t0 + 23 * MINUTE + 17_300, to: t0 + 30 * MINUTE + 17_300, stepSeconds: 60 },
    /** The hour in 7 s steps, which no rollup tiles: raw rows only. */
    hourRaw: { from: t0, to: t0 + 60 * MINUTE, stepSeconds: 7 },
    /** The hour less 5 s at each end: raw head and tail around the 10 s rollup. */
    hourInset: { from: t0 + 5000, to: t0 + 60 * MINUTE - 5000, stepSeconds: 60 },
  };
}

export interface RouteFigures {
  route: string;
  count: number;
  rate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  errorRate: number | null;
}

const ms = (s: number | null) => (s === null ? null : s * 1000);

/** Per route, what the Service page's table shows (readService's own arithmetic). */
function routeFigures(rows: (HistogramBucketRow & { route: string })[], seconds: number): RouteFigures[] {
  const routes = [...new Set(rows.map((r) => r.route))].sort();
  return routes.map((route) => {
    const s = summarise(rows.filter((r) => r.route === route));
    return {
      route,
      count: s.count,
      rate: s.count / seconds,
      p50Ms: ms(quantileOf(s, 0.5)),
      p95Ms: ms(quantileOf(s, 0.95)),
      p99Ms: ms(quantileOf(s, 0.99)),
      errorRate: s.count > 0 ? s.matching / s.count : null,
    };
  });
}

/**
 * The Service page's snapshot with its error groups in a fixed order: the page sorts them by count
 * and route only, so two statuses of one route with equal counts may come in either order.
 */
const withSortedErrors = (snapshot: ServiceSnapshot) => ({
  ...snapshot,
  errors: [...snapshot.errors].sort((a, b) => a.route.localeCompare(b.route) || a.status - b.status),
});

export async function quietHourFigures(store: Store, t0: number) {
  const windows = quietHourWindows(t0);
  // readService and readTraffic read only the store and the target's name from the services.
  const services = { store, config: { targetServiceName: QUIET_HOUR_SERVICE } } as unknown as Services;
  const direct = { targetServiceName: QUIET_HOUR_SERVICE, reads: directBatchReads(store.client) };
  const coalesced = { targetServiceName: QUIET_HOUR_SERVICE, reads: coalescedBatchReads(store.client) };
  // The Overview and Service page as they are drawn 2 s after the hour ends: their charts end at t0 + 1 h.
  const now = windows.hour.to + 2000;
  const window = (w: { from: number; to: number }) => ({ from: w.from, to: w.to });
  const scores = {
    hour: await scoreWindow(direct, window(windows.hour)),
    hourCoalescedReads: await scoreWindow(coalesced, window(windows.hour)),
    last15: await scoreWindow(direct, window(windows.last15)),
    odd7: await scoreWindow(direct, window(windows.odd7)),
  };
  const service = {
    '60m': withSortedErrors(await readService(services, '60m', null, now)),
    '15m': withSortedErrors(await readService(services, '15m', null, now)),
    '60m /api/recommendations': withSortedErrors(
      await readService(services, '60m', '/api/recommendations', now),
    ),
  };
  const traffic = {
    '60m': await readTraffic(services, '60m', now),
    '15m': await readTraffic(services, '15m', now),
  };
  const routes: Record<string, RouteFigures[]> = {};
  for (const [name, w] of Object.entries(windows)) {
    const rows = await readRouteBuckets(store.client, QUIET_HOUR_SERVICE, window(w), w.stepSeconds);
    routes[name] = routeFigures(rows, (w.to - w.from) / 1000);
  }
  return { scores, service, traffic, routes };
}

export type QuietHourFigures = Awaited<ReturnType<typeof quietHourFigures>>;
