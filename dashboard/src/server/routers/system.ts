// The System page's stream: the collector's own health — ingest rates, refusals, queue depth,
// drops, store state and the store's insert latency as the collector times it — from its live
// counters in this process, plus the round trip of a trivial query as this process sees it.
// One snapshot every 2 s; rates cover the time since the previous one.
import type { CollectorStats } from 'collector';
import {
  type CollectorRates,
  type CollectorSample,
  lossTotals,
  type QueueView,
  queueOf,
  ratesBetween,
} from '../../lib/collector-health.ts';
import {
  collectorHealthFromStore,
  STORE_RATE_WINDOW_MS,
  type StoreInsertLatency,
} from '../collector-from-store.ts';
import { pause } from '../live.ts';
import type { Services } from '../services.ts';
import { router, viewerProcedure } from '../trpc.ts';

const INTERVAL_MS = 2_000;
/** A separate collector writes its self-telemetry every 10 s: no point in reading it faster. */
const STORE_INTERVAL_MS = 10_000;

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

function snapshotOf(
  services: Services,
  collectorUrl: string,
  stats: CollectorStats | null,
  rates: CollectorRates | null,
  probe: { probeMs: number | null; probeError: string | null },
  at: number,
): SystemSnapshot {
  return {
    at,
    collector: { mode: 'in-process', url: collectorUrl },
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
    store: {
      describe: services.config.storeDescription,
      collectorWriteError: stats?.storeError ?? null,
      collectorWritesOk: stats ? stats.storeError === null : null,
      ...probe,
      insertLatency: stats ? insertLatencyOf(stats) : null,
    },
  };
}

async function separateSnapshot(services: Services, at: number): Promise<SystemSnapshot> {
  const serviceName = services.config.collectorServiceName;
  const [health, probe] = await Promise.all([
    collectorHealthFromStore(services, serviceName, at).catch(() => null),
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
    store: {
      describe: services.config.storeDescription,
      collectorWriteError: null,
      collectorWritesOk: health?.storeUp ?? null,
      ...probe,
      insertLatency: health?.insertLatency ?? null,
    },
  };
}

export const systemRouter = router({
  live: viewerProcedure.subscription(async function* ({ ctx, signal }): AsyncGenerator<SystemSnapshot> {
    const { services } = ctx;
    if (!services.collector) {
      while (!signal?.aborted) {
        yield await separateSnapshot(services, Date.now());
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
      yield snapshotOf(services, collector.url, sample.stats, rates, await probeStore(services), at);
      if (!(await pause(INTERVAL_MS, signal))) return;
    }
  }),
});
