// The collector's health when it runs in its own process (docker-compose, COLLECTOR_ENABLED=false):
// read from the self-telemetry it writes into the store under its own service name, with the
// shared query builder. Rates are over the last minute (it writes every 10 s by default). Two
// store queries — the counters and gauges in one value batch, the insert times in one histogram
// batch — since the embedded store runs one query at a time; the page's history
// (collector-history.ts) reads the same counters per step through the same selectors.
import {
  type HistogramBucketRow,
  quantileOf,
  queryHistogramBatch,
  queryValueBatch,
  selfMetricNames,
  statOfValues,
  summarise,
  type ValueSelector,
} from 'collector/query';
import type { CollectorRates, QueueView } from '../lib/collector-health.ts';
import type { Services } from './services.ts';

export const STORE_RATE_WINDOW_MS = 60_000;

const M = selfMetricNames;

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

type RateKey = Exclude<keyof CollectorRates, 't'>;

/** Which self-telemetry counter (and signal) each rate sums. Insert failures are not among them. */
const RATE_SOURCES: readonly (readonly [RateKey, string, string | null])[] = [
  ['pointsPerSec', M.received, 'metrics'],
  ['spansPerSec', M.received, 'traces'],
  ['logsPerSec', M.received, 'logs'],
  ['rejectedPerSec', M.rejected, null],
  ['refusedRequestsPerSec', M.refusedRequests, null],
  ['writtenRowsPerSec', M.written, null],
  ['queuedRowsPerSec', M.queued, null],
  ['replayedRowsPerSec', M.replayed, null],
  ['droppedRowsPerSec', M.dropped, null],
];

/** The counters' selectors, in RATE_SOURCES order, for a value batch. */
export function rateSelectors(serviceName: string): ValueSelector[] {
  return RATE_SOURCES.map(([, metric, signal]) => ({
    kind: 'sum',
    metric,
    serviceName,
    where: signal ? [{ key: 'signal', op: '=', value: signal }] : undefined,
  }));
}

/**
 * The rates of one step (or the window, step 0) ending at `t`, from the value rows of
 * rateSelectors (by selector index): 0 for a counter without a row there, and for insert failures
 * (the collector does not write them).
 */
export function ratesOf(
  rows: readonly (Map<number, Record<string, unknown>> | undefined)[],
  step: number,
  seconds: number,
  t: number,
): CollectorRates {
  const rates = { t, insertFailuresPerSec: 0 } as CollectorRates;
  RATE_SOURCES.forEach(([key], i) => {
    rates[key] = statOfValues(rows[i]?.get(step), 'rate', seconds) ?? 0;
  });
  return rates;
}

/** p50 and p95 (ms) of the collector's insert times in these histogram rows. */
export function insertPercentilesMs(rows: HistogramBucketRow[]) {
  const summary = summarise(rows);
  const ms = (q: number) => {
    const seconds = quantileOf(summary, q);
    return seconds === null ? null : seconds * 1000;
  };
  return { count: summary.count, p50Ms: ms(0.5), p95Ms: ms(0.95) };
}

/** null when the collector has written no self-telemetry in the window. */
export async function collectorHealthFromStore(
  services: Services,
  serviceName: string,
  nowMs: number,
): Promise<StoreCollectorHealth | null> {
  const { store } = services;
  const window = { from: nowMs - STORE_RATE_WINDOW_MS, to: nowMs };
  const gauges = [M.queueBytes, M.queueBatches, M.inFlightBytes, M.storeUp];
  const sums = rateSelectors(serviceName);
  const rows = await queryValueBatch(
    store.client,
    [...sums, ...gauges.map((metric): ValueSelector => ({ kind: 'gauge', metric, serviceName }))],
    window,
  );
  // Every signal and outcome together: the store's latency as the collector's inserts see it.
  const [insertRows = []] = await queryHistogramBatch(
    store.client,
    [{ metric: M.insertDuration, serviceName }],
    window,
  );
  const [queueBytes, queueBatches, inFlightBytes, storeUp] = gauges.map((_, i) =>
    statOfValues(rows[sums.length + i]?.get(0), 'last', STORE_RATE_WINDOW_MS / 1000),
  );
  if (!sums.some((_, i) => rows[i]?.has(0)) && storeUp === null) return null;
  const inserts = insertPercentilesMs(insertRows);
  return {
    rates: ratesOf(rows, 0, STORE_RATE_WINDOW_MS / 1000, nowMs),
    queue:
      queueBytes === null || queueBytes === undefined
        ? null
        : {
            state: (queueBatches ?? 0) > 0 ? 'draining' : 'empty',
            bytes: queueBytes,
            maxBytes: 0,
            batches: queueBatches ?? 0,
            fill: 0,
          },
    inFlightBytes: inFlightBytes ?? null,
    storeUp: storeUp === null || storeUp === undefined ? null : storeUp >= 1,
    insertLatency: {
      windowMs: STORE_RATE_WINDOW_MS,
      inserts: inserts.count,
      p50Ms: inserts.p50Ms,
      p95Ms: inserts.p95Ms,
    },
  };
}
