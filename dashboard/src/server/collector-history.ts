// The System page's history: the collector's self-telemetry in the store (written every
// COLLECTOR_SELF_TELEMETRY_INTERVAL under its service name, by an in-process collector and a
// separate one alike) turned into the page's chart points for a time range, and its refusals by
// sender over a window. Two store queries for the charts: the counters' deltas per step (one value
// batch) and the insert-time histogram per step (one histogram batch, from the rollups).
import {
  type HistogramBucketRow,
  queryHistogramBatch,
  queryValueBatch,
  selfMetricNames,
} from 'collector/query';
import type { CollectorRates } from '../lib/collector-health.ts';
import { chartWindowOf, TIME_RANGES, type TimeRange } from '../lib/time-range.ts';
import { insertPercentilesMs, rateSelectors, ratesOf } from './collector-from-store.ts';
import type { Services } from './services.ts';
import { readSenderRefusals, type StoredSenderRefusal } from './telemetry-queries.ts';

const M = selfMetricNames;

/**
 * How long after a step ends it is read as complete: the collector's write near the step's end,
 * plus the seconds a small batch may wait before it is stored (the collector gathers light traffic
 * through its on-disk queue) and the insert. The live snapshots cover the edge meanwhile.
 */
export const HISTORY_DELAY_MS = 7_000;

/** The collector's store inserts in one step (ms), timed by the collector. */
export interface InsertLatencyPoint {
  t: number;
  insertP50Ms: number | null;
  insertP95Ms: number | null;
}

export interface CollectorHistory {
  range: TimeRange;
  from: number;
  to: number;
  stepSeconds: number;
  serviceName: string;
  /** One point per step with self-telemetry, `t` at the step's end; steps without any are gaps. */
  rates: CollectorRates[];
  inserts: InsertLatencyPoint[];
}

/**
 * The step for a range: the range's own step rounded up to a multiple of the self-telemetry
 * interval, so every step holds the same number of writes (else rates alternate 1×, 0×, 2×).
 */
export function historyStepSeconds(range: TimeRange, intervalSeconds: number): number {
  const step = TIME_RANGES[range].stepSeconds;
  if (!(intervalSeconds > 0)) return step;
  return Math.ceil(step / intervalSeconds) * intervalSeconds;
}

export async function readCollectorHistory(
  services: Services,
  range: TimeRange,
  now: number,
): Promise<CollectorHistory> {
  const { store, config } = services;
  const serviceName = config.collectorServiceName;
  const stepSeconds = historyStepSeconds(range, config.collectorSelfTelemetrySeconds ?? 10);
  const window = chartWindowOf(range, now, HISTORY_DELAY_MS, stepSeconds);
  // One at a time: the embedded store runs one query at a time anyway.
  const sums = await queryValueBatch(store.client, rateSelectors(serviceName), window, stepSeconds);
  const [insertRows = []] = await queryHistogramBatch(
    store.client,
    [{ metric: M.insertDuration, serviceName }],
    window,
    stepSeconds,
  );
  const stepMs = stepSeconds * 1000;
  const steps = [...new Set(sums.flatMap((bySteps) => [...bySteps.keys()]))].sort((a, b) => a - b);
  // A step some counter has a row in: the others count 0 there (written together, every interval).
  const rates = steps.map((t) => ratesOf(sums, t, stepSeconds, t + stepMs));
  return {
    range,
    from: window.from,
    to: window.to,
    stepSeconds,
    serviceName,
    rates,
    inserts: insertLatencyPoints(insertRows, stepMs),
  };
}

function insertLatencyPoints(rows: readonly HistogramBucketRow[], stepMs: number): InsertLatencyPoint[] {
  const byStep = new Map<number, HistogramBucketRow[]>();
  for (const row of rows) byStep.set(row.t, [...(byStep.get(row.t) ?? []), row]);
  return [...byStep]
    .sort(([a], [b]) => a - b)
    .map(([t, stepRows]) => {
      const { p50Ms, p95Ms } = insertPercentilesMs(stepRows);
      return { t: t + stepMs, insertP50Ms: p50Ms, insertP95Ms: p95Ms };
    })
    .filter((p) => p.insertP50Ms !== null);
}

/** A separate collector's refusals by sender, reason and signal over the window, most items first. */
export function readStoredRefusals(
  services: Services,
  window: { from: number; to: number },
): Promise<StoredSenderRefusal[]> {
  return readSenderRefusals(
    services.store.client,
    services.config.collectorServiceName,
    { items: M.senderRefusedItems, requests: M.senderRefusedRequests },
    window,
  );
}
