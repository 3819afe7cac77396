// Windows ending "now" (unaligned at both ends) read the rollups for their aligned stretch and raw
// rows only for the edges — and answer exactly what the raw table answers: histogram buckets,
// series and quantiles, and the sum stats (sum, rate, count, ratio) from the sum rollups.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStore,
  type HistogramBucketRow,
  histogramBucketsQuery,
  quantileOf,
  queryHistogramBuckets,
  queryHistogramSeries,
  queryStat,
  type Store,
  summarise,
} from '../../src/index.ts';
import { sumStatQuery } from '../../src/query/stats.ts';

const dir = mkdtempSync(join(tmpdir(), 'now-window-'));
let store: Store;
const now = Date.now();
const hour = 3_600_000;
const bounds = [5, 10, 25, 50, 100, 250];

function histogramRows(batch: number): Record<string, unknown>[] {
  let seed = 11 + batch;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const out: Record<string, unknown>[] = [];
  // Points every 3.7 s (so they fall at every offset inside the buckets) over the last 3 h.
  for (let t = now - 3 * hour + batch * 1234; t < now; t += 3700)
    for (const status of ['200', '500']) {
      const counts = bounds.map(() => Math.floor(rnd() * 4)).concat([Math.floor(rnd() * 2)]);
      out.push({
        ServiceName: 'svc',
        MetricName: 'latency',
        Attributes: { status },
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

beforeAll(async () => {
  store = await createStore({ dataDir: join(dir, 'chdb') });
  for (const batch of [0, 1])
    await store.client.insert({
      table: 'otel_metrics_histogram',
      values: histogramRows(batch),
      format: 'JSONEachRow',
    });
  for (const status of ['200', '500'])
    await store.client.insert({
      table: 'otel_metrics_sum',
      format: 'JSONEachRow',
      values: Array.from({ length: 2900 }, (_, i) => ({
        ServiceName: 'svc',
        MetricName: 'requests',
        Attributes: { status },
        TimeUnix: ((now - 3 * hour + i * 3700) / 1000).toFixed(3),
        Value: (i % 9) + (status === '500' ? 0.5 : 0),
        AggregationTemporality: 1,
        IsMonotonic: true,
      })),
    });
}, 60_000);
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sel = { metric: 'latency', serviceName: 'svc' };
const errors = [{ key: 'status', op: '=' as const, value: '500' }];

function expectSameRows(a: HistogramBucketRow[], b: HistogramBucketRow[]) {
  expect(a.length).toBeGreaterThan(0);
  expect(a.map(({ sum, ...r }) => r)).toEqual(b.map(({ sum, ...r }) => r));
  a.forEach((r, i) => {
    expect(r.sum).toBeCloseTo(b[i]!.sum, 6);
  });
}

describe('windows ending now', () => {
  const windows = [
    {
      name: 'last 2 h 17 s by 60 s',
      from: now - 2 * hour - 17_000,
      step: 60,
      tables: ['_1m', '\n'],
    },
    { name: 'last 2 h, whole window', from: now - 2 * hour, step: undefined, tables: ['_1m'] },
    { name: 'last 15 min by 30 s', from: now - 15 * 60_000, step: 30, tables: ['_10s'] },
  ];
  for (const w of windows)
    it(`${w.name}: rollup plus raw edges equals raw`, async () => {
      const window = { from: w.from, to: now };
      const sql = histogramBucketsQuery(sel, window, w.step, errors).query;
      for (const t of w.tables) expect(sql).toContain(`otel_metrics_histogram${t}`);
      expect(sql).toContain('UNION ALL');
      const auto = await queryHistogramBuckets(store.client, sel, window, w.step, errors);
      const raw = await queryHistogramBuckets(store.client, sel, window, w.step, errors, 'raw');
      expectSameRows(auto, raw);
      for (const q of [0.5, 0.95, 0.99])
        expect(quantileOf(summarise(auto), q)).toBe(quantileOf(summarise(raw), q));
    });

  it('histogram series and stats agree with raw', async () => {
    const window = { from: now - 2 * hour - 5_000, to: now };
    const series = await queryHistogramSeries(store.client, {
      ...sel,
      window,
      stepSeconds: 300,
      errorWhere: errors,
    });
    const raw = summarise(await queryHistogramBuckets(store.client, sel, window, undefined, errors, 'raw'));
    expect(series.reduce((a, p) => a + p.count, 0)).toBe(raw.count);
    expect(series.reduce((a, p) => a + p.errors, 0)).toBe(raw.matching);
    const stat = (s: 'p95' | 'count' | 'ratio' | 'min') =>
      queryStat(store.client, { ...sel, kind: 'histogram', stat: s, window, numerator: errors });
    expect(await stat('p95')).toBe(quantileOf(raw, 0.95));
    expect(await stat('count')).toBe(raw.count);
    expect(await stat('ratio')).toBe(raw.matching / raw.count);
    expect(await stat('min')).toBe(raw.min);
  });

  it('sum stats (sum, rate, count, ratio) come from the sum rollups and equal raw', async () => {
    const window = { from: now - 2 * hour - 13_000, to: now };
    const query = sumStatQuery({ metric: 'requests', window, numerator: errors });
    expect(query.query).toContain('otel_metrics_sum_1m');
    const result = await store.client.query({
      query: `SELECT count() AS n, sum(Value) AS total, sumIf(Value, Attributes['status'] = '500') AS part
        FROM otel_metrics_sum WHERE MetricName = 'requests'
        AND TimeUnix >= fromUnixTimestamp64Milli({from:Int64}) AND TimeUnix < fromUnixTimestamp64Milli({to:Int64})`,
      query_params: window,
      format: 'JSONEachRow',
    });
    const [raw] = await result.json<{ n: number; total: number; part: number }>();
    const seconds = (window.to - window.from) / 1000;
    const stat = (s: 'sum' | 'rate' | 'count' | 'ratio') =>
      queryStat(store.client, { metric: 'requests', kind: 'sum', stat: s, window, numerator: errors });
    expect(await stat('count')).toBe(Number(raw?.n));
    expect(await stat('sum')).toBeCloseTo(Number(raw?.total), 6);
    expect(await stat('rate')).toBeCloseTo(Number(raw?.total) / seconds, 9);
    expect(await stat('ratio')).toBeCloseTo(Number(raw?.part) / Number(raw?.total), 12);
    expect(await stat('count')).toBeGreaterThan(1000);
  });
});
