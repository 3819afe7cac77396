// Quantiles from explicit-bucket histograms, as Prometheus' histogram_quantile does: find the
// bucket holding the q-th observation and interpolate linearly inside it. Observed min/max, when
// known, clamp the estimate (an upper bucket bound is often far above the real slowest request).

export interface Buckets {
  bounds: number[];
  counts: number[];
}

export function histogramQuantile(
  buckets: Buckets,
  q: number,
  observed?: { min?: number; max?: number },
): number | null {
  const { bounds, counts } = buckets;
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0 || counts.length === 0) return null;
  const rank = Math.min(Math.max(q, 0), 1) * total;
  let cumulative = 0;
  let estimate: number = bounds.at(-1) ?? 0;
  for (let i = 0; i < counts.length; i++) {
    const inBucket = counts[i]!;
    if (cumulative + inBucket >= rank && inBucket > 0) {
      if (i >= bounds.length) {
        // Overflow bucket: nothing to interpolate towards; the observed max is the best answer.
        estimate = observed?.max && observed.max > (bounds.at(-1) ?? 0) ? observed.max : (bounds.at(-1) ?? 0);
        break;
      }
      const upper = bounds[i]!;
      const lower = i === 0 ? Math.min(0, upper) : bounds[i - 1]!;
      estimate = lower + ((upper - lower) * (rank - cumulative)) / inBucket;
      break;
    }
    cumulative += inBucket;
  }
  if (observed?.max !== undefined && observed.max > 0 && estimate > observed.max) estimate = observed.max;
  if (observed?.min !== undefined && observed.min > 0 && estimate < observed.min) estimate = observed.min;
  return estimate;
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
