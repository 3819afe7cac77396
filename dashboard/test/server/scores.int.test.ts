import { queryStat } from 'collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServices } from '../../src/runtime/start-services.ts';
import type { ScoreReport } from '../../src/scores/report.ts';
import type { createCaller } from '../../src/server/routers/_app.ts';
import { httpMetricsBody, postOtlp } from '../support/otlp.ts';
import { type StoreServices, startStoreServices } from '../support/store-services.ts';

let services: StoreServices;
let running: RunningServices;
let api: ReturnType<typeof createCaller>;
const now = Date.now();
const window = { from: now - 60_000, to: now };

beforeAll(async () => {
  services = await startStoreServices('dashboard-scores-');
  running = services.running;
  api = services.viewer;
});

afterAll(async () => {
  await services?.close();
});

const kpiOf = (report: ScoreReport, id: string) =>
  report.categories.flatMap((c) => c.kpis).find((k) => k.id === id);

describe('scores', () => {
  it('is "no data" everywhere, not 0 or 100, before any telemetry arrived', async () => {
    const report = await api.scores.forWindow(window);
    expect(report.errors).toEqual([]);
    expect(report.overall).toBeNull();
    expect(report.categories).toHaveLength(8);
    expect(report.categories.every((c) => c.score === null && c.kpis.every((k) => k.value === null))).toBe(
      true,
    );
  });

  it('scores the API from the HTTP histogram and leaves unmeasured categories out', async () => {
    // 1,000 requests, all between 10 and 50 ms, 2 of them 5xx; /health is not part of the API score.
    await postOtlp(
      running.collector!.url,
      '/v1/metrics',
      httpMetricsBody('car-suggester', [
        {
          atMs: now - 20_000,
          route: '/api/cars',
          status: 200,
          count: 998,
          buckets: [0, 998, 0, 0, 0],
          sumSeconds: 30,
        },
        {
          atMs: now - 20_000,
          route: '/api/cars',
          status: 503,
          count: 2,
          buckets: [0, 2, 0, 0, 0],
          sumSeconds: 0.06,
        },
        {
          atMs: now - 20_000,
          route: '/health',
          status: 200,
          count: 50,
          buckets: [0, 0, 0, 0, 50],
          sumSeconds: 40,
        },
        // A few 2.5 min back: outside this 60 s window, inside the Overview's 5 min trend.
        {
          atMs: now - 150_000,
          route: '/api/cars',
          status: 200,
          count: 10,
          buckets: [0, 10, 0, 0, 0],
          sumSeconds: 0.3,
        },
      ]),
    );
    await expect
      .poll(async () => (await api.scores.forWindow(window)).overall, { timeout: 10_000 })
      .not.toBeNull();
    const report = await api.scores.forWindow(window);
    const p95 = kpiOf(report, 'api.p95');
    expect(p95?.value).toBeGreaterThan(10);
    expect(p95?.value).toBeLessThanOrEqual(50);
    expect(p95?.score).toBeGreaterThan(90);
    const errors = kpiOf(report, 'api.errors');
    expect(errors?.value).toBeCloseTo(0.002);
    expect(errors?.score).toBeLessThan(90);
    expect(errors?.score).toBeGreaterThan(50);
    // 1,000 requests inside one 10 s step: 100 req/s against a 1,000 req/s target.
    expect(kpiOf(report, 'api.throughput')?.value).toBeCloseTo(100);
    const apiCategory = report.categories.find((c) => c.id === 'api')!;
    expect(apiCategory.measured).toBe(3);
    expect(apiCategory.kpis[0]?.id).not.toBe('api.p95'); // the best KPI costs least, so it is not first
    // Only the API has data, so the overall score is the API's.
    expect(report.overall).toBeCloseTo(apiCategory.score!);
    expect(report.categories.find((c) => c.id === 'memory')?.score).toBeNull();
  });

  it("leaves the product's own traffic out of the API's KPIs and the Overview", async () => {
    const before = await api.scores.forWindow(window);
    // Slow requests the target marked as its own: /metrics scrapes and the page check's API calls.
    const internal = { 'traffic.source': 'internal' };
    await postOtlp(
      running.collector!.url,
      '/v1/metrics',
      httpMetricsBody('car-suggester', [
        {
          atMs: now - 20_000,
          route: '/metrics',
          status: 200,
          count: 400,
          buckets: [0, 0, 0, 0, 400],
          sumSeconds: 240,
          attributes: internal,
        },
        {
          atMs: now - 20_000,
          route: '/api/cars',
          status: 200,
          count: 400,
          buckets: [0, 0, 0, 400, 0],
          sumSeconds: 120,
          attributes: internal,
        },
        {
          atMs: now - 20_000,
          route: '/api/cars',
          status: 503,
          count: 50,
          buckets: [0, 0, 0, 50, 0],
          sumSeconds: 15,
          attributes: internal,
        },
      ]),
    );
    const marked = () =>
      queryStat(running.services.store.client, {
        metric: 'http.server.request.duration',
        kind: 'histogram',
        stat: 'count',
        serviceName: 'car-suggester',
        where: [{ key: 'traffic.source', op: '=', value: 'internal' }],
        window,
      });
    await expect.poll(marked, { timeout: 10_000 }).toBe(850);

    const after = await api.scores.forWindow(window);
    for (const id of ['api.p95', 'api.errors', 'api.throughput']) {
      expect(kpiOf(after, id)?.value, id).toBe(kpiOf(before, id)?.value);
    }
    expect(kpiOf(after, 'api.p95')?.value).toBeLessThanOrEqual(50);
    // The Overview's "car-suggester API" figures: the 1,000 API requests only, all under 50 ms.
    const stream = await api.metrics.traffic({ range: '5m' });
    for await (const snapshot of stream) {
      expect(snapshot.error).toBeNull();
      expect(snapshot.current.p99Ms).toBeLessThanOrEqual(50);
      expect(snapshot.current.errorRate).toBeCloseTo(0.002);
      break;
    }
  });

  it('refuses a window that ends before it starts', async () => {
    await expect(api.scores.forWindow({ from: now, to: now - 1 })).rejects.toThrow(/from must be before to/);
  });

  it('says which run it does not know', async () => {
    await expect(api.scores.forRun({ runId: 'run_missing' })).rejects.toThrow('no run run_missing');
  });

  it('streams the Overview scores with a trend over the range', async () => {
    const stream = await api.scores.live({ range: '5m' });
    let first: Awaited<ReturnType<typeof api.scores.forWindow>> | undefined;
    let trend: { overall: number | null }[] = [];
    for await (const snapshot of stream) {
      first = snapshot.report;
      trend = snapshot.trend;
      break;
    }
    expect(first?.overall).not.toBeNull();
    expect(trend).toHaveLength(6);
    // Whole 50 s steps: the step 2.5 min back has a score, the oldest (4–5 min back) has none.
    expect(trend.filter((p) => p.overall !== null).length).toBeGreaterThan(0);
    expect(trend[0]?.overall).toBeNull();
  });

  it("charts one KPI's value over the window", async () => {
    const series = await api.scores.kpiSeries({ id: 'api.p95', window });
    expect(series.points.length).toBeGreaterThanOrEqual(30);
    expect(series.points.filter((p) => p.value !== null)).toHaveLength(1);
    await expect(api.scores.kpiSeries({ id: 'nope', window })).rejects.toThrow('no KPI nope');
  });
});
