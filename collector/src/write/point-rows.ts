// A metric point of each kind: its checks (a reason to refuse it, or null) and its row in the
// exporter's table for that kind. Summaries are stored as received, as the OTel Collector's exporter
// does; cumulative points arrive here already converted to delta by the normaliser (metric-rows.ts).
import type {
  Attributes,
  ExponentialHistogramPoint,
  HistogramPoint,
  NumberPoint,
  SummaryPoint,
} from '../otlp/model.ts';
import { exemplarColumns, invalidTimes, isCount, nanosToDateTime64, type Row } from './row-columns.ts';

export function validNumberPoint(p: NumberPoint): string | null {
  const times = invalidTimes(p);
  if (times) return times;
  if (!Number.isFinite(p.value)) return 'non-finite value';
  return null;
}

export function validHistogramPoint(p: HistogramPoint): string | null {
  const times = invalidTimes(p);
  if (times) return times;
  if (!isCount(p.count) || !p.bucketCounts.every(isCount)) return 'counts must be non-negative integers';
  if (!Number.isFinite(p.sum)) return 'non-finite sum';
  if (p.bucketCounts.length > 0 && p.bucketCounts.length !== p.explicitBounds.length + 1)
    return 'bucket_counts must have one more element than explicit_bounds';
  for (let i = 1; i < p.explicitBounds.length; i++)
    if (!(p.explicitBounds[i]! > p.explicitBounds[i - 1]!))
      return 'explicit_bounds must be strictly increasing';
  const total = p.bucketCounts.reduce((a, b) => a + b, 0);
  if (p.bucketCounts.length > 0 && total !== p.count) return 'count differs from the sum of bucket_counts';
  return null;
}

/** The columns every point's row starts with: the metric's, then the point's attributes and times. */
const pointColumns = (
  common: Row,
  p: { attributes: Attributes; startTimeUnixNano: bigint; timeUnixNano: bigint },
): Row => ({
  ...common,
  Attributes: p.attributes,
  StartTimeUnix: nanosToDateTime64(p.startTimeUnixNano),
  TimeUnix: nanosToDateTime64(p.timeUnixNano),
});

/** A gauge or sum point's row (the sum's temporality and monotonicity are added by the caller). */
export function numberRow(common: Row, p: NumberPoint): Row {
  return {
    ...pointColumns(common, p),
    Value: p.value,
    Flags: p.flags,
    ...exemplarColumns(p.exemplars),
  };
}

export function histogramRow(common: Row, p: HistogramPoint, temporality: number): Row {
  return {
    ...pointColumns(common, p),
    Count: p.count,
    Sum: p.sum,
    BucketCounts: p.bucketCounts,
    ExplicitBounds: p.explicitBounds,
    ...exemplarColumns(p.exemplars),
    Flags: p.flags,
    Min: p.min,
    Max: p.max,
    AggregationTemporality: temporality,
  };
}

export function validExponentialPoint(p: ExponentialHistogramPoint): string | null {
  const times = invalidTimes(p);
  if (times) return times;
  const counts = [p.count, p.zeroCount, ...p.positive.bucketCounts, ...p.negative.bucketCounts];
  if (!counts.every(isCount)) return 'counts must be non-negative integers';
  if (!Number.isFinite(p.sum)) return 'non-finite sum';
  if (!Number.isInteger(p.scale) || p.scale < -10 || p.scale > 20) return 'scale must be within -10..20';
  const total =
    p.zeroCount + [...p.positive.bucketCounts, ...p.negative.bucketCounts].reduce((a, b) => a + b, 0);
  if (total !== p.count) return 'count differs from zero_count plus the bucket counts';
  return null;
}

export function validSummaryPoint(p: SummaryPoint): string | null {
  const times = invalidTimes(p);
  if (times) return times;
  if (!isCount(p.count)) return 'count must be a non-negative integer';
  if (!Number.isFinite(p.sum)) return 'non-finite sum';
  if (p.quantileValues.some((q) => !(q.quantile >= 0 && q.quantile <= 1) || Number.isNaN(q.value)))
    return 'quantiles must be within 0..1 with a value';
  return null;
}

export function exponentialHistogramRow(common: Row, p: ExponentialHistogramPoint, temporality: number): Row {
  return {
    ...pointColumns(common, p),
    Count: p.count,
    Sum: p.sum,
    Scale: p.scale,
    ZeroCount: p.zeroCount,
    PositiveOffset: p.positive.offset,
    PositiveBucketCounts: p.positive.bucketCounts,
    NegativeOffset: p.negative.offset,
    NegativeBucketCounts: p.negative.bucketCounts,
    ...exemplarColumns(p.exemplars),
    Flags: p.flags,
    Min: p.min,
    Max: p.max,
    AggregationTemporality: temporality,
  };
}

export function summaryRow(common: Row, p: SummaryPoint): Row {
  return {
    ...pointColumns(common, p),
    Count: p.count,
    Sum: p.sum,
    'ValueAtQuantiles.Quantile': p.quantileValues.map((q) => q.quantile),
    'ValueAtQuantiles.Value': p.quantileValues.map((q) => q.value),
    Flags: p.flags,
  };
}
