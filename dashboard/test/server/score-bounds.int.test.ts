import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValueRange } from '../../src/lib/histogram-estimate.ts';
import type { RunningServices } from '../../src/runtime/start-services.ts';
import type { createCaller } from '../../src/server/routers/_app.ts';
import { httpMetricsBody, postOtlp } from '../support/otlp.ts';
import { type StoreServices, startStoreServices } from '../support/store-services.ts';

/** http.server.request.duration's recommended buckets (s). */
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** 400 latencies (s), mostly fast with a slow tail: 4 ms … about 0.9 s. */
const LATENCIES = Array.from({ length: 400 }, (_, i) => 0.004 + 0.9 * (((i * 7919) % 400) / 400) ** 3);
/** The exact p95 (nearest rank): the observation a 95 % rank lands on, in ms. */
const EXACT_P95_MS = [...LATENCIES].sort((a, b) => a - b)[Math.ceil(0.95 * LATENCIES.length) - 1]! * 1000;

/** Each latency counted in its bucket (upper bounds inclusive, as OTel buckets are). */
function bucketCounts(latencies: readonly number[]): number[] {
  const counts = new Array<number>(BOUNDS.length + 1).fill(0);
  for (const v of latencies) {
    const i = BOUNDS.findIndex((b) => v <= b);
    counts[i === -1 ? BOUNDS.length : i]! += 1;
  }
  return counts;
}

const contains = (range: ValueRange | null | undefined, value: number) =>
  range != null && range[0] <= value && (range[1] === null || value <= range[1]);

let services: StoreServices;
let running: RunningServices;
let api: ReturnType<typeof createCaller>;
const now = Date.now();
const window = { from: now - 60_000, to: now };

beforeAll(async () => {
  services = await startStoreServices('dashboard-score-bounds-');
  running = services.running;
  api = services.viewer;
  await postOtlp(
    running.collector!.url,
    '/v1/metrics',
    httpMetricsBody('car-suggester', [
      {
        atMs: now - 20_000,
        route: '/api/cars',
        status: 200,
        count: LATENCIES.length,
        buckets: bucketCounts(LATENCIES),
        explicitBounds: BOUNDS,
        sumSeconds: LATENCIES.reduce((a, v) => a + v, 0),
        minSeconds: Math.min(...LATENCIES),
        maxSeconds: Math.max(...LATENCIES),
      },
    ]),
  );
});

afterAll(async () => {
  await services?.close();
});

describe('error bounds of estimated latencies', () => {
  it("the Scores page's API p95 comes with a bound that holds the exact p95", async () => {
    await expect
      .poll(async () => (await api.scores.forWindow(window)).overall, { timeout: 10_000 })
      .not.toBeNull();
    const report = await api.scores.forWindow(window);
    const kpis = report.categories.flatMap((c) => c.kpis);
    const p95 = kpis.find((k) => k.id === 'api.p95')!;
    expect(contains(p95.range, EXACT_P95_MS), `${JSON.stringify(p95.range)} ∌ ${EXACT_P95_MS}`).toBe(true);
    // The estimate lies in its bound: the bucket holding the 95 % rank (750 ms–1 s), narrowed by
    // the slowest request.
    expect(contains(p95.range, p95.value!)).toBe(true);
    expect(p95.range).toEqual([750, Math.max(...LATENCIES) * 1000]);
    // Figures read exactly (a share of requests, a peak rate) state no bound.
    expect(kpis.find((k) => k.id === 'api.errors')?.range).toBeNull();
    expect(kpis.find((k) => k.id === 'api.throughput')?.range).toBeNull();
  });

  it("the chart behind the KPI gives the step's bound, holding the exact p95", async () => {
    const series = await api.scores.kpiSeries({ id: 'api.p95', window });
    const measured = series.points.filter((p) => p.value !== null);
    expect(measured).toHaveLength(1);
    expect(contains(measured[0]?.range, EXACT_P95_MS)).toBe(true);
    expect(series.points.filter((p) => p.value === null).every((p) => p.range === null)).toBe(true);
  });

  it("the Overview's latency chart gives each step's bound, holding the exact p95", async () => {
    for await (const snapshot of await api.metrics.traffic({ range: '5m' })) {
      const steps = snapshot.points.filter((p) => p.p95Ms !== null);
      expect(steps).toHaveLength(1);
      expect(contains(steps[0]?.p95RangeMs, EXACT_P95_MS)).toBe(true);
      expect(contains(snapshot.current.p95RangeMs, EXACT_P95_MS)).toBe(true);
      break;
    }
  });

  it("the Service page's per-route chart gives each step's bound, holding the exact p95", async () => {
    for await (const snapshot of await api.service.live({ range: '5m', route: null })) {
      const steps = snapshot.routeP95.filter((p) => p['/api/cars'] != null);
      expect(steps).toHaveLength(1);
      expect(contains(steps[0]?.['/api/cars range'] as ValueRange, EXACT_P95_MS)).toBe(true);
      expect(snapshot.points.some((p) => contains(p.p95RangeMs, EXACT_P95_MS))).toBe(true);
      break;
    }
  });
});
