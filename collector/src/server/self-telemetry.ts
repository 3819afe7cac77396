// The collector's own numbers: counters of what it received, accepted, rejected, wrote, queued,
// replayed and dropped, in the Prometheus text exposition format for /metrics, and the readiness
// report for /ready (the store's state as the last writes saw it, and the queue's fill).

import {
  type InsertLatencySeries,
  insertLatencyBounds,
  type RecentInsertLatency,
} from '../write/insert-latency.ts';

/** What the receiver counts as requests arrive (CollectorStats adds the writer's and queue's). */
export interface CollectorCounters {
  requests: number;
  acceptedPoints: number;
  rejectedPoints: number;
  acceptedSpans: number;
  rejectedSpans: number;
  badRequests: number;
  storeErrors: number;
  receivedPoints: number;
  receivedSpans: number;
  throttledRequests: number;
  receivedLogs: number;
  acceptedLogs: number;
  rejectedLogs: number;
  unauthorizedRequests: number;
  /** Requests already acknowledged (a client's retry), answered again without storing them. */
  repeatedRequests: number;
}

export function zeroCounters(): CollectorCounters {
  return {
    requests: 0,
    acceptedPoints: 0,
    rejectedPoints: 0,
    acceptedSpans: 0,
    rejectedSpans: 0,
    badRequests: 0,
    storeErrors: 0,
    receivedPoints: 0,
    receivedSpans: 0,
    throttledRequests: 0,
    receivedLogs: 0,
    acceptedLogs: 0,
    rejectedLogs: 0,
    unauthorizedRequests: 0,
    repeatedRequests: 0,
  };
}

export interface CollectorStats {
  receivedPoints: number;
  receivedSpans: number;
  acceptedPoints: number;
  acceptedSpans: number;
  rejectedPoints: number;
  rejectedSpans: number;
  receivedLogs: number;
  acceptedLogs: number;
  rejectedLogs: number;
  /** Requests refused whole: 4xx for bad input, 429/503 when it cannot take more. */
  badRequests: number;
  throttledRequests: number;
  /** Requests refused with 401 (missing or wrong ingest API key). */
  unauthorizedRequests: number;
  /** Retries of acknowledged requests, answered from the ledger without storing them again. */
  repeatedRequests: number;
  /** Rows inserted straight into the store. */
  writtenRows: number;
  /** Rows appended to the on-disk queue (the store was failing, slow, or behind). */
  queuedRows: number;
  /** Rows the replayer inserted from the queue. */
  replayedRows: number;
  /** Acknowledged rows the store refused for good (kept in the queue's dead-letter folder). */
  droppedRows: number;
  insertFailures: number;
  replayFailures: number;
  queueBytes: number;
  queueMaxBytes: number;
  queueBatches: number;
  queueFull: boolean;
  inFlightBytes: number;
  storeError: string | null;
  /** Store insert times over the last minute (p50/p95 in seconds, null without inserts). */
  storeInsertLastMinute: RecentInsertLatency;
}

const counters: [keyof CollectorStats, string, string][] = [
  [
    'receivedPoints',
    'otelcol_receiver_received_metric_points_total',
    'Data points received in valid requests.',
  ],
  ['receivedSpans', 'otelcol_receiver_received_spans_total', 'Spans received in valid requests.'],
  ['acceptedPoints', 'otelcol_receiver_accepted_metric_points_total', 'Data points acknowledged (durable).'],
  ['acceptedSpans', 'otelcol_receiver_accepted_spans_total', 'Spans acknowledged (durable).'],
  [
    'rejectedPoints',
    'otelcol_receiver_refused_metric_points_total',
    'Invalid data points (partial success).',
  ],
  ['rejectedSpans', 'otelcol_receiver_refused_spans_total', 'Invalid spans (partial success).'],
  ['receivedLogs', 'otelcol_receiver_received_log_records_total', 'Log records received in valid requests.'],
  ['acceptedLogs', 'otelcol_receiver_accepted_log_records_total', 'Log records acknowledged (durable).'],
  ['rejectedLogs', 'otelcol_receiver_refused_log_records_total', 'Invalid log records (partial success).'],
  [
    'badRequests',
    'collector_bad_requests_total',
    'Requests refused as malformed, too large or of a wrong type.',
  ],
  ['throttledRequests', 'collector_throttled_requests_total', 'Requests refused with 429/503 (overload).'],
  [
    'unauthorizedRequests',
    'collector_unauthorized_requests_total',
    'Requests refused with 401 (missing or wrong API key).',
  ],
  [
    'repeatedRequests',
    'collector_repeated_requests_total',
    'Retries of acknowledged requests, answered again without storing them.',
  ],
  ['writtenRows', 'collector_written_rows_total', 'Rows inserted directly into the store.'],
  ['queuedRows', 'collector_queued_rows_total', 'Rows appended to the on-disk queue.'],
  ['replayedRows', 'collector_replayed_rows_total', 'Rows inserted from the on-disk queue.'],
  [
    'droppedRows',
    'collector_dropped_rows_total',
    'Acknowledged rows the store refused for good (dead-lettered).',
  ],
  ['insertFailures', 'collector_insert_failures_total', 'Direct inserts that failed or timed out.'],
  ['replayFailures', 'collector_replay_failures_total', 'Replay attempts that failed.'],
];

const gauges: [keyof CollectorStats, string, string][] = [
  ['queueBytes', 'collector_queue_bytes', 'Bytes waiting in the on-disk queue.'],
  ['queueMaxBytes', 'collector_queue_max_bytes', 'Bound of the on-disk queue.'],
  ['queueBatches', 'collector_queue_batches', 'Batches waiting in the on-disk queue.'],
  ['inFlightBytes', 'collector_in_flight_bytes', 'Request bytes being decoded or awaiting durability.'],
];

/** A Prometheus histogram (cumulative `le` buckets) per signal and outcome. */
function insertDurationLines(series: InsertLatencySeries[]): string[] {
  const name = 'collector_store_insert_duration_seconds';
  const lines = [
    `# HELP ${name} Time the store took per insert (direct or replayed), by signal and outcome.`,
    `# TYPE ${name} histogram`,
  ];
  for (const s of series) {
    const labels = `signal="${s.signal}",outcome="${s.outcome}"`;
    let cumulative = 0;
    s.bucketCounts.forEach((n, i) => {
      cumulative += n;
      const le = i < insertLatencyBounds.length ? String(insertLatencyBounds[i]) : '+Inf';
      lines.push(`${name}_bucket{${labels},le="${le}"} ${cumulative}`);
    });
    lines.push(`${name}_sum{${labels}} ${s.sum}`, `${name}_count{${labels}} ${s.count}`);
  }
  return lines;
}

export function prometheusText(stats: CollectorStats, insertLatency: InsertLatencySeries[] = []): string {
  const lines: string[] = [];
  for (const [kind, list] of [
    ['counter', counters],
    ['gauge', gauges],
  ] as const)
    for (const [key, name, help] of list) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${kind}`, `${name} ${Number(stats[key])}`);
    }
  lines.push(
    '# HELP collector_queue_full Whether the on-disk queue refuses new batches (503 to clients).',
    '# TYPE collector_queue_full gauge',
    `collector_queue_full ${stats.queueFull ? 1 : 0}`,
    '# HELP collector_store_up Whether the last write to the store succeeded.',
    '# TYPE collector_store_up gauge',
    `collector_store_up ${stats.storeError === null ? 1 : 0}`,
    ...insertDurationLines(insertLatency),
  );
  return `${lines.join('\n')}\n`;
}

export interface Readiness {
  ready: boolean;
  store: { state: 'ok' | 'failing'; error: string | null };
  queue: { state: 'empty' | 'draining' | 'full'; bytes: number; maxBytes: number; batches: number };
}

/** Ready while data can still be made durable: the queue has room, whatever the store's state. */
export function readiness(stats: CollectorStats): Readiness {
  const full = stats.queueFull;
  return {
    ready: !full,
    store: { state: stats.storeError === null ? 'ok' : 'failing', error: stats.storeError },
    queue: {
      state: full ? 'full' : stats.queueBatches > 0 ? 'draining' : 'empty',
      bytes: stats.queueBytes,
      maxBytes: stats.queueMaxBytes,
      batches: stats.queueBatches,
    },
  };
}
