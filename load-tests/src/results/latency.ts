// One view over both histogram layouts k6 can export: explicit buckets (k6's default) or OTel
// exponential buckets. Results only need counts, percentiles and a distribution to draw.
import {
  type ExpHistogramSummary,
  expHistogramBuckets,
  expHistogramQuantile,
  type HistogramSummary,
  quantileOf,
} from 'collector/query';

export type DistributionBucket = { lowerMs: number; upperMs: number; count: number };

export type LatencyHistogram = {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Exponential histograms: their (coarsest) scale, which bounds a percentile's relative error. */
  scale?: number;
  quantile(q: number): number | null;
  distribution(): DistributionBucket[];
};

/** Percentiles of one k6 Trend (ms); null = no data. */
export type LatencyStats = {
  count: number;
  avgMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
};

export function latencyOfExplicit(s: HistogramSummary): LatencyHistogram {
  return {
    count: s.count,
    sum: s.sum,
    min: s.min,
    max: s.max,
    quantile: (q) => quantileOf(s, q),
    distribution: () =>
      s.buckets.counts
        .map((count, i) => ({
          lowerMs: i === 0 ? Math.min(0, s.buckets.bounds[0] ?? 0) : s.buckets.bounds[i - 1]!,
          upperMs: s.buckets.bounds[i] ?? Math.max(s.max, s.buckets.bounds.at(-1) ?? 0),
          count,
        }))
        .filter((b) => b.count > 0),
  };
}

export function latencyOfExponential(s: ExpHistogramSummary): LatencyHistogram {
  return {
    count: s.count,
    sum: s.sum,
    min: s.min,
    max: s.max,
    scale: s.scale,
    quantile: (q) => expHistogramQuantile(s, q),
    distribution: () =>
      expHistogramBuckets(s, 2).map((b) => ({ lowerMs: b.lower, upperMs: b.upper, count: b.count })),
  };
}

export function latencyStats(h: LatencyHistogram | undefined): LatencyStats {
  if (!h || h.count === 0)
    return { count: 0, avgMs: null, p50Ms: null, p90Ms: null, p95Ms: null, p99Ms: null, maxMs: null };
  return {
    count: h.count,
    avgMs: h.sum / h.count,
    p50Ms: h.quantile(0.5),
    p90Ms: h.quantile(0.9),
    p95Ms: h.quantile(0.95),
    p99Ms: h.quantile(0.99),
    maxMs: h.max,
  };
}
