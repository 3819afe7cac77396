// Minimal protobuf wire-format reader: just the primitives OTLP uses. Every read is bounds-checked
// so a truncated or hostile body becomes an OtlpDecodeError (→ 400), never a crash or a hang.
import { OtlpDecodeError } from './model.ts';

export const WireType = { varint: 0, fixed64: 1, len: 2, fixed32: 5 } as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) >= 0x80) return false;
  return true;
}

export class ProtoReader {
  pos: number;
  readonly buf: Uint8Array;
  readonly end: number;
  private readonly view: DataView;

  /** Sub-readers share their parent's view of the buffer (one per message would add up). */
  constructor(buf: Uint8Array, start = 0, end = buf.length, view?: DataView) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.view = view ?? new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  hasMore(): boolean {
    return this.pos < this.end;
  }

  /** Reads a field tag; returns [fieldNumber, wireType]. */
  tag(): [number, number] {
    const key = this.varint();
    const field = Math.floor(key / 8);
    if (field === 0) throw new OtlpDecodeError(`invalid protobuf field number 0 at byte ${this.pos}`);
    return [field, key & 7];
  }

  varint(): number {
    // Tags and lengths fit in 4 bytes (28 bits): read those as plain numbers, since going through
    // BigInt for every one of them is a visible share of decoding; anything longer takes the
    // exact 64-bit path (same result).
    const start = this.pos;
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (this.pos >= this.end) throw new OtlpDecodeError('truncated varint');
      const byte = this.buf[this.pos++]!;
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    this.pos = start;
    return Number(this.varintBig());
  }

  varintBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OtlpDecodeError('truncated varint');
      const byte = this.buf[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new OtlpDecodeError('varint longer than 10 bytes');
  }

  fixed64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  sfixed64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  fixed32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  double(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A length-delimited field as a sub-reader over the same buffer (no copy). */
  sub(): ProtoReader {
    const length = this.varint();
    this.need(length);
    const reader = new ProtoReader(this.buf, this.pos, this.pos + length, this.view);
    this.pos += length;
    return reader;
  }

  bytes(): Uint8Array {
    const length = this.varint();
    this.need(length);
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  string(): string {
    const bytes = this.bytes();
    // Attribute keys and values are mostly short ASCII; decoding those in JS saves a native call
    // per string, a visible share of ingest CPU (ASCII is always valid UTF-8).
    if (bytes.length <= 64 && isAscii(bytes))
      return String.fromCharCode.apply(null, bytes as unknown as number[]);
    try {
      return utf8.decode(bytes);
    } catch {
      throw new OtlpDecodeError('invalid UTF-8 in string field');
    }
  }

  hex(): string {
    return Buffer.from(this.bytes()).toString('hex');
  }

  /** Packed repeated fixed64 (or one unpacked element, both are legal on the wire). */
  packedFixed64(wire: number, into: number[]): void {
    if (wire === WireType.fixed64) {
      into.push(Number(this.fixed64()));
      return;
    }
    const r = this.sub();
    // Two 32-bit halves: the same (correctly rounded) number as Number(bigint), without a BigInt.
    while (r.hasMore()) {
      r.need(8);
      into.push(r.view.getUint32(r.pos, true) + r.view.getUint32(r.pos + 4, true) * 4294967296);
      r.pos += 8;
    }
  }

  packedDouble(wire: number, into: number[]): void {
    if (wire === WireType.fixed64) {
      into.push(this.double());
      return;
    }
    const r = this.sub();
    while (r.hasMore()) into.push(r.double());
  }

  skip(wire: number): void {
    switch (wire) {
      case WireType.varint:
        this.varintBig();
        return;
      case WireType.fixed64:
        this.need(8);
        this.pos += 8;
        return;
      case WireType.len:
        this.bytes();
        return;
      case WireType.fixed32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new OtlpDecodeError(`unsupported protobuf wire type ${wire}`);
    }
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new OtlpDecodeError('truncated protobuf message');
  }
}
