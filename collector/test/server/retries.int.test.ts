// Acknowledged once, stored once — also when the client retries. An OTLP client whose request
// times out while the store is stalled sends the same bytes again (and again); the collector
// stores the request's points, spans and log records once, answers every copy 200 with the first
// copy's partial success, and still recognises the request after a restart on the same data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorServer, createStore, type Store, startCollector } from '../../src/index.ts';
import { type FaultyStore, faultyStore } from '../support/faulty-store.ts';

let dir: string;
let real: Store;
let faulty: FaultyStore;
let collector: CollectorServer;
const queueDir = () => join(dir, 'queue');

const start = async () =>
  startCollector({ store: faulty.store, port: 0, queueDir: queueDir(), batch: { maxDelayMs: 10 } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'collector-retries-'));
  real = await createStore({ dataDir: join(dir, 'chdb') });
  faulty = faultyStore(real);
  collector = await start();
});

afterAll(async () => {
  await collector?.close();
  await real?.close();
  rmSync(dir, { recursive: true, force: true });
});

const nanos = (ms: number) => String(BigInt(ms) * 1_000_000n);
const resource = (service: string) => ({
  attributes: [{ key: 'service.name', value: { stringValue: service } }],
});

function metricsBody(service: string, at: number, value: number) {
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: resource(service),
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'orders.placed',
                sum: {
                  aggregationTemporality: 1,
                  isMonotonic: true,
                  dataPoints: [
                    { startTimeUnixNano: nanos(at - 1000), timeUnixNano: nanos(at), asDouble: value },
                  ],
                },
              },
              // Invalid (a point without a name): partial success, the same answer for every copy.
              {
                name: '',
                gauge: { dataPoints: [{ timeUnixNano: nanos(at), asDouble: 1 }] },
              },
            ],
          },
        ],
      },
    ],
  });
}

function tracesBody(service: string, at: number) {
  const spans = Array.from({ length: 5 }, (_, i) => ({
    traceId: '0102030405060708090a0b0c0d0e0f10',
    spanId: `000000000000000${i + 1}`,
    name: `span-${i}`,
    kind: 2,
    startTimeUnixNano: nanos(at),
    endTimeUnixNano: nanos(at + 5),
  }));
  return JSON.stringify({ resourceSpans: [{ resource: resource(service), scopeSpans: [{ spans }] }] });
}

function logsBody(service: string, at: number) {
  const logRecords = Array.from({ length: 3 }, (_, i) => ({
    timeUnixNano: nanos(at + i),
    severityNumber: 9,
    body: { stringValue: `line ${i}` },
  }));
  return JSON.stringify({ resourceLogs: [{ resource: resource(service), scopeLogs: [{ logRecords }] }] });
}

/** What an OTLP exporter does: send, give up after `timeoutMs`, send the same bytes again — until a 200. */
async function sendWithRetries(path: string, body: string, timeoutMs: number) {
  const answers: { status: number; text: string }[] = [];
  let timeouts = 0;
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      const res = await fetch(`http://127.0.0.1:${collector.port}${path}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      answers.push({ status: res.status, text });
      if (res.status === 200) return { answers, timeouts };
    } catch {
      timeouts++;
    }
  }
  throw new Error(`no 200 after 40 attempts: ${JSON.stringify(answers)}`);
}

async function count(table: string, service: string, column = 'ServiceName'): Promise<number> {
  const result = await real.client.query({
    query: `SELECT count() AS n FROM ${table} WHERE ${column} = {service:String}`,
    query_params: { service },
    format: 'JSONEachRow',
  });
  return Number((await result.json<{ n: string }>())[0]?.n ?? 0);
}

describe('retries of the same request', () => {
  it('stores the points, spans and logs of a request that timed out and was sent again once', async () => {
    const at = Date.now();
    faulty.fault = { type: 'slow', delayMs: 1_500 };
    const [metrics, traces, logs] = await Promise.all([
      sendWithRetries('/v1/metrics', metricsBody('retry-svc', at, 7), 250),
      sendWithRetries('/v1/traces', tracesBody('retry-svc', at), 250),
      sendWithRetries('/v1/logs', logsBody('retry-svc', at), 250),
    ]);
    faulty.fault = { type: 'none' };
    // Each client gave up at least once while the store was stalled, so each sent a copy again.
    for (const outcome of [metrics, traces, logs]) expect(outcome.timeouts).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(metrics.answers.at(-1)!.text)).toMatchObject({
      partialSuccess: { rejectedDataPoints: '1' },
    });
    // Sent again after the acknowledgement: answered from the ledger, same partial success.
    const again = await sendWithRetries('/v1/metrics', metricsBody('retry-svc', at, 7), 5_000);
    expect(again.answers).toEqual([metrics.answers.at(-1)]);

    await collector.close();
    collector = await start(); // drains what the stall put in the queue
    await expect.poll(() => count('otel_metrics_sum', 'retry-svc'), { timeout: 20_000 }).toBe(1);
    expect(await count('otel_traces', 'retry-svc')).toBe(5);
    expect(await count('otel_logs', 'retry-svc')).toBe(3);
    const sum = await real.client.query({
      query: "SELECT sum(Value) AS v FROM otel_metrics_sum WHERE ServiceName = 'retry-svc'",
      format: 'JSONEachRow',
    });
    expect(await sum.json()).toEqual([{ v: 7 }]);
    expect(collector.stats().repeatedRequests).toBe(0); // a new process: its own count
  });

  it('recognises a request acknowledged before a restart, and stores a changed one', async () => {
    const at = Date.now();
    const first = await sendWithRetries('/v1/traces', tracesBody('restart-svc', at), 5_000);
    expect(first.answers.map((a) => a.status)).toEqual([200]);
    await collector.close();
    collector = await start();
    const repeat = await sendWithRetries('/v1/traces', tracesBody('restart-svc', at), 5_000);
    expect(repeat.answers.map((a) => a.status)).toEqual([200]);
    expect(collector.stats().repeatedRequests).toBe(1);
    // Same service, one span later: different bytes, a different request.
    await sendWithRetries('/v1/traces', tracesBody('restart-svc', at + 1), 5_000);
    await expect.poll(() => count('otel_traces', 'restart-svc'), { timeout: 10_000 }).toBe(10);
  });
});
