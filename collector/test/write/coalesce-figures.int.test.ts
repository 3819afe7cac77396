// Coalescing changes when rows are stored, never what is stored: the same exports sent to a
// collector inserting each batch and to one coalescing them leave the same rows in the raw tables
// and the same aggregates in the 10 s and 1 min rollups every figure is read from.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStore, type Store, startCollector } from '../../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'coalesce-figures-'));
let store: Store;

beforeAll(async () => {
  store = await createStore({ dataDir: join(dir, 'chdb') });
}, 60_000);

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** Export k of a service: a delta histogram, a delta monotonic sum and a gauge, 3 s apart. */
function exportOf(service: string, k: number, base: bigint) {
  const start = String(base + BigInt(k) * 3_000_000_000n);
  const time = String(base + BigInt(k + 1) * 3_000_000_000n);
  const route = attribute('http.route', k % 3 === 0 ? '/a' : '/b');
  const buckets = [k % 4, (k * 7) % 5, (k * 3) % 2, 1];
  return {
    resourceMetrics: [
      {
        resource: { attributes: [attribute('service.name', service)] },
        scopeMetrics: [
          {
            scope: { name: 'figures' },
            metrics: [
              {
                name: 'http.server.request.duration',
                unit: 's',
                histogram: {
                  aggregationTemporality: 1,
                  dataPoints: [
                    {
                      startTimeUnixNano: start,
                      timeUnixNano: time,
                      count: String(buckets.reduce((a, b) => a + b, 0)),
                      sum: k * 0.25,
                      bucketCounts: buckets.map(String),
                      explicitBounds: [0.1, 0.5, 1],
                      attributes: [route],
                    },
                  ],
                },
              },
              {
                name: 'cache.hits',
                sum: {
                  aggregationTemporality: 1,
                  isMonotonic: true,
                  dataPoints: [
                    {
                      startTimeUnixNano: start,
                      timeUnixNano: time,
                      asInt: String(k % 6),
                      attributes: [route],
                    },
                  ],
                },
              },
              {
                name: 'queue.depth',
                gauge: { dataPoints: [{ timeUnixNano: time, asDouble: (k * 13) % 7 }] },
              },
            ],
          },
        ],
      },
    ],
  };
}

/** Every table's content for one service, ServiceName left out; rollups through their merge functions. */
async function figures(service: string): Promise<Record<string, unknown[]>> {
  const queries: Record<string, string> = {
    otel_metrics_histogram: `SELECT MetricName, TimeUnix, Attributes, Count, Sum, BucketCounts, ExplicitBounds, Min, Max
      FROM otel_metrics_histogram WHERE ServiceName = {s:String} ORDER BY TimeUnix, MetricName`,
    otel_metrics_sum: `SELECT MetricName, TimeUnix, Attributes, Value, AggregationTemporality, IsMonotonic
      FROM otel_metrics_sum WHERE ServiceName = {s:String} ORDER BY TimeUnix, MetricName`,
    otel_metrics_gauge: `SELECT MetricName, TimeUnix, Attributes, Value
      FROM otel_metrics_gauge WHERE ServiceName = {s:String} ORDER BY TimeUnix, MetricName`,
  };
  for (const step of ['10s', '1m']) {
    queries[`otel_metrics_histogram_${step}`] = `SELECT MetricName, TimeUnix, ExplicitBounds,
        sumForEachMerge(BucketCounts) AS b, sumMerge(Count) AS c, sumMerge(Sum) AS s, minMerge(Min) AS lo, maxMerge(Max) AS hi
      FROM otel_metrics_histogram_${step} WHERE ServiceName = {s:String}
      GROUP BY MetricName, TimeUnix, AttributesHash, ExplicitBounds ORDER BY TimeUnix, MetricName, AttributesHash`;
    queries[`otel_metrics_sum_${step}`] =
      `SELECT MetricName, TimeUnix, sumMerge(Value) AS v, countMerge(Points) AS n
      FROM otel_metrics_sum_${step} WHERE ServiceName = {s:String}
      GROUP BY MetricName, TimeUnix, AttributesHash ORDER BY TimeUnix, MetricName, AttributesHash`;
  }
  const out: Record<string, unknown[]> = {};
  for (const [table, query] of Object.entries(queries)) {
    const result = await store.client.query({ query, query_params: { s: service }, format: 'JSONEachRow' });
    out[table] = await result.json();
  }
  return out;
}

it('stores the same rows and rollups with and without coalescing', async () => {
  const plain = await startCollector({ store, port: 0, queueDir: join(dir, 'queue-plain') });
  const coalescing = await startCollector({
    store,
    port: 0,
    queueDir: join(dir, 'queue-coalescing'),
    batch: { coalesceMs: 600_000, coalesceBelowRowsPerSecond: 1_000_000 },
  });
  // Three minutes of exports ending a minute ago: several 10 s and 1 min rollup buckets.
  const base = (BigInt(Date.now()) - 240_000n) * 1_000_000n;
  for (let k = 0; k < 60; k++)
    for (const [collector, service] of [
      [plain, 'figures-plain'],
      [coalescing, 'figures-coalesced'],
    ] as const) {
      const response = await fetch(`${collector.url}/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(exportOf(service, k, base)),
      });
      expect(response.status).toBe(200);
    }
  expect(coalescing.stats().queueBatches).toBeGreaterThan(0);
  await plain.close();
  await coalescing.close();

  const expected = await figures('figures-plain');
  expect(expected.otel_metrics_histogram).toHaveLength(60);
  expect(expected.otel_metrics_sum_1m?.length).toBeGreaterThanOrEqual(4);
  expect(await figures('figures-coalesced')).toEqual(expected);
}, 60_000);
