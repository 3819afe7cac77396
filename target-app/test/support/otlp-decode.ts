// Just enough of a protobuf reader to check what the SDK exported: the OTLP messages the tests look
// at (histograms, gauges, spans) read straight from the wire format, field numbers per opentelemetry-proto.

type Field = { number: number; varint?: bigint; bytes?: Buffer };

function readVarint(buf: Buffer, offset: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let pos = offset; pos < buf.length; pos++) {
    const byte = buf[pos]!;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos + 1];
    shift += 7n;
  }
  throw new Error('truncated varint');
}

export function readFields(buf: Buffer): Field[] {
  const fields: Field[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const [key, next] = readVarint(buf, offset);
    offset = next;
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (wireType === 0) {
      const [value, after] = readVarint(buf, offset);
      fields.push({ number, varint: value });
      offset = after;
    } else if (wireType === 1) {
      fields.push({ number, bytes: buf.subarray(offset, offset + 8) });
      offset += 8;
    } else if (wireType === 2) {
      const [length, after] = readVarint(buf, offset);
      const end = after + Number(length);
      if (end > buf.length) throw new Error('truncated length-delimited field');
      fields.push({ number, bytes: buf.subarray(after, end) });
      offset = end;
    } else if (wireType === 5) {
      fields.push({ number, bytes: buf.subarray(offset, offset + 4) });
      offset += 4;
    } else {
      throw new Error(`unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

const messages = (buf: Buffer, number: number) =>
  readFields(buf)
    .filter((f) => f.number === number && f.bytes !== undefined)
    .map((f) => f.bytes!);
const text = (buf: Buffer, number: number) => messages(buf, number)[0]?.toString('utf8') ?? '';
const varint = (buf: Buffer, number: number) => readFields(buf).find((f) => f.number === number)?.varint;

export type AttributeValue = string | number | boolean;

/** KeyValue { key = 1; AnyValue value = 2 } with AnyValue { string 1, bool 2, int 3, double 4 }. */
function attributes(buf: Buffer, number: number): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const kv of messages(buf, number)) {
    const value = messages(kv, 2)[0];
    if (value === undefined) continue;
    const [field] = readFields(value);
    if (field === undefined) continue;
    if (field.number === 1) out[text(kv, 1)] = field.bytes!.toString('utf8');
    else if (field.number === 2) out[text(kv, 1)] = field.varint === 1n;
    else if (field.number === 3) out[text(kv, 1)] = Number(BigInt.asIntN(64, field.varint!));
    else if (field.number === 4) out[text(kv, 1)] = field.bytes!.readDoubleLE(0);
  }
  return out;
}

export type ExportedMetric = {
  resource: Record<string, AttributeValue>;
  name: string;
  unit: string;
  kind: 'gauge' | 'sum' | 'histogram' | 'other';
  /** AggregationTemporality: 1 delta, 2 cumulative (sums and histograms). */
  temporality?: number;
  /** `value` for gauge and sum points (as_double 4 or as_int 6); `count` for histogram points. */
  points: {
    attributes: Record<string, AttributeValue>;
    explicitBounds?: number[];
    value?: number;
    count?: number;
  }[];
};

/** ExportMetricsServiceRequest → ResourceMetrics(1) → ScopeMetrics(2) → Metric(2). */
export function decodeMetrics(body: Buffer): ExportedMetric[] {
  const out: ExportedMetric[] = [];
  for (const rm of messages(body, 1)) {
    const resource = attributes(messages(rm, 1)[0] ?? Buffer.alloc(0), 1);
    for (const sm of messages(rm, 2)) {
      for (const metric of messages(sm, 2)) {
        const gauge = messages(metric, 5)[0];
        const sum = messages(metric, 7)[0];
        const histogram = messages(metric, 9)[0];
        const data = gauge ?? sum ?? histogram;
        const kind = gauge ? 'gauge' : sum ? 'sum' : histogram ? 'histogram' : 'other';
        const temporality = sum ? varint(sum, 2) : histogram ? varint(histogram, 2) : undefined;
        // Number points keep attributes at 7, histogram points at 9; explicit_bounds (packed doubles) at 7.
        const points = (data ? messages(data, 1) : []).map((point) => {
          if (!histogram) {
            const number = readFields(point).find((f) => (f.number === 4 || f.number === 6) && f.bytes);
            const value =
              number === undefined
                ? undefined
                : number.number === 4
                  ? number.bytes!.readDoubleLE(0)
                  : Number(number.bytes!.readBigInt64LE(0));
            return { attributes: attributes(point, 7), ...(value === undefined ? {} : { value }) };
          }
          const packed = messages(point, 7)[0] ?? Buffer.alloc(0);
          const bounds: number[] = [];
          for (let i = 0; i + 8 <= packed.length; i += 8) bounds.push(packed.readDoubleLE(i));
          // count is field 4, fixed64.
          const count = readFields(point).find((f) => f.number === 4 && f.bytes?.length === 8);
          return {
            attributes: attributes(point, 9),
            explicitBounds: bounds,
            ...(count === undefined ? {} : { count: Number(count.bytes!.readBigUInt64LE(0)) }),
          };
        });
        out.push({
          resource,
          name: text(metric, 1),
          unit: text(metric, 3),
          kind,
          ...(temporality === undefined ? {} : { temporality: Number(temporality) }),
          points,
        });
      }
    }
  }
  return out;
}

export type ExportedSpan = {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** SpanKind: 2 server, 3 client. */
  kind: number;
  attributes: Record<string, AttributeValue>;
  /** Status.code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  /** Span.Event { name = 2; attributes = 3 } at field 11. */
  events: { name: string; attributes: Record<string, AttributeValue> }[];
};

/** ExportTraceServiceRequest → ResourceSpans(1) → ScopeSpans(2) → Span(2). */
export function decodeSpans(body: Buffer): ExportedSpan[] {
  const out: ExportedSpan[] = [];
  for (const rs of messages(body, 1)) {
    for (const ss of messages(rs, 2)) {
      for (const span of messages(ss, 2)) {
        const status = messages(span, 15)[0];
        out.push({
          traceId: messages(span, 1)[0]?.toString('hex') ?? '',
          spanId: messages(span, 2)[0]?.toString('hex') ?? '',
          parentSpanId: messages(span, 4)[0]?.toString('hex') ?? '',
          name: text(span, 5),
          kind: Number(varint(span, 6) ?? 0n),
          attributes: attributes(span, 9),
          statusCode: status ? Number(varint(status, 3) ?? 0n) : 0,
          events: messages(span, 11).map((event) => ({
            name: text(event, 2),
            attributes: attributes(event, 3),
          })),
        });
      }
    }
  }
  return out;
}
