// Delta of two cumulative exponential-histogram points of one series (OTLP base-2 buckets: at
// scale s, bucket i holds values in (2^(i/2^s), 2^((i+1)/2^s)]). Lowering the scale by d merges
// each 2^d adjacent buckets: index i → i >> d (floor, also for negative indexes), which is exact,
// so both points are brought to the smaller scale before subtracting.
import type { ExponentialBuckets, ExponentialHistogramPoint } from '../otlp/model.ts';

/** The buckets at a scale lower by `by` (≥ 0). */
export function downscale(buckets: ExponentialBuckets, by: number): ExponentialBuckets {
  if (by === 0 || buckets.bucketCounts.length === 0) return buckets;
  const offset = buckets.offset >> by;
  const last = (buckets.offset + buckets.bucketCounts.length - 1) >> by;
  const counts = new Array<number>(last - offset + 1).fill(0);
  buckets.bucketCounts.forEach((c, j) => {
    const index = ((buckets.offset + j) >> by) - offset;
    counts[index] = (counts[index] ?? 0) + c;
  });
  return { offset, bucketCounts: counts };
}

/** current − previous per bucket, or null when a bucket shrank (a reset). */
function subtractBuckets(
  current: ExponentialBuckets,
  previous: ExponentialBuckets,
): ExponentialBuckets | null {
  const counts = [...current.bucketCounts];
  for (let j = 0; j < previous.bucketCounts.length; j++) {
    const c = previous.bucketCounts[j]!;
    if (c === 0) continue;
    const at = previous.offset + j - current.offset;
    if (at < 0 || at >= counts.length || counts[at]! < c) return null;
    counts[at]! -= c;
  }
  return { offset: current.offset, bucketCounts: counts };
}

export function subtractExponential(
  current: ExponentialHistogramPoint,
  previous: ExponentialHistogramPoint,
): ExponentialHistogramPoint | null {
  if (current.count < previous.count || current.zeroCount < previous.zeroCount) return null;
  const scale = Math.min(current.scale, previous.scale);
  const at = (p: ExponentialHistogramPoint, side: 'positive' | 'negative') =>
    downscale(p[side], p.scale - scale);
  const positive = subtractBuckets(at(current, 'positive'), at(previous, 'positive'));
  const negative = subtractBuckets(at(current, 'negative'), at(previous, 'negative'));
  if (!positive || !negative) return null;
  return {
    ...current,
    startTimeUnixNano: previous.timeUnixNano,
    scale,
    count: current.count - previous.count,
    sum: current.sum - previous.sum,
    zeroCount: current.zeroCount - previous.zeroCount,
    positive,
    negative,
    // min/max cover the whole cumulative period; they can't be narrowed to the delta.
  };
}
