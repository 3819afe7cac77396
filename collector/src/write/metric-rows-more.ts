// Rows of otel_metrics_exponential_histogram and otel_metrics_summary. Summaries are stored as
// received, as the OTel Collector's exporter does; cumulative exponential histograms arrive here
// already converted to delta by the normaliser (see rows.ts).
import type { ExponentialHistogramPoint, SummaryPoint } from '../otlp/model.ts';
import { exemplarColumns, invalidTimes, isCount, nanosToDateTime64, type Row } from './row-columns.ts';

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
    ...common,
    Attributes: p.attributes,
    StartTimeUnix: nanosToDateTime64(p.startTimeUnixNano),
    TimeUnix: nanosToDateTime64(p.timeUnixNano),
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
    ...common,
    Attributes: p.attributes,
    StartTimeUnix: nanosToDateTime64(p.startTimeUnixNano),
    TimeUnix: nanosToDateTime64(p.timeUnixNano),
    Count: p.count,
    Sum: p.sum,
    'ValueAtQuantiles.Quantile': p.quantileValues.map((q) => q.quantile),
    'ValueAtQuantiles.Value': p.quantileValues.map((q) => q.value),
    Flags: p.flags,
  };
}
