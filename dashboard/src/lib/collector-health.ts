// The collector's own health as the System page shows it: per-second rates from two samples of its
// cumulative counters, and the queue's fill. Pure, so the arithmetic is tested without a server.
import type { CollectorStats } from 'collector';

export interface CollectorRates {
  /** End of the interval the rates cover (unix ms). */
  t: number;
  pointsPerSec: number;
  spansPerSec: number;
  logsPerSec: number;
  /** Items refused inside valid requests (partial success), all signals. */
  rejectedPerSec: number;
  /** Whole requests refused: malformed, too large, unauthorised, throttled. */
  refusedRequestsPerSec: number;
  writtenRowsPerSec: number;
  queuedRowsPerSec: number;
  replayedRowsPerSec: number;
  droppedRowsPerSec: number;
  insertFailuresPerSec: number;
}

export interface CollectorSample {
  at: number;
  stats: CollectorStats;
}

/** Rates between two samples; null when no time passed or a counter went back (a restart). */
export function ratesBetween(prev: CollectorSample, next: CollectorSample): CollectorRates | null {
  const seconds = (next.at - prev.at) / 1000;
  if (!(seconds > 0)) return null;
  const a = prev.stats;
  const b = next.stats;
  const rate = (...keys: (keyof CollectorStats)[]) => {
    const delta = keys.reduce((sum, k) => sum + Number(b[k]) - Number(a[k]), 0);
    return delta < 0 ? Number.NaN : delta / seconds;
  };
  const out: CollectorRates = {
    t: next.at,
    pointsPerSec: rate('receivedPoints'),
    spansPerSec: rate('receivedSpans'),
    logsPerSec: rate('receivedLogs'),
    rejectedPerSec: rate('rejectedPoints', 'rejectedSpans', 'rejectedLogs'),
    refusedRequestsPerSec: rate('badRequests', 'throttledRequests', 'unauthorizedRequests'),
    writtenRowsPerSec: rate('writtenRows'),
    queuedRowsPerSec: rate('queuedRows'),
    replayedRowsPerSec: rate('replayedRows'),
    droppedRowsPerSec: rate('droppedRows'),
    insertFailuresPerSec: rate('insertFailures'),
  };
  return Object.values(out).some((v) => Number.isNaN(v)) ? null : out;
}

export type QueueState = 'empty' | 'draining' | 'full';

export interface QueueView {
  state: QueueState;
  bytes: number;
  maxBytes: number;
  batches: number;
  /** 0..1 of the bound. */
  fill: number;
}

export function queueOf(stats: CollectorStats): QueueView {
  return {
    state: stats.queueFull ? 'full' : stats.queueBatches > 0 ? 'draining' : 'empty',
    bytes: stats.queueBytes,
    maxBytes: stats.queueMaxBytes,
    batches: stats.queueBatches,
    fill: stats.queueMaxBytes > 0 ? Math.min(1, stats.queueBytes / stats.queueMaxBytes) : 0,
  };
}

/** Totals since the collector started: what was lost or refused, which should stay 0. */
export function lossTotals(stats: CollectorStats) {
  return {
    rejectedItems: stats.rejectedPoints + stats.rejectedSpans + stats.rejectedLogs,
    badRequests: stats.badRequests,
    throttledRequests: stats.throttledRequests,
    unauthorizedRequests: stats.unauthorizedRequests,
    droppedRows: stats.droppedRows,
    insertFailures: stats.insertFailures,
    replayFailures: stats.replayFailures,
  };
}

/** Keeps the last `max` points, oldest first. */
export function appendBounded<T>(points: readonly T[], point: T, max: number): T[] {
  const next = [...points, point];
  return next.length > max ? next.slice(next.length - max) : next;
}

/**
 * A chart's points: the stored history, then the live points after its end (`historyTo`), so the
 * right edge keeps moving between two reads of the history without drawing a step twice.
 */
export function withLiveEdge<T extends { t: number }>(
  history: readonly T[],
  live: readonly T[],
  historyTo: number,
): T[] {
  return [...history, ...live.filter((p) => p.t > historyTo)];
}
