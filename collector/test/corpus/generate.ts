// Writes the bad-input corpus (cases/*) and its manifest (what each case must get back and store).
// The files are kept in the repo; rerun after changing a case: node collector/test/corpus/generate.ts
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ProtobufMetricsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

export interface CorpusCase {
  name: string;
  file: string;
  path: '/v1/metrics' | '/v1/traces';
  contentType: string;
  contentEncoding?: string;
  /** Expected status; for 200, the rows stored under ServiceName corpus-<name> and rejected count. */
  expect: { status: number; stored?: number; rejected?: number };
}

const dir = new URL('./cases/', import.meta.url);
class CollectingReader extends MetricReader {
  protected override async onForceFlush() {}
  protected override async onShutdown() {}
}

async function sdkMetrics(service: string): Promise<Uint8Array> {
  const reader = new CollectingReader({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    readers: [reader],
  });
  const meter = provider.getMeter('corpus');
  const histogram = meter.createHistogram('http.server.request.duration', { unit: 's' });
  for (const route of ['/a', '/b', '/c']) histogram.record(0.1, { 'http.route': route });
  meter.createCounter('hits').add(3, { route: '/a' });
  const { resourceMetrics } = await reader.collect();
  const bytes = ProtobufMetricsSerializer.serializeRequest(resourceMetrics);
  if (!bytes) throw new Error('serialize failed');
  return bytes;
}

async function sdkTraces(service: string): Promise<Uint8Array> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const span = provider.getTracer('corpus').startSpan('GET /x');
  span.addEvent('e', { k: 'v' });
  span.end();
  const bytes = ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans());
  if (!bytes) throw new Error('serialize failed');
  return bytes;
}

const now = String(BigInt(Date.now()) * 1_000_000n);
const kv = (key: string, value: unknown) => ({ key, value });
const str = (s: string) => ({ stringValue: s });
function metricsJson(service: string, metrics: unknown[], extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [kv('service.name', str(service))] },
        scopeMetrics: [{ scope: { name: 'corpus' }, metrics }],
        ...extra,
      },
    ],
  });
}
const gauge = (points: unknown[]) => ({ name: 'corpus.gauge', gauge: { dataPoints: points } });
const histogram = (points: unknown[]) => ({
  name: 'corpus.histogram',
  histogram: { aggregationTemporality: 1, dataPoints: points },
});

/** An AnyValue nested as kvlists `depth` deep, as JSON text (too deep for JSON.stringify). */
function nestedJson(service: string, depth: number): string {
  const open = '{"kvlistValue":{"values":[{"key":"k","value":'.repeat(depth);
  const deep = `${open}{"stringValue":"leaf"}${'}]}}'.repeat(depth)}`;
  const marker = '"__DEEP__"';
  const body = metricsJson(service, [
    gauge([{ timeUnixNano: now, asDouble: 1, attributes: [kv('deep', '__DEEP__')] }]),
  ]);
  return body.replace(marker, deep);
}

/** A protobuf AnyValue nested as kvlists `depth` deep, inside an otherwise valid gauge request. */
function nestedProto(depth: number): Buffer {
  const len = (field: number, payload: Buffer) =>
    Buffer.concat([Buffer.from([(field << 3) | 2]), varint(payload.length), payload]);
  let anyValue = len(1, Buffer.from('leaf'));
  for (let i = 0; i < depth; i++)
    anyValue = len(6, len(1, Buffer.concat([len(1, Buffer.from('k')), len(2, anyValue)])));
  const attr = len(1, Buffer.from('deep')); // KeyValue.key
  const point = len(7, Buffer.concat([attr, len(2, anyValue)])); // NumberDataPoint.attributes
  const metric = Buffer.concat([len(1, Buffer.from('corpus.gauge')), len(5, len(1, point))]);
  return len(1, len(2, len(2, metric)));
}
function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

export async function corpus(): Promise<{ cases: CorpusCase[]; files: Record<string, Uint8Array | string> }> {
  const files: Record<string, Uint8Array | string> = {};
  const cases: CorpusCase[] = [];
  const add = (c: CorpusCase, body: Uint8Array | string) => {
    files[c.file] = body;
    cases.push(c);
  };
  const pb = 'application/x-protobuf';
  const json = 'application/json';

  const valid = await sdkMetrics('corpus-truncated-protobuf');
  add(
    {
      name: 'truncated-protobuf',
      file: 'truncated.pb',
      path: '/v1/metrics',
      contentType: pb,
      expect: { status: 400 },
    },
    valid.subarray(0, Math.floor(valid.length / 2)),
  );
  const flipped = Buffer.from(await sdkMetrics('corpus-bit-flipped-protobuf'));
  flipped[1] = (flipped[1] ?? 0) ^ 0x40; // the outer length prefix now points past the end
  flipped[flipped.length - 3] = (flipped[flipped.length - 3] ?? 0) ^ 0xff;
  add(
    {
      name: 'bit-flipped-protobuf',
      file: 'bit-flipped.pb',
      path: '/v1/metrics',
      contentType: pb,
      expect: { status: 400 },
    },
    flipped,
  );
  const spans = Buffer.from(await sdkTraces('corpus-truncated-traces'));
  add(
    {
      name: 'truncated-traces',
      file: 'truncated-traces.pb',
      path: '/v1/traces',
      contentType: pb,
      expect: { status: 400 },
    },
    spans.subarray(0, spans.length - 7),
  );
  add(
    {
      name: 'wrong-json-types',
      file: 'wrong-types.json',
      path: '/v1/metrics',
      contentType: json,
      expect: { status: 400 },
    },
    metricsJson('corpus-wrong-json-types', [gauge([{ timeUnixNano: now, asDouble: 'fast' }])]),
  );
  add(
    {
      name: 'wrong-json-root',
      file: 'wrong-root.json',
      path: '/v1/metrics',
      contentType: json,
      expect: { status: 400 },
    },
    '{"resourceMetrics":"all of them"}',
  );
  add(
    { name: 'json-null', file: 'null.json', path: '/v1/traces', contentType: json, expect: { status: 400 } },
    'null',
  );
  add(
    {
      name: 'unknown-fields',
      file: 'unknown-fields.json',
      path: '/v1/metrics',
      contentType: json,
      expect: { status: 200, stored: 1, rejected: 0 },
    },
    metricsJson(
      'corpus-unknown-fields',
      [{ ...gauge([{ timeUnixNano: now, asDouble: 1, futureField: [1, 2] }]), shinyNewKind: {} }],
      { notInProto: true },
    ),
  );
  const unknownPb = Buffer.concat([
    await sdkMetrics('corpus-unknown-fields-protobuf'),
    Buffer.from([0xf8, 0x07, 0x01, 0xfa, 0x07, 0x02, 0x68, 0x69]),
  ]);
  add(
    {
      name: 'unknown-fields-protobuf',
      file: 'unknown-fields.pb',
      path: '/v1/metrics',
      contentType: pb,
      expect: { status: 200, stored: 4, rejected: 0 },
    },
    unknownPb,
  );
  const many = Array.from({ length: 5000 }, (_, i) => kv(`attr.${i}`, str(`value-${i}`)));
  add(
    {
      name: 'huge-attribute-map',
      file: 'huge-attributes.json.gz',
      path: '/v1/metrics',
      contentType: json,
      contentEncoding: 'gzip',
      expect: { status: 200, stored: 1, rejected: 0 },
    },
    gzipSync(
      metricsJson('corpus-huge-attribute-map', [
        gauge([{ timeUnixNano: now, asDouble: 1, attributes: many }]),
      ]),
    ),
  );
  add(
    {
      name: 'very-long-string',
      file: 'long-string.json.gz',
      path: '/v1/metrics',
      contentType: json,
      contentEncoding: 'gzip',
      expect: { status: 200, stored: 1, rejected: 0 },
    },
    gzipSync(
      metricsJson('corpus-very-long-string', [
        gauge([{ timeUnixNano: now, asDouble: 1, attributes: [kv('long', str('x'.repeat(2_000_000)))] }]),
      ]),
    ),
  );
  add(
    {
      name: 'nan-inf',
      file: 'nan-inf.json',
      path: '/v1/metrics',
      contentType: json,
      expect: { status: 200, stored: 1, rejected: 3 },
    },
    metricsJson('corpus-nan-inf', [
      gauge(['NaN', 'Infinity', '-Infinity', 2].map((v) => ({ timeUnixNano: now, asDouble: v }))),
    ]),
  );
  add(
    {
      name: 'timestamps',
      file: 'timestamps.json',
      path: '/v1/metrics',
      contentType: json,
      expect: { status: 200, stored: 1, rejected: 4 },
    },
    metricsJson('corpus-timestamps', [
      gauge([
        { timeUnixNano: '0', asDouble: 1 },
        { timeUnixNano: '18446744073709551615', asDouble: 2 },
        { timeUnixNano: '9999999999000000000', asDouble: 3 },
        { timeUnixNano: now, startTimeUnixNano: '18446744073709551615', asDouble: 4 },
        { timeUnixNano: now, asDouble: 5 },
      ]),
    ]),
  );
  add(
    {
      name: 'bucket-mismatch',
      file: 'bucket-mismatch.json',
      path: '/v1/metrics',
      contentType: json,
      expect: { status: 200, stored: 1, rejected: 3 },
    },
    metricsJson('corpus-bucket-mismatch', [
      histogram([
        { timeUnixNano: now, count: '3', sum: 1, bucketCounts: ['1', '2'], explicitBounds: [1, 2] },
        { timeUnixNano: now, count: '9', sum: 1, bucketCounts: ['1', '2', '0'], explicitBounds: [1, 2] },
        { timeUnixNano: now, count: '3', sum: 1, bucketCounts: ['1', '2', '0'], explicitBounds: [2, 1] },
        { timeUnixNano: now, count: '3', sum: 1, bucketCounts: ['1', '2', '0'], explicitBounds: [1, 2] },
      ]),
    ]),
  );
  add(
    {
      name: 'negative-counts',
      file: 'negative-counts.json',
      path: '/v1/metrics',
      contentType: json,
      expect: { status: 200, stored: 0, rejected: 2 },
    },
    metricsJson('corpus-negative-counts', [
      histogram([
        { timeUnixNano: now, count: '-1', sum: 1, bucketCounts: ['-1', '0'], explicitBounds: [1] },
        { timeUnixNano: now, count: '1', sum: 'NaN', bucketCounts: ['3', '-2'], explicitBounds: [1] },
      ]),
    ]),
  );
  add(
    {
      name: 'deep-nesting',
      file: 'deep-nesting.json.gz',
      path: '/v1/metrics',
      contentType: json,
      contentEncoding: 'gzip',
      expect: { status: 400 },
    },
    gzipSync(nestedJson('corpus-deep-nesting', 5000)),
  );
  add(
    {
      name: 'deep-nesting-protobuf',
      file: 'deep-nesting.pb',
      path: '/v1/metrics',
      contentType: pb,
      expect: { status: 400 },
    },
    nestedProto(200),
  );
  add(
    {
      name: 'wrong-content-type',
      file: 'wrong-content-type.txt',
      path: '/v1/metrics',
      contentType: 'text/plain',
      expect: { status: 415 },
    },
    'hello',
  );
  add(
    {
      name: 'bad-gzip',
      file: 'bad-gzip.bin',
      path: '/v1/metrics',
      contentType: pb,
      contentEncoding: 'gzip',
      expect: { status: 400 },
    },
    gzipSync(await sdkMetrics('corpus-bad-gzip')).subarray(0, 40),
  );
  add(
    {
      name: 'unknown-encoding',
      file: 'unknown-encoding.bin',
      path: '/v1/metrics',
      contentType: pb,
      contentEncoding: 'br',
      expect: { status: 415 },
    },
    Buffer.from([1, 2, 3]),
  );
  add(
    {
      name: 'bad-span-ids',
      file: 'bad-span-ids.json',
      path: '/v1/traces',
      contentType: json,
      expect: { status: 200, stored: 1, rejected: 2 },
    },
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [kv('service.name', str('corpus-bad-span-ids'))] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '00000000000000000000000000000000',
                  spanId: '0102030405060708',
                  name: 'zero trace',
                  startTimeUnixNano: now,
                },
                {
                  traceId: '0102030405060708090a0b0c0d0e0f10',
                  spanId: '01',
                  name: 'short span',
                  startTimeUnixNano: now,
                },
                {
                  traceId: '0102030405060708090a0b0c0d0e0f10',
                  spanId: '0102030405060708',
                  name: 'ok',
                  startTimeUnixNano: now,
                  endTimeUnixNano: now,
                },
              ],
            },
          ],
        },
      ],
    }),
  );
  return { cases, files };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { cases, files } = await corpus();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, body] of Object.entries(files)) writeFileSync(new URL(file, dir), body);
  writeFileSync(new URL('./manifest.json', import.meta.url), `${JSON.stringify(cases, null, 2)}\n`);
  console.log(`wrote ${cases.length} cases`);
}
