// How long the store takes to take a batch: every insert (direct or replayed) is timed into a
// histogram per signal and outcome (success | failure). Cumulative counts feed /metrics and the
// self-telemetry written into the store; 10 s slots of the last minute give the live p50/p95.
import { histogramQuantile } from '../query/histogram.ts';

export type InsertOutcome = 'success' | 'failure';

/** Seconds; from sub-millisecond embedded inserts up to the slowest a timeout lets through. */
export const insertLatencyBounds = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

export interface InsertLatencySeries {
  signal: string;
  outcome: InsertOutcome;
  /** Per bucket (not cumulative), one more than the bounds (the overflow bucket last). */
  bucketCounts: number[];
  count: number;
  sum: number;
  min: number;
  max: number;
}

export interface RecentInsertLatency {
  /** Inserts timed in the last minute (all signals and outcomes). */
  inserts: number;
  p50Seconds: number | null;
  p95Seconds: number | null;
}

const SLOT_MS = 10_000;
const WINDOW_SLOTS = 6;

function bucketOf(seconds: number): number {
  const i = insertLatencyBounds.findIndex((bound) => seconds <= bound);
  return i === -1 ? insertLatencyBounds.length : i;
}

export class InsertLatency {
  private readonly series = new Map<string, InsertLatencySeries>();
  /** Bucket counts of every insert, per 10 s slot (keyed by slot number), newest last. */
  private readonly slots = new Map<number, number[]>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  record(signal: string, outcome: InsertOutcome, seconds: number): void {
    const key = `${signal}\u0000${outcome}`;
    let s = this.series.get(key);
    if (!s) {
      s = {
        signal,
        outcome,
        bucketCounts: new Array(insertLatencyBounds.length + 1).fill(0),
        count: 0,
        sum: 0,
        min: seconds,
        max: seconds,
      };
      this.series.set(key, s);
    }
    const bucket = bucketOf(seconds);
    s.bucketCounts[bucket]!++;
    s.count++;
    s.sum += seconds;
    s.min = Math.min(s.min, seconds);
    s.max = Math.max(s.max, seconds);

    const slot = Math.floor(this.now() / SLOT_MS);
    let counts = this.slots.get(slot);
    if (!counts) {
      counts = new Array(insertLatencyBounds.length + 1).fill(0);
      this.slots.set(slot, counts);
      for (const old of this.slots.keys()) if (old <= slot - WINDOW_SLOTS) this.slots.delete(old);
    }
    counts[bucket]!++;
  }

  /** Cumulative since start, one entry per signal and outcome seen. */
  snapshot(): InsertLatencySeries[] {
    return [...this.series.values()].map((s) => ({ ...s, bucketCounts: [...s.bucketCounts] }));
  }

  /** p50/p95 of the inserts in the last minute (the current 10 s slot and the five before). */
  recent(): RecentInsertLatency {
    const current = Math.floor(this.now() / SLOT_MS);
    const counts = new Array<number>(insertLatencyBounds.length + 1).fill(0);
    for (const [slot, slotCounts] of this.slots) {
      if (slot <= current - WINDOW_SLOTS) continue;
      for (let i = 0; i < counts.length; i++) counts[i]! += slotCounts[i] ?? 0;
    }
    const buckets = { bounds: [...insertLatencyBounds], counts };
    return {
      inserts: counts.reduce((a, b) => a + b, 0),
      p50Seconds: histogramQuantile(buckets, 0.5),
      p95Seconds: histogramQuantile(buckets, 0.95),
    };
  }
}
