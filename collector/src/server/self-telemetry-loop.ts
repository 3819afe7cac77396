// Writes the collector's own telemetry into the store on an interval (see self-telemetry-store.ts).
// A failed write (store down and queue full) is skipped: the next interval's cumulative values
// carry the same information, so nothing accumulates in memory.
import type { ResourceMetrics } from '../otlp/model.ts';
import type { ReplayStats } from '../queue/replayer.ts';
import type { BatchWriterStats } from '../write/batch-writer.ts';
import type { InsertLatencySeries } from '../write/insert-latency.ts';
import type { CollectorCounters, CollectorStats } from './self-telemetry.ts';
import { type SelfTelemetrySnapshot, selfTelemetryMetrics } from './self-telemetry-store.ts';
import type { SenderRefusalCount } from './sender-refusals.ts';

export function selfSnapshot(
  counters: CollectorCounters,
  stats: CollectorStats,
  writer: BatchWriterStats,
  replayer: ReplayStats,
  insertLatency: InsertLatencySeries[],
  refusalsBySender: SenderRefusalCount[],
): SelfTelemetrySnapshot {
  return {
    received: {
      metrics: counters.receivedPoints,
      traces: counters.receivedSpans,
      logs: counters.receivedLogs,
    },
    accepted: {
      metrics: counters.acceptedPoints,
      traces: counters.acceptedSpans,
      logs: counters.acceptedLogs,
    },
    rejected: {
      metrics: counters.rejectedPoints,
      traces: counters.rejectedSpans,
      logs: counters.rejectedLogs,
    },
    writtenByTable: { ...writer.rowsByTable },
    queuedByTable: { ...writer.queuedRowsByTable },
    replayedByTable: { ...replayer.replayedRowsByTable },
    droppedByTable: { ...replayer.droppedRowsByTable },
    badRequests: counters.badRequests,
    throttledRequests: counters.throttledRequests,
    unauthorizedRequests: counters.unauthorizedRequests,
    queueBytes: stats.queueBytes,
    queueBatches: stats.queueBatches,
    inFlightBytes: stats.inFlightBytes,
    storeUp: stats.storeError === null,
    insertLatency,
    refusalsBySender,
  };
}

export interface SelfTelemetryOptions {
  /** 0: only on demand (writeNow). */
  intervalMs: number;
  serviceName?: string;
  instance: string;
  startUnixNano: bigint;
  snapshot(): SelfTelemetrySnapshot;
  ingest(data: ResourceMetrics[]): Promise<unknown>;
}

export function startSelfTelemetry(options: SelfTelemetryOptions) {
  let last = 0n;
  let writing: Promise<void> | undefined;
  const writeNow = async (): Promise<void> => {
    // Strictly increasing times: two writes in one millisecond would be dropped as out of order.
    let now = BigInt(Date.now()) * 1_000_000n;
    if (now <= last) now = last + 1n;
    last = now;
    const data = selfTelemetryMetrics(options.snapshot(), {
      serviceName: options.serviceName ?? 'collector',
      instance: options.instance,
      startUnixNano: options.startUnixNano,
      timeUnixNano: now,
    });
    await options.ingest(data);
  };
  const timer =
    options.intervalMs > 0
      ? setInterval(() => {
          writing ??= writeNow()
            .catch(() => {})
            .finally(() => {
              writing = undefined;
            });
        }, options.intervalMs)
      : undefined;
  timer?.unref();
  return {
    writeNow,
    async stop() {
      clearInterval(timer);
      await writing;
    },
  };
}
