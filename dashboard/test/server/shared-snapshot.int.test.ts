import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServices } from '../../src/runtime/start-services.ts';
import { SCORE_CATEGORIES } from '../../src/scores/config.ts';
import { createCaller } from '../../src/server/routers/_app.ts';
import { kpiSourceOf, measureKpi } from '../../src/server/scores/measure.ts';
import { kpiTrends, stepsEnding } from '../../src/server/scores/series.ts';
import type { Services } from '../../src/server/services.ts';
import { httpMetricsBody, postOtlp } from '../support/otlp.ts';
import { type StoreServices, startStoreServices } from '../support/store-services.ts';

let store: StoreServices;
let running: RunningServices;
const now = Date.now();
const ns = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);

/** The running services with a store client that counts the queries sent through it. */
function counted(): { services: Services; queries: () => number } {
  let n = 0;
  const real = running.services.store.client;
  const client = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (...args: Parameters<typeof real.query>) => {
          n += 1;
          return real.query(...args);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  const services = { ...running.services, store: { ...running.services.store, client } };
  return { services, queries: () => n };
}

const viewer = (services: Services) =>
  createCaller({ services, headers: new Headers(), user: { name: 'test-viewer', role: 'viewer' } });

async function first<T>(iterable: AsyncIterable<T>): Promise<T> {
  for await (const value of iterable) return value;
  throw new Error('the stream ended without a value');
}

/** Gauges (memory) and sums (cache hits and misses) of the target, one point every 10 s. */
function valueMetricsBody(points: number) {
  const at = (i: number) => now - 290_000 + i * 10_000;
  const gauge = (name: string, value: (i: number) => number) => ({
    name,
    gauge: {
      dataPoints: Array.from({ length: points }, (_, i) => ({ timeUnixNano: ns(at(i)), asDouble: value(i) })),
    },
  });
  const sum = (name: string, value: (i: number) => number) => ({
    name,
    sum: {
      aggregationTemporality: 1,
      isMonotonic: true,
      dataPoints: Array.from({ length: points }, (_, i) => ({
        startTimeUnixNano: ns(at(i) - 10_000),
        timeUnixNano: ns(at(i)),
        asDouble: value(i),
      })),
    },
  });
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'car-suggester' } }] },
        scopeMetrics: [
          {
            scope: { name: 'test' },
            metrics: [
              gauge('process.memory.usage', (i) => 100e6 + i * 3e6),
              gauge('v8js.memory.heap.used', (i) => 50e6 + (i % 7) * 1e6),
              sum('cache.hits', (i) => 80 + (i % 5)),
              sum('cache.misses', (i) => 10 + (i % 3)),
            ],
          },
        ],
      },
    ],
  };
}

beforeAll(async () => {
  store = await startStoreServices('dashboard-shared-');
  running = store.running;
  const url = running.collector!.url;
  await postOtlp(url, '/v1/metrics', valueMetricsBody(29));
  await postOtlp(
    url,
    '/v1/metrics',
    httpMetricsBody(
      'car-suggester',
      [20_000, 80_000, 150_000].map((back) => ({
        atMs: now - back,
        route: '/api/cars',
        status: back === 80_000 ? 503 : 200,
        count: 100,
        buckets: [10, 80, 10, 0, 0],
        sumSeconds: 2.5,
      })),
    ),
  );
  // The collector answers once the rows are durable; wait until every posted metric reads back.
  const api = viewer(running.services);
  const measured = () => ['api', 'memory', 'storage'];
  for (let tries = 0; ; tries++) {
    const { categories } = await api.scores.forWindow({ from: now - 300_000, to: now + 1 });
    if (measured().every((id) => categories.find((c) => c.id === id)?.score !== null)) break;
    if (tries > 50) throw new Error('posted metrics never became readable');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

afterAll(async () => {
  await store?.close();
});

describe('shared live snapshots', () => {
  for (const procedure of ['metrics.traffic', 'scores.live'] as const) {
    it(`${procedure}: two concurrent viewers cost the store one snapshot's queries`, async () => {
      const open = async (services: Services): Promise<AsyncIterable<{ at: number }>> =>
        procedure === 'metrics.traffic'
          ? viewer(services).metrics.traffic({ range: '5m' })
          : viewer(services).scores.live({ range: '5m' });

      const alone = counted();
      await first(await open(alone.services));
      const oneViewer = alone.queries();
      expect(oneViewer).toBeGreaterThan(0);

      const together = counted();
      const [a, b] = await Promise.all([
        first(await open(together.services)),
        first(await open(together.services)),
      ]);
      expect(together.queries()).toBe(oneViewer);
      expect(b).toEqual(a);

      // A viewer arriving within the refresh interval gets the same snapshot without a query.
      const late = await first(await open(together.services));
      expect(late.at).toBe(a.at);
      expect(together.queries()).toBe(oneViewer);
    });
  }

  it('reads a scores snapshot with two store queries and a traffic snapshot with one', async () => {
    // Every KPI of the window and of its trend, batched per table: the count does not grow with KPIs.
    const scores = counted();
    const snapshot = await first(await viewer(scores.services).scores.live({ range: '15m' }));
    expect(snapshot.report.overall).not.toBeNull();
    expect(scores.queries()).toBe(2);
    const traffic = counted();
    await first(await viewer(traffic.services).metrics.traffic({ range: '60m' }));
    expect(traffic.queries()).toBe(1);
  });

  it("shows a viewer's own alert change at once, not after the shared snapshot expires", async () => {
    const { services } = counted();
    const qa = createCaller({ services, headers: new Headers(), user: { name: 'test-qa', role: 'qa' } });
    // The alert engine reads through its own client, so sharing shows as one snapshot time.
    const [before, other] = await Promise.all([
      first(await viewer(services).alerts.live()),
      first(await viewer(services).alerts.live()),
    ]);
    expect(other.at).toBe(before.at);
    const silence = await qa.alerts.silence({
      matchers: [{ name: 'alertname', op: '=', value: 'SharedSnapshotTest' }],
      endsAt: Date.now() + 3_600_000,
      comment: 'shared snapshot test',
    });
    const after = await first(await viewer(services).alerts.live());
    expect(before.silences.some((s) => s.id === silence.id)).toBe(false);
    expect(after.silences.some((s) => s.id === silence.id)).toBe(true);
  });

  it('reads afresh once the refresh interval has passed', async () => {
    const { services, queries } = counted();
    const api = viewer(services);
    const before = await first(await api.metrics.traffic({ range: '5m' }));
    const once = queries();
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const after = await first(await api.metrics.traffic({ range: '5m' }));
    expect(after.at).toBeGreaterThan(before.at);
    expect(queries()).toBe(2 * once);
  });
});

describe('score trend', () => {
  it('equals measuring each step on its own, with one query per series', async () => {
    const steps = stepsEnding(now, 300, 6);
    // Peak-rate KPIs are left out: per step they read the step's mean rate, not a finer peak.
    const kpis = SCORE_CATEGORIES.flatMap((c) => c.kpis).filter((k) => k.query.type !== 'peak-rate');
    const { services, queries } = counted();
    const trends = await kpiTrends(kpis, steps, kpiSourceOf(services));
    const bucketed = queries();
    const stepMs = steps.stepSeconds * 1000;
    const perStep = await Promise.all(
      kpis.map((kpi) =>
        Promise.all(
          steps.starts.map((t) =>
            measureKpi(kpi, { from: t, to: t + stepMs }, kpiSourceOf(running.services)),
          ),
        ),
      ),
    );
    kpis.forEach((kpi, i) => {
      const expected = perStep[i]!;
      const got = trends[i]!;
      expect(
        got.map((v) => v === null),
        kpi.id,
      ).toEqual(expected.map((v) => v === null));
      got.forEach((v, j) => {
        if (v !== null) expect(v, `${kpi.id} step ${j}`).toBeCloseTo(expected[j]!, 9);
      });
    });
    // Memory, storage and API KPIs have values somewhere in the trend.
    for (const id of ['memory.rss', 'memory.heap', 'storage.cache-hit', 'api.p95', 'api.errors']) {
      expect(
        trends[kpis.findIndex((k) => k.id === id)]!.some((v) => v !== null),
        id,
      ).toBe(true);
    }
    // Far fewer queries than one per KPI and step.
    expect(bucketed).toBeLessThan(kpis.length * 2);
  });
});
