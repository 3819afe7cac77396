// A grouped statistic over a long window ending "now" (unaligned at both ends) reads the
// collector's rollups for its aligned stretch and raw rows for the edges, and answers, group by
// group, exactly what the raw rows answer — and what the collector's queryStat says for each group.
// Grouped, stepped buckets (the service page's routes, a run's endpoints) likewise; with no `by`
// they are the ungrouped reads, and the groups add up to them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, queryStat, type Stat, type Store } from '../../src/index.ts';
import {
  groupedBucketsQuery,
  queryGroupedBuckets,
  queryHistogramBuckets,
} from '../../src/query/grouped-buckets.ts';
import { type GroupedStatRequest, groupedStatQuery, queryGroupedStat } from '../../src/query/grouped-stat.ts';

const dir = mkdtempSync(join(tmpdir(), 'grouped-stat-'));
let store: Store;
const now = Date.now();
const hour = 3_600_000;
const bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25];
const routes = ['/api/cars', '/api/search'];
const statuses = ['200', '500'];

/** Deterministic pseudo-random integers, so every run writes the same rows. */
function random(seed: number) {
  return (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * n);
  };
}

beforeAll(async () => {
  store = await createStore({ dataDir: join(dir, 'chdb') });
  const rnd = random(7);
  const histograms: Record<string, unknown>[] = [];
  const sums: Record<string, unknown>[] = [];
  // Points every 3.7 s over the last 7 h, so they fall at every offset inside the rollup buckets.
  for (let t = now - 7 * hour; t < now; t += 3700)
    for (const route of routes)
      for (const status of statuses) {
        const counts = bounds.map(() => rnd(4)).concat([rnd(2)]);
        const base = {
          ServiceName: 'car-suggester',
          Attributes: { 'http.route': route, 'http.response.status_code': status },
          TimeUnix: (t / 1000).toFixed(3),
        };
        histograms.push({
          ...base,
          MetricName: 'http.server.request.duration',
          Count: counts.reduce((a, b) => a + b, 0),
          Sum: rnd(100) / 4,
          BucketCounts: counts,
          ExplicitBounds: bounds,
          Min: 0.001 * (1 + rnd(4)),
          Max: 0.2 + rnd(300) / 1000,
          AggregationTemporality: 1,
        });
        sums.push({
          ...base,
          MetricName: 'http.requests',
          Value: rnd(9) + (status === '500' ? 0.5 : 0),
          AggregationTemporality: 1,
          IsMonotonic: true,
        });
      }
  await store.client.insert({ table: 'otel_metrics_histogram', values: histograms, format: 'JSONEachRow' });
  await store.client.insert({ table: 'otel_metrics_sum', values: sums, format: 'JSONEachRow' });
}, 60_000);
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const serverErrors = [{ key: 'http.response.status_code', op: '>=' as const, value: 500 }];
const cases: [string, Omit<GroupedStatRequest, 'by' | 'window'>][] = [
  ['histogram p95', { metric: 'http.server.request.duration', kind: 'histogram', stat: 'p95' }],
  ['histogram avg', { metric: 'http.server.request.duration', kind: 'histogram', stat: 'avg' }],
  ['histogram max', { metric: 'http.server.request.duration', kind: 'histogram', stat: 'max' }],
  [
    'histogram 5xx ratio (an SLO)',
    { metric: 'http.server.request.duration', kind: 'histogram', stat: 'ratio', numerator: serverErrors },
  ],
  ['sum rate', { metric: 'http.requests', kind: 'sum', stat: 'rate' }],
  ['sum 5xx ratio', { metric: 'http.requests', kind: 'sum', stat: 'ratio', numerator: serverErrors }],
];
const byValue = (a: { group: Record<string, string> }, b: { group: Record<string, string> }) =>
  JSON.stringify(a.group).localeCompare(JSON.stringify(b.group));

describe('queryGroupedStat over long windows', () => {
  for (const windowMs of [6 * hour, 30 * 60_000])
    for (const [name, base] of cases)
      it(`${name} over ${windowMs / 60_000} min equals the raw answer, per group`, async () => {
        const req: GroupedStatRequest = {
          ...base,
          serviceName: 'car-suggester',
          by: ['http.route'],
          window: { from: now - windowMs, to: now },
        };
        // The plan reads a rollup (1 min for 6 h, 10 s for 30 min), with raw rows for the edges.
        const sql = groupedStatQuery(req).query;
        const rollup = windowMs >= hour ? '_1m' : '_10s';
        expect(sql).toContain(
          `${base.kind === 'histogram' ? 'otel_metrics_histogram' : 'otel_metrics_sum'}${rollup}`,
        );
        expect(groupedStatQuery({ ...req, source: 'raw' }).query).not.toContain(rollup);

        const fromRollups = (await queryGroupedStat(store.client, req)).sort(byValue);
        const raw = (await queryGroupedStat(store.client, { ...req, source: 'raw' })).sort(byValue);
        expect(fromRollups.map((g) => g.group)).toEqual(routes.map((r) => ({ 'http.route': r })));
        expect(raw.map((g) => g.group)).toEqual(fromRollups.map((g) => g.group));
        for (const [i, g] of fromRollups.entries()) {
          expect(g.value).not.toBeNull();
          expect(g.value).toBeCloseTo(raw[i]!.value!, 9);
          // And each group's value is the collector's one-window answer for that group.
          const single = await queryStat(store.client, {
            metric: req.metric,
            kind: req.kind,
            stat: req.stat as Stat,
            serviceName: req.serviceName,
            where: [{ key: 'http.route', op: '=', value: g.group['http.route']! }],
            numerator: req.numerator,
            window: req.window,
          });
          expect(g.value).toBeCloseTo(single!, 9);
        }
      });

  it('a gauge (no rollups) and a sum stat that needs its points read raw rows only', () => {
    const window = { from: now - 6 * hour, to: now };
    for (const req of [
      { metric: 'process.memory.usage', kind: 'gauge', stat: 'max' },
      { metric: 'http.requests', kind: 'sum', stat: 'last' },
    ] as const) {
      const sql = groupedStatQuery({ ...req, by: ['service'], window }).query;
      expect(sql).not.toMatch(/_1m|_10s/);
      expect(sql).not.toContain('UNION ALL');
    }
  });
});

describe('queryGroupedBuckets', () => {
  const sel = { metric: 'http.server.request.duration', serviceName: 'car-suggester' };
  for (const [name, windowMs, step] of [
    ['6 h in 60 s steps', 6 * hour, 60],
    ['30 min in 10 s steps', 30 * 60_000, 10],
    ['30 min whole', 30 * 60_000, undefined],
  ] as const)
    it(`${name}: per route and step, the raw answer; the routes add up to the ungrouped read`, async () => {
      const req = {
        ...sel,
        window: { from: now - windowMs, to: now },
        by: ['http.route'],
        stepSeconds: step,
        countWhere: serverErrors,
      };
      expect(groupedBucketsQuery(req).query).toMatch(/otel_metrics_histogram_(1m|10s)/);
      const auto = await queryGroupedBuckets(store.client, req);
      const raw = await queryGroupedBuckets(store.client, { ...req, source: 'raw' });
      const key = (r: { group: string[]; t: number }) => `${r.group.join()}|${r.t}`;
      const sorted = <T extends { group: string[]; t: number }>(rows: T[]) =>
        [...rows].sort((a, b) => key(a).localeCompare(key(b)));
      expect(new Set(auto.map((r) => r.group[0]))).toEqual(new Set(routes));
      expect(sorted(auto).map(({ sum, ...r }) => ({ ...r, sum: Math.round(sum * 1e6) }))).toEqual(
        sorted(raw).map(({ sum, ...r }) => ({ ...r, sum: Math.round(sum * 1e6) })),
      );
      const all = await queryHistogramBuckets(store.client, sel, req.window, step, serverErrors);
      for (const row of all) {
        const atStep = auto.filter((r) => r.t === row.t);
        expect(atStep.reduce((a, r) => a + r.count, 0)).toBe(row.count);
        expect(atStep.reduce((a, r) => a + r.matching, 0)).toBe(row.matching);
      }
      expect(all.reduce((a, r) => a + r.count, 0)).toBeGreaterThan(0);
    });
});
