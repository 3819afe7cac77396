// Malformed payloads get a clear error and write nothing; oversized bodies get 413 (also after
// decompression); invalid points inside a valid request are reported through partial_success.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorFixture, startCollectorFixture } from '../support/collector-fixture.ts';

let fx: CollectorFixture;
beforeAll(async () => {
  fx = await startCollectorFixture();
});
afterAll(async () => fx.close());

const tables = ['otel_metrics_gauge', 'otel_metrics_sum', 'otel_metrics_histogram', 'otel_traces'];
async function totalRows(): Promise<number> {
  let n = 0;
  for (const t of tables) n += await fx.count(t);
  return n;
}

function post(path: string, body: string | Uint8Array, headers: Record<string, string>) {
  return fetch(`${fx.url}${path}`, { method: 'POST', body, headers });
}

const now = () => String(BigInt(Date.now()) * 1_000_000n);
const gauge = (points: unknown[]) => ({
  resourceMetrics: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'json-svc' } }] },
      scopeMetrics: [
        { scope: { name: 's' }, metrics: [{ name: 'queue.depth', gauge: { dataPoints: points } }] },
      ],
    },
  ],
});

describe('bad input', () => {
  it('rejects truncated protobuf with 400 and writes nothing', async () => {
    const before = await totalRows();
    const res = await post('/v1/metrics', Buffer.from([0x0a, 0x50, 0x01]), {
      'content-type': 'application/x-protobuf',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/x-protobuf');
    expect(await totalRows()).toBe(before);
  });

  it('rejects malformed JSON and wrong types with 400 naming the problem', async () => {
    const before = await totalRows();
    const broken = await post('/v1/metrics', '{"resourceMetrics": [', { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { message: string }).message).toMatch(/malformed JSON/);
    const wrongType = await post(
      '/v1/traces',
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 42 }] }] }] }),
      {
        'content-type': 'application/json',
      },
    );
    expect(wrongType.status).toBe(400);
    expect(((await wrongType.json()) as { message: string }).message).toMatch(
      /resourceSpans\.0\.scopeSpans\.0\.spans\.0\.traceId/,
    );
    expect(await totalRows()).toBe(before);
  });

  it('answers 415 to other content types', async () => {
    const res = await post('/v1/metrics', 'x', { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
  });

  it('accepts gzip JSON and reports invalid points through partial_success', async () => {
    const body = gauge([
      { timeUnixNano: now(), asDouble: 3, attributes: [{ key: 'queue', value: { stringValue: 'a' } }] },
      { asDouble: 4 },
    ]);
    const res = await post('/v1/metrics', gzipSync(JSON.stringify(body)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: {
        rejectedDataPoints: '1',
        errorMessage: 'queue.depth: data point without time_unix_nano',
      },
    });
    expect(
      await fx.count(
        'otel_metrics_gauge',
        "ServiceName = 'json-svc' AND Attributes['queue'] = 'a' AND Value = 3",
      ),
    ).toBe(1);
  });

  it('answers 413 over the body limit, and for a gzip bomb after decompression', async () => {
    const before = await totalRows();
    const huge = Buffer.alloc(21 * 1024 * 1024, 0x20);
    const res = await post('/v1/metrics', huge, { 'content-type': 'application/json' });
    expect(res.status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(30 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const bombRes = await post('/v1/metrics', bomb, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(bombRes.status).toBe(413);
    expect(await totalRows()).toBe(before);
  });
});
