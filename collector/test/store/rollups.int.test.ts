// Rollups answer exactly what the raw table answers for the same data, the query picks them for
// long aligned windows, the trace-id lookup fills through its view, and TTLs land in the DDL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyTtl,
  chooseHistogramSource,
  createStore,
  type HistogramBucketRow,
  migrate,
  quantileOf,
  queryHistogramBuckets,
  queryStat,
  type Store,
  summarise,
} from '../../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'rollups-'));
let store: Store;
const t0 = Date.UTC(2026, 0, 1);
const hour = 3_600_000;
const bounds = [5, 10, 25, 50, 100, 250];

// Deterministic pseudo-random rows: 2 h of 2-second points for 4 series, plus other bounds.
function rows(batch: number): Record<string, unknown>[] {
  let seed = 7 + batch;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const out: Record<string, unknown>[] = [];
  for (let ms = t0 + batch * 1000; ms < t0 + 2 * hour; ms += 4000) {
    for (const route of ['/a', '/b'])
      for (const status of ['200', '500']) {
        const counts = bounds.map(() => Math.floor(rnd() * 4)).concat([Math.floor(rnd() * 2)]);
        const count = counts.reduce((a, b) => a + b, 0);
        out.push({
          ServiceName: 'svc',
          MetricName: 'http.server.duration',
          Attributes: { route, status },
          TimeUnix: `${ms / 1000}.000000000`,
          Count: count,
          Sum: count * Math.floor(rnd() * 100),
          BucketCounts: counts,
          ExplicitBounds: route === '/b' && ms > t0 + hour ? [10, 100] : bounds,
          Min: Math.floor(rnd() * 5),
          Max: 100 + Math.floor(rnd() * 300),
        });
      }
  }
  return out;
}

beforeAll(async () => {
  store = await createStore({
    dataDir: join(dir, 'chdb'),
    ttlDays: { metrics: 3650, traces: 3650, logs: 3 },
  });
  // Several inserts → several parts, so the aggregate states are merged across parts.
  for (const batch of [0, 1, 2])
    await store.client.insert({
      table: 'otel_metrics_histogram',
      values: rows(batch),
      format: 'JSONEachRow',
    });
  for (const route of ['/a', '/b'])
    await store.client.insert({
      table: 'otel_metrics_sum',
      format: 'JSONEachRow',
      values: Array.from({ length: 500 }, (_, i) => ({
        ServiceName: 'svc',
        MetricName: 'requests',
        Attributes: { route },
        TimeUnix: `${(t0 + i * 3000) / 1000}.000000000`,
        Value: i % 7,
      })),
    });
}, 60_000);
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sel = { metric: 'http.server.duration', serviceName: 'svc' };
const sorted = (r: HistogramBucketRow[]) =>
  [...r].sort((a, b) => a.t - b.t || JSON.stringify(a.bounds).localeCompare(JSON.stringify(b.bounds)));

function expectSame(rollup: HistogramBucketRow[], raw: HistogramBucketRow[]) {
  expect(rollup.length).toBeGreaterThan(0);
  const a = sorted(rollup);
  const b = sorted(raw);
  expect(a.map(({ sum, ...r }) => r)).toEqual(b.map(({ sum, ...r }) => r));
  a.forEach((r, i) => {
    expect(r.sum).toBeCloseTo(b[i]!.sum, 6);
  });
  for (const q of [0.5, 0.9, 0.95, 0.99])
    expect(quantileOf(summarise(a), q)).toBe(quantileOf(summarise(b), q));
}

describe('histogram rollups', () => {
  const cases = [
    { name: '1 min, 2 h by 60 s', window: { from: t0, to: t0 + 2 * hour }, step: 60, source: '1m' },
    {
      name: '1 min, whole 2 h window',
      window: { from: t0, to: t0 + 2 * hour },
      step: undefined,
      source: '1m',
    },
    {
      name: '10 s, 20 min by 10 s',
      window: { from: t0 + 50 * 60_000, to: t0 + 70 * 60_000 },
      step: 10,
      source: '10s',
    },
    {
      name: '10 s, 1 h by 30 s',
      window: { from: t0 + 30 * 60_000, to: t0 + 90 * 60_000 },
      step: 30,
      source: '10s',
    },
  ] as const;
  for (const c of cases)
    it(`${c.name}: chosen and equal to raw`, async () => {
      expect(chooseHistogramSource(c.window, c.step)).toBe(c.source);
      const where = [{ key: 'route', op: '=', value: '/a' }] as const;
      const errors = [{ key: 'status', op: '=', value: '500' }] as const;
      for (const s of [sel, { ...sel, where: [...where] }]) {
        const auto = await queryHistogramBuckets(store.client, s, c.window, c.step, [...errors]);
        const forced = await queryHistogramBuckets(store.client, s, c.window, c.step, [...errors], c.source);
        const raw = await queryHistogramBuckets(store.client, s, c.window, c.step, [...errors], 'raw');
        expectSame(auto, raw);
        expect(forced).toEqual(auto);
      }
    });

  it('queryStat reads the rollup and agrees with raw', async () => {
    const window = { from: t0, to: t0 + 2 * hour };
    const raw = summarise(
      await queryHistogramBuckets(store.client, sel, window, undefined, undefined, 'raw'),
    );
    for (const stat of ['p95', 'p99', 'count', 'max', 'min'] as const) {
      const v = await queryStat(store.client, { ...sel, kind: 'histogram', stat, window });
      const expected = {
        p95: quantileOf(raw, 0.95),
        p99: quantileOf(raw, 0.99),
        count: raw.count,
        max: raw.max,
        min: raw.min,
      };
      expect(v).toBe(expected[stat]);
    }
  });
});

it('sum rollups hold the raw sums', async () => {
  const q = async (query: string) =>
    (
      await (
        await store.client.query({ query, format: 'JSONEachRow' })
      ).json<{ r: string; v: number; n: number }>()
    ).map((x) => ({ ...x, v: Number(x.v), n: Number(x.n) }));
  const raw = await q(
    `SELECT Attributes['route'] AS r, sum(Value) AS v, count() AS n FROM otel_metrics_sum GROUP BY r ORDER BY r`,
  );
  for (const table of ['otel_metrics_sum_10s', 'otel_metrics_sum_1m'])
    expect(
      await q(
        `SELECT Attributes['route'] AS r, sumMerge(Value) AS v, countMerge(Points) AS n FROM ${table} GROUP BY r ORDER BY r`,
      ),
    ).toEqual(raw);
});

it('fills otel_traces_trace_id_ts through its view', async () => {
  await store.client.insert({
    table: 'otel_traces',
    format: 'JSONEachRow',
    values: [
      { TraceId: 'abc', SpanId: '1', Timestamp: '2026-01-01 00:00:05.250' },
      { TraceId: 'abc', SpanId: '2', Timestamp: '2026-01-01 00:00:09.750' },
      { TraceId: '', SpanId: '3', Timestamp: '2026-01-01 00:00:01' },
    ],
  });
  const result = await store.client.query({
    query: 'SELECT TraceId, min(Start) AS s, max(End) AS e FROM otel_traces_trace_id_ts GROUP BY TraceId',
    format: 'JSONEachRow',
  });
  expect(await result.json()).toEqual([
    { TraceId: 'abc', s: '2026-01-01 00:00:05', e: '2026-01-01 00:00:09' },
  ]);
});

it('re-running the rollup migration backfills the same rollups (crash repair)', async () => {
  await store.client.command({
    query: 'ALTER TABLE cp_schema_migrations DELETE WHERE Version = 7',
    clickhouse_settings: { mutations_sync: '1' },
  });
  expect(await migrate(store.client)).toEqual([7]);
  const window = { from: t0, to: t0 + 2 * hour };
  const raw = await queryHistogramBuckets(store.client, sel, window, 60, undefined, 'raw');
  expectSame(await queryHistogramBuckets(store.client, sel, window, 60, undefined, '1m'), raw);
  expectSame(await queryHistogramBuckets(store.client, sel, window, 60, undefined, '10s'), raw);
});

it('applies TTLs idempotently and migrations run once', async () => {
  expect(await migrate(store.client)).toEqual([]);
  await applyTtl(store.client, { metrics: 3650, traces: 3650, logs: 3 });
  const result = await store.client.query({
    query: `SELECT name, create_table_query AS q FROM system.tables WHERE database = currentDatabase()
      AND name IN ('otel_metrics_histogram', 'otel_metrics_histogram_1m', 'otel_traces', 'otel_traces_trace_id_ts', 'otel_logs', 'cp_run_samples') ORDER BY name`,
    format: 'JSONEachRow',
  });
  const ddl = Object.fromEntries(
    (await result.json<{ name: string; q: string }>()).map((r) => [r.name, r.q]),
  );
  expect(ddl.otel_metrics_histogram).toMatch(/TTL toDateTime\(TimeUnix\) \+ toIntervalDay\(3650\)/);
  expect(ddl.otel_metrics_histogram_1m).toMatch(/TTL TimeUnix \+ toIntervalDay\(3650\)/);
  expect(ddl.otel_traces).toMatch(/TTL toDateTime\(Timestamp\) \+ toIntervalDay\(3650\)/);
  expect(ddl.otel_traces_trace_id_ts).toMatch(/TTL Start \+ toIntervalDay\(3650\)/);
  // A run's request samples go with its metrics.
  expect(ddl.cp_run_samples).toMatch(/TTL toDateTime\(TimeUnix\) \+ toIntervalDay\(3650\)/);
  expect(ddl.otel_logs).toMatch(/TTL TimestampTime \+ toIntervalDay\(3\)/);
});
