// OTLP/HTTP responses in the request's own encoding: Export*ServiceResponse with partial_success,
// and google.rpc.Status for errors.

export type Encoding = 'protobuf' | 'json';

function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

function lenField(field: number, payload: Uint8Array): number[] {
  return [...varint((field << 3) | 2), ...varint(payload.length), ...payload];
}

/** partial_success is field 1 of every Export*ServiceResponse; the rejected count is field 1 of it. */
export function exportResponse(
  encoding: Encoding,
  kind: 'metrics' | 'traces' | 'logs',
  rejected: number,
  message: string,
) {
  const countName =
    kind === 'metrics' ? 'rejectedDataPoints' : kind === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
  if (encoding === 'json') {
    const body =
      rejected > 0 ? { partialSuccess: { [countName]: String(rejected), errorMessage: message } } : {};
    return { contentType: 'application/json', body: JSON.stringify(body) };
  }
  if (rejected === 0) return { contentType: 'application/x-protobuf', body: Buffer.alloc(0) };
  const partial = [...varint(1 << 3), ...varint(rejected), ...lenField(2, Buffer.from(message))];
  return { contentType: 'application/x-protobuf', body: Buffer.from(lenField(1, Uint8Array.from(partial))) };
}

export function statusResponse(encoding: Encoding, code: number, message: string) {
  if (encoding === 'json')
    return { contentType: 'application/json', body: JSON.stringify({ code, message }) };
  const bytes = [...varint(1 << 3), ...varint(code), ...lenField(2, Buffer.from(message))];
  return { contentType: 'application/x-protobuf', body: Buffer.from(bytes) };
}
