// Protobuf data points of every metric kind (opentelemetry-proto metrics/v1): numbers (gauge and
// sum), explicit and exponential histograms, summaries, and their exemplars.
import type {
  Attributes,
  Exemplar,
  ExponentialBuckets,
  ExponentialHistogramPoint,
  HistogramPoint,
  NumberPoint,
  SummaryPoint,
} from './model.ts';
import { readAttribute } from './proto-common.ts';
import { type ProtoReader, WireType } from './proto-reader.ts';

export function readNumberData(r: ProtoReader): {
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

export function readHistogramData(r: ProtoReader): { points: HistogramPoint[]; temporality: number } {
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

export function readExponentialHistogramData(r: ProtoReader): {
  points: ExponentialHistogramPoint[];
  temporality: number;
} {
  const points: ExponentialHistogramPoint[] = [];
  let temporality = 0;
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) points.push(readExponentialPoint(r.sub()));
    else if (field === 2 && wire === WireType.varint) temporality = r.varint();
    else r.skip(wire);
  }
  return { points, temporality };
}

const zigzag = (n: number) => (n >>> 1) ^ -(n & 1);

function readBuckets(r: ProtoReader): ExponentialBuckets {
  const buckets: ExponentialBuckets = { offset: 0, bucketCounts: [] };
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.varint) buckets.offset = zigzag(r.varint());
    else if (field === 2 && wire === WireType.len) {
      const packed = r.sub();
      while (packed.hasMore()) buckets.bucketCounts.push(packed.varint());
    } else if (field === 2 && wire === WireType.varint) buckets.bucketCounts.push(r.varint());
    else r.skip(wire);
  }
  return buckets;
}

function readExponentialPoint(r: ProtoReader): ExponentialHistogramPoint {
  const p: ExponentialHistogramPoint = {
    attributes: {} as Attributes,
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0,
    sum: 0,
    scale: 0,
    zeroCount: 0,
    positive: { offset: 0, bucketCounts: [] },
    negative: { offset: 0, bucketCounts: [] },
    min: 0,
    max: 0,
    flags: 0,
    exemplars: [],
  };
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) readAttribute(r.sub(), p.attributes);
    else if (field === 2 && wire === WireType.fixed64) p.startTimeUnixNano = r.fixed64();
    else if (field === 3 && wire === WireType.fixed64) p.timeUnixNano = r.fixed64();
    else if (field === 4 && wire === WireType.fixed64) p.count = Number(r.fixed64());
    else if (field === 5 && wire === WireType.fixed64) p.sum = r.double();
    else if (field === 6 && wire === WireType.varint) p.scale = zigzag(r.varint());
    else if (field === 7 && wire === WireType.fixed64) p.zeroCount = Number(r.fixed64());
    else if (field === 8 && wire === WireType.len) p.positive = readBuckets(r.sub());
    else if (field === 9 && wire === WireType.len) p.negative = readBuckets(r.sub());
    else if (field === 10 && wire === WireType.varint) p.flags = r.varint();
    else if (field === 11 && wire === WireType.len) p.exemplars.push(readExemplar(r.sub()));
    else if (field === 12 && wire === WireType.fixed64) p.min = r.double();
    else if (field === 13 && wire === WireType.fixed64) p.max = r.double();
    else r.skip(wire);
  }
  return p;
}

export function readSummaryData(r: ProtoReader): SummaryPoint[] {
  const points: SummaryPoint[] = [];
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) points.push(readSummaryPoint(r.sub()));
    else r.skip(wire);
  }
  return points;
}

function readSummaryPoint(r: ProtoReader): SummaryPoint {
  const p: SummaryPoint = {
    attributes: {},
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0,
    sum: 0,
    quantileValues: [],
    flags: 0,
    exemplars: [],
  };
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 7 && wire === WireType.len) readAttribute(r.sub(), p.attributes);
    else if (field === 2 && wire === WireType.fixed64) p.startTimeUnixNano = r.fixed64();
    else if (field === 3 && wire === WireType.fixed64) p.timeUnixNano = r.fixed64();
    else if (field === 4 && wire === WireType.fixed64) p.count = Number(r.fixed64());
    else if (field === 5 && wire === WireType.fixed64) p.sum = r.double();
    else if (field === 6 && wire === WireType.len) {
      const q = r.sub();
      const value = { quantile: 0, value: 0 };
      while (q.hasMore()) {
        const [f, w] = q.tag();
        if (f === 1 && w === WireType.fixed64) value.quantile = q.double();
        else if (f === 2 && w === WireType.fixed64) value.value = q.double();
        else q.skip(w);
      }
      p.quantileValues.push(value);
    } else if (field === 8 && wire === WireType.varint) p.flags = r.varint();
    else r.skip(wire);
  }
  return p;
}
