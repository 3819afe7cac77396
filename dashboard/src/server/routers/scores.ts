// Scores: for any time window, for a load-test run (its start to its end), live for the Overview
// with a trend (the same scores over six whole steps of the range), and one KPI over time for the
// chart behind it.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { toRunView } from '../../lib/run-view.ts';
import { TIME_RANGE_KEYS, TIME_RANGES, type TimeRange } from '../../lib/time-range.ts';
import { SCORE_CATEGORIES } from '../../scores/config.ts';
import { findKpi } from '../../scores/model.ts';
import { buildScoreReport, type ScoreReport } from '../../scores/report.ts';
import { coalescedBatchReads } from '../batch-reads.ts';
import { polled } from '../live.ts';
import { readStoredRun } from '../run-history.ts';
import { type KpiSource, kpiSourceOf, scoreWindow, type Window } from '../scores/measure.ts';
import { kpiReadingsByStep, kpiTrends, type Steps, stepsEnding } from '../scores/series.ts';
import type { Services } from '../services.ts';
import { snapshotCacheOf } from '../shared-snapshot.ts';
import { router, viewerProcedure } from '../trpc.ts';

export const SCORES_INTERVAL_MS = 15_000;
const TREND_POINTS = 6;
const KPI_POINTS = 30;
const MAX_WINDOW_MS = 31 * 86_400_000;
/**
 * Live windows end on a whole minute: the 1 min rollup then answers the window alone (each extra
 * table part costs the embedded store a plan and a read); scores move by the minute anyway.
 */
const LIVE_ALIGN_MS = 60_000;

export interface TrendPoint {
  /** Slice end, unix ms. */
  t: number;
  overall: number | null;
  categories: Record<string, number | null>;
}

export interface ScoresSnapshot {
  at: number;
  range: TimeRange;
  report: ScoreReport & { errors: string[] };
  trend: TrendPoint[];
}

const windowInput = z
  .object({ from: z.number().int().nonnegative(), to: z.number().int().positive() })
  .refine((w) => w.from < w.to, { message: 'from must be before to', path: ['from'] })
  .refine((w) => w.to - w.from <= MAX_WINDOW_MS, {
    message: 'a window spans at most 31 days',
    path: ['from'],
  });

/** The scores over `TREND_POINTS` whole steps ending before `now`: two queries for all KPIs. */
async function scoreTrend(source: KpiSource, now: number, spanSeconds: number): Promise<TrendPoint[]> {
  const steps = stepsEnding(now, spanSeconds, TREND_POINTS);
  const stepMs = steps.stepSeconds * 1000;
  // A KPI without data in a step has no value there, so no presence query is needed first.
  const kpis = SCORE_CATEGORIES.flatMap((c) => c.kpis);
  const values = await kpiTrends(kpis, steps, source);
  return steps.starts.map((t, i) => {
    const byId = new Map(kpis.map((k, j) => [k.id, values[j]?.[i] ?? null]));
    const report = buildScoreReport(SCORE_CATEGORIES, byId, { from: t, to: t + stepMs });
    return {
      t: t + stepMs,
      overall: report.overall,
      categories: Object.fromEntries(report.categories.map((c) => [c.id, c.score])),
    };
  });
}

/** The range up to the last whole minute before `now`: a window the rollups serve without raw rows. */
export function liveWindowOf(range: TimeRange, now: number): Window {
  const end = Math.floor(now / LIVE_ALIGN_MS) * LIVE_ALIGN_MS;
  return { from: end - TIME_RANGES[range].seconds * 1000, to: end };
}

/** The services as a KPI source whose batch reads started together go to the store as one query. */
const coalescedSource = (services: Services) =>
  kpiSourceOf(services, coalescedBatchReads(services.store.client));

export async function readScores(services: Services, range: TimeRange, now: number): Promise<ScoresSnapshot> {
  // The window's and the trend's batches start together: two store queries for the snapshot.
  const source = coalescedSource(services);
  const [report, trend] = await Promise.all([
    scoreWindow(source, liveWindowOf(range, now)),
    scoreTrend(source, now, TIME_RANGES[range].seconds),
  ]);
  return { at: now, range, report, trend };
}

/** Step-aligned steps covering the window, about `count` of them. */
function stepsOver(window: Window, count: number): Steps {
  const stepSeconds = Math.max(1, Math.ceil((window.to - window.from) / 1000 / count));
  const stepMs = stepSeconds * 1000;
  const first = Math.floor(window.from / stepMs) * stepMs;
  const n = Math.ceil((window.to - first) / stepMs);
  return { stepSeconds, starts: Array.from({ length: n }, (_, i) => first + i * stepMs) };
}

async function runWindow(services: Services, runId: string, now: number): Promise<Window | null> {
  const live = services.launcher.get(runId);
  const run = live ? toRunView(live) : await readStoredRun(services.store.client, runId);
  if (!run) throw new TRPCError({ code: 'NOT_FOUND', message: `no run ${runId}` });
  if (run.startedAt === null) return null;
  return { from: run.startedAt, to: run.endedAt ?? now };
}

export const scoresRouter = router({
  forWindow: viewerProcedure
    .input(windowInput)
    .query(({ ctx, input }) => scoreWindow(coalescedSource(ctx.services), input)),

  /** The run's scores over its own window; `report` is null while the run has not started. */
  forRun: viewerProcedure.input(z.object({ runId: z.string().min(1) })).query(async ({ ctx, input }) => {
    const window = await runWindow(ctx.services, input.runId, Date.now());
    return {
      runId: input.runId,
      report: window ? await scoreWindow(coalescedSource(ctx.services), window) : null,
    };
  }),

  /** The Overview's scores for a range with their trend, now and every 15 s after. */
  live: viewerProcedure
    .input(z.object({ range: z.enum(TIME_RANGE_KEYS as [TimeRange, ...TimeRange[]]) }))
    .subscription(async function* ({ ctx, input, signal }) {
      const shared = snapshotCacheOf(ctx.services);
      const read = () =>
        shared.get(`scores.live:${input.range}`, SCORES_INTERVAL_MS, () =>
          readScores(ctx.services, input.range, Date.now()),
        );
      yield* polled(read, SCORES_INTERVAL_MS, signal);
    }),

  /** One KPI's value over consecutive slices of the window: the chart behind its score. */
  kpiSeries: viewerProcedure
    .input(z.object({ id: z.string().min(1), window: windowInput }))
    .query(async ({ ctx, input }) => {
      const found = findKpi(input.id, SCORE_CATEGORIES);
      if (!found) throw new TRPCError({ code: 'NOT_FOUND', message: `no KPI ${input.id}` });
      const steps = stepsOver(input.window, KPI_POINTS);
      const readings = await kpiReadingsByStep(found.kpi, steps, kpiSourceOf(ctx.services));
      // `range`: the value's error bound when it is a histogram percentile (null otherwise).
      const points = steps.starts.map((t, i) => ({
        t,
        value: readings[i]?.value ?? null,
        range: readings[i]?.range ?? null,
      }));
      return { id: input.id, category: found.category.name, ...input.window, points };
    }),
});
