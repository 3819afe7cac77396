// Maps decoded OTLP metrics to rows of the exporter's tables, one table per point kind. Cumulative
// monotonic sums and histograms become deltas (normalise/cumulative-to-delta.ts), keyed by their
// series. Invalid points are counted as rejected (→ OTLP partial_success) instead of failing the
// whole request; a point's checks and row are in point-rows.ts.
import { createHash } from 'node:crypto';
import type { CumulativeToDelta } from '../normalise/cumulative-to-delta.ts';
import {
  type Attributes,
  type Metric,
  type Resource,
  type ResourceMetrics,
  type Scope,
  Temporality,
} from '../otlp/model.ts';
import {
  exponentialHistogramRow,
  histogramRow,
  numberRow,
  summaryRow,
  validExponentialPoint,
  validHistogramPoint,
  validNumberPoint,
  validSummaryPoint,
} from './point-rows.ts';
import { addRejection, noRejections, type Rejections } from './rejections.ts';
import type { Row } from './row-columns.ts';

export interface MetricRows extends Rejections {
  otel_metrics_gauge: Row[];
  otel_metrics_sum: Row[];
  otel_metrics_histogram: Row[];
  otel_metrics_exponential_histogram: Row[];
  otel_metrics_summary: Row[];
}

function seriesKey(resource: Attributes, scope: Scope, metric: string, attributes: Attributes): string {
  const canonical = JSON.stringify([sorted(resource), scope.name, scope.version, metric, sorted(attributes)]);
  return createHash('sha1').update(canonical).digest('base64');
}

function sorted(attributes: Attributes): [string, string][] {
  return Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One metric's context: where its rows go, how its series are keyed, how a point is refused. */
interface MetricContext {
  out: MetricRows;
  common: Row;
  deltas: CumulativeToDelta;
  key: (attributes: Attributes) => string;
  reject: (reason: string, n?: number) => void;
}

function commonColumns(resource: Resource, scope: Scope, serviceName: string, metric: Metric): Row {
  return {
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
}

/** Points that pass their check, each turned into a row (or dropped: a delta's first sample). */
function eachValid<P>(
  points: P[],
  valid: (p: P) => string | null,
  ctx: MetricContext,
  add: (p: P) => void,
): void {
  for (const p of points) {
    const problem = valid(p);
    if (problem) ctx.reject(problem);
    else add(p);
  }
}

function addMetric(metric: Metric, ctx: MetricContext): void {
  const { out, common, deltas, key } = ctx;
  if (metric.type === 'unsupported') {
    if (metric.pointCount > 0) ctx.reject(`${metric.kind} is not supported yet`, metric.pointCount);
    return;
  }
  if (!metric.name) {
    ctx.reject('metric without a name', metric.points.length);
    return;
  }
  switch (metric.type) {
    case 'gauge':
      eachValid(metric.points, validNumberPoint, ctx, (p) =>
        out.otel_metrics_gauge.push(numberRow(common, p)),
      );
      return;
    case 'sum': {
      // Non-monotonic cumulative sums (up-down counters) are levels: stored as they are.
      const converted = metric.temporality === Temporality.cumulative && metric.isMonotonic;
      eachValid(metric.points, validNumberPoint, ctx, (raw) => {
        const point = converted ? deltas.sum(key(raw.attributes), raw) : raw;
        if (!point) return;
        out.otel_metrics_sum.push({
          ...numberRow(common, point),
          AggregationTemporality: converted ? Temporality.delta : metric.temporality,
          IsMonotonic: metric.isMonotonic,
        });
      });
      return;
    }
    case 'histogram': {
      const cumulative = metric.temporality === Temporality.cumulative;
      const temporality = cumulative ? Temporality.delta : metric.temporality;
      eachValid(metric.points, validHistogramPoint, ctx, (raw) => {
        const point = cumulative ? deltas.histogram(key(raw.attributes), raw) : raw;
        if (point) out.otel_metrics_histogram.push(histogramRow(common, point, temporality));
      });
      return;
    }
    case 'exponential_histogram': {
      const cumulative = metric.temporality === Temporality.cumulative;
      const temporality = cumulative ? Temporality.delta : metric.temporality;
      eachValid(metric.points, validExponentialPoint, ctx, (raw) => {
        const point = cumulative ? deltas.exponentialHistogram(key(raw.attributes), raw) : raw;
        if (point)
          out.otel_metrics_exponential_histogram.push(exponentialHistogramRow(common, point, temporality));
      });
      return;
    }
    case 'summary':
      eachValid(metric.points, validSummaryPoint, ctx, (p) =>
        out.otel_metrics_summary.push(summaryRow(common, p)),
      );
      return;
    default: {
      const unreachable: never = metric;
      throw new Error(`unhandled metric ${JSON.stringify(unreachable)}`);
    }
  }
}

export function metricRows(data: ResourceMetrics[], deltas: CumulativeToDelta): MetricRows {
  const out: MetricRows = {
    otel_metrics_gauge: [],
    otel_metrics_sum: [],
    otel_metrics_histogram: [],
    otel_metrics_exponential_histogram: [],
    otel_metrics_summary: [],
    ...noRejections(),
  };
  for (const { resource, scopeMetrics } of data) {
    const serviceName = resource.attributes['service.name'] ?? '';
    for (const { scope, metrics } of scopeMetrics)
      for (const metric of metrics)
        addMetric(metric, {
          out,
          common: commonColumns(resource, scope, serviceName, metric),
          deltas,
          key: (attributes) => seriesKey(resource.attributes, scope, metric.name, attributes),
          reject: (reason, n = 1) =>
            addRejection(out, serviceName, `${metric.name || '(unnamed metric)'}: ${reason}`, n),
        });
  }
  return out;
}
