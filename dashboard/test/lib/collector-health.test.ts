import type { CollectorStats } from 'collector';
import { describe, expect, it } from 'vitest';
import {
  appendBounded,
  lossTotals,
  queueOf,
  ratesBetween,
  withLiveEdge,
} from '../../src/lib/collector-health.ts';

const base: CollectorStats = {
  receivedPoints: 0,
  receivedSpans: 0,
  acceptedPoints: 0,
  acceptedSpans: 0,
  rejectedPoints: 0,
  rejectedSpans: 0,
  receivedLogs: 0,
  acceptedLogs: 0,
  rejectedLogs: 0,
  badRequests: 0,
  throttledRequests: 0,
  unauthorizedRequests: 0,
  repeatedRequests: 0,
  writtenRows: 0,
  queuedRows: 0,
  replayedRows: 0,
  droppedRows: 0,
  insertFailures: 0,
  replayFailures: 0,
  queueBytes: 0,
  queueMaxBytes: 1000,
  queueBatches: 0,
  queueFull: false,
  inFlightBytes: 0,
  storeError: null,
  storeInsertLastMinute: { inserts: 0, p50Seconds: null, p95Seconds: null },
};

describe('collector rates', () => {
  it('turns counter growth over the interval into per-second rates', () => {
    const rates = ratesBetween(
      { at: 10_000, stats: base },
      {
        at: 12_000,
        stats: {
          ...base,
          receivedPoints: 400,
          receivedSpans: 10,
          rejectedPoints: 2,
          rejectedSpans: 2,
          badRequests: 1,
          throttledRequests: 1,
          writtenRows: 300,
          droppedRows: 4,
        },
      },
    );
    expect(rates).toMatchObject({
      t: 12_000,
      pointsPerSec: 200,
      spansPerSec: 5,
      rejectedPerSec: 2,
      refusedRequestsPerSec: 1,
      writtenRowsPerSec: 150,
      droppedRowsPerSec: 2,
      queuedRowsPerSec: 0,
    });
  });

  it('gives no rates across a restart (a counter went back) or with no time between samples', () => {
    expect(
      ratesBetween({ at: 0, stats: { ...base, receivedPoints: 50 } }, { at: 2000, stats: base }),
    ).toBeNull();
    expect(ratesBetween({ at: 5, stats: base }, { at: 5, stats: base })).toBeNull();
  });
});

describe('queue and losses', () => {
  it('reports the queue as empty, draining or full with its fill of the bound', () => {
    expect(queueOf(base)).toEqual({ state: 'empty', bytes: 0, maxBytes: 1000, batches: 0, fill: 0 });
    expect(queueOf({ ...base, queueBytes: 250, queueBatches: 3 })).toMatchObject({
      state: 'draining',
      fill: 0.25,
    });
    expect(queueOf({ ...base, queueBytes: 1000, queueBatches: 9, queueFull: true })).toMatchObject({
      state: 'full',
      fill: 1,
    });
  });

  it('adds rejected items over every signal', () => {
    expect(lossTotals({ ...base, rejectedPoints: 1, rejectedSpans: 2, rejectedLogs: 3 }).rejectedItems).toBe(
      6,
    );
  });

  it('keeps only the newest points', () => {
    expect(appendBounded([1, 2, 3], 4, 3)).toEqual([2, 3, 4]);
  });
});

describe('history with a live edge', () => {
  it('appends only the live points after the stored history ends', () => {
    const stored = [{ t: 10 }, { t: 20 }, { t: 30 }];
    const live = [{ t: 25 }, { t: 30 }, { t: 32 }, { t: 34 }];
    expect(withLiveEdge(stored, live, 30)).toEqual([{ t: 10 }, { t: 20 }, { t: 30 }, { t: 32 }, { t: 34 }]);
    // No history yet (still loading): every live point.
    expect(withLiveEdge([], live, Number.NEGATIVE_INFINITY)).toEqual(live);
  });
});
