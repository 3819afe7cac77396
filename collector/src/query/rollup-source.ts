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

export function histogramSourceTable(source: HistogramSource): string {
  return source === 'raw' ? 'otel_metrics_histogram' : histogramRollupTable(source);
}

/** histogramAggregates over a rollup table (merging the aggregate states). */
export function histogramRollupAggregates(matchingCondition: string): string {
  return `ExplicitBounds AS bounds, sumForEachMerge(BucketCounts) AS counts, sumMerge(Count) AS count,
      sumMerge(Sum) AS sum, minMerge(Min) AS min, maxMerge(Max) AS max,
      ${matchingCondition ? `sumMergeIf(Count, ${matchingCondition})` : '0'} AS matching`;
}
