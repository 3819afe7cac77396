// The in-process subscription to accepted metric batches: once a batch's rows are durable (the
// moment the client is answered 200), each listener gets them, so an alert engine in the same
// process can evaluate on arriving data instead of polling the store. The rows are exactly the
// ones stored (after cumulative → delta), typed here as the columns a listener may read.
import type { Row } from '../write/row-columns.ts';

/** Columns every accepted metric row carries (the exporter's column names). */
export interface AcceptedRowCommon {
  ServiceName: string;
  MetricName: string;
  Attributes: Readonly<Record<string, string>>;
  ResourceAttributes: Readonly<Record<string, string>>;
  ScopeName: string;
  /** DateTime64(9) as "seconds.nanoseconds" (see dateTime64ToUnixMillis). */
  TimeUnix: string;
  StartTimeUnix: string;
}

export interface AcceptedHistogramRow extends AcceptedRowCommon {
  Count: number;
  Sum: number;
  BucketCounts: readonly number[];
  ExplicitBounds: readonly number[];
  Min: number;
  Max: number;
}

export interface AcceptedValueRow extends AcceptedRowCommon {
  Value: number;
}

/** One accepted batch: rows of the histogram, sum and gauge tables (delta histograms and sums). */
export interface AcceptedMetrics {
  histogram: readonly AcceptedHistogramRow[];
  sum: readonly AcceptedValueRow[];
  gauge: readonly AcceptedValueRow[];
}

export type AcceptedMetricsListener = (batch: AcceptedMetrics) => void;

/** "S.NNNNNNNNN" → whole Unix milliseconds, rounded down (exact for comparisons with whole ms). */
export function dateTime64ToUnixMillis(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return Number(text) * 1000;
  return Number(text.slice(0, dot)) * 1000 + Number(text.slice(dot + 1, dot + 4).padEnd(3, '0'));
}

export interface AcceptedMetricsHub {
  subscribe(listener: AcceptedMetricsListener): () => void;
  /** Hands rows already durable to every listener; a listener that throws is logged, never the caller's problem. */
  publish(rows: { otel_metrics_histogram: Row[]; otel_metrics_sum: Row[]; otel_metrics_gauge: Row[] }): void;
}

export function createAcceptedMetricsHub(log: (line: string) => void): AcceptedMetricsHub {
  const listeners = new Set<AcceptedMetricsListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(rows) {
      if (listeners.size === 0) return;
      const n =
        rows.otel_metrics_histogram.length + rows.otel_metrics_sum.length + rows.otel_metrics_gauge.length;
      if (n === 0) return;
      // metricRows builds these rows with exactly the columns typed above.
      const batch: AcceptedMetrics = {
        histogram: rows.otel_metrics_histogram as unknown as AcceptedHistogramRow[],
        sum: rows.otel_metrics_sum as unknown as AcceptedValueRow[],
        gauge: rows.otel_metrics_gauge as unknown as AcceptedValueRow[],
      };
      for (const listener of listeners) {
        try {
          listener(batch);
        } catch (e) {
          log(`an accepted-metrics listener failed: ${String(e)}`);
        }
      }
    },
  };
}
