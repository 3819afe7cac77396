// The collector's health when it runs in its own process (docker-compose, COLLECTOR_ENABLED=false):
// read from the self-telemetry it writes into the store under its own service name, with the
// shared query builder. Rates are over the last minute (it writes every 10 s by default).
import type { AttributeFilter } from 'collector';
import type { CollectorRates, QueueView } from '../lib/collector-health.ts';
import type { Services } from './services.ts';

export const STORE_RATE_WINDOW_MS = 60_000;

// Mirrors collector's selfMetricNames (the Next bundle imports no collector values).
const M = {
  received: 'collector.received',
  rejected: 'collector.rejected',
  written: 'collector.written',
  queued: 'collector.queued',
  replayed: 'collector.replayed',
  dropped: 'collector.dropped',
  refusedRequests: 'collector.requests.refused',
  queueBytes: 'collector.queue.bytes',
  queueBatches: 'collector.queue.batches',
  inFlightBytes: 'collector.in_flight.bytes',
  storeUp: 'collector.store.up',
  insertDuration: 'collector.store.insert.duration',
} as const;

export interface StoreCollectorHealth {
  rates: CollectorRates;
  queue: QueueView | null;
  inFlightBytes: number | null;
  storeUp: boolean | null;
  insertLatency: StoreInsertLatency;
}

/** The collector's store inserts over the window: how many, and their p50/p95 in ms. */
export interface StoreInsertLatency {
  windowMs: number;
  inserts: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
}

/** null when the collector has written no self-telemetry in the window. */
export async function collectorHealthFromStore(
  services: Services,
  serviceName: string,
  nowMs: number,
): Promise<StoreCollectorHealth | null> {
  const { store, queries } = services;
  const window = { from: nowMs - STORE_RATE_WINDOW_MS, to: nowMs };
  const signal = (value: string): AttributeFilter[] => [{ key: 'signal', op: '=', value }];
  const rate = (metric: string, where?: AttributeFilter[]) =>
    queries.queryStat(store.client, { metric, serviceName, where, kind: 'sum', stat: 'rate', window });
  const last = (metric: string) =>
    queries.queryStat(store.client, { metric, serviceName, kind: 'gauge', stat: 'last', window });

  const [points, spans, logs, rejected, refused, written, queued, replayed, dropped] = await Promise.all([
    rate(M.received, signal('metrics')),
    rate(M.received, signal('traces')),
    rate(M.received, signal('logs')),
    rate(M.rejected),
    rate(M.refusedRequests),
    rate(M.written),
    rate(M.queued),
    rate(M.replayed),
    rate(M.dropped),
  ]);
  const insertStat = (stat: 'count' | 'p50' | 'p95') =>
    queries.queryStat(store.client, {
      metric: M.insertDuration,
      serviceName,
      kind: 'histogram',
      stat,
      window,
    });
  const [queueBytes, queueBatches, inFlightBytes, storeUp, inserts, p50, p95] = await Promise.all([
    last(M.queueBytes),
    last(M.queueBatches),
    last(M.inFlightBytes),
    last(M.storeUp),
    insertStat('count'),
    insertStat('p50'),
    insertStat('p95'),
  ]);
  if (points === null && spans === null && written === null && storeUp === null) return null;
  return {
    rates: {
      t: nowMs,
      pointsPerSec: points ?? 0,
      spansPerSec: spans ?? 0,
      logsPerSec: logs ?? 0,
      rejectedPerSec: rejected ?? 0,
      refusedRequestsPerSec: refused ?? 0,
      writtenRowsPerSec: written ?? 0,
      queuedRowsPerSec: queued ?? 0,
      replayedRowsPerSec: replayed ?? 0,
      droppedRowsPerSec: dropped ?? 0,
      // Not among the self-telemetry metrics: insert failures show as queued rows instead.
      insertFailuresPerSec: 0,
    },
    queue:
      queueBytes === null
        ? null
        : {
            state: (queueBatches ?? 0) > 0 ? 'draining' : 'empty',
            bytes: queueBytes,
            maxBytes: 0,
            batches: queueBatches ?? 0,
            fill: 0,
          },
    inFlightBytes,
    storeUp: storeUp === null ? null : storeUp >= 1,
    // Every signal and outcome together: the store's latency as the collector's inserts see it.
    insertLatency: {
      windowMs: STORE_RATE_WINDOW_MS,
      inserts,
      p50Ms: p50 === null ? null : p50 * 1000,
      p95Ms: p95 === null ? null : p95 * 1000,
    },
  };
}
