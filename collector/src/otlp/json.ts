// Decodes OTLP/JSON (proto3 JSON mapping: lowerCamelCase keys, int64 as strings or numbers,
// enums as integers, trace and span ids as hex) into the same model as the protobuf decoder.
// Unknown fields are ignored, as the spec requires; wrong types are a 400 with the path.
import { z } from 'zod';
import type {
  Attributes,
  Exemplar,
  HistogramPoint,
  Metric,
  NumberPoint,
  ResourceMetrics,
  ResourceSpans,
  Scope,
  Span,
} from './model.ts';
import { OtlpDecodeError } from './model.ts';
import { attributeToString } from './proto-common.ts';

const int64 = z.union([z.string().regex(/^-?\d+$/, 'expected an integer string'), z.number().int()]);
const nanos = int64.optional().transform((v) => (v === undefined ? 0n : BigInt(v)));
const hexId = z
  .string()
  .regex(/^([0-9a-fA-F]{2})*$/, 'expected a hex string')
  .optional()
  .transform((v) => (v ?? '').toLowerCase());
const num = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]).transform(Number);

type AnyValueJson = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values?: AnyValueJson[] };
  kvlistValue?: { values?: { key: string; value?: AnyValueJson }[] };
};
const anyValue: z.ZodType<AnyValueJson> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: int64.optional(),
    doubleValue: num.optional(),
    bytesValue: z.string().optional(),
    arrayValue: z.object({ values: z.array(anyValue).optional() }).optional(),
    kvlistValue: z
      .object({ values: z.array(z.object({ key: z.string(), value: anyValue.optional() })).optional() })
      .optional(),
  }),
);

function plainValue(v: AnyValueJson | undefined): unknown {
  if (!v) return '';
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return BigInt(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.bytesValue !== undefined) return v.bytesValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(plainValue);
  if (v.kvlistValue)
    return Object.fromEntries((v.kvlistValue.values ?? []).map((kv) => [kv.key, plainValue(kv.value)]));
  return '';
}

const attributes = z
  .array(z.object({ key: z.string(), value: anyValue.optional() }))
  .optional()
  .transform((kvs): Attributes => {
    const out: Attributes = {};
    for (const kv of kvs ?? []) out[kv.key] = attributeToString(plainValue(kv.value));
    return out;
  });

const resource = z
  .object({ attributes })
  .optional()
  .transform((r) => r ?? { attributes: {} });
const scope = z
  .object({
    name: z.string().optional(),
    version: z.string().optional(),
    attributes,
    droppedAttributesCount: z.number().int().optional(),
  })
  .optional()
  .transform(
    (s): Scope => ({
      name: s?.name ?? '',
      version: s?.version ?? '',
      attributes: s?.attributes ?? {},
      droppedAttributesCount: s?.droppedAttributesCount ?? 0,
      schemaUrl: '',
    }),
  );

const exemplar = z
  .object({
    filteredAttributes: attributes,
    timeUnixNano: nanos,
    asDouble: num.optional(),
    asInt: int64.optional(),
    spanId: hexId,
    traceId: hexId,
  })
  .transform(
    (e): Exemplar => ({
      filteredAttributes: e.filteredAttributes,
      timeUnixNano: e.timeUnixNano,
      value: e.asDouble ?? Number(e.asInt ?? 0),
      spanId: e.spanId,
      traceId: e.traceId,
    }),
  );

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
    exponentialHistogram: z.object({ dataPoints: z.array(z.unknown()).optional() }).optional(),
    summary: z.object({ dataPoints: z.array(z.unknown()).optional() }).optional(),
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
    const other = m.exponentialHistogram ?? m.summary;
    const kind = m.exponentialHistogram ? 'exponential_histogram' : m.summary ? 'summary' : 'empty';
    return { ...base, type: 'unsupported', kind, pointCount: other?.dataPoints?.length ?? 0 };
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

function parse<T>(schema: z.ZodType<T>, body: Uint8Array): T {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch (error) {
    throw new OtlpDecodeError(`malformed JSON: ${(error as Error).message}`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new OtlpDecodeError(`invalid OTLP JSON at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return result.data;
}

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
