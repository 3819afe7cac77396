// Which table answers a histogram query: the 1 min or 10 s rollup when the window and step fall
// on its buckets (so the answer is exactly the raw table's), the raw table otherwise.
import { histogramRollupTable, type RollupResolution, rollupSeconds } from '../store/schema-rollups.ts';

export type HistogramSource = 'raw' | RollupResolution;

export interface SourceWindow {
  from: number | Date;
  to: number | Date;
}

const ms = (t: number | Date) => (typeof t === 'number' ? Math.round(t) : t.getTime());

/** Shortest window each rollup serves (shorter windows read raw rows: cheap and exact anyway). */
export const rollupMinWindowSeconds: Record<RollupResolution, number> = { '1m': 3600, '10s': 600 };

/**
 * The coarsest rollup whose buckets tile the window and the step exactly: 1 min for windows
 * ≥ 1 h, 10 s for windows ≥ 10 min, else raw. Without a step the whole window is one bucket.
 */
export function chooseHistogramSource(window: SourceWindow, stepSeconds?: number): HistogramSource {
  const from = ms(window.from);
  const to = ms(window.to);
  const span = (to - from) / 1000;
  for (const r of ['1m', '10s'] as const) {
    const res = rollupSeconds[r];
    const aligned = from % (res * 1000) === 0 && to % (res * 1000) === 0;
    const stepFits = stepSeconds === undefined || (Number.isInteger(stepSeconds) && stepSeconds % res === 0);
    if (aligned && stepFits && span >= rollupMinWindowSeconds[r]) return r;
  }
  return 'raw';
}

export interface SourcePart {
  source: HistogramSource;
  window: { from: number; to: number };
}

/**
 * The window cut into parts each read from one table: the longest stretch the coarsest fitting
 * rollup tiles exactly, with raw rows only for the unaligned head and tail (a window ending
 * "now" reads rollups for all but its last, partial bucket). A rollup bucket always holds exactly
 * the raw rows of its interval — the views fill it on insert — so the parts' union equals raw.
 * With a step, a rollup is used only if the step is a whole number of its buckets.
 */
export function planWindowSources(window: SourceWindow, stepSeconds?: number): SourcePart[] {
  const from = ms(window.from);
  const to = ms(window.to);
  for (const r of ['1m', '10s'] as const) {
    const res = rollupSeconds[r] * 1000;
    const stepFits =
      stepSeconds === undefined || (Number.isInteger(stepSeconds) && (stepSeconds * 1000) % res === 0);
    const start = Math.ceil(from / res) * res;
    const end = Math.floor(to / res) * res;
    if (!stepFits || end - start < rollupMinWindowSeconds[r] * 1000) continue;
    const parts: SourcePart[] = [];
    if (from < start) parts.push({ source: 'raw', window: { from, to: start } });
    parts.push({ source: r, window: { from: start, to: end } });
    if (end < to) parts.push({ source: 'raw', window: { from: end, to } });
    return parts;
  }
  return [{ source: 'raw', window: { from, to } }];
}

export function histogramSourceTable(source: HistogramSource): string {
  return source === 'raw' ? 'otel_metrics_histogram' : histogramRollupTable(source);
}

/** valueAggregates' sum-derived columns (n, total, part) over a sum rollup table. */
export function sumRollupAggregates(partCondition: string): string {
  return `countMerge(Points) AS n, sumMerge(Value) AS total,
      ${partCondition ? `sumMergeIf(Value, ${partCondition})` : '0'} AS part`;
}

/** histogramAggregates over a rollup table (merging the aggregate states). */
export function histogramRollupAggregates(matchingCondition: string): string {
  return `ExplicitBounds AS bounds, sumForEachMerge(BucketCounts) AS counts, sumMerge(Count) AS count,
      sumMerge(Sum) AS sum, minMerge(Min) AS min, maxMerge(Max) AS max,
      ${matchingCondition ? `sumMergeIf(Count, ${matchingCondition})` : '0'} AS matching`;
}
