// The System page's stream: the collector's own health — ingest rates, refusals, queue depth,
// drops, store state and the store's insert latency as the collector times it — from its live
// counters in this process, plus the round trip of a trivial query as this process sees it.
// One snapshot every 2 s; rates cover the time since the previous one. Who was refused comes with
// each snapshot; the charts' history for a range comes from the store (`history`).
import type { CollectorStats } from 'collector';
import { z } from 'zod';
import {
  type CollectorRates,
  type CollectorSample,
  lossTotals,
  type QueueView,
  queueOf,
  ratesBetween,
} from '../../lib/collector-health.ts';
import { DEFAULT_TIME_RANGE, TIME_RANGE_KEYS, TIME_RANGES, type TimeRange } from '../../lib/time-range.ts';
import {
  collectorHealthFromStore,
  STORE_RATE_WINDOW_MS,
  type StoreInsertLatency,
} from '../collector-from-store.ts';
import { type CollectorHistory, readCollectorHistory, readStoredRefusals } from '../collector-history.ts';
import { pause } from '../live.ts';
import type { Services } from '../services.ts';
import type { StoredSenderRefusal } from '../telemetry-queries.ts';
import { router, viewerProcedure } from '../trpc.ts';

const INTERVAL_MS = 2_000;
/** A separate collector writes its self-telemetry every 10 s: no point in reading it faster. */
const STORE_INTERVAL_MS = 10_000;

/** Refused requests and rejected items of one sender, reason and signal. */
export type SenderRefusalRow = StoredSenderRefusal;

export interface SenderRefusals {
  /** The in-process collector's counters since it started, or the store over the last `windowMs`. */
  source: 'collector' | 'store';
  windowMs: number | null;
  /** Most items first. */
  rows: SenderRefusalRow[];
}

export interface SystemSnapshot {
  at: number;
  /** Where the collector runs: its counters are only live here when it runs in this process. */
  collector:
    | { mode: 'in-process'; url: string }
    | { mode: 'separate'; serviceName: string; windowMs: number; found: boolean };
  rates: CollectorRates | null;
  totals: {
    received: { points: number; spans: number; logs: number };
    writtenRows: number;
    queuedRows: number;
    replayedRows: number;
  } | null;
  losses: ReturnType<typeof lossTotals> | null;
  queue: QueueView | null;
  inFlightBytes: number | null;
  /** Who was refused, and why; null when the store could not be read. */
  refusals: SenderRefusals | null;
  store: {
    describe: string;
    /** The collector's view: did its last write succeed? null when it runs elsewhere. */
    collectorWriteError: string | null;
    collectorWritesOk: boolean | null;
    /** Round trip of a trivial query from this process (ms), or null with probeError. */
    probeMs: number | null;
    probeError: string | null;
    /** The collector's own inserts over the last minute (all tables), timed by the collector. */
    insertLatency: StoreInsertLatency | null;
  };
}

async function probeStore(
  services: Services,
): Promise<{ probeMs: number | null; probeError: string | null }> {
  const started = performance.now();
  try {
    const result = await services.store.client.query({ query: 'SELECT 1 AS ok', format: 'JSONEachRow' });
    await result.json();
    return { probeMs: performance.now() - started, probeError: null };
  } catch (error) {
    return { probeMs: null, probeError: (error as Error).message };
  }
}

function insertLatencyOf(stats: CollectorStats): StoreInsertLatency {
  const recent = stats.storeInsertLastMinute;
  const ms = (seconds: number | null) => (seconds === null ? null : seconds * 1000);
  return {
    windowMs: 60_000,
    inserts: recent.inserts,
    p50Ms: ms(recent.p50Seconds),
    p95Ms: ms(recent.p95Seconds),
  };
}

const byItems = (a: SenderRefusalRow, b: SenderRefusalRow) =>
  b.items - a.items || b.requests - a.requests || a.sender.localeCompare(b.sender);

function snapshotOf(
  services: Services,
  collector: NonNullable<Services['collector']>,
  stats: CollectorStats | null,
  rates: CollectorRates | null,
  probe: { probeMs: number | null; probeError: string | null },
  at: number,
): SystemSnapshot {
  return {
    at,
    collector: { mode: 'in-process', url: collector.url },
    rates,
    totals: stats
      ? {
          received: { points: stats.receivedPoints, spans: stats.receivedSpans, logs: stats.receivedLogs },
          writtenRows: stats.writtenRows,
          queuedRows: stats.queuedRows,
          replayedRows: stats.replayedRows,
        }
      : null,
    losses: stats ? lossTotals(stats) : null,
    queue: stats ? queueOf(stats) : null,
    inFlightBytes: stats?.inFlightBytes ?? null,
    refusals: { source: 'collector', windowMs: null, rows: collector.refusals.snapshot().sort(byItems) },
    store: {
      describe: services.config.storeDescription,
      collectorWriteError: stats?.storeError ?? null,
      collectorWritesOk: stats ? stats.storeError === null : null,
      ...probe,
      insertLatency: stats ? insertLatencyOf(stats) : null,
    },
  };
}

async function separateSnapshot(services: Services, at: number, range: TimeRange): Promise<SystemSnapshot> {
  const serviceName = services.config.collectorServiceName;
  const windowMs = TIME_RANGES[range].seconds * 1000;
  const [health, refused, probe] = await Promise.all([
    collectorHealthFromStore(services, serviceName, at).catch(() => null),
    readStoredRefusals(services, { from: at - windowMs, to: at }).catch(() => null),
    probeStore(services),
  ]);
  return {
    at,
    collector: { mode: 'separate', serviceName, windowMs: STORE_RATE_WINDOW_MS, found: health !== null },
    rates: health?.rates ?? null,
    totals: null,
    losses: null,
    queue: health?.queue ?? null,
    inFlightBytes: health?.inFlightBytes ?? null,
    refusals: refused ? { source: 'store', windowMs, rows: refused } : null,
    store: {
      describe: services.config.storeDescription,
      collectorWriteError: null,
      collectorWritesOk: health?.storeUp ?? null,
      ...probe,
      insertLatency: health?.insertLatency ?? null,
    },
  };
}

const rangeInput = z.object({ range: z.enum(TIME_RANGE_KEYS as [TimeRange, ...TimeRange[]]) });

export const systemRouter = router({
  /** The charts' history for the range, from the collector's self-telemetry in the store. */
  history: viewerProcedure
    .input(rangeInput)
    .query(
      ({ ctx, input }): Promise<CollectorHistory> =>
        readCollectorHistory(ctx.services, input.range, Date.now()),
    ),
  /** Snapshots; `range` is the window of a separate collector's refusals (read from the store). */
  live: viewerProcedure.input(rangeInput.partial().optional()).subscription(async function* ({
    ctx,
    input,
    signal,
  }): AsyncGenerator<SystemSnapshot> {
    const { services } = ctx;
    const range = input?.range ?? DEFAULT_TIME_RANGE;
    if (!services.collector) {
      while (!signal?.aborted) {
        yield await separateSnapshot(services, Date.now(), range);
        if (!(await pause(STORE_INTERVAL_MS, signal))) return;
      }
      return;
    }
    const collector = services.collector;
    const first = collector.stats();
    // A first sample half a second before the first snapshot, so it already carries rates.
    let previous: CollectorSample = { at: Date.now(), stats: structuredClone(first) };
    if (!(await pause(500, signal))) return;
    while (!signal?.aborted) {
      const at = Date.now();
      const sample = { at, stats: structuredClone(collector.stats()) };
      const rates = ratesBetween(previous, sample);
      previous = sample;
      yield snapshotOf(services, collector, sample.stats, rates, await probeStore(services), at);
      if (!(await pause(INTERVAL_MS, signal))) return;
    }
  }),
});
