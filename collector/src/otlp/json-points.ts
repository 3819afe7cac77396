// OTLP/JSON data points of every metric kind (number, explicit and exponential histogram,
// summary), validated and mapped to the model the protobuf decoder produces.
import { z } from 'zod';
import { attributes, exemplar, int64, nanos, num } from './json-common.ts';
import type { ExponentialHistogramPoint, HistogramPoint, NumberPoint, SummaryPoint } from './model.ts';

export const numberPoint = z
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

export const histogramPoint = z
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

const buckets = z
  .object({ offset: z.number().int().optional(), bucketCounts: z.array(int64).optional() })
  .optional()
  .transform((b) => ({ offset: b?.offset ?? 0, bucketCounts: (b?.bucketCounts ?? []).map(Number) }));

export const exponentialHistogramPoint = z
  .object({
    attributes,
    startTimeUnixNano: nanos,
    timeUnixNano: nanos,
    count: int64.optional(),
    sum: num.optional(),
    scale: z.number().int().optional(),
    zeroCount: int64.optional(),
    positive: buckets,
    negative: buckets,
    flags: z.number().int().optional(),
    exemplars: z.array(exemplar).optional(),
    min: num.optional(),
    max: num.optional(),
  })
  .transform(
    (p): ExponentialHistogramPoint => ({
      attributes: p.attributes,
      startTimeUnixNano: p.startTimeUnixNano,
      timeUnixNano: p.timeUnixNano,
      count: Number(p.count ?? 0),
      sum: p.sum ?? 0,
      scale: p.scale ?? 0,
      zeroCount: Number(p.zeroCount ?? 0),
      positive: p.positive,
      negative: p.negative,
      min: p.min ?? 0,
      max: p.max ?? 0,
      flags: p.flags ?? 0,
      exemplars: p.exemplars ?? [],
    }),
  );

export const summaryPoint = z
  .object({
    attributes,
    startTimeUnixNano: nanos,
    timeUnixNano: nanos,
    count: int64.optional(),
    sum: num.optional(),
    quantileValues: z.array(z.object({ quantile: num.optional(), value: num.optional() })).optional(),
    flags: z.number().int().optional(),
  })
  .transform(
    (p): SummaryPoint => ({
      attributes: p.attributes,
      startTimeUnixNano: p.startTimeUnixNano,
      timeUnixNano: p.timeUnixNano,
      count: Number(p.count ?? 0),
      sum: p.sum ?? 0,
      quantileValues: (p.quantileValues ?? []).map((q) => ({
        quantile: q.quantile ?? 0,
        value: q.value ?? 0,
      })),
      flags: p.flags ?? 0,
      exemplars: [],
    }),
  );
