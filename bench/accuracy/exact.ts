// The exact reference: k6's own percentile (metrics/sink.go TrendSink.P at v2.2.0 — linear
// interpolation between the two samples around rank p·(n−1)) over every sample of a group, and the
// relative error of an estimate against it.

export const QUANTILES = [0.5, 0.95, 0.99] as const;
export type Quantile = (typeof QUANTILES)[number];
export const qLabel = (q: Quantile): string => `p${Math.round(q * 100)}`;

/** k6's percentile of ascending values; null without values. */
export function k6Percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  if (sorted.length === 1) return sorted[0]!;
  const i = p * (sorted.length - 1);
  const j = sorted[Math.floor(i)]!;
  const k = sorted[Math.ceil(i)]!;
  return j + (k - j) * (i - Math.floor(i));
}

/** |estimate − exact| / exact; null when either is missing, 0 when both are 0. */
export function relativeError(estimate: number | null, exact: number | null): number | null {
  if (estimate === null || exact === null) return null;
  if (exact === 0) return estimate === 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.abs(estimate - exact) / exact;
}

export type GroupQuantiles = { count: number; values: Record<string, number | null> };

/** Exact quantiles per group from samples. */
export function exactByGroup(
  samples: Iterable<{ group: string; value: number }>,
): Map<string, GroupQuantiles> {
  const values = new Map<string, number[]>();
  for (const s of samples) {
    const list = values.get(s.group) ?? [];
    list.push(s.value);
    values.set(s.group, list);
  }
  const out = new Map<string, GroupQuantiles>();
  for (const [group, list] of values) {
    list.sort((a, b) => a - b);
    out.set(group, {
      count: list.length,
      values: Object.fromEntries(QUANTILES.map((q) => [qLabel(q), k6Percentile(list, q)])),
    });
  }
  return out;
}
