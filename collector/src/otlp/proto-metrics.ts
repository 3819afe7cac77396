// Decodes an ExportMetricsServiceRequest (opentelemetry-proto metrics/v1) from protobuf.
import {
  type Attributes,
  type Exemplar,
  emptyScope,
  type HistogramPoint,
  type Metric,
  type NumberPoint,
  OtlpDecodeError,
  type Resource,
  type ResourceMetrics,
  type Scope,
  type ScopeMetrics,
} from './model.ts';
import { readAttribute, readResource, readScope } from './proto-common.ts';
import { readExponentialHistogramData, readSummaryData } from './proto-metrics-more.ts';
import { ProtoReader, WireType } from './proto-reader.ts';

export function decodeMetricsProto(body: Uint8Array): ResourceMetrics[] {
  return wrapDecode(() => {
    const r = new ProtoReader(body);
    const out: ResourceMetrics[] = [];
    while (r.hasMore()) {
      const [field, wire] = r.tag();
      if (field === 1 && wire === WireType.len) out.push(readResourceMetrics(r.sub()));
      else r.skip(wire);
    }
    return out;
  });
}

export function wrapDecode<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof OtlpDecodeError) throw error;
    throw new OtlpDecodeError(`malformed protobuf: ${(error as Error).message}`);
  }
}

function readResourceMetrics(r: ProtoReader): ResourceMetrics {
  let resourceReader: ProtoReader | undefined;
  let schemaUrl = '';
  const scopeMetrics: ScopeMetrics[] = [];
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) resourceReader = r.sub();
    else if (field === 2 && wire === WireType.len) scopeMetrics.push(readScopeMetrics(r.sub()));
    else if (field === 3 && wire === WireType.len) schemaUrl = r.string();
    else r.skip(wire);
  }
  const resource: Resource = resourceReader
    ? readResource(resourceReader, schemaUrl)
    : { attributes: {}, schemaUrl };
  return { resource, scopeMetrics };
}

function readScopeMetrics(r: ProtoReader): ScopeMetrics {
  let scope: Scope = emptyScope();
  let schemaUrl = '';
  const metrics: Metric[] = [];
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) scope = readScope(r.sub());
    else if (field === 2 && wire === WireType.len) metrics.push(readMetric(r.sub()));
    else if (field === 3 && wire === WireType.len) schemaUrl = r.string();
    else r.skip(wire);
  }
  return { scope: { ...scope, schemaUrl }, metrics };
}

function readMetric(r: ProtoReader): Metric {
  const base = { name: '', description: '', unit: '' };
  let metric: Metric | undefined;
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) base.name = r.string();
    else if (field === 2 && wire === WireType.len) base.description = r.string();
    else if (field === 3 && wire === WireType.len) base.unit = r.string();
    else if (field === 5 && wire === WireType.len)
      metric = { ...base, type: 'gauge', points: readNumberData(r.sub()).points };
    else if (field === 7 && wire === WireType.len) {
      const data = readNumberData(r.sub());
      metric = {
        ...base,
        type: 'sum',
        temporality: data.temporality,
        isMonotonic: data.isMonotonic,
        points: data.points,
      };
    } else if (field === 9 && wire === WireType.len) {
      const data = readHistogramData(r.sub());
      metric = { ...base, type: 'histogram', temporality: data.temporality, points: data.points };
    } else if (field === 10 && wire === WireType.len) {
      const data = readExponentialHistogramData(r.sub(), readExemplar);
      metric = { ...base, type: 'exponential_histogram', temporality: data.temporality, points: data.points };
    } else if (field === 11 && wire === WireType.len)
      metric = { ...base, type: 'summary', points: readSummaryData(r.sub()) };
    else r.skip(wire);
  }
  if (!metric) return { ...base, type: 'unsupported', kind: 'empty', pointCount: 0 };
  // Fields may arrive in any order: the name can follow the data.
  return { ...metric, name: base.name, description: base.description, unit: base.unit };
}

function readNumberData(r: ProtoReader): {
  points: NumberPoint[];
  temporality: number;
  isMonotonic: boolean;
} {
  const points: NumberPoint[] = [];
  let temporality = 0;
  let isMonotonic = false;
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) points.push(readNumberPoint(r.sub()));
    else if (field === 2 && wire === WireType.varint) temporality = r.varint();
    else if (field === 3 && wire === WireType.varint) isMonotonic = r.varint() !== 0;
    else r.skip(wire);
  }
  return { points, temporality, isMonotonic };
}

function readNumberPoint(r: ProtoReader): NumberPoint {
  const p: NumberPoint = {
    attributes: {},
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    value: 0,
    flags: 0,
    exemplars: [],
  };
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 7 && wire === WireType.len) readAttribute(r.sub(), p.attributes);
    else if (field === 2 && wire === WireType.fixed64) p.startTimeUnixNano = r.fixed64();
    else if (field === 3 && wire === WireType.fixed64) p.timeUnixNano = r.fixed64();
    else if (field === 4 && wire === WireType.fixed64) p.value = r.double();
    else if (field === 6 && wire === WireType.fixed64) p.value = Number(r.sfixed64());
    else if (field === 5 && wire === WireType.len) p.exemplars.push(readExemplar(r.sub()));
    else if (field === 8 && wire === WireType.varint) p.flags = r.varint();
    else r.skip(wire);
  }
  return p;
}

function readHistogramData(r: ProtoReader): { points: HistogramPoint[]; temporality: number } {
  const points: HistogramPoint[] = [];
  let temporality = 0;
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) points.push(readHistogramPoint(r.sub()));
    else if (field === 2 && wire === WireType.varint) temporality = r.varint();
    else r.skip(wire);
  }
  return { points, temporality };
}

function readHistogramPoint(r: ProtoReader): HistogramPoint {
  const p: HistogramPoint = {
    attributes: {},
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0,
    sum: 0,
    bucketCounts: [],
    explicitBounds: [],
    min: 0,
    max: 0,
    flags: 0,
    exemplars: [],
  };
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 9 && wire === WireType.len) readAttribute(r.sub(), p.attributes);
    else if (field === 2 && wire === WireType.fixed64) p.startTimeUnixNano = r.fixed64();
    else if (field === 3 && wire === WireType.fixed64) p.timeUnixNano = r.fixed64();
    else if (field === 4 && wire === WireType.fixed64) p.count = Number(r.fixed64());
    else if (field === 5 && wire === WireType.fixed64) p.sum = r.double();
    else if (field === 6 && (wire === WireType.len || wire === WireType.fixed64))
      r.packedFixed64(wire, p.bucketCounts);
    else if (field === 7 && (wire === WireType.len || wire === WireType.fixed64))
      r.packedDouble(wire, p.explicitBounds);
    else if (field === 8 && wire === WireType.len) p.exemplars.push(readExemplar(r.sub()));
    else if (field === 10 && wire === WireType.varint) p.flags = r.varint();
    else if (field === 11 && wire === WireType.fixed64) p.min = r.double();
    else if (field === 12 && wire === WireType.fixed64) p.max = r.double();
    else r.skip(wire);
  }
  return p;
}

function readExemplar(r: ProtoReader): Exemplar {
  const filteredAttributes: Attributes = {};
  const e: Exemplar = { filteredAttributes, timeUnixNano: 0n, value: 0, spanId: '', traceId: '' };
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 7 && wire === WireType.len) readAttribute(r.sub(), filteredAttributes);
    else if (field === 2 && wire === WireType.fixed64) e.timeUnixNano = r.fixed64();
    else if (field === 3 && wire === WireType.fixed64) e.value = r.double();
    else if (field === 6 && wire === WireType.fixed64) e.value = Number(r.sfixed64());
    else if (field === 4 && wire === WireType.len) e.spanId = r.hex();
    else if (field === 5 && wire === WireType.len) e.traceId = r.hex();
    else r.skip(wire);
  }
  return e;
}
