// The in-process subscription to accepted metric batches (the alert engine's live data): a
// listener sees exactly the rows stored — cumulative histograms as deltas, invalid points left
// out — once the request is durable, once per request even when the client sends it again, and
// nothing after it unsubscribes; a listener that throws does not fail the request.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type AcceptedMetrics,
  type CollectorServer,
  createStore,
  dateTime64ToUnixMillis,
  type Store,
  startCollector,
} from '../../src/index.ts';

let dir: string;
let store: Store;
let collector: CollectorServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'collector-accepted-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
  collector = await startCollector({
    store,
    port: 0,
    queueDir: join(dir, 'queue'),
    batch: { maxDelayMs: 10 },
  });
});

afterAll(async () => {
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const nanos = (ms: number) => String(BigInt(ms) * 1_000_000n + 123_456n);

const seriesStart = Date.now() - 60_000;

function body(at: number, cumulativeCounts: number[]) {
  const count = cumulativeCounts.reduce((a, b) => a + b, 0);
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'http.server.request.duration',
                histogram: {
                  aggregationTemporality: 2, // cumulative: stored (and handed on) as deltas
                  dataPoints: [
                    {
                      attributes: [{ key: 'http.route', value: { stringValue: '/cars' } }],
                      startTimeUnixNano: nanos(seriesStart),
                      timeUnixNano: nanos(at),
                      count: String(count),
                      sum: count * 0.1,
                      bucketCounts: cumulativeCounts.map(String),
                      explicitBounds: [0.1, 0.5],
                      min: 0.01,
                      max: 0.4,
                    },
                  ],
                },
              },
              { name: 'queue.depth', gauge: { dataPoints: [{ timeUnixNano: nanos(at), asDouble: 7 }] } },
              { name: '', gauge: { dataPoints: [{ timeUnixNano: nanos(at), asDouble: 1 }] } }, // rejected
            ],
          },
        ],
      },
    ],
  });
}

const post = (text: string) =>
  fetch(`${collector.url}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: text,
  });

it('hands each accepted batch to subscribers once, as stored', async () => {
  const seen: AcceptedMetrics[] = [];
  const unsubscribe = collector.onAcceptedMetrics((batch) => seen.push(batch));
  const failing = collector.onAcceptedMetrics(() => {
    throw new Error('a broken listener');
  });
  const at = Date.now() - 5_000;
  expect((await post(body(at, [1, 2, 0]))).status).toBe(200);
  // Durable before the answer, and handed on by then.
  expect(seen).toHaveLength(1);
  const second = body(at + 1_000, [3, 5, 1]);
  expect((await post(second)).status).toBe(200);
  expect((await post(second)).status).toBe(200); // a client's retry: answered, not stored or handed on again
  expect(seen).toHaveLength(2);

  // The first cumulative point is the baseline (nothing stored); the second is handed on as its delta.
  expect(seen[0]!.histogram).toHaveLength(0);
  const [delta] = seen[1]!.histogram;
  expect(delta).toMatchObject({
    ServiceName: 'shop',
    MetricName: 'http.server.request.duration',
    Attributes: { 'http.route': '/cars' },
    BucketCounts: [2, 3, 1],
    ExplicitBounds: [0.1, 0.5],
    Count: 6,
  });
  expect(dateTime64ToUnixMillis(delta!.TimeUnix)).toBe(at + 1_000);
  expect(seen.map((b) => b.gauge.map((g) => [g.MetricName, g.Value]))).toEqual([
    [['queue.depth', 7]],
    [['queue.depth', 7]],
  ]);

  const stored = await store.client.query({
    query: `SELECT toString(TimeUnix) AS t, BucketCounts FROM otel_metrics_histogram WHERE ServiceName = 'shop'`,
    format: 'JSONEachRow',
  });
  expect(await stored.json()).toEqual([{ t: expect.any(String), BucketCounts: [2, 3, 1] }]);

  unsubscribe();
  failing();
  expect((await post(body(at + 2_000, [4, 5, 1]))).status).toBe(200);
  expect(seen).toHaveLength(2);
});

it('reads DateTime64(9) text as whole milliseconds, rounded down', () => {
  expect(dateTime64ToUnixMillis('1765090000.123999999')).toBe(1_765_090_000_123);
  expect(dateTime64ToUnixMillis('1765090000.5')).toBe(1_765_090_000_500);
  expect(dateTime64ToUnixMillis('1765090000')).toBe(1_765_090_000_000);
});
