// Decodes an OTLP/JSON metrics request (proto3 JSON mapping: lowerCamelCase keys, int64 as strings
// or numbers, enums as integers) into the same model as the protobuf decoder. Unknown fields are
// ignored, as the spec requires; wrong types are a 400 with the path.
import { z } from 'zod';
import { parse, resource, scope } from './json-common.ts';
import { exponentialHistogramPoint, histogramPoint, numberPoint, summaryPoint } from './json-points.ts';
import type { Metric, ResourceMetrics } from './model.ts';

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

export function decodeMetricsJson(body: Uint8Array): ResourceMetrics[] {
  return (parse(metricsRequest, body).resourceMetrics ?? []).map((rm) => ({
    resource: { attributes: rm.resource.attributes, schemaUrl: rm.schemaUrl ?? '' },
    scopeMetrics: (rm.scopeMetrics ?? []).map((sm) => ({
      scope: { ...sm.scope, schemaUrl: sm.schemaUrl ?? '' },
      metrics: sm.metrics ?? [],
    })),
  }));
}
