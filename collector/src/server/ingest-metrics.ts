// Metric ingest shared by every source — OTLP requests, Prometheus scrapes and the collector's own
// telemetry: rows through the one cumulative→delta normaliser, then durable through the writer.
import type { CumulativeToDelta } from '../normalise/cumulative-to-delta.ts';
import type { ResourceMetrics } from '../otlp/model.ts';
import type { BatchWriter } from '../write/batch-writer.ts';
import { metricRows } from '../write/metric-rows.ts';
import type { Rejections } from '../write/rejections.ts';
import type { AcceptedMetricsHub } from './accepted-metrics.ts';

export const metricTables = [
  'otel_metrics_gauge',
  'otel_metrics_sum',
  'otel_metrics_histogram',
  'otel_metrics_exponential_histogram',
  'otel_metrics_summary',
] as const;

export interface MetricIngestCounters {
  receivedPoints: number;
  acceptedPoints: number;
  rejectedPoints: number;
}

/** Resolves once the valid points are durable; invalid ones are counted and described. */
export function createMetricIngest(
  writer: BatchWriter,
  deltas: CumulativeToDelta,
  counters: MetricIngestCounters,
  accepted?: AcceptedMetricsHub,
): (data: ResourceMetrics[]) => Promise<Rejections> {
  return async (data) => {
    const rows = metricRows(data, deltas);
    const stored = metricTables.reduce((n, t) => n + rows[t].length, 0);
    counters.receivedPoints += stored + rows.rejected;
    await Promise.all(metricTables.map((t) => writer.write(t, rows[t])));
    // Durable now: in-process subscribers (the alert engine's live windows) see what was stored.
    accepted?.publish(rows);
    counters.acceptedPoints += stored;
    counters.rejectedPoints += rows.rejected;
    return {
      rejected: rows.rejected,
      rejectReasons: rows.rejectReasons,
      rejectedByService: rows.rejectedByService,
    };
  };
}
