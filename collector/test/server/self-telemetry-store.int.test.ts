// The collector's own counters land in the store as ordinary metrics under its own ServiceName,
// per signal, as deltas that add up to the counters — queryable with the shared queryStat like
// any service's metrics — and /ready reports the store and the queue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type CollectorServer,
  createStore,
  queryStat,
  type Readiness,
  type Store,
  selfMetricNames,
  startCollector,
} from '../../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'self-telemetry-'));
let store: Store;
let collector: CollectorServer;
let url: string;
const t0 = Date.now() - 1000;

beforeAll(async () => {
  store = await createStore({ dataDir: join(dir, 'chdb') });
  collector = await startCollector({
    store,
    port: 0,
    // A loaded CI machine has taken over 2 s (the default) for an insert here, which queues the
    // batch (as it should) and leaves the counters unreadable until the replay: not this test's subject.
    batch: { maxDelayMs: 10, insertTimeoutMs: 60_000 },
    selfTelemetry: { intervalMs: 60_000, serviceName: 'collector-under-test' },
  });
  url = `http://127.0.0.1:${collector.port}`;
}, 60_000);
afterAll(async () => {
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const now = () => String(BigInt(Date.now()) * 1_000_000n);
async function sendGauges(n: number, bad = 0) {
  const points = [
    ...Array.from({ length: n }, (_, i) => ({ timeUnixNano: now(), asDouble: i })),
    ...Array.from({ length: bad }, () => ({ timeUnixNano: '0', asDouble: 1 })),
  ];
  const res = await fetch(`${url}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: points } }] }] }],
    }),
  });
  expect(res.status).toBe(200);
}

async function sendSpans(n: number) {
  const spans = Array.from({ length: n }, (_, i) => ({
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: 's',
    startTimeUnixNano: now(),
    endTimeUnixNano: now(),
  }));
  const res = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }),
  });
  expect(res.status).toBe(200);
}

const total = (metric: string, signal: string) =>
  queryStat(store.client, {
    metric,
    serviceName: 'collector-under-test',
    kind: 'sum',
    stat: 'sum',
    where: [{ key: 'signal', op: '=', value: signal }],
    window: { from: t0, to: Date.now() + 60_000 },
  });

it('writes received/accepted/rejected/written per signal; the deltas add up to the counters', async () => {
  await sendGauges(5, 2);
  await sendSpans(3);
  await collector.writeSelfTelemetry();
  expect(await total(selfMetricNames.received, 'metrics')).toBe(7);
  expect(await total(selfMetricNames.accepted, 'metrics')).toBe(5);
  expect(await total(selfMetricNames.rejected, 'metrics')).toBe(2);
  expect(await total(selfMetricNames.accepted, 'traces')).toBe(3);
  expect(await total(selfMetricNames.written, 'traces')).toBe(3);
  await sendGauges(4);
  await sendSpans(2);
  await new Promise((r) => setTimeout(r, 5));
  await collector.writeSelfTelemetry();
  expect(await total(selfMetricNames.accepted, 'metrics')).toBe(9);
  expect(await total(selfMetricNames.accepted, 'traces')).toBe(5);
  expect(await total(selfMetricNames.received, 'logs')).toBe(0);
  // Its own rows are not counted as received from clients, but they are written rows.
  expect(collector.stats().receivedPoints).toBe(11);
  expect(await total(selfMetricNames.written, 'metrics')).toBeGreaterThan(9);
  const result = await store.client.query({
    query: `SELECT argMax(Value, TimeUnix) AS v FROM otel_metrics_gauge
      WHERE ServiceName = 'collector-under-test' AND MetricName = {m:String}`,
    query_params: { m: selfMetricNames.storeUp },
    format: 'JSONEachRow',
  });
  expect(Number((await result.json<{ v: number }>())[0]?.v)).toBe(1);
});

it('reports the store and the queue on /ready', async () => {
  const res = await fetch(`${url}/ready`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as Readiness & { store: { describe: string } };
  expect(body).toMatchObject({
    ready: true,
    store: { state: 'ok', error: null },
    queue: { state: 'empty', bytes: 0, batches: 0 },
  });
  expect(body.store.describe).toMatch(/chDB|embedded/i);
});

it('times every store insert: a histogram per signal and outcome on /metrics and in the store', async () => {
  await sendGauges(3);
  await sendSpans(2);
  const text = await (await fetch(`${url}/metrics`)).text();
  const count = (signal: string) =>
    Number(
      new RegExp(
        `^collector_store_insert_duration_seconds_count\\{signal="${signal}",outcome="success"\\} (\\d+)$`,
        'm',
      ).exec(text)?.[1] ?? 0,
    );
  expect(text).toContain('# TYPE collector_store_insert_duration_seconds histogram');
  expect(count('metrics')).toBeGreaterThanOrEqual(1);
  expect(count('traces')).toBeGreaterThanOrEqual(1);
  expect(text).toMatch(
    /^collector_store_insert_duration_seconds_bucket\{signal="traces",outcome="success",le="\+Inf"\} [1-9]/m,
  );
  const recent = collector.stats().storeInsertLastMinute;
  expect(recent.inserts).toBeGreaterThanOrEqual(2);
  expect(recent.p50Seconds).toBeGreaterThan(0);
  expect(recent.p95Seconds).toBeGreaterThanOrEqual(recent.p50Seconds ?? 0);

  await collector.writeSelfTelemetry();
  const stat = (stat: 'count' | 'p95', signal: string) =>
    queryStat(store.client, {
      metric: selfMetricNames.insertDuration,
      serviceName: 'collector-under-test',
      kind: 'histogram',
      stat,
      where: [
        { key: 'signal', op: '=', value: signal },
        { key: 'outcome', op: '=', value: 'success' },
      ],
      window: { from: t0, to: Date.now() + 60_000 },
    });
  // The cumulative histogram lands as deltas: their counts add up to the inserts timed so far.
  expect(await stat('count', 'traces')).toBe(count('traces'));
  expect(await stat('p95', 'traces')).toBeGreaterThan(0);
});
