// Decodes OTLP/JSON (proto3 JSON mapping: lowerCamelCase keys, int64 as strings or numbers,
// enums as integers, trace and span ids as hex) into the same model as the protobuf decoder.
// Unknown fields are ignored, as the spec requires; wrong types are a 400 with the path.
import { z } from 'zod';
import { attributes, exemplar, hexId, int64, nanos, num, parse, resource, scope } from './json-common.ts';
import { exponentialHistogramPoint, summaryPoint } from './json-metrics-more.ts';
import type { HistogramPoint, Metric, NumberPoint, ResourceMetrics, ResourceSpans, Span } from './model.ts';

const numberPoint = z
  .object({
    attributes,
    startTimeUnixNano: nanos,
    timeUnixNano: nanos,
    asDouble: num.optional(),
    asInt: int64.optional(),
    exemplars: z.array(exemplar).optional(),
    flags: z.number().int().optional(),
  })
  .transform(
    (p): NumberPoint => ({
      attributes: p.attributes,
      startTimeUnixNano: p.startTimeUnixNano,
      timeUnixNano: p.timeUnixNano,
      value: p.asDouble ?? Number(p.asInt ?? 0),
      flags: p.flags ?? 0,
      exemplars: p.exemplars ?? [],
    }),
  );

const histogramPoint = z
  .object({
    attributes,
    startTimeUnixNano: nanos,
    timeUnixNano: nanos,
    count: int64.optional(),
    sum: num.optional(),
    bucketCounts: z.array(int64).optional(),
    explicitBounds: z.array(num).optional(),
    exemplars: z.array(exemplar).optional(),
    flags: z.number().int().optional(),
    min: num.optional(),
    max: num.optional(),
  })
  .transform(
    (p): HistogramPoint => ({
      attributes: p.attributes,
      startTimeUnixNano: p.startTimeUnixNano,
      timeUnixNano: p.timeUnixNano,
      count: Number(p.count ?? 0),
      sum: p.sum ?? 0,
      bucketCounts: (p.bucketCounts ?? []).map(Number),
      explicitBounds: p.explicitBounds ?? [],
      min: p.min ?? 0,
      max: p.max ?? 0,
      flags: p.flags ?? 0,
      exemplars: p.exemplars ?? [],
    }),
  );

const metric = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    unit: z.string().optional(),
    gauge: z.object({ dataPoints: z.array(numberPoint).optional() }).optional(),
    sum: z
      .object({
        dataPoints: z.array(numberPoint).optional(),
        aggregationTemporality: z.number().int().optional(),
        isMonotonic: z.boolean().optional(),
      })
      .optional(),
    histogram: z
      .object({
        dataPoints: z.array(histogramPoint).optional(),
        aggregationTemporality: z.number().int().optional(),
      })
      .optional(),
    exponentialHistogram: z
      .object({
        dataPoints: z.array(exponentialHistogramPoint).optional(),
        aggregationTemporality: z.number().int().optional(),
      })
      .optional(),
    summary: z.object({ dataPoints: z.array(summaryPoint).optional() }).optional(),
  })
  .transform((m): Metric => {
    const base = { name: m.name ?? '', description: m.description ?? '', unit: m.unit ?? '' };
    if (m.gauge) return { ...base, type: 'gauge', points: m.gauge.dataPoints ?? [] };
    if (m.sum)
      return {
        ...base,
        type: 'sum',
        temporality: m.sum.aggregationTemporality ?? 0,
        isMonotonic: m.sum.isMonotonic ?? false,
        points: m.sum.dataPoints ?? [],
      };
    if (m.histogram)
      return {
        ...base,
        type: 'histogram',
        temporality: m.histogram.aggregationTemporality ?? 0,
        points: m.histogram.dataPoints ?? [],
      };
    if (m.exponentialHistogram)
      return {
        ...base,
        type: 'exponential_histogram',
        temporality: m.exponentialHistogram.aggregationTemporality ?? 0,
        points: m.exponentialHistogram.dataPoints ?? [],
      };
    if (m.summary) return { ...base, type: 'summary', points: m.summary.dataPoints ?? [] };
    return { ...base, type: 'unsupported', kind: 'empty', pointCount: 0 };
  });

const metricsRequest = z.object({
  resourceMetrics: z
    .array(
      z.object({
        resource,
        schemaUrl: z.string().optional(),
        scopeMetrics: z
          .array(z.object({ scope, schemaUrl: z.string().optional(), metrics: z.array(metric).optional() }))
          .optional(),
      }),
    )
    .optional(),
});

const span = z
  .object({
    traceId: hexId,
    spanId: hexId,
    parentSpanId: hexId,
    traceState: z.string().optional(),
    name: z.string().optional(),
    kind: z.number().int().optional(),
    startTimeUnixNano: nanos,
    endTimeUnixNano: nanos,
    attributes,
    events: z.array(z.object({ timeUnixNano: nanos, name: z.string().optional(), attributes })).optional(),
    links: z
      .array(z.object({ traceId: hexId, spanId: hexId, traceState: z.string().optional(), attributes }))
      .optional(),
    status: z.object({ code: z.number().int().optional(), message: z.string().optional() }).optional(),
  })
  .transform(
    (s): Span => ({
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      traceState: s.traceState ?? '',
      name: s.name ?? '',
      kind: s.kind ?? 0,
      startTimeUnixNano: s.startTimeUnixNano,
      endTimeUnixNano: s.endTimeUnixNano,
      attributes: s.attributes,
      events: (s.events ?? []).map((e) => ({
        timeUnixNano: e.timeUnixNano,
        name: e.name ?? '',
        attributes: e.attributes,
      })),
      links: (s.links ?? []).map((l) => ({ ...l, traceState: l.traceState ?? '' })),
      statusCode: s.status?.code ?? 0,
      statusMessage: s.status?.message ?? '',
    }),
  );

const tracesRequest = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource,
        schemaUrl: z.string().optional(),
        scopeSpans: z
          .array(z.object({ scope, schemaUrl: z.string().optional(), spans: z.array(span).optional() }))
          .optional(),
      }),
    )
    .optional(),
});

export function decodeMetricsJson(body: Uint8Array): ResourceMetrics[] {
  return (parse(metricsRequest, body).resourceMetrics ?? []).map((rm) => ({
    resource: { attributes: rm.resource.attributes, schemaUrl: rm.schemaUrl ?? '' },
    scopeMetrics: (rm.scopeMetrics ?? []).map((sm) => ({
      scope: { ...sm.scope, schemaUrl: sm.schemaUrl ?? '' },
      metrics: sm.metrics ?? [],
    })),
  }));
}

export function decodeTracesJson(body: Uint8Array): ResourceSpans[] {
  return (parse(tracesRequest, body).resourceSpans ?? []).map((rs) => ({
    resource: { attributes: rs.resource.attributes, schemaUrl: rs.schemaUrl ?? '' },
    scopeSpans: (rs.scopeSpans ?? []).map((ss) => ({
      scope: { ...ss.scope, schemaUrl: ss.schemaUrl ?? '' },
      spans: ss.spans ?? [],
    })),
  }));
}
