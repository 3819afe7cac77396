// Many selectors in one batched query answer exactly what each gives alone through the single
// queries (queryHistogramBuckets, queryStat): filters, ratio numerators, overlapping selectors,
// windows served by rollups and raw edges, with and without steps, gauges and sums alike.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BatchSelector,
  createStore,
  planBatchSources,
  queryHistogramBatch,
  queryHistogramBuckets,
  queryStat,
  queryValueBatch,
  type Store,
  statOfValues,
  summarise,
  type ValueSelector,
} from '../../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'stat-batch-'));
let store: Store;
const now = Date.now();
const hour = 3_600_000;
const bounds = [5, 10, 25, 50, 100, 250];

function seeded(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

/** Two services' histograms every 3.7 s over the last 2 h, with routes and statuses. */
function histogramRows(): Record<string, unknown>[] {
  const rnd = seeded(7);
  const out: Record<string, unknown>[] = [];
  for (let t = now - 2 * hour; t < now; t += 3700)
    for (const service of ['svc', 'other'])
      for (const [route, status] of [
        ['/a', '200'],
        ['/a', '503'],
        ['/health', '200'],
        ['/login', '500'],
      ]) {
        const counts = bounds.map(() => Math.floor(rnd() * 4)).concat([Math.floor(rnd() * 2)]);
        out.push({
          ServiceName: service,
          MetricName: 'latency',
          Attributes: { route, status },
          TimeUnix: (t / 1000).toFixed(3),
          Count: counts.reduce((a, b) => a + b, 0),
          Sum: Math.floor(rnd() * 1000),
          BucketCounts: counts,
          ExplicitBounds: bounds,
          Min: 1 + Math.floor(rnd() * 4),
          Max: 100 + Math.floor(rnd() * 300),
        });
      }
  return out;
}

function valueRows(): { gauge: Record<string, unknown>[]; sum: Record<string, unknown>[] } {
  const rnd = seeded(3);
  const gauge: Record<string, unknown>[] = [];
  const sum: Record<string, unknown>[] = [];
  for (let t = now - 2 * hour; t < now; t += 4100) {
    const at = (t / 1000).toFixed(3);
    gauge.push({
      ServiceName: 'svc',
      MetricName: 'memory',
      Attributes: {},
      TimeUnix: at,
      Value: rnd() * 1e8,
    });
    // The two states 1 ms apart: `last` has one answer (argMax over equal times has none).
    for (const [offset, state] of ['used', 'idle'].entries())
      sum.push({
        ServiceName: 'svc',
        MetricName: 'connections',
        Attributes: { state },
        TimeUnix: ((t + offset) / 1000).toFixed(3),
        Value: Math.floor(rnd() * 10),
        AggregationTemporality: 1,
        IsMonotonic: false,
      });
  }
  return { gauge, sum };
}

beforeAll(async () => {
  store = await createStore({ dataDir: join(dir, 'chdb') });
  await store.client.insert({
    table: 'otel_metrics_histogram',
    values: histogramRows(),
    format: 'JSONEachRow',
  });
  const { gauge, sum } = valueRows();
  await store.client.insert({ table: 'otel_metrics_gauge', values: gauge, format: 'JSONEachRow' });
  await store.client.insert({ table: 'otel_metrics_sum', values: sum, format: 'JSONEachRow' });
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const fiveXX = [{ key: 'status', op: '>=' as const, value: 500 }];
const selectors: BatchSelector[] = [
  {
    metric: 'latency',
    serviceName: 'svc',
    where: [{ key: 'route', op: '!=', value: '/health' }],
    numerator: fiveXX,
  },
  {
    metric: 'latency',
    serviceName: 'svc',
    where: [{ key: 'route', op: '=', value: '/login' }],
    numerator: fiveXX,
  },
  { metric: 'latency', serviceName: 'svc' },
  { metric: 'latency', serviceName: 'other', numerator: [{ key: 'route', op: '=', value: '/a' }] },
  { metric: 'latency', serviceName: 'nobody' },
];

const windows = {
  'ending now (rollups and raw edges)': { from: now - 47 * 60_000 - 1234, to: now },
  'minute-aligned hour (1 min rollup only)': {
    from: Math.floor(now / 60_000) * 60_000 - hour,
    to: Math.floor(now / 60_000) * 60_000,
  },
  'short and unaligned (raw)': { from: now - 7_300, to: now - 1_100 },
};

describe('histogram batch', () => {
  for (const [name, window] of Object.entries(windows)) {
    for (const step of [undefined, 60]) {
      it(`equals each selector alone: ${name}, ${step ? `${step} s steps` : 'whole window'}`, async () => {
        const batch = await queryHistogramBatch(store.client, selectors, window, step);
        for (const [i, sel] of selectors.entries()) {
          const alone = await queryHistogramBuckets(store.client, sel, window, step, sel.numerator);
          expect(batch[i], `selector ${i}`).toEqual(alone);
        }
        expect(summarise(batch[0] ?? []).matching).toBeGreaterThan(0);
        expect(batch[4]).toEqual([]);
      });
    }
  }
});

describe('value batch', () => {
  const values: ValueSelector[] = [
    { kind: 'gauge', metric: 'memory', serviceName: 'svc' },
    {
      kind: 'sum',
      metric: 'connections',
      serviceName: 'svc',
      numerator: [{ key: 'state', op: '=', value: 'used' }],
    },
    {
      kind: 'sum',
      metric: 'connections',
      serviceName: 'svc',
      where: [{ key: 'state', op: '=', value: 'idle' }],
    },
    { kind: 'gauge', metric: 'connections', serviceName: 'svc' },
  ];
  for (const [name, window] of Object.entries(windows)) {
    it(`gives every stat queryStat gives: ${name}`, async () => {
      const [rows, seconds] = [
        await queryValueBatch(store.client, values, window),
        (window.to - window.from) / 1000,
      ];
      for (const [i, sel] of values.entries()) {
        for (const stat of ['avg', 'min', 'max', 'last', 'count', 'sum', 'rate', 'ratio'] as const) {
          if (stat === 'ratio' && !sel.numerator) continue;
          const alone = await queryStat(store.client, { ...sel, stat, window });
          const got = statOfValues(rows[i]?.get(0), stat, seconds);
          if (alone === null) expect(got, `${sel.metric} ${stat}`).toBeNull();
          // Summation order differs: equal to 1e-12 relative.
          else
            expect(Math.abs((got ?? Number.NaN) - alone), `${sel.metric} ${stat}`).toBeLessThanOrEqual(
              1e-12 * Math.abs(alone),
            );
        }
      }
      // A gauge selector never reads the sum table's rows of the same name.
      expect(rows[3]?.size).toBe(0);
    });
  }
});

describe('planBatchSources', () => {
  it('uses the 1 min rollup, then 10 s, then raw rows only for the sub-10 s edges', () => {
    const m = 60_000;
    expect(planBatchSources({ from: 10 * m - 25_500, to: 20 * m + 13_000 })).toEqual([
      { source: 'raw', window: { from: 10 * m - 25_500, to: 10 * m - 20_000 } },
      { source: '10s', window: { from: 10 * m - 20_000, to: 10 * m } },
      { source: '1m', window: { from: 10 * m, to: 20 * m } },
      { source: '10s', window: { from: 20 * m, to: 20 * m + 10_000 } },
      { source: 'raw', window: { from: 20 * m + 10_000, to: 20 * m + 13_000 } },
    ]);
  });

  it('reads only rollups whose bucket divides the step', () => {
    expect(planBatchSources({ from: 0, to: 300_000 }, 50).map((p) => p.source)).toEqual(['10s']);
    expect(planBatchSources({ from: 0, to: 300_000 }, 5).map((p) => p.source)).toEqual(['raw']);
    expect(planBatchSources({ from: 0, to: 300_000 }, 60).map((p) => p.source)).toEqual(['1m']);
  });
});
