// Decoders for the OTLP common messages: AnyValue, KeyValue, Resource, InstrumentationScope.
import type { Attributes, Resource, Scope } from './model.ts';
import { emptyScope, OtlpDecodeError } from './model.ts';
import { type ProtoReader, WireType } from './proto-reader.ts';

const MAX_DEPTH = 16;

/** AnyValue flattened to a string: scalars as text, arrays and maps as JSON (as the exporter does). */
export function readAnyValue(r: ProtoReader, depth = 0): unknown {
  let value: unknown = '';
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) value = r.string();
    else if (field === 2 && wire === WireType.varint) value = r.varint() !== 0;
    else if (field === 3 && wire === WireType.varint) value = BigInt.asIntN(64, r.varintBig());
    else if (field === 4 && wire === WireType.fixed64) value = r.double();
    else if (field === 5 && wire === WireType.len) value = readArrayValue(r.sub(), depth + 1);
    else if (field === 6 && wire === WireType.len) value = readKeyValueList(r.sub(), depth + 1);
    else if (field === 7 && wire === WireType.len) value = Buffer.from(r.bytes()).toString('base64');
    else r.skip(wire);
  }
  return value;
}

function readArrayValue(r: ProtoReader, depth: number): unknown[] {
  guardDepth(depth);
  const values: unknown[] = [];
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) values.push(readAnyValue(r.sub(), depth));
    else r.skip(wire);
  }
  return values;
}

function readKeyValueList(r: ProtoReader, depth: number): Record<string, unknown> {
  guardDepth(depth);
  const out: Record<string, unknown> = {};
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) {
      const [key, value] = readKeyValue(r.sub(), depth);
      out[key] = value;
    } else r.skip(wire);
  }
  return out;
}

function readKeyValue(r: ProtoReader, depth: number): [string, unknown] {
  let key = '';
  let value: unknown = '';
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) key = r.string();
    else if (field === 2 && wire === WireType.len) value = readAnyValue(r.sub(), depth);
    else r.skip(wire);
  }
  return [key, value];
}

function guardDepth(depth: number): void {
  if (depth > MAX_DEPTH) throw new RangeError(`attribute values nested deeper than ${MAX_DEPTH}`);
}

export function attributeToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Reads one KeyValue field into `into`. */
export function readAttribute(r: ProtoReader, into: Attributes): void {
  const [key, value] = readKeyValue(r, 0);
  into[key] = attributeToString(value);
}

export function readResource(r: ProtoReader, schemaUrl = ''): Resource {
  const attributes: Attributes = {};
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) readAttribute(r.sub(), attributes);
    else r.skip(wire);
  }
  return { attributes, schemaUrl };
}

export function readScope(r: ProtoReader): Scope {
  const scope = emptyScope();
  while (r.hasMore()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.len) scope.name = r.string();
    else if (field === 2 && wire === WireType.len) scope.version = r.string();
    else if (field === 3 && wire === WireType.len) readAttribute(r.sub(), scope.attributes);
    else if (field === 4 && wire === WireType.varint) scope.droppedAttributesCount = r.varint();
    else r.skip(wire);
  }
  return scope;
}

/** Any failure while reading a protobuf body is a 400 with its reason. */
export function wrapDecode<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof OtlpDecodeError) throw error;
    throw new OtlpDecodeError(`malformed protobuf: ${(error as Error).message}`);
  }
}
