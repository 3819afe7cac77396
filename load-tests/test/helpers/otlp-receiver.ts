// A real OTLP/HTTP metrics receiver for tests: decodes just enough protobuf (wire format by hand) to
// tell which metrics arrived, their kind, aggregation temporality and data point attributes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export type ReceivedMetric = {
  name: string;
  kind: 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary' | 'unknown';
  /** 1 = delta, 2 = cumulative, 0 = unspecified (gauges). */
  temporality: number;
  attributes: Record<string, string>[];
};

type Field = { no: number; wire: number; int: bigint; bytes: Buffer };

function* fields(buf: Buffer): Generator<Field> {
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[pos++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  const empty = Buffer.alloc(0);
  while (pos < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { no, wire, int: varint(), bytes: empty };
    else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      yield { no, wire, int: 0n, bytes: buf.subarray(pos, pos + size) };
      pos += size;
    } else if (wire === 2) {
      const len = Number(varint());
      yield { no, wire, int: 0n, bytes: buf.subarray(pos, pos + len) };
      pos += len;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
}

const sub = (buf: Buffer, no: number): Buffer[] =>
  [...fields(buf)].filter((f) => f.no === no).map((f) => f.bytes);

function attributes(point: Buffer, no: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of sub(point, no)) {
    const key = sub(kv, 1)[0]?.toString('utf8') ?? '';
    const value = sub(kv, 2)[0];
    out[key] = value ? (sub(value, 1)[0]?.toString('utf8') ?? '') : '';
  }
  return out;
}

const KINDS: Record<number, { kind: ReceivedMetric['kind']; attrField: number }> = {
  5: { kind: 'gauge', attrField: 7 },
  7: { kind: 'sum', attrField: 7 },
  9: { kind: 'histogram', attrField: 9 },
  10: { kind: 'exponentialHistogram', attrField: 1 },
  11: { kind: 'summary', attrField: 7 },
};

/** Decodes an ExportMetricsServiceRequest into one entry per metric. */
export function decodeMetricsRequest(body: Buffer): ReceivedMetric[] {
  const out: ReceivedMetric[] = [];
  for (const rm of sub(body, 1)) {
    for (const sm of sub(rm, 2)) {
      for (const metric of sub(sm, 2)) {
        let name = '';
        let entry: Omit<ReceivedMetric, 'name'> = { kind: 'unknown', temporality: 0, attributes: [] };
        for (const f of fields(metric)) {
          if (f.no === 1) name = f.bytes.toString('utf8');
          const known = KINDS[f.no];
          if (!known || f.wire !== 2) continue;
          const temporality = [...fields(f.bytes)].find((x) => x.no === 2 && x.wire === 0)?.int ?? 0n;
          entry = {
            kind: known.kind,
            temporality: Number(temporality),
            attributes: sub(f.bytes, 1).map((p) => attributes(p, known.attrField)),
          };
        }
        out.push({ name, ...entry });
      }
    }
  }
  return out;
}

export type OtlpReceiver = { endpoint: string; metrics: ReceivedMetric[]; close: () => Promise<void> };

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const metrics: ReceivedMetric[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (req.url === '/v1/metrics') metrics.push(...decodeMetricsRequest(body));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `127.0.0.1:${port}`,
    metrics,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
