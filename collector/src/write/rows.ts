// Maps decoded OTLP data to rows of the exporter's tables. Invalid points are counted as
// rejected (→ OTLP partial_success) instead of failing the whole request.
import { createHash } from 'node:crypto';
import type { CumulativeToDelta } from '../normalise/cumulative-to-delta.ts';
import {
  type Attributes,
  type HistogramPoint,
  type NumberPoint,
  type ResourceMetrics,
  type ResourceSpans,
  type Scope,
  Temporality,
} from '../otlp/model.ts';
import {
  exponentialHistogramRow,
  summaryRow,
  validExponentialPoint,
  validSummaryPoint,
} from './metric-rows-more.ts';
import {
  exemplarColumns,
  invalidTimes,
  isCount,
  MAX_STORABLE_NANOS,
  nanosToDateTime64,
  type Row,
} from './row-columns.ts';

export interface MetricRows {
  otel_metrics_gauge: Row[];
  otel_metrics_sum: Row[];
  otel_metrics_histogram: Row[];
  otel_metrics_exponential_histogram: Row[];
  otel_metrics_summary: Row[];
  rejected: number;
  rejectReasons: string[];
}

function seriesKey(resource: Attributes, scope: Scope, metric: string, attributes: Attributes): string {
  const canonical = JSON.stringify([sorted(resource), scope.name, scope.version, metric, sorted(attributes)]);
  return createHash('sha1').update(canonical).digest('base64');
}

function sorted(attributes: Attributes): [string, string][] {
  return Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function validNumberPoint(p: NumberPoint): string | null {
  const times = invalidTimes(p);
  if (times) return times;
  if (!Number.isFinite(p.value)) return 'non-finite value';
  return null;
}

function validHistogramPoint(p: HistogramPoint): string | null {
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

export function metricRows(data: ResourceMetrics[], deltas: CumulativeToDelta): MetricRows {
  const out: MetricRows = {
    otel_metrics_gauge: [],
    otel_metrics_sum: [],
    otel_metrics_histogram: [],
    otel_metrics_exponential_histogram: [],
    otel_metrics_summary: [],
    rejected: 0,
    rejectReasons: [],
  };
  const reject = (metric: string, reason: string, n = 1) => {
    out.rejected += n;
    if (out.rejectReasons.length < 5) out.rejectReasons.push(`${metric || '(unnamed metric)'}: ${reason}`);
  };
  for (const { resource, scopeMetrics } of data) {
    const serviceName = resource.attributes['service.name'] ?? '';
    for (const { scope, metrics } of scopeMetrics) {
      for (const metric of metrics) {
        const common = {
          ResourceAttributes: resource.attributes,
          ResourceSchemaUrl: resource.schemaUrl,
          ScopeName: scope.name,
          ScopeVersion: scope.version,
          ScopeAttributes: scope.attributes,
          ScopeDroppedAttrCount: scope.droppedAttributesCount,
          ScopeSchemaUrl: scope.schemaUrl,
          ServiceName: serviceName,
          MetricName: metric.name,
          MetricDescription: metric.description,
          MetricUnit: metric.unit,
        };
        if (metric.type === 'unsupported') {
          if (metric.pointCount > 0)
            reject(metric.name, `${metric.kind} is not supported yet`, metric.pointCount);
          continue;
        }
        if (!metric.name) {
          reject('', 'metric without a name', metric.points.length);
          continue;
        }
        switch (metric.type) {
          case 'gauge':
          case 'sum': {
            const cumulative = metric.type === 'sum' && metric.temporality === Temporality.cumulative;
            for (const raw of metric.points) {
              const problem = validNumberPoint(raw);
              if (problem) {
                reject(metric.name, problem);
                continue;
              }
              const key = cumulative
                ? seriesKey(resource.attributes, scope, metric.name, raw.attributes)
                : '';
              const point =
                cumulative && metric.type === 'sum' && metric.isMonotonic ? deltas.sum(key, raw) : raw;
              if (!point) continue;
              const row: Row = {
                ...common,
                Attributes: point.attributes,
                StartTimeUnix: nanosToDateTime64(point.startTimeUnixNano),
                TimeUnix: nanosToDateTime64(point.timeUnixNano),
                Value: point.value,
                Flags: point.flags,
                ...exemplarColumns(point.exemplars),
              };
              if (metric.type === 'gauge') out.otel_metrics_gauge.push(row);
              else {
                // Non-monotonic cumulative sums (up-down counters) are levels: stored as they are.
                const converted = cumulative && metric.isMonotonic;
                row.AggregationTemporality = converted ? Temporality.delta : metric.temporality;
                row.IsMonotonic = metric.isMonotonic;
                out.otel_metrics_sum.push(row);
              }
            }
            break;
          }
          case 'histogram': {
            const cumulative = metric.temporality === Temporality.cumulative;
            for (const raw of metric.points) {
              const problem = validHistogramPoint(raw);
              if (problem) {
                reject(metric.name, problem);
                continue;
              }
              const point = cumulative
                ? deltas.histogram(seriesKey(resource.attributes, scope, metric.name, raw.attributes), raw)
                : raw;
              if (!point) continue;
              out.otel_metrics_histogram.push({
                ...common,
                Attributes: point.attributes,
                StartTimeUnix: nanosToDateTime64(point.startTimeUnixNano),
                TimeUnix: nanosToDateTime64(point.timeUnixNano),
                Count: point.count,
                Sum: point.sum,
                BucketCounts: point.bucketCounts,
                ExplicitBounds: point.explicitBounds,
                ...exemplarColumns(point.exemplars),
                Flags: point.flags,
                Min: point.min,
                Max: point.max,
                AggregationTemporality: cumulative ? Temporality.delta : metric.temporality,
              });
            }
            break;
          }
          case 'exponential_histogram': {
            const cumulative = metric.temporality === Temporality.cumulative;
            for (const raw of metric.points) {
              const problem = validExponentialPoint(raw);
              if (problem) {
                reject(metric.name, problem);
                continue;
              }
              const point = cumulative
                ? deltas.exponentialHistogram(
                    seriesKey(resource.attributes, scope, metric.name, raw.attributes),
                    raw,
                  )
                : raw;
              if (!point) continue;
              out.otel_metrics_exponential_histogram.push(
                exponentialHistogramRow(common, point, cumulative ? Temporality.delta : metric.temporality),
              );
            }
            break;
          }
          case 'summary':
            for (const point of metric.points) {
              const problem = validSummaryPoint(point);
              if (problem) reject(metric.name, problem);
              else out.otel_metrics_summary.push(summaryRow(common, point));
            }
            break;
          default: {
            const unreachable: never = metric;
            throw new Error(`unhandled metric ${JSON.stringify(unreachable)}`);
          }
        }
      }
    }
  }
  return out;
}

const spanKinds = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'] as const;
const statusCodes = ['Unset', 'Ok', 'Error'] as const;

export function traceRows(data: ResourceSpans[]): { rows: Row[]; rejected: number; rejectReasons: string[] } {
  const rows: Row[] = [];
  let rejected = 0;
  const rejectReasons: string[] = [];
  for (const { resource, scopeSpans } of data) {
    const serviceName = resource.attributes['service.name'] ?? '';
    for (const { scope, spans } of scopeSpans) {
      for (const span of spans) {
        const problem =
          span.traceId.length !== 32 || /^0+$/.test(span.traceId)
            ? 'trace_id must be 16 non-zero bytes'
            : span.spanId.length !== 16 || /^0+$/.test(span.spanId)
              ? 'span_id must be 8 non-zero bytes'
              : span.startTimeUnixNano <= 0n
                ? 'span without start_time_unix_nano'
                : span.startTimeUnixNano > MAX_STORABLE_NANOS ||
                    span.endTimeUnixNano > MAX_STORABLE_NANOS ||
                    span.events.some((e) => e.timeUnixNano > MAX_STORABLE_NANOS)
                  ? 'span time after 2262-04-11'
                  : null;
        if (problem) {
          rejected++;
          if (rejectReasons.length < 5) rejectReasons.push(`${span.name || '(unnamed span)'}: ${problem}`);
          continue;
        }
        const duration =
          span.endTimeUnixNano > span.startTimeUnixNano ? span.endTimeUnixNano - span.startTimeUnixNano : 0n;
        rows.push({
          Timestamp: nanosToDateTime64(span.startTimeUnixNano),
          TraceId: span.traceId,
          SpanId: span.spanId,
          ParentSpanId: span.parentSpanId,
          TraceState: span.traceState,
          SpanName: span.name,
          SpanKind: spanKinds[span.kind] ?? 'Unspecified',
          ServiceName: serviceName,
          ResourceAttributes: resource.attributes,
          ScopeName: scope.name,
          ScopeVersion: scope.version,
          SpanAttributes: span.attributes,
          Duration: duration.toString(),
          StatusCode: statusCodes[span.statusCode] ?? 'Unset',
          StatusMessage: span.statusMessage,
          'Events.Timestamp': span.events.map((e) => nanosToDateTime64(e.timeUnixNano)),
          'Events.Name': span.events.map((e) => e.name),
          'Events.Attributes': span.events.map((e) => e.attributes),
          'Links.TraceId': span.links.map((l) => l.traceId),
          'Links.SpanId': span.links.map((l) => l.spanId),
          'Links.TraceState': span.links.map((l) => l.traceState),
          'Links.Attributes': span.links.map((l) => l.attributes),
        });
      }
    }
  }
  return { rows, rejected, rejectReasons };
}
