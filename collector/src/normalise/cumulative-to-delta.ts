// Converts cumulative sums and histograms to delta per series, as the OTel Collector's
// cumulativetodelta processor does: the first point of a series is a baseline unless the series
// is known to have started after this collector (then the whole value is the first delta);
// a value that goes down, or a new start time, is a reset and passes through as is.
// The series cache is bounded: least recently seen series are evicted first. Its state can be
// saved at shutdown and restored at start (delta-state-file.ts), so the first point after a restart
// yields the true delta instead of a new baseline.
import type { ExponentialHistogramPoint, HistogramPoint, NumberPoint } from '../otlp/model.ts';
import { subtractExponential } from './exponential-delta.ts';

interface SumState {
  start: bigint;
  time: bigint;
  value: number;
}
interface HistogramState {
  start: bigint;
  time: bigint;
  count: number;
  sum: number;
  buckets: number[];
}

/** The last point of every series, oldest first: what a restart needs to go on. */
export interface CumulativeState {
  sums: [string, SumState][];
  histograms: [string, HistogramState][];
  exponentials: [string, ExponentialHistogramPoint][];
}

export interface CumulativeToDeltaOptions {
  maxSeries?: number;
  /** Series that started at or after this time (ns) emit their first point whole. */
  startedAtUnixNano?: bigint;
}

export class CumulativeToDelta {
  private readonly sums = new Map<string, SumState>();
  private readonly histograms = new Map<string, HistogramState>();
  private readonly exponentials = new Map<string, ExponentialHistogramPoint>();
  private readonly maxSeries: number;
  private readonly startedAt: bigint;

  constructor(options: CumulativeToDeltaOptions = {}) {
    this.maxSeries = options.maxSeries ?? 100_000;
    this.startedAt = options.startedAtUnixNano ?? BigInt(Date.now()) * 1_000_000n;
  }

  state(): CumulativeState {
    return { sums: [...this.sums], histograms: [...this.histograms], exponentials: [...this.exponentials] };
  }

  /** Takes over a saved state (before any point arrives); series beyond maxSeries are dropped, oldest first. */
  restore(state: CumulativeState): void {
    for (const [key, value] of state.sums) this.remember(this.sums, key, value);
    for (const [key, value] of state.histograms) this.remember(this.histograms, key, value);
    for (const [key, value] of state.exponentials) this.remember(this.exponentials, key, value);
  }

  get seriesCount(): number {
    return this.sums.size + this.histograms.size + this.exponentials.size;
  }

  /** Returns the delta point, or null when the point only sets a baseline or is out of order. */
  sum(seriesKey: string, point: NumberPoint): NumberPoint | null {
    const previous = this.sums.get(seriesKey);
    this.remember(this.sums, seriesKey, {
      start: point.startTimeUnixNano,
      time: point.timeUnixNano,
      value: point.value,
    });
    if (!previous) return this.isNewSeries(point.startTimeUnixNano) ? point : null;
    if (point.timeUnixNano <= previous.time) {
      this.sums.set(seriesKey, previous);
      return null;
    }
    const reset = point.startTimeUnixNano !== previous.start || point.value < previous.value;
    if (reset) return point;
    return { ...point, startTimeUnixNano: previous.time, value: point.value - previous.value };
  }

  histogram(seriesKey: string, point: HistogramPoint): HistogramPoint | null {
    const previous = this.histograms.get(seriesKey);
    this.remember(this.histograms, seriesKey, {
      start: point.startTimeUnixNano,
      time: point.timeUnixNano,
      count: point.count,
      sum: point.sum,
      buckets: point.bucketCounts,
    });
    if (!previous) return this.isNewSeries(point.startTimeUnixNano) ? point : null;
    if (point.timeUnixNano <= previous.time) {
      this.histograms.set(seriesKey, previous);
      return null;
    }
    const reset =
      point.startTimeUnixNano !== previous.start ||
      point.count < previous.count ||
      point.bucketCounts.length !== previous.buckets.length ||
      point.bucketCounts.some((c, i) => c < (previous.buckets[i] ?? 0));
    if (reset) return point;
    return {
      ...point,
      startTimeUnixNano: previous.time,
      count: point.count - previous.count,
      sum: point.sum - previous.sum,
      bucketCounts: point.bucketCounts.map((c, i) => c - (previous.buckets[i] ?? 0)),
      // min/max are over the whole cumulative period and can't be narrowed to the delta.
      min: point.min,
      max: point.max,
    };
  }

  /**
   * Exponential histograms: the two points are brought to the smaller scale (the SDK lowers its
   * scale as the range of values grows; merging adjacent buckets is exact), then subtracted per
   * bucket. A bucket that shrank, or a lower count, is a reset and passes through.
   */
  exponentialHistogram(
    seriesKey: string,
    point: ExponentialHistogramPoint,
  ): ExponentialHistogramPoint | null {
    const previous = this.exponentials.get(seriesKey);
    this.remember(this.exponentials, seriesKey, point);
    if (!previous) return this.isNewSeries(point.startTimeUnixNano) ? point : null;
    if (point.timeUnixNano <= previous.timeUnixNano) {
      this.exponentials.set(seriesKey, previous);
      return null;
    }
    if (point.startTimeUnixNano !== previous.startTimeUnixNano) return point;
    return subtractExponential(point, previous) ?? point;
  }

  private isNewSeries(start: bigint): boolean {
    return start > 0n && start >= this.startedAt;
  }

  private remember<T>(map: Map<string, T>, key: string, state: T): void {
    map.delete(key);
    map.set(key, state);
    if (this.seriesCount > this.maxSeries) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
  }
}
