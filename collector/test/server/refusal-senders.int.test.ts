// Every refusal is attributable: a real collector on chDB receives bad data from real senders —
// the OpenTelemetry JS SDK exporting a NaN gauge, raw requests with a wrong key or a broken body —
// and logs who sent it (service.name, remote address, user agent) and why, at most one line per
// sender and reason per interval, and counts it per sender in the store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorServer, createStore, type Store, startCollector } from '../../src/index.ts';

const key = 'k-refusals-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'refusal-senders-'));
let store: Store;
let collector: CollectorServer;
let url: string;
const lines: string[] = [];
let clockMs = Date.now();

beforeAll(async () => {
  store = await createStore({ dataDir: join(dir, 'chdb') });
  collector = await startCollector({
    store,
    port: 0,
    batch: { maxDelayMs: 10 },
    apiKeys: [key],
    refusals: { now: () => clockMs, log: { intervalMs: 60_000, write: (line) => lines.push(line) } },
  });
  url = `http://127.0.0.1:${collector.port}`;
}, 60_000);
afterAll(async () => {
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The per-sender counters as the collector's self-telemetry stored them. */
async function storedRefusals(metric: string, sender: string, reason: string): Promise<number> {
  await collector.writeSelfTelemetry();
  const result = await store.client.query({
    query: `SELECT sum(Value) AS n FROM otel_metrics_sum
      WHERE ServiceName = 'collector' AND MetricName = {metric:String}
        AND Attributes['sender'] = {sender:String} AND Attributes['reason'] = {reason:String}`,
    query_params: { metric, sender, reason },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: number }>();
  return Number(row?.n ?? 0);
}

const linesAbout = (text: string) => lines.filter((l) => l.includes(text));

const jsonGauge = (service: string, points: unknown[]) =>
  JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeMetrics: [
          { scope: { name: 's' }, metrics: [{ name: 'queue.depth', gauge: { dataPoints: points } }] },
        ],
      },
    ],
  });

describe('refused data names its sender', () => {
  it('an OTel SDK exporting a NaN gauge: logged with its service.name and user agent, counted in the store', async () => {
    const exporter = new OTLPMetricExporter({ url: `${url}/v1/metrics`, headers: { 'x-api-key': key } });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'refusal-sdk' }),
      readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })],
    });
    const meter = provider.getMeter('test');
    meter.createGauge('bad.level').record(Number.NaN);
    meter.createGauge('good.level').record(3);
    await provider.shutdown(); // one export, then done

    const [line, ...more] = linesAbout('sender="refusal-sdk"');
    expect(more).toEqual([]);
    expect(line).toContain('rejected 1 invalid metrics items (reason=invalid_items');
    expect(line).toContain('address=127.0.0.1');
    expect(line).toMatch(/user_agent="OTel-OTLP-Exporter-JavaScript\/[\d.]+"/);
    expect(line).toContain('bad.level: non-finite value');
    expect(await storedRefusals('collector.sender.refused_items', 'refusal-sdk', 'invalid_items')).toBe(1);
    expect(await storedRefusals('collector.sender.refused_requests', 'refusal-sdk', 'invalid_items')).toBe(1);
  });

  it('a wrong key or an undecodable body: logged with address and user agent, counted as "unknown"', async () => {
    const wrongKey = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'k-wrong-0123456789',
        'user-agent': 'bad-agent/1.0',
      },
      body: '{}',
    });
    expect(wrongKey.status).toBe(401);
    const broken = await fetch(`${url}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'x-api-key': key, 'user-agent': 'broken-agent/2' },
      body: Buffer.from([0x0a, 0x50, 0x01]),
    });
    expect(broken.status).toBe(400);

    expect(linesAbout('reason=unauthorized')).toEqual([
      'collector: refused a traces request (reason=unauthorized sender="unknown" (payload not decoded) address=127.0.0.1 user_agent="bad-agent/1.0"): "invalid API key"',
    ]);
    const [undecodable] = linesAbout('reason=undecodable');
    expect(undecodable).toContain(
      'refused a metrics request (reason=undecodable sender="unknown" (payload not decoded)',
    );
    expect(undecodable).toContain('user_agent="broken-agent/2"');
    expect(await storedRefusals('collector.sender.refused_requests', 'unknown', 'unauthorized')).toBe(1);
    expect(await storedRefusals('collector.sender.refused_requests', 'unknown', 'undecodable')).toBe(1);
  });

  it('a sender that keeps failing gets one line per interval, the next one saying how many were left out', async () => {
    const send = () =>
      fetch(`${url}/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        // A point without a time: rejected through partial_success; the body differs each time
        // so the request ledger does not take it for a retry.
        body: jsonGauge('noisy', [{ asDouble: Math.random() }, { asDouble: 1 }]),
      });
    for (let i = 0; i < 5; i++) expect((await send()).status).toBe(200);
    expect(linesAbout('sender="noisy"')).toHaveLength(1);
    clockMs += 61_000;
    await send();
    const noisy = linesAbout('sender="noisy"');
    expect(noisy).toHaveLength(2);
    expect(noisy[1]).toMatch(/\(4 more like it in the 61 s before, not logged: 8 items\)$/);
    expect(await storedRefusals('collector.sender.refused_items', 'noisy', 'invalid_items')).toBe(12);
    expect(await storedRefusals('collector.sender.refused_requests', 'noisy', 'invalid_items')).toBe(6);
  });
});
