// OTLP logs → otel_logs in the exporter's layout: protobuf from the OTel JS encoder, and JSON with
// an invalid record reported through partial_success.
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorFixture, startCollectorFixture } from '../support/collector-fixture.ts';

let fx: CollectorFixture;
beforeAll(async () => {
  fx = await startCollectorFixture();
});
afterAll(async () => fx.close());

describe('OTLP logs', () => {
  it('stores a protobuf log record with its severity, body, attributes and trace context', async () => {
    const now = Date.now();
    // A ReadableLogRecord as the SDK's processors hand it to the exporter's serializer.
    const record = {
      hrTime: [Math.floor(now / 1000), (now % 1000) * 1e6],
      hrTimeObserved: [Math.floor(now / 1000), 0],
      severityNumber: 17,
      severityText: 'ERROR',
      body: 'payment failed',
      attributes: { 'order.id': 42 },
      resource: resourceFromAttributes({ 'service.name': 'logs-proto' }),
      instrumentationScope: { name: 'checkout', version: '1.2.0' },
      spanContext: { traceId: '0102030405060708090a0b0c0d0e0f10', spanId: '0102030405060708', traceFlags: 1 },
      droppedAttributesCount: 0,
    };
    const body = ProtobufLogsSerializer.serializeRequest([record as never]);
    const res = await fetch(`${fx.url}/v1/logs`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(res.status).toBe(200);
    const result = await fx.store.client.query({
      query: `SELECT SeverityText, SeverityNumber, Body, LogAttributes['order.id'] AS orderId, TraceId, SpanId,
        TraceFlags, ScopeName, ScopeVersion, toUnixTimestamp64Milli(Timestamp) AS ms, toDateTime(Timestamp) = TimestampTime AS tt
        FROM otel_logs WHERE ServiceName = 'logs-proto'`,
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual([
      {
        SeverityText: 'ERROR',
        SeverityNumber: 17,
        Body: 'payment failed',
        orderId: '42',
        TraceId: '0102030405060708090a0b0c0d0e0f10',
        SpanId: '0102030405060708',
        TraceFlags: 1,
        ScopeName: 'checkout',
        ScopeVersion: '1.2.0',
        ms: now,
        tt: 1,
      },
    ]);
  });

  it('takes JSON, falls back to the observed time, and rejects a record without any time', async () => {
    const observed = String(BigInt(Date.now()) * 1_000_000n);
    const res = await fetch(`${fx.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'logs-json' } }] },
            scopeLogs: [
              {
                logRecords: [
                  {
                    observedTimeUnixNano: observed,
                    severityNumber: 9,
                    body: { kvlistValue: { values: [] } },
                  },
                  { severityNumber: 9, body: { stringValue: 'no time at all' } },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: {
        rejectedLogRecords: '1',
        errorMessage: 'log record without time_unix_nano or observed_time_unix_nano',
      },
    });
    expect(await fx.count('otel_logs', "ServiceName = 'logs-json'")).toBe(1);
    const metrics = await (await fetch(`${fx.url}/metrics`)).text();
    expect(metrics).toMatch(/^otelcol_receiver_refused_log_records_total 1$/m);
  });
  it('keeps event_name (EventName), from protobuf and JSON', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    // Hand-encoded protobuf: the OTel JS serializer does not write event_name (field 12) yet.
    const varint = (n: number) => {
      const out: number[] = [];
      for (let v = n; ; v >>>= 7) {
        if (v < 0x80) return [...out, v];
        out.push((v & 0x7f) | 0x80);
      }
    };
    const len = (field: number, bytes: Buffer) =>
      Buffer.concat([Buffer.from([(field << 3) | 2, ...varint(bytes.length)]), bytes]);
    const text = (field: number, value: string) => len(field, Buffer.from(value));
    const fixed64 = (field: number, value: bigint) => {
      const b = Buffer.alloc(9);
      b[0] = (field << 3) | 1;
      b.writeBigUInt64LE(value, 1);
      return b;
    };
    const serviceName = len(1, Buffer.concat([text(1, 'service.name'), len(2, text(1, 'logs-event-proto'))]));
    const record = Buffer.concat([fixed64(1, now), len(5, text(1, 'clicked')), text(12, 'ui.click')]);
    const body = len(1, Buffer.concat([len(1, serviceName), len(2, len(2, record))]));
    const proto = await fetch(`${fx.url}/v1/logs`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(proto.status).toBe(200);
    const json = await fetch(`${fx.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'logs-event-json' } }] },
            scopeLogs: [{ logRecords: [{ timeUnixNano: String(now), eventName: 'checkout.done' }] }],
          },
        ],
      }),
    });
    expect(json.status).toBe(200);
    const result = await fx.store.client.query({
      query:
        "SELECT ServiceName, Body, EventName FROM otel_logs WHERE ServiceName LIKE 'logs-event-%' ORDER BY ServiceName",
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual([
      { ServiceName: 'logs-event-json', Body: '', EventName: 'checkout.done' },
      { ServiceName: 'logs-event-proto', Body: 'clicked', EventName: 'ui.click' },
    ]);
  });
});
