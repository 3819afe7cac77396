// Quantiles from explicit-bucket histograms, as Prometheus' histogram_quantile does: find the
// bucket holding the q-th observation and interpolate linearly inside it. Observed min/max, when
// known, clamp the estimate (an upper bucket bound is often far above the real slowest request).
// The same walk gives the estimate's error bound: the bucket it was interpolated in.

export interface Buckets {
  bounds: number[];
  counts: number[];
}

/** What the observations' own min and max say; 0 or absent means not recorded (no clamp). */
export interface Observed {
  min?: number;
  max?: number;
}

/**
 * A histogram quantile with its error bound: `value` is the interpolated estimate, and the true
 * quantile lies in [lower, upper] — the bucket that holds the rank, narrowed by the observed min
 * and max. `upper` is Infinity for the overflow bucket when no max was recorded.
 */
export interface QuantileBounds {
  value: number;
  lower: number;
  upper: number;
}

export function histogramQuantile(buckets: Buckets, q: number, observed?: Observed): number | null {
  return histogramQuantileBounds(buckets, q, observed)?.value ?? null;
}

export function histogramQuantileBounds(
  buckets: Buckets,
  q: number,
  observed?: Observed,
): QuantileBounds | null {
  const { bounds, counts } = buckets;
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0 || counts.length === 0) return null;
  const max = observed?.max !== undefined && observed.max > 0 ? observed.max : undefined;
  const min = observed?.min !== undefined && observed.min > 0 ? observed.min : undefined;
  const last = bounds.at(-1) ?? 0;
  const rank = Math.min(Math.max(q, 0), 1) * total;
  let cumulative = 0;
  let found: QuantileBounds = { value: last, lower: last, upper: last };
  for (let i = 0; i < counts.length; i++) {
    const inBucket = counts[i]!;
    if (cumulative + inBucket >= rank && inBucket > 0) {
      if (i >= bounds.length) {
        // Overflow bucket: nothing to interpolate towards; the observed max is the best answer,
        // and without one the bucket (so the bound) is open above.
        const top = max !== undefined && max > last ? max : undefined;
        found = { value: top ?? last, lower: last, upper: top ?? Number.POSITIVE_INFINITY };
        break;
      }
      const upper = bounds[i]!;
      const lower = i === 0 ? Math.min(0, upper) : bounds[i - 1]!;
      found = { value: lower + ((upper - lower) * (rank - cumulative)) / inBucket, lower, upper };
      break;
    }
    cumulative += inBucket;
  }
  let { value, lower, upper } = found;
  if (max !== undefined) {
    value = Math.min(value, max);
    upper = Math.min(upper, max);
  }
  if (min !== undefined) {
    value = Math.max(value, min);
    lower = Math.max(lower, min);
  }
  // Min and max come from the whole window, the counts may not agree with them exactly (merged
  // layouts, rounding): the bound always holds the value it is shown beside.
  return { value, lower: Math.min(lower, value), upper: Math.max(upper, value) };
}

/** Adds histograms that may use different bounds: each bucket is counted under its own upper bound. */
export function mergeBuckets(parts: Buckets[]): Buckets {
  const first = parts[0];
  if (!first) return { bounds: [], counts: [] };
  const sameBounds = parts.every(
    (p) => p.bounds.length === first.bounds.length && p.bounds.every((b, i) => b === first.bounds[i]),
  );
  if (sameBounds) {
    const counts = new Array<number>(first.bounds.length + 1).fill(0);
    for (const p of parts) {
      for (const [i, c] of p.counts.entries()) counts[i] = (counts[i] ?? 0) + c;
    }
    return { bounds: first.bounds, counts };
  }
  const bounds = [...new Set(parts.flatMap((p) => p.bounds))].sort((a, b) => a - b);
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const p of parts) {
    for (const [i, c] of p.counts.entries()) {
      const upper = p.bounds[i];
      const index = upper === undefined ? bounds.length : bounds.indexOf(upper);
      counts[index] = (counts[index] ?? 0) + c;
    }
  }
  return { bounds, counts };
}
